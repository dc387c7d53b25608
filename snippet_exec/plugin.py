"""The MkDocs plugin that executes the site's ``python exec="1"`` blocks.

markdown-exec renders executed blocks (source, printed Markdown, tabs), but runs
Python in the build process with no cache and no time limit. This plugin keeps
markdown-exec's block syntax and rendering (``markdown_exec.validator`` and
``markdown_exec.base_format``) and supplies the execution:

1. While pages are converted, each block is handed to the ``Runner`` (a cache hit,
   or an execution in a fresh process, ``jobs`` at a time) and a placeholder is
   left in the page.
2. Once every page is converted (``on_env``), the plugin waits for the results,
   renders each block in place of its placeholder, logs one line per block and a
   summary, and fills the "Execution times" page. A failed block is logged as an
   error naming its page and snippet, and the build stops there, before any page
   is written: ``mkdocs build`` fails, and ``mkdocs serve`` keeps the last good site.

Every example snippet (not the ``_helpers``) also becomes a notebook page: in its
``on_pre_page`` the plugin writes the notebook, with the outputs of the snippet's
one execution, for mkdocs-jupyter (``execute: false``) to render; the page links
back to the concept pages that show the snippet and offers the ``.ipynb`` and the
``.py``, and those pages link to it.

With ``enabled: false`` blocks show their source and nothing runs (used to time
the build without execution).
"""

from __future__ import annotations

import html
import json
import logging
import os
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown_exec
from markdown import Markdown
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from snippet_exec.engine import Cache, Result, Runner
from snippet_exec.notebook import make_notebook, title
from snippet_exec.output import FIGURE_MARK

log = logging.getLogger("mkdocs.plugins.snippet_exec")

TIMES_MARK = '<div class="snippet-exec-times"></div>'


class SnippetExecConfig(Config):
    """Options of the ``snippet-exec`` plugin in ``mkdocs.yml``."""

    enabled = config_options.Type(bool, default=True)
    """Execute blocks; when false, blocks show their source only."""
    timeout = config_options.Type(int, default=120)
    """Seconds a block may run; a block overrides it with ``timeout="600"``."""
    jobs = config_options.Type(int, default=0)
    """Blocks executed at once; 0 means one per core."""
    force = config_options.Type(bool, default=False)
    """Execute every block, ignoring cached results."""
    cache_dir = config_options.Type(str, default=".cache/snippet-exec")
    """Where results are cached, relative to ``mkdocs.yml``."""
    snippets_dir = config_options.Type(str, default="snippets")
    """Where the example scripts live, relative to ``mkdocs.yml``."""
    times_page = config_options.Type(str, default="execution-times.md")
    """The generated page that lists every block's run time."""
    notebooks_dir = config_options.Type(str, default="notebooks")
    """Where the notebook pages go (with mkdocs-jupyter); an empty value makes none."""


@dataclass
class Block:
    """One executed block of one page, waiting for its result."""

    page: Page
    name: str
    code: str
    options: dict[str, Any]
    md: Markdown
    future: Future[Result]
    explore: bool = False

    @property
    def placeholder(self) -> str:
        return f'<div class="snippet-exec-block" data-block="{id(self)}"></div>'


def figure_html(figure: dict[str, Any], explore: bool = False) -> str:
    """A captured figure as an inline SVG with alt text and a caption.

    With ``explore``, the data of its lines follows the SVG as JSON, for the slider
    that docs/javascripts/explore.js adds.
    """
    label = html.escape(figure["alt"], quote=True)
    svg = figure["svg"].replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    caption = html.escape(figure["caption"] or figure["alt"])
    caption_html = f"<figcaption>{caption}</figcaption>"
    data = ""
    if explore and figure.get("explore"):
        text = json.dumps(figure["explore"], separators=(",", ":"), allow_nan=False)
        text = text.replace("</", "<\\/")  # keeps "</script>" in a label harmless
        script = '<script type="application/json" class="snippet-exec-explore">'
        data = f"{script}{text}</script>\n"
    return f'<figure class="snippet-exec">\n{svg}\n{data}{caption_html}\n</figure>'


class SnippetExecPlugin(BasePlugin[SnippetExecConfig]):
    """Executes Python blocks in isolation, with a time limit and a cache."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        exec_plugin = config.plugins.get("markdown-exec")
        if exec_plugin and {"python", "py"} & set(exec_plugin.config.languages):
            raise PluginError(
                "snippet-exec runs the python blocks: give markdown-exec a "
                "'languages' list without python and py"
            )
        fences = config.mdx_configs.setdefault("pymdownx.superfences", {})
        for language in ("python", "py"):
            fences.setdefault("custom_fences", []).append(
                {
                    "name": language,
                    "class": language,
                    "validator": markdown_exec.validator,
                    "format": self.format_block,
                }
            )
        root = Path(config.config_file_path).parent
        self.snippets_dir = root / self.config.snippets_dir
        self.cache = Cache(root / self.config.cache_dir)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # Measured, not computed: kept out of the search index, so that only this
        # page can differ between two builds that execute the blocks afresh.
        front_matter = "---\nsearch:\n  exclude: true\n---\n\n"
        content = f"{front_matter}# Execution times\n\n{TIMES_MARK}\n"
        files.append(File.generated(config, self.config.times_page, content=content))
        self.notebooks: dict[str, Path] = {}
        rendered = "mkdocs-jupyter" in config.plugins
        if not (self.config.notebooks_dir and self.config.enabled and rendered):
            return files
        folder = self.config.notebooks_dir
        examples = sorted(
            path
            for path in self.snippets_dir.rglob("*.py")
            if not path.name.startswith("_")
        )
        # A real file under the cache, not File.generated: mkdocs-jupyter reads the
        # notebook from abs_src_path, which its wrapper derives from src_dir.
        src_dir = str(self.cache.directory / "site")
        index = ["# Notebooks", "", "Every example on this site, as a notebook.", ""]
        for path in examples:
            stem = path.relative_to(self.snippets_dir).with_suffix("").as_posix()
            uri = f"{folder}/{stem}.ipynb"
            self.notebooks[uri] = path
            files.append(File(uri, src_dir, config.site_dir, config.use_directory_urls))
            download = f"{folder}/{stem}/{path.name}"
            files.append(File.generated(config, download, abs_src_path=str(path)))
            index.append(f"- [{title(path.read_text(encoding='utf-8'))}]({stem}.ipynb)")
        content = "\n".join(index) + "\n"
        files.append(File.generated(config, f"{folder}/index.md", content=content))
        return files

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        jobs = self.config.jobs or os.cpu_count() or 1
        self.runner = Runner(self.cache, jobs=jobs, force=self.config.force)
        self.blocks: list[Block] = []
        self.page: Page | None = None
        self.snippets = {
            path.read_text(encoding="utf-8").strip(): path
            for path in sorted(self.snippets_dir.rglob("*.py"))
        }
        self.docs_dir = Path(config.docs_dir)
        self.notebook_results: dict[str, Result] = {}

    def on_page_markdown(self, markdown: str, *, page: Page, **kwargs: Any) -> None:
        self.page = page

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> None:
        """Write a notebook page's notebook, with outputs, before it is rendered.

        Notebook pages come after the Markdown pages, whose blocks have all been
        submitted by then: the snippet's result is shared, not run again.
        """
        snippet = self.notebooks.get(page.file.src_uri)
        if snippet is None:
            return
        code = snippet.read_text(encoding="utf-8")
        result = self.runner.submit(code, snippet, timeout=self.config.timeout).result()
        self.notebook_results[page.file.src_uri] = result
        if result.failure:
            printed, cell_ends, figures = "", [], []
        else:
            printed, cell_ends, figures = (
                result.markdown,
                result.cell_ends,
                result.figures,
            )
        notebook = make_notebook(code, printed, cell_ends, figures)
        target = Path(page.file.abs_src_path)
        if not target.is_file() or target.read_text(encoding="utf-8") != notebook:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(notebook, encoding="utf-8")

    def on_page_content(self, html_content: str, *, page: Page, **kwargs: Any) -> str:
        """Head a notebook page with its downloads and the pages that show it.

        Notebook pages are also kept out of the search index (as front matter
        ``search: exclude: true`` would): they repeat the concept pages' examples,
        and indexing their inline notebook styles costs seconds.
        """
        snippet = self.notebooks.get(page.file.src_uri)
        if snippet is None:
            return html_content
        page.meta["search"] = {"exclude": True}
        name = self._snippet_name(snippet)
        shown_on = {
            block.page.file.src_uri: block.page
            for block in self.blocks
            if block.name == name
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
            "</p></div>"
        )
        return header + html_content

    def _snippet_name(self, path: Path) -> str:
        """A snippet's path as pages and logs name it, e.g. snippets/epochs/x.py."""
        return path.relative_to(self.snippets_dir.parent).as_posix()

    def format_block(
        self,
        source: str,
        language: str,
        css_class: str,
        options: dict,
        md: Markdown,
        **kwargs: Any,
    ) -> str:
        """The superfences formatter: submit the block, leave a placeholder."""
        assert self.page is not None, "a block outside any page"
        extra = options.setdefault("extra", {})
        timeout = float(extra.pop("timeout", self.config.timeout))
        explore = extra.pop("explore", "0").lower() in {"1", "true", "yes", "on"}
        if not self.config.enabled:
            return str(
                markdown_exec.base_format(
                    language="python",
                    run=lambda *a, **k: "",
                    code=source,
                    md=md,
                    **options,
                )
            )
        path = self.snippets.get(source.strip())
        if path is not None:
            name = self._snippet_name(path)
        else:
            number = sum(block.page is self.page for block in self.blocks) + 1
            name = f"inline block {number}"
            path = self.docs_dir / f"{self.page.file.src_path}-block-{number}.py"
        future = self.runner.submit(source, path, timeout=timeout)
        block = Block(self.page, name, source, options, md, future, explore=explore)
        self.blocks.append(block)
        return block.placeholder

    def _render(self, block: Block, result: Result, notebook: File | None) -> str:
        """The block's HTML: markdown-exec's rendering, the figures, a notebook link."""
        if block.explore and not any(f.get("explore") for f in result.figures):
            raise PluginError(
                f'{block.page.file.src_uri}: snippet {block.name} has explore="1" '
                "but draws no labelled line to explore"
            )
        options = {**block.options, "update_toc": False}
        rendered = str(
            markdown_exec.base_format(
                language="python",
                run=lambda *args, **kwargs: result.markdown,
                code=block.code,
                md=block.md,
                **options,
            )
        )
        for number, figure in enumerate(result.figures):
            rendered = rendered.replace(
                FIGURE_MARK.format(number), figure_html(figure, block.explore)
            )
        if notebook is not None:
            url = html.escape(notebook.url_relative_to(block.page.file))
            rendered += (
                f'<p class="snippet-exec-notebook"><a href="{url}">'
                "Open this example as a notebook</a> (with downloads).</p>"
            )
        return rendered

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        executed = cached = failed = 0
        seconds = 0.0
        counted: set[int] = set()
        notebooks = {
            self._snippet_name(path): files.get_file_from_path(uri)
            for uri, path in self.notebooks.items()
        }
        for uri, result in self.notebook_results.items():
            if result.failure:
                failed += 1
                name = self._snippet_name(self.notebooks[uri])
                log.error("%s: snippet %s failed: %s", uri, name, result.failure)
        for block in self.blocks:
            result = block.future.result()
            shown_again = id(block.future) in counted
            counted.add(id(block.future))
            if result.failure:
                failed += 1
                log.error(
                    "%s: snippet %s failed: %s",
                    block.page.file.src_uri,
                    block.name,
                    result.failure,
                )
            else:
                rendered = self._render(block, result, notebooks.get(block.name))
                block.page.content = block.page.content.replace(
                    block.placeholder, rendered, 1
                )
            if shown_again:
                state = "shown again"
            elif result.cached:
                cached += 1
                state = "cached"
            else:
                executed += 1
                seconds += result.seconds
                state = "executed"
            log.info(
                "%s: %s %s in %.1f s",
                block.page.file.src_uri,
                block.name,
                state,
                result.seconds,
            )
        self.runner.close()
        log.info(
            "%d executed, %d cached, %d failed, %.1f s of execution",
            executed,
            cached,
            failed,
            seconds,
        )
        if failed:
            raise PluginError(
                f"{failed} executed block(s) failed; see the errors above"
            )
        times = files.get_file_from_path(self.config.times_page)
        if times is not None and times.page is not None and times.page.content:
            times.page.content = times.page.content.replace(
                TIMES_MARK, self._times_table(times.page)
            )
        return env

    def _times_table(self, times_page: Page) -> str:
        """An HTML table of every block, slowest first.

        A cached result shows the time of the run that filled the cache, so two
        builds from the same cache give the same page, byte for byte.
        """
        rows = []
        for block in sorted(self.blocks, key=lambda b: -b.future.result().seconds):
            result = block.future.result()
            url = block.page.file.url_relative_to(times_page.file)
            title = html.escape(block.page.title or block.page.file.src_uri)
            state = "cache" if result.cached else "this build"
            rows.append(
                f"<tr><td><code>{html.escape(block.name)}</code></td>"
                f'<td><a href="{html.escape(url)}">{title}</a></td>'
                f"<td>{result.seconds:.1f} s</td><td>{state}</td></tr>"
            )
        return (
            "<p>Every executed block, slowest first. A block whose result came from "
            "the cache shows the time of the run that filled the cache.</p>"
            "<table><thead><tr><th>Snippet</th><th>Page</th><th>Last run time</th>"
            "<th>Result from</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
