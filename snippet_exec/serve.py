"""Under ``mkdocs serve``: a rebuild that fails leaves the last good site served.

Before each build the site that is being served is set aside (``set_aside``);
a build that succeeds discards it (``discard``); a build that fails puts it back,
every page with a banner saying why (``restore``), until the next good edit.
``guard`` wraps the serve loop's builder so that no failure ever reaches the loop
(which would hang on it). ``watch`` adds the folders outside ``docs/`` that the
pages are made from.
"""

from __future__ import annotations

import html
import logging
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

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


def watch(server: Any, folders: Iterable[Path]) -> None:
    """Have ``server`` rebuild when a file under ``folders`` changes."""
    for folder in folders:
        server.watch(str(folder))


class LastGoodSite:
    """The site served before the current build, kept until the build ends."""

    def __init__(self) -> None:
        self.site_dir: Path | None = None

    @staticmethod
    def aside(site_dir: Path) -> Path:
        return Path(f"{site_dir}.last-good")

    def set_aside(self, site_dir: Path) -> None:
        """Keep the site in ``site_dir`` while a build writes a new one there."""
        aside = self.aside(site_dir)
        shutil.rmtree(aside, ignore_errors=True)
        if site_dir.is_dir() and any(site_dir.iterdir()):
            site_dir.rename(aside)
            site_dir.mkdir()
        self.site_dir = site_dir

    def discard(self, site_dir: Path) -> None:
        """The build succeeded: the site set aside is no longer needed."""
        shutil.rmtree(self.aside(site_dir), ignore_errors=True)

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
                if isinstance(error, KeyboardInterrupt):
                    raise
                reason = "\n".join(reasons()) or str(error) or type(error).__name__
                log.error("The rebuild failed; serving the last good site: %s", reason)
                self.restore(reason)

        return safe_builder
