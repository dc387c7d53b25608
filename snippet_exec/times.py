"""The "Execution times" page: every run of the build, slowest first.

The plugin adds the page (``add``, a generated file holding a mark) and fills the
mark in once every run has ended (``fill``). A cached result shows the time of
the run that filled the cache, so two builds from the same cache give the same
page, byte for byte. Kept free of heavy imports.
"""

from __future__ import annotations

import html

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from snippet_exec.result import Result

MARK = '<div class="snippet-exec-times"></div>'
FRONT_MATTER = "---\nsearch:\n  exclude: true\n---\n\n"


def add(files: Files, config: MkDocsConfig, uri: str, note: str) -> None:
    """Add the page ``uri``, headed by ``note`` (Markdown), to ``files``."""
    content = f"{FRONT_MATTER}# Execution times\n\n{note}\n\n{MARK}\n"
    files.append(File.generated(config, uri, content=content))


def fill(
    files: Files,
    uri: str,
    runs: list[tuple[str, str, str, Result]] | None,
) -> None:
    """Put the table of ``runs`` (key, page, name, result; None when execution is
    off) into the page ``uri``."""
    times = files.get_file_from_path(uri)
    if times is None or times.page is None or not (content := times.page.content):
        return
    times.page.content = content.replace(MARK, table(files, times, runs))


def table(
    files: Files, times: File, runs: list[tuple[str, str, str, Result]] | None
) -> str:
    """An HTML table of ``runs``, slowest first, each linked to its page."""
    if runs is None:
        return "<p>Execution is switched off in this build: nothing ran.</p>"
    rows = []
    for _, uri, name, result in sorted(runs, key=lambda run: (-run[3].seconds, run[0])):
        shown = files.get_file_from_path(uri)
        where = html.escape(uri)
        if shown is not None and shown.page is not None:
            url = html.escape(shown.url_relative_to(times))
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
        "<th>Result from</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
