"""The site's settings for executing blocks: one list, one set of defaults.

``SiteSettings`` is the one source of every setting's name, type and default. The
plugin's options under ``snippet-exec`` in mkdocs.yml are these (``plugin``
declares them with these defaults, which a test checks); the standalone fence,
which has no configuration of its own, reads the same settings from environment
variables named after them (``SNIPPET_EXEC_TIMEOUT``, ``SNIPPET_EXEC_SNIPPETS_DIR``,
...), the variables mkdocs.yml passes to the plugin with ``!ENV``. Either way the
values are checked here and a bad one is a ``ConfigError`` naming it.

Kept free of MkDocs imports: the fence runs without MkDocs.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from snippet_exec.errors import ConfigError
from snippet_exec.identity import DEFAULT_POLICY
from snippet_exec.process import START_METHODS
from snippet_exec.result import Limits

YES = {"1", "true", "yes", "on"}
NO = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class SiteSettings:
    """Every setting of the engine, with its default."""

    enabled: bool = True
    """Execute blocks; when false, blocks show their source only."""
    timeout: float = 120.0
    """Seconds a block may run; a block overrides it with ``timeout="600"``."""
    jobs: int = 0
    """Blocks executed at once; 0 means as many as the executor takes."""
    force: bool = False
    """Execute every block, ignoring cached results and checkpoints."""
    incremental: bool = True
    """Resume a run from the state after its last unchanged cell, when saved."""
    check_reproducible: bool = False
    """Run every block twice, never from the cache, and fail at the first line of
    its output (or figure, or value) that differs (``engine.difference``)."""
    start_method: str = "auto"
    """How runs start: forked from a preloaded server, or a new interpreter each."""
    executor: str = "local"
    """Where runs happen: local, or dask://host:port (a Dask scheduler's address)."""
    cache_dir: str = ".snippet-exec/cache"
    """Where results are cached: a folder (from the root), or a URL fsspec reaches
    (s3://bucket/cache), e.g. a cache CI fills for everyone."""
    cache_readonly: bool = False
    """Read the cache, never write to it (this machine's runs go to work_dir)."""
    work_dir: str = ".snippet-exec"
    """Local files: checkpoints, the notebooks written for mkdocs-jupyter."""
    evict_after_days: float = 30.0
    """Cache entries no build used for this long are deleted after a build."""
    output_kb: int = Limits.output_kb
    figure_kb: int = Limits.figure_kb
    explore_kb: int = Limits.explore_kb
    result_kb: int = Limits.result_kb
    memory_mb: int = Limits.memory_mb
    page_kb: int = 1536
    """The largest page, in KB: its HTML without the theme's (every block's output
    and figures, each data link, the claims' tests); a bigger page fails the build."""
    snippets_dir: str = "snippets"
    """Where the example scripts live, from the root."""
    policy: str = DEFAULT_POLICY
    """The site's policy module for its runs: what the fork server preloads, the
    set-up before each run (figure style, libraries' settings), figure capture."""
    times_page: str = "execution-times.md"
    """The generated page that lists every run's time."""
    times_note: str = ""
    """Markdown at the top of that page (what a reader should know of the runs)."""
    tests_dir: str = "tests"
    """Where the tests that claim marks name live (see ``claims``)."""
    notebooks_dir: str = "notebooks"
    """Where the notebook pages go (with mkdocs-jupyter); an empty value makes none."""

    def __post_init__(self) -> None:
        if not math.isfinite(self.timeout) or self.timeout <= 0:
            raise ConfigError(
                "snippet-exec's timeout must be a positive, finite number of "
                f"seconds, not {self.timeout!r}"
            )
        if self.start_method not in START_METHODS:
            raise ConfigError(
                f"snippet-exec's start_method must be {', '.join(START_METHODS)}, "
                f"not {self.start_method!r}"
            )
        if self.jobs < 0:
            raise ConfigError(f"snippet-exec's jobs must be 0 or more, not {self.jobs}")

    @property
    def limits(self) -> Limits:
        return Limits(
            output_kb=self.output_kb,
            figure_kb=self.figure_kb,
            explore_kb=self.explore_kb,
            result_kb=self.result_kb,
            memory_mb=self.memory_mb,
        )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> SiteSettings:
        """The settings among ``values`` (e.g. the plugin's validated options)."""
        names = {field.name for field in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> SiteSettings:
        """The settings from ``SNIPPET_EXEC_<NAME>`` variables, defaults for those
        not set."""
        found: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            variable = f"SNIPPET_EXEC_{field.name.upper()}"
            if variable in environ:
                found[field.name] = _parse(variable, environ[variable], field.default)
        return cls(**found)


def _parse(variable: str, text: str, default: Any) -> Any:
    """``text`` as a value of the type of ``default``."""
    if isinstance(default, bool):
        if text.lower() in YES | NO:
            return text.lower() in YES
        raise ConfigError(f"{variable}={text!r} is not a yes/no value (true or false)")
    try:
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
    except ValueError:
        kind = type(default).__name__
        raise ConfigError(f"{variable}={text!r} is not a number ({kind})") from None
    return text
