"""Every snippet under snippets/ runs cleanly, and its figures are properly labelled."""

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT, SNIPPETS, TIMEOUT, job, settings

from snippet_exec.engine import Job, Runner
from snippet_exec.shared import cell_starts


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
    from snippet_exec.figures import COLOUR_CYCLE

    allowed = {c.lower() for c in COLOUR_CYCLE} | {"#808080"}
    for number, figure in enumerate(runs[name].figures, start=1):
        svg = figure["svg"]
        assert svg.startswith('<svg fill="currentColor" '), f"{name}, figure {number}"
        colours = set(re.findall(r"#[0-9a-fA-F]{6}\b", svg.lower()))
        assert colours <= allowed, f"{name}, figure {number}: {colours - allowed}"


def boundaries() -> list[tuple[str, int]]:
    """Every snippet with every cell boundary at which a run can resume."""
    return [
        (name, cells)
        for name in SNIPPETS
        for cells in range(1, len(cell_starts((ROOT / name).read_text())))
    ]


def edited_after(code: str, cells: int) -> str:
    """``code`` with a comment added at the top of cell ``cells + 1``: an edit
    that changes no output, so a run resumes after ``cells`` cells."""
    lines = code.splitlines(keepends=True)
    start = cell_starts(code)[cells]  # the "# %%" line of cell cells + 1
    return "".join([*lines[:start], "# (an edit here)\n", *lines[start:]])


@pytest.fixture(scope="module")
def resumed(runs, cache_dir, work_dir, launcher, tmp_path_factory):
    """Every snippet, edited after each cell boundary and run again, resuming from
    the state the session's full run saved there."""
    runs.every()  # the full runs first: their checkpoints are the starting points
    fresh = tmp_path_factory.mktemp("resumed-cache")
    with Runner(settings(fresh, work_dir), launcher) as runner:
        futures = {
            (name, cells): runner.submit(
                Job(edited_after(job(name).code, cells), ROOT / name, TIMEOUT)
            )
            for name, cells in boundaries()
        }
        return {key: future.result() for key, future in futures.items()}


@pytest.mark.parametrize(("name", "cells"), boundaries())
def test_a_resumed_run_gives_what_the_full_run_gave(name, cells, runs, resumed):
    """Printed output, figures and module-level values, random state included
    (the snippets' later cells draw from their generators)."""
    full, result = runs[name], resumed[name, cells]
    assert result.failure is None, result.failure
    assert result.resumed_from == cells, result.note
    assert result.markdown == full.markdown
    assert result.cell_ends == full.cell_ends
    assert result.values == full.values
    assert result.figures == full.figures
