"""Time the site's builds and print them as seconds and ratios (``make bench``).

Every build is a fresh ``mkdocs build`` process, as ``make build`` runs it, on a
scratch copy of the repository with its own cache, so nothing here touches the
working tree. Measured in one run, in this order:

- plain: execution switched off (same pages, blocks show their source only)
- cold: empty cache, every block executes
- warm: nothing changed
- prose edit: one sentence added to a page
- snippet edit: one snippet changed (its comment), so that block alone executes
- cold and warm again without notebook pages (mkdocs-jupyter and the nav entry
  removed), for the cost of the notebooks
- seed script: the seed article's example alone, ``python seed_example.py``

Targets (see README): warm and prose edit <= 1.5 x plain; cold <= 2 x seed script;
notebook pages add <= 10 % to the cold build and nothing to the warm build.
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


def copy_repo(target: Path) -> Path:
    """Copy the files git tracks into ``target``."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    return target


def without_notebooks(repo: Path) -> None:
    """Remove the notebook pages from the copy's mkdocs.yml."""
    config = repo / "mkdocs.yml"
    lines = config.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if "- mkdocs-jupyter:" in line)
    end = start + 1
    while lines[end].startswith("      "):
        end += 1
    del lines[start:end]
    kept = [line for line in lines if "notebooks/index.md" not in line]
    config.write_text("".join(kept))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="epochs-bench-") as scratch:
        work = copy_repo(Path(scratch) / "repo")
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
        bare = copy_repo(Path(scratch) / "bare")
        without_notebooks(bare)
        bare_env = {**env, "SNIPPET_EXEC_CACHE_DIR": str(Path(scratch) / "bare-cache")}
        times["cold, no notebooks"] = timed(build, bare, bare_env)
        times["warm, no notebooks"] = timed(build, bare, bare_env)
        seed_env = {**env, "MPLBACKEND": "Agg"}
        seed = [sys.executable, str(ROOT / "benchmarks" / "seed_example.py")]
        times["seed script alone"] = timed(seed, Path(scratch), seed_env)

    plain, seed = times["plain build"], times["seed script alone"]
    print(f"{'':22} {'seconds':>8} {'x plain':>8} {'x seed':>8}")
    for name, seconds in times.items():
        print(f"{name:22} {seconds:8.1f} {seconds / plain:8.2f} {seconds / seed:8.2f}")
    cold_cost = times["cold build"] / times["cold, no notebooks"] - 1
    warm_cost = times["warm build"] / times["warm, no notebooks"] - 1
    print(
        f"notebook pages add {cold_cost:+.0%} to the cold build, {warm_cost:+.0%} warm"
    )
    print(f"(snippet edited: {EDITED_SNIPPET}; {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
