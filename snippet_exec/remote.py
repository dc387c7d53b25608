"""Run snippets on a Dask cluster, each run a task, isolated as it is here.

``DaskExecutor`` is an ``executors.Executor``, as a local launcher is
(``process.Launcher``): the Runner gives it each request, and it submits a task
that runs the request on a worker with ``process.run``, the same way as on this
machine (a process of its own per run, in its own process group, with the same
time and memory limits), and returns the result as data. Dask schedules; nothing
here does.

- **What a run needs goes with it**: the snippet's folder of snippets (the helper
  modules beside it) and the files its ``depends`` globs name, written under a
  temporary folder on the worker that stands for the project's root. The result
  records what the run read relative to that root, as it does here, so entries
  made on the cluster are the entries a local run would make.
- **Checkpoints stay on this machine**: remote runs neither save nor restore one.
- **Faults**: a worker that dies mid-run makes the task fail (``KilledWorker``,
  after whatever retries the scheduler allows); it is submitted once more, then
  reported as the block's failure. A scheduler that does not answer within
  ``CONNECT_TIMEOUT`` fails the build naming its address. Workers whose
  environment (Python, installed versions, the engine's code) is not this
  machine's are refused before anything runs: their results would not be the
  results this build's cache keys promise. The client's answers are checked for
  what they must be (a client made asynchronous would hand back coroutines).
"""

from __future__ import annotations

import atexit
import shutil
import uuid
from pathlib import Path
from typing import Any

from snippet_exec import identity, process
from snippet_exec.contract import RunData, RunRequest, failed
from snippet_exec.errors import ConfigError

CONNECT_TIMEOUT = 30
"""Seconds to wait for the scheduler before the build fails."""


class ClusterError(ConfigError):
    """The cluster cannot be used: unreachable, or not this machine's environment."""


def _identity(policy: str = identity.DEFAULT_POLICY) -> dict[str, Any]:
    """A worker's environment and engine, as the client compares them."""
    return {"environment": identity.environment(), "engine": identity.engine(policy)}


def _answer(value: object, what: str) -> dict[Any, Any]:
    """A synchronous client's answer, which is a dict; anything else (a coroutine
    from an asynchronous client) is refused, naming ``what`` was asked."""
    if not isinstance(value, dict):
        close = getattr(value, "close", None)  # a coroutine never awaited: no warning
        if callable(close):
            close()
        raise ClusterError(
            f"the Dask client answered {what} with a {type(value).__name__}, not the "
            "dict a synchronous client gives"
        )
    return value


REMOTE_PREFIX = "snippet-exec-remote-"
"""A worker's folder for a run's files: with the worker's pid, so that a worker
that was killed mid-run (its ``finally`` never ran) has it removed by the next."""


def run_remotely(request: RunRequest, files: dict[str, bytes]) -> RunData:
    """The task: write ``files`` under a temporary root, run the request there."""
    root = process.own_temp_folder(REMOTE_PREFIX)
    runs = process.temp_root()
    try:
        for name, data in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        here: RunRequest = {
            **request,
            "root": str(root),
            "filename": str(root / request["relative"]),
            "ignore": [],
            "checkpoints": None,
            "resume": None,
        }
        from snippet_exec.executors import executor_for

        local = executor_for("local", "auto", here["policy"])
        engine = identity.engine(here["policy"])
        return local.execute(here, engine=engine, root=runs)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(runs, ignore_errors=True)


def shipped(request: RunRequest) -> dict[str, bytes]:
    """The files a run needs on a worker, by path from the project's root: its
    top folder of snippets, and the files its ``depends`` globs name."""
    root = Path(request["root"])
    relative = Path(request["relative"])
    top = root / relative.parts[0] if len(relative.parts) > 1 else root / relative
    paths = {p for p in top.rglob("*") if p.is_file()} if top.is_dir() else {top}
    for pattern in request.get("depends", []):
        paths.update(p for p in root.glob(pattern) if p.is_file())
    skipped = {"__pycache__"}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(paths)
        if not skipped & set(p.relative_to(root).parts)
    }


class _TaskHandle:
    """A run on the cluster, as a ``process.Handle``: ending it cancels its task."""

    def __init__(self, future: Any) -> None:
        self.future = future

    def wait(self, timeout: float | None) -> int | None:
        return None  # the caller waits for the task's result, not for this

    def kill(self) -> None:
        self.future.cancel()


class DaskExecutor:
    """Runs requests as tasks on the Dask cluster whose scheduler is ``address``."""

    name = "dask"
    local = False

    def __init__(self, address: str, policy: str = identity.DEFAULT_POLICY) -> None:
        from distributed import Client

        self.address = address
        self.policy = policy
        try:
            self.client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise ClusterError(
                f"could not reach the Dask scheduler at {address}: {error}"
            ) from None
        self.check()

    def check(self) -> None:
        """Refuse a cluster without workers, or whose workers are not like here."""
        here = _identity(self.policy)
        workers = _answer(self.client.run(_identity, self.policy), "run")
        if not workers:
            raise ClusterError(f"the Dask cluster at {self.address} has no worker")
        for worker, theirs in sorted(workers.items()):
            if theirs != here:
                differs = [
                    f"{name}: {theirs['environment'].get(name)} there, "
                    f"{here['environment'].get(name)} here"
                    for name in here["environment"]
                    if theirs["environment"].get(name) != here["environment"].get(name)
                ]
                if theirs["engine"] != here["engine"]:
                    differs.append("the engine's code (snippet_exec) differs")
                raise ClusterError(
                    f"the Dask worker {worker} at {self.address} does not have this "
                    f"environment (the lock's): {'; '.join(differs)}"
                )

    @property
    def jobs(self) -> int:
        """How many runs the cluster runs at once: its worker threads."""
        threads = _answer(self.client.nthreads(), "nthreads")
        return max(1, sum(threads.values()))

    def execute(
        self,
        request: RunRequest,
        *,
        engine: str,
        root: Path,
        started: process.Started | None = None,
    ) -> RunData:
        """Run ``request`` on the cluster; a run whose worker died runs once more."""
        from distributed import KilledWorker

        relative = Path(request["filename"]).relative_to(request["root"]).as_posix()
        request = {**request, "relative": relative}
        files = shipped(request)
        for _ in range(2):
            future = self.client.submit(
                run_remotely,
                request,
                files,
                key=f"snippet-exec-{uuid.uuid4().hex}",
                pure=False,
            )
            if started is not None:
                started(_TaskHandle(future))
            try:
                data: RunData = future.result()
                return data
            except KilledWorker:
                continue
            except Exception as error:  # the task itself failed: not the snippet
                reason = f"its Dask task failed: {type(error).__name__}: {error}"
                return failed(reason, fault=True)
        return failed(
            "the Dask worker running it died, and again when it ran once more",
            fault=False,
        )

    def prepare(self, engine: str) -> None:
        """Nothing to do: the cluster's workers are up already."""

    def close(self) -> None:
        self.client.close()


_executors: dict[tuple[str, str], DaskExecutor] = {}


def executor_for(address: str, policy: str = identity.DEFAULT_POLICY) -> DaskExecutor:
    """The executor for the scheduler at ``address``: one per process and policy,
    shared by every build the process runs, closed when the process exits."""
    key = (address, policy)
    if key not in _executors:
        if not _executors:
            atexit.register(close_all)
        _executors[key] = DaskExecutor(address, policy)
    return _executors[key]


def close_all() -> None:
    """Disconnect from every cluster this process used."""
    while _executors:
        _executors.popitem()[1].close()
