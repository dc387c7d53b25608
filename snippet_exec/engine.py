"""Execute snippets in fresh processes, with a time limit, in parallel, with a cache.

``Runner.submit`` is the one entry point, used by the MkDocs plugin and by the tests:
it returns a future of the snippet's ``Result``. A result is looked up in the on-disk
cache under a key made of everything that can change it (the code, the local modules
it imports, the versions of Python and of the libraries, and this package's own
source); only a miss executes. The same key submitted twice in one run shares one
execution.
"""

from __future__ import annotations

import ast
import hashlib
import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).parent
LIBRARIES = ("numpy", "scikit-learn", "matplotlib")

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["snippet_exec.worker"])


def _run_in_child(*args: Any) -> None:
    """The child's entry point. The worker (numpy, scikit-learn, matplotlib) is
    imported here, in the fork server that preloads it, never in the build process."""
    from snippet_exec import worker

    worker.run(*args)


@dataclass
class Result:
    """What one execution of a snippet produced."""

    markdown: str = ""
    figures: list[dict[str, Any]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    cell_ends: list[int] = field(default_factory=list)
    cached: bool = False

    @property
    def failure(self) -> str | None:
        """Why this result must not be published, or None if it may."""
        if self.error:
            return self.error
        if self.warnings:
            return "it emitted warnings:\n" + "\n".join(self.warnings)
        return None


def execute(
    code: str, filename: str, *, timeout: float, id_prefix: str = "fig"
) -> Result:
    """Run ``code`` as the script ``filename`` in a fresh process, for ``timeout`` s."""
    receiver, sender = _context.Pipe(duplex=False)
    process = _context.Process(
        target=_run_in_child, args=(sender, code, filename, id_prefix)
    )
    start = time.perf_counter()
    process.start()
    sender.close()
    data = None
    if receiver.poll(timeout):
        try:
            data = receiver.recv()
        except EOFError:
            data = None
    else:
        process.kill()
    process.join()
    receiver.close()
    if data is not None:
        return Result(**data)
    elapsed = time.perf_counter() - start
    if elapsed >= timeout:
        reason = f"it did not finish within its time limit of {timeout:g} s"
    else:
        reason = (
            f"its process ended with exit code {process.exitcode} before it finished"
        )
    return Result(error=reason, seconds=elapsed)


def local_modules(code: str, directory: Path) -> dict[str, str]:
    """Hashes of the modules in ``directory`` that ``code`` imports, directly or not."""
    found: dict[str, str] = {}
    pending = [code]
    while pending:
        try:
            tree = ast.parse(pending.pop())
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                path = directory / f"{name.split('.')[0]}.py"
                if path.is_file() and path.name not in found:
                    source = path.read_text(encoding="utf-8")
                    found[path.name] = hashlib.sha256(source.encode()).hexdigest()
                    pending.append(source)
    return dict(sorted(found.items()))


def _environment() -> dict[str, str]:
    """Versions and engine source that every cached result depends on."""
    engine = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        engine.update(path.read_bytes())
    versions = {name: version(name) for name in LIBRARIES}
    return {"python": sys.version, "engine": engine.hexdigest(), **versions}


ENVIRONMENT = _environment()


def cache_key(code: str, filename: Path) -> str:
    """The key under which the result of running ``code`` at ``filename`` is cached."""
    material = {
        "code": code,
        "modules": local_modules(code, filename.parent),
        "environment": ENVIRONMENT,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


class Cache:
    """Results on disk, one JSON file per key. Anything unreadable is a miss."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Result | None:
        """The cached result for ``key``, or None."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            result = Result(**data)
        except (OSError, ValueError, TypeError):
            return None
        if not isinstance(result.markdown, str) or result.failure:
            return None
        result.cached = True
        return result

    def put(self, key: str, result: Result) -> None:
        """Store a successful ``result`` (failures are never cached)."""
        if result.failure:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(asdict(result)), encoding="utf-8")
        partial.replace(path)


class Runner:
    """Submits snippets for execution: cached, deduplicated, ``jobs`` at a time."""

    def __init__(self, cache: Cache, *, jobs: int, force: bool = False) -> None:
        self.cache = cache
        self.force = force
        self.pool = ThreadPoolExecutor(max_workers=max(1, jobs))
        self.futures: dict[str, Future[Result]] = {}

    def submit(self, code: str, filename: Path, *, timeout: float) -> Future[Result]:
        """A future of the result of running ``code`` as the script ``filename``."""
        key = cache_key(code, filename)
        if key in self.futures:
            return self.futures[key]
        cached = None if self.force else self.cache.get(key)
        if cached is not None:
            future: Future[Result] = Future()
            future.set_result(cached)
        else:
            future = self.pool.submit(self._execute, key, code, filename, timeout)
        self.futures[key] = future
        return future

    def _execute(self, key: str, code: str, filename: Path, timeout: float) -> Result:
        result = execute(code, str(filename), timeout=timeout, id_prefix=f"f{key[:8]}")
        self.cache.put(key, result)
        return result

    def close(self) -> None:
        """Wait for running executions and release the threads."""
        self.pool.shutdown(wait=True)
