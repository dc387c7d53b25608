"""Results of earlier runs, kept as plain JSON, one entry per cache key.

An entry holds the key it was stored under, the result, and the files of the
project that the run read, each with its hash. ``get`` trusts an entry only if
all of these hold: it parses, it claims the key it was asked for, the result
passes ``result.problems`` (types, text, sizes), and every file the run read is
unchanged. Anything else is a miss, and the block runs again. So a data file or a
helper module edited since the run invalidates the result without having been
declared anywhere.

Entries never hold pickles or anything executed on load. Writes are atomic (a
temporary file renamed into place), so builds running side by side can share a
cache. ``evict`` removes what no recent build used; every use of an entry renews it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from snippet_exec.result import Limits, Result, from_json
from snippet_exec.shared import content_hash

FORMAT = 1
log = logging.getLogger("mkdocs.plugins.snippet_exec")


def unchanged(reads: dict[str, str], root: Path) -> str | None:
    """The first file (or folder) of ``reads`` whose content changed, or None."""
    for name, digest in reads.items():
        folder = name.endswith("/")
        if content_hash(root / name.rstrip("/"), folder) != digest:
            return name
    return None


@dataclass
class Cache:
    """Results on disk under ``directory``, one JSON file per key."""

    directory: Path
    limits: Limits
    writable: bool = True

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, root: Path) -> Result | None:
        """The stored result for ``key``, if it can be trusted; else None."""
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != FORMAT:
            return None
        if entry.get("key") != key or not isinstance(entry.get("result"), dict):
            log.info("cache entry %s claims another key: ignored", path.name)
            return None
        result = from_json(entry["result"], self.limits)
        if result is None or result.failure:
            log.info("cache entry %s is not a usable result: ignored", path.name)
            return None
        if changed := unchanged(result.reads, root):
            log.debug("cache entry %s: %s changed since the run", path.name, changed)
            return None
        if self.writable:
            _touch(path)
        result.cached = True
        return result

    def put(self, key: str, result: Result) -> None:
        """Store a successful ``result`` (failures are never stored)."""
        if not self.writable or result.failure:
            return
        entry = {"format": FORMAT, "key": key, "result": result.to_json()}
        write_atomically(self._path(key), json.dumps(entry))

    def entry(self, key: str) -> Path:
        """Where the entry for ``key`` is (or would be) stored."""
        return self._path(key)


def evict(directory: Path, days: float, keep: set[Path]) -> tuple[int, int]:
    """Delete the files under ``directory`` unused for ``days`` (but those in
    ``keep``); return how many, and how many bytes."""
    horizon = time.time() - days * 86400
    count = size = 0
    for path in directory.rglob("*") if directory.is_dir() else ():
        try:
            stat = path.stat()
            if path.is_file() and path not in keep and stat.st_mtime < horizon:
                path.unlink()
                count += 1
                size += stat.st_size
        except OSError:
            continue
    return count, size


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(path)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
