"""Time the contributor's loop and the site's builds; print medians, ranges, ratios
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
- snippet script: the site's version of it, ``python loss_per_epoch.py``
- imports: numpy, scikit-learn and matplotlib in a fresh interpreter
- serve: a running ``properdocs serve``; a file is edited and the served page is
  polled until it shows the edit: a sentence added to a page (prose), the title in
  the plotting cell of the seed example (its last cell), a comment in the
  example's first code cell (which makes it run in full)
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PAGE = "docs/epochs.md"
SNIPPET = "snippets/epochs/loss_per_epoch.py"
TITLE = 'ax.set_title("Training and validation loss per epoch")'
TITLE_EDIT = 'ax.set_title("{}")'
FIRST_CELL = "NUM_EPOCHS = 5000\n"
CEILING = 600.0
"""Seconds a served page may take to show an edit before the bench gives up."""


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


class Serve:
    """``properdocs serve`` on the scratch copy, and edits timed until served."""

    def __init__(self, repo: Path, env: dict[str, str]) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.repo = repo
        self.log = (repo / "serve.log").open("w")
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "properdocs", "serve", "--livereload"),
                *("--dev-addr", f"127.0.0.1:{self.port}"),
            ],
            cwd=repo,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_for("epochs/", lambda html: "Epochs" in html)

    def get(self, page: str) -> str:
        try:
            url = f"http://127.0.0.1:{self.port}/{page}"
            with urllib.request.urlopen(url, timeout=CEILING) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for(self, page: str, check: Callable[[str], bool]) -> float:
        """Seconds until ``page`` passes ``check`` (polled every 10 ms)."""
        start = time.perf_counter()
        while time.perf_counter() - start < CEILING:
            if self.process.poll() is not None:
                raise SystemExit((self.repo / "serve.log").read_text())
            if check(self.get(page)):
                return time.perf_counter() - start
            time.sleep(0.01)
        raise SystemExit(f"the served {page} never showed the edit")

    def edit(self, name: str, old: str, new: str, page: str, marker: str) -> float:
        """Replace ``old`` by ``new`` in file ``name``; seconds until served."""
        path = self.repo / name
        text = path.read_text()
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1))
        return self.wait_for(page, lambda html: marker in html)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()
        self.log.close()


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
        snippet = [sys.executable, str(repo / SNIPPET)]
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
        for _ in range(RUNS):
            warm_plain.append((run(build, repo, env), run(build, repo, plain_env)))
        times["cold build"] = [c for c, _ in cold_seed]
        times["seed script"] = [s for _, s in cold_seed]
        times["warm build"] = [w for w, _ in warm_plain]
        times["plain build"] = [p for _, p in warm_plain]
        times["imports"] = [run(imports, repo, env) for _ in range(RUNS)]
        ratios["cold / seed script"] = ratio(cold_seed)
        ratios["warm / plain"] = ratio(warm_plain)

        served = Serve(repo, env)
        prose, last, first, full_runs = [], [], [], []
        title = TITLE
        try:
            for n in range(RUNS):
                marker = f"A sentence added by the bench, number {n}."
                new = f"\n{marker}\n\n## Watching"
                prose.append(served.edit(PAGE, "\n## Watching", new, "epochs/", marker))
                marker = f"Loss per epoch, bench edit {n}"
                last.append(
                    served.edit(
                        SNIPPET, title, TITLE_EDIT.format(marker), "epochs/", marker
                    )
                )
                title = TITLE_EDIT.format(marker)
                marker = f"# bench edit {n}"
                new = f"{FIRST_CELL}{marker}\n"
                first.append(served.edit(SNIPPET, FIRST_CELL, new, "epochs/", marker))
                full_runs.append(run(snippet, repo, script_env))
        finally:
            served.stop()
        times["serve: prose edit"] = prose
        times["serve: last-cell edit"] = last
        times["serve: first-cell edit"] = first
        times["snippet script"] = full_runs
        ratios["prose edit / plain"] = ratio(
            list(zip(prose, times["plain build"], strict=True))
        )
        ratios["last-cell edit / snippet script"] = ratio(
            list(zip(last, full_runs, strict=True))
        )

    print(f"\nMedian of {RUNS} runs (fastest to slowest), {os.cpu_count()} cores:\n")
    for name, values in times.items():
        print(f"  {name:24} {summary(values)}")
    print("\nRatios (median of interleaved pairs):\n")
    for name, value in ratios.items():
        print(f"  {name:34} {value:5.2f}")
    prose_median = statistics.median(times["serve: prose edit"])
    targets = [
        ("prose edit served in ≤ 1 s", prose_median <= 1.0),
        ("prose edit ≤ 0.4 x plain build", ratios["prose edit / plain"] <= 0.4),
        (
            "last-cell edit ≤ 0.25 x the snippet's full run",
            ratios["last-cell edit / snippet script"] <= 0.25,
        ),
        ("warm build ≤ 1.5 x plain build", ratios["warm / plain"] <= 1.5),
        ("imports ≤ 2.0 s", statistics.median(times["imports"]) <= 2.0),
        ("cold build ≤ 2 x seed script", ratios["cold / seed script"] <= 2.0),
    ]
    print("\nTargets:\n")
    for name, met in targets:
        print(f"  {'met    ' if met else 'NOT MET'}  {name}")


if __name__ == "__main__":
    main()
