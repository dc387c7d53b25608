"""Results of earlier runs, kept as plain JSON, one entry per cache key.

An entry holds the key it was stored under, the result, and the files of the
project that the run read, each with its hash, and a digest of the key and the
result. ``get`` trusts an entry only if all of these hold: it parses, it claims
the key it was asked for, its digest matches its content (an entry edited or
damaged since it was written), the result passes ``result.problems`` (types,
text, sizes), and every file the run read is unchanged. The digest is no
signature: whoever can write the cache (a snippet can: it runs as the builder)
can write a matching one. Anything else is a miss, and the block runs again. So
a data file or a helper module edited since the run invalidates the result
without having been declared anywhere; a folder's listing leaves out bytecode and
what the project's ``.gitignore`` ignores (``shared.listed``).

Entries live in a ``Store``: a folder, or any file system fsspec reaches
(``s3://``, ``gs://``, ``memory://``), so that a cache CI fills can be read by
everyone. A cache can be read-only (pull, never push): it is then read first, and
what this machine runs is kept in a local store beside it. Entries never hold
pickles or anything executed on load; what a writer stores becomes page content
for every reader, which is why contributors read a shared cache without writing
to it. Writes are atomic (a temporary file renamed into place, or one object
written whole), so builds running side by side can share a cache. ``evict``
removes what no recent build used; every use of an entry renews it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from snippet_exec.result import Limits, Result, problems
from snippet_exec.shared import content_hash

FORMAT = 2
"""2: entries carry a ``digest`` of their key and result."""
log = logging.getLogger("mkdocs.plugins.snippet_exec")
_parsed: dict[tuple[str, str], tuple[Any, Limits, dict, str]] = {}
"""Entries parsed and checked by this process (``mkdocs serve`` builds again and
again), by store and name, with the signature (time, size) they had."""


SETTLED_NS = 2_000_000_000
"""How long ago a file must have last changed for its ``stat`` to stand for its
content: a file's times tick in steps (a few milliseconds on Linux, up to 2 s
elsewhere), so that a write of the same size in the tick after a read can leave
them as they were (git's "racy clean" files)."""


def settled(found: os.stat_result) -> bool:
    """Whether the file ``found`` describes last changed ``SETTLED_NS`` ago."""
    return time.time_ns() - max(found.st_mtime_ns, found.st_ctime_ns) > SETTLED_NS


_hashed: dict[str, tuple[tuple[int, ...], str]] = {}
"""Files hashed by this process, by path: the hash, and the file's ``stat`` then."""


def file_hash(path: Path) -> str:
    """``content_hash`` of a file, read again only if its ``stat`` changed since
    this process last read it: its inode, size, modification and change times (a
    write changes the last, which no program sets). A build checks every cached
    run against the files it read, mostly the same modules and data, and
    ``mkdocs serve`` does so at every rebuild."""
    try:
        found = os.stat(path)
    except OSError:
        return ""
    stamp = (
        found.st_dev,
        found.st_ino,
        found.st_size,
        found.st_mtime_ns,
        found.st_ctime_ns,
    )
    known = _hashed.get(str(path))
    if known is not None and known[0] == stamp:
        return known[1]
    digest = content_hash(path)
    if settled(found):
        _hashed[str(path)] = stamp, digest
    return digest


def unchanged(reads: dict[str, str], root: Path) -> str | None:
    """The first file (or folder) of ``reads`` whose content changed, or None."""
    for name, digest in reads.items():
        path = root / name.rstrip("/")
        folder = name.endswith("/")
        now = content_hash(path, True, root) if folder else file_hash(path)
        if now != digest:
            return name
    return None


def entry_digest(key: str, result: Any, encoded: str | None = None) -> str:
    """The digest an entry carries: of its key and its result, as JSON with sorted
    keys (``encoded``: the result so encoded already)."""
    if encoded is None:
        encoded = json.dumps(result, sort_keys=True)
    # json.dumps({"key": key, "result": result}, sort_keys=True), the result once
    text = f'{{"key": {json.dumps(key)}, "result": {encoded}}}'
    return hashlib.sha256(text.encode()).hexdigest()


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


class Store:
    """Entries by name in a local folder."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.location = str(directory)

    def path(self, name: str) -> Path:
        return self.directory / name

    def signature(self, name: str) -> Any:
        """What changes when the entry does (None: cannot tell, or missing)."""
        try:
            stat = self.path(name).stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def read(self, name: str) -> str | None:
        try:
            return self.path(name).read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None

    def write(self, name: str, text: str) -> None:
        write_atomically(self.path(name), text)

    def renew(self, name: str) -> None:
        """Mark an entry as used now (eviction goes by that), once an hour at most."""
        with contextlib.suppress(OSError):
            if self.path(name).stat().st_mtime < time.time() - 3600:
                os.utime(self.path(name))

    def evict(self, days: float, keep: set[str]) -> tuple[int, int]:
        """Delete the entries unused for ``days`` (but those in ``keep``); return
        how many, and how many bytes."""
        return evict(self.directory, days, {self.path(name) for name in keep})


class RemoteStore(Store):
    """Entries by name under a URL that fsspec reaches (``s3://bucket/cache``)."""

    def __init__(self, url: str) -> None:
        import fsspec.core

        self.fs, self.base = fsspec.core.url_to_fs(url)
        self.location = url

    def _remote(self, name: str) -> str:
        return f"{self.base.rstrip('/')}/{name}"

    def signature(self, name: str) -> Any:
        try:
            info = self.fs.info(self._remote(name))
        except (OSError, ValueError):
            return None
        stamp = info.get("ETag") or info.get("mtime") or info.get("LastModified")
        return (str(stamp), info.get("size")) if stamp else None

    def read(self, name: str) -> str | None:
        try:
            return self.fs.cat_file(self._remote(name)).decode("utf-8")
        except (OSError, ValueError):
            return None

    def write(self, name: str, text: str) -> None:
        """One object written whole: readers see the old entry or the new one."""
        self.fs.pipe_file(self._remote(name), text.encode("utf-8"))

    def renew(self, name: str) -> None:
        """Object stores keep no access time; the writer evicts by its own runs."""

    def evict(self, days: float, keep: set[str]) -> tuple[int, int]:
        return 0, 0


def store_at(location: str, root: Path) -> Store:
    """The store for a location: a path (from ``root``), a file:// URL, or any other
    URL fsspec knows."""
    if location.startswith("file://"):
        location = location.removeprefix("file://")
    if "://" in location:
        return RemoteStore(location)
    return Store(root / location)


class Cache:
    """Results in ``store``; read-only caches keep this machine's runs in ``local``."""

    def __init__(
        self,
        store: Store | Path,
        limits: Limits,
        writable: bool = True,
        local: Store | None = None,
    ) -> None:
        self.store = store if isinstance(store, Store) else Store(store)
        self.limits = limits
        self.writable = writable
        self.local = local if not writable else None

    @property
    def directory(self) -> Path:
        """The folder this machine writes to (for eviction)."""
        target = self.store if self.writable else self.local
        return getattr(target, "directory", Path(os.devnull))

    @staticmethod
    def name(key: str) -> str:
        return f"{key[:2]}/{key}.json"

    def _load(self, store: Store, key: str, limits: Limits) -> tuple[dict, str] | None:
        """The entry for ``key`` in ``store`` as data, checked against ``limits``,
        and the hash of its text. An entry read before, and unchanged since, is not
        parsed again."""
        name = self.name(key)
        signature = store.signature(name)
        known = _parsed.get((store.location, name))
        if (
            known is not None
            and signature is not None
            and known[:2]
            == (
                signature,
                limits,
            )
        ):
            return known[2], known[3]
        text = store.read(name)
        if text is None:
            return None
        try:
            entry = json.loads(text)
        except ValueError:
            return None
        if not isinstance(entry, dict) or entry.get("format") != FORMAT:
            return None
        if entry.get("key") != key or not isinstance(entry.get("result"), dict):
            log.info("cache entry %s claims another key: ignored", name)
            return None
        if entry.get("digest") != entry_digest(key, entry["result"]):
            log.info(
                "cache entry %s: its digest does not match its content: ignored", name
            )
            return None
        if problems(entry["result"], limits):
            log.info("cache entry %s is not a usable result: ignored", name)
            return None
        digest = hashlib.sha256(text.encode()).hexdigest()
        if signature is not None:
            _parsed[store.location, name] = signature, limits, entry["result"], digest
        return entry["result"], digest

    def get(self, key: str, root: Path, limits: Limits | None = None) -> Result | None:
        """The stored result for ``key``, if it can be trusted (and fits ``limits``,
        by default the site's); else None."""
        for store in (self.store, self.local):
            if store is None:
                continue
            if (loaded := self._load(store, key, limits or self.limits)) is None:
                continue
            result = Result(**loaded[0], cached=True, digest=loaded[1])
            if result.failure:
                continue
            if changed := unchanged(result.reads, root):
                log.debug("cache entry %s: %s changed since the run", key[:12], changed)
                continue
            if store is not self.store or self.writable:
                store.renew(self.name(key))
            return result
        return None

    def put(self, key: str, result: Result, checked: Limits | None = None) -> None:
        """Store a successful ``result`` (failures are never stored), and set its
        ``digest`` (the hash of the stored text). ``checked``: the limits the
        result is known to fit (a finished run's, checked as it came in).

        The result is encoded once, with sorted keys, for the entry and its
        digest alike: a run's result is mostly numbers, and each encoding of it
        took as long as the rest of storing it."""
        encoded = json.dumps(result.to_json(), sort_keys=True)
        digest = entry_digest(key, None, encoded)
        head = {"format": FORMAT, "key": key, "digest": digest}
        text = json.dumps(head)[:-1] + f', "result": {encoded}}}'
        result.digest = hashlib.sha256(text.encode()).hexdigest()
        target = self.store if self.writable else self.local
        if target is not None and not result.failure:
            name = self.name(key)
            target.write(name, text)
            # Known as read, if it fits the site's limits (a block may have raised
            # its own): the next build of this process (a serve rebuild) does not
            # parse again what it wrote (a cold build writes some 100 MB).
            data = json.loads(encoded)
            signature = target.signature(name)
            fits = checked == self.limits or not problems(data, self.limits)
            if signature is not None and fits:
                known = signature, self.limits, data, result.digest
                _parsed[target.location, name] = known

    def entry(self, key: str) -> Path:
        """Where the entry for ``key`` is (or would be) stored on this machine."""
        return self.directory / self.name(key)


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
