"""Every snippet under snippets/ runs cleanly, and its figures are properly labelled."""

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT, SNIPPETS

from snippet_exec.figures import COLOUR_CYCLE


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


@pytest.mark.parametrize("name", SNIPPETS)
def test_figures_have_a_caption_and_alt_text_in_numbers(name, runs):
    for number, figure in enumerate(runs[name].figures, start=1):
        where = f"{name}, figure {number}"
        assert figure["caption"], f"{where} has no title to caption it"
        assert re.search(r"\d", figure["alt"]), f"{where}: alt text without numbers"


@pytest.mark.parametrize("name", SNIPPETS)
def test_figures_follow_both_palettes(name, runs):
    """Black becomes the page's text colour; other colours are the site's cycle,
    or the grey of grids and legend frames."""
    allowed = {c.lower() for c in COLOUR_CYCLE} | {"#808080"}
    for number, figure in enumerate(runs[name].figures, start=1):
        svg = figure["svg"]
        assert svg.startswith('<svg fill="currentColor" '), f"{name}, figure {number}"
        colours = set(re.findall(r"#[0-9a-fA-F]{6}\b", svg.lower()))
        assert colours <= allowed, f"{name}, figure {number}: {colours - allowed}"
