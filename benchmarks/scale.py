"""The scale run of ``make bench``: one synthetic site, run here and on a Dask cluster.

A site of ``BLOCKS`` pages, each one block that computes for about ``SECONDS``
seconds (a busy loop, so that it uses a core as training does), is built cold
twice: with the local executor (one run per core), and on a Dask cluster started
here (a scheduler and one worker process per core, on 127.0.0.1). Each build is
timed; the run times the engine measured give the work done, and from both the
parallel efficiency (work / (wall time x cores)) and the overhead per block
((wall time x cores - work) / blocks). The estimate for a larger site uses that
overhead: wall time = examples x (seconds + overhead) / workers.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BLOCKS = int(os.environ.get("BENCH_BLOCKS", "48"))
SECONDS = 2.0
SNIPPET = """\
\"\"\"Computes for about {seconds} seconds.\"\"\"

import time

NUMBER = {number}
start = time.process_time()
total = 0
while time.process_time() - start < {seconds}:
    total += 1
print(f"- Block {{NUMBER}} counted to a number with {{len(str(total))}} digits")
"""
CONFIG = """\
site_name: Scale
theme:
  name: material
plugins:
  - snippet-exec:
      timeout: 120
      executor: {executor}
  - markdown-exec:
      languages: [tree]
markdown_extensions:
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: [.]
      check_paths: true
"""


def make_site(root: Path, executor: str) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "snippets").mkdir()
    for number in range(BLOCKS):
        name = f"block_{number:03}"
        code = SNIPPET.format(seconds=SECONDS, number=number)
        (root / "snippets" / f"{name}.py").write_text(code)
        block = f'```python exec="1"\n--8<-- "snippets/{name}.py"\n```\n'
        page = f"# Block {number}\n\n{block}"
        (root / "docs" / f"{name}.md").write_text(page)
    (root / "docs" / "index.md").write_text("# Scale\n")
    (root / "mkdocs.yml").write_text(CONFIG.format(executor=executor))


def build(root: Path) -> tuple[float, float]:
    """Wall seconds of a cold build, and the seconds of execution it reports."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    work = float(re.search(r"([\d.]+) s of execution", done.stderr)[1])
    return wall, work


def start_cluster(root: Path, workers: int) -> tuple[list[subprocess.Popen], str]:
    scheduler_file = root / "scheduler.json"
    log = (root / "cluster.log").open("w")
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host",
             "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(scheduler_file)],
            stdout=log, stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file",
             str(scheduler_file), "--nworkers", str(workers), "--nthreads", "1",
             "--no-dashboard", "--local-directory", str(root)],
            stdout=log, stderr=subprocess.STDOUT,
        ),
    ]  # fmt: skip
    from distributed import Client

    with Client(scheduler_file=str(scheduler_file), timeout=120) as client:
        client.wait_for_workers(workers, timeout=180)
        address = client.scheduler.address.removeprefix("tcp://")
    return processes, address


def main() -> None:
    cores = os.cpu_count() or 1
    print(f"\nScale: {BLOCKS} blocks of about {SECONDS:g} s each, {cores} cores\n")
    with tempfile.TemporaryDirectory(prefix="epochs-scale-") as scratch:
        scratch = Path(scratch)
        make_site(scratch / "local", "local")
        results = {"local (one run per core)": build(scratch / "local")}
        processes, address = start_cluster(scratch, cores)
        try:
            make_site(scratch / "dask", f"dask://{address}")
            results[f"Dask, {cores} workers"] = build(scratch / "dask")
        finally:
            for process in processes:
                process.terminate()
                process.wait()
    overheads = []
    for name, (wall, work) in results.items():
        efficiency = work / (wall * cores)
        overhead = (wall * cores - work) / BLOCKS
        overheads.append(overhead)
        print(
            f"  {name:26} {wall:6.1f} s for {work:6.1f} s of work: efficiency "
            f"{efficiency:.0%}, {overhead:.2f} s of overhead per block"
        )
    overhead = overheads[-1]
    print(f"\nEstimate for 300 examples of {SECONDS:g} s on a Dask cluster:\n")
    for workers in (2, 8, 32, 64):
        minutes = 300 * (SECONDS + overhead) / workers / 60
        print(f"  {workers:3} workers: {minutes:5.1f} min")


if __name__ == "__main__":
    main()
