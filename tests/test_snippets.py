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
    """Black becomes the page's text colour; other colours are the site style's
    palette (its grey is that of axes, ticks and grids)."""
    from snippet_exec.style import GREY, PALETTE

    allowed = {c.lower() for c in PALETTE} | {GREY.lower()}
    for number, figure in enumerate(runs[name].figures, start=1):
        svg = figure["svg"]
        assert svg.startswith('<svg fill="currentColor" '), f"{name}, figure {number}"
        colours = set(re.findall(r"#[0-9a-fA-F]{6}\b", svg.lower()))
        assert colours <= allowed, f"{name}, figure {number}: {colours - allowed}"


@pytest.mark.parametrize("name", SNIPPETS)
def test_alt_text_names_each_series_lowest_and_highest_value(name, runs):
    """Read from the figure's data (its CSV): every line, set of points or bars
    that varies has its least and greatest value in the alt text, as printed."""
    import csv
    import io
    from collections import defaultdict

    from snippet_exec.shared import number

    for index, figure in enumerate(runs[name].figures, start=1):
        series: defaultdict[tuple[str, str], list[dict]] = defaultdict(list)
        for row in csv.DictReader(io.StringIO(figure["data"])):
            series[row["panel"], row["series"]].append(row)
        for (panel, label), rows in series.items():
            xs = {row["x"] for row in rows}
            ys = [float(row["y"]) for row in rows if row["y"]]
            if any(row["value"] for row in rows):  # a grid: its values' range
                ys = [
                    float(row[c])
                    for row in rows
                    for c in ("value", "value up to")
                    if row[c]
                ]
            if len(xs) < 2 or len(set(ys)) < 2:  # a marker: where it is, not a range
                continue
            for value in (min(ys), max(ys)):
                assert number(value) in figure["alt"], (
                    f"{name}, figure {index}, {panel}: the alt text does not name "
                    f"{label}'s {'least' if value == min(ys) else 'greatest'} value "
                    f"{number(value)}"
                )


EVERY_BOUNDARY = (
    "snippets/index/training_timeline.py",
    "snippets/iterations/count_iterations.py",
)
"""Examples resumed from every cell boundary: cheap ones, with several cells. Every
other example is resumed from its last boundary (the plotting cell's edit, the
commonest under ``make serve``), whose state holds what its earlier cells left;
rerunning each example from its first boundaries too would run it twice more,
about a third of the suite's run time, to exercise the same save and restore
(``test_every_cell_boundary_saves_its_state`` checks each state was saved)."""


def boundaries() -> list[tuple[str, int]]:
    """Each snippet with the cell boundaries a run resumes from here: every one
    (``EVERY_BOUNDARY``), or the last one after a code cell (a snippet of one
    cell has only the boundary after its docstring, from which a resumed run is a
    full run)."""
    found = []
    for name in SNIPPETS:
        count = len(cell_starts((ROOT / name).read_text()))
        every = range(1, count) if name in EVERY_BOUNDARY else range(count - 1, count)
        found += [
            (name, cells) for cells in every if cells >= 2 or name in EVERY_BOUNDARY
        ]
    return found


@pytest.mark.parametrize("name", SNIPPETS)
def test_every_cell_boundary_saves_its_state(name, runs):
    """The full run saved the state after each of its cells but the last, so that
    an edit to any later cell resumes rather than runs in full."""
    count = len(cell_starts((ROOT / name).read_text()))
    assert runs[name].checkpoints == ["saved"] * (count - 1), runs[name].checkpoints


def edited_after(code: str, cells: int) -> str:
    """``code`` with a comment added at the top of cell ``cells + 1``: an edit
    that changes no output, so a run resumes after ``cells`` cells."""
    lines = code.splitlines(keepends=True)
    start = cell_starts(code)[cells]  # the "# %%" line of cell cells + 1
    return "".join([*lines[:start], "# (an edit here)\n", *lines[start:]])


@pytest.fixture(scope="module")
def resumed(runs, cache_dir, work_dir, launcher, tmp_path_factory, request):
    """The snippets the selected tests name, edited after their cell boundaries
    (``boundaries``) and run again, resuming from the state the session's full run
    saved there."""
    asked = [
        (item.callspec.params["name"], item.callspec.params["cells"])
        for item in request.session.items
        if item.originalname == test_a_resumed_run_gives_what_the_full_run_gave.__name__
    ]
    for name in dict.fromkeys(name for name, _ in asked):
        runs[name]  # the full run first: its checkpoints are the starting points
    fresh = tmp_path_factory.mktemp("resumed-cache")
    with Runner(settings(fresh, work_dir), launcher) as runner:
        futures = {
            (name, cells): runner.submit(
                Job(edited_after(job(name).code, cells), ROOT / name, TIMEOUT)
            )
            for name, cells in asked
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
