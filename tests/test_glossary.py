"""The glossary defines every term once, with an anchor; each page links a term's
first use in its prose to the term's entry (or to the page about it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

DOCS = ROOT / "docs"
ENTRY = re.compile(
    r"^\*\*(?P<term>[^*]+)\*\*(?P<rest>.*?)\{ ?#(?P<anchor>[a-z0-9-]+) ?\}$"
)
"""An entry's first line: ``**Batch size** (_B_) { #batch-size }``."""
OWN_PAGES = {
    "Epoch": "epochs.md",
    "Iteration": "iterations.md",
    "Batch": "batches.md",
    "Underfitting": "underfitting-overfitting.md",
    "Overfitting": "underfitting-overfitting.md",
    "Learning curve": "underfitting-overfitting.md",
    "Early stopping": "choosing-epochs.md",
    "Loss curve": "reading-loss-curves.md",
}
"""Terms a page is about: there, and in links to it, the page is the entry."""
UNLINKED = {"Example", "Update"}
"""Terms whose words are used in their everyday sense too ("the example below", "to
update the weights"): linking their first use would mislead as often as help."""
LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)\)")


@dataclass(frozen=True)
class Term:
    name: str
    anchor: str

    @property
    def pattern(self) -> re.Pattern[str]:
        words = r"[\s-]+".join(map(re.escape, self.name.lower().split()))
        return re.compile(rf"\b{words}(?:e?s)?\b", re.IGNORECASE)

    def links_to_entry(self, target: str, page: str) -> bool:
        target = target.rsplit("/", 1)[-1]
        own = OWN_PAGES.get(self.name)
        return target == f"glossary.md#{self.anchor}" or (
            own is not None and target.split("#")[0] == own
        )


def glossary() -> list[Term]:
    lines = (DOCS / "glossary.md").read_text("utf-8").splitlines()
    return [
        Term(found["term"], found["anchor"])
        for line in lines
        if (found := ENTRY.match(line))
    ]


def mask(markdown: str) -> str:
    """``markdown`` with everything but prose blanked (same length): fenced code,
    headings, admonition titles, abbreviations, inline code, link targets, HTML."""

    def blank(found: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", found[0])

    # Fences and titles may be indented: an exercise's answer folds its block.
    fence = r"^( *)```.*?^\1```"
    text = re.sub(fence, blank, markdown, flags=re.DOTALL | re.MULTILINE)
    text = re.sub(r"^ *(#|!!!|\?\?\?|\*\[|--8<--).*$", blank, text, flags=re.MULTILINE)
    text = re.sub(r"`[^`\n]+`", blank, text)
    text = re.sub(r"\]\([^)\s]+\)", blank, text)
    return re.sub(r"<[^>\n]+>", blank, text)


def first_use(markdown: str, term: Term, terms: list[Term]) -> tuple[int, int] | None:
    """Where ``term`` is first used in the prose, not as part of a longer term
    and not in the text of a link to another page; None if it is not used."""
    prose = mask(markdown)
    longer = [
        t
        for t in terms
        if t != term and term.pattern.search(t.name) and t.name != term.name
    ]
    covered = [m.span() for t in longer for m in t.pattern.finditer(prose)]
    links = [(m.start(), m.end(), m["target"]) for m in LINK.finditer(markdown)]
    for found in term.pattern.finditer(prose):
        start, end = found.span()
        if any(a <= start and end <= b for a, b in covered):
            continue
        around = [t for a, b, t in links if a < start and end < b]
        if around and not term.links_to_entry(around[0], ""):
            continue  # inside a link to something else: the next use counts
        return start, end
    return None


def pages() -> list[Path]:
    return sorted(p for p in DOCS.glob("*.md") if p.name != "glossary.md")


def test_every_entry_has_its_anchor():
    text = (DOCS / "glossary.md").read_text("utf-8")
    entries = re.findall(r"^\*\*([^*]+)\*\*.*$", text, flags=re.MULTILINE)
    terms = glossary()
    assert [t.name for t in terms] == entries, "an entry lacks { #anchor }"
    for term in terms:
        assert term.anchor == re.sub(r"[^a-z0-9]+", "-", term.name.lower()).strip("-")


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.stem)
def test_a_terms_first_use_links_to_its_entry(page):
    markdown = page.read_text("utf-8")
    terms = glossary()
    unlinked = []
    for term in terms:
        if term.name in UNLINKED or OWN_PAGES.get(term.name) == page.name:
            continue
        where = first_use(markdown, term, terms)
        if where is None:
            continue
        start, end = where
        links = [
            m for m in LINK.finditer(markdown) if m.start() < start and end < m.end()
        ]
        if not (links and term.links_to_entry(links[0]["target"], page.name)):
            line = markdown.count("\n", 0, start) + 1
            unlinked.append(f"{term.name!r} at line {line}: {markdown[start:end]!r}")
    assert not unlinked, unlinked
