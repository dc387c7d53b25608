"""Shared fixtures: every snippet runs once per session, and the site builds once.

``runs`` executes every example snippet for real (never from an old cache), in
parallel, and stores the results in a cache private to this session; ``site`` then
builds the whole site strictly against that cache, so each snippet runs exactly once
per test session. Builds are dated by ``SOURCE_DATE_EPOCH`` (the last commit's date
unless set), as ``make build`` dates them.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from snippet_exec.engine import Cache, Result, Runner

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = sorted(
    path.relative_to(ROOT).as_posix()
    for path in (ROOT / "snippets").rglob("*.py")
    if not path.name.startswith("_")
)
TIMEOUT = 300


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("snippet-exec-cache")


@pytest.fixture(scope="session")
def runs(cache_dir: Path) -> dict[str, Result]:
    """Every example snippet, executed once, keyed by its path from the repo root."""
    runner = Runner(Cache(cache_dir), jobs=os.cpu_count() or 1, force=True)
    futures = {
        name: runner.submit(
            (ROOT / name).read_text(encoding="utf-8"), ROOT / name, timeout=TIMEOUT
        )
        for name in SNIPPETS
    }
    results = {name: future.result() for name, future in futures.items()}
    runner.close()
    return results


def source_date_epoch() -> str:
    """The build date: $SOURCE_DATE_EPOCH, else the last commit's, else 0."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return os.environ["SOURCE_DATE_EPOCH"]
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
    )
    return commit.stdout.strip() if commit.returncode == 0 else "0"


def build_site(site_dir: Path, cache_dir: Path) -> str:
    """Build the site strictly into ``site_dir`` from the results in ``cache_dir``;
    return the build log, or fail the test if the build fails."""
    env = {
        **os.environ,
        "SNIPPET_EXEC_CACHE_DIR": str(cache_dir),
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": source_date_epoch(),
    }
    env.pop("SNIPPET_EXEC_FORCE", None)
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(site_dir),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0:
        pytest.fail(f"the strict site build failed:\n{build.stderr}", pytrace=False)
    return build.stderr


@pytest.fixture(scope="session")
def site(
    runs: dict[str, Result], cache_dir: Path, tmp_path_factory: pytest.TempPathFactory
):
    """One strict build of the whole site; returns its folder and its log."""
    site_dir = tmp_path_factory.mktemp("site")
    return site_dir, build_site(site_dir, cache_dir)


def page(site_dir: Path, name: str) -> str:
    """The built HTML of the page ``name`` (e.g. "epochs")."""
    return (site_dir / name / "index.html").read_text(encoding="utf-8")


def svg_coordinate(value: float, axis: dict) -> float:
    """Where ``value`` falls along ``axis`` of an explorable figure's mapping, in SVG
    coordinates: what docs/javascripts/explore.js computes to place its marker."""
    f = math.log10 if axis["scale"] == "log" else float
    (d0, d1), (s0, s1) = [f(v) for v in axis["data"]], axis["svg"]
    return s0 + (f(value) - d0) / (d1 - d0) * (s1 - s0)
