"""The engine keeps its promises (issue 24): probes of a fault campaign, each a
scratch page built strict, that once escaped, injected, passed silently or named
no line.

- what is cached is what ran, and a miss is a miss (a corrupt checkpoint, an
  entry edited since, a folder's bytecode);
- what a run prints is published as text: never an include, a placeholder or
  half a page's layout;
- every fence with an ``exec`` option runs or fails, and every failure names the
  page, the block and the line;
- nothing a run starts outlives it.

Nothing here waits for time: the builds wait for the runs' states.
"""

from __future__ import annotations

import os
import re
import signal
import sys

import pytest

pytestmark = pytest.mark.engine


def summary(executed: int, resumed: int, cached: int) -> str:
    """The build log's account of its runs (as tests/test_engine.py reads it)."""
    if not executed:
        return f"Nothing ran: all {cached} results came from the cache"
    return (
        f"{executed} executed ({resumed} resumed from a checkpoint), "
        f"{cached} from the cache, 0 failed"
    )


BROKEN_PAGE = "guide.md: snippets/broken.py failed"
CELLS = """\
print("- cell 1")
value = 41

# %%
print(f"- cell 2: {value + 1}")
"""


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


# -- cache and checkpoints ------------------------------------------------------


def test_a_corrupt_checkpoint_is_a_miss_and_the_run_goes_in_full(project):
    project.snippet("cells.py", CELLS)
    project.page("index.md", "cells.py")
    project.build()
    (saved,) = (project.root / ".snippet-exec" / "checkpoints").glob("*.pkl")
    saved.write_bytes(b"not a pickle")
    project.snippet("cells.py", CELLS.replace("cell 2:", "cell two:"))
    log = project.build()
    assert summary(1, 0, 0) in log
    assert "in full, since the state after cell 1 is unreadable" in log
    assert "cell two: 42" in project.html()
    project.snippet("cells.py", CELLS.replace("cell 2:", "cell 2 again:"))
    assert "resumed after cell 1 of 2" in project.build()  # saved again, whole


# -- what a run prints is published as text ----------------------------------------


@pytest.mark.parametrize("path", ["secret.txt", "missing.txt"])
def test_a_printed_include_line_is_text_never_an_include(project, path):
    (project.root / "secret.txt").write_text("the builder's secret\n")
    project.snippet(
        "includes.py",
        f"""\
        print('--8<-- "{path}"')
        print()
        print('    ;--8<-- "{path}"')
        print()
        print("--8<--")
        print("{path}")
        print("--8<--")
        print()
        print("a section --8<-" + "- [start:name] mark")  # not a mark in the code
        """,
    )
    project.page("index.md", "includes.py")
    project.build()
    html = project.html()
    assert "secret" not in html.replace("secret.txt", "")
    assert html.count(f'--8&lt;-- "{path}"') == 2  # as printed, twice
    assert html.count(f';--8&lt;-- "{path}"') == 1
    assert "[start:name]" in html


def test_a_printed_placeholder_moves_nothing(project):
    project.snippet(
        "forger.py",
        """\
        FAKE = '<div class="snippet-exec-deferred" data-part="{}-{}"></div>'
        for part in range(3):
            print(FAKE.format("shown", part))
            print(FAKE.format("block2", part))
        """,
    )
    project.snippet("shown.py", "SHOWN_CODE = 1\nprint(SHOWN_CODE)\n")
    project.text(
        "index.md",
        """\
        # Forged

        ```python exec="1"
        --8<-- "snippets/forger.py"
        ```

        ```python exec="1" source="above"
        --8<-- "snippets/shown.py"
        ```
        """,
    )
    project.build()
    html = project.html()
    fakes = html.rindex('data-part="block2-2"')
    assert fakes < html.index("SHOWN_CODE")  # the code is still in its place
    assert html.count('class="snippet-exec-deferred"') == 6  # the printed ones, inert


@pytest.mark.parametrize(
    ("printed", "message"),
    [
        ("</div></div></article>", "closes <div>, which it did not open"),
        ("<section><div>", "leaves <div> open"),
        ("<div><span></div></span>", "closes <div> before <span>"),
    ],
)
def test_unbalanced_printed_html_fails_naming_the_block(broken, printed, message):
    project = broken(f"print('{printed}')\n")
    log = project.fails()
    assert BROKEN_PAGE in log
    assert f"its output is not balanced HTML: it {message}" in log


def test_balanced_html_and_html_shown_as_code_are_published(project):
    project.snippet(
        "html.py",
        """\
        print("<div><p>a paragraph<br>and a line</p><img src='x.png'/></div>")
        print()
        print("`</div>` in code, and in a block:")
        print()
        print("```")
        print("</article>")
        print("```")
        """,
    )
    project.page("index.md", "html.py")
    project.build()
    assert "&lt;/article&gt;" in project.html()


# -- every fence with an exec option runs or fails -----------------------------------


@pytest.mark.parametrize(
    ("fence", "shown"),
    [
        ('```md exec="1"\n**bold**\n```', '```md exec="1"'),
        ('```pycon exec="1"\n>>> 1 + 1\n```', '```pycon exec="1"'),
        ('```bash exec="1"\necho hi\n```', '```bash exec="1"'),
        ('```console exec="true"\n$ ls\n```', '```console exec="true"'),
        ('```python exec="y"\nprint(1)\n```', '```python exec="y"'),
        ('```py exec="0"\nprint(1)\n```', '```py exec="0"'),
    ],
    ids=["md", "pycon", "bash", "console", "exec-y", "exec-0"],
)
def test_a_fence_nothing_executes_fails_naming_page_and_line(project, fence, shown):
    project.snippet("ok.py", "print('- ok')\n")
    project.text(
        "index.md",
        f'# Page\n\n```python exec="1"\n--8<-- "snippets/ok.py"\n```\n\n{fence}\n',
    )
    log = project.fails()
    assert f"index.md: line 7: a {shown} fence, which nothing executes" in log


def test_fences_that_are_run_or_say_they_are_not_pass(project):
    project.snippet("ok.py", "print('- ok')\n")
    project.text(
        "index.md",
        """\
        # Page

        ```tree exec="1"
        docs/
        ```

        ```python
        print("shown, not run")
        ```

        ````markdown
        ```python exec="1" id="example"
        print("an example of a fence, inside a longer one")
        ```
        ````

        ```python exec="1" id="example"
        --8<-- "snippets/ok.py"
        ```
        """,
    )
    project.build()
    assert "- ok" not in project.html()  # printed as Markdown: a list item
    assert "<li>ok</li>" in project.html()


def test_two_blocks_with_one_id_fail_naming_both_lines(project):
    project.snippet("one.py", "print('- one')\n")
    project.snippet("two.py", "print('- two')\n")
    project.text(
        "index.md",
        """\
        # Page

        ```python exec="1" id="twice"
        --8<-- "snippets/one.py"
        ```

        ```python exec="1" id="twice"
        --8<-- "snippets/two.py"
        ```
        """,
    )
    log = project.fails()
    assert "index.md: line 7: block id 'twice' is the id of the block at line 3" in log


def test_a_fence_inside_a_longer_fence_shifts_no_line(project):
    example = '````markdown\n```python exec="1"\nprint(1)\n```\n````\n\n'
    project.text("guide.md", example + '```python exec="1" id="last"\n1 / 0\n```\n')
    log = project.fails()
    assert "guide.md: guide.md, line 7 (block 'last') failed" in log
    assert 'File "guide.md", line 8' in log


def test_a_block_written_in_the_page_is_named_by_its_line(project):
    project.text("guide.md", '# Guide\n\ntext\n\n```python exec="1"\n1 / 0\n```\n')
    log = project.fails()
    assert "guide.md: guide.md, line 5 failed" in log
    assert "block 1" not in log


def test_result_text_shows_the_output_verbatim_in_a_code_block(project):
    project.snippet(
        "logs.py",
        """\
        import matplotlib.pyplot as plt
        import numpy as np

        print("epoch 1: loss 0.9")
        print("epoch 2: *loss* 0.5")
        print(np.arange(12).reshape(3, 4))
        plt.plot([3, 1, 2], label="loss")
        plt.xlabel("epoch")
        plt.ylabel("loss")
        plt.title("Loss")
        plt.show()
        """,
    )
    project.page("index.md", "logs.py", options='result="text"')
    project.build()
    html = project.html()
    assert "epoch 1: loss 0.9\nepoch 2: *loss* 0.5\n[[ 0  1  2  3]" in html
    assert "<em>" not in html
    assert html.index("[[ 0  1  2  3]") < html.index('<figure class="snippet-exec"')


def test_an_edited_cache_entry_is_a_miss(project):
    import json

    project.snippet("ok.py", "print('- computed')\n")
    project.page("index.md", "ok.py")
    project.build()
    (entry,) = (project.root / ".snippet-exec" / "cache").rglob("*.json")
    data = json.loads(entry.read_text())
    result = data["result"]  # as a run could have made it: a usable result
    result["markdown"] = result["markdown"].replace("computed", "forged!!")
    entry.write_text(json.dumps(data))
    log = project.build()
    assert summary(1, 0, 0) in log
    assert "its digest does not match its content: ignored" in log
    assert "computed" in project.html()
    assert "forged" not in project.html()


@pytest.mark.parametrize("folder", ["site", ".snippet-exec/cache"])
def test_a_run_may_not_write_into_the_output_or_the_cache(broken, folder):
    project = broken(
        f"""\
        from pathlib import Path

        target = Path(__file__).parents[1] / {folder!r} / "forged.html"
        try:
            target.write_text("<p>published as if built</p>")
        except PermissionError:
            pass  # caught: the run fails all the same
        """
    )
    log = project.fails()
    where = project.root / "snippets" / "broken.py"
    assert BROKEN_PAGE in log
    assert f"line 5 of {where}: it wrote {where.parents[1] / folder}/forged.html" in log
    assert "in the build's output or its cache, where no run may write" in log
    assert not (project.root / folder / "forged.html").exists()


def test_bytecode_and_git_ignored_files_are_no_part_of_a_folder_listing(project):
    project.snippet(
        "listing.py",
        """\
        import os
        from pathlib import Path

        names = os.listdir(Path(__file__).parent)
        print(f"- {len(names)} names")
        """,
    )
    project.page("index.md", "listing.py")
    (project.root / ".gitignore").write_text("*.log\n/site/\n")
    project.build()
    (project.root / "snippets" / "__pycache__").mkdir()
    (project.root / "snippets" / "run.log").write_text("a local run's log\n")
    assert summary(0, 0, 1) in project.build()
    (project.root / "snippets" / "data.csv").write_text("1,2\n")
    assert summary(1, 0, 0) in project.build()  # a file that counts


# -- nothing a run starts outlives it -------------------------------------------------

DAEMON = """\
import os
import sys
import time

if os.fork() == 0:  # a session of its own, then the daemon: init's, once orphaned
    os.setsid()
    if os.fork() == 0:
        print(os.getpid(), flush=True)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # the pipe's end: EOF for run()
        time.sleep(3600)
    os._exit(0)
os.wait()
"""


@pytest.mark.skipif(sys.platform != "linux", reason="child subreapers are Linux's")
@pytest.mark.parametrize("start_method", ["forkserver", "spawn"])
@pytest.mark.parametrize(
    "start",
    [
        "subprocess.run([sys.executable, str(DAEMON)], stdout=subprocess.PIPE, "
        "stderr=subprocess.DEVNULL, text=True, check=True).stdout.strip()",
        "subprocess.Popen(['sleep', '3600'], start_new_session=True).pid",
    ],
    ids=["double-forked-daemon", "new-session"],
)
def test_no_process_a_run_starts_outlives_it(project, start, start_method):
    project.snippet("_daemon.py", DAEMON)
    project.snippet(
        "daemon.py",
        f"""\
        import subprocess
        import sys
        import warnings
        from pathlib import Path

        warnings.simplefilter("ignore", ResourceWarning)
        DAEMON = Path(__file__).with_name("_daemon.py")
        print(f"- started process {{{start}}}")
        """,
    )
    project.page("index.md", "daemon.py")
    project.build(start_method=start_method)
    pid = int(re.search(r"started process (\d+)", project.html())[1])
    try:
        assert not alive(pid), "a process the snippet started outlived its run"
    finally:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(sys.platform != "linux", reason="child subreapers are Linux's")
def test_what_a_run_killed_by_its_time_limit_started_ends_with_it(broken):
    project = broken(
        """\
        import subprocess
        from pathlib import Path

        child = subprocess.Popen(["sleep", "3600"], start_new_session=True)
        (Path(__file__).parents[1] / "pid.txt").write_text(str(child.pid))
        while True:
            pass
        """,
        options='timeout="1"',
    )
    assert "did not finish within its time limit" in project.fails()
    pid = int((project.root / "pid.txt").read_text())
    try:
        assert not alive(pid), "a process the snippet started outlived its run"
    finally:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not hasattr(os, "setsid"), reason="RLIMIT_FSIZE is POSIX's")
def test_a_write_past_the_file_size_limit_fails_at_its_line(broken):
    project = broken(
        """\
        with open("big.bin", "wb", buffering=0) as big:
            big.seek(2**30)  # past 1 GB, sparse: no disk is used
            big.write(b"x")
        """
    )
    log = project.fails()
    assert BROKEN_PAGE in log
    assert f'File "{project.root / "snippets" / "broken.py"}", line 3' in log
    assert "OSError: [Errno 27] File too large" in log


# -- every failure names its line ---------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("import sys\n\nsys.stdout.close()\n", "line 3 of {}: it closed sys.stdout"),
        ("import sys\n\nsys.stderr.close()\n", "line 3 of {}: it closed sys.stderr"),
        (
            "import sys\n\nsys.__stdout__.close()\nprint(1)\n",
            "line 3 of {}: it closed sys.__stdout__",
        ),
    ],
    ids=["stdout", "stderr", "__stdout__"],
)
def test_a_closed_stream_is_the_snippets_line(broken, code, message):
    project = broken(code)
    log = project.fails()
    assert BROKEN_PAGE in log
    assert message.format(project.root / "snippets" / "broken.py") in log
    assert "snippet-exec itself failed" not in log
    assert "os._exit(70)" not in log


# -- a block's whole result is bounded ----------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "TEXT = 'x' * 100_000\n",
        "import matplotlib.pyplot as plt\n\nfor n in range(12):\n"
        "    plt.plot(range(200), [(i * n) % 17 for i in range(200)], label='line')\n"
        "    plt.title(f'Figure {n}')\n"
        "    plt.xlabel('x')\n    plt.ylabel('y')\n    plt.show()\n",
    ],
    ids=["a-long-value", "many-small-figures"],
)
def test_a_blocks_whole_result_is_bounded(broken, code):
    project = broken(code)
    log = project.fails(result_kb=64)
    assert BROKEN_PAGE in log
    assert "more than the limit of 64 KB (result_kb)" in log


# -- nondeterminism is noticed, when asked ------------------------------------------


def test_the_reproducibility_check_names_the_first_differing_line(broken):
    project = broken("import time\n\nprint('- same')\nprint(f'- {time.time_ns()}')\n")
    log = project.fails(check_reproducible=True)
    assert BROKEN_PAGE in log
    assert "it is not reproducible: line 2 of its output differs: '- " in log
    project.snippet("broken.py", "print('- same')\n")
    assert summary(2, 0, 0) in project.build(check_reproducible=True)


# -- a run that is ended from outside names its line --------------------------------


def test_an_alarm_signal_names_the_line_it_struck(broken):
    # The loop on one line: Pythons differ on which of a loop's lines is running.
    project = broken("import signal\n\nsignal.alarm(1)\nwhile True: pass\n")
    log = project.fails()
    where = project.root / "snippets" / "broken.py"
    killed = "its process was killed by signal 14 SIGALRM"
    assert f"{BROKEN_PAGE}: {killed} at line 4 of {where}" in log


def test_a_run_that_stops_its_time_limit_is_killed_naming_its_line(broken, monkeypatch):
    from snippet_exec import process

    monkeypatch.setattr(process, "GRACE", 0.1)  # past its limit: told, then killed
    project = broken(
        """\
        import faulthandler

        faulthandler.cancel_dump_traceback_later()  # the engine's own time limit
        while True: pass  # one line: Pythons differ on which line of a loop runs
        """,
        options='timeout="0.5"',
    )
    log = project.fails()
    where = project.root / "snippets" / "broken.py"
    assert "did not stop when told to (killed) at line 4 of " + str(where) in log


@pytest.mark.skipif(sys.platform != "linux", reason="the fork server is POSIX's")
@pytest.mark.parametrize("heard", ["its start first", "the server's end first"])
def test_a_run_that_kills_the_fork_server_names_its_line(project, monkeypatch, heard):
    from snippet_exec import process

    if heard == "the server's end first":  # as a loaded machine can schedule it
        made = process._Waiter

        def heard_late() -> process._Waiter:
            waiter = made()
            started = waiter.started

            class Started:
                set = started.set

                def wait(self, timeout: float | None = None) -> bool:
                    return started.wait(timeout) and waiter.ended.wait(timeout)

            waiter.started = Started()  # type: ignore[assignment]
            return waiter

        monkeypatch.setattr(process, "_Waiter", heard_late)
    project.snippet(
        "killer.py",
        "import os\nimport signal\n\nos.kill(os.getppid(), signal.SIGKILL)\n"
        "while True: pass\n",  # one line: Pythons differ on a loop's running line
    )
    project.page("guide.md", "killer.py")
    log = project.fails(start_method="forkserver")
    where = project.root / "snippets" / "killer.py"
    lost = "it was lost: the fork server stopped (killed by signal 9)"
    assert f"guide.md: snippets/killer.py failed: {lost}, while the run was at" in log
    # At line 4 while os.kill returns, or at 5 in the loop: the line it was at.
    assert f"at line 4 of {where}" in log or f"at line 5 of {where}" in log


def test_a_deep_recursion_error_is_formatted_at_once_naming_its_line(broken):
    project = broken(
        """\
        import sys

        sys.setrecursionlimit(1_000_000)


        def deeper(n):
            return deeper(n + 1)


        deeper(0)
        """,
        options='timeout="60"',  # formatting every frame took minutes
    )
    log = project.fails()
    assert BROKEN_PAGE in log
    assert "line 7, in deeper" in log
    assert "RecursionError: maximum recursion depth exceeded" in log
    assert "frames in the middle of the traceback not shown" in log


@pytest.mark.parametrize("page", ["guide.md", "zeta.md"])  # before, after notebooks/
def test_an_option_error_blames_no_notebook_page(project, page):
    project.snippet("ok.py", "print(1)\n")
    project.snippet("broken.py", "print(2)\n")
    project.page("index.md", "ok.py")
    project.page(page, "broken.py", options='foo="1"')
    log = project.fails(jupyter=True)
    assert f"{page}: snippets/broken.py: option error" in log
    assert "notebooks/" not in log, log
    assert "Error reading page" not in log, log


# -- what a run reads outside the project is named ------------------------------------


def test_a_read_outside_the_project_is_a_warning_naming_the_file(
    project, tmp_path_factory
):
    outside = tmp_path_factory.mktemp("elsewhere") / "data.csv"
    outside.write_text("1,2\n")
    project.snippet(
        "reader.py",
        f"""\
        from pathlib import Path

        import matplotlib

        print(f"- {{len(Path({str(outside)!r}).read_text())}} characters")
        print(f"- {{len(Path(matplotlib.__file__).read_text()) > 0}}")
        Path("scratch.txt").write_text("in the run's own folder")
        print(Path("scratch.txt").read_text())
        """,
    )
    project.page("index.md", "reader.py")
    log = project.fails()  # a warning, which fails a strict build
    assert f"index.md: snippets/reader.py read {outside}, outside the project" in log
    assert log.count("outside the project") == 1  # not matplotlib's, not its own
    assert "outside the project" in project.build(site={"strict": False})


# -- every page's size is bounded in the build ----------------------------------------


def test_a_page_over_its_size_limit_fails_naming_the_limit(project):
    project.snippet("half.py", "for n in range(1000):\n    print(f'- {n:050d}')\n")
    project.snippet(
        "other_half.py", "for n in range(1000):\n    print(f'- {-n:050d}')\n"
    )
    project.page("index.md", "half.py", "other_half.py")  # 55 KB a block
    log = project.fails(page_kb=100)
    assert "index.md: the page is 1" in log
    assert "more than the limit of 100 KB (page_kb in the configuration)" in log
    project.build(page_kb=200)


# -- an interrupted rebuild leaves nothing behind ------------------------------------


def test_an_interrupted_rebuild_leaves_no_site_set_aside(tmp_path):
    from snippet_exec.serve import LastGoodSite

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body>good</body></html>")
    last_good = LastGoodSite()

    def interrupted() -> None:
        last_good.set_aside(site)
        (site / "index.html").write_text("half a")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        last_good.guard(interrupted, list)()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_serve_ended_outside_a_rebuild_leaves_no_site_set_aside(tmp_path):
    """A Ctrl-C that reaches serve's loop, not a rebuild (while the site set aside
    after a good rebuild is deleted, say), ends serve through ``on_shutdown``."""
    from snippet_exec.plugin import SnippetExecPlugin

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body>good</body></html>")
    plugin = SnippetExecPlugin()
    plugin.last_good.set_aside(site)
    plugin.on_shutdown()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
