"""Time the contributor's loop under a running ``make serve``; print medians, ratios,
the machine's load, and whether each target is met (``make bench``).

A scratch copy of the repository (the files git tracks, its own cache) is served
with ``make serve`` (this checkout's ``.venv``, a free port). Once the first build
is served, each round edits a file and polls the served page until it shows the
edit (every 10 ms):

- plot cell: the title in the last cell of the seed example, the cell that draws
  the figure (the run resumes from the checkpoint after the cells before it);
  target: 0.25 x the snippet's run or less. It is each round's first edit, so
  the first round's is the first edit after the first build, as a contributor's
  first edit in a fresh clone is (printed round by round too);
- prose: a sentence added to a page; target: served in 0.5 s or less;
- first cell: a comment in the example's first cell, which runs it in full;

and the snippet's run is timed as a reader runs it (``python loss_per_epoch.py``)
right after, so that each ratio is of a pair that met the same load. Figures are
medians of ``BENCH_RUNS`` rounds (5 by default), with the fastest and slowest; the
load average (``os.getloadavg``) is printed before and after, since a shared
machine's load moves every figure here.
"""

from __future__ import annotations

import os
import signal
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
ANCHOR = "\n## Watching"
SNIPPET = "snippets/epochs/loss_per_epoch.py"
TITLE = 'ax.set_title("Training and validation loss per epoch")'
FIRST_CELL = "NUM_EPOCHS = 5000\n"
CEILING = 900.0
"""Seconds a served page may take to show an edit before the bench gives up."""
TARGETS = {"prose edit (s)": 0.5, "plot-cell edit / snippet run": 0.25}


def copy_repo(target: Path) -> Path:
    """Copy the files git tracks into ``target`` (their times kept, so that make
    finds this checkout's ``.venv`` up to date for them), and link its uv."""
    tracked = (
        subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, tracked):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes((ROOT / name).read_bytes())
        stat = (ROOT / name).stat()
        os.utime(target / name, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    (target / ".cache").symlink_to(ROOT / ".cache")  # make's pinned uv
    return target


def load() -> str:
    """The load average over 1, 5 and 15 minutes, and the cores."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"


def spread(values: list[float]) -> str:
    """The median of ``values``, with the fastest and the slowest."""
    low, high = min(values), max(values)
    return f"{statistics.median(values):7.2f} s ({low:.2f} to {high:.2f})"


class Served:
    """``make serve`` on the scratch copy, and edits timed until they are served."""

    def __init__(self, repo: Path, env: dict[str, str]) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.repo = repo
        self.log = (repo / "serve.log").open("w")
        # This checkout's environment, synced here first (``main``): make must not
        # sync it from the copy, which would install the project from there.
        venv = Path(sys.executable).parent.parent
        self.process = subprocess.Popen(
            [
                "make",
                "-o",
                f"{venv}/.synced",
                "serve",
                f"PORT={self.port}",
                f"VENV={venv}",
            ],
            cwd=repo,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # stopped as a group: make and what it started
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
        """Seconds until ``page`` passes ``check``."""
        start = time.perf_counter()
        while time.perf_counter() - start < CEILING:
            if self.process.poll() is not None:
                raise SystemExit((self.repo / "serve.log").read_text())
            if check(self.get(page)):
                return time.perf_counter() - start
            time.sleep(0.01)
        raise SystemExit(f"the served {page} never showed the edit")

    def edit(self, name: str, old: str, new: str, marker: str) -> float:
        """Replace ``old`` by ``new`` in file ``name``; seconds until served."""
        path = self.repo / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return self.wait_for("epochs/", lambda html: marker in html)

    def stop(self) -> None:
        """Stop serve as Ctrl-C does, so that it removes the site it served from."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


def main() -> None:
    times: dict[str, list[float]] = {}
    venv = Path(sys.executable).parent.parent
    subprocess.run(["make", f"{venv}/.synced", f"VENV={venv}"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory(prefix="epochs-bench-serve-") as scratch:
        repo = copy_repo(Path(scratch) / "repo")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SNIPPET_EXEC_")}
        env |= {
            "SOURCE_DATE_EPOCH": "0",
            "SNIPPET_EXEC_CACHE_DIR": str(Path(scratch) / "cache"),
            "SNIPPET_EXEC_WORK_DIR": str(Path(scratch) / "work"),
            # serve's own temporary site too: whatever stops it, nothing is left.
            "TMPDIR": scratch,
        }
        script = [sys.executable, str(repo / SNIPPET)]
        before = load()
        print(f"make serve on a scratch copy, {RUNS} rounds; {before}", file=sys.stderr)
        start = time.perf_counter()
        served = Served(repo, env)
        times["first build, served"] = [time.perf_counter() - start]
        prose, plot, first, runs = [], [], [], []
        title = TITLE
        try:
            for n in range(RUNS):
                # The plot cell first: in the first round it is the first edit
                # after the first build, as in a fresh clone's first edit.
                marker = f"Loss per epoch, bench edit {n}"
                new_title = f'ax.set_title("{marker}")'
                plot.append(served.edit(SNIPPET, title, new_title, marker))
                title = new_title
                marker = f"A sentence added by the bench, number {n}."
                prose.append(served.edit(PAGE, ANCHOR, f"\n{marker}\n{ANCHOR}", marker))
                marker = f"# bench edit {n}"
                new = f"{FIRST_CELL}{marker}\n"
                first.append(served.edit(SNIPPET, FIRST_CELL, new, marker))
                started = time.perf_counter()
                agg = {**env, "MPLBACKEND": "Agg"}
                subprocess.run(
                    script, cwd=repo, env=agg, check=True, capture_output=True
                )
                runs.append(time.perf_counter() - started)
        finally:
            served.stop()
    times |= {
        "prose edit, served": prose,
        "plot-cell edit, served": plot,
        "first-cell edit, served": first,
        "the snippet's run (script)": runs,
    }
    ratios = {
        "prose edit (s)": statistics.median(prose),
        "plot-cell edit / snippet run": statistics.median(
            p / r for p, r in zip(plot, runs, strict=True)
        ),
    }
    print(f"\nUnder make serve, median of {RUNS} (fastest to slowest):\n")
    for name, values in times.items():
        print(f"  {name:30} {spread(values)}")
    print("\nRound by round (the first plot-cell edit is the first after the build):\n")
    for name, values in times.items():
        print(f"  {name:30} " + "  ".join(f"{value:.2f}" for value in values))
    each = "  ".join(f"{p / r:.2f}" for p, r in zip(plot, runs, strict=True))
    print(f"  {'plot-cell edit / snippet run':30} {each}")
    print("\nAgainst the targets (ratios: median of each round's ratio):\n")
    for name, value in ratios.items():
        met = "met    " if value <= TARGETS[name] else "NOT MET"
        print(f"  {met}  {name:30} {value:6.2f}  (target <= {TARGETS[name]})")
    print(f"\nLoad before: {before}\nLoad after:  {load()}")


if __name__ == "__main__":
    main()
