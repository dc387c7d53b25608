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

import contextlib
import copy
import functools
import html
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from snippet_exec.cache import settled
from snippet_exec.reuse import digest, text_digest

if TYPE_CHECKING:
    from watchdog.events import FileSystemEvent
    from watchdog.observers.api import BaseObserver, ObservedWatch

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
"""How often the serve loop looks for changed files where the kernel cannot tell
it (MkDocs: every 0.5 s)."""
SETTLE_SECONDS = 0.025
"""How long the serve loop waits, once told of a change, for a save's further
changes before it rebuilds (MkDocs: 0.1 s)."""


def _write_events() -> list[type[FileSystemEvent]]:
    """The changes to files that a rebuild follows: written, created, deleted,
    moved, metadata changed. Not a file opened or closed unwritten: the build reads
    the watched files, which would start the next rebuild, for ever."""
    from watchdog import events

    return [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileDeletedEvent,
        events.FileMovedEvent,
        events.FileClosedEvent,
        events.FileAttribEvent,
        events.DirCreatedEvent,
        events.DirDeletedEvent,
        events.DirMovedEvent,
    ]


def _told_observer() -> BaseObserver:
    """A watchdog observer that the kernel tells of each write (inotify), that
    watches for ``_write_events`` only, and that may be started more than once
    (the serve loop starts it once more, after ``watch_changes`` did).

    The kernel stops telling of a folder once it is deleted: a watched folder
    deleted (a branch checked out that has none) is looked for every
    ``POLL_SECONDS`` until it is back, then watched again, and its return told
    as a change."""
    from watchdog.events import FileModifiedEvent
    from watchdog.events import FileSystemEventHandler as Handler
    from watchdog.observers.inotify import InotifyObserver

    class Told(InotifyObserver):
        def __init__(self) -> None:
            super().__init__()
            self.handlers: dict[str, list[tuple[Handler, bool]]] = {}

        def schedule(
            self,
            event_handler: Handler,
            path: str | Path,
            *,
            recursive: bool = False,
            event_filter: list[type[FileSystemEvent]] | None = None,
            follow_symlink: bool = False,
        ) -> ObservedWatch:
            where = os.path.abspath(path)
            first = where not in self.handlers
            self.handlers.setdefault(where, []).append((event_handler, recursive))
            watch = super().schedule(
                event_handler,
                path,
                recursive=recursive,
                event_filter=_write_events(),
                follow_symlink=follow_symlink,
            )
            if first and os.path.isdir(where):
                gone = Gone(self, where)
                super().schedule(
                    gone, path, recursive=recursive, event_filter=_write_events()
                )
            return watch

        def start(self) -> None:
            if not self.is_alive():
                super().start()

        def watch_again(self, where: str) -> None:
            """Wait for the folder ``where`` to be back; watch it as before."""
            while not os.path.isdir(where):
                if self.stopped_event.wait(POLL_SECONDS):
                    return  # serve ended
            for emitter in list(self.emitters):
                if emitter.watch.path == where:
                    self.unschedule(emitter.watch)
            handlers = self.handlers.pop(where, [])
            for handler, recursive in handlers:
                self.schedule(handler, where, recursive=recursive)
            for handler, _ in handlers:
                handler.dispatch(FileModifiedEvent(where))

    class Gone(Handler):
        """Told that the watched folder itself was deleted: it waits for it."""

        def __init__(self, observer: Told, where: str) -> None:
            self.observer = observer
            self.where = where

        def on_deleted(self, event: FileSystemEvent) -> None:
            if event.is_directory and os.path.abspath(event.src_path) == self.where:
                waiting = threading.Thread(
                    target=self.observer.watch_again, args=(self.where,), daemon=True
                )
                waiting.start()

    return Told()


def watch_changes(server: Any) -> None:
    """Have ``server`` (MkDocs' ``LiveReloadServer``, not yet serving) hear of a
    changed file as it is written, and rebuild ``SETTLE_SECONDS`` later.

    MkDocs looks for changes every 0.5 s (a listing of every watched file, a
    few hundred, each look): on average 0.25 s of waiting before a rebuild, as
    long as half a prose edit's rebuild, and in a look every 0.05 s a tenth of a
    core, in the serve process, whose rebuilds then wait for it. The kernel's
    notices (inotify, on Linux) come at once and cost nothing while nothing
    changes. Where there are none (another system; a folder the kernel cannot
    watch; its limit of watches reached), the loop looks every ``POLL_SECONDS``
    instead, and the log says so. The paths watched so far are watched again by
    the new observer; a server without the attributes this relies on is left as
    it is."""
    from watchdog.observers.polling import PollingObserver

    paths = getattr(server, "_watched_paths", None)
    refs = getattr(server, "_watch_refs", None)
    if not isinstance(paths, dict) or not isinstance(refs, dict):
        return
    watched = list(paths)

    def rewatch(observer: Any) -> None:
        paths.clear()
        refs.clear()
        server.observer = observer
        for path in watched:
            server.watch(path)

    try:
        rewatch(_told_observer())
        server.observer.start()  # here, to fall back if the kernel says no
    except (ImportError, AttributeError, OSError, TypeError) as error:  # watchdog < 4
        with contextlib.suppress(Exception):  # its inotify queue, its watches
            server.observer.stop()
        rewatch(PollingObserver(timeout=POLL_SECONDS))
        server.build_delay = POLL_SECONDS
        log.info(
            f"Looking for edits every {POLL_SECONDS} s: the system does not tell "
            f"of changed files here ({error})"
        )
        return
    server.build_delay = SETTLE_SECONDS


def watch(server: Any, folders: Iterable[Path]) -> None:
    """Have ``server`` rebuild when a file under ``folders`` changes."""
    for folder in folders:
        server.watch(str(folder))


class LastGoodSite:
    """The site served before the current build, kept until the build ends."""

    def __init__(self) -> None:
        self.site_dir: Path | None = None
        self.deleting: threading.Thread | None = None
        self.served_from: dict[str, str] = {}
        """What each file of the site set aside was made from, by its path:
        those that the build that wrote it noted (``link``, ``write``)."""
        self.building_from: dict[str, str] = {}
        """The same, for the site being built."""
        self.linked: list[str] = []
        """The files of the site being built linked from the one set aside."""

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
        self.building_from = {}
        self.linked = []

    def built(self) -> None:
        """The build wrote its last file (``on_post_build``): what it noted is what
        the next build may link (``restore`` forgets it, should the build still
        fail, as a strict build does on a warning after that hook)."""
        self.served_from = self.building_from

    def discard(self) -> None:
        """The build succeeded (the serve loop's builder returned): the site set
        aside is no longer needed. It is deleted in the background, while the
        rebuilt site is served (the next ``set_aside`` waits for that)."""
        if self.site_dir is None:
            return
        self.deleting = threading.Thread(
            target=shutil.rmtree, args=(self.aside(self.site_dir), True), daemon=True
        )
        self.deleting.start()

    def link(self, dest: Path, made_from: str) -> bool:
        """Put at ``dest`` the site set aside's file of that name, as a hard link
        (nothing is copied), if the build that wrote it made it from ``made_from``
        too; say whether it did. Linked or not, the file is new in the site being
        built (a file that was there is removed first), so that nothing written
        there later reaches the site set aside."""
        if dest.exists():
            dest.unlink()
        if self.site_dir is None or self.served_from.get(str(dest)) != made_from:
            return False
        try:
            old = self.aside(self.site_dir) / dest.relative_to(self.site_dir)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.link(old, dest)
        except (OSError, ValueError):
            return False
        self.building_from[str(dest)] = made_from
        self.linked.append(str(dest))
        return True

    def write(self, dest: Path, text: str) -> None:
        """Write ``text`` to the file ``dest`` of the site being built (UTF-8, its
        line ends as they are), or link it from the site set aside, which had
        the same text there."""
        made_from = digest(text)
        if not self.link(dest, made_from):
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text, encoding="utf-8", newline="")
            self.building_from[str(dest)] = made_from

    def link_copies(self, files: Iterable[Any]) -> None:
        """Have each static file of ``files`` (MkDocs' ``File``: its ``copy_file``)
        linked from the site set aside when the last good build copied it from the
        same source file, unchanged since: the static files are most of a site's
        files (the theme's scripts and styles), and copying them anew was a tenth
        of a prose edit's rebuild. A source is the same while its inode, size and
        change time are (``os.stat``: a write or a rename changes the last)."""
        for file in files:
            if not file.is_documentation_page() and file.abs_src_path:
                file.copy_file = functools.partial(self._copy, file, file.copy_file)

    def _copy(
        self, file: Any, copy: Callable[[bool], None], dirty: bool = False
    ) -> None:
        dest = Path(file.abs_dest_path)
        generated = getattr(file, "_content", None) is not None
        if dirty or generated or Path(file.abs_src_path) == dest:
            copy(dirty)  # MkDocs' own --dirty, a plugin's content or own output
            return
        source = os.stat(file.abs_src_path)
        made_from = digest(
            file.abs_src_path,
            [source.st_dev, source.st_ino, source.st_size, source.st_ctime_ns],
            source.st_mtime_ns,
        )
        if not self.link(dest, made_from):
            copy(dirty)
            if settled(source):
                self.building_from[str(dest)] = made_from

    def forget(self) -> None:
        """Delete the site set aside, if any (serve is ending): at once, or by
        waiting for ``discard``'s thread, which would die half-way with serve."""
        if self.deleting is not None:
            self.deleting.join()
        if self.site_dir is not None:
            shutil.rmtree(self.aside(self.site_dir), ignore_errors=True)

    def restore(self, reason: str) -> None:
        """Serve the site set aside again, with a banner saying why. The next
        build links nothing from it (what a failed build noted may not be what
        the site put back holds)."""
        self.served_from = {}
        if self.deleting is not None:
            self.deleting.join()  # none, unless a failure came after ``discard``
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
                self.discard()
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

        content = None if page.content is None else text_digest(page.content)
        return digest(content, page.url, str(page.title), page.meta, toc(page.toc))

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
