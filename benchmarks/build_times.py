"""Time the site's builds; print medians, ranges, ratios
and whether each target is met (``make bench``).

Everything runs on a scratch copy of the repository (the files git tracks) with
its own cache, so nothing here touches the working tree. Each figure is the median
of ``RUNS`` runs, with the fastest and the slowest; each ratio is the median of the
ratios of interleaved pairs (a run of one, then a run of the other), so that a slow
spell of a shared machine lands on both sides of a ratio.

- plain: ``properdocs build --strict`` with execution switched off (same pages)
- warm: the same build with every result in the cache
- cold: the same build with an empty cache
- seed script: the seed article's example alone, ``python seed_example.py``
- imports: numpy, scikit-learn and matplotlib in a fresh interpreter
- run time by page: the last cold build's runs, summed page by page (from its
  Execution times page), so that a page's cost to the build is in view

The contributor's loop under ``make serve`` (edits, served) is timed by
``serve_edits.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def run(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds ``command`` took; stop the bench with its output if it failed."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return seconds


def copy_repo(target: Path) -> Path:
    """Copy the files git tracks into ``target``."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    return target


def summary(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{statistics.median(values):6.2f} s ({low:.2f} to {high:.2f})"


def ratio(pairs: list[tuple[float, float]]) -> float:
    """The median of the ratios of interleaved pairs."""
    return statistics.median(a / b for a, b in pairs)


ROW = re.compile(
    r"<tr><td><code>[^<]*</code></td><td>(?:<a [^>]*>)?(?P<page>[^<]*)(?:</a>)?</td>"
    r"<td>(?P<seconds>[\d.]+) s</td>"
)
"""A row of the Execution times page's table: its page, and its run's seconds."""


def run_time_by_page(site: Path) -> dict[str, tuple[int, float]]:
    """Each page's count of runs and their seconds, as the Execution times page of
    the build in ``site`` lists them, slowest page first."""
    table = (site / "execution-times" / "index.html").read_text(encoding="utf-8")
    pages: dict[str, tuple[int, float]] = {}
    for row in ROW.finditer(table):
        runs, seconds = pages.get(row["page"], (0, 0.0))
        pages[row["page"]] = (runs + 1, seconds + float(row["seconds"]))
    return dict(sorted(pages.items(), key=lambda page: -page[1][1]))


def main() -> None:
    times: dict[str, list[float]] = {}
    ratios: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="epochs-bench-") as scratch:
        repo = copy_repo(Path(scratch) / "repo")
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("SNIPPET_EXEC_")
        }
        env |= {
            "SOURCE_DATE_EPOCH": "0",
            "SNIPPET_EXEC_CACHE_DIR": str(Path(scratch) / "cache"),
            "SNIPPET_EXEC_WORK_DIR": str(Path(scratch) / "work"),
        }
        build = [sys.executable, "-m", "properdocs", "build", "--strict", "--quiet"]
        # Its own work folder: its notebooks (without outputs) would otherwise
        # replace the warm build's in mkdocs-jupyter's cache, and both would
        # convert every notebook again.
        plain_env = {
            **env,
            "SNIPPET_EXEC_ENABLED": "false",
            "SNIPPET_EXEC_WORK_DIR": str(Path(scratch) / "plain-work"),
        }
        script_env = {**env, "MPLBACKEND": "Agg"}
        seed = [sys.executable, str(ROOT / "benchmarks" / "seed_example.py")]
        imports = [
            sys.executable,
            "-c",
            "import numpy, sklearn.neural_network, matplotlib.pyplot",
        ]

        print(f"Timing {RUNS} runs of each; this takes a while.", file=sys.stderr)
        cold_seed, warm_plain = [], []
        for _ in range(RUNS):
            shutil.rmtree(Path(scratch) / "cache", ignore_errors=True)
            shutil.rmtree(Path(scratch) / "work", ignore_errors=True)
            cold_seed.append((run(build, repo, env), run(seed, repo, script_env)))
        by_page = run_time_by_page(repo / "site")  # before a plain build replaces it
        for _ in range(RUNS):
            warm_plain.append((run(build, repo, env), run(build, repo, plain_env)))
        times["cold build"] = [c for c, _ in cold_seed]
        times["seed script"] = [s for _, s in cold_seed]
        times["warm build"] = [w for w, _ in warm_plain]
        times["plain build"] = [p for _, p in warm_plain]
        times["imports"] = [run(imports, repo, env) for _ in range(RUNS)]
        ratios["cold / seed script"] = ratio(cold_seed)
        ratios["warm / plain"] = ratio(warm_plain)

    print(f"\nMedian of {RUNS} runs (fastest to slowest), {os.cpu_count()} cores:\n")
    for name, values in times.items():
        print(f"  {name:24} {summary(values)}")
    print("\nRun time by page, in the last cold build (runs, seconds):\n")
    for page, (runs, seconds) in by_page.items():
        print(f"  {page:48} {runs:3d} runs {seconds:7.1f} s")
    print("\nRatios (median of interleaved pairs):\n")
    for name, value in ratios.items():
        print(f"  {name:34} {value:5.2f}")
    targets = [
        ("warm build ≤ 1.5 x plain build", ratios["warm / plain"] <= 1.5),
        ("imports ≤ 2.0 s", statistics.median(times["imports"]) <= 2.0),
        ("cold build ≤ 2 x seed script", ratios["cold / seed script"] <= 2.0),
    ]
    print("\nTargets:\n")
    for name, met in targets:
        print(f"  {'met    ' if met else 'NOT MET'}  {name}")


if __name__ == "__main__":
    main()
