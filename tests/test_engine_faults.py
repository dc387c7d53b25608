"""Faults a contributor's snippet or page can have, injected into tiny projects.

Each one must fail the strict build before any page is written, with an error that
names the page, the snippet and, where there is one, the snippet's line; or, where
the fault is harmless (a thread left running), must not hold the build up. Nothing
here waits for time: the builds wait for the runs' states.
"""

from __future__ import annotations

import os
import sys

import pytest

BROKEN_PAGE = "guide.md: snippets/broken.py failed"


@pytest.fixture
def broken(project):
    """A project with a good page and a page showing snippets/broken.py."""

    def with_code(code: str, options: str = ""):
        project.snippet("ok.py", "print(1)\n")
        project.snippet("broken.py", code)
        project.page("index.md", "ok.py")
        project.page("guide.md", "broken.py", options=options)
        return project

    return with_code


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# -- 1. nothing a run starts outlives it ------------------------------------------


def test_a_thread_left_running_does_not_hold_the_build(project):
    project.snippet(
        "threads.py",
        """\
        import threading
        import time

        threading.Thread(target=time.sleep, args=(3600,)).start()
        print("- started a thread that sleeps for an hour")
        """,
    )
    project.page("index.md", "threads.py", options='timeout="600"')
    project.build()
    assert "sleeps for an hour" in project.html()


@pytest.mark.parametrize(
    "start",
    [
        "subprocess.Popen(['sleep', '3600'])",
        "subprocess.Popen(['sleep', '3600'], start_new_session=False).pid",
    ],
    ids=["popen", "popen-pid"],
)
def test_processes_a_snippet_starts_end_with_its_run(project, start):
    project.snippet(
        "children.py",
        f"""\
        import subprocess
        import warnings
        from pathlib import Path

        warnings.simplefilter("ignore", ResourceWarning)
        child = {start}
        pid = child if isinstance(child, int) else child.pid
        (Path(__file__).parents[1] / "pid.txt").write_text(str(pid))
        print("- started")
        """,
    )
    project.page("index.md", "children.py")
    project.build()
    pid = int((project.root / "pid.txt").read_text())
    assert not alive(pid), "the snippet's process outlived its run"


def test_idle_worker_processes_of_a_library_end_with_the_run(project):
    """scikit-learn's n_jobs workers (loky) would keep the build waiting."""
    project.snippet(
        "parallel.py",
        """\
        from pathlib import Path

        import psutil
        from sklearn.datasets import load_diabetes
        from sklearn.linear_model import Ridge
        from sklearn.model_selection import cross_val_score

        X, y = load_diabetes(return_X_y=True)
        scores = cross_val_score(Ridge(), X, y, cv=3, n_jobs=2)
        workers = [p.pid for p in psutil.Process().children(recursive=True)]
        (Path(__file__).parents[1] / "pids.txt").write_text(" ".join(map(str, workers)))
        print(f"- {len(scores)} scores")
        """,
    )
    project.page("index.md", "parallel.py", options='timeout="120"')
    project.build()
    pids = [int(p) for p in (project.root / "pids.txt").read_text().split()]
    assert pids, "the example should have started worker processes"
    assert not [pid for pid in pids if alive(pid)]


def test_a_failing_build_ends_the_runs_still_going(project):
    """The first failure cancels the rest: the slow run never reaches its end."""
    project.snippet("fails.py", "raise RuntimeError('early')\n")
    project.snippet(
        "slow.py",
        """\
        import time
        from pathlib import Path

        time.sleep(600)
        (Path(__file__).parents[1] / "finished.txt").write_text("yes")
        """,
    )
    project.page("index.md", "slow.py", "fails.py", options='timeout="900"')
    log = project.fails()
    assert "RuntimeError: early" in log
    assert not (project.root / "finished.txt").exists()


# -- 3. block options --------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ('timeout="3m"', 'timeout="3m" is not a number of seconds'),
        ('session="a"', "option session is not supported here"),
        ('vary="SPEED: 1, 2"', "vary: SPEED is not a module-level constant"),
    ],
    ids=["malformed", "unsupported", "not-a-constant"],
)
def test_a_bad_block_option_fails_the_build_naming_it(broken, options, message):
    """Every option error, each checked alone in tests/test_options.py, takes this
    way to a failed build: from the fence's options, or from the snippet's code."""
    project = broken("SEED = 0\nprint(SEED)\n", options=f'id="here" {options}')
    log = project.fails()
    assert "guide.md: snippets/broken.py (block 'here'): option error" in log
    assert message in log


# -- 4. code that cannot run ---------------------------------------------------------


def test_a_syntax_error_names_page_snippet_and_line(broken):
    project = broken('"""A docstring."""\n\nx = 1\ny = (\n')
    log = project.fails(jupyter=True)
    assert BROKEN_PAGE in log
    assert "SyntaxError: '(' was never closed (line 4 of" in log
    assert "<unknown>" not in log


def test_a_snippet_that_is_not_utf8_names_file_and_line(broken):
    project = broken("x = 1\n")
    project.snippet("broken.py", "x = 1\ny = 'caf\xe9'\n".encode("latin-1"))
    log = project.fails()
    assert "snippets/broken.py: line 2 is not UTF-8" in log


def test_an_unusable_cache_folder_is_named(project):
    project.snippet("one.py", "print(1)\n")
    project.page("index.md", "one.py")
    (project.root / "not-a-folder").write_text("")
    log = project.fails(cache_dir="not-a-folder/cache", jupyter=True)
    assert "cache_dir" in log
    assert "not-a-folder" in log
    assert "notebooks/" not in log


# -- 5. results that cannot be published -------------------------------------------


@pytest.mark.parametrize(
    ("code", "options", "message"),
    [
        ("print('\\udcff')\n", {}, "is not valid Unicode"),
        ("print('x' * 300_000)\n", {}, "more than the limit of 256 KB (output_kb)"),
        ("print('x' * 3_000)\n", {"output_kb": 2}, "limit of 2 KB (output_kb)"),
        (
            "import matplotlib.pyplot as plt\n\n"
            "plt.scatter(range(100), range(100))\nplt.xlabel('x')\nplt.ylabel('y')\n"
            "plt.show()\n",
            {"figure_kb": 2},
            "more than the limit of 2 KB (figure_kb)",
        ),
        (
            "import matplotlib.pyplot as plt\nimport numpy as np\n\n"
            "x = np.arange(1_000)\nplt.plot(x, np.sin(x), label='sin')\n"
            "plt.xlabel('x')\nplt.ylabel('y')\nplt.show()\n",
            {"explore_kb": 1},
            "limit of 1 KB (explore_kb)",
        ),
        (
            "import numpy as np\n\nx = np.ones(6 * 2**30 // 8)\n",
            {},
            "a run may use 4,096 MB: memory_mb",
        ),
    ],
    ids=["surrogate", "output", "output-limit", "figure", "explore", "memory"],
)
def test_a_result_too_big_or_unpublishable_fails_the_build(
    broken, code, options, message
):
    log = broken(code).fails(**options)
    assert BROKEN_PAGE in log
    assert message in log


def test_an_unpublishable_result_is_never_cached(broken):
    project = broken("print('\\udcff')\n")
    project.fails()
    assert "snippets/broken.py failed" in project.fails()


def test_control_characters_are_removed_from_the_page(project):
    project.snippet("bell.py", "print('a\\x00b\\x1b[31mc\\x07d')\n")
    project.page("index.md", "bell.py")
    project.build(jupyter=True)
    assert "ab[31mcd" in project.html()
    notebook = (
        project.root / ".snippet-exec" / "notebooks" / "notebooks" / "bell.ipynb"
    ).read_text()
    assert "\\u001b" not in notebook and "\\u0000" not in notebook


# -- 6. every failure with its line -------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("x = 1\n\nwhile True: x += 1\n", "time limit of 2 s at line 3 of"),
        ("import sys\n\nsys.exit(3)\n", "(SystemExit: 3) at line 3 of"),
        ("import os\n\nos._exit(3)\n", "it called os._exit(3) at line 3 of"),
        ("import ctypes\n\nctypes.string_at(0)\n", "(Segmentation fault) at line 3 of"),
        (
            "import numpy as np\n\nnp.mean([])\n",
            "line 3 of {}: RuntimeWarning: Mean of empty slice (raised in",
        ),
        ("import logging\n\nlogging.warning('odd')\n", "line 3 of {}: logged WARNING"),
        ("import sys\n\nprint('odd', file=sys.stderr)\n", "it wrote to stderr:\nodd"),
        ("import os\n\nos.write(2, b'odd')\n", "it wrote to the process's output"),
    ],
    ids=[
        "timeout",
        "sys-exit",
        "os-exit",
        "segfault",
        "warning",
        "log",
        "stderr",
        "fd",
    ],
)
def test_a_failure_names_the_snippets_line(broken, code, message):
    """Only the run that loops gets a 2-second limit: the others finish at once,
    but not always within 2 s on a machine under load. The loop is on one line:
    Python 3.13 may stop a two-line loop at its ``while`` rather than its body."""
    limit = 'timeout="2"' if "time limit" in message else ""
    project = broken(code, options=limit)
    log = project.fails()
    assert BROKEN_PAGE in log
    assert message.format(project.root / "snippets" / "broken.py") in log
    assert not (project.root / "site" / "guide" / "index.html").exists()


def test_a_warning_raised_in_a_library_points_at_the_snippets_call(broken):
    project = broken(
        """\
        import warnings

        from sklearn.datasets import load_diabetes
        from sklearn.neural_network import MLPRegressor

        X, y = load_diabetes(return_X_y=True)
        model = MLPRegressor(hidden_layer_sizes=(2,), max_iter=1, random_state=0)
        model.fit(X, y)
        """
    )
    log = project.fails()
    assert "line 8 of" in log
    assert "ConvergenceWarning" in log
    assert "(raised in _multilayer_perceptron.py:" in log


def test_a_good_block_beside_a_hanging_one_keeps_its_own_limit(project):
    project.snippet("good.py", "print('- fine')\n")
    project.snippet("hangs.py", "while True:\n    pass\n")
    project.page("index.md", "good.py", options='timeout="600"')
    project.page("guide.md", "hangs.py", options='timeout="1"')
    log = project.fails()
    assert "guide.md: snippets/hangs.py failed" in log
    assert "time limit of 1 s" in log
    assert "snippets/good.py failed" not in log


# -- 7. reporting ---------------------------------------------------------------------


def test_a_failing_snippet_is_reported_once(broken):
    project = broken("raise ValueError('once')\n")
    log = project.fails(jupyter=True)
    assert log.count("ValueError: once") == 1
    assert "1 block(s) failed" in log


@pytest.mark.skipif(sys.platform != "linux", reason="forces spawn on Linux")
@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("print('- spawned')\n", None),
        ("x = 1\n\nwhile True: x += 1\n", "time limit of 2 s at line 3 of"),
        ("import ctypes\n\nctypes.string_at(0)\n", "(Segmentation fault) at line 3"),
    ],
    ids=["runs", "timeout", "crash"],
)
def test_spawned_runs_are_isolated_the_same_way(broken, code, message):
    project = broken(code, options='timeout="2"')
    if message is None:
        project.build(start_method="spawn")
        assert "spawned" in project.html("guide")
    else:
        assert message in project.fails(start_method="spawn")
