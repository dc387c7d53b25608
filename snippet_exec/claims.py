"""Claims that link to their tests: a sentence a test checks carries a mark.

A page marks a claim with a link to the test that checks it, written as
``[✓](test:test_the_best_epoch_is_inside_the_run)``. The build turns each mark into
a small check mark that names the test (and links to its source when the site has a
repository), and fails on a mark that names no test: a mark must not outlive its
test. The other half, that every test decorated ``@pytest.mark.claim`` is marked
on a page, is tests/test_claims.py's (it reads ``tests`` as this module does).

Reading the tests is a parse of their source (``ast``): nothing is imported or run.
"""

from __future__ import annotations

import ast
import html
import re
from dataclasses import dataclass
from pathlib import Path

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
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            claim = any(_is_claim(d) for d in node.decorator_list)
            tests[node.name] = Test(
                path.relative_to(root).as_posix(), node.lineno, claim
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


def render(page_html: str, tests: dict[str, Test], blob_url: str | None) -> str:
    """``page_html`` with each mark made a check mark naming its test; raises
    KeyError naming the first mark whose test does not exist."""

    def mark(found: re.Match[str]) -> str:
        name = found[1]
        test = tests[name]  # KeyError: a mark without a test
        said = html.escape(f"Checked at every build by the test {name}", quote=True)
        if blob_url:
            href = html.escape(f"{blob_url}{test.path}#L{test.line}", quote=True)
            return (
                f'<a class="claim-mark" href="{href}" title="{said}" '
                f'aria-label="{said}">✓</a>'
            )
        return (
            f'<span class="claim-mark" role="img" title="{said}" '
            f'aria-label="{said}">✓</span>'
        )

    return MARK.sub(mark, page_html)


def link(
    page_html: str,
    page: str,
    tests_dir: Path,
    root: Path,
    urls: tuple[str | None, str | None] = (None, None),
) -> str:
    """``page_html`` (of the page ``page``) with its marks linked to the tests in
    ``tests_dir``; ``urls``: the repository and the edit URI, whose branch
    (``edit/main/docs/``) the links to the tests' source go to. Raises PageError
    for a mark whose test is missing."""
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
