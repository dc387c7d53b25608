"""What the child that runs a snippet and the build that uses its result must agree
on: where a snippet's ``# %%`` cells start, how a file the run read is hashed, and
how numbers are written for readers; and how a process adopts the orphans of its
descendants (the fork server and each run do). Kept free of heavy imports."""

import contextlib
import hashlib
import math
import os
import re
from pathlib import Path
from typing import Any

CELL_MARK = re.compile(r"^# %%", re.MULTILINE)


def cell_starts(code: str) -> list[int]:
    """Line numbers (from 1) where the percent-format cells start; the first is 1."""
    marks = [
        code.count("\n", 0, match.start()) + 1 for match in CELL_MARK.finditer(code)
    ]
    return [1, *marks]


def cells(code: str) -> list[str]:
    """The text of each cell, split at its ``# %%`` line (which opens the cell)."""
    lines = code.splitlines(keepends=True)
    starts = cell_starts(code)
    ends = [*starts[1:], len(lines) + 1]
    return [
        "".join(lines[start - 1 : end - 1])
        for start, end in zip(starts, ends, strict=True)
    ]


BYTECODE = re.compile(r"^__pycache__$|\.py[co]$")
"""Names a folder's listing leaves out: bytecode, which running a snippet leaves."""
_ignore_specs: dict[str, Any] = {}


def _git_ignores(root: Path) -> Any:
    """The project's root ``.gitignore`` as pathspec patterns, or None."""
    try:
        text = (root / ".gitignore").read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    if text not in _ignore_specs:
        import pathspec

        _ignore_specs[text] = pathspec.GitIgnoreSpec.from_lines(text.splitlines())
    return _ignore_specs[text]


def listed(folder: Path, root: Path | None = None) -> list[str]:
    """The names in ``folder`` that its listing's hash counts, sorted: not bytecode,
    and not what the project's root ``.gitignore`` ignores (with ``root``), so that
    a local run's leftovers change no result."""
    names = [name for name in sorted(os.listdir(folder)) if not BYTECODE.search(name)]
    ignores = _git_ignores(root) if root is not None else None
    if root is None or ignores is None or not folder.is_relative_to(root):
        return names
    where = folder.relative_to(root).as_posix().removeprefix(".")
    return [
        name
        for name in names
        if not ignores.match_file(
            f"{where}/{name}".lstrip("/") + ("/" if (folder / name).is_dir() else "")
        )
    ]


def content_hash(path: Path, folder: bool = False, root: Path | None = None) -> str:
    """A file's SHA-256; a folder's is that of its sorted listing (``listed``, with
    the project's ``root``); "" if missing."""
    try:
        data = "\n".join(listed(path, root)).encode() if folder else path.read_bytes()
    except OSError:
        return ""
    return hashlib.sha256(data).hexdigest()


def number(value: float) -> str:
    """A number as prose writes it: thousands separated, three significant digits."""
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def shown(value: float) -> float | int | None:
    """``value`` with the precision ``number`` shows: whole from 100 up, three
    significant digits below; None for NaN and infinities. What the explorer's
    readout prints, and no more, is what a page stores."""
    if not math.isfinite(value):
        return None
    rounded = round(value) if abs(value) >= 100 else float(f"{value:.3g}")
    return int(rounded) if float(rounded).is_integer() else rounded


def adopt_orphans() -> None:
    """Make this process the parent of its descendants' orphans (Linux's child
    subreaper): a process that detaches (a new session, a double fork) stays
    this process's descendant, so that it can be ended and reaped. Elsewhere,
    nothing."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def children() -> list[int]:
    """This process's child processes (Linux: /proc; elsewhere none known)."""
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir("/proc/self/task"):
            path = f"/proc/self/task/{task}/children"
            with contextlib.suppress(OSError), open(path) as listing:
                found += [int(pid) for pid in listing.read().split()]
    return found
