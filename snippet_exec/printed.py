"""What a run printed is published as the run's text, and nothing more.

A snippet's output is Markdown that the page's own Markdown converts, so without
care it could reach further than its block:

- ``escape_includes``: a printed ``--8<-- "path"`` line (or a block of them, or a
  section mark) would be read by pymdownx.snippets as an include, splicing a file
  of the project into the page, or crashing the build for a missing one. Each is
  escaped the way pymdownx.snippets documents (one ``;`` before the marker), so it
  shows as printed.
- ``placeholder``: the marks the engine leaves in a page until a block's HTML, or
  a drawing deferred out of it, is put in their place carry a token made afresh
  by each MkDocs process, which a run (another process, or an earlier build whose
  output is cached) cannot know: a printed copy of a placeholder moves nothing.
- ``unbalanced``: printed raw HTML that closes what it did not open, or leaves an
  element open, would close or swallow the page's layout; the block fails instead,
  naming it (``render.block``).
"""

from __future__ import annotations

import re
import secrets
from html.parser import HTMLParser

from markdown import Markdown
from pymdownx.snippets import SnippetPreprocessor

TOKEN = secrets.token_hex(8)
"""This process's placeholder token: no run can print it."""
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
    | {"param", "source", "track", "wbr"}
)
"""HTML elements that have no end tag."""


def placeholder(kind: str, key: str) -> str:
    """The mark that stands for the part ``key`` (of its ``kind``) in a page."""
    return f'<div class="snippet-exec-{kind}" data-{kind}="{TOKEN}-{key}"></div>'


PLACEHOLDERS = re.compile(
    rf'<div class="snippet-exec-([\w-]+)" data-\1="{TOKEN}-[^"]*"></div>'
)
"""Any ``placeholder`` of this process."""


def escape_includes(markdown: str, md: Markdown) -> str:
    """``markdown`` with every line pymdownx.snippets would read as an include or a
    section mark escaped, if ``md`` runs pymdownx.snippets."""
    if "snippet" not in md.preprocessors or "8<-" not in markdown:
        return markdown
    lines = markdown.split("\n")
    for number, line in enumerate(lines):
        if "8<-" not in line:
            continue
        match = SnippetPreprocessor.RE_ALL_SNIPPETS.match(line)
        match = match or SnippetPreprocessor.RE_SNIPPET_SECTION.match(line)
        if match:
            at = match.start("escape")
            lines[number] = f"{line[:at]};{line[at:]}"
    return "\n".join(lines)


class _Balance(HTMLParser):
    """The open elements of an HTML fragment, and the first misnested end tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problem = ""

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        """``<tag/>``: opens and closes nothing."""

    def handle_endtag(self, tag: str) -> None:
        if self.problem or tag in VOID:
            return
        if not self.open or tag not in self.open:
            self.problem = f"closes <{tag}>, which it did not open"
        elif self.open[-1] != tag:
            self.problem = f"closes <{tag}> before <{self.open[-1]}>"
        else:
            self.open.pop()


def unbalanced(html: str) -> str | None:
    """Why the HTML fragment ``html`` is not balanced (an end tag it did not open,
    or in the wrong order, or an element left open), or None if it is."""
    parser = _Balance()
    parser.feed(html)
    parser.close()
    if parser.problem:
        return parser.problem
    if parser.open:
        return f"leaves <{parser.open[-1]}> open"
    return None
