"""The superfences fence that executes ``python exec="1"`` blocks: the engine's core.

It needs no MkDocs plugin hook. A configuration can declare it alone::

    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: python
              class: python
              validator: !!python/name:snippet_exec.fence.validator
              format: !!python/name:snippet_exec.fence.formatter

and every block is then looked up in the cache or executed (isolated, time-limited)
and rendered where it stands, through the same pipeline as the plugin's: the same
options, variants, what-if controls, explore check and notes (``blocks.prepare``,
``session.Session``, ``render.block``), with the same settings (``SiteSettings``,
here from their ``SNIPPET_EXEC_*`` variables), relative to the working directory.
A block that fails raises ``SuperFencesException`` from the typed error
(``errors``), which stops the build; where the generator's ``BuildError`` is
loaded (MkDocs, ProperDocs), the exception is one too, so the log gets the one
message (page, block, line) and no traceback of the generator. The page is the
one its generator converts (MkDocs' ``Page``, found up the call stack), and gets
the plugin's page checks (``blocks.page_problems``: fences nothing executes, ids
used twice) and its line numbers; where no generator says, blocks are named by
their number, and their lines as ``<block 1>``'s.

The ``snippet-exec`` MkDocs plugin declares this ``validator`` too, with a
formatter of its own that submits the block and renders it once every page is
converted: blocks run in parallel, failures are collected before any page is
written, and the notebook pages, the times page and the serve loop need the
build's lifecycle.

What the fence keeps between the blocks of a page (their numbers, the snippets)
lives on the page's Markdown instance (``FencePage``), never in this module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pymdownx.superfences import SuperFencesException

from snippet_exec import render
from snippet_exec.blocks import (
    EXEC,
    PYTHON,
    Page,
    Snippets,
    fences,
    page_problems,
    prepare,
)
from snippet_exec.errors import BuildFailure, PageError, SnippetExecError
from snippet_exec.options import BlockOptions, OptionError, parse
from snippet_exec.session import Session
from snippet_exec.settings import SiteSettings

__all__ = ["FencePage", "declare", "fences", "formatter", "validator"]
Formatter = Callable[..., str]


def validator(
    language: str,
    inputs: dict[str, str],
    options: dict[str, Any],
    attrs: dict[str, Any],
    md: Markdown,
) -> bool:
    """Take the fences with ``exec="1"`` (others stay plain code) and check their
    options; an error is kept for the formatter, which knows what to do with it."""
    if not EXEC.search(
        " ".join(f'{k}="{v}"' for k, v in inputs.items() if k == "exec")
    ):
        return False
    try:
        options["snippet_exec"] = parse(inputs)
    except OptionError as error:
        options["snippet_exec"] = BlockOptions(id=inputs.get("id", ""))
        options["snippet_exec_error"] = str(error)
    inputs.clear()
    return True


def declare(config: dict[str, Any], formatter: Formatter) -> None:
    """Declare the fence for python blocks in superfences' ``config`` (the plugin's
    way: this validator, its own formatter), in place of any other python fence."""
    fences = config.setdefault("pymdownx.superfences", {})
    custom = fences.setdefault("custom_fences", [])
    custom[:] = [f for f in custom if f.get("name") not in {"python", "py"}]
    for language in ("python", "py"):
        custom.append(
            {
                "name": language,
                "class": language,
                "validator": validator,
                "format": formatter,
            }
        )


class FencePage(Preprocessor):
    """What the fence knows of the page being converted: the settings, the
    snippets (read once per page), the blocks so far. Kept on the page's Markdown
    instance, as a preprocessor that does nothing to the text but start afresh
    when the instance converts another page."""

    NAME = "snippet_exec_page"

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.reset()

    def reset(self, lines: list[str] | None = None) -> None:
        self.root = Path.cwd()
        self.settings = SiteSettings.from_environment()
        self.snippets = Snippets(self.root, self.root / self.settings.snippets_dir)
        uri, markdown = converted_page() or ("", "\n".join(lines or []))
        self.page = Page(uri, markdown)
        self.problems = page_problems(uri or "the page", markdown, executed(self.md))

    def run(self, lines: list[str]) -> list[str]:
        self.reset(lines)  # a conversion after the first: another page
        return lines

    @classmethod
    def of(cls, md: Markdown) -> FencePage:
        """The state of the page ``md`` converts."""
        if cls.NAME in md.preprocessors:
            found = md.preprocessors[cls.NAME]
            if isinstance(found, cls):
                return found
        state = cls(md)
        md.preprocessors.register(state, cls.NAME, 1000)  # before any other
        return state


def converted_page() -> tuple[str, str] | None:
    """The page being converted, as its generator knows it: the URI and Markdown
    of a MkDocs-like ``page`` (``page.file.src_uri``, ``page.markdown``) in a
    caller's frame; None if no caller has one."""
    frame = sys._getframe(1)
    while frame is not None:
        page = frame.f_locals.get("page")
        uri = getattr(getattr(page, "file", None), "src_uri", None)
        markdown = getattr(page, "markdown", None)
        if isinstance(uri, str) and isinstance(markdown, str):
            return uri, markdown
        frame = frame.f_back  # type: ignore[assignment]
    return None


def executed(md: Markdown) -> set[str]:
    """The languages whose fences run: python's, and those of markdown-exec's
    formatters that superfences has."""
    found = set(PYTHON)
    name = "fenced_code_block"
    fenced = md.preprocessors[name] if name in md.preprocessors else None  # noqa: SIM401 - a Registry has no get()
    for entry in getattr(getattr(fenced, "extension", None), "superfences", []):
        module = getattr(entry.get("formatter"), "__module__", "") or ""
        if module.startswith("markdown_exec"):
            found.add(entry["name"])
    return found


def failure(message: str) -> SuperFencesException:
    """The exception that stops the build: superfences', and the generator's
    ``BuildError`` where one is loaded, which it logs as the message alone."""
    bases: list[type] = [SuperFencesException]
    for name in ("properdocs.exceptions", "mkdocs.exceptions"):
        module = sys.modules.get(name)
        if module is not None and module.BuildError not in bases:
            bases.append(module.BuildError)
    return type("SnippetExecFailure", tuple(bases), {})(message)


def formatter(
    source: str,
    language: str,
    css_class: str,
    options: dict[str, Any],
    md: Markdown,
    **kwargs: Any,
) -> str:
    """Run (or look up) the block and render it; raise SuperFencesException if it
    fails, which stops the build."""
    page = FencePage.of(md)
    if page.problems:
        raise failure(str(PageError("\n".join(page.problems))))
    number, written = page.page.next(options)
    settings = page.settings
    block = prepare(
        source,
        options,
        snippets=page.snippets,
        timeout=settings.timeout,
        page=page.page.uri,
        number=number,
        written=written,
    )
    deferred: dict[str, str] = {}
    try:
        with Session.start(settings, page.root) as session:
            submitted = session.add(block, md)
            session.wait()
            html = render.block(
                block,
                submitted.results(),
                md,
                enabled=settings.enabled,
                deferred=deferred,
            )
    except BuildFailure as failed:
        message = "\n".join(str(error) for error in failed.failures)
        raise failure(message) from failed.failures[0]
    except SnippetExecError as error:
        raise failure(str(error)) from error
    return render.put_back(html, deferred)
