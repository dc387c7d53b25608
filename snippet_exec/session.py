"""A build's runs: submitted as its pages are converted, awaited before any is written.

A ``Session`` is what the plugin's hooks and the standalone fence delegate to:

- it makes the build's Runner from the site's settings (cache, work folder, the
  executor ``executors.executor_for`` picks) and closes it (``close``, or leaving
  a ``with`` block, which cancels first if the block raised);
- ``add`` submits a block's jobs (or records why it cannot run), ``submit`` any
  other job (a notebook's), each named for the log by the page that asked first;
- ``wait`` waits for runs; at the first failure among all the session's runs it
  cancels the rest and raises ``BuildFailure`` with every failure known, typed
  (``errors``), each naming its page, block and line;
- it tells its ``progress.Reporter`` of every run as it is submitted and as it
  ends (a line in the log per run, a live line on a terminal);
- ``summary`` is the build log's account of the runs, ``results`` every run for
  the times page; ``evict`` deletes what no recent build used.

The place to check results beyond ``result.problems`` is here too: every run
passes through ``_submit``.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snippet_exec import printed
from snippet_exec.blocks import Block
from snippet_exec.cache import Cache, RemoteStore, Store, evict, store_at
from snippet_exec.engine import Job, Runner, Settings
from snippet_exec.errors import (
    BuildFailure,
    ConfigError,
    EngineFault,
    RunFailure,
    SnippetExecError,
)
from snippet_exec.executors import executor_for
from snippet_exec.progress import Progress, Reporter, Run, summary
from snippet_exec.result import Result
from snippet_exec.settings import SiteSettings

log = logging.getLogger("mkdocs.plugins.snippet_exec")


@dataclass
class Submitted:
    """A block and the futures of its runs (none when execution is off)."""

    block: Block
    md: Any
    """The Markdown instance converting its page, which renders it."""
    futures: list[Future[Result]] = field(default_factory=list)

    @property
    def placeholder(self) -> str:
        """What stands in the page for the block until its results are in."""
        return printed.placeholder("block", str(id(self)))

    def results(self) -> list[Result]:
        return [future.result() for future in self.futures]


def writable(option: str, folder: Path) -> None:
    """Raise a ConfigError naming ``option`` if ``folder`` cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise ConfigError(
            f"snippet-exec's {option} ({folder}) is not a folder it can write in: "
            f"{error}"
        ) from None


def runner_for(settings: SiteSettings, root: Path, ignore: Iterable[Path]) -> Runner:
    """The Runner of a build of the site at ``root`` with ``settings``; ``ignore``
    are the build's own folders (its output): a run reads them freely and may not
    write into them, nor into the cache."""
    ignore = tuple(ignore)
    work_dir = root / settings.work_dir
    store = store_at(settings.cache_dir, root)
    writable("work_dir", work_dir)
    if not settings.cache_readonly and not isinstance(store, RemoteStore):
        writable("cache_dir", store.directory)
    local = Store(work_dir / "cache") if settings.cache_readonly else None
    cached = [work_dir / "cache"]  # what a run wrote there would be published
    if not isinstance(store, RemoteStore):
        cached.append(store.directory)
    executor = executor_for(settings.executor, settings.start_method, settings.policy)
    limits = settings.limits
    return Runner(
        Settings(
            root=root,
            cache=Cache(store, limits, not settings.cache_readonly, local),
            work_dir=work_dir,
            jobs=settings.jobs or executor.jobs,
            force=settings.force,
            incremental=settings.incremental,
            check_reproducible=settings.check_reproducible,
            limits=limits,
            ignore=(work_dir, *ignore),
            guarded=(*ignore, *cached),
            policy=settings.policy,
        ),
        executor,
    )


class Session:
    """The runs of one build (or of one block, for the standalone fence)."""

    def __init__(
        self,
        settings: SiteSettings,
        runner: Runner | None,
        reporter: Reporter | None = None,
    ) -> None:
        self.settings = settings
        self.runner = runner
        """None when execution is off: blocks are rendered without results."""
        self.reporter = reporter or Progress()
        """Told of every run as it is submitted and as it ends."""
        self.blocks: list[Submitted] = []
        self.problems: list[SnippetExecError] = []
        """Failures known before any run ends (a block's options, its snippet)."""
        self.others: dict[str, tuple[str, Future[Result]]] = {}
        """Runs no block asked for (a notebook's), by name: their page, future."""
        self.names: dict[str, tuple[str, str]] = {}
        """Every run, by key: the page that first asked for it, and its name."""
        self.reported: list[SnippetExecError] = []
        """The failures the last ``wait`` raised."""
        self.failed = False
        """A run has failed (noted as each ends): only then does ``wait`` look
        through every run for failures, rather than at each of a build's
        hundred waits (a notebook page waits for its run)."""

    @classmethod
    def start(
        cls, settings: SiteSettings, root: Path, ignore: Iterable[Path] = ()
    ) -> Session:
        """A session for a build at ``root``: with a Runner unless execution is off."""
        runner = runner_for(settings, root, ignore) if settings.enabled else None
        return cls(settings, runner)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            self.cancel()
        self.close()

    # -- submitting --------------------------------------------------------------

    def add(self, block: Block, md: Any) -> Submitted:
        """Submit ``block``'s jobs, or keep why it cannot run."""
        submitted = Submitted(block, md)
        self.blocks.append(submitted)
        if block.error is not None:
            self.problems.append(block.error)
        elif self.runner is not None:
            for job, name in zip(block.jobs, block.run_names(), strict=True):
                submitted.futures.append(self._submit(job, block.page, name))
        return submitted

    def submit(self, job: Job, page: str, name: str) -> Future[Result]:
        """Submit a job that is no block's (a notebook's run)."""
        future = self._submit(job, page, name)
        self.others[name] = page, future
        return future

    def _submit(self, job: Job, page: str, name: str) -> Future[Result]:
        assert self.runner is not None, "nothing runs when execution is off"
        future = self.runner.submit(job)
        future.add_done_callback(self._note)
        key = self.runner.key(job)
        if key not in self.names:  # a run is reported once, however many ask
            self.names[key] = page, name
            run = Run(key, page, name)
            self.reporter.submitted(run, future)
            future.add_done_callback(lambda done: self._ended(run, done))
        return future

    def _note(self, future: Future[Result]) -> None:
        """Note whether ``future``'s run failed (in the thread that ran it)."""
        with contextlib.suppress(CancelledError):
            if future.result().failure:
                self.failed = True

    def _ended(self, run: Run, future: Future[Result]) -> None:
        """Tell the reporter how ``run`` ended (in the thread that ran it)."""
        try:
            result: Result | None = future.result()
        except CancelledError:
            result = None
        self.reporter.finished(run, result)
        for path in result.outside if result is not None else ():
            log.warning(
                f"{run.page}: {run.name} read {path}, outside the project: a change "
                "to it is not seen (its cached result is served), and another "
                "machine may not have it"
            )

    # -- waiting -----------------------------------------------------------------

    def wait(self, futures: Iterable[Future[Result]] | None = None) -> None:
        """Wait for ``futures`` (by default every run); at the first failure among
        all the session's runs, cancel the rest and raise BuildFailure naming every
        failure known. A block that cannot run fails the build before any wait."""
        if self.reported:  # failed already: no page waits for more runs
            raise BuildFailure(self.reported)
        if futures is None:
            futures = [f for s in self.blocks for f in s.futures]
            futures += [future for _, future in self.others.values()]
        pending = set() if self.problems else set(futures)
        failed = False
        while pending and not failed:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            failed = any(future.result().failure for future in done)
        failures = self.failures() if failed or self.failed or self.problems else []
        if failures:
            self.cancel()
            self.reported = failures
            raise BuildFailure(failures)

    def settle(self, future: Future[Result]) -> Result | None:
        """The result of ``future`` once it is in (``wait``), or None if the build
        fails meanwhile, by this run or another: the failure is kept for the next
        ``wait`` to raise, so that a page that waits for one run (a notebook's)
        is never blamed for another's failure."""
        try:
            self.wait([future])
        except BuildFailure:
            return None
        return future.result()

    def failures(self) -> list[SnippetExecError]:
        """Every failure known now: blocks that cannot run, and finished runs that
        failed (each run once)."""
        found = list(self.problems)
        seen: set[int] = set()
        for submitted in self.blocks:
            block = submitted.block
            for values, future in zip(block.values, submitted.futures, strict=False):
                if future.done() and id(future) not in seen:
                    seen.add(id(future))
                    if future.result().failure:
                        found.append(block.failure(values, future.result()))
        for name, (page, future) in self.others.items():
            if future.done() and id(future) not in seen:
                seen.add(id(future))
                result = future.result()
                if result.failure:
                    kind = EngineFault if result.fault else RunFailure
                    found.append(kind(f"{page}: {name} failed: {result.failure}"))
        return found

    # -- accounts ----------------------------------------------------------------

    def results(self) -> list[tuple[str, str, str, Result]]:
        """Every finished run, each once, in the order they were asked for: its key,
        the page that asked first, its name, its result."""
        if self.runner is None:
            return []
        return [
            (key, *self.names.get(key, ("", key[:12])), result)
            for key, result in self.runner.results().items()
        ]

    def summary(self) -> None:
        """End the progress report; log the account of the runs (each line of a
        run was logged as it ended)."""
        self.reporter.close()
        log.info(summary([result for *_, result in self.results()]))

    # -- ending ------------------------------------------------------------------

    def cancel(self) -> None:
        """Drop the queued runs and end the running ones (whose ends are not
        reported: they are no failures of their own)."""
        self.reporter.close()
        if self.runner is not None:
            self.runner.cancel()

    def close(self) -> None:
        """Wait for running executions; release the threads and temporary files."""
        self.reporter.close()
        if self.runner is not None:
            self.runner.close()

    def evict(self) -> None:
        """Delete the cache entries and checkpoints no build used for
        ``evict_after_days``, and say so."""
        if self.runner is None:
            return
        days = self.settings.evict_after_days
        removed = size = 0
        folders = (self.runner.settings.cache.directory, self.runner.checkpoints.folder)
        for folder in folders:
            count, freed = evict(folder, days, self.runner.used)
            removed, size = removed + count, size + freed
        if removed:
            log.info(
                "evicted %d cache file(s) that no build used for %g days (%.1f MB)",
                removed,
                days,
                size / 2**20,
            )
