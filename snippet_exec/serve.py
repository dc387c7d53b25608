"""Under ``mkdocs serve``: a rebuild that fails leaves the last good site served.

Before each build the site that is being served is set aside (``set_aside``);
a build that succeeds discards it (``discard``); a build that fails puts it back,
every page with a banner saying why (``restore``), until the next good edit.
``guard`` wraps the serve loop's builder so that no failure ever reaches the loop
(which would hang on it). ``watch`` adds the folders outside ``docs/`` that the
pages are made from.

A rebuild after an edit does only what the edit changes where that is most of the
time (``SearchEntries``: a page's search entries; the site set aside is deleted
while the next edit is awaited, not before the rebuilt site is served), and stays
byte-identical to a full build: what is kept is keyed on everything it is made
from.
"""

from __future__ import annotations

import copy
import html
import logging
import shutil
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from snippet_exec.reuse import digest

log = logging.getLogger("mkdocs.plugins.snippet_exec")
BANNER = (
    '<div class="snippet-exec-banner" role="alert"><strong>The last rebuild failed'
    "</strong>; this is the last good version of the site.<pre>{}</pre></div>"
)


def with_banner(page: str, reason: str) -> str:
    """``page`` with a banner at the top of its body saying the rebuild failed."""
    start = page.find(">", page.find("<body")) + 1
    if start <= 0:
        return page
    return page[:start] + BANNER.format(html.escape(reason)) + page[start:]


POLL_SECONDS = 0.05
"""How often the serve loop looks for changed files (MkDocs: every 0.5 s)."""


def poll_often(server: Any, seconds: float = POLL_SECONDS) -> None:
    """Have ``server`` (MkDocs' ``LiveReloadServer``, not yet serving) look for
    changed files every ``seconds``. MkDocs polls every 0.5 s: on average 0.25 s
    of waiting, as long as half a prose edit's rebuild; a look at the watched
    folders (a few hundred files) takes about a millisecond. Once a change is
    seen, MkDocs waits ``build_delay`` (0.1 s) for more before it rebuilds; that
    wait becomes one look's interval, as it is in effect under MkDocs' own
    polling (a save's changes are seen by one look, or by the next). The paths
    watched so far are watched again by the new observer; a server without the
    attributes this relies on is left as it is."""
    from watchdog.observers.polling import PollingObserver

    paths = getattr(server, "_watched_paths", None)
    refs = getattr(server, "_watch_refs", None)
    if not isinstance(paths, dict) or not isinstance(refs, dict):
        return
    watched = list(paths)
    paths.clear()
    refs.clear()
    server.observer = PollingObserver(timeout=seconds)
    server.build_delay = seconds
    for path in watched:
        server.watch(path)


def watch(server: Any, folders: Iterable[Path]) -> None:
    """Have ``server`` rebuild when a file under ``folders`` changes."""
    for folder in folders:
        server.watch(str(folder))


class LastGoodSite:
    """The site served before the current build, kept until the build ends."""

    def __init__(self) -> None:
        self.site_dir: Path | None = None
        self.deleting: threading.Thread | None = None

    @staticmethod
    def aside(site_dir: Path) -> Path:
        return Path(f"{site_dir}.last-good")

    def set_aside(self, site_dir: Path) -> None:
        """Keep the site in ``site_dir`` while a build writes a new one there."""
        aside = self.aside(site_dir)
        if self.deleting is not None:
            self.deleting.join()
        shutil.rmtree(aside, ignore_errors=True)
        if site_dir.is_dir() and any(site_dir.iterdir()):
            site_dir.rename(aside)
            site_dir.mkdir()
        self.site_dir = site_dir

    def discard(self, site_dir: Path) -> None:
        """The build succeeded: the site set aside is no longer needed. It is
        deleted in the background, while the rebuilt site is served (the next
        ``set_aside`` waits for that)."""
        self.deleting = threading.Thread(
            target=shutil.rmtree, args=(self.aside(site_dir), True), daemon=True
        )
        self.deleting.start()

    def forget(self) -> None:
        """Delete the site set aside, if any (serve is ending): at once, or by
        waiting for ``discard``'s thread, which would die half-way with serve."""
        if self.deleting is not None:
            self.deleting.join()
        if self.site_dir is not None:
            shutil.rmtree(self.aside(self.site_dir), ignore_errors=True)

    def restore(self, reason: str) -> None:
        """Serve the site set aside again, with a banner saying why."""
        if self.site_dir is None or not self.aside(self.site_dir).is_dir():
            return
        shutil.rmtree(self.site_dir, ignore_errors=True)
        self.aside(self.site_dir).rename(self.site_dir)
        for page in self.site_dir.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            page.write_text(with_banner(text, reason), encoding="utf-8")

    def guard(
        self, builder: Callable[..., None], reasons: Callable[[], list[str]]
    ) -> Callable[..., None]:
        """``builder``, which on failure serves the last good site, with the
        ``reasons()`` the build gave (or the error itself) on its banner."""

        def safe_builder(*args: Any, **kwargs: Any) -> None:
            try:
                builder(*args, **kwargs)
            except BaseException as error:  # the serve loop would hang on any
                if isinstance(error, KeyboardInterrupt):  # serve ends, and deletes
                    self.forget()  # its site folder: not the one set aside
                    raise
                reason = "\n".join(reasons()) or str(error) or type(error).__name__
                log.error("The rebuild failed; serving the last good site: %s", reason)
                self.restore(reason)

        return safe_builder


class SearchEntries:
    """The search index's entries of each page, kept from one rebuild to the next.

    Material's search plugin parses every page's HTML into sections at every
    build: half of a rebuild's time after a one-line edit. ``wrap`` has its index
    reuse a page's entries when what they are made from is unchanged: the page's
    HTML, URL, title, metadata and table of contents (``key``). Entries are made
    by the plugin's own code, so the index is the one a full build writes."""

    def __init__(self) -> None:
        self.last: dict[str, list[dict[str, Any]]] = {}
        self.now: dict[str, list[dict[str, Any]]] = {}

    @staticmethod
    def key(page: Any) -> str:
        """A hash of what a page's search entries are made from."""

        def toc(items: Iterable[Any]) -> list[Any]:
            return [(i.id, i.url, i.title, toc(i.children)) for i in items]

        return digest(page.content, page.url, str(page.title), page.meta, toc(page.toc))

    def wrap(self, index: Any) -> None:
        """Have the search ``index`` (a ``SearchIndex``: ``entries``, and
        ``add_entry_from_context(page)`` appending a page's) reuse entries;
        what this build used is what the next may reuse."""
        self.last, self.now = self.now, {}
        add = index.add_entry_from_context

        def add_entry_from_context(page: Any) -> None:
            key = self.key(page)
            entries = self.now.get(key, self.last.get(key))
            if entries is None:
                start = len(index.entries)
                add(page)
                entries = copy.deepcopy(index.entries[start:])
            else:
                index.entries.extend(copy.deepcopy(entries))
            self.now[key] = entries

        index.add_entry_from_context = add_entry_from_context
