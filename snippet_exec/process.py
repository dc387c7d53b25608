"""Run one snippet in a process of its own, and make sure nothing of it is left.

Every run happens in a fresh process that leads its own session (so its own process
group), in a temporary folder of its own:

- ``run()`` writes the request into the folder, starts the process, waits for it,
  then ends its whole process group (threads and processes the snippet started go
  with it) and deletes the folder, whatever happened. The child enforces the time
  limit itself (faulthandler dumps where it was and exits); the parent kills the
  group if even that does not happen within a grace period.
- Two ways to start the process, one isolation. ``ForkServer`` forks each run from
  a server process that has imported the worker (numpy, matplotlib) and what the
  site's policy preloads (``contract.RunPolicy``) once, so a run pays no import
  time; the server is single-threaded, started with the fixed
  environment of ``identity.child_environment()``, and restarted when the engine's
  source changes. ``Spawn`` starts a new interpreter per run, for systems where
  forking is unavailable or unsafe (Windows, macOS).

``python -m snippet_exec.process`` is the fork server's entry point.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from snippet_exec import identity, shared
from snippet_exec.contract import RunData, RunRequest, failed

GRACE = 5.0
"""Seconds past the time limit before the parent kills a run that did not stop."""
LAST_WORDS = 2.0
"""Seconds a run told to stop (SIGTERM) has to write where it was and end."""
POSIX = os.name == "posix"
TEMP_PREFIX = "snippet-exec-"


class Handle(Protocol):
    """A started run."""

    def wait(self, timeout: float | None) -> int | None:
        """The exit code (negative: killed by that signal), or None on time-out."""

    def kill(self) -> None:
        """End the run's process group, if anything of it is left."""


class LocalHandle(Handle, Protocol):
    """A run started on this machine, which can be asked where it is."""

    def stop(self) -> None:
        """Tell the run to stop (SIGTERM: faulthandler writes where it was, then it
        ends, see ``worker.main``), and wait a moment for it to end."""


Started = Callable[[Handle], None]
"""Told of each run once it runs, so that its caller can end it (``kill()``)."""


def _terminate(pid: int | None) -> None:
    if POSIX and pid is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)


def _kill_group(pid: int) -> None:
    if POSIX:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


# ---------------------------------------------------------------------------
# Spawn: a new interpreter per run.


STARTUP_CEILING = 600.0
"""Seconds a spawned interpreter may take to import what the worker needs: a
backstop only (it takes 2 s; several times that on a loaded machine)."""


@dataclass
class _SpawnHandle:
    process: subprocess.Popen[bytes]
    started: bool = False

    def wait(self, timeout: float | None) -> int | None:
        if not self.started:
            self._until_started()
        try:
            status = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        self._pipe().close()
        return status

    def _pipe(self) -> IO[bytes]:
        pipe = self.process.stdout
        assert pipe is not None, "started with stdout=PIPE"
        return pipe

    def _until_started(self) -> None:
        """Wait for the run itself to start, so that a new interpreter's imports
        do not count against the snippet's time limit: the worker points its
        stdout elsewhere as its run starts (``worker.main``), which closes the
        pipe read here; so does its end, if it dies first."""
        pipe = self._pipe()
        if POSIX:
            select.select([pipe], [], [], STARTUP_CEILING)
        else:
            pipe.read()
        self.started = True

    def kill(self) -> None:
        if POSIX:
            _kill_group(self.process.pid)
        else:  # no process groups to kill: the tree, by the process id
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(self.process.pid)],
                capture_output=True,
                check=False,
            )
        if self.process.poll() is not None:
            self._pipe().close()

    def stop(self) -> None:
        _terminate(self.process.pid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(LAST_WORDS)


class Launcher:
    """Starts runs on this machine; ``execute`` runs one request from start to end
    (an ``executors.Executor``)."""

    name = ""
    local = True
    """Runs here: they can save and restore checkpoints in the local work folder."""

    def __init__(self, policy: str = identity.DEFAULT_POLICY) -> None:
        self.policy = policy
        """The site policy module whose ``PRELOAD`` a fork server imports."""

    @property
    def jobs(self) -> int:
        """How many runs go at once by default: one per core, and one more. A run
        that ends leaves its core idle while this process checks and stores its
        result and the next one forks and restores its checkpoint; and an odd
        number of short runs (an edit's three seeds on two cores) no longer waits
        for a core in turn."""
        return (os.cpu_count() or 1) + 1

    def start(self, run_dir: Path, engine: str) -> LocalHandle:
        raise NotImplementedError

    def prepare(self, engine: str) -> None:
        """Nothing to do for a launcher that starts each run afresh."""

    def execute(
        self,
        request: RunRequest,
        *,
        engine: str,
        root: Path,
        started: Started | None = None,
    ) -> RunData:
        """Run ``request``; return the result as data (see ``run``)."""
        return run(request, launcher=self, engine=engine, root=root, started=started)

    def close(self) -> None:
        """Release what the launcher keeps between runs."""


class Spawn(Launcher):
    """Start every run in a new interpreter (``python -m snippet_exec.worker``)."""

    name = "spawn"

    def start(self, run_dir: Path, engine: str) -> LocalHandle:
        flags: dict[str, Any] = {"start_new_session": True}
        if sys.platform == "win32":  # no sessions: a process group of its own
            flags = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
        process = subprocess.Popen(
            [sys.executable, "-m", "snippet_exec.worker", str(run_dir)],
            env=identity.child_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,  # closed when the run starts: see _SpawnHandle
            stderr=subprocess.DEVNULL,
            cwd=run_dir,
            **flags,
        )
        return _SpawnHandle(process)


# ---------------------------------------------------------------------------
# Fork server: one preloaded server, one fork per run.


@dataclass
class _Waiter:
    pid: int | None = None
    status: int | None = None
    lost: str | None = None
    started: threading.Event = field(default_factory=threading.Event)
    ended: threading.Event = field(default_factory=threading.Event)


@dataclass
class _ForkHandle:
    waiter: _Waiter

    def wait(self, timeout: float | None) -> int | None:
        if not self.waiter.ended.wait(timeout):
            return None
        if self.waiter.lost:
            raise RuntimeError(self.waiter.lost)
        return self.waiter.status

    def kill(self) -> None:
        if self.waiter.pid is not None:
            _kill_group(self.waiter.pid)

    def stop(self) -> None:
        pid = self.waiter.pid
        _terminate(pid)
        if not self.waiter.lost:
            self.waiter.ended.wait(LAST_WORDS)
            return
        deadline = time.monotonic() + LAST_WORDS  # no server to say it ended
        while pid is not None and _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.01)


class _Server:
    """One running fork server and the runs waiting for news from it."""

    def __init__(self, engine: str, policy: str) -> None:
        self.engine = engine
        self.waiters: dict[int, _Waiter] = {}
        self.lost: str | None = None
        self.lock = threading.Lock()
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _read
        self.process = subprocess.Popen(
            [sys.executable, "-m", "snippet_exec.process", policy],
            env=identity.child_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        """Pass the server's messages on to the runs waiting for them."""
        assert self.process.stdout is not None
        heard_out = False
        try:
            for line in self.process.stdout:
                try:
                    message = json.loads(line)
                    waiter = self.waiters.get(message["run"])
                except (ValueError, TypeError, KeyError):
                    continue  # not the server's message: something printed it
                if waiter is None:
                    continue
                if "pid" in message:
                    waiter.pid = message["pid"]
                    waiter.started.set()
                else:
                    waiter.status = message["status"]
                    del self.waiters[message["run"]]
                    waiter.ended.set()
            heard_out = True
        finally:  # whatever ends the loop, the runs waiting hear of it
            if not heard_out and self.process.poll() is None:
                _kill_group(self.process.pid)  # unheard from now: of no more use
            self._lost()

    def _lost(self) -> None:
        """The server is gone: tell every run still waiting, with how it ended."""
        assert self.process.stdout is not None
        self.process.stdout.close()
        self.process.wait()
        self.errors.seek(0)
        errors = self.errors.read().decode("utf-8", "replace").strip()
        self.errors.close()
        with self.lock:
            status = self.process.returncode
            how = f"killed by signal {-status}" if status < 0 else f"exit code {status}"
            self.lost = f"the fork server stopped ({how})"
            self.lost += f":\n{errors}" if errors else ""
            waiters = list(self.waiters.values())
        for waiter in waiters:
            waiter.lost = self.lost
            waiter.started.set()
            waiter.ended.set()

    def stop(self) -> None:
        """End every run the server started, and the server."""
        assert self.process.stdin is not None
        with contextlib.suppress(OSError):
            self.process.stdin.close()  # the server ends its runs, and exits
        try:
            self.process.wait(GRACE)
        except subprocess.TimeoutExpired:
            _kill_group(self.process.pid)
            self.process.wait()
        self.reader.join()


class ForkServer(Launcher):
    """Fork every run from a server that has imported the heavy libraries once."""

    name = "forkserver"

    def __init__(self, policy: str = identity.DEFAULT_POLICY) -> None:
        super().__init__(policy)
        self.lock = threading.Lock()
        self.server: _Server | None = None
        self.count = 0

    def _server_for(self, engine: str) -> _Server:
        """The running server for ``engine``, started if there is none (with the
        lock held)."""
        server = self.server
        if (
            server is None
            or server.process.poll() is not None
            or server.engine != engine
        ):
            if server is not None:
                server.stop()
            server = self.server = _Server(engine, self.policy)
        return server

    def prepare(self, engine: str) -> None:
        """Start the server now, if none runs for ``engine``: it imports and warms
        up (two seconds) while the build reads its pages, not at the first run."""
        with self.lock:
            self._server_for(engine)

    def start(self, run_dir: Path, engine: str) -> LocalHandle:
        with self.lock:
            server = self._server_for(engine)
            self.count += 1
            waiter = _Waiter()
            with server.lock:
                if server.lost:
                    raise RuntimeError(server.lost)
                server.waiters[self.count] = waiter
            request = {"run": self.count, "dir": str(run_dir)}
            assert server.process.stdin is not None
            with contextlib.suppress(OSError):  # if the server is gone, the reader says
                server.process.stdin.write(json.dumps(request).encode() + b"\n")
                server.process.stdin.flush()
        waiter.started.wait()
        if waiter.pid is None:  # a run with a pid started, even if the server is gone
            raise RuntimeError(waiter.lost or "the fork server said nothing")
        return _ForkHandle(waiter)

    def close(self) -> None:
        """Stop the server and every run it started."""
        with self.lock:
            if self.server is not None:
                self.server.stop()
                self.server = None


def _end_group(pgid: int) -> None:
    """Kill what is left of a run's process group, and reap it, before the run is
    reported as ended: once the parent hears of the end, nothing of it is left."""
    deadline = time.monotonic() + GRACE
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            return
        try:
            os.waitpid(-pgid, 0)
        except ChildProcessError:  # a member whose parent is still being killed
            time.sleep(0.001)


def _end_orphans(runs: set[int]) -> None:
    """Kill and reap the server's children that are no run (``runs``): what a run
    started and could not end itself, because it was killed first, is adopted by
    the server (``shared.adopt_orphans``), and ends before the run is reported ended."""
    while orphans := [pid for pid in shared.children() if pid not in runs]:
        for pid in orphans:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        for pid in orphans:
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def _serve(policy: str) -> None:
    """The fork server: read run requests on stdin, fork one child per request,
    report each child's pid and exit status on stdout. Single-threaded (forking a
    process with threads is unsafe); ends every run's group when stdin closes.
    The worker (numpy, matplotlib) and what the site ``policy`` preloads are
    imported once, here, and the policy warms up (``warm_up``)."""
    from snippet_exec import worker

    module = worker.policy(policy)
    if (warm_up := getattr(module, "warm_up", None)) is not None:
        try:  # speed only: runs go on without it; stdout is the messages' pipe
            with contextlib.redirect_stdout(sys.stderr):
                warm_up()
        except Exception as error:  # any failure of it: told, and the runs go on
            print(
                f"snippet-exec: the policy's warm_up failed: {error!r}", file=sys.stderr
            )

    shared.adopt_orphans()  # the orphans of runs killed before they ended them
    children: dict[int, int] = {}
    wakeup_read, wakeup_write = os.pipe()
    os.set_blocking(wakeup_write, False)
    signal.set_wakeup_fd(wakeup_write)
    signal.signal(signal.SIGCHLD, lambda *args: None)
    stdin = sys.stdin.buffer
    out = sys.stdout.buffer
    pending = b""

    def say(message: dict[str, Any]) -> None:
        out.write(json.dumps(message).encode() + b"\n")
        out.flush()

    while True:
        ready, _, _ = select.select([stdin.fileno(), wakeup_read], [], [])
        if wakeup_read in ready:
            os.read(wakeup_read, 4096)
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if pid in children:  # else an orphan of a run's, reaped
                _end_group(pid)
                _end_orphans(set(children))
                code = os.waitstatus_to_exitcode(status)
                say({"run": children.pop(pid), "status": code})
        if stdin.fileno() not in ready:
            continue
        chunk = os.read(stdin.fileno(), 65536)
        if not chunk:
            for pid in children:
                _kill_group(pid)
            return
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            request = json.loads(line)
            # The run starts once its pid is said: a run that kills this server at
            # once is then known to have started, and is named at its line.
            go_read, go_write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(go_write)
                os.read(go_read, 1)  # b"" if this server died first: run anyway
                os.close(go_read)
                os.setsid()
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.close(wakeup_read)
                os.close(wakeup_write)
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1):
                    os.dup2(devnull, fd)
                try:
                    worker.main(Path(request["dir"]))
                finally:
                    os._exit(70)  # worker.main exits itself; this is a last resort
            os.close(go_read)
            children[pid] = request["run"]
            say({"run": request["run"], "pid": pid})
            os.write(go_write, b"1")
            os.close(go_write)


# ---------------------------------------------------------------------------
# One run, start to end.

FAULT_LINE = re.compile(r'^\s*File "(?P<file>.*)", line (?P<line>\d+) in (?P<name>.*)$')


Origins = list[tuple[str, int]] | None


def _where(dump: str, filename: str, origins: Origins) -> str:
    """The snippet's innermost line in a faulthandler dump, as text, or ''."""
    for match in map(FAULT_LINE.match, dump.splitlines()):
        if match and match["file"] == filename:
            return " at " + describe_line(filename, int(match["line"]), origins)
    return ""


def describe_line(filename: str, line: int, origins: Origins) -> str:
    """``line N of file``, through the block's map of lines to their origin."""
    if origins and 0 < line <= len(origins):
        filename, line = origins[line - 1]
    return f"line {line} of {filename}"


def explain(status: int | None, dump: str, request: RunRequest, killed: bool) -> str:
    """Why a run that sent no result ended, from what its process left behind."""
    where = _where(dump, request["filename"], request.get("origins"))
    limit = f"{request['timeout']:g} s"
    if dump.startswith("Timeout ("):
        return f"it did not finish within its time limit of {limit}{where}"
    if killed:
        return (
            f"it did not finish within its time limit of {limit}, and did not stop "
            f"when told to (killed){where}"
        )
    if "snippet-exec: os._exit(" in dump:
        code = re.search(r"os\._exit\((.*?)\)", dump)
        return f"it called os._exit({code[1] if code else ''}){where}"
    if fatal := re.search(r"Fatal Python error: (.*)", dump):
        return f"it crashed ({fatal[1].strip()}){where}"
    if status is not None and status < 0:
        name = signal.Signals(-status).name if -status in signal.valid_signals() else ""
        hint = " (out of memory?)" if -status == signal.SIGKILL else ""
        return f"its process was killed by signal {-status} {name}{hint}{where}"
    return f"its process ended with exit code {status} before it finished"


def temp_root() -> Path:
    """A folder for this process's runs, named after it; stale ones are removed."""
    return own_temp_folder(TEMP_PREFIX, "-runs")


def own_temp_folder(prefix: str, suffix: str = "") -> Path:
    """A new temporary folder named ``prefix``, this process's pid, ``suffix``;
    those so named after processes that have ended are removed first (a process
    killed before it could remove its own, as a Dask worker can be)."""
    base = Path(tempfile.gettempdir())
    for old in base.glob(f"{prefix}*{suffix}"):
        pid = old.name.removeprefix(prefix).removesuffix(suffix).split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", suffix=suffix))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def run(
    request: RunRequest,
    *,
    launcher: Launcher,
    engine: str,
    root: Path,
    started: Started | None = None,
) -> RunData:
    """Run one request (see ``worker.main``); return the result as data.

    ``started(handle)`` is called once the process runs, so that a caller can end
    it early (``handle.kill()``).
    """
    run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=root))
    try:
        (run_dir / "request.json").write_text(json.dumps(request), encoding="utf-8")
        try:
            handle = launcher.start(run_dir, engine)
        except RuntimeError as error:
            return failed(f"it could not be started: {error}", fault=True)
        if started is not None:
            started(handle)
        killed = False
        fault = run_dir / "fault.log"
        try:
            status = handle.wait(request["timeout"] + GRACE)
            if status is None:
                killed = True
                handle.stop()  # where it was, in fault.log
                handle.kill()
                status = handle.wait(None)
        except RuntimeError as error:
            handle.stop()
            dump = fault.read_text("utf-8", "replace") if fault.is_file() else ""
            where = _where(dump, request["filename"], request.get("origins"))
            where = f", while the run was{where}" if where else ""
            return failed(f"it was lost: {error}{where}", fault=True)
        finally:
            handle.kill()  # whatever the snippet started goes with it
        result = run_dir / "result.json"
        if result.is_file() and not killed:
            return json.loads(result.read_text(encoding="utf-8"))
        dump = fault.read_text("utf-8", "replace") if fault.is_file() else ""
        return failed(explain(status, dump, request, killed), fault=False)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


START_METHODS = ("auto", "forkserver", "spawn")
_launchers: dict[tuple[str, str], ForkServer | Spawn] = {}


def launcher_for(
    start_method: str, policy: str = identity.DEFAULT_POLICY
) -> ForkServer | Spawn:
    """The launcher for a start method: forkserver, spawn, or auto (the fork server
    on Linux, where forking a preloaded process is safe; spawn elsewhere), whose
    runs get the site policy module ``policy``.

    One per process, method and policy, shared by every build the process runs
    (``mkdocs serve``'s rebuilds, the tests' builds), closed when the process exits.
    """
    if start_method == "auto":
        start_method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    if start_method not in {"forkserver", "spawn"}:
        raise ValueError(
            f"start_method must be auto, forkserver or spawn: {start_method!r}"
        )
    key = (start_method, policy)
    if key not in _launchers:
        if not _launchers:
            atexit.register(close_all)
        _launchers[key] = (
            ForkServer(policy) if start_method == "forkserver" else Spawn(policy)
        )
    return _launchers[key]


def close_all() -> None:
    """Stop every launcher of this process (and the runs they started)."""
    for launcher in _launchers.values():
        launcher.close()


if __name__ == "__main__":
    _serve(sys.argv[1] if len(sys.argv) > 1 else identity.DEFAULT_POLICY)
