"""The MkDocs plugin around the fence: the build's lifecycle, each hook one job.

The hooks only delegate; the work is done by:

- ``session.Session``: the build's runs. While pages are converted, each block is
  checked and submitted (``blocks.prepare``, the fence's ``validator``), and a
  placeholder is left in the page; once every page is converted (``on_env``) the
  session waits for the results, and the first failure cancels the rest and
  stops the build, before any page is written, naming every failed block: its
  page, its snippet and the snippet's line. Otherwise each block is rendered in
  place of its placeholder (``render.block``, as the standalone fence renders it)
  and the log gets one line per run and a summary.
- ``times``: the "Execution times" page; ``notebooks.NotebookPages``: every example
  snippet as a notebook page, written for mkdocs-jupyter (``execute: false``)
  with the outputs of the snippet's one run; ``claims``: claim marks linked to
  their tests; ``templates``: Jinja's bytecode cache.
- ``serve``: under ``mkdocs serve``, the snippets and the engine are watched too,
  the fork server lives across rebuilds, each page's search entries are kept for
  the next rebuild, and a rebuild that fails leaves the last good site served,
  with a banner saying why, until the next good edit.

Event priorities (``@event_priority``) put what must come first first: the
notebooks before mkdocs-jupyter reads them, whatever the order in the config.
With ``enabled: false`` nothing runs: blocks show their source and a note where
the output would be, and the notebook pages have no outputs (same pages, same nav).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from markdown import Markdown
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from snippet_exec import (
    claims,
    executors,
    fence,
    identity,
    progress,
    render,
    reuse,
    serve,
    times,
)
from snippet_exec.blocks import PYTHON, Snippets, page_problems, prepare
from snippet_exec.blocks import Page as BlockPage
from snippet_exec.errors import BuildFailure, PageError, RunFailure, SnippetExecError
from snippet_exec.notebooks import NotebookPages
from snippet_exec.result import Result
from snippet_exec.session import Session, Submitted
from snippet_exec.settings import SiteSettings
from snippet_exec.templates import TemplateCache

log = logging.getLogger("mkdocs.plugins.snippet_exec")
DEFAULT = SiteSettings()
HEADING = re.compile(r"^(?:#.*|=+|-+)\s*$", re.MULTILINE)
"""A Markdown heading line, or a setext heading's underline."""


@functools.lru_cache(maxsize=256)  # under serve, most pages are the same again
def headings(markdown: str) -> tuple[str, ...]:
    """The heading lines of a page's Markdown (``HEADING``)."""
    return tuple(HEADING.findall(markdown))


class Seconds(config_options.Type):
    """A positive, finite number of seconds."""

    def __init__(self, default: float) -> None:
        super().__init__((int, float), default=default)

    def run_validation(self, value: object) -> float:
        number = super().run_validation(value)
        if not isinstance(number, int | float) or not 0 < number < float("inf"):
            raise config_options.ValidationError(
                f"must be a positive, finite number of seconds, not {number!r}"
            )
        return float(number)


class SnippetExecConfig(Config):
    """The options under ``snippet-exec``: ``SiteSettings``' fields and defaults."""

    enabled = config_options.Type(bool, default=DEFAULT.enabled)
    timeout = Seconds(default=DEFAULT.timeout)
    jobs = config_options.Type(int, default=DEFAULT.jobs)
    force = config_options.Type(bool, default=DEFAULT.force)
    incremental = config_options.Type(bool, default=DEFAULT.incremental)
    check_reproducible = config_options.Type(bool, default=DEFAULT.check_reproducible)
    start_method = config_options.Choice(
        ("auto", "forkserver", "spawn"), default=DEFAULT.start_method
    )
    executor = config_options.Type(str, default=DEFAULT.executor)
    cache_dir = config_options.Type(str, default=DEFAULT.cache_dir)
    cache_readonly = config_options.Type(bool, default=DEFAULT.cache_readonly)
    work_dir = config_options.Type(str, default=DEFAULT.work_dir)
    evict_after_days = config_options.Type(
        (int, float), default=DEFAULT.evict_after_days
    )
    output_kb = config_options.Type(int, default=DEFAULT.output_kb)
    figure_kb = config_options.Type(int, default=DEFAULT.figure_kb)
    explore_kb = config_options.Type(int, default=DEFAULT.explore_kb)
    result_kb = config_options.Type(int, default=DEFAULT.result_kb)
    memory_mb = config_options.Type(int, default=DEFAULT.memory_mb)
    page_kb = config_options.Type(int, default=DEFAULT.page_kb)
    snippets_dir = config_options.Type(str, default=DEFAULT.snippets_dir)
    policy = config_options.Type(str, default=DEFAULT.policy)
    times_page = config_options.Type(str, default=DEFAULT.times_page)
    times_note = config_options.Type(str, default=DEFAULT.times_note)
    tests_dir = config_options.Type(str, default=DEFAULT.tests_dir)
    notebooks_dir = config_options.Type(str, default=DEFAULT.notebooks_dir)


def markdown_salt(config: MkDocsConfig) -> str:
    """A hash of what, besides a page's own text, shapes its Markdown: the
    extensions and their settings, and the files pymdownx.snippets appends to every
    page (abbreviations, link targets)."""
    salt = hashlib.sha256(
        repr((config.markdown_extensions, config.mdx_configs)).encode()
    )
    snippets = config.mdx_configs.get("pymdownx.snippets", {})
    bases = [
        Path(config.config_file_path).parent / b
        for b in snippets.get("base_path", ["."])
    ]
    for name in snippets.get("auto_append", []):
        for base in bases:
            if (base / name).is_file():
                salt.update((base / name).read_bytes())
                break
    return salt.hexdigest()


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8, its line ends as they are), and the
    folders it is in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")


def utf8_size(text: str) -> int:
    """The bytes of ``text`` in UTF-8 (invalid surrogates as one each)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "replace"))


class BlockPages:
    """The build's pages as the blocks need them: each page by URI, its headings,
    the placeholders of its blocks, and the drawings deferred from it until it is
    written (search indexes ``page.content`` without them)."""

    def __init__(
        self,
        memo: render.Memo,
        salt: str,
        enabled: bool,
        write: Callable[[Path, str], None] | None = None,
    ) -> None:
        self.memo = memo
        self.salt = salt
        self.enabled = enabled
        self.write = write or write_text
        """How a data file is written into the site (``serve.LastGoodSite.write``
        under serve: linked from the last site when it has the same text)."""
        self.pages: dict[str, Page] = {}
        self.headings: dict[str, list[str]] = {}
        self.deferred: dict[str, dict[str, str]] = {}
        self.data: dict[str, dict[str, str]] = {}
        """Each page's figures' data files (``render.data_file``): name, CSV."""

    def open(self, page: Page, markdown: str) -> BlockPage:
        """Start converting ``page``: its blocks are numbered from here on."""
        self.pages[page.file.src_uri] = page
        # What of the page can change a block's HTML: its headings (the ids of the
        # headings a block prints are made unique against them), not its prose.
        self.headings[page.file.src_uri] = list(headings(markdown))
        return BlockPage(page.file.src_uri, markdown)

    def place(self, blocks: list[Submitted], notebooks: dict[str, File | None]) -> None:
        """Put each block's HTML in place of its placeholder (``notebooks``: each
        snippet's notebook page, by name). Rendered once under ``mkdocs serve``: a
        block whose code, options and results are unchanged is not rendered again."""
        for submitted in blocks:
            block, results = submitted.block, submitted.results()
            page = self.pages[block.page]
            notebook = notebooks.get(block.name)
            url = notebook.url_relative_to(page.file) if notebook else ""
            key = (self.salt, *self.headings[block.page], block.prefix, url)
            key += (block.code, repr(block.options), *(r.digest for r in results))
            make = functools.partial(self._render, submitted, results, url)
            html, deferred = self.memo.get(key, make)
            page.content = (page.content or "").replace(submitted.placeholder, html, 1)
            self.deferred.setdefault(block.page, {}).update(deferred)
            files = self.data.setdefault(block.page, {})
            for result in results:
                for figure in result.figures:
                    if name := render.data_file(figure):
                        files[name] = figure["data"]
        self.memo.next_build()

    def check_sizes(self, limit_kb: int) -> None:
        """Raise PageError naming every page whose HTML (the theme's aside) is
        over ``limit_kb``, before any page is written."""
        found = []
        for uri, page in self.pages.items():
            parts = [page.content or "", *self.deferred.get(uri, {}).values()]
            if sum(map(len, parts)) * 4 <= limit_kb * 1024:
                continue  # under the limit in UTF-8 (4 bytes a character at most)
            size = sum(map(utf8_size, parts)) / 1024
            if size > limit_kb:
                found.append(
                    f"{uri}: the page is {size:,.0f} KB, more than the limit of "
                    f"{limit_kb:,} KB (page_kb in the configuration)"
                )
        if found:
            raise PageError("\n".join(found))

    def _render(
        self, submitted: Submitted, results: list[Result], url: str
    ) -> render.Rendered:
        deferred: dict[str, str] = {}
        try:
            html = render.block(
                submitted.block,
                results,
                submitted.md,
                enabled=self.enabled,
                notebook_url=url,
                deferred=deferred,
            )
        except SnippetExecError as error:
            raise PluginError(str(error)) from error
        return html, deferred

    def written(self, output: str, page: Page) -> str:
        """A written page with its drawings put back (``render.figure_html``);
        the data files its figures link to are written beside it."""
        deferred = self.deferred.get(page.file.src_uri)
        output = render.put_back(output, deferred) if deferred else output
        folder = Path(page.file.abs_dest_path).parent
        for name, data in self.data.get(page.file.src_uri, {}).items():
            if f'href="{name}"' in output:
                self.write(folder / name, data)
        return output

    def showing(self, name: str, blocks: list[Submitted]) -> dict[str, Page]:
        """The pages that show the snippet ``name``, by URI."""
        return {
            s.block.page: self.pages[s.block.page]
            for s in blocks
            if s.block.name == name
        }


class SnippetExecPlugin(BasePlugin[SnippetExecConfig]):
    """Executes Python blocks in isolation, with a time limit and a cache."""

    def __init__(self) -> None:
        super().__init__()
        self.serving = False
        self.last_good = serve.LastGoodSite()
        self.search_entries = serve.SearchEntries()
        self.rendered = render.Memo()
        self.conversions = reuse.Conversions(self.format_block)
        self.layouts = reuse.Layouts()
        self.theme_listing = reuse.ThemeListing()
        self.templates: dict[str, bytes] = {}
        """Compiled templates, kept across ``mkdocs serve``'s rebuilds."""
        self.executed: set[str] = set(PYTHON)
        """The languages whose fences are run: python's, and markdown-exec's."""

    # -- set-up ------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keep this plugin (and its fork server) across ``mkdocs serve`` rebuilds."""
        self.serving = command == "serve"

    def on_shutdown(self) -> None:
        """End what a Ctrl-C left (under serve it ends a rebuild with no build
        hook called): the build's runs and their temporary folder, the site set
        aside (or being deleted), the fork server."""
        if hasattr(self, "session"):
            self.session.cancel()
            self.session.close()
        self.last_good.forget()
        executors.close_all()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Read the settings; declare the fence for python blocks."""
        try:
            self.settings = SiteSettings.from_mapping(self.config)
        except SnippetExecError as error:
            raise PluginError(str(error)) from error
        exec_plugin = config.plugins.get("markdown-exec")
        others = set(exec_plugin.config.languages) if exec_plugin else set()
        if PYTHON & others:
            raise PluginError(
                "snippet-exec runs the python blocks: give markdown-exec a "
                "'languages' list without python and py"
            )
        self.executed = set(PYTHON) | others
        fence.declare(config.mdx_configs, self.format_block)
        progress.quiet()  # mkdocs-jupyter's lines per notebook: with --verbose only
        self.markdown_salt = markdown_salt(config)
        self.root = Path(config.config_file_path).resolve().parent
        self.work_dir = self.root / self.settings.work_dir
        NotebookPages.configure(config, self.work_dir)
        if self.serving:
            self.theme_listing.wrap(config.theme, config)
        return config

    @event_priority(100)  # before mkdocs-jupyter's, which wraps the notebook files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the times page and the notebook pages."""
        settings = self.settings
        times.add(files, config, settings.times_page, settings.times_note)
        if settings.notebooks_dir and "mkdocs-jupyter" in config.plugins:
            self.notebooks.add_files(files, config, self.snippets)
        return files

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Read the snippets (once a build); start the build's session."""
        self.snippets = Snippets(self.root, self.root / self.settings.snippets_dir)
        if self.serving:
            self.last_good.set_aside(Path(config.site_dir))
            search = config.plugins.get("material/search")
            if index := getattr(search, "search_index", None):
                self.search_entries.wrap(index)
            self.conversions.next_build(config, self.markdown_salt)
            self.layouts.next_build(config)
        self.page = BlockPage()
        self.pages = BlockPages(
            self.rendered,
            self.markdown_salt,
            self.settings.enabled,
            self.last_good.write if self.serving else None,
        )
        self.reported: list[str] = []
        self.tests: dict[str, claims.Test] | None = None
        self.notebooks = NotebookPages(
            self.root, self.work_dir, self.settings.notebooks_dir
        )
        try:
            self.snippets.check()
            self.session = Session.start(
                self.settings, self.root, ignore=[Path(config.site_dir)]
            )
        except SnippetExecError as error:
            raise PluginError(str(error)) from error
        if self.serving and self.session.runner is not None:
            self.session.runner.prepare()  # the first edit's runs find it ready

    # -- blocks ------------------------------------------------------------------

    def on_page_markdown(self, markdown: str, *, page: Page, **kwargs: Any) -> None:
        """Number the page's blocks from here on, and know them as written; stop
        at fences that nothing would run and ids used twice."""
        if problems := page_problems(page.file.src_uri, markdown, self.executed):
            raise PluginError(str(PageError("\n".join(problems))))
        self.page = self.pages.open(page, markdown)
        if self.serving:
            self.conversions.wrap(page)

    def format_block(
        self,
        source: str,
        language: str,
        css_class: str,
        options: dict[str, Any],
        md: Markdown,
        **kwargs: Any,
    ) -> str:
        """The fence's formatter: submit the block; leave a placeholder."""
        number, written = self.page.next(options)
        block = prepare(
            source,
            options,
            snippets=self.snippets,
            timeout=self.settings.timeout,
            page=self.page.uri,
            number=number,
            written=written,
        )
        placeholder = self.session.add(block, md).placeholder
        return self.conversions.formatted(
            (source, language, css_class, options, md), placeholder
        )

    def wait(self, futures: Iterable[Future[Result]] | None = None) -> None:
        """Wait for runs; on failure, log every failure known and stop the build."""
        try:
            self.session.wait(futures)
        except BuildFailure as failed:
            self.reported = [str(error) for error in failed.failures]
            for failure in self.reported:
                log.error(failure)
            raise PluginError(str(failed)) from failed

    # -- notebooks ---------------------------------------------------------------

    @event_priority(100)  # the notebook must exist before mkdocs-jupyter reads it
    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> None:
        """Write a notebook page's notebook, with outputs, before it is rendered (a
        failed run stops the build once every page is read, in ``on_env``)."""
        try:
            self.notebooks.make(page, self.snippets, self.session)
        except RunFailure as error:
            raise PluginError(str(error)) from error

    def _link_claims(self, html: str, *, page: Page, **kwargs: Any) -> str:
        """Make the page's claim marks open their tests (see ``claims``); the tests'
        sources go in at the end of the page once search has indexed it, as the
        figures do."""
        if "test:" not in html:
            return html
        config: MkDocsConfig = kwargs["config"]
        tests = self.root / self.settings.tests_dir
        urls = config.repo_url, config.edit_uri
        if self.tests is None:  # once a build, for all its pages
            self.tests = claims.find_tests(tests, self.root)
        try:
            html, sources = claims.link(
                html, page.file.src_uri, tests, self.root, urls, self.tests
            )
        except PageError as error:
            raise PluginError(str(error)) from error
        if not sources:
            return html
        deferred = self.pages.deferred.setdefault(page.file.src_uri, {})
        return html + "\n" + render.defer(sources, "snippet-exec-claims", deferred)

    def _notebook_content(self, html: str, *, page: Page, **kwargs: Any) -> str:
        """Head a notebook page (see ``NotebookPages.content``)."""
        docs = Path(kwargs["config"].docs_dir)
        blocks = self.session.blocks
        shown_on = functools.partial(self.pages.showing, blocks=blocks)
        deferred = self.pages.deferred.setdefault(page.file.src_uri, {})
        return self.notebooks.content(
            html, page, docs, self.snippets, shown_on, deferred
        )

    on_page_content = CombinedEvent(_link_claims, _notebook_content)

    # -- results -----------------------------------------------------------------

    def _cache_templates(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Keep the theme's compiled templates across builds (``templates``)."""
        env.bytecode_cache = TemplateCache(self.work_dir / "templates", self.templates)
        if self.serving:  # and each page's layout (``reuse``)
            env.get_template = self.layouts.wrap(env.get_template)
        return env

    def _link_copies(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Under serve, link the static files from the last good site where they
        are unchanged (``serve.LastGoodSite.link_copies``), not copy them."""
        if self.serving:
            self.last_good.link_copies(files)
        return env

    def _render_blocks(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Wait for every run; put each block's HTML in its page."""
        self.wait()
        if self.session.runner is not None:
            self.session.summary()
        notebooks = {
            self.snippets.name(path): files.get_file_from_path(uri)
            for uri, path in self.notebooks.snippets.items()
        }
        self.pages.place(self.session.blocks, notebooks)
        try:
            self.pages.check_sizes(self.settings.page_kb)
        except PageError as error:
            raise PluginError(str(error)) from error
        return env

    def _fill_times(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Fill in the Execution times page."""
        runs = self.session.results() if self.session.runner is not None else None
        times.fill(files, self.settings.times_page, runs)
        return env

    on_env = CombinedEvent(_cache_templates, _link_copies, _render_blocks, _fill_times)

    # -- the end of a build ------------------------------------------------------

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Put the figures' drawings into the written page."""
        return self.pages.written(output, page)

    def _write_styles(self, *, config: MkDocsConfig) -> None:
        """Write the notebook pages' shared stylesheets."""
        self.notebooks.write_styles(Path(config.site_dir))

    def _end_session(self, *, config: MkDocsConfig) -> None:
        """Close the session; evict what no build used (not under serve: a
        rebuild after an edit uses part of the site, so keep the rest)."""
        if self.serving:
            self.last_good.built()
        self.session.close()
        if not self.serving:
            self.session.evict()

    on_post_build = CombinedEvent(_write_styles, _end_session)

    def on_build_error(self, *, error: Exception) -> None:
        if hasattr(self, "session"):
            self.session.cancel()
            self.session.close()

    # -- mkdocs serve ------------------------------------------------------------

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Watch the snippets and the engine; keep serving the last good site when
        a rebuild fails."""
        snippets = self.root / self.config.snippets_dir
        # Every folder first (the configuration's watch list too, which MkDocs
        # watches after this hook: it finds them watched), then how they are
        # watched: a kernel that cannot watch them all falls back to looking.
        watched = [snippets, identity.PACKAGE_DIR, *map(Path, config.watch)]
        serve.watch(server, watched)
        serve.watch_changes(server)
        server.builder = self.last_good.guard(builder, lambda: self.reported)
        return server
