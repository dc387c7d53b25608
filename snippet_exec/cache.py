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
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from snippet_exec.result import Limits, Result, problems
from snippet_exec.shared import content_hash

FORMAT = 1
log = logging.getLogger("mkdocs.plugins.snippet_exec")
_parsed: dict[Path, tuple[tuple[int, int], dict, str]] = {}
"""Entries parsed and checked by this process (``mkdocs serve`` builds again and
again), by path, with the modification time and size they had."""


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

    def _load(self, key: str) -> tuple[dict, str] | None:
        """The entry for ``key`` as data, checked, and the hash of its text. An
        entry read before, and unchanged on disk since, is not parsed again."""
        path = self._path(key)
        try:
            stat = path.stat()
            known = _parsed.get(path)
            if known is not None and known[0] == (stat.st_mtime_ns, stat.st_size):
                return known[1], known[2]
            text = path.read_text(encoding="utf-8")
            entry = json.loads(text)
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != FORMAT:
            return None
        if entry.get("key") != key or not isinstance(entry.get("result"), dict):
            log.info("cache entry %s claims another key: ignored", path.name)
            return None
        if problems(entry["result"], self.limits):
            log.info("cache entry %s is not a usable result: ignored", path.name)
            return None
        digest = hashlib.sha256(text.encode()).hexdigest()
        _parsed[path] = (stat.st_mtime_ns, stat.st_size), entry["result"], digest
        return entry["result"], digest

    def get(self, key: str, root: Path) -> Result | None:
        """The stored result for ``key``, if it can be trusted; else None."""
        loaded = self._load(key)
        if loaded is None:
            return None
        result = Result(**loaded[0], cached=True, digest=loaded[1])
        if result.failure:
            return None
        if changed := unchanged(result.reads, root):
            log.debug("cache entry %s: %s changed since the run", key[:12], changed)
            return None
        if self.writable:
            _renew(self._path(key))
        return result

    def put(self, key: str, result: Result) -> None:
        """Store a successful ``result`` (failures are never stored), and set its
        ``digest`` (the hash of the stored text)."""
        entry = {"format": FORMAT, "key": key, "result": result.to_json()}
        text = json.dumps(entry)
        result.digest = hashlib.sha256(text.encode()).hexdigest()
        if self.writable and not result.failure:
            write_atomically(self._path(key), text)

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


def _renew(path: Path) -> None:
    """Mark an entry as used now (eviction goes by that), once an hour at most."""
    with contextlib.suppress(OSError):
        if path.stat().st_mtime < time.time() - 3600:
            os.utime(path)
            _parsed.pop(path, None)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
