"""The engine keeps its promises (issue 24): probes of a fault campaign, each a
scratch page built strict, that once escaped, injected, passed silently or named
no line.

- what is cached is what ran, and a miss is a miss (a corrupt checkpoint, an
  entry edited since, a folder's bytecode);
- what a run prints is published as text: never an include, a placeholder or
  half a page's layout;
- every fence with an ``exec`` option runs or fails, and every failure names the
  page, the block and the line;
- nothing a run starts outlives it.

Nothing here waits for time: the builds wait for the runs' states.
"""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.engine

SUMMARY = "{} executed ({} resumed), {} cached, 0 failed"
BROKEN_PAGE = "guide.md: snippets/broken.py failed"
CELLS = """\
print("- cell 1")
value = 41

# %%
print(f"- cell 2: {value + 1}")
"""


@pytest.fixture
def broken(project):
    """A project with a good page and a page showing snippets/broken.py."""

    def with_code(code: str, options: str = ""):
        project.snippet("ok.py", "print(1)\n")
        project.snippet("broken.py", code)
        project.page("index.md", "ok.py")
        project.page("guide.md", "broken.py", options=options)
        return project

    return with_code


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# -- cache and checkpoints ------------------------------------------------------


def test_a_corrupt_checkpoint_is_a_miss_and_the_run_goes_in_full(project):
    project.snippet("cells.py", CELLS)
    project.page("index.md", "cells.py")
    project.build()
    (saved,) = (project.root / ".snippet-exec" / "checkpoints").glob("*.pkl")
    saved.write_bytes(b"not a pickle")
    project.snippet("cells.py", CELLS.replace("cell 2:", "cell two:"))
    log = project.build()
    assert SUMMARY.format(1, 0, 0) in log
    assert "ran in full: the state after cell 1 is unreadable" in log
    assert "cell two: 42" in project.html()
    project.snippet("cells.py", CELLS.replace("cell 2:", "cell 2 again:"))
    assert "resumed after cell 1 of 2" in project.build()  # saved again, whole
