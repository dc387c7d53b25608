"""The MkDocs plugin around the fence (``snippet_exec.fence``): the build's lifecycle.

The fence alone runs each block where it stands, one after the other. The plugin
adds what needs the whole build:

1. While pages are converted, each block is checked and submitted to the
   ``Runner`` (a cache hit, a resumed run or a full one, ``jobs`` at a time), and a
   placeholder is left in the page.
2. Once every page is converted (``on_env``), it waits for the results. The first
   failure cancels the queued runs and ends the running ones, and the build stops
   there, before any page is written, naming every failed block: its page, its
   snippet and the snippet's line. Otherwise each block is rendered in place of
   its placeholder, the log gets one line per run and a summary, and the
   "Execution times" page is filled in.
3. Every example snippet (not the ``_helpers``) is also a notebook page: the
   plugin writes the notebook, with the outputs of the snippet's one run, for
   mkdocs-jupyter (``execute: false``) to render; event priorities make the
   plugin's steps come before mkdocs-jupyter's, whatever the order in the config.
4. Under ``mkdocs serve``: the snippets and the engine are watched too; the fork
   server lives across rebuilds; and a rebuild that fails leaves the last good site
   served, with a banner saying why, until the next good edit.

With ``enabled: false`` nothing runs: blocks show their source and a note where
the output would be, and the notebook pages have no outputs (same pages, same nav).
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import logging
import math
import os
import re
import shutil
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urljoin

import jinja2
import jinja2.bccache
from markdown import Markdown
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from snippet_exec import (
    claims,
    fence,
    identity,
    pages,
    process,
    remote,
    spread,
    variants,
    whatif,
)
from snippet_exec import notebook as notebook_module
from snippet_exec import render as render_module
from snippet_exec.cache import Cache, RemoteStore, Store, evict, store_at
from snippet_exec.engine import Job, Runner, Settings
from snippet_exec.notebook import helpers, make_notebook, title
from snippet_exec.options import OptionError
from snippet_exec.render import figure_html, put_back, render
from snippet_exec.result import Limits, Result

log = logging.getLogger("mkdocs.plugins.snippet_exec")

NOTEBOOK_WRITERS = (Path(notebook_module.__file__), Path(render_module.__file__))
TIMES_MARK = '<div class="snippet-exec-times"></div>'


class Seconds(config_options.Type):
    """A positive, finite number of seconds."""

    def __init__(self, default: float) -> None:
        super().__init__((int, float), default=default)

    def run_validation(self, value: object) -> float:
        value = super().run_validation(value)
        if not math.isfinite(value) or value <= 0:
            raise config_options.ValidationError(
                f"must be a positive, finite number of seconds, not {value!r}"
            )
        return float(value)


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """The theme's templates, compiled: in this process's memory and in a folder.

    MkDocs makes a new template environment for every build, so every build (and
    every rebuild of ``mkdocs serve``) compiled Material's templates again: about
    a fifth of a warm build. Jinja checks each compiled template against its
    source, so an edited template is compiled again."""

    memory: ClassVar[dict[str, bytes]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (data := self.memory.get(bucket.key)) is not None:
            bucket.bytecode_from_string(data)
            if bucket.code is not None:
                return
        super().load_bytecode(bucket)
        if bucket.code is not None:
            self.memory[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.memory[bucket.key] = bucket.bytecode_to_string()
        super().dump_bytecode(bucket)


def for_page(figure: dict[str, Any], number: int) -> dict[str, str]:
    """A figure as a notebook page shows it: as the concept pages do."""
    return {
        "text/html": figure_html(figure, f"nb{number}"),
        "text/plain": figure["alt"],
    }


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


def usable(option: str, folder: Path) -> None:
    """Raise a PluginError naming ``option`` if ``folder`` cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise PluginError(
            f"snippet-exec's {option} ({folder}) is not a folder it can write in: "
            f"{error}"
        ) from None


class SnippetExecConfig(Config):
    """Options of the ``snippet-exec`` plugin in the configuration file."""

    enabled = config_options.Type(bool, default=True)
    """Execute blocks; when false, blocks show their source only."""
    timeout = Seconds(default=120)
    """Seconds a block may run; a block overrides it with ``timeout="600"``."""
    jobs = config_options.Type(int, default=0)
    """Blocks executed at once; 0 means one per core."""
    force = config_options.Type(bool, default=False)
    """Execute every block, ignoring cached results and checkpoints."""
    incremental = config_options.Type(bool, default=True)
    """Resume a run from the state after its last unchanged cell, when saved."""
    start_method = config_options.Choice(
        ("auto", "forkserver", "spawn"), default="auto"
    )
    """How runs start: forked from a preloaded server, or a new interpreter each."""
    executor = config_options.Type(str, default="local")
    """Where runs happen: local, or dask://host:port (a Dask scheduler's address)."""
    cache_dir = config_options.Type(str, default=".snippet-exec/cache")
    """Where results are cached: a folder (from the configuration file's), or a URL
    fsspec reaches (s3://bucket/cache), e.g. a cache CI fills for everyone."""
    cache_readonly = config_options.Type(bool, default=False)
    """Read the cache, never write to it (this machine's runs go to work_dir)."""
    work_dir = config_options.Type(str, default=".snippet-exec")
    """Local files: checkpoints, the notebooks written for mkdocs-jupyter."""
    evict_after_days = config_options.Type((int, float), default=30)
    """Cache entries no build used for this long are deleted after a build."""
    output_kb = config_options.Type(int, default=Limits.output_kb)
    figure_kb = config_options.Type(int, default=Limits.figure_kb)
    explore_kb = config_options.Type(int, default=Limits.explore_kb)
    memory_mb = config_options.Type(int, default=Limits.memory_mb)
    snippets_dir = config_options.Type(str, default="snippets")
    """Where the example scripts live, relative to the configuration file."""
    times_page = config_options.Type(str, default="execution-times.md")
    """The generated page that lists every run's time."""
    tests_dir = config_options.Type(str, default="tests")
    """Where the tests that claim marks name live (see ``claims``)."""
    notebooks_dir = config_options.Type(str, default="notebooks")
    """Where the notebook pages go (with mkdocs-jupyter); an empty value makes none."""


HEADING = re.compile(r"^(?:#.*|=+|-+)\s*$", re.MULTILINE)
"""A Markdown heading line, or a setext heading's underline."""


@dataclass
class PageBlock:
    """One block of one page, waiting for its results."""

    block: fence.Block
    page: Page
    md: Markdown
    number: int
    futures: list[Future[Result]] = field(default_factory=list)

    @property
    def placeholder(self) -> str:
        return f'<div class="snippet-exec-block" data-block="{id(self)}"></div>'


class SnippetExecPlugin(BasePlugin[SnippetExecConfig]):
    """Executes Python blocks in isolation, with a time limit and a cache."""

    serving = False

    def __init__(self) -> None:
        super().__init__()
        self.rendered: dict[tuple, tuple[str, dict[str, str]]] = {}
        """Blocks rendered by the last build, by what their HTML depends on."""

    # -- set-up ----------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keeps this plugin (and its fork server) across ``mkdocs serve`` rebuilds."""
        self.serving = command == "serve"

    def on_shutdown(self) -> None:
        process.close_all()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        exec_plugin = config.plugins.get("markdown-exec")
        if exec_plugin and {"python", "py"} & set(exec_plugin.config.languages):
            raise PluginError(
                "snippet-exec runs the python blocks: give markdown-exec a "
                "'languages' list without python and py"
            )
        fences = config.mdx_configs.setdefault("pymdownx.superfences", {})
        custom = fences.setdefault("custom_fences", [])
        custom[:] = [f for f in custom if f.get("name") not in {"python", "py"}]
        for language in ("python", "py"):
            custom.append(
                {
                    "name": language,
                    "class": language,
                    "validator": fence.validator,
                    "format": self.format_block,
                }
            )
        self.markdown_salt = markdown_salt(config)
        self.root = Path(config.config_file_path).resolve().parent
        self.work_dir = self.root / self.config.work_dir
        jupyter = config.plugins.get("mkdocs-jupyter")
        if jupyter is not None:
            jupyter.config["cache_dir"] = str(self.work_dir / "mkdocs-jupyter")
        self.limits = Limits(
            output_kb=self.config.output_kb,
            figure_kb=self.config.figure_kb,
            explore_kb=self.config.explore_kb,
            memory_mb=self.config.memory_mb,
        )
        return config

    @event_priority(100)  # before mkdocs-jupyter's, which wraps the notebook files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        front_matter = "---\nsearch:\n  exclude: true\n---\n\n"
        note = (
            "The examples ran with scikit-learn's input checks switched off "
            "(`skip_parameter_validation` and `assume_finite`), which makes its "
            "training loops faster and changes no result; a copied example runs "
            "with them on, as the site's notebook tests do."
        )
        content = f"{front_matter}# Execution times\n\n{note}\n\n{TIMES_MARK}\n"
        files.append(File.generated(config, self.config.times_page, content=content))
        self.snippets = fence.Snippets(self.root, self.root / self.config.snippets_dir)
        self.notebooks: dict[str, Path] = {}
        self.helpers: dict[Path, list[Path]] = {}
        """The helper modules each notebook's snippet imports, offered beside it."""
        if not (self.config.notebooks_dir and "mkdocs-jupyter" in config.plugins):
            return files
        folder = self.config.notebooks_dir
        # Real files, not File.generated: mkdocs-jupyter reads the notebook from
        # abs_src_path, which its wrapper derives from src_dir.
        src_dir = str(self.work_dir / "notebooks")
        index = [
            "# Notebooks",
            "",
            "Every example on this site, as a notebook, in the order the pages show "
            "them.",
            "",
        ]
        ignored = config.plugins["mkdocs-jupyter"].config["ignore"]
        for path in self.reading_order(config, files):
            stem = path.relative_to(self.snippets.folder).with_suffix("").as_posix()
            uri = f"{folder}/{stem}.ipynb"
            self.notebooks[uri] = path
            files.append(File(uri, src_dir, config.site_dir, config.use_directory_urls))
            notebook = self.work_dir / "downloads" / f"{stem}.ipynb"
            text = "\n".join(self.snippets.texts[path])
            self.helpers[path] = helpers(text, path.parent)
            downloads = [path, notebook, *self.helpers[path]]
            for source in downloads:
                download = f"{folder}/{stem}/{source.name}"
                files.append(File.generated(config, download, abs_src_path=str(source)))
            # The downloadable notebook is a file to copy, not a page to render.
            ignored.append(notebook.relative_to(self.work_dir).as_posix())
            index.append(f"- [{title(text) or path.name}]({stem}.ipynb)")
        content = "\n".join(index) + "\n"
        files.append(File.generated(config, f"{folder}/index.md", content=content))
        return files

    def reading_order(self, config: MkDocsConfig, files: Files) -> list[Path]:
        """The example snippets (not the ``_helpers``), in the order a reader meets
        them: page by page as the navigation lists them, block by block; those no
        page shows come last."""
        pages = {f.src_uri: f for f in files.documentation_pages()}
        nav: list[str] = []

        def walk(items: Any) -> None:
            for item in items if isinstance(items, list) else [items]:
                if isinstance(item, dict):
                    for value in item.values():
                        walk(value)
                elif isinstance(item, str) and item in pages:
                    nav.append(item)

        walk(config.nav or list(pages))
        order: list[Path] = []
        for uri in nav:
            for written in fence.fences(pages[uri].content_string):
                for include in written.includes:
                    path = self.root / include
                    if path in self.snippets.texts and path not in order:
                        order.append(path)
        rest = sorted(set(self.snippets.texts) - set(order))
        return [p for p in order + rest if not p.name.startswith("_")]

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        snippets = fence.Snippets(self.root, self.root / self.config.snippets_dir)
        if snippets.errors:
            raise PluginError(
                "\n".join(
                    f"{snippets.name(p)}: {e}" for p, e in snippets.errors.items()
                )
            )
        self.blocks: list[PageBlock] = []
        self.page: Page | None = None
        self.fences: list[fence.Fence] = []
        self.notebook_runs: dict[str, Future[Result]] = {}
        self.failures: list[str] = []
        self.styles: dict[str, str] = {}
        self.page_markdown: dict[str, str] = {}
        self.deferred: dict[str, dict[str, str]] = {}
        self.reported: list[str] = []
        self.runs: dict[str, tuple[str, str]] = {}
        """Every run, by key: the page that first asked for it, and its name."""
        if self.serving:
            self._set_aside(Path(config.site_dir))
        if not self.config.enabled:
            return
        store = store_at(self.config.cache_dir, self.root)
        usable("work_dir", self.work_dir)
        if not self.config.cache_readonly and not isinstance(store, RemoteStore):
            usable("cache_dir", store.directory)
        local = Store(self.work_dir / "cache") if self.config.cache_readonly else None
        executor = self._executor()
        jobs = getattr(executor, "jobs", os.cpu_count() or 1)
        settings = Settings(
            root=self.root,
            cache=Cache(store, self.limits, not self.config.cache_readonly, local),
            work_dir=self.work_dir,
            jobs=self.config.jobs or jobs,
            force=self.config.force,
            incremental=self.config.incremental,
            limits=self.limits,
            ignore=(self.work_dir, Path(config.site_dir)),
        )
        self.runner = Runner(settings, executor)

    def _executor(self) -> Any:
        """Where runs happen: this machine's launcher, or a Dask cluster."""
        where = self.config.executor
        if where == "local":
            return process.launcher_for(self.config.start_method)
        if where.startswith("dask://"):
            try:
                return remote.executor_for("tcp://" + where.removeprefix("dask://"))
            except remote.ClusterError as error:
                raise PluginError(f"snippet-exec's executor: {error}") from None
        raise PluginError(
            f"snippet-exec's executor must be local or dask://host:port, not {where!r}"
        )

    # -- blocks ----------------------------------------------------------------

    def on_page_markdown(self, markdown: str, *, page: Page, **kwargs: Any) -> None:
        self.page = page
        self.page_markdown[page.file.src_uri] = markdown
        self.fences = fence.fences(markdown)
        self.count = 0

    def format_block(
        self,
        source: str,
        language: str,
        css_class: str,
        options: dict,
        md: Markdown,
        **kwargs: Any,
    ) -> str:
        """The superfences formatter: check and submit the block; leave a
        placeholder."""
        assert self.page is not None, "a block outside any page"
        self.count += 1
        block_id = options.get("snippet_exec").id if options.get("snippet_exec") else ""
        written = [f for f in self.fences if block_id and f.id == block_id]
        if not written and self.count <= len(self.fences):
            written = [self.fences[self.count - 1]]
        block = fence.prepare(
            source,
            options,
            snippets=self.snippets,
            timeout=self.config.timeout,
            page=self.page.file.src_uri,
            number=self.count,
            written=written[0] if written else None,
        )
        page_block = PageBlock(block, self.page, md, self.count)
        self.blocks.append(page_block)
        if block.error:
            self.failures.append(f"{block.title}: {block.error}")
        elif self.config.enabled:
            for job, values in zip(block.jobs, block.values, strict=True):
                variant = ", ".join(f"{k}={v!r}" for k, v in values.items())
                name = block.name + (f" [{variant}]" if variant else "")
                future = self._submit(job, self.page.file.src_uri, name)
                page_block.futures.append(future)
        return page_block.placeholder

    def _submit(self, job: Job, page: str, name: str) -> Future[Result]:
        future = self.runner.submit(job)
        self.runs.setdefault(self.runner.key(job), (page, name))
        return future

    def _await(self, futures: list[Future[Result]]) -> None:
        """Wait for ``futures``; at the first failure among all the build's runs,
        cancel the rest and stop the build, naming every failure known."""
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            if any(future.result().failure for future in done):
                break
        failures = self._failures()
        if failures:
            self.runner.cancel()
            self.reported = failures
            for failure in failures:
                log.error(failure)
            raise PluginError(
                f"{len(failures)} block(s) failed, before any page was written; "
                "see the errors above"
            )

    def _failures(self) -> list[str]:
        """Every failure known now: options, and finished runs (each run once)."""
        found = list(self.failures)
        seen: set[int] = set()
        for page_block in self.blocks:
            block = page_block.block
            for values, future in zip(block.values, page_block.futures, strict=False):
                if future.done() and id(future) not in seen:
                    seen.add(id(future))
                    result = future.result()
                    if result.failure:
                        found.append(fence.failure_message(block, values, result))
        for uri, future in self.notebook_runs.items():
            if future.done() and id(future) not in seen:
                seen.add(id(future))
                if future.result().failure:
                    name = self.snippets.name(self.notebooks[uri])
                    found.append(f"{uri}: {name} failed: {future.result().failure}")
        return found

    # -- notebooks ---------------------------------------------------------------

    @event_priority(100)  # the notebook must exist before mkdocs-jupyter reads it
    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> None:
        """Write a notebook page's notebook, with outputs, before it is rendered.

        Notebook pages come after the Markdown pages, whose blocks have all been
        submitted by then: the snippet's result is shared, not run again.
        """
        snippet = self.notebooks.get(page.file.src_uri)
        if snippet is None:
            return
        code = "\n".join(self.snippets.texts[snippet]) + "\n"
        result = Result()
        if self.config.enabled:
            job = Job(code, snippet, timeout=self.config.timeout)
            future = self._submit(job, page.file.src_uri, self.snippets.name(snippet))
            self.notebook_runs[page.file.src_uri] = future
            self._await([future])
            result = future.result()
        # Two notebooks: the page's, whose figures are the site's (inline SVG that
        # follows the palette, alt text from the data), and the downloaded one
        # (PNG and SVG). Made again only when what they are made of changed.
        target = Path(page.file.abs_src_path)
        stem = Path(page.file.src_uri).relative_to(self.config.notebooks_dir)
        download = self.work_dir / "downloads" / stem
        writers = "".join(p.read_text(encoding="utf-8") for p in NOTEBOOK_WRITERS)
        made_of = (code, result.digest, writers)
        stamp = hashlib.sha256(repr(made_of).encode()).hexdigest()
        stamp_file = target.with_suffix(".stamp")
        fresh = target.is_file() and download.is_file() and stamp_file.is_file()
        if fresh and stamp_file.read_text(encoding="utf-8") == stamp:
            return
        made = (code, result.markdown, result.cell_ends, result.figures)
        try:
            shown = make_notebook(*made, bundle=for_page)
            downloaded = make_notebook(*made)
        except SyntaxError as error:
            raise PluginError(f"{self.snippets.name(snippet)}: {error}") from None
        for path, text in ((target, shown), (download, downloaded)):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        stamp_file.write_text(stamp, encoding="utf-8")

    def on_page_content(self, html_content: str, *, page: Page, **kwargs: Any) -> str:
        """Head a notebook page with its downloads and the pages that show it,
        and link the styles every notebook page shares (``pages.share_styles``).

        Notebook pages are also kept out of the search index (as front matter
        ``search: exclude: true`` would): they repeat the concept pages' examples.
        """
        if "test:" in html_content:
            html_content = self._claims(html_content, page, kwargs["config"])
        snippet = self.notebooks.get(page.file.src_uri)
        if page.file.generated_by or snippet is not None:
            page.edit_url = self._edit_url(
                page, snippet, Path(kwargs["config"].docs_dir)
            )
        if snippet is None:
            return html_content
        page.meta["search"] = {"exclude": True}
        name = self.snippets.name(snippet)
        shown_on = {
            b.page.file.src_uri: b.page for b in self.blocks if b.block.name == name
        }
        links = ", ".join(
            f'<a href="{html.escape(shown.file.url_relative_to(page.file))}">'
            f"{html.escape(shown.title or uri)}</a>"
            for uri, shown in sorted(shown_on.items())
        )
        stem = snippet.stem
        header = (
            '<div class="admonition info"><p class="admonition-title">This notebook</p>'
            f"<p>The example <code>{html.escape(name)}</code>"
            + (f", shown on {links}" if links else "")
            + ". Its outputs are those of the site's build. Download it as "
            f'<a href="{stem}.ipynb" download>a notebook ({stem}.ipynb)</a> or as '
            f'<a href="{snippet.name}" download>a script ({snippet.name})</a>.'
            + "".join(
                f' It imports <a href="{h.name}" download>{h.name}</a>: keep it in the'
                " same folder."
                for h in self.helpers.get(snippet, [])
            )
            + "</p></div>"
        )
        folder = get_relative_url(f"{self.config.notebooks_dir}/assets", page.url)
        return header + pages.share_styles(html_content, folder, self.styles)

    def _claims(self, html_content: str, page: Page, config: MkDocsConfig) -> str:
        """The page with its claim marks linked to their tests (see ``claims``)."""
        tests = claims.find_tests(self.root / self.config.tests_dir, self.root)
        blob = None
        parts = (config.edit_uri or "").strip("/").split("/")
        if config.repo_url and parts[0] == "edit" and len(parts) > 1:
            blob = f"{config.repo_url.rstrip('/')}/blob/{parts[1]}/"
        try:
            return claims.render(html_content, tests, blob)
        except KeyError as error:
            raise PluginError(
                f"{page.file.src_uri}: a claim mark names the test {error.args[0]}, "
                f"which {self.config.tests_dir}/ does not have"
            ) from None

    def _edit_url(self, page: Page, source: Path | None, docs: Path) -> str | None:
        """Where to edit what a generated page is made from: a notebook page's
        snippet; nothing, for a page made from no file of the repository."""
        if source is None or not page.edit_url:
            return None
        base = page.edit_url.removesuffix(page.file.src_uri)  # the edit URL of docs/
        depth = len(docs.resolve().relative_to(self.root).parts)
        return urljoin(base, "../" * depth + self.snippets.name(source))

    # -- results ---------------------------------------------------------------

    def _render(
        self, page_block: PageBlock, results: list[Result], notebook: File | None
    ) -> tuple[str, dict[str, str]]:
        """The block's HTML, with a link to its notebook, and its figures' drawings
        (see ``render.figure_html``). Kept across ``mkdocs serve``'s rebuilds: a
        block whose code, options and result are unchanged is rendered once."""
        block = page_block.block
        prefix = fence.prefix(block, page_block.number)
        url = ""
        if notebook is not None:
            url = html.escape(notebook.url_relative_to(page_block.page.file))
        # What of the page can change a block's HTML: its headings (the ids of the
        # headings a block prints are made unique against them), not its prose.
        page = HEADING.findall(self.page_markdown.get(page_block.page.file.src_uri, ""))
        key = (self.markdown_salt, *page, prefix, url, block.code, repr(block.options))
        key += tuple(result.digest for result in results)
        if key in self.rendered:
            self.rendering[key] = self.rendered[key]
            return self.rendered[key]
        deferred: dict[str, str] = {}
        if not self.config.enabled:
            note = "*Output not computed: execution is switched off in this build.*\n"
            rendered = render(
                block.code, note, [], block.options, page_block.md, prefix
            )
        else:
            result = results[0]
            if block.options.explore and not any(
                f.get("explore") for f in result.figures
            ):
                raise PluginError(
                    f'{block.title}: explore="1" but the snippet draws no labelled '
                    "line to explore"
                )
            try:
                figures, extra = spread.show(
                    block.options, block.code, results, block.values
                )
            except OptionError as error:
                raise PluginError(f"{block.title}: option error: {error}") from None
            if block.options.control:
                rendered = self._what_if(page_block, results, prefix, deferred)
            else:
                rendered = render(
                    block.code,
                    result.markdown,
                    figures,
                    block.options,
                    page_block.md,
                    prefix,
                    deferred,
                )
            rendered += extra
        about = []
        if results:  # as scikit-learn's gallery does: what running it took
            about.append(f"This example ran in {results[0].seconds:.1f} s")
            # A variant with the snippet's own values is the same run, made once.
            others = {r.digest: r for r in results[1:] if r.digest != results[0].digest}
            if others:
                total = sum(result.seconds for result in others.values())
                count = f"{len(others)} variant{'s' if len(others) > 1 else ''}"
                about[-1] += f"; its {count}, in {total:.1f} s"
            about[-1] += " when the site was built."
        if url:
            about.append(
                f'<a href="{url}">Open this example as a notebook</a> (with downloads).'
            )
        if about:
            rendered += f'<p class="snippet-exec-notebook">{" ".join(about)}</p>'
        self.rendering[key] = rendered, deferred
        return rendered, deferred

    def _what_if(
        self,
        page_block: PageBlock,
        results: list[Result],
        prefix: str,
        deferred: dict[str, str],
    ) -> str:
        """A block with a control: its source as usual, and as its output one panel
        per run, which the control switches between (see ``whatif``)."""
        block = page_block.block
        alone = dataclasses.replace(block.options, source="", title="", id="")

        def output(index: int, panel: str) -> str:
            figures, _ = spread.show(
                block.options, block.code, results, block.values, run=index
            )
            markdown = results[index].markdown
            return render("", markdown, figures, alone, page_block.md, panel, deferred)

        names = [name for name, _ in block.options.vary]
        try:
            panels = whatif.control(
                block.options.control,
                prefix,
                block.options.vary,
                variants.defaults(block.code, names),
                block.values,
                output,
            )
        except (OptionError, ValueError) as error:
            raise PluginError(f"{block.title}: option error: {error}") from None
        mark = f'<div class="snippet-exec-whatif-{uuid.uuid4().hex}"></div>'
        md = page_block.md
        text = f"\n\n{mark}\n\n"
        source = render(block.code, text, [], block.options, md, prefix, deferred)
        return source.replace(mark, panels, 1)

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        templates = self.work_dir / "templates"
        templates.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = TemplateCache(str(templates))
        if self.failures:
            self.reported = self.failures
            for failure in self.failures:
                log.error(failure)
            if self.config.enabled:
                self.runner.cancel()
            raise PluginError(
                f"{len(self.failures)} block(s) failed, before any page was written; "
                "see the errors above"
            )
        if self.config.enabled:
            self._await([f for b in self.blocks for f in b.futures])
            self._log_runs()
        notebooks = {
            self.snippets.name(path): files.get_file_from_path(uri)
            for uri, path in self.notebooks.items()
        }
        self.deferred: dict[str, dict[str, str]] = {}
        self.rendering: dict[tuple, tuple[str, dict[str, str]]] = {}
        for page_block in self.blocks:
            results = [future.result() for future in page_block.futures]
            notebook = notebooks.get(page_block.block.name)
            rendered, deferred = self._render(page_block, results, notebook)
            page = page_block.page
            page.content = page.content.replace(page_block.placeholder, rendered, 1)
            self.deferred.setdefault(page.file.src_uri, {}).update(deferred)
        self.rendered = self.rendering  # what the next build may reuse
        times = files.get_file_from_path(self.config.times_page)
        if times is not None and times.page is not None and times.page.content:
            times.page.content = times.page.content.replace(
                TIMES_MARK, self._times_table(times.page, files)
            )
        return env

    def _log_runs(self) -> None:
        """One line per run (each run once, however many pages show it), and a
        summary."""
        executed = resumed = cached = 0
        seconds = 0.0
        for key, result in self.runner.results().items():
            if result.cached:
                cached += 1
                state = "cached"
            else:
                executed += 1
                seconds += result.seconds
                resumed += bool(result.resumed_from)
                state = "executed" + (f", {result.note}" if result.note else "")
            page, name = self.runs.get(key, ("", key[:12]))
            log.info("%s: %s %s in %.1f s", page, name, state, result.seconds)
        log.info(
            "%d executed (%d resumed), %d cached, 0 failed, %.1f s of execution",
            executed,
            resumed,
            cached,
            seconds,
        )

    def _times_table(self, times_page: Page, files: Files) -> str:
        """An HTML table of every run, slowest first.

        A cached result shows the time of the run that filled the cache, so two
        builds from the same cache give the same page, byte for byte.
        """
        if not self.config.enabled:
            return "<p>Execution is switched off in this build: nothing ran.</p>"
        rows = []
        runs = self.runner.results()
        for key, result in sorted(
            runs.items(), key=lambda item: (-item[1].seconds, item[0])
        ):
            uri, name = self.runs.get(key, ("", key[:12]))
            shown = files.get_file_from_path(uri)
            where = html.escape(uri)
            if shown is not None and shown.page is not None:
                url = html.escape(shown.url_relative_to(times_page.file))
                label = html.escape(shown.page.title or uri)
                where = f'<a href="{url}">{label}</a>'
            state = "cache" if result.cached else "this build"
            rows.append(
                f"<tr><td><code>{html.escape(name)}</code></td><td>{where}</td>"
                f"<td>{result.seconds:.1f} s</td><td>{state}</td></tr>"
            )
        return (
            "<p>Every run of the build, slowest first. A run whose result came from "
            "the cache shows the time of the run that filled the cache.</p>"
            "<table><thead><tr><th>Snippet</th><th>Page</th><th>Last run time</th>"
            "<th>Result from</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )

    # -- the end of a build ------------------------------------------------------

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Put the figures' drawings into the written page (they were kept out of
        ``page.content`` while search indexed it: see ``render.figure_html``)."""
        deferred = self.deferred.get(page.file.src_uri)
        return put_back(output, deferred) if deferred else output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        folder = Path(config.site_dir) / self.config.notebooks_dir / "assets"
        for name, text in self.styles.items():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        if self.serving:
            shutil.rmtree(self._aside(config), ignore_errors=True)
        if not self.config.enabled:
            return
        self.runner.close()
        if self.serving:
            return  # a rebuild after an edit uses part of the site: keep the rest
        days = self.config.evict_after_days
        removed = 0
        size = 0
        for folder in (self.runner.settings.cache.directory, self.runner.checkpoints):
            count, freed = evict(folder, days, self.runner.used)
            removed, size = removed + count, size + freed
        if removed:
            log.info(
                "evicted %d cache file(s) that no build used for %g days (%.1f MB)",
                removed,
                days,
                size / 2**20,
            )

    def on_build_error(self, *, error: Exception) -> None:
        if self.config.enabled and hasattr(self, "runner"):
            self.runner.cancel()
            self.runner.close()

    # -- mkdocs serve --------------------------------------------------------------

    def _aside(self, config: MkDocsConfig) -> Path:
        return Path(f"{config.site_dir}.last-good")

    def _set_aside(self, site_dir: Path) -> None:
        """Keep the last good site while this build runs (serve only)."""
        aside = Path(f"{site_dir}.last-good")
        shutil.rmtree(aside, ignore_errors=True)
        if site_dir.is_dir() and any(site_dir.iterdir()):
            site_dir.rename(aside)
            site_dir.mkdir()
        self.site_dir = site_dir

    def _restore(self, reason: str) -> None:
        """Serve the last good site again, with a banner saying why (serve only)."""
        aside = Path(f"{self.site_dir}.last-good")
        if not aside.is_dir():
            return
        shutil.rmtree(self.site_dir, ignore_errors=True)
        aside.rename(self.site_dir)
        for page in self.site_dir.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            page.write_text(pages.with_banner(text, reason), encoding="utf-8")

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Watch the snippets and the engine; keep serving the last good site when
        a rebuild fails."""
        server.watch(str(self.root / self.config.snippets_dir))
        server.watch(str(identity.PACKAGE_DIR))

        def safe_builder(*args: Any, **kwargs: Any) -> None:
            try:
                builder(*args, **kwargs)
            except BaseException as error:  # the serve loop would hang on any
                if isinstance(error, KeyboardInterrupt):
                    raise
                reason = "\n".join(self.reported) or str(error) or type(error).__name__
                log.error("The rebuild failed; serving the last good site: %s", reason)
                self._restore(reason)

        server.builder = safe_builder
        return server
