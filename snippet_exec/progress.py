"""What a build says about its runs while they happen, and once they are over.

The session tells a ``Reporter`` of every run as it is submitted and as it ends
(``Session._submit``, from the thread that ran it). ``Progress`` is the reporter
of a build:

- on every log (a terminal, a file, CI's), one line per run as it ends (``line``):
  the page, the snippet, how long this build waited for it, and whether it was
  resumed from a checkpoint (and what that means); a result from the cache gets a
  line only with ``--verbose``, since a rebuild takes most of its results from
  there; and a summary once the runs are over (``summary``), a quiet one when
  nothing ran;
- on a terminal, a live line at the bottom as well (``LiveLine``): the runs done
  out of those to do, what is running, the time since the first started; the log's
  lines are written above it (its handlers write through ``LiveLine.above``).

Plain ANSI (carriage return and erase-line): one line, redrawn every second, is
all it needs. Kept free of heavy imports, like everything the MkDocs process runs.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import IO, Protocol, cast

from snippet_exec.result import Result

log = logging.getLogger("mkdocs.plugins.snippet_exec")
ERASE = "\r\x1b[2K"
"""Back to the start of the line, and erase it."""


@dataclass(frozen=True)
class Run:
    """One run of a build, as the log names it."""

    key: str
    """Its cache key: two pages asking for the same run share it."""
    page: str
    """The page that asked for it first."""
    name: str
    """The snippet, and the variant's constants if any."""


class Reporter(Protocol):
    """What the session tells of its runs."""

    def submitted(self, run: Run, future: Future[Result]) -> None:
        """``run`` was submitted (its future is done at once if it was cached)."""

    def finished(self, run: Run, result: Result | None) -> None:
        """``run`` ended, with ``result`` (None: cancelled before it ran)."""

    def close(self) -> None:
        """The session's runs are over, or stopped."""


def line(run: Run, result: Result) -> str:
    """The log's line for a run that ended."""
    where = f"{run.page}: {run.name}" if run.page else run.name
    if result.cached:
        return f"{where} from the cache (its run took {result.seconds:.1f} s)"
    if result.failure:
        return f"{where} failed after {result.elapsed:.1f} s"
    text = f"{where} ran in {result.elapsed:.1f} s"
    if result.note:
        text += f", {result.note}"
    if result.resumed_from:
        text += " (the state a run of the same first cells saved: only the rest ran)"
    return text


def summary(results: list[Result]) -> str:
    """The log's account of a build's runs, once they are over."""
    ran = [r for r in results if not r.cached]
    cached = len(results) - len(ran)
    if not ran:
        return f"Nothing ran: all {cached} results came from the cache"
    resumed = sum(bool(r.resumed_from) for r in ran)
    failed = sum(bool(r.failure) for r in ran)
    seconds = sum(r.elapsed for r in ran)
    return (
        f"{len(ran)} executed ({resumed} resumed from a checkpoint), "
        f"{cached} from the cache, {failed} failed; {seconds:.1f} s of execution"
    )


def elapsed(seconds: float) -> str:
    """``seconds`` as a clock reads it: 0:07, 2:41, 1:02:03."""
    minutes, second = divmod(int(seconds), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02}:{second:02}" if hours else f"{minute}:{second:02}"


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with an ellipsis if it was cut."""
    return text if len(text) <= width else text[: max(0, width - 3)] + "..."


@dataclass
class Tally:
    """The runs of a build as they go: what the live line shows."""

    runs: dict[Run, Future[Result]] = field(default_factory=dict)
    """Every run to execute (not from the cache), with its future."""
    done: int = 0
    cached: int = 0
    started: float | None = None
    """When the first run to execute was submitted (``time.monotonic``)."""

    def status(self, now: float, width: int = 80) -> str:
        """The live line: runs done out of those to do, what runs, the time."""
        running = [run.name for run, future in self.runs.items() if future.running()]
        since = elapsed(now - self.started) if self.started is not None else "0:00"
        text = f"snippet-exec: {self.done}/{len(self.runs)} runs done, {since}"
        if self.cached:
            text += f" ({self.cached} from the cache)"
        if running:
            text += "; running " + ", ".join(running)
        return fit(text, width)


def terminal(stream: object) -> bool:
    """Whether ``stream`` is a terminal that can redraw a line."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


class LiveLine:
    """A status line at the bottom of a terminal, redrawn every ``every`` seconds
    from ``text(width)``, that the log's lines are written above (``above``)."""

    def __init__(
        self, stream: IO[str], text: Callable[[int], str], every: float = 1.0
    ) -> None:
        self.stream = stream
        self.text = text
        self.every = every
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._tick, daemon=True)
        self.handlers: list[tuple[logging.StreamHandler[IO[str]], IO[str]]] = []

    def start(self, handlers: list[logging.StreamHandler[IO[str]]]) -> None:
        """Draw the line, and have ``handlers`` write above it until ``stop``."""
        for handler in handlers:
            self.handlers.append((handler, handler.stream))
            handler.setStream(cast(IO[str], Above(self)))
        self.draw()
        self.thread.start()

    def _tick(self) -> None:
        while not self.stopped.wait(self.every):
            self.draw()

    def draw(self) -> None:
        with self.lock:
            if not self.stopped.is_set():
                width = shutil.get_terminal_size().columns - 1
                self.stream.write(ERASE + self.text(width))
                self.stream.flush()

    def above(self, text: str) -> None:
        """Write ``text`` (lines of the log) above the line."""
        with self.lock:
            self.stream.write(ERASE + text)
            if not self.stopped.is_set() and text.endswith("\n"):
                width = shutil.get_terminal_size().columns - 1
                self.stream.write(self.text(width))
            self.stream.flush()

    def stop(self) -> None:
        """Erase the line; give the handlers their streams back."""
        with self.lock:
            self.stopped.set()
            self.stream.write(ERASE)
            self.stream.flush()
        for handler, stream in self.handlers:
            handler.setStream(stream)
        if self.thread.is_alive() and self.thread is not threading.current_thread():
            self.thread.join()


class Above:
    """A stream that writes above a ``LiveLine`` (what a log handler is given)."""

    def __init__(self, line: LiveLine) -> None:
        self.line = line

    def write(self, text: str) -> int:
        self.line.above(text)
        return len(text)

    def flush(self) -> None:
        """Each write is flushed already."""


def terminal_handlers(logger: logging.Logger) -> list[logging.StreamHandler[IO[str]]]:
    """The handlers that print ``logger``'s records on a terminal."""
    found: list[logging.StreamHandler[IO[str]]] = []
    current: logging.Logger | None = logger
    while current is not None:
        for handler in current.handlers:
            if type(handler) is logging.StreamHandler and terminal(handler.stream):
                found.append(handler)
        current = current.parent if current.propagate else None
    return found


NOISY = ("mkdocs.mkdocs-jupyter", "mkdocs.plugins.mkdocs_jupyter")
"""mkdocs-jupyter's loggers: two lines per notebook page and build (converting,
cache hit or miss), which say nothing a contributor acts on."""


class VerboseOnly(logging.Filter):
    """Lets a record below WARNING through only when the build is verbose
    (``--verbose``: MkDocs' logger at DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        verbose = logging.getLogger("mkdocs").isEnabledFor(logging.DEBUG)
        return record.levelno >= logging.WARNING or verbose


def quiet(names: tuple[str, ...] = NOISY) -> None:
    """Keep the loggers ``names``' routine lines out of the default output."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, VerboseOnly) for f in logger.filters):
            logger.addFilter(VerboseOnly())


class Progress:
    """The reporter of a build: a line per run in the log as it ends, a live line
    on a terminal while runs are to be done, and the summary."""

    def __init__(self, logger: logging.Logger = log) -> None:
        self.logger = logger
        self.tally = Tally()
        self.lock = threading.Lock()
        self.live: LiveLine | None = None
        self.closed = False

    def submitted(self, run: Run, future: Future[Result]) -> None:
        if future.done():
            return  # from the cache: ``finished`` follows at once
        with self.lock:
            if self.tally.started is None:
                self.tally.started = time.monotonic()
            self.tally.runs[run] = future
            start = self.live is None and not self.closed
            if start and (handlers := terminal_handlers(self.logger)):
                self.live = LiveLine(handlers[0].stream, self.status)
                self.live.start(handlers)

    def finished(self, run: Run, result: Result | None) -> None:
        if result is None or self.closed:  # cancelled, or stopped with the build
            return
        with self.lock:
            if result.cached:
                self.tally.cached += 1
            else:
                self.tally.done += 1
        level = logging.DEBUG if result.cached else logging.INFO
        self.logger.log(level, line(run, result))

    def status(self, width: int) -> str:
        return self.tally.status(time.monotonic(), width)

    def close(self) -> None:
        with self.lock:
            self.closed = True
            live, self.live = self.live, None
        if live is not None:
            live.stop()
