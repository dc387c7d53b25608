"""Where runs happen: the ``Executor`` a Runner hands its requests to, and the one
factory that picks it.

- ``local``: this machine's launcher (``process``): a fork server, or a new
  interpreter per run (``start_method``);
- ``dask://host:port``: a Dask cluster (``remote``), a task per run.

Each is made once per process and shared by every build it runs (``mkdocs
serve``'s rebuilds, the tests' builds), and closed when the process exits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from snippet_exec import identity, process
from snippet_exec.contract import RunData, RunRequest
from snippet_exec.errors import ConfigError


class Executor(Protocol):
    """Runs one request from start to end and returns what it produced."""

    @property
    def name(self) -> str:
        """``forkserver``, ``spawn`` or ``dask``."""

    @property
    def local(self) -> bool:
        """Runs happen on this machine: checkpoints in the work folder are usable."""

    @property
    def jobs(self) -> int:
        """How many runs it takes at once, unless the site says how many."""

    def execute(
        self,
        request: RunRequest,
        *,
        engine: str,
        root: Path,
        started: process.Started | None = None,
    ) -> RunData:
        """Run ``request`` (``root``: a folder for its temporary files); call
        ``started(handle)`` once it runs, so that the caller can end it."""

    def prepare(self, engine: str) -> None:
        """Get ready for runs of ``engine`` without waiting for it (a server's
        start), so that the first run does not pay for it."""

    def close(self) -> None:
        """Release what it keeps between runs (servers, connections)."""


def executor_for(
    where: str, start_method: str = "auto", policy: str = identity.DEFAULT_POLICY
) -> Executor:
    """The executor for ``where`` (``local`` or ``dask://host:port``), whose runs get
    the site policy module ``policy``; raises ConfigError for anything else, or a
    cluster that cannot be used."""
    if where == "local":
        return process.launcher_for(start_method, policy)
    if where.startswith("dask://"):
        from snippet_exec import remote

        address = "tcp://" + where.removeprefix("dask://")
        try:
            return remote.executor_for(address, policy)
        except remote.ClusterError as error:
            raise ConfigError(f"snippet-exec's executor: {error}") from error
    raise ConfigError(
        f"snippet-exec's executor must be local or dask://host:port, not {where!r}"
    )


def close_all() -> None:
    """Close every executor this process made."""
    from snippet_exec import remote  # light: Dask is imported by a connection only

    process.close_all()
    remote.close_all()
