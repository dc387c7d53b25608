"""Claims that link to their tests: a sentence a test checks carries a mark.

A page marks a claim with a link to the test that checks it, written as
``[✓](test:test_the_best_epoch_is_inside_the_run)``. The build turns each mark into
a small button that opens the test's source in place: the page carries the source
of each test it marks (the function alone, decorators included, highlighted as the
site's code is), once per test, so the mark works offline, without a repository
and without JavaScript (a native popover, which the keyboard, touch and screen
readers reach as any button); with a repository, the source also links there, to
the test's line. A mark that names no test fails the build: a mark must not
outlive its test. The other half, that every test decorated ``@pytest.mark.claim``
is marked on a page, is tests/test_claims.py's (it reads ``tests`` as this module
does).

Reading the tests is a parse of their source (``ast``): nothing is imported or run.
"""

from __future__ import annotations

import ast
import functools
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown import Markdown

from snippet_exec.errors import PageError

MARK = re.compile(r'<a href="test:([A-Za-z_][A-Za-z0-9_]*)">([^<]*)</a>')
"""A mark as Markdown renders it."""
MARKDOWN = re.compile(r"\[[^\]]*\]\(test:([A-Za-z_][A-Za-z0-9_]*)\)")
"""A mark as a page's Markdown writes it."""


@dataclass(frozen=True)
class Test:
    """A test function: its file (relative to the project's root) and line."""

    path: str
    line: int
    claim: bool
    """Decorated ``@pytest.mark.claim``: it checks what a page says."""
    source: str = field(default="", compare=False, repr=False)
    """The function's source, its decorators included."""


def _is_claim(decorator: ast.expr) -> bool:
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    return ast.unparse(decorator) in {"pytest.mark.claim", "mark.claim", "claim"}


_parsed: dict[Path, tuple[tuple[int, int], dict[str, Test]]] = {}
"""Each test file's tests, with the file's (mtime, size) when it was parsed: every
page with marks asks, and ``mkdocs serve`` rebuilds often."""


def _tests_in(path: Path, root: Path) -> dict[str, Test]:
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    if path in _parsed and _parsed[path][0] == stamp:
        return _parsed[path][1]
    tests = {}
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text, str(path))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            claim = any(_is_claim(d) for d in node.decorator_list)
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            source = "\n".join(lines[first - 1 : node.end_lineno])
            tests[node.name] = Test(
                path.relative_to(root).as_posix(), node.lineno, claim, source
            )
    _parsed[path] = stamp, tests
    return tests


def find_tests(folder: Path, root: Path) -> dict[str, Test]:
    """Every test function in ``folder``'s ``test_*.py`` files, by name."""
    found: dict[str, Test] = {}
    for path in sorted(folder.rglob("test_*.py")):
        found.update(_tests_in(path, root))
    return found


def marked(markdown: str) -> list[str]:
    """The tests a page's Markdown marks claims with."""
    return MARKDOWN.findall(markdown)


@functools.cache
def _highlighter() -> Markdown:
    return Markdown(extensions=["pymdownx.highlight", "pymdownx.superfences"])


@functools.lru_cache(maxsize=1024)
def highlight(source: str) -> str:
    """``source`` as Python highlighted the way the site's code blocks are."""
    md = _highlighter()
    md.reset()
    # Whitespace needs no span of its own: the same page, a tenth lighter.
    longest = max((len(run) for run in re.findall("`+", source)), default=0)
    fence = "`" * max(3, longest + 1)  # longer than any a string of the test holds
    code = md.convert(f"{fence}python\n{source}\n{fence}")
    return re.sub(r'<span class="w">(\s+)</span>', r"\1", code)


def mark_id(name: str) -> str:
    """The element id of the test ``name``'s source in a page."""
    return f"claim-{name}"


def popover(name: str, test: Test, blob_url: str | None) -> str:
    """The source of the test ``name``, as the popover its marks open: what checks
    the claim and where it is, the code, and a link to the repository, if any."""
    box = mark_id(name)
    where = html.escape(test.path)
    link = ""
    if blob_url:
        href = html.escape(f"{blob_url}{test.path}#L{test.line}", quote=True)
        link = (
            f'<p class="claim-test__link"><a href="{href}">'
            "See it in the repository</a></p>"
        )
    return (
        f'<div class="claim-test" id="{box}" popover role="dialog" '
        f'aria-labelledby="{box}-title">\n'
        f'<div class="claim-test__head"><p class="claim-test__title" id="{box}-title">'
        f"Checked at every build by the test <code>{html.escape(name)}</code> "
        f"({where}, line {test.line})</p>"
        f'<button type="button" class="claim-test__close" popovertarget="{box}" '
        'popovertargetaction="hide" aria-label="Close" title="Close">&times;'
        "</button></div>\n"
        f"{highlight(test.source)}\n{link}</div>"
    )


def render(
    page_html: str, tests: dict[str, Test], blob_url: str | None
) -> tuple[str, str]:
    """``page_html`` with each mark made a button naming its test, and the sources
    of the tests it marks, once each, to put in the page (``popover``); raises
    KeyError naming the first mark whose test does not exist."""
    shown: dict[str, str] = {}

    def mark(found: re.Match[str]) -> str:
        name = found[1]
        test = tests[name]  # KeyError: a mark without a test
        if name not in shown:
            shown[name] = popover(name, test, blob_url)
        said = html.escape(f"Checked by the test {name}: show its source", quote=True)
        return (
            f'<button type="button" class="claim-mark" popovertarget="{mark_id(name)}" '
            f'aria-label="{said}" title="{said}">✓</button>'
        )

    marked_html = MARK.sub(mark, page_html)
    return marked_html, "\n".join(shown.values())


def link(
    page_html: str,
    page: str,
    tests_dir: Path,
    root: Path,
    urls: tuple[str | None, str | None] = (None, None),
    tests: dict[str, Test] | None = None,
) -> tuple[str, str]:
    """``page_html`` (of the page ``page``) with its marks made buttons, and the
    sources of the tests in ``tests_dir`` that they open (see ``render``); ``urls``:
    the repository and the edit URI, whose branch (``edit/main/docs/``) the links
    to the tests' source go to; ``tests``: ``find_tests``' answer, if known (a
    build asks once for all its pages). Raises PageError for a mark whose test is
    missing."""
    if tests is None:
        tests = find_tests(tests_dir, root)
    repo_url, edit_uri = urls
    blob = None
    parts = (edit_uri or "").strip("/").split("/")
    if repo_url and parts[0] == "edit" and len(parts) > 1:
        blob = f"{repo_url.rstrip('/')}/blob/{parts[1]}/"
    try:
        return render(page_html, tests, blob)
    except KeyError as error:
        raise PageError(
            f"{page}: a claim mark names the test {error.args[0]}, which "
            f"{tests_dir.relative_to(root).as_posix()}/ does not have"
        ) from None
