"""What the child that runs a snippet and the build that uses its result must agree
on: where a snippet's ``# %%`` cells start, and how a file the run read is hashed.
Kept free of heavy imports."""

import hashlib
import os
import re
from pathlib import Path

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


def content_hash(path: Path, folder: bool = False) -> str:
    """A file's SHA-256; a folder's is that of its sorted listing; "" if missing."""
    try:
        if folder:
            data = "\n".join(sorted(os.listdir(path))).encode()
        else:
            data = path.read_bytes()
    except OSError:
        return ""
    return hashlib.sha256(data).hexdigest()
