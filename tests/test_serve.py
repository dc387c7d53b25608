"""``properdocs serve`` on a tiny project: every kind of edit is picked up, and a
broken edit leaves the last good site served, with a banner, until the next one.

The server runs as a real ``properdocs serve`` process, as ``make serve`` runs it.
The tests wait for the served page to reach the state they expect (with a ceiling
far above any rebuild), never for a fixed time.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from snippet_exec import identity
from snippet_exec.plugin import SnippetExecPlugin

CEILING = 180.0
"""Seconds a wait may take before the test gives up: far above any rebuild."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """A tiny project under ``properdocs serve``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.temp = root / "tmp"
        self.temp.mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"

    def write(self, name: str, text: str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")

    def get(self, page: str = "") -> str:
        """The served page, or "" if the server does not answer (yet)."""
        try:
            with urllib.request.urlopen(self.url + page, timeout=10) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, OSError):
            return ""

    def wait_for(self, check: Callable[[str], bool], page: str = "") -> str:
        """The served page once ``check`` holds for it."""
        deadline = time.monotonic() + CEILING
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"properdocs serve exited:\n{self.log()}")
            if check(html := self.get(page)):
                return html
            time.sleep(0.1)  # polling the state, not waiting for a time
        pytest.fail(f"the served page never reached the expected state:\n{self.log()}")

    def log(self) -> str:
        return (self.root / "serve.log").read_text(encoding="utf-8", errors="replace")

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SNIPPET_EXEC_")}
        env["SOURCE_DATE_EPOCH"] = "0"
        env["TMPDIR"] = str(self.temp)  # serve's site, the one set aside, the runs'
        self.output = (self.root / "serve.log").open("w")
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "properdocs", "serve", "--livereload"),
                *("--dev-addr", f"127.0.0.1:{self.port}"),
            ],
            cwd=self.root,
            env=env,
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        """End serve as a Ctrl-C does (so that it deletes its temporary site)."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.output.close()


@pytest.fixture
def served(tmp_path) -> Iterator[Served]:
    """A project with one page showing one snippet, an include appended to every
    page, served."""
    served = Served(tmp_path)
    config = {
        "site_name": "Serve test",
        "theme": {"name": "material"},
        "strict": True,
        "watch": ["includes"],
        "plugins": [
            {"snippet-exec": {"timeout": 60}},
            {"markdown-exec": {"languages": ["tree"]}},
        ],
        "markdown_extensions": [
            "abbr",
            "pymdownx.superfences",
            {
                "pymdownx.snippets": {
                    "base_path": ["."],
                    "check_paths": True,
                    "auto_append": ["includes/abbreviations.md"],
                }
            },
        ],
    }
    served.write("mkdocs.yml", yaml.safe_dump(config))
    served.write("includes/abbreviations.md", "*[MSE]: Mean squared error\n")
    served.write(
        "snippets/numbers.py",
        """\
        # %%
        TOTAL = sum(range(10))

        # %%
        print(f"- The total is {TOTAL}, the MSE is 0")
        """,
    )
    served.write(
        "docs/index.md",
        '# Home\n\nProse.\n\n```python exec="1"\n--8<-- "snippets/numbers.py"\n```\n',
    )
    served.start()
    yield served
    served.stop()


def test_every_kind_of_edit_is_served(served):
    served.wait_for(lambda html: "The total is 45" in html)
    served.write(
        "docs/index.md",
        served.root.joinpath("docs/index.md")
        .read_text()
        .replace("Prose.", "New prose."),
    )
    served.wait_for(lambda html: "New prose." in html)
    served.write(
        "snippets/numbers.py",
        """\
        # %%
        TOTAL = sum(range(10))

        # %%
        print(f"- The total is now {TOTAL}, the MSE is 0")
        """,
    )
    served.wait_for(lambda html: "The total is now 45" in html)
    assert "resumed after cell 2 of 3" in served.log()  # the first is empty
    served.write(
        "includes/abbreviations.md", "*[MSE]: The mean of the squared errors\n"
    )
    served.wait_for(lambda html: "The mean of the squared errors" in html)
    config = served.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("Serve test", "Serve test, renamed"))
    served.wait_for(lambda html: "Serve test, renamed" in html)


def test_a_broken_edit_keeps_the_last_good_site_served(served):
    served.wait_for(lambda html: "The total is 45" in html)
    served.write("snippets/numbers.py", "raise ValueError('broken on purpose')\n")
    html = served.wait_for(lambda html: "snippet-exec-banner" in html)
    assert "The total is 45" in html
    assert "broken on purpose" in html
    assert "An error happened during the rebuild" not in served.log()
    served.write("snippets/numbers.py", "print('- Repaired')\n")
    html = served.wait_for(lambda html: "Repaired" in html)
    assert "snippet-exec-banner" not in html


def test_serve_ended_by_ctrl_c_leaves_nothing_in_the_temp_folder(served):
    """Serve's site, the last good one set aside and the runs' folders are in the
    temp folder: a Ctrl-C after a broken and a good rebuild deletes them all."""
    served.wait_for(lambda html: "The total is 45" in html)
    served.write("snippets/numbers.py", "raise ValueError('broken on purpose')\n")
    served.wait_for(lambda html: "snippet-exec-banner" in html)
    served.write("snippets/numbers.py", "print('- Repaired')\n")
    served.wait_for(lambda html: "Repaired" in html)
    served.stop()
    assert served.process.returncode == 0, served.log()
    assert sorted(p.name for p in served.temp.iterdir()) == []


def test_a_ctrl_c_during_a_rebuild_leaves_no_run_and_nothing_in_the_temp_folder(
    served,
):
    served.wait_for(lambda html: "The total is 45" in html)
    started = served.root / "started.txt"
    served.write(
        "snippets/numbers.py",
        f"""\
        import os
        from pathlib import Path

        Path({str(started)!r}).write_text(str(os.getpid()))
        while True: pass
        """,
    )
    deadline = time.monotonic() + CEILING
    while not started.exists() or not started.read_text():  # the rebuild's run
        assert time.monotonic() < deadline, served.log()
        time.sleep(0.1)  # polling the state, not waiting for a time
    served.stop()
    pid = int(started.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        pass
    else:
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the run outlived serve")
    assert sorted(p.name for p in served.temp.iterdir()) == [], served.log()


def test_the_plugin_watches_the_snippets_and_the_engine(tmp_path):
    """Besides docs/ and the config, which the generator's serve watches itself;
    the configuration's watch list it watches before MkDocs does."""
    watched = []

    class Server:
        builder = None

        def watch(self, path):
            watched.append(Path(path))

    plugin = SnippetExecPlugin()
    plugin.load_config({"snippets_dir": "examples"})
    plugin.root = tmp_path
    config = type("Config", (), {"watch": [str(tmp_path / "includes")]})()
    plugin.on_serve(Server(), config=config, builder=lambda: None)
    # and the configuration's watch list, before the way of watching is set
    assert set(watched) == {
        tmp_path / "examples",
        identity.PACKAGE_DIR,
        tmp_path / "includes",
    }


def site_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file()
    }


EDITS = {
    "prose": ("docs/other.md", "Some prose.", "Edited prose.", "Edited prose"),
    "title": ("docs/other.md", "# Other", "# Another", "Another"),
    "snippet": ("snippets/one.py", "- one", "- one, edited", "one, edited"),
    "config": ("mkdocs.yml", "site_name: ", "site_name: Renamed ", "Renamed"),
}
"""Edits between two serve builds: the file, the text replaced, what replaces it,
and what then shows in the site."""


@pytest.mark.parametrize("edit", EDITS)
def test_a_rebuild_under_serve_is_the_full_build_of_the_edited_site(
    project, tmp_path, edit
):
    """What serve keeps from one rebuild to the next (each page's search entries,
    rendered blocks, conversions and layouts) leaves the rebuilt site the same,
    byte for byte, as a build of the edited sources by a generator that kept
    nothing, whatever the edit; a prose edit converts and lays out its page
    alone. Run in process, as the serve loop rebuilds: the plugins live across
    builds."""
    from properdocs.commands.build import build
    from properdocs.config import load_config

    url = "http://127.0.0.1:8000/"
    project.snippet("one.py", "print('- one')\n")
    project.page("index.md", "one.py")
    project.text("other.md", "# Other\n\nSome prose.\n\n## A part\n\nMore prose.\n")
    project.build()  # the run is cached from here on
    config = project.config()
    config["plugins"].insert(0, "search")
    (project.root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")

    def built(site: Path, command: str, opened: bool = False) -> dict[str, bytes]:
        with open("mkdocs.yml", "rb") as file:  # relative, as serve opens it
            config = load_config(file if opened else "mkdocs.yml", site_dir=str(site))
        config.site_url = url
        config.plugins.on_startup(command=command, dirty=False)
        build(config, serve_url=url)
        return site_files(site)

    name, old, new, shown = EDITS[edit]
    try:
        # serve's first build reads the configuration from the file it opened
        # (config_file_path "mkdocs.yml"), its rebuilds by name (a whole path)
        built(tmp_path / "served", "serve", opened=True)
        path = project.root / name
        path.write_text(path.read_text().replace(old, new, 1), encoding="utf-8")
        served = built(tmp_path / "served", "serve")
        plugin = load_config("mkdocs.yml").plugins["snippet-exec"]
        reused = set(plugin.conversions.reused), set(plugin.layouts.reused)
        entries = len(plugin.search_entries.now)
        linked = {Path(name).name for name in plugin.last_good.linked}
        fresh = built(tmp_path / "fresh", "build")  # keeps nothing
    finally:
        load_config("mkdocs.yml").plugins.on_startup(command="build", dirty=False)
    assert shown.encode() in served["index.html"] + served["other/index.html"]
    assert served.keys() == fresh.keys()
    differ = [name for name in served if served[name] != fresh[name]]
    # After a snippet's edit the served build ran it, the fresh one found it cached:
    # the Execution times page says so.
    assert differ == (["execution-times/index.html"] if edit == "snippet" else [])
    # The theme's files are linked from the last site, not copied again, under
    # every edit: their sources are unchanged.
    assert {"favicon.png", "lunr.de.min.js"} <= linked, linked
    assert not {name for name in linked if name.endswith((".html", ".json"))}
    if edit == "prose":
        assert entries == 3  # index kept, other remade, times
        assert reused == ({"index.md", "execution-times.md"},) * 2
    elif edit == "snippet":  # the page that includes it is converted again
        assert reused == ({"other.md", "execution-times.md"}, {"other.md"})
    elif edit == "title":  # in every page's nav: every page is laid out again
        assert reused == ({"index.md", "execution-times.md"}, set())
    else:  # the configuration: every page is made again
        assert reused == (set(), set())


def served_folders(tmp_path: Path) -> Any:
    """A serve loop (not serving) that watches ``docs`` before the plugin changes
    how it watches, and ``snippets`` after."""
    from properdocs.livereload import LiveReloadServer

    from snippet_exec import serve

    server = LiveReloadServer(lambda: None, "127.0.0.1", 0, str(tmp_path))
    server.server_close()  # its socket: the test serves nothing
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "snippets").mkdir(exist_ok=True)
    server.watch(str(tmp_path / "docs"))
    serve.watch_changes(server)
    server.watch(str(tmp_path / "snippets"))
    return server


def test_the_serve_loop_hears_of_each_write_and_of_no_read(tmp_path):
    """The kernel tells the serve loop of a write as it happens (MkDocs looks
    every 0.5 s); reading a watched file, as every build does, is no change."""
    import threading

    from watchdog.events import FileSystemEventHandler

    from snippet_exec import serve

    (tmp_path / "docs" / "read.md").parent.mkdir(parents=True)
    (tmp_path / "docs" / "read.md").write_text("# Read\n")
    server = served_folders(tmp_path)
    heard: list[str] = []
    written = threading.Event()

    class Recorder(FileSystemEventHandler):
        def on_any_event(self, event: Any) -> None:
            heard.append(f"{event.event_type} {Path(event.src_path).name}")
            if Path(event.src_path).name == "written.py":
                written.set()

    watched = {e.watch.path for e in server.observer.emitters}
    assert watched == {str(tmp_path / "docs"), str(tmp_path / "snippets")}
    assert server.build_delay == serve.SETTLE_SECONDS < 0.1
    server.observer.schedule(Recorder(), str(tmp_path), recursive=True)
    server.observer.start()  # as serve() does, again
    try:
        assert (tmp_path / "docs" / "read.md").read_text() == "# Read\n"
        (tmp_path / "snippets" / "written.py").write_text("x = 1\n")
        # One kernel queue, in order: a notice of the read would come first.
        assert written.wait(timeout=60)
        with server._rebuild_cond:  # the loop's own handler, on another watch
            assert server._rebuild_cond.wait_for(
                lambda: server._want_rebuild, timeout=60
            )
    finally:
        server.observer.stop()
        server.observer.join()
    assert not [event for event in heard if event.endswith("read.md")]
    assert "created written.py" in heard


def test_a_watched_folder_deleted_and_made_again_is_watched_again(tmp_path):
    """The kernel stops telling of a folder once it is deleted (a branch checked
    out that has none); once it is back, its files are watched as before."""
    import shutil
    import threading

    from watchdog.events import FileSystemEventHandler

    server = served_folders(tmp_path)
    seen: dict[str, threading.Event] = {}

    def heard(name: str) -> threading.Event:
        return seen.setdefault(name, threading.Event())

    class Recorder(FileSystemEventHandler):
        def on_any_event(self, event: Any) -> None:
            heard(f"{event.event_type} {Path(event.src_path).name}").set()

    snippets = tmp_path / "snippets"
    server.observer.schedule(Recorder(), str(snippets), recursive=True)
    server.observer.start()
    try:
        shutil.rmtree(snippets)
        assert heard("deleted snippets").wait(timeout=60)
        snippets.mkdir()
        assert heard("modified snippets").wait(timeout=60)  # its return, told
        (snippets / "new.py").write_text("x = 1\n")
        assert heard("created new.py").wait(timeout=60)
    finally:
        server.observer.stop()
        server.observer.join()


def test_the_serve_loop_looks_often_where_the_kernel_tells_nothing(
    tmp_path, monkeypatch, caplog
):
    """Without the kernel's notices, the loop looks every POLL_SECONDS (MkDocs:
    0.5 s), still watching what was watched, and what is watched after."""
    from snippet_exec import serve

    def refused() -> Any:
        raise OSError("inotify instance limit reached")

    monkeypatch.setattr(serve, "_told_observer", refused)
    with caplog.at_level("INFO", logger="mkdocs.plugins.snippet_exec"):
        server = served_folders(tmp_path)
    emitters = server.observer.emitters
    assert {e.watch.path for e in emitters} == {
        str(tmp_path / "docs"),
        str(tmp_path / "snippets"),
    }
    assert {e.timeout for e in emitters} == {serve.POLL_SECONDS}
    assert server.build_delay == serve.POLL_SECONDS < 0.1
    assert "Looking for edits every 0.05 s" in caplog.text
    assert "inotify instance limit reached" in caplog.text


def test_a_rebuild_links_what_the_last_good_site_had_and_copies_the_rest(tmp_path):
    """Under serve, a file with the same text as the last good site's is linked
    from it; a changed one is written anew, and the site set aside keeps its own;
    after a failed build nothing is linked from the site put back."""
    from snippet_exec.serve import LastGoodSite

    site = tmp_path / "site"
    last_good = LastGoodSite()

    def build(texts: dict[str, str]) -> None:
        last_good.set_aside(site)
        for name, text in texts.items():
            last_good.write(site / "data" / name, text)

    build({"same.csv": "1,2\n", "edited.csv": "3,4\n"})
    assert last_good.linked == []
    last_good.built()
    last_good.discard()
    build({"same.csv": "1,2\n", "edited.csv": "3,5\n"})
    aside = LastGoodSite.aside(site) / "data"
    assert last_good.linked == [str(site / "data" / "same.csv")]
    assert (site / "data" / "same.csv").samefile(aside / "same.csv")
    assert (site / "data" / "edited.csv").read_text() == "3,5\n"
    assert (aside / "edited.csv").read_text() == "3,4\n"
    last_good.restore("a block failed")  # the first site is served again
    build({"same.csv": "1,2\n"})
    assert last_good.linked == []
    assert (site / "data" / "same.csv").read_text() == "1,2\n"


def test_a_rebuild_that_fails_after_its_last_file_keeps_the_last_good_site(tmp_path):
    """A strict build fails on a warning after every file is written (after
    on_post_build): the site served before it is served again, whole, with the
    banner, and the next build links nothing from it."""
    from snippet_exec.serve import LastGoodSite

    site = tmp_path / "site"
    (site / "page").mkdir(parents=True)
    (site / "page" / "index.html").write_text("<html><body>good</body></html>")
    last_good = LastGoodSite()

    def strict_build() -> None:
        last_good.set_aside(site)
        last_good.write(site / "page" / "data.csv", "1,2\n")
        (site / "page" / "index.html").write_text("<html><body>new</body></html>")
        last_good.built()  # on_post_build
        raise RuntimeError("Aborted with 1 warnings in strict mode!")

    last_good.guard(strict_build, lambda: [])()
    page = (site / "page" / "index.html").read_text()
    assert "good" in page and "The last rebuild failed" in page
    assert "strict mode" in page
    assert not (site / "page" / "data.csv").exists()
    assert last_good.served_from == {}
