"""Claims and their tests stay in step: every test that checks a page's sentence is
marked on the page, and every mark names such a test (see snippet_exec/claims.py).
"""

from __future__ import annotations

import re
import textwrap

import pytest
from conftest import ROOT

from snippet_exec import claims

TESTS = claims.find_tests(ROOT / "tests", ROOT)
PAGES = sorted((ROOT / "docs").rglob("*.md"))


def marks() -> dict[str, list[str]]:
    """Each page's marks, by page."""
    return {
        page.relative_to(ROOT).as_posix(): claims.marked(page.read_text("utf-8"))
        for page in PAGES
    }


def test_every_claim_test_is_marked_on_a_page():
    marked = {name for names in marks().values() for name in names}
    unmarked = sorted(n for n, t in TESTS.items() if t.claim and n not in marked)
    assert not unmarked, f"claim tests that no page marks: {unmarked}"


def test_every_mark_names_a_claim_test_once():
    problems = []
    for page, names in marks().items():
        for name in names:
            if name not in TESTS:
                problems.append(f"{page}: {name} is no test")
            elif not TESTS[name].claim:
                problems.append(f"{page}: {name} is not decorated @pytest.mark.claim")
        problems += [
            f"{page}: {n} marked twice" for n in set(names) if names.count(n) > 1
        ]
    assert not problems, problems


def test_a_mark_opens_its_tests_source_linked_to_the_repository(project):
    (project.root / "tests").mkdir()
    (project.root / "tests" / "test_sums.py").write_text(
        "import pytest\n\n\n@pytest.mark.claim\ndef test_two_and_two():\n"
        "    assert 2 + 2 == 4\n",
        encoding="utf-8",
    )
    (project.root / "docs" / "index.md").write_text(
        "# Sums\n\nTwo and two make four [✓](test:test_two_and_two).\n",
        encoding="utf-8",
    )
    project.build(
        site={"repo_url": "https://git.example/sums", "edit_uri": "edit/trunk/docs/"}
    )
    html = project.html()
    assert (
        '<button type="button" class="claim-mark" popovertarget="claim-test_t' in html
    )
    assert (
        'href="https://git.example/sums/blob/trunk/tests/test_sums.py#L5">See it in '
        "the repository</a>"
    ) in html
    # The test's source is in the page, after the text, highlighted: it opens
    # without the repository.
    assert html.index("claim-mark") < html.index('id="claim-test_two_and_two"')
    assert "assert 2 + 2 == 4" in re.sub(r"<[^>]+>", "", html)


def test_a_mark_without_its_test_fails_the_build(project):
    (project.root / "tests").mkdir()
    (project.root / "docs" / "index.md").write_text(
        "# Sums\n\nTwo and two make five [✓](test:test_two_and_two).\n",
        encoding="utf-8",
    )
    log = project.fails()
    assert "index.md: a claim mark names the test test_two_and_two" in log


def test_every_concept_page_marks_its_claims():
    marked = {page for page, names in marks().items() if names}
    pages = {p.relative_to(ROOT).as_posix() for p in PAGES}
    assert pages - marked == {"docs/glossary.md"}, sorted(pages - marked)


# -- the parts, on tiny inputs -------------------------------------------------------


def test_marks_are_found_in_a_pages_markdown():
    markdown = "Lowest early [✓](test:test_low). Falls [✓](test:test_falls), [x](y)."
    assert claims.marked(markdown) == ["test_low", "test_falls"]


def test_claim_tests_are_read_from_their_source_not_imported(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_page.py").write_text(
        textwrap.dedent(
            """\
            import pytest
            from pytest import mark

            raise SystemExit("never imported")


            @pytest.mark.claim
            def test_one():
                pass


            @mark.claim
            @pytest.mark.parametrize("x", [1])
            def test_two(x):
                pass


            def test_three():
                pass
            """
        ),
        encoding="utf-8",
    )
    found = claims.find_tests(tmp_path / "tests", tmp_path)
    assert found == {
        "test_one": claims.Test("tests/test_page.py", 8, True),
        "test_two": claims.Test("tests/test_page.py", 14, True),
        "test_three": claims.Test("tests/test_page.py", 18, False),
    }


def test_a_mark_becomes_a_button_that_opens_its_tests_source():
    source = "@pytest.mark.claim\ndef test_low():\n    assert low < 2  # `` ticks"
    tests = {"test_low": claims.Test("tests/test_page.py", 7, True, source)}
    html = '<p>Low <a href="test:test_low">✓</a>, <a href="test:test_low">✓</a>.</p>'
    marked, sources = claims.render(html, tests, "https://git.example/blob/main/")
    said = "Checked by the test test_low: show its source"
    button = (
        '<button type="button" class="claim-mark" popovertarget="claim-test_low" '
        f'aria-label="{said}" title="{said}">✓</button>'
    )
    assert marked == f"<p>Low {button}, {button}.</p>"
    assert sources.count('id="claim-test_low" popover role="dialog"') == 1  # once
    assert "the test <code>test_low</code> (tests/test_page.py, line 7)" in sources
    assert '<div class="highlight">' in sources and "ticks" in sources
    assert 'href="https://git.example/blob/main/tests/test_page.py#L7"' in sources
    assert "repository" not in claims.render(html, tests, None)[1]
    with pytest.raises(KeyError, match="test_gone"):
        claims.render('<a href="test:test_gone">✓</a>', tests, None)
