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
(``errors``), which stops the build. The ``snippet-exec`` MkDocs plugin declares
this ``validator`` too, with a formatter of its own that submits the block and
renders it once every page is converted: blocks run in parallel, failures are
collected before any page is written, and the notebook pages, the times page and
the serve loop need the build's lifecycle.

What the fence keeps between the blocks of a page (their numbers, the snippets)
lives on the page's Markdown instance (``FencePage``), never in this module.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pymdownx.superfences import SuperFencesException

from snippet_exec import render
from snippet_exec.blocks import EXEC, Page, Snippets, fences, prepare
from snippet_exec.errors import BuildFailure, SnippetExecError
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

    def reset(self) -> None:
        self.root = Path.cwd()
        self.settings = SiteSettings.from_environment()
        self.snippets = Snippets(self.root, self.root / self.settings.snippets_dir)
        self.page = Page()

    def run(self, lines: list[str]) -> list[str]:
        self.reset()  # a conversion after the first: another page
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
    number, _ = page.page.next(options)
    settings = page.settings
    block = prepare(
        source, options, snippets=page.snippets, timeout=settings.timeout, number=number
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
        raise SuperFencesException(message) from failed.failures[0]
    except SnippetExecError as error:
        raise SuperFencesException(str(error)) from error
    return render.put_back(html, deferred)
