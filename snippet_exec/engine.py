"""Execute snippets: cached, in parallel, resumed from a checkpoint when possible.

``Runner.submit(job)`` is the one entry point, used by the build session
(``session``, for the plugin and the fence alike) and the tests: it returns a
future of the snippet's ``Result``. The Runner builds each run's request
(``contract.RunRequest``) and hands it to its ``executors.Executor``.

- **Cache key**: the code, the snippet's path, the files matched by the block's
  ``depends`` globs, its time and memory limits, the environment (interpreter and
  every installed version) and the engine's execution code (``identity``),
  computed anew for every Runner, so for every build. The cache also checks that
  every file the run read is unchanged (``cache.get``). The same key submitted
  twice shares one run.
- **Incremental execution**: every run saves its state after each ``# %%`` cell
  (``checkpoint``), in the local work folder (``Checkpoints``). When a snippet
  changed only from cell k + 1 on, its run restores the state saved after cell k
  by an earlier run and runs the rest. Where no state could be saved, it runs in
  full and says why.
- **Cancelling**: ``cancel()`` drops the queued runs and ends the running ones, so
  that a build that already failed stops at once.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import threading
import time
import traceback
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snippet_exec import identity, process
from snippet_exec.cache import Cache, unchanged
from snippet_exec.contract import Resume, RunData, RunRequest
from snippet_exec.executors import Executor
from snippet_exec.result import Limits, Result, from_json, problems
from snippet_exec.shared import cells, content_hash


@dataclass(frozen=True)
class Job:
    """One snippet to run."""

    code: str
    path: Path
    """The file the code is run as (its ``__file__``); its folder is on sys.path."""
    timeout: float
    depends: tuple[str, ...] = ()
    """Glob patterns, from the project root, of files the result depends on."""
    origins: tuple[tuple[str, int], ...] | None = None
    """For code assembled from several files: each line's file and line there."""
    limits: tuple[tuple[str, int], ...] = ()
    """The block's own size limits, over the site's (``Limits.raised``)."""


@dataclass
class Settings:
    """How a Runner runs: where, how much at once, with which limits."""

    root: Path
    """The project's root: paths in keys and recorded reads are relative to it."""
    cache: Cache
    work_dir: Path
    """Local, never shared: checkpoints for incremental execution."""
    jobs: int = 1
    force: bool = False
    """Run everything again, ignoring cached results and checkpoints."""
    incremental: bool = True
    check_reproducible: bool = False
    """Run every job twice, never from the cache; a difference fails it."""
    limits: Limits = field(default_factory=Limits)
    ignore: tuple[Path, ...] = ()
    """Folders whose files a run may read without them becoming dependencies."""
    guarded: tuple[Path, ...] = ()
    """Folders a run may not write into (the build's output, the cache): the
    worker refuses a write there at the snippet's line, and the run fails."""
    policy: str = identity.DEFAULT_POLICY
    """The site's policy module for its runs (``contract.RunPolicy``)."""


def difference(first: Result, second: Result) -> str | None:
    """Where two runs of one snippet differ first: its output's line, a figure's
    line of SVG, a value; None if they do not (run times aside)."""
    if second.failure:
        return f"its second run failed: {second.failure}"
    pairs = [("its output", first.markdown, second.markdown)]
    pairs += [
        (f"figure {n}'s SVG", a.get("svg", ""), b.get("svg", ""))
        for n, (a, b) in enumerate(
            zip(first.figures, second.figures, strict=False), start=1
        )
    ]
    for what, a, b in pairs:
        lines = itertools.zip_longest(a.splitlines(), b.splitlines(), fillvalue="")
        for number, (one, two) in enumerate(lines, start=1):
            if one != two:
                return f"line {number} of {what} differs: {one!r}, then {two!r}"
    if len(first.figures) != len(second.figures):
        return f"it showed {len(first.figures)} figures, then {len(second.figures)}"
    for name in sorted(first.values.keys() | second.values.keys()):
        if first.values.get(name) != second.values.get(name):
            return f"the value of {name} differs"
    return None


class Checkpoints:
    """The saved states of runs after their cells, in the local work folder: which
    one a run can resume from, where a run saves, and why a state was not saved."""

    def __init__(self, folder: Path, root: Path, used: set[Path]) -> None:
        self.folder = folder
        self.root = root
        self.used = used
        """Files used by this build (kept by eviction); shared with the Runner."""

    def resume_point(self, keys: list[str]) -> tuple[Resume | None, str]:
        """The latest usable checkpoint of the cells keyed ``keys``, and a note for
        the log."""
        why = ""
        for number in reversed(range(len(keys))):
            path = self.folder / f"{keys[number]}.pkl"
            reads = path.with_suffix(".json")
            if path.is_file() and reads.is_file():
                try:
                    changed = unchanged(json.loads(reads.read_text("utf-8")), self.root)
                except (OSError, ValueError):
                    changed = "its record"
                if changed is None:
                    self.used.update({path, reads})
                    note = (
                        f"resumed after cell {number + 1} of {len(keys) + 1} "
                        "from a checkpoint"
                    )
                    return {"path": str(path), "cells": number + 1}, note + why
            unsaved = path.with_suffix(".why")
            if not why and unsaved.is_file():
                reason = unsaved.read_text("utf-8")
                why = (
                    f"; the state after cell {number + 1} could not be saved ({reason})"
                )
        return None, f"in full, since{why.removeprefix(';')}" if why else ""

    def saves(self, keys: list[str]) -> list[str | None]:
        """Where a run saves the state after each cell it runs (the worker skips
        the cells it resumed over, unless their checkpoint could not be read)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return [str(self.folder / f"{key}.pkl") for key in keys]

    def unreadable(self, resume: Resume, why: str, statuses: list[str]) -> str:
        """Forget the checkpoint ``resume`` names, which the run could not read
        (unless the run saved it anew); return the note for the log."""
        cells = resume["cells"]
        if statuses[cells - 1 : cells] != ["saved"]:
            Path(resume["path"]).unlink(missing_ok=True)
        return f"in full, since the state after cell {cells} is unreadable ({why})"

    def note(self, key: str, status: str) -> None:
        """Remember why the state after a cell could not be saved (or forget it)."""
        note = self.folder / f"{key}.why"
        if status == "saved":
            note.unlink(missing_ok=True)
            self.used.update({note.with_suffix(".pkl"), note.with_suffix(".json")})
        elif status != "not saved":
            note.write_text(status, encoding="utf-8")
            self.used.add(note)


class Runner:
    """Submits jobs: looked up, deduplicated, resumed, run ``jobs`` at a time."""

    def __init__(self, settings: Settings, executor: Executor) -> None:
        self.settings = settings
        self.executor = executor
        """Runs requests: a launcher (here), or a cluster (``remote``)."""
        self.environment = identity.environment()
        self.engine = identity.engine(settings.policy)
        self.pool = ThreadPoolExecutor(max_workers=max(1, settings.jobs))
        self.futures: dict[str, Future[Result]] = {}
        self.handles: dict[str, process.Handle] = {}
        self.lock = threading.Lock()
        self.cancelled = False
        self.temp = process.temp_root()
        self.used: set[Path] = set()
        """Cache entries and checkpoints this Runner used (kept by eviction)."""
        self.checkpoints = Checkpoints(
            settings.work_dir / "checkpoints", settings.root, self.used
        )

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            self.cancel()
        self.close()

    # -- keys ------------------------------------------------------------------

    def _material(self, job: Job) -> dict[str, Any]:
        root = self.settings.root
        depends = {}
        for pattern in job.depends:
            for path in sorted(root.glob(pattern)):
                if path.is_file():
                    depends[path.relative_to(root).as_posix()] = content_hash(path)
        try:
            where = job.path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            where = job.path.as_posix()
        return {
            "path": where,
            "depends": depends,
            "origins": job.origins,
            "environment": self.environment,
            "engine": self.engine,
        }

    @staticmethod
    def _hash(material: dict[str, Any]) -> str:
        text = json.dumps(material, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def key(self, job: Job) -> str:
        """The key under which the result of ``job`` is cached: with its time and
        memory limits too (a run that passed under one may not under another)."""
        limits = {"timeout": job.timeout, "memory_mb": self.limits(job).memory_mb}
        return self._hash({**self._material(job), "code": job.code, **limits})

    def checkpoint_keys(self, job: Job) -> list[str]:
        """For each cell boundary (after cell 1, 2, ...), the key of the state."""
        material = self._material(job)
        parts = cells(job.code)
        return [
            self._hash({**material, "cells": "".join(parts[: number + 1])})
            for number in range(len(parts) - 1)
        ]

    # -- submitting ------------------------------------------------------------

    def submit(self, job: Job) -> Future[Result]:
        """A future of the result of ``job``."""
        key = self.key(job)
        with self.lock:
            if key in self.futures:
                return self.futures[key]
            cached = None
            if not (self.settings.force or self.settings.check_reproducible):
                cached = self.settings.cache.get(
                    key, self.settings.root, self.limits(job)
                )
            if cached is not None:
                self.used.add(self.settings.cache.entry(key))
                future: Future[Result] = Future()
                future.set_result(cached)
            else:
                future = self.pool.submit(self._run, key, job)
            self.futures[key] = future
        return future

    def _resume_point(self, job: Job, keys: list[str]) -> tuple[Resume | None, str]:
        """The latest usable checkpoint for ``job``, and a note for the log."""
        if self.settings.force or not self.settings.incremental:
            return None, ""
        if not self.executor.local:  # checkpoints stay on this machine
            return None, ""
        return self.checkpoints.resume_point(keys)

    def _request(self, job: Job, keys: list[str], resume: Resume | None) -> RunRequest:
        saves: list[str | None] = []
        if self.settings.incremental and self.executor.local:
            saves = self.checkpoints.saves(keys)
        return {
            "code": job.code,
            "filename": str(job.path),
            "origins": list(job.origins) if job.origins is not None else None,
            "root": str(self.settings.root),
            "ignore": [str(p) for p in self.settings.ignore],
            "timeout": job.timeout,
            "limits": self.limits(job).to_json(),
            "resume": resume,
            "checkpoints": saves,
            "depends": list(job.depends),
            "policy": self.settings.policy,
            "guarded": [str(p) for p in self.settings.guarded],
        }

    def _run(self, key: str, job: Job) -> Result:
        start = time.perf_counter()
        try:
            result = self._run_unchecked(key, job)
        except Exception:  # the engine's fault: fail the block, say where
            result = Result(
                error=f"snippet-exec itself failed:\n{traceback.format_exc()}",
                fault=True,
            )
        result.elapsed = time.perf_counter() - start
        return result

    def _run_unchecked(self, key: str, job: Job) -> Result:
        if self.cancelled:
            return Result(error="not run: the build had already failed")
        keys = self.checkpoint_keys(job)
        resume, note = self._resume_point(job, keys)
        request = self._request(job, keys, resume)

        def started(handle: process.Handle) -> None:
            with self.lock:
                self.handles[key] = handle
                cancelled = self.cancelled
            if cancelled:
                handle.kill()

        data = self.executor.execute(
            request, engine=self.engine, root=self.temp, started=started
        )
        with self.lock:
            self.handles.pop(key, None)
            if self.cancelled:
                return Result(error="stopped: the build had already failed")
        result = self._checked(data, self.limits(job))
        if self.settings.check_reproducible and not result.failure:
            again = request.copy()  # in full, saving nothing
            again["resume"], again["checkpoints"] = None, []
            second = self.executor.execute(
                again, engine=self.engine, root=self.temp, started=started
            )
            if differs := difference(result, self._checked(second, self.limits(job))):
                result.error = f"it is not reproducible: {differs}"
        for number, status in enumerate(result.checkpoints):
            if request["checkpoints"] and request["checkpoints"][number]:
                self.checkpoints.note(keys[number], status)
        if resume and result.unrestored:
            note = self.checkpoints.unreadable(
                resume, result.unrestored, result.checkpoints
            )
        result.note = note
        self.settings.cache.put(key, result, checked=self.limits(job))
        self.used.add(self.settings.cache.entry(key))
        return result

    def limits(self, job: Job) -> Limits:
        """The limits a run of ``job`` has: the site's, or the block's own."""
        return self.settings.limits.raised(job.limits)

    def _checked(self, data: RunData, limits: Limits) -> Result:
        """The run's data as a Result, or a failure saying why it is unusable."""
        result = from_json(data, limits)
        if result is not None:
            return result
        found = problems(data, limits)
        error = data.get("error") if isinstance(data, dict) else None
        return Result(error=error or "its result is unusable: " + "; ".join(found))

    # -- ending ----------------------------------------------------------------

    def cancel(self) -> None:
        """Drop the queued runs and end the running ones."""
        with self.lock:
            self.cancelled = True
            handles = list(self.handles.values())
            futures = list(self.futures.values())
        for future in futures:
            future.cancel()
        for handle in handles:
            handle.kill()

    def results(self) -> dict[str, Result]:
        """Every finished run of this Runner, by key (cancelled ones left out)."""
        done = {}
        for key, future in self.futures.items():
            try:
                done[key] = future.result()
            except CancelledError:
                continue
        return done

    def prepare(self) -> None:
        """Have the executor get ready for this engine's runs (see ``Executor``)."""
        self.executor.prepare(self.engine)

    def close(self) -> None:
        """Wait for running executions; release the threads and temporary files."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.temp, ignore_errors=True)
