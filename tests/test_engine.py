"""The execution engine (snippet_exec) on tiny sites built in this process: what it
caches and why, what it isolates, how it resumes, varies and cleans up.

Faults (a snippet that hangs, crashes or misbehaves) are in test_engine_faults.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import textwrap

import pytest
from conftest import ROOT, without_run_times

from snippet_exec import identity, process
from snippet_exec.cache import Cache
from snippet_exec.engine import Job, Runner, Settings
from snippet_exec.result import Limits, Result


def summary(executed: int, resumed: int, cached: int) -> str:
    """The build log's account of its runs."""
    if not executed:
        return f"Nothing ran: all {cached} results came from the cache"
    return (
        f"{executed} executed ({resumed} resumed from a checkpoint), "
        f"{cached} from the cache, 0 failed"
    )


@pytest.fixture
def run(tmp_path, launcher):
    """Run code as a snippet file of a scratch project; return its Result."""

    def run_code(code: str, name: str = "snippet.py", **job) -> Result:
        path = tmp_path / "snippets" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        code = textwrap.dedent(code)
        path.write_text(code, encoding="utf-8")
        settings = Settings(
            root=tmp_path,
            cache=Cache(tmp_path / "cache", Limits()),
            work_dir=tmp_path / "work",
            force=True,
        )
        with Runner(settings, launcher) as runner:
            return runner.submit(
                Job(code, path, job.pop("timeout", 60), **job)
            ).result()

    return run_code


# -- the cache -----------------------------------------------------------------


def test_unchanged_rebuild_executes_nothing(project):
    project.snippet("hello.py", 'print("- Hello from **a snippet**")\n')
    project.page("index.md", "hello.py")
    assert summary(1, 0, 0) in project.build()
    assert summary(0, 0, 1) in project.build()
    assert "<strong>a snippet</strong>" in project.html()


def test_editing_a_snippet_reexecutes_only_that_block(project):
    project.snippet("one.py", "print(1)\n")
    project.snippet("two.py", "print(2)\n")
    project.page("index.md", "one.py", "two.py")
    project.build()
    project.snippet("one.py", "print(11)\n")
    assert summary(1, 0, 1) in project.build()
    assert "index.md: snippets/one.py ran in" in project.log


def test_editing_an_imported_module_reexecutes_its_importers(project):
    project.snippet("_shared.py", "VALUE = 1\n")
    project.snippet("user.py", "from _shared import VALUE\n\nprint(VALUE)\n")
    project.snippet("other.py", "print(0)\n")
    project.page("index.md", "user.py", "other.py")
    project.build()
    project.snippet("_shared.py", "VALUE = 2\n")
    assert summary(1, 0, 1) in project.build()
    assert "snippets/user.py ran in" in project.log
    assert "<p>2</p>" in project.html()


def test_a_package_in_another_folder_is_a_dependency(project):
    """Recorded while the snippet runs: no import analysis to fool."""
    project.snippet("tools/__init__.py", "")
    project.snippet("tools/numbers.py", "VALUE = 1\n")
    project.snippet(
        "pages/user.py",
        """\
        import importlib
        import sys
        from pathlib import Path

        sys.path.append(str(Path(__file__).parents[1]))
        numbers = importlib.import_module("tools.numbers")
        print(numbers.VALUE)
        """,
    )
    project.page("index.md", "pages/user.py")
    project.build()
    project.snippet("tools/numbers.py", "VALUE = 2\n")
    assert summary(1, 0, 0) in project.build()
    assert "<p>2</p>" in project.html()


def test_a_data_file_the_snippet_reads_is_a_dependency(project):
    data = project.root / "data" / "numbers.csv"
    data.parent.mkdir()
    data.write_text("1,2,3\n")
    project.snippet(
        "total.py",
        """\
        from pathlib import Path

        ROOT = Path(__file__).parents[1]
        text = (ROOT / "data" / "numbers.csv").read_text()
        print(sum(int(n) for n in text.split(",")))
        """,
    )
    project.page("index.md", "total.py")
    project.build()
    assert "<p>6</p>" in project.html()
    data.write_text("1,2,3,4\n")
    assert summary(1, 0, 0) in project.build()
    assert "<p>10</p>" in project.html()


def test_a_folder_the_snippet_lists_is_a_dependency(project):
    folder = project.root / "inputs"
    folder.mkdir()
    (folder / "a.txt").write_text("")
    project.snippet(
        "count.py",
        """\
        import os
        from pathlib import Path

        print(len(os.listdir(Path(__file__).parents[1] / "inputs")))
        """,
    )
    project.page("index.md", "count.py")
    project.build()
    (folder / "b.txt").write_text("")
    assert summary(1, 0, 0) in project.build()
    assert "<p>2</p>" in project.html()


def test_depends_covers_what_cannot_be_recorded(project):
    """A file read by another process is invisible to the audit hook."""
    (project.root / "words.txt").write_text("one\n")
    project.snippet(
        "shell.py",
        """\
        import subprocess
        from pathlib import Path

        words = Path(__file__).parents[1] / "words.txt"
        done = subprocess.run(["cat", str(words)], capture_output=True, text=True)
        print(done.stdout)
        """,
    )
    project.page("index.md", "shell.py", options='depends="*.txt"')
    project.build()
    (project.root / "words.txt").write_text("two\n")
    assert summary(1, 0, 0) in project.build()
    assert "<p>two</p>" in project.html()


def test_the_snippets_path_is_part_of_the_key(project):
    code = "import matplotlib.pyplot as plt\n\nplt.plot([1, 2])\nplt.show()\n"
    project.snippet("a.py", code)
    project.snippet("b.py", code)
    project.page("index.md", "a.py", "b.py")
    assert summary(2, 0, 0) in project.build()


def test_library_versions_are_part_of_the_key(project, monkeypatch):
    project.snippet("one.py", "print(1)\n")
    project.page("index.md", "one.py")
    project.build()
    installed = identity.installed_distributions()
    monkeypatch.setattr(
        identity, "installed_distributions", lambda: [*installed, "newlib-1.0"]
    )
    assert summary(1, 0, 0) in project.build()


def test_engine_identity_is_read_at_each_call_and_only_from_execution_code(
    tmp_path, monkeypatch
):
    copy = tmp_path / "snippet_exec"
    shutil.copytree(identity.PACKAGE_DIR, copy)
    monkeypatch.setattr(identity, "PACKAGE_DIR", copy)
    before = identity.engine()
    (copy / "render.py").write_text("# rendering changed\n", encoding="utf-8")
    (copy / "plugin.py").write_text("# the plugin changed\n", encoding="utf-8")
    assert identity.engine() == before
    (copy / "worker.py").write_text("# execution changed\n", encoding="utf-8")
    assert identity.engine() != before


def test_execution_modules_are_every_module_the_child_imports():
    """The engine's identity covers whatever the worker imports from the package,
    directly or not (read from the sources' imports)."""
    import ast

    seen, pending = set(), ["worker"]
    while pending:
        name = pending.pop()
        seen.add(name)
        tree = ast.parse((identity.PACKAGE_DIR / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "snippet_exec":
                pending += [a.name for a in node.names if a.name not in seen]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "snippet_exec."
            ):
                module = node.module.split(".")[1]
                if module not in seen:
                    pending.append(module)
    assert seen <= set(identity.EXECUTION_MODULES), seen - set(
        identity.EXECUTION_MODULES
    )


def test_force_executes_everything(project):
    project.snippet("one.py", "print(1)\n")
    project.page("index.md", "one.py")
    project.build()
    assert summary(1, 0, 0) in project.build(force=True)


def test_a_snippet_shown_twice_runs_once(project):
    project.snippet("one.py", "print(1)\n")
    project.page("index.md", "one.py")
    project.page("again.md", "one.py")
    assert summary(1, 0, 0) in project.build()


@pytest.mark.parametrize(
    "entry",
    ["{not json", "{}", "[]", '{"format": 1, "key": "other", "result": {}}'],
    ids=["truncated", "empty", "wrong-type", "wrong-key"],
)
def test_a_cache_entry_that_is_not_trusted_is_a_miss(project, entry):
    project.snippet("one.py", "print(1)\n")
    project.page("index.md", "one.py")
    project.build()
    for path in (project.root / ".snippet-exec" / "cache").rglob("*.json"):
        path.write_text(entry)
    assert summary(1, 0, 0) in project.build()


def test_a_cache_entry_with_wrong_types_inside_is_a_miss(project):
    project.snippet("one.py", "print(1)\n")
    project.page("index.md", "one.py")
    project.build()
    for path in (project.root / ".snippet-exec" / "cache").rglob("*.json"):
        entry = json.loads(path.read_text())
        entry["result"]["figures"] = [{"svg": 3}]
        path.write_text(json.dumps(entry))
    assert summary(1, 0, 0) in project.build()
    assert "<p>1</p>" in project.html()


def test_unused_entries_are_evicted_and_reported(project):
    project.snippet("one.py", "print(1)\n")
    project.page("index.md", "one.py")
    project.build()
    project.snippet("one.py", "print(2)\n")
    log = project.build(evict_after_days=0)
    assert "evicted" in log
    cache = project.root / ".snippet-exec" / "cache"
    assert len(list(cache.rglob("*.json"))) == 1
    assert summary(0, 0, 1) in project.build(evict_after_days=0)


# -- isolation -------------------------------------------------------------------


@pytest.mark.engine
@pytest.mark.skipif(sys.platform != "linux", reason="the fork server is POSIX's")
def test_a_warm_fork_server_changes_no_result(tmp_path):
    """The policy's warm-up (a figure drawn and captured in the fork server, once)
    leaves nothing a run can see: a run forked from the warm server prints and
    draws byte for byte what a run spawned afresh does, its warnings too."""
    code = textwrap.dedent(
        """\
        import warnings

        import matplotlib as mpl
        import matplotlib.pyplot as plt

        warnings.showwarning = lambda message, *rest: print(f"- warned: {message}")
        fig, ax = plt.subplots()
        ax.legend()  # nothing labelled yet: matplotlib warns, once per place
        ax.plot([1, 2, 3], [4.0, 2.0, 3.0], label="a")
        ax.plot([1, 2, 3], [3.0, 1.5, 2.5], "o--", label="b")
        ax.fill_between([1, 2, 3], [1.0, 1.0, 1.0], [2.0, 2.0, 2.0], alpha=0.2)
        ax.set(xlabel="x", ylabel="y", title="Two lines", yscale="log")
        ax.legend()
        print(f"- {plt.get_fignums()}, lines {mpl.rcParams['lines.linewidth']}")
        plt.show()
        """
    )
    path = tmp_path / "snippets" / "warm.py"
    path.parent.mkdir(parents=True)
    path.write_text(code, encoding="utf-8")
    results = []
    for method in ("forkserver", "spawn"):
        settings = Settings(
            root=tmp_path,
            cache=Cache(tmp_path / method / "cache", Limits()),
            work_dir=tmp_path / method / "work",
            force=True,
        )
        with Runner(settings, process.launcher_for(method)) as runner:
            results.append(runner.submit(Job(code, path, 60)).result())
    forked, spawned = results
    assert forked.failure is None, forked.failure
    assert "- warned: No artists with labels found" in forked.markdown
    assert forked.markdown == spawned.markdown
    assert len(forked.figures) == 1
    assert forked.figures == spawned.figures  # SVG, PNG, data, alt text, caption


@pytest.mark.engine
@pytest.mark.skipif(sys.platform != "linux", reason="the fork server is POSIX's")
def test_a_warm_up_that_prints_and_fails_stops_no_run(tmp_path, monkeypatch):
    """The warm-up is for speed only: one that prints (on the pipe the server's
    messages use, through sys.stdout and past it) and then raises leaves the runs
    as they would be without it."""
    monkeypatch.chdir(tmp_path)  # where the server imports the policy from
    (tmp_path / "noisy_policy.py").write_text(
        "from snippet_exec.policy import PRELOAD, before_run, capture\n\n\n"
        "def warm_up():\n"
        "    import os\n\n"
        "    print('warming up')\n"
        "    os.write(1, b'not a message\\n')  # past sys.stdout: the pipe itself\n"
        "    raise RuntimeError('no warm-up here')\n",
        encoding="utf-8",
    )
    path = tmp_path / "snippets" / "one.py"
    path.parent.mkdir(parents=True)
    path.write_text("print(1)\n", encoding="utf-8")
    launcher = process.ForkServer("noisy_policy")
    settings = Settings(
        root=tmp_path,
        cache=Cache(tmp_path / "cache", Limits()),
        work_dir=tmp_path / "work",
        force=True,
        policy="noisy_policy",
    )
    try:
        with Runner(settings, launcher) as runner:
            result = runner.submit(Job("print(1)\n", path, 60)).result()
    finally:
        launcher.close()
    assert result.failure is None, result.failure
    assert result.markdown == "1\n"


@pytest.mark.engine
@pytest.mark.skipif(sys.platform != "linux", reason="the fork server is POSIX's")
def test_a_prepared_fork_server_is_the_one_the_first_run_uses(tmp_path):
    """Under serve, the build starts the fork server before its pages are read
    (``prepare``): the first edit's runs do not wait for its imports."""
    launcher = process.ForkServer()
    settings = Settings(
        root=tmp_path,
        cache=Cache(tmp_path / "cache", Limits()),
        work_dir=tmp_path / "work",
        force=True,
    )
    path = tmp_path / "snippets" / "one.py"
    path.parent.mkdir(parents=True)
    path.write_text("print(1)\n", encoding="utf-8")
    try:
        with Runner(settings, launcher) as runner:
            assert launcher.server is None
            runner.prepare()
            server = launcher.server
            assert server is not None and server.process.poll() is None
            runner.prepare()
            assert launcher.server is server  # started once
            result = runner.submit(Job("print(1)\n", path, 60)).result()
            assert result.failure is None, result.failure
            assert launcher.server is server
    finally:
        launcher.close()


def test_blocks_cannot_see_each_others_state(project):
    project.snippet(
        "first.py",
        """\
        import matplotlib as mpl
        import matplotlib.pyplot as plt
        import numpy as np

        import _marker

        LEAKED = True
        mpl.rcParams["lines.linewidth"] = 9
        np.random.seed(0)
        plt.figure()
        print("first")
        """,
    )
    project.snippet("_marker.py", "")
    project.snippet(
        "second.py",
        """\
        import sys

        import matplotlib as mpl
        import matplotlib.pyplot as plt

        assert "LEAKED" not in globals()
        assert "_marker" not in sys.modules
        assert plt.get_fignums() == []
        assert mpl.rcParams["lines.linewidth"] != 9
        """,
    )
    project.page("index.md", "first.py", "second.py")
    assert summary(2, 0, 0) in project.build()


@pytest.mark.parametrize("start_method", ["forkserver", "spawn"])
def test_the_callers_environment_does_not_reach_the_snippet(
    project, monkeypatch, start_method
):
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    monkeypatch.setenv("EPOCHS_TEST_SECRET", "leaked")
    project.snippet(
        "env.py",
        """\
        import os

        print(os.environ["OMP_NUM_THREADS"], os.environ.get("EPOCHS_TEST_SECRET"))
        print(os.environ["PYTHONHASHSEED"])
        """,
    )
    project.page("index.md", "env.py")
    project.build(start_method=start_method)
    assert "<p>1 None\n0</p>" in project.html()


def test_from_future_imports_hold_in_every_cell(run):
    result = run(
        """\
        from __future__ import annotations

        # %%
        def f(x: NotDefinedAnywhere) -> None:
            pass


        print(f.__annotations__["x"])
        """
    )
    assert result.failure is None, result.failure
    assert result.markdown == "NotDefinedAnywhere\n"


def test_figures_are_captured_in_place_and_reproducible(run):
    code = """\
        import matplotlib.pyplot as plt

        print("before")
        plt.plot([1, 2, 3], [3, 1, 2], label="Loss")
        plt.xlabel("Epoch")
        plt.ylabel("Loss")
        plt.title("A title")
        plt.show()
        print("after")
        """
    first, second = run(code), run(code)
    assert first.failure is None, first.failure
    (figure,) = first.figures
    assert figure["svg"] == second.figures[0]["svg"]
    assert figure["caption"] == "A title"
    assert "Loss: 3 at epoch 1, lowest 1 at epoch 2, 2 at epoch 3" in figure["alt"]
    assert first.markdown[: figure["at"]] == "before\n"
    assert first.markdown[figure["at"] :] == "after\n"


def test_printing_what_looks_like_engine_markup_is_just_text(project):
    project.snippet(
        "mimic.py",
        """\
        print('<div class="snippet-exec-figure" data-figure="5"></div>')
        print('<div class="snippet-exec-block" data-block="1"></div>')
        """,
    )
    project.page("index.md", "mimic.py")
    project.build(jupyter=True)
    assert 'data-figure="5"' in project.html()


def test_results_of_any_shape_do_not_break_the_run(run):
    result = run(
        "import numpy as np\n\nparts = [np.zeros(2), np.zeros(3)]\nsizes = [2, 3]\n"
    )
    assert result.failure is None, result.failure
    assert result.values["sizes"] == [2, 3]
    assert "parts" not in result.values


# -- the build -------------------------------------------------------------------


def test_execution_can_be_switched_off_with_the_same_pages(project):
    project.snippet("one.py", '"""One."""\n\nprint("ran")\n')
    project.page("index.md", "one.py", options='source="above"')
    log = project.build(enabled=False, jupyter=True)
    assert "print" in project.html()
    assert "<p>ran</p>" not in project.html()
    assert "execution is switched off" in project.html()
    assert " ran in " not in log
    assert "from the cache" not in log
    assert (project.root / "site" / "notebooks" / "one" / "index.html").is_file()


def test_notebook_pages_reuse_the_blocks_run(project):
    project.snippet("shown.py", "print('- printed once')\n")
    project.page("index.md", "shown.py")
    assert summary(1, 0, 0) in project.build(jupyter=True)
    html = project.html("notebooks/shown")
    assert "printed once" in html
    assert 'href="shown.ipynb" download' in html


def test_a_notebook_page_offers_the_helpers_its_snippet_imports(project):
    project.snippet("_steps.py", "STEPS = 20\n")
    project.snippet("_unused.py", "OTHER = 1\n")
    project.snippet(
        "uses.py", "from _steps import STEPS\n\nprint(f'- {STEPS} steps')\n"
    )
    project.page("index.md", "uses.py")
    project.build(jupyter=True)
    html = project.html("notebooks/uses")
    folder = project.root / "site" / "notebooks" / "uses"
    assert 'It imports <a href="_steps.py" download>_steps.py</a>' in html
    assert (folder / "_steps.py").read_text() == "STEPS = 20\n"
    assert "_unused" not in html
    assert not (folder / "_unused.py").exists()
    assert not (project.root / "site" / "notebooks" / "_steps").exists()


def test_a_notebook_page_shares_its_blocks_run_with_its_depends_and_limits(project):
    """The notebook's run is the block's: its ``depends``, its time limit (a
    change to either is a new run of both, never a stale notebook)."""
    project.snippet("shown.py", "print(1)\n")
    project.snippet("data.txt", "1\n")
    options = 'depends="snippets/*.txt" timeout="30"'
    project.page("index.md", "shown.py", options=options)
    log = project.build(jupyter=True)
    assert summary(1, 0, 0) in log
    times = project.html("execution-times")
    assert times.count("<code>snippets/shown.py</code>") == 1
    project.snippet("data.txt", "2\n")
    assert summary(1, 0, 0) in project.build(jupyter=True)


@pytest.mark.parametrize(
    "change",
    [{"timeout": 61}, {"memory_mb": 3000}],
    ids=["timeout", "memory_mb"],
)
def test_the_cache_key_holds_the_time_and_memory_limits(project, change):
    project.snippet("shown.py", "print(1)\n")
    project.page("index.md", "shown.py")
    project.build()
    assert summary(0, 0, 1) in project.build()
    assert summary(1, 0, 0) in project.build(**change)


def test_a_snippet_no_page_includes_gets_no_notebook(project):
    """A draft beside the examples is not run, and named in one line."""
    project.snippet("shown.py", "print(1)\n")
    project.snippet("draft.py", "print(1 / 0)\n")  # fails if anything runs it
    project.snippet("other_draft.py", "print(2)\n")
    project.page("index.md", "shown.py")
    log = project.build(jupyter=True)
    assert summary(1, 0, 0) in log
    named = [line for line in log.splitlines() if "draft" in line]
    assert len(named) == 1, log
    assert "snippets/draft.py, snippets/other_draft.py" in named[0]
    assert not (project.root / "site" / "notebooks" / "draft").exists()
    assert "draft" not in project.html("notebooks")


def test_notebook_plugin_order_does_not_matter(project):
    project.snippet("shown.py", "print('- in a notebook')\n")
    project.page("index.md", "shown.py")
    project.build(jupyter_first=True)
    assert "in a notebook" in project.html("notebooks/shown")


def test_the_tests_keep_mkdocs_jupyters_cache_in_the_work_folder(project):
    project.snippet("shown.py", "print(1)\n")
    project.page("index.md", "shown.py")
    project.build(jupyter=True)
    assert list((project.root / ".snippet-exec" / "mkdocs-jupyter").glob("*.json"))
    assert not (project.root / ".cache").exists()


def test_a_block_with_code_beside_its_include_is_named_after_its_page(project):
    project.snippet("base.py", "VALUE = 1\n")
    project.text(
        "guide.md",
        """\
        # Guide

        Some prose.

        ```python exec="1" id="extra"
        --8<-- "snippets/base.py"
        print(VALUE)
        raise ValueError("beside the include")
        ```
        """,
    )
    log = project.fails()
    assert "guide.md: guide.md, line 5 (block 'extra') failed" in log
    assert 'File "guide.md", line 8' in log


# -- incremental execution -----------------------------------------------------

CELLS = """\
import random

import matplotlib.pyplot as plt
import numpy as np

SEED = 0
rng = np.random.default_rng(SEED)
np.random.seed(SEED)
random.seed(SEED)
history = []


def step(value):
    history.append(value)
    return value * 2


print("- cell 1")

# %%
# Second cell
x = rng.normal(size=3)
print(f"- {step(len(x))}")

# %%
# Third cell
print(f"- {np.random.rand():.6f} {random.random():.6f} {rng.random():.6f}")
print(f"- history {history}, step again {step(5)}")
plt.plot(x, label="x")
plt.xlabel("i")
plt.ylabel("x")
plt.show()
"""


def without_run_time(html: str) -> str:
    """The page without its examples' run times, which differ from run to run."""
    return without_run_times(html.encode()).decode()


def test_an_edit_to_a_later_cell_resumes_from_the_checkpoint(project):
    project.snippet("cells.py", CELLS)
    project.page("index.md", "cells.py")
    project.build()
    full_html = project.html()
    project.snippet("cells.py", CELLS.replace("# Third cell", "# Third cell, edited"))
    log = project.build()
    assert summary(1, 1, 0) in log
    assert "resumed after cell 2 of 3" in log
    edited = full_html.replace("Third cell", "Third cell, edited")
    assert without_run_time(project.html()) == without_run_time(edited)


def test_a_resumed_run_equals_a_full_run(project):
    """Printed output, figures, values and random states continue exactly."""
    project.snippet("cells.py", CELLS)
    project.page("index.md", "cells.py")
    project.build()
    edited = CELLS.replace("# Third cell", "# The third cell")
    project.snippet("cells.py", edited)
    project.build()
    resumed = project.html()
    assert summary(1, 1, 0) in project.log
    assert summary(1, 0, 0) in project.build(force=True)
    assert without_run_time(project.html()) == without_run_time(resumed)


def test_a_state_that_cannot_be_saved_runs_in_full_and_says_so(project):
    code = CELLS.replace(
        'print("- cell 1")', 'print("- cell 1")\nlines = (n for n in [1])'
    )
    project.snippet("cells.py", code)
    project.page("index.md", "cells.py")
    project.build()
    project.snippet("cells.py", code.replace("# Third cell", "# Third cell, edited"))
    log = project.build()
    assert summary(1, 0, 0) in log
    assert "s, in full, since the state after cell 2 could not be saved" in log
    assert "generator" in log


def test_a_figure_open_between_cells_runs_in_full_and_says_so(project):
    code = CELLS.replace('print(f"- {step(len(x))}")', "plt.figure()")
    project.snippet("cells.py", code)
    project.page("index.md", "cells.py")
    project.build()
    project.snippet("cells.py", code.replace("# Third cell", "# Third cell, edited"))
    log = project.build()
    assert summary(1, 1, 0) in log
    assert (
        "resumed after cell 1 of 3 from a checkpoint; the state after cell 2 could "
        "not be saved" in log
    )
    assert "a figure is still open" in log


def test_an_edit_to_the_first_cell_runs_in_full(project):
    project.snippet("cells.py", CELLS)
    project.page("index.md", "cells.py")
    project.build()
    project.snippet("cells.py", CELLS.replace("SEED = 0", "SEED = 1"))
    assert summary(1, 0, 0) in project.build()


def test_checkpoints_follow_the_files_the_cells_read(project):
    data = project.root / "value.txt"
    data.write_text("1")
    code = CELLS.replace(
        'print("- cell 1")',
        'print("- cell 1", (Path(__file__).parents[1] / "value.txt").read_text())',
    ).replace("import random\n", "import random\nfrom pathlib import Path\n")
    project.snippet("cells.py", code)
    project.page("index.md", "cells.py")
    project.build()
    data.write_text("2")
    project.snippet("cells.py", code.replace("# Third cell", "# Third cell, edited"))
    assert summary(1, 0, 0) in project.build()
    assert "cell 1 2" in project.html()


# -- variants --------------------------------------------------------------------


def test_each_variant_is_the_script_with_its_constants_replaced(project):
    project.snippet(
        "seeded.py",
        """\
        SEED = 42
        RATE = 0.1

        print(f"- seed {SEED}, rate {RATE}")
        """,
    )
    project.page("index.md", "seeded.py", options='vary="SEED: 0..2; RATE: 0.5, 1"')
    log = project.build()
    assert summary(7, 0, 0) in log
    assert "snippets/seeded.py [SEED=2, RATE=1] ran in" in log
    assert "seed 42, rate 0.1" in project.html()


VARIED = """\
import matplotlib.pyplot as plt
import numpy as np

SEED = 42
NUM_EPOCHS = 50

rng = np.random.default_rng(SEED)
epochs = np.arange(1, NUM_EPOCHS + 1)
val_loss = 100 / epochs + rng.uniform(0, 5, NUM_EPOCHS)
best_epoch = int(np.argmin(val_loss)) + 1
print(f"- Best epoch: {best_epoch}")
plt.plot(epochs, val_loss, label="Validation loss")
plt.xlabel("Epoch")
plt.ylabel("Loss")
plt.title("A noisy curve")
plt.show()
"""


def test_a_spread_table_and_a_band_show_the_variants(project):
    project.snippet("noisy.py", VARIED)
    options = (
        'vary="SEED: 0..4" spread="best_epoch: Best epoch" '
        'band="epochs, val_loss: Validation loss"'
    )
    project.page("index.md", "noisy.py", options=options)
    project.build()
    html = project.html()
    assert "Over 5 runs, one per value of SEED (0 to 4): the median" in html
    assert "beside the run the text describes (SEED = 42)." in html
    assert html.count('class="snippet-exec-band"') == 1
    assert "Shaded: the range over 5 runs, one per value of SEED (0 to 4)." in html
    assert "the lowest validation loss of each run is between" in html
    assert html.count("<td>") >= 4 + 5 * 2  # the spread, and every run's row


def whatif_panels(html: str) -> list[tuple[str, bool, str]]:
    """Each what-if panel of a page: its label, whether it is hidden, its HTML."""
    found = re.findall(
        r'<div class="snippet-exec-whatif-panel" data-choice="[\d ]+" '
        r'data-label="([^"]*)"( hidden)?>(.*?)\n</div>\n(?=<div class="snippet-exec-'
        r'whatif-panel"|<p class="snippet-exec-whatif-status")',
        html,
        re.DOTALL,
    )
    return [(label, bool(hidden), body) for label, hidden, body in found]


def test_a_control_switches_between_every_run_of_the_block(project):
    import numpy as np

    project.snippet("noisy.py", VARIED)
    options = 'vary="SEED: 0, 7, 42, 99" control="Seed" '
    options += 'band="epochs, val_loss: Validation loss"'
    project.page("index.md", "noisy.py", options=options)
    project.build()
    html = project.html()
    # A seed is no quantity: a run picker lists its runs, the run as written first;
    # SEED = 42 is listed once though the variants repeat it.
    assert 'id="block1-control-label">Seed</span>' in html
    assert '<output id="block1-control">Run 1 of 4 (seed 42, as in the text)' in html
    panels = whatif_panels(html)
    seeds = [int(re.search(r"seed (\d+)", label)[1]) for label, _, _ in panels]
    assert seeds == [42, 0, 7, 99]
    assert [hidden for _, hidden, _ in panels] == [False, True, True, True]
    best = [re.search(r"Best epoch: (\d+)", body)[1] for _, _, body in panels]
    figures = [re.search(r'aria-label="([^"]*)"', body)[1] for _, _, body in panels]
    drawings = [re.findall(r'<path d="[^"]*"', body) for _, _, body in panels]
    assert len(set(drawings[0]) ^ set(drawings[1])) > 0  # each run its own curve
    assert len(set(figures)) == 4 and all("Shaded" in alt for alt in figures)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids repeat across panels"
    assert html.count("snippet-exec-band") == 4
    # The printed numbers are each run's: the same as running the script with it.
    for seed, shown in zip(seeds, best, strict=True):
        rng = np.random.default_rng(seed)
        loss = 100 / np.arange(1, 51) + rng.uniform(0, 5, 50)
        assert shown == str(int(loss.argmin()) + 1)
    assert 'src="javascripts/whatif.js"' not in html  # the tiny project has no JS


def test_a_yes_no_constant_gets_a_select(project):
    project.snippet(
        "scaled.py",
        "SCALE_TARGET = False\n\nprint(f'- scaled: {SCALE_TARGET}')\n",
    )
    options = 'vary="SCALE_TARGET: True" control="Standardise the target"'
    project.page("index.md", "scaled.py", options=options)
    project.build()
    html = project.html()
    assert (
        '<select id="block1-control"><option value="0" selected>no (as in the '
        'text)</option><option value="1">yes</option></select>'
    ) in html
    assert [(label, hidden) for label, hidden, _ in whatif_panels(html)] == [
        ("Standardise the target: no (as in the text)", False),
        ("Standardise the target: yes", True),
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ('control="Seed"', "control shows the variants: give vary"),
        ('vary="SEED: 42" control="Seed"', "the variants repeat the snippet's own"),
        (
            'vary="SEED: 0..2" band="epochs, val_loss: No such line"',
            "no line 'No such line'",
        ),
    ],
    ids=["control-without-vary", "control-over-nothing", "unknown-line"],
)
def test_a_bad_spread_or_band_fails_the_build_naming_it(project, options, message):
    """Each way of failing, from the options, the control or the runs' results
    (each checked alone in tests/test_variants.py), fails the build naming it."""
    project.snippet("noisy.py", VARIED)
    project.page("index.md", "noisy.py", options=f'id="b" {options}')
    log = project.fails()
    assert "index.md: snippets/noisy.py (block 'b'): option error" in log
    assert message in log


# -- nothing left behind ---------------------------------------------------------


def test_builds_leave_no_temporary_folders(project, tmp_path_factory, monkeypatch):
    scratch = tmp_path_factory.mktemp("tmp")
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    project.snippet("ok.py", "print(1)\n")
    project.snippet("broken.py", "raise ValueError('no')\n")
    project.page("index.md", "ok.py")
    project.build()
    project.page("index.md", "broken.py")
    project.fails()
    assert list(scratch.iterdir()) == []


def test_stale_temporary_folders_of_dead_processes_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    dead = tmp_path / f"{process.TEMP_PREFIX}999999999-abc-runs"
    dead.mkdir()
    root = process.temp_root()
    assert not dead.exists()
    assert root.is_dir() and str(os.getpid()) in root.name
    root.rmdir()


def test_the_tests_write_nothing_into_the_repositorys_caches(site, work_dir, started):
    """The session's build kept its results, checkpoints, notebooks and
    mkdocs-jupyter's cache in its own folders."""
    assert list((work_dir / "mkdocs-jupyter").glob("*.json"))
    assert list((work_dir / "notebooks").rglob("*.ipynb"))
    for folder in (ROOT / ".snippet-exec", ROOT / ".cache" / "mkdocs-jupyter"):
        written = [p for p in folder.rglob("*") if p.stat().st_mtime >= started]
        assert not written, written


def test_a_block_inside_a_folded_answer_runs_and_stays_folded(project):
    """The pages' exercises fold each answer under its question (a list item holding
    a pymdownx.details block holding the executed fence): the block runs there, and
    its output is rendered inside the collapsed details element."""
    project.snippet("answer.py", 'print(f"- The answer: {6 * 7}")\n')
    project.text(
        "index.md",
        """\
        # Exercises

        1. What is six times seven?

            ??? note "Answer"
                Computed when the site is built:

                ```python exec="1" source="tabbed-right" id="answer"
                --8<-- "snippets/answer.py"
                ```

        2. And the next question.
        """,
    )
    extensions = project.config()["markdown_extensions"]
    extensions += ["admonition", "pymdownx.details", "pymdownx.tabbed"]
    project.build(site={"markdown_extensions": extensions})
    page = project.html()
    folded = page[page.index("<details") : page.index("</details>")]
    assert "<li>The answer: 42</li>" in folded
    assert 'class="tabbed-set' in folded
    assert page.index("</details>") < page.index("And the next question")
