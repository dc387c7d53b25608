"""What runs inside the process that executes one snippet.

The process is a fork of the fork server, which imported this module once (and with
it numpy, scikit-learn and matplotlib), or a new interpreter (``python -m
snippet_exec.worker RUN_DIR``). ``main`` reads the request from the run's folder,
runs the snippet as a script, writes ``result.json`` there and exits at once,
without waiting for threads the snippet left running.

While the snippet runs, this module keeps track of what a page needs to know:

- what it printed, and where each figure it showed belongs in that text;
- every problem, with the snippet's line: warnings (even when a library raised
  them), log records at WARNING and above, and anything written to stderr or
  straight to the process's file descriptors;
- where it stopped when it fails: a traceback for an exception or ``sys.exit``;
  faulthandler's dump for a crash or the time limit; the caller of ``os._exit``;
- every file of the project it read (an audit hook), so that the cache can tell
  when a data file or a helper module changed;
- a write into the build's output folder or the cache, which another audit hook
  refuses (``Guard``), so that nothing a run wrote there is published.

Cells (``# %%``) are compiled by one ``codeop.Compile``, so a ``from __future__``
import holds in every cell, and after each cell the state can be saved for
incremental execution (``checkpoint``). What is particular to the site (its
figure style, its libraries' settings, how a figure is captured, what the fork
server preloads) is the site's policy module's (``contract.RunPolicy``), which the
request names: nothing here knows of scikit-learn.
"""

from __future__ import annotations

import ast
import bisect
import codeop
import contextlib
import faulthandler
import importlib
import io
import json
import linecache
import logging
import os
import signal
import site
import sys
import time
import traceback
import types
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn, cast

import matplotlib

matplotlib.use("module://snippet_exec.backend")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from snippet_exec import backend, checkpoint
from snippet_exec.contract import RunData, RunPolicy, RunRequest, failed
from snippet_exec.errors import RunFailure
from snippet_exec.result import Limits, clean, clean_offsets, problems
from snippet_exec.shared import adopt_orphans, cell_starts, children, content_hash

FILE_MB = 1024
"""Largest file a run may write, in MB (RLIMIT_FSIZE): a write past it raises."""
MAX_VALUE_SIZE = 100_000
FRAMES = 50
"""Frames of a traceback shown at each of its ends (a RecursionError has 1,000)."""
"""Largest list or array kept among the module-level values, in elements."""
_real_exit = os._exit
TERMINATING = (
    *("SIGALRM", "SIGTERM", "SIGHUP", "SIGUSR1"),
    *("SIGUSR2", "SIGVTALRM", "SIGPROF", "SIGXCPU"),
)
"""Signals that end a process by default and that faulthandler's own handler
(SIGSEGV, SIGFPE, SIGABRT, SIGBUS, SIGILL) leaves out."""
ACCESS_MODE = getattr(os, "O_ACCMODE", 3)
SYSTEM = ("/usr", "/lib", "/lib64", "/etc", "/proc", "/sys", "/dev", "/run", "/var")
"""The system's folders: what a library reads there is the machine's set-up."""
OUTSIDE = 20
"""Files outside the project a result names at most."""


class CaptureError(Exception):
    """The engine failed to turn a figure into SVG and text."""


def policy(name: str) -> RunPolicy:
    """The site's policy module ``name``, and the modules it preloads, imported."""
    module = cast(RunPolicy, importlib.import_module(name))
    for preloaded in module.PRELOAD:
        importlib.import_module(preloaded)
    return module


WRITES = {"open", "os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.truncate"}
"""Audit events that change a file or folder (``os.rename``'s is its target too)."""
WRITE_FLAGS = os.O_CREAT | os.O_TRUNC | os.O_APPEND


def written(event: str, arguments: tuple[Any, ...]) -> list[str]:
    """The paths the audit ``event`` (with its ``arguments``) changes."""
    if event not in WRITES or not arguments:
        return []
    if event == "open":
        path, _, flags = arguments
        if not isinstance(flags, int) or (
            flags & ACCESS_MODE == os.O_RDONLY and not flags & WRITE_FLAGS
        ):
            return []
        paths = [path]
    else:
        paths = list(arguments[:2] if event == "os.rename" else arguments[:1])
    return [
        os.path.realpath(os.fsdecode(p))
        for p in paths
        if isinstance(p, str | bytes | os.PathLike)
    ]


class Guard:
    """The folders a run may not write into (the build's output, the cache): what
    it wrote there would be published as if built. A Python-level write there
    (``open``, ``os`` calls, what ``shutil`` and ``pathlib`` do with them) raises
    ``PermissionError`` at the snippet's line and fails the run even if caught.
    Writes by other programs (a subprocess) or by C libraries are not seen."""

    def __init__(self, run: Run, folders: list[str]) -> None:
        self.run = run
        self.folders = [Path(folder).resolve() for folder in folders]

    def audit(self, event: str, arguments: tuple[Any, ...]) -> None:
        for path in written(event, arguments):
            target = Path(path)
            for folder in self.folders:
                if target.is_relative_to(folder):
                    problem = (
                        f"{self.run.current_line()}: it wrote {path}, in the "
                        "build's output or its cache, where no run may write"
                    )
                    self.run.problems.append(problem)
                    raise PermissionError(problem)


class Reads:
    """The files and folders of the project a run reads (an audit hook records
    them), so that the cache can tell when a data file or a helper changed."""

    def __init__(self, request: RunRequest) -> None:
        self.filename = request["filename"]
        self.root = Path(request["root"])
        self.ignored = [Path(p) for p in request.get("ignore", [])]
        self.ignored += [Path(sys.prefix), Path(sys.base_prefix), Path(__file__).parent]
        self.paths: set[str] = set()
        self.folder = Path.cwd().parent
        """The run's own temporary folder (its working folder's parent)."""

    def audit(self, event: str, arguments: tuple[Any, ...]) -> None:
        """Record the files and folders the snippet reads."""
        if event == "open":
            path, mode, flags = arguments
            if mode is None:
                reading = flags is None or flags & ACCESS_MODE != os.O_WRONLY
            else:
                reading = "r" in mode or "+" in mode
            if reading and isinstance(path, str | bytes | os.PathLike):
                self.paths.add(os.path.abspath(os.fsdecode(path)))
        elif event in {"os.listdir", "os.scandir"} and arguments:
            path = arguments[0]
            if isinstance(path, str | bytes | os.PathLike):
                self.paths.add(os.path.abspath(os.fsdecode(path)) + os.sep)

    def outside(self) -> list[str]:
        """The files the run read outside the project, but for the Python
        installation's, the engine's, its own temporary folder's and the system's."""
        allowed = [self.root, *self.ignored, self.folder]
        allowed += [Path(p) for p in (sys.exec_prefix, site.getusersitepackages())]
        allowed += [Path(p) for p in site.getsitepackages()]
        allowed += [Path(matplotlib.get_configdir()), Path(matplotlib.get_cachedir())]
        allowed += [Path(p) for p in SYSTEM]
        found = []
        for path in sorted(p for p in self.paths if not p.endswith(os.sep)):
            target = Path(path)
            if os.path.isfile(path) and not any(map(target.is_relative_to, allowed)):
                found.append(path)
        return found[:OUTSIDE]

    def hashes(self) -> dict[str, str]:
        """Hashes of the project's files (and folder listings) the run read so far,
        keyed by their path from the project root (a folder's ends with /)."""
        paths = set(self.paths)
        for module in list(sys.modules.values()):
            if isinstance(file := getattr(module, "__file__", None), str):
                paths.add(os.path.abspath(file))
        # Thousands of modules: told apart by their text first, as paths after.
        case = os.path.normcase  # as Path compares them (Windows: any case)
        inside = case(os.path.join(self.root, ""))
        ignored = tuple(case(os.path.join(i, "")) for i in self.ignored)
        found = {}
        for path in paths:
            if not case(path).startswith(inside) or case(path).startswith(ignored):
                continue
            folder = path.endswith(os.sep)
            target = Path(path.rstrip(os.sep))
            if not target.is_relative_to(self.root) or path == self.filename:
                continue
            if any(target.is_relative_to(ignored) for ignored in self.ignored):
                continue
            name = target.relative_to(self.root).as_posix() + ("/" if folder else "")
            found[name] = content_hash(target, folder, self.root)
        return dict(sorted(found.items()))


class _Captured(io.StringIO):
    """What the run prints to ``sys.<name>``: closing it (``sys.stdout.close()``) is
    a problem at the snippet's line, and the text is kept."""

    def __init__(self, run: Run, name: str) -> None:
        super().__init__()
        self.run, self.label = run, name

    def close(self) -> None:
        self.run.problems.append(
            f"{self.run.current_line()}: it closed sys.{self.label}"
        )


class _Direct(io.TextIOWrapper):
    """``sys.__stdout__`` or ``sys.__stderr__`` during the run, on the process's
    file descriptor: closing it is a problem at the snippet's line, not the end of
    the worker's own output."""

    def __init__(self, run: Run, name: str, fd: int) -> None:
        super().__init__(open(fd, "wb", closefd=False), line_buffering=True)  # noqa: SIM115
        self.run, self.label = run, name

    def close(self) -> None:
        self.flush()
        self.run.problems.append(
            f"{self.run.current_line()}: it closed sys.{self.label}"
        )


class Run:
    """The state of one snippet's run, and the hooks that record into it."""

    def __init__(self, request: RunRequest, policy: RunPolicy) -> None:
        self.request = request
        self.policy = policy
        self.filename: str = request["filename"]
        self.origins = request.get("origins")
        self.stdout = _Captured(self, "stdout")
        self.stderr = _Captured(self, "stderr")
        self.figures: list[dict[str, Any]] = []
        self.problems: list[str] = []
        self.cell_ends: list[int] = []
        self.read = Reads(request)
        self.started = time.perf_counter()  # set again when the snippet starts
        self.checkpoints: list[str] = []
        self.unrestored = ""
        """Why the checkpoint to resume from could not be read (it ran in full)."""
        self.fault = False
        """The run failed by the engine's fault (a figure it could not capture)."""
        self.refused = 0
        """Figures the site policy refused to capture (each is a problem)."""

    # -- where in the snippet ------------------------------------------------

    def line(self, number: int) -> str:
        """``line N of file``, through the block's map of lines to their origin."""
        filename = self.filename
        if self.origins and 0 < number <= len(self.origins):
            filename, number = self.origins[number - 1]
        return f"line {number} of {filename}"

    def current_line(self) -> str:
        """The snippet's line being run now (the innermost frame of the snippet)."""
        frame: types.FrameType | None = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename == self.filename:
                return self.line(frame.f_lineno)
            frame = frame.f_back
        return "a line outside the snippet"

    # -- hooks -----------------------------------------------------------------

    def capture(self, figure: Figure) -> None:
        """The backend's ``show()``: describe the figure where the output is now
        (with the site policy's ``capture``). A figure the policy refuses (its
        layout, say: ``RunFailure``) is a problem of the run, at the snippet's line."""
        try:
            described = self.policy.capture(figure, f"f{len(self.figures)}")
        except RunFailure as error:  # the snippet's figure is at fault
            self.refused += 1
            number = len(self.figures) + self.refused
            self.problems.append(f"{self.current_line()}: figure {number}: {error}")
            return
        except Exception as error:
            self.fault = True
            raise CaptureError(
                f"snippet-exec could not capture the figure shown at "
                f"{self.current_line()} (a fault of the engine, not of the "
                f"snippet):\n{traceback.format_exc()}"
            ) from error
        described["at"] = len(self.stdout.getvalue())
        self.figures.append(described)

    def warn(
        self,
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: Any = None,
        line: str | None = None,
    ) -> None:
        where = self.current_line()
        origin = f" (raised in {Path(filename).name}:{lineno})"
        if filename == self.filename:
            origin = ""
        self.problems.append(f"{where}: {category.__name__}: {message}{origin}")

    # -- the run -------------------------------------------------------------

    def cells(self, code: str) -> list[ast.Module]:
        """The snippet's ``# %%`` cells, as modules with the file's line numbers."""
        tree = ast.parse(code, self.filename)
        starts = cell_starts(code)
        groups: list[list[ast.stmt]] = [[] for _ in starts]
        for statement in tree.body:
            groups[bisect.bisect_right(starts, statement.lineno) - 1].append(statement)
        return [ast.Module(body=group, type_ignores=[]) for group in groups]

    def execute(self, module: types.ModuleType) -> str | None:
        """Run the snippet's cells in ``module``; return the error, or None."""
        # codeop compiles an AST too, as compile() does (typeshed says source only)
        compiler = cast(Any, codeop.Compile())
        try:
            cells = self.cells(self.request["code"])
        except SyntaxError as error:
            return self.syntax_error(error)
        resume = self.request.get("resume")
        skipped = resume["cells"] if resume else 0
        kept = None
        if resume:
            try:
                kept = checkpoint.restore(Path(resume["path"]), module.__dict__)
            except checkpoint.Unreadable as error:  # a miss: run every cell
                self.unrestored, skipped = str(error), 0
        if kept is not None:
            self.stdout.write(kept["stdout"])
            self.figures = kept["figures"]
            self.cell_ends = kept["cell_ends"]
            self.read.paths = set(kept["read"])
            # The run time is that of a full run: the skipped cells' time, then ours.
            self.started -= kept.get("seconds", 0.0)
        saves = self.request.get("checkpoints") or []
        self.checkpoints = ["not saved"] * (len(cells) - 1)
        for number, cell in enumerate(cells):
            code = compiler(cell, self.filename, "exec")  # every cell: __future__ flags
            if number < skipped:
                continue
            exec(code, module.__dict__)
            self.cell_ends.append(len(self.stdout.getvalue()))
            target = saves[number] if number < len(saves) else None
            if target and number < len(cells) - 1:
                self.checkpoints[number] = self.save(Path(target), module)
        backend.show()  # figures the snippet left open
        self.cell_ends[-1] = len(self.stdout.getvalue())
        return None

    def save(self, path: Path, module: types.ModuleType) -> str:
        """Save the state after a cell, with the hashes of what was read so far."""
        if self.problems or self.stderr.getvalue():
            return "the run reported problems"
        kept = {
            "stdout": self.stdout.getvalue(),
            "figures": self.figures,
            "cell_ends": self.cell_ends,
            "read": sorted(self.read.paths),
            "seconds": time.perf_counter() - self.started,
        }
        status = checkpoint.save(path, module.__dict__, kept)
        if status == "saved":
            reads = path.with_suffix(".json")
            reads.write_text(json.dumps(self.read.hashes()), encoding="utf-8")
        return status

    def syntax_error(self, error: SyntaxError) -> str:
        where = self.line(error.lineno or 0)
        text = (error.text or "").strip()
        return f"SyntaxError: {error.msg} ({where})" + (f"\n    {text}" if text else "")

    def format_error(self, error: BaseException) -> str:
        """The traceback, without this module's frames, lines mapped to their origin."""
        if isinstance(error, CaptureError):
            return str(error)
        if isinstance(error, SystemExit):
            frames = traceback.extract_tb(error.__traceback__)
            line = next(
                (f.lineno for f in reversed(frames) if f.filename == self.filename), 0
            )
            return (
                f"the snippet exited the interpreter (SystemExit: {error.code!r}) "
                f"at {self.line(line or 0)}"
            )
        # The frames at each end only (each chained exception's first ones): a
        # traceback of a million frames is formatted in a moment, not minutes.
        trace = traceback.TracebackException.from_exception(error, limit=FRAMES)
        ends = list(_tracebacks(error.__traceback__))
        hidden = max(0, len(ends) - 2 * FRAMES)
        if hidden:
            ends = ends[:FRAMES] + ends[-FRAMES:]
        trace.stack = traceback.StackSummary.extract(
            (tb.tb_frame, tb.tb_lineno) for tb in ends
        )
        kept = []
        for frame in trace.stack:
            if frame.filename == __file__:
                continue
            if frame.filename == self.filename and self.origins:
                origin, number = self.origins[(frame.lineno or 1) - 1]
                frame = traceback.FrameSummary(
                    origin, number, frame.name, line=frame.line
                )
            kept.append(frame)
        trace.stack = traceback.StackSummary.from_list(kept)
        text = "".join(trace.format()).rstrip()
        if hidden:
            text += f"\n({hidden:,} frames in the middle of the traceback not shown)"
        if isinstance(error, MemoryError):
            limit = self.request["limits"]["memory_mb"]
            text += (
                f"\n(a run may use {limit:,} MB: memory_mb in the configuration, "
                'or memory_mb="..." on this block)'
            )
        return text


def _tracebacks(tb: types.TracebackType | None) -> Iterator[types.TracebackType]:
    """A traceback's entries, outermost first."""
    while tb is not None:
        yield tb
        tb = tb.tb_next


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data if it is a number, string or numbers; else None."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return value.item()
    if isinstance(value, list | tuple | np.ndarray):
        try:
            array = np.asarray(value)
        except ValueError:  # ragged: lists of different lengths
            return None
        if array.dtype.kind in "biuf" and array.size <= MAX_VALUE_SIZE:
            return array.tolist()
    return None


def _values(namespace: dict[str, Any]) -> dict[str, Any]:
    """The snippet's public module-level results that are plain data."""
    values = {}
    for name, value in namespace.items():
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        plain = _plain(value)
        if plain is not None:
            values[name] = plain
    return values


class _LogRecorder(logging.Handler):
    def __init__(self, run: Run) -> None:
        super().__init__(logging.WARNING)
        self.run = run

    def emit(self, record: logging.LogRecord) -> None:
        self.run.problems.append(
            f"{self.run.current_line()}: logged {record.levelname} "
            f"({record.name}): {record.getMessage()}"
        )


def _exit_recorder(fault: io.TextIOWrapper):
    def exit_(code: int) -> NoReturn:
        fault.write(f"snippet-exec: os._exit({code}) called\n")
        fault.flush()
        faulthandler.dump_traceback(fault, all_threads=False)
        _real_exit(code)

    return exit_


def _limit(name: str, megabytes: int) -> None:
    """Lower the soft resource limit ``name`` (``RLIMIT_AS``...) to ``megabytes``."""
    with contextlib.suppress(ImportError, ValueError, OSError, AttributeError):
        import resource

        kind = getattr(resource, name)
        _, hard = resource.getrlimit(kind)
        soft = megabytes * 2**20
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(kind, (soft, hard))


def _end_descendants() -> None:
    """End every process the run started and left, however it detached (a new
    session, a double fork): the run is their child subreaper, so each orphan
    becomes its child, killed and reaped here until none is left."""
    while found := children():
        for pid in found:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        for pid in found:
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def execute(request: RunRequest, policy: RunPolicy) -> RunData:
    """Run the request's snippet as the ``__main__`` module of its file, after the
    site policy's ``before_run``."""
    run = Run(request, policy)
    backend.capture = run.capture
    policy.before_run()
    module = types.ModuleType("__main__")
    module.__file__ = run.filename
    sys.modules["__main__"] = module
    sys.path.insert(0, str(Path(run.filename).parent))
    sys.argv = [run.filename]
    code = request["code"]
    linecache.cache[run.filename] = (
        len(code),
        None,
        code.splitlines(True),
        run.filename,
    )
    sys.addaudithook(run.read.audit)
    if guarded := request.get("guarded"):
        sys.addaudithook(Guard(run, guarded).audit)
    logging.getLogger().addHandler(_LogRecorder(run))
    for fd, name in ((1, "__stdout__"), (2, "__stderr__")):
        setattr(sys, name, _Direct(run, name, fd))
    error = None
    run.started = time.perf_counter()
    with (
        warnings.catch_warnings(),
        contextlib.redirect_stdout(run.stdout),
        contextlib.redirect_stderr(run.stderr),
    ):
        warnings.simplefilter("default")
        warnings.showwarning = run.warn
        try:
            error = run.execute(module)
        except BaseException as exc:  # a snippet may raise anything, SystemExit too
            error = run.format_error(exc)
    seconds = time.perf_counter() - run.started
    if text := run.stderr.getvalue().strip():
        run.problems.append(f"it wrote to stderr:\n{text}")
    plt.close("all")
    data: RunData = {
        "markdown": run.stdout.getvalue(),
        "figures": run.figures,
        "values": _values(module.__dict__) if error is None else {},
        "problems": run.problems,
        "error": error,
        "seconds": seconds,
        "cell_ends": run.cell_ends if error is None else [],
        "reads": run.read.hashes(),
        "outside": run.read.outside(),
        "checkpoints": run.checkpoints,
        "resumed_from": resume["cells"] if (resume := request.get("resume")) else 0,
    }
    if run.unrestored:
        data["resumed_from"] = 0
        data["unrestored"] = run.unrestored
    if run.fault:
        data["fault"] = True
    return data


def publishable(data: RunData, limits: Limits) -> RunData:
    """``data`` with control characters removed, or turned into a failure (with no
    output) if it still cannot be published: see ``result.problems``."""
    printed = data["markdown"]
    data["cell_ends"] = clean_offsets(printed, data["cell_ends"])
    for figure in data["figures"]:
        (figure["at"],) = clean_offsets(printed, [figure["at"]])
        figure["alt"], figure["caption"] = (
            clean(figure["alt"]),
            clean(figure["caption"]),
        )
    data["markdown"] = clean(printed)
    found = problems(data, limits)
    if not found:
        return data
    reason = "its result cannot be published: " + "; ".join(found)
    if data["error"]:
        reason = data["error"] + "\n" + reason
    unpublishable = data.copy()
    unpublishable.update(
        {
            "markdown": "",
            "figures": [],
            "values": {},
            "cell_ends": [],
            "error": clean(reason.encode("utf-8", "replace").decode("utf-8")),
        }
    )
    return unpublishable


def main(run_dir: Path) -> NoReturn:
    """Run the request in ``run_dir``; write ``result.json``; exit the process."""
    request: RunRequest = json.loads(
        (run_dir / "request.json").read_text(encoding="utf-8")
    )
    limits = Limits(**request["limits"])
    try:  # before the time limit starts: a forked run has it imported already
        site_policy: RunPolicy | None = policy(request["policy"])
    except Exception:
        site_policy = None
        unusable = (
            f"snippet-exec could not import the site policy {request['policy']}:\n"
            f"{traceback.format_exc()}"
        )
    fault = (run_dir / "fault.log").open("w", encoding="utf-8")
    faulthandler.enable(fault, all_threads=True)
    faulthandler.dump_traceback_later(request["timeout"], exit=True, file=fault)
    for name in TERMINATING:  # where a signal struck (signal.alarm, a kill), then
        if hasattr(signal, name):  # the signal's own end
            faulthandler.register(getattr(signal, name), fault, True, chain=True)
    output = os.open(run_dir / "output.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    for fd in (1, 2):
        os.dup2(output, fd)
    _limit("RLIMIT_AS", limits.memory_mb)
    _limit("RLIMIT_FSIZE", FILE_MB)
    if hasattr(signal, "SIGXFSZ"):  # a write past the limit raises, naming its line
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    adopt_orphans()
    workdir = run_dir / "work"
    workdir.mkdir()
    os.chdir(workdir)
    os._exit = _exit_recorder(fault)
    try:
        if site_policy is None:
            data = failed(unusable, fault=True)
        else:
            data = execute(request, site_policy)
    except BaseException:  # a fault here, not in the snippet: report it, don't just die
        data = failed(
            f"snippet-exec itself failed:\n{traceback.format_exc()}", fault=True
        )
    faulthandler.cancel_dump_traceback_later()
    sys.stdout.flush()
    sys.stderr.flush()
    direct = (run_dir / "output.log").read_text("utf-8", "replace").strip()
    if direct:
        data["problems"].append(
            f"it wrote to the process's output directly (not through print):\n{direct}"
        )
    data = publishable(data, limits)
    _end_descendants()  # once the output is read: what they print dying is no problem
    partial = run_dir / "result.json.tmp"
    partial.write_text(json.dumps(data), encoding="utf-8")
    partial.replace(run_dir / "result.json")
    _real_exit(0)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
