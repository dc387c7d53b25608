"""Time the site's builds and print them as seconds and ratios (``make bench``).

Every build is a fresh ``mkdocs build`` process, as ``make build`` runs it, on a
scratch copy of the repository with its own cache, so nothing here touches the
working tree. Measured in one run, in this order:

- plain: execution switched off (same pages, blocks show their source only)
- cold: empty cache, every block executes
- warm: nothing changed
- prose edit: one sentence added to a page
- snippet edit: one snippet changed (its comment), so that block alone executes
- seed script: the seed article's example alone, ``python seed_example.py``

Targets (see README): warm and prose edit <= 1.5 x plain; cold <= 2 x seed script.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITED_PAGE = "docs/epochs.md"
EDITED_SNIPPET = "snippets/epochs/choose_on_validation.py"


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds ``command`` took; raise with its output if it failed."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="epochs-bench-") as scratch:
        work = Path(scratch) / "repo"
        tracked = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        for name in tracked:
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, work / name)
        env = {
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "SNIPPET_EXEC_CACHE_DIR": str(Path(scratch) / "cache"),
        }
        env.pop("SNIPPET_EXEC_FORCE", None)
        build = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]

        times = {}
        times["plain build"] = timed(
            build, work, {**env, "SNIPPET_EXEC_ENABLED": "false"}
        )
        times["cold build"] = timed(build, work, env)
        times["warm build"] = timed(build, work, env)
        with (work / EDITED_PAGE).open("a") as page:
            page.write("\nOne more sentence of prose.\n")
        times["prose-edit rebuild"] = timed(build, work, env)
        snippet = work / EDITED_SNIPPET
        snippet.write_text(snippet.read_text() + "# An edit.\n")
        times["snippet-edit rebuild"] = timed(build, work, env)
        seed_env = {**env, "MPLBACKEND": "Agg"}
        seed = [sys.executable, str(ROOT / "benchmarks" / "seed_example.py")]
        times["seed script alone"] = timed(seed, Path(scratch), seed_env)

    plain, seed = times["plain build"], times["seed script alone"]
    print(f"{'':22} {'seconds':>8} {'x plain':>8} {'x seed':>8}")
    for name, seconds in times.items():
        print(f"{name:22} {seconds:8.1f} {seconds / plain:8.2f} {seconds / seed:8.2f}")
    print(f"(snippet edited: {EDITED_SNIPPET}; {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
