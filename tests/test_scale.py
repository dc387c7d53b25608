"""Beyond one machine: a cache anywhere fsspec reaches, shared read-only, and runs
on a real Dask cluster (a scheduler and two worker processes on 127.0.0.1).

Every wait here is for a state: the scheduler's file, the workers registered.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from conftest import without_run_times

from snippet_exec import remote
from snippet_exec.cache import Cache, store_at
from snippet_exec.result import Limits, Result


def summary(executed: int, resumed: int, cached: int) -> str:
    """The build log's account of its runs."""
    if not executed:
        return f"Nothing ran: all {cached} results came from the cache"
    return (
        f"{executed} executed ({resumed} resumed from a checkpoint), "
        f"{cached} from the cache, 0 failed"
    )


PLOT = """\
import matplotlib.pyplot as plt
import numpy as np

SEED = 0
rng = np.random.default_rng(SEED)
values = rng.normal(size=20).cumsum()
print(f"- Last value: {values[-1]:.3f}")
plt.plot(np.arange(1, 21), values, label="Walk")
plt.xlabel("Step")
plt.ylabel("Value")
plt.title("A random walk")
plt.show()
"""


# -- a cache anywhere ------------------------------------------------------------


def test_a_cache_at_a_url_is_read_back(project):
    project.snippet("walk.py", PLOT)
    project.page("index.md", "walk.py")
    url = f"file://{project.root / 'shared'}"
    assert summary(1, 0, 0) in project.build(cache_dir=url)
    assert summary(0, 0, 1) in project.build(cache_dir=url)
    assert list((project.root / "shared").rglob("*.json"))


def test_a_cache_in_memory_is_read_back(project):
    """memory:// stands for any fsspec file system (s3://, gs://) in this test."""
    project.snippet("walk.py", PLOT)
    project.page("index.md", "walk.py")
    url = f"memory://epochs-test-{project.root.name}"
    assert summary(1, 0, 0) in project.build(cache_dir=url)
    assert summary(0, 0, 1) in project.build(cache_dir=url)


def test_a_read_only_cache_is_read_never_written(project):
    """A contributor reads what CI stored, and keeps their own runs locally."""
    project.snippet("walk.py", PLOT)
    project.snippet("other.py", "print('- other')\n")
    project.page("index.md", "walk.py", "other.py")
    shared = project.root / "ci-cache"
    project.build(cache_dir=str(shared))  # CI fills the cache
    before = sorted(p.read_bytes() for p in shared.rglob("*.json"))
    assert summary(0, 0, 2) in project.build(cache_dir=str(shared), cache_readonly=True)
    project.snippet("other.py", "print('- edited')\n")
    assert summary(1, 0, 1) in project.build(cache_dir=str(shared), cache_readonly=True)
    assert sorted(p.read_bytes() for p in shared.rglob("*.json")) == before
    assert summary(0, 0, 2) in project.build(cache_dir=str(shared), cache_readonly=True)
    assert list((project.root / ".snippet-exec" / "cache").rglob("*.json"))


def test_writes_are_atomic_with_many_writers(tmp_path):
    """Readers see no entry or a whole one, whatever the writers do at once."""
    key = "ab" + "0" * 62
    results = [Result(markdown=f"- run {n}\n" * 200) for n in range(8)]
    seen: list[str | None] = []

    def write(result: Result) -> None:
        cache = Cache(store_at(str(tmp_path / "cache"), tmp_path), Limits())
        for _ in range(25):
            cache.put(key, result)

    def read() -> None:
        cache = Cache(store_at(str(tmp_path / "cache"), tmp_path), Limits())
        for _ in range(200):
            found = cache.get(key, tmp_path)
            seen.append(None if found is None else found.markdown)

    threads = [threading.Thread(target=write, args=(r,)) for r in results]
    threads += [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {text for text in seen if text} <= {r.markdown for r in results}
    entry = next((tmp_path / "cache").rglob("*.json"))
    assert json.loads(entry.read_text())["key"] == key
    assert not list((tmp_path / "cache").rglob("*.tmp"))


# -- a Dask cluster --------------------------------------------------------------


class Cluster:
    """A scheduler and workers on 127.0.0.1, as separate processes."""

    def __init__(self, root: Path, workers: int, env: dict[str, str] | None = None):
        self.root = root
        self.file = root / "scheduler.json"
        self.processes: list[subprocess.Popen] = []
        environment = {**os.environ, **(env or {})}
        # The first death of a worker fails the task at once: the engine's own
        # retry is what the tests watch.
        environment["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = "0"
        # The scheduler's scratch folder in the test's own, not /tmp's shared
        # dask-scratch-space, which outlived every test run.
        environment["DASK_TEMPORARY_DIRECTORY"] = str(root)
        self.log = (root / "cluster.log").open("w")
        self._start(
            "distributed.cli.dask_scheduler",
            "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", str(self.file),
            env=environment,
        )  # fmt: skip
        from distributed import Client

        self.client = Client(scheduler_file=str(self.file), timeout=120)
        self._start(
            "distributed.cli.dask_worker",
            "--scheduler-file", str(self.file), "--nworkers", str(workers),
            "--nthreads", "1", "--no-dashboard", "--local-directory", str(root),
            env=environment,
        )  # fmt: skip
        self.client.wait_for_workers(workers, timeout=180)
        self.address = self.client.scheduler.address.removeprefix("tcp://")

    def _start(self, module: str, *args: str, env: dict[str, str]) -> None:
        self.processes.append(
            subprocess.Popen(
                [sys.executable, "-m", module, *args],
                env=env,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                cwd=self.root,
            )
        )

    def stop(self) -> None:
        remote.close_all()  # the builds' connections, before the cluster goes
        self.client.close()
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    cluster = Cluster(tmp_path_factory.mktemp("cluster"), workers=2)
    yield cluster
    cluster.stop()


def site_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): without_run_times(p.read_bytes())
        for p in site.rglob("*")
        if p.is_file() and "execution-times" not in p.parts
    }


def test_a_site_built_on_the_cluster_is_the_site_built_here(project, cluster):
    project.snippet("_helpers.py", "STEPS = 20\n")
    project.snippet("walk.py", PLOT)
    project.snippet(
        "uses_helper.py", "from _helpers import STEPS\n\nprint(f'- {STEPS} steps')\n"
    )
    project.page("index.md", "walk.py", "uses_helper.py")
    project.page("seeds.md", "walk.py", options='vary="SEED: 1..3"')
    log = project.build(cache_dir="local-cache", jupyter=True)
    assert summary(5, 0, 0) in log
    here = site_files(project.root / "site")
    log = project.build(
        cache_dir="cluster-cache", executor=f"dask://{cluster.address}", jupyter=True
    )
    assert summary(5, 0, 0) in log
    assert site_files(project.root / "site") == here
    assert "20 steps" in project.html()


def test_a_run_whose_worker_dies_runs_once_more(project, cluster):
    marker = project.root / "killed-once"
    project.snippet(
        "dies_once.py",
        f"""\
        import os
        import signal
        from pathlib import Path

        import psutil

        MARKER = Path({str(marker)!r})
        if not MARKER.exists():
            MARKER.write_text("yes")
            # The run's parent is the worker's fork server; its parent, the worker.
            os.kill(psutil.Process().parent().parent().pid, signal.SIGKILL)
        print("- ran to the end")
        """,
    )
    project.page("index.md", "dies_once.py")
    project.build(executor=f"dask://{cluster.address}")
    assert marker.exists()
    assert "ran to the end" in project.html()
    cluster.client.wait_for_workers(2, timeout=180)  # the nanny restarted it


def test_a_run_that_kills_its_worker_twice_fails_naming_it(project, cluster):
    project.snippet(
        "dies.py",
        """\
        import os
        import signal

        import psutil

        os.kill(psutil.Process().parent().parent().pid, signal.SIGKILL)
        """,
    )
    project.page("guide.md", "dies.py")
    log = project.fails(executor=f"dask://{cluster.address}")
    assert "guide.md: snippets/dies.py failed" in log
    assert "the Dask worker running it died, and again when it ran once more" in log
    cluster.client.wait_for_workers(2, timeout=180)
    # The killed workers' folders for the run's files go with their next runs.
    project.snippet("dies.py", "print('- lived')\n")
    project.build(executor=f"dask://{cluster.address}")
    pids = [
        folder.name.removeprefix(remote.REMOTE_PREFIX).split("-")[0]
        for folder in Path(tempfile.gettempdir()).glob(f"{remote.REMOTE_PREFIX}*")
    ]
    left = [pid for pid in pids if pid.isdigit() and not psutil.pid_exists(int(pid))]
    assert left == []


def test_an_unreachable_scheduler_is_named(project, monkeypatch):
    """Named once the connection's time is up: 30 s in a build, 1 s here (the port
    is closed, so no wait could reach it)."""
    monkeypatch.setattr(remote, "CONNECT_TIMEOUT", 1)
    project.snippet("one.py", "print(1)\n")
    project.page("index.md", "one.py")
    with socket_closed() as port:
        log = project.fails(executor=f"dask://127.0.0.1:{port}")
    assert f"could not reach the Dask scheduler at tcp://127.0.0.1:{port}" in log


def test_a_cluster_with_another_environment_is_refused(project, tmp_path_factory):
    extra = tmp_path_factory.mktemp("other-packages")
    (extra / "somethingelse-1.0.dist-info").mkdir()
    other = Cluster(
        tmp_path_factory.mktemp("other-cluster"),
        workers=1,
        env={"PYTHONPATH": str(extra)},
    )
    try:
        project.snippet("one.py", "print(1)\n")
        project.page("index.md", "one.py")
        log = project.fails(executor=f"dask://{other.address}")
    finally:
        other.stop()
    assert "does not have this environment (the lock's): packages:" in log


class socket_closed:
    """A port on 127.0.0.1 where nothing listens."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    def __exit__(self, *exc: object) -> None:
        pass
