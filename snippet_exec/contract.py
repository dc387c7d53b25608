"""What the build and the process that runs a snippet exchange: typed, as JSON.

- ``RunRequest``: what to run and how, written by the Runner (``engine``), sent
  through a launcher (``process``) or a Dask task (``remote``), read by the
  ``worker``.
- ``RunData``: what a run produced, written by the worker (or by ``process`` and
  ``remote`` when no worker got that far), checked and turned into a ``Result`` by
  ``result``, stored as it is by the cache.
- ``RunPolicy``: what a site's policy module provides (``policy``, named by the
  site config), which the worker and the fork server use.

Both sides import this module; it imports nothing heavy.
"""

from __future__ import annotations

from typing import Any, NotRequired, Protocol, TypedDict


class LimitsData(TypedDict):
    """``result.Limits`` as data."""

    output_kb: int
    figure_kb: int
    explore_kb: int
    result_kb: int
    memory_mb: int


class Resume(TypedDict):
    """Where a run resumes: the checkpoint's file, and how many cells it holds."""

    path: str
    cells: int


class RunRequest(TypedDict):
    """One run of one snippet."""

    code: str
    filename: str
    """The file the code is run as (its ``__file__``)."""
    origins: list[tuple[str, int]] | None
    """For code assembled from several files: each line's file and line there."""
    root: str
    """The project's root: reads are recorded relative to it."""
    ignore: list[str]
    """Folders whose files the run may read without them becoming dependencies."""
    timeout: float
    limits: LimitsData
    resume: Resume | None
    checkpoints: list[str | None] | None
    """For each cell boundary, where to save the state (None: do not)."""
    depends: list[str]
    policy: str
    """The module of the site's ``RunPolicy`` (e.g. ``snippet_exec.policy``)."""
    relative: NotRequired[str]
    """The file's path from the root (``remote``: the root differs on a worker)."""
    guarded: NotRequired[list[str]]
    """Folders the run may not write into: the build's output, the cache."""


class RunData(TypedDict):
    """What a run produced, as the worker writes it and the cache stores it."""

    markdown: str
    figures: list[dict[str, Any]]
    values: dict[str, Any]
    problems: list[str]
    error: str | None
    seconds: float
    cell_ends: list[int]
    reads: dict[str, str]
    outside: list[str]
    """Files outside the project (and the Python installation) the run read."""
    checkpoints: list[str]
    resumed_from: int
    fault: NotRequired[bool]
    """True when ``error`` is the engine's fault, not the snippet's (never stored)."""
    unrestored: NotRequired[str]
    """Why the checkpoint asked to resume from could not be read, so that the run
    went in full (never stored: the engine logs it and deletes the file)."""


def failed(error: str, *, fault: bool) -> RunData:
    """A run that produced nothing but ``error``."""
    return {
        "markdown": "",
        "figures": [],
        "values": {},
        "problems": [],
        "error": error,
        "seconds": 0.0,
        "cell_ends": [],
        "reads": {},
        "outside": [],
        "checkpoints": [],
        "resumed_from": 0,
        "fault": fault,
    }


class RunPolicy(Protocol):
    """A site's policy for its runs: a module with these names (see ``policy``)."""

    PRELOAD: tuple[str, ...]
    """Modules the fork server imports once, before it forks any run (speed only)."""

    def warm_up(self) -> None:
        """Fill caches once in the fork server, before it forks any run (speed only:
        it must leave no state a run could see)."""

    def before_run(self) -> None:
        """Set up the run's process before the snippet runs (figure style, ...)."""

    def capture(self, figure: Any, id_prefix: str) -> dict[str, Any]:
        """What a page shows of a figure the snippet showed (``figures.describe``)."""
