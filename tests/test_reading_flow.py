"""Every concept page reads the same way: it opens with what the reader will learn
and its first result before any code, and ends with a summary and exercises whose
answers the build computes, folded under each question and checked by a test
(issue 22). These read the pages' Markdown only: no build, no run.
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from snippet_exec import claims, fence

CONCEPT_PAGES = [
    "epochs",
    "iterations",
    "batches",
    "underfitting-overfitting",
    "choosing-epochs",
    "how-sure-is-the-best-epoch",
    "early-stopping-is-regularisation",
    "learning-rate-batch-size",
    "batch-size-and-learning-rate",
    "learning-rate-schedules",
    "reading-loss-curves",
    "does-it-transfer",
]
ANSWER = re.compile(
    r'^    \?\?\? note "Answer"\n(?P<body>(?:        .*\n|\n)+)', re.MULTILINE
)


def markdown(name: str) -> str:
    return (ROOT / "docs" / f"{name}.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The text under ``## heading``, up to the next heading of that level."""
    found = re.search(rf"^## {heading}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert found, f"no ## {heading}"
    return found[1]


@pytest.mark.parametrize("name", CONCEPT_PAGES)
def test_a_page_opens_with_what_it_teaches_then_a_result(name):
    """ "On this page:" within the first screen's lines, and the first block before
    the page's twentieth paragraph line of prose, showing its result first."""
    text = markdown(name)
    opening = text.index("**On this page:**")
    assert text.count("\n", 0, opening) < 12, f"{name}: the opening comes late"
    first = fence.fences(text)[0]
    assert first.line < 45, f"{name}: the first result is at line {first.line}"
    assert 'source="tabbed-right"' in first.info


@pytest.mark.parametrize("name", CONCEPT_PAGES)
def test_every_block_shows_its_result_before_its_code(name):
    for written in fence.fences(markdown(name)):
        assert 'source="tabbed-right"' in written.info, (name, written.line)


@pytest.mark.parametrize("name", CONCEPT_PAGES)
def test_a_page_ends_with_a_summary_and_exercises(name):
    text = markdown(name)
    summary = section(text, "Summary")
    bullets = re.findall(r"^- ", summary, re.M)
    assert 3 <= len(bullets) <= 5, f"{name}: {len(bullets)} summary bullets"
    exercises = section(text, "Exercises")
    questions = re.findall(r"^\d+\. ", exercises, re.M)
    assert 3 <= len(questions) <= 5, f"{name}: {len(questions)} exercises"
    assert text.rstrip().endswith(exercises.rstrip()), "the exercises end the page"


@pytest.mark.parametrize("name", CONCEPT_PAGES)
def test_every_answer_is_folded_computed_and_claimed(name):
    """Under each question a collapsed Answer holding a claim mark and an executed
    block of its own snippet, which offers no notebook: the answer belongs where
    it is asked, not among the examples."""
    exercises = section(markdown(name), "Exercises")
    questions = re.split(r"^\d+\. ", exercises, flags=re.M)[1:]
    for number, question in enumerate(questions, start=1):
        answer = ANSWER.search(question)
        assert answer, f"{name}, exercise {number}: no folded answer"
        body = answer["body"]
        assert len(claims.marked(body)) == 1, f"{name}, exercise {number}: no mark"
        assert re.search(r'^        ```python exec="1"', body, re.M), (name, number)
        assert 'notebook="0"' in body, (name, number)
        assert f'--8<-- "snippets/{name}/answer_' in body, (name, number)


def test_the_code_readers_see_has_no_rst_markup():
    """A snippet is shown as it is, in a code tab and as a notebook (whose first
    cell is its docstring, as Markdown): its docstrings and comments quote code
    in single backticks, which read the same in both, not RST's double ones."""
    shown = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "snippets").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "``" in line
    ]
    assert not shown, shown


def test_snippet_titles_hold_no_code_spans():
    """A snippet's title (its docstring's first line) heads its notebook page, and
    mkdocs-jupyter's table of contents drops a code span from the heading's anchor
    while the heading's own id keeps it: a link to nowhere. Titles name code in
    plain text."""
    titled = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "snippets").rglob("*.py"))
        if "`" in path.read_text(encoding="utf-8").partition("\n")[0]
    ]
    assert not titled, titled
