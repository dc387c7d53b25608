"""Every snippet under snippets/ runs cleanly, and its figures are properly labelled."""

import ast
from pathlib import Path

import pytest
from conftest import ROOT, SNIPPETS


@pytest.mark.parametrize("name", SNIPPETS)
def test_snippet_runs(name, runs):
    result = runs[name]
    assert result.failure is None, f"{name} failed: {result.failure}"
    assert not result.cached


@pytest.mark.parametrize("name", SNIPPETS)
def test_figures_have_labelled_axes(name, runs):
    for number, figure in enumerate(runs[name].figures, start=1):
        for axes in figure["axes"]:
            assert axes["xlabel"], f"{name}, figure {number}: the x axis has no label"
            assert axes["ylabel"], f"{name}, figure {number}: the y axis has no label"


@pytest.mark.parametrize("name", SNIPPETS)
def test_snippet_is_a_standalone_example(name):
    """A docstring that states the idea; plt.show() at the end if it plots."""
    source = Path(ROOT / name).read_text(encoding="utf-8")
    assert ast.get_docstring(ast.parse(source)), f"{name} has no docstring"
    if "matplotlib" in source:
        assert source.rstrip().endswith("plt.show()"), (
            f"{name} does not end with plt.show()"
        )


def test_plotting_snippets_make_figures(runs):
    for name, result in runs.items():
        if "matplotlib" in (ROOT / name).read_text(encoding="utf-8"):
            assert result.figures, f"{name} imports matplotlib but made no figure"
