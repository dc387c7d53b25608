"""What a run printed stays its text (``printed``), and the fences of a page are
read as superfences reads them (``blocks.page_problems``): on tiny inputs."""

from __future__ import annotations

import pytest
from markdown import Markdown

from snippet_exec import printed
from snippet_exec.blocks import PYTHON, page_problems, written_fences


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<div><p>text<br></p><img src='x'/></div>", None),
        ("<svg><path d='M0'/></svg>", None),
        ("</div>", "closes <div>, which it did not open"),
        ("<div><span></div>", "closes <div> before <span>"),
        ("<section><div></div>", "leaves <section> open"),
    ],
)
def test_unbalanced_html_is_named(html, problem):
    assert printed.unbalanced(html) == problem


def test_include_lines_are_escaped_only_where_snippets_runs():
    with_snippets = Markdown(extensions=["pymdownx.snippets"])
    text = '--8<-- "a.txt"\nx --8<-- [start:s]\nplain --8<-- text'
    escaped = printed.escape_includes(text, with_snippets)
    assert escaped == ';--8<-- "a.txt"\nx ;--8<-- [start:s]\nplain --8<-- text'
    assert printed.escape_includes(text, Markdown()) == text


def test_placeholders_carry_the_process_token():
    assert printed.TOKEN in printed.placeholder("block", "7")


def test_a_fence_inside_a_longer_one_is_its_body():
    page = '````md\n```python exec="1"\nx\n```\n````\n\n```python exec="1"\ny\n```\n'
    found = written_fences(page)
    assert [(f.line, f.language) for f in found] == [(1, "md"), (7, "python")]


def test_page_problems_name_each_line():
    page = (
        '```bash exec="1"\nls\n```\n\n```python exec="1" id="a"\nx\n```\n\n'
        '```python exec="1" id="a"\ny\n```\n\n```tree exec="1"\ndocs/\n```\n'
    )
    problems = page_problems("p.md", page, set(PYTHON) | {"tree"})
    assert len(problems) == 2
    assert problems[0].startswith('p.md: line 1: a ```bash exec="1" fence, which')
    assert problems[1].startswith("p.md: line 9: block id 'a' is the id of the block")
