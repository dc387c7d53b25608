"""The notebook pages: every example snippet a page includes, as a notebook.

A snippet no page includes (a draft beside the examples, or a helper module) gets
no notebook page: the log names the drafts, in one line. For each example,
``NotebookPages`` adds a page (``add_files``), and writes its
notebook, with the outputs of the snippet's one run in the build, just before
mkdocs-jupyter (``execute: false``) reads it (``make``); the plugin's event
priorities put these steps before mkdocs-jupyter's, whatever the order in the
config. Each notebook page is headed with its downloads and the pages that show
the example (``content``), and links the styles every notebook page shares
(``pages.share_styles``), written once (``write_styles``). The *Notebooks* page
lists them in the site's reading order (``reading_order``).

Two notebooks are made of each snippet: the page's, whose figures are the site's
(inline SVG that follows the palette, alt text from the data), and the downloaded
one (PNG and SVG); both are made again only when what they are made of changed.
"""

from __future__ import annotations

import functools
import hashlib
import html
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from snippet_exec import notebook, pages
from snippet_exec import render as render_module
from snippet_exec.blocks import Snippets, fences
from snippet_exec.engine import Job
from snippet_exec.errors import RunFailure
from snippet_exec.options import BOOLEANS
from snippet_exec.render import figure_html
from snippet_exec.result import Result
from snippet_exec.session import Session

log = logging.getLogger("mkdocs.plugins.snippet_exec")
WRITERS = (Path(notebook.__file__), Path(render_module.__file__))
"""The modules a notebook is written with: an edit to them writes it again."""


@functools.lru_cache(maxsize=4)
def _writers(*stamps: int) -> str:
    """The text of the modules that write notebooks (``WRITERS``), by their
    modification times (``stamps``): part of every notebook's stamp, read once."""
    return "".join(p.read_text(encoding="utf-8") for p in WRITERS)


def for_page(figure: dict[str, Any], number: int) -> dict[str, str]:
    """A figure as a notebook page shows it: as the concept pages do, but for the
    link to its data, a file written beside the concept page only."""
    shown = {key: value for key, value in figure.items() if key != "data"}
    return {
        "text/html": figure_html(shown, f"nb{number}"),
        "text/plain": figure["alt"],
    }


def reading_order(
    root: Path, snippets: Snippets, config: MkDocsConfig, files: Files
) -> tuple[list[Path], list[Path]]:
    """The example snippets the pages include (not the ``_helpers``), in the order
    a reader meets them: page by page as the navigation lists them (then the pages
    it does not list), block by block, but for the blocks that say
    ``notebook="0"``; and the snippets no page includes (drafts), which get no
    notebook either."""
    documents = {f.src_uri: f for f in files.documentation_pages()}
    nav: list[str] = []

    def walk(items: Any) -> None:
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, dict):
                for value in item.values():
                    walk(value)
            elif isinstance(item, str) and item in documents and item not in nav:
                nav.append(item)

    walk(config.nav or [])
    walk(sorted(documents))
    order: list[Path] = []
    included: set[Path] = set()
    for uri in nav:
        for written in fences(documents[uri].content_string):
            offered = BOOLEANS.get(written.options.get("notebook", "1").lower(), True)
            for include in written.includes:
                path = root / include
                included.add(path)
                if offered and path in snippets.texts and path not in order:
                    order.append(path)
    examples = [p for p in snippets.texts if not p.name.startswith("_")]
    drafts = sorted(set(examples) - included)
    return [p for p in order if not p.name.startswith("_")], drafts


class NotebookPages:
    """The notebook pages of one build, under ``folder`` (e.g. "notebooks")."""

    def __init__(self, root: Path, work_dir: Path, folder: str) -> None:
        self.root = root
        self.work_dir = work_dir
        self.folder = folder
        self.snippets: dict[str, Path] = {}
        """Each notebook page's snippet, by the page's URI."""
        self.styles: dict[str, str] = {}
        """The shared stylesheets, by file name (see ``pages.share_styles``)."""
        self.helpers: dict[Path, list[Path]] = {}
        """The helper modules each example imports, offered beside its notebook."""

    @staticmethod
    def configure(config: MkDocsConfig, work_dir: Path) -> None:
        """Keep mkdocs-jupyter's cache in the work folder, not in ``.cache/``."""
        jupyter = config.plugins.get("mkdocs-jupyter")
        if jupyter is not None:
            jupyter.config["cache_dir"] = str(work_dir / "mkdocs-jupyter")

    def add_files(self, files: Files, config: MkDocsConfig, snippets: Snippets) -> None:
        """Add a page for each example, with its downloads (the script, the
        notebook and the helper modules it imports), and the index page."""
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
        examples, drafts = reading_order(self.root, snippets, config, files)
        if drafts:
            log.info(
                "No page includes %s: no notebook page for %s",
                ", ".join(snippets.name(p) for p in drafts),
                "it" if len(drafts) == 1 else "them",
            )
        for path in examples:
            stem = path.relative_to(snippets.folder).with_suffix("").as_posix()
            uri = f"{self.folder}/{stem}.ipynb"
            self.snippets[uri] = path
            files.append(File(uri, src_dir, config.site_dir, config.use_directory_urls))
            download = self.work_dir / "downloads" / f"{stem}.ipynb"
            text = "\n".join(snippets.texts[path])
            self.helpers[path] = notebook.helpers(text, path.parent)
            for source in (path, download, *self.helpers[path]):
                target = f"{self.folder}/{stem}/{source.name}"
                files.append(File.generated(config, target, abs_src_path=str(source)))
            # The downloadable notebook is a file to copy, not a page to render.
            ignored.append(download.relative_to(self.work_dir).as_posix())
            index.append(f"- [{notebook.title(text) or path.name}]({stem}.ipynb)")
        content = "\n".join(index) + "\n"
        files.append(File.generated(config, f"{self.folder}/index.md", content=content))

    def make(self, page: Page, snippets: Snippets, session: Session) -> None:
        """If ``page`` is a notebook page, write its notebook, with the outputs of
        its snippet's run (``session`` runs it). Notebook pages come after the
        Markdown pages, whose blocks have all been submitted by then: the
        snippet's result is shared, not run again. Once the build has failed, an
        empty notebook stands in, which mkdocs-jupyter reads without an error of
        its own: the build then stops naming the blocks that failed, not this
        page."""
        snippet = self.snippets.get(page.file.src_uri)
        if snippet is None:
            return
        code = "\n".join(snippets.texts[snippet]) + "\n"
        name = snippets.name(snippet)
        result: Result | None = Result()
        if session.runner is not None:
            # The run of the block that shows it, with that block's depends, time
            # and size limits: the same run, shared, and the same key.
            shown = [
                s.block.jobs[0]
                for s in session.blocks
                if s.block.name == name and s.block.jobs
            ]
            job = Job(code, snippet, timeout=session.settings.timeout)
            if shown:
                job = replace(shown[0], code=code)
            result = session.settle(session.submit(job, page.file.src_uri, name))
        if result is None or result.failure:
            self.stand_in(page)
        else:
            self.write(page, code, result, name)

    def stand_in(self, page: Page) -> None:
        """Write an empty notebook for ``page``, not stamped: the next build that
        succeeds writes the real one."""
        assert page.file.abs_src_path is not None, "notebook pages are real files"
        target = Path(page.file.abs_src_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.with_suffix(".stamp").unlink(missing_ok=True)
        target.write_text(notebook.empty(), encoding="utf-8")

    def write(self, page: Page, code: str, result: Result, name: str) -> None:
        """Write the notebooks of ``page`` from the snippet's ``code`` and its run's
        ``result``, unless they are up to date."""
        assert page.file.abs_src_path is not None, "notebook pages are real files"
        target = Path(page.file.abs_src_path)
        stem = Path(page.file.src_uri).relative_to(self.folder)
        download = self.work_dir / "downloads" / stem
        writers = _writers(*(p.stat().st_mtime_ns for p in WRITERS))
        made_of = (code, result.digest, writers)
        stamp = hashlib.sha256(repr(made_of).encode()).hexdigest()
        stamp_file = target.with_suffix(".stamp")
        fresh = target.is_file() and download.is_file() and stamp_file.is_file()
        if fresh and stamp_file.read_text(encoding="utf-8") == stamp:
            return
        made = (code, result.markdown, result.cell_ends, result.figures)
        try:
            shown = notebook.make_notebook(*made, bundle=for_page)
            downloaded = notebook.make_notebook(*made)
        except SyntaxError as error:
            raise RunFailure(f"{name}: {error}") from None
        for path, text in ((target, shown), (download, downloaded)):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        stamp_file.write_text(stamp, encoding="utf-8")

    def content(
        self,
        html_content: str,
        page: Page,
        docs: Path,
        snippets: Snippets,
        shown_on: Callable[[str], dict[str, Page]],
        deferred: dict[str, str] | None = None,
    ) -> str:
        """A page's content: a notebook page's headed with its downloads and the
        pages that show its example (``shown_on(name)``, by URI), its styles
        shared, and kept out of the search index (it repeats the concept pages');
        and the edit link of a generated page pointed at its source. With
        ``deferred``, the notebook itself is left out until the page is written
        (``render.put_back``), as figures are: what reads the page in between (the
        search plugin strips attributes from every page's HTML; the serve loop
        hashes it) skips a hundred kilobytes a page."""
        snippet = self.snippets.get(page.file.src_uri)
        if page.file.generated_by or snippet is not None:
            page.edit_url = self.edit_url(page, docs, snippets.name)
        if snippet is None:
            return html_content
        page.meta["search"] = {"exclude": True}
        name = snippets.name(snippet)
        links = ", ".join(
            f'<a href="{html.escape(shown.file.url_relative_to(page.file))}">'
            f"{html.escape(shown.title or uri)}</a>"
            for uri, shown in sorted(shown_on(name).items())
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
        folder = get_relative_url(f"{self.folder}/assets", page.url)
        body = pages.share_styles(html_content, folder, self.styles)
        # Material's search strips data-search-* attributes from what it is given.
        if deferred is not None and "data-search-" not in body:
            body = render_module.defer(body, "snippet-exec-notebook", deferred)
        return header + body

    def edit_url(
        self, page: Page, docs: Path, name: Callable[[Path], str]
    ) -> str | None:
        """Where to edit what a generated page is made from: a notebook page's
        snippet; nothing, for a page made from no file of the repository."""
        source = self.snippets.get(page.file.src_uri)
        if source is None or not page.edit_url:
            return None
        base = page.edit_url.removesuffix(page.file.src_uri)  # the edit URL of docs/
        depth = len(docs.resolve().relative_to(self.root).parts)
        return urljoin(base, "../" * depth + name(source))

    def write_styles(self, site_dir: Path) -> None:
        """Write the stylesheets the notebook pages link."""
        folder = site_dir / self.folder / "assets"
        for name, text in self.styles.items():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
