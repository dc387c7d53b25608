"""The execution engine (snippet_exec), on small sites built in this process.

Each test writes a tiny MkDocs project (pages, snippets, a cache folder) into a
temporary folder and builds it with the real plugin.
"""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError

from snippet_exec.engine import execute

CONFIG = """\
site_name: Engine test
plugins:
  - snippet-exec:
      timeout: {timeout}
      force: {force}
  - markdown-exec:
      languages: [tree]
{jupyter}
markdown_extensions:
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: [.]
      check_paths: true
"""

JUPYTER = """\
  - mkdocs-jupyter:
      include: ["*.ipynb"]
      execute: false
      allow_errors: false
"""


class Project:
    """A throwaway MkDocs project whose pages run snippets."""

    def __init__(self, root: Path, caplog: pytest.LogCaptureFixture) -> None:
        self.root = root
        self.caplog = caplog
        (root / "docs").mkdir()
        (root / "snippets").mkdir()

    def snippet(self, name: str, code: str) -> None:
        (self.root / "snippets" / name).write_text(textwrap.dedent(code))

    def page(self, name: str, *snippets: str, options: str = "") -> None:
        blocks = [
            f'```python exec="1" {options}\n--8<-- "snippets/{snippet}"\n```\n'
            for snippet in snippets
        ]
        (self.root / "docs" / name).write_text(f"# {name}\n\n" + "\n".join(blocks))

    def build(
        self, *, timeout: int = 60, force: bool = False, jupyter: bool = False
    ) -> str:
        """Build the site; return the plugin's log. Raises if the build fails."""
        config_file = self.root / "mkdocs.yml"
        config = CONFIG.format(
            timeout=timeout,
            force=str(force).lower(),
            jupyter=JUPYTER if jupyter else "",
        )
        config_file.write_text(config)
        self.caplog.clear()
        with self.caplog.at_level(logging.INFO, logger="mkdocs"):
            try:
                build(load_config(str(config_file)))
            finally:
                self.log = self.caplog.text
        return self.log

    def html(self, name: str) -> str:
        return (self.root / "site" / name / "index.html").read_text()


@pytest.fixture
def project(tmp_path, caplog, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in (
        "SNIPPET_EXEC_FORCE",
        "SNIPPET_EXEC_CACHE_DIR",
        "SNIPPET_EXEC_ENABLED",
    ):
        monkeypatch.delenv(name, raising=False)
    return Project(tmp_path, caplog)


def test_unchanged_rebuild_executes_nothing(project):
    project.snippet("hello.py", 'print("- Hello from **a snippet**")\n')
    project.page("index.md", "hello.py")
    assert "1 executed, 0 cached" in project.build()
    assert "1 executed" not in project.build()
    assert "0 executed, 1 cached" in project.log
    assert "<strong>a snippet</strong>" in project.html("")


def test_editing_a_snippet_reexecutes_only_that_block(project):
    project.snippet("one.py", "print(1)\n")
    project.snippet("two.py", "print(2)\n")
    project.page("index.md", "one.py", "two.py")
    project.build()
    project.snippet("one.py", "print(11)\n")
    assert "1 executed, 1 cached" in project.build()
    assert "index.md: snippets/one.py executed" in project.log


def test_editing_an_imported_module_reexecutes_its_importers(project):
    project.snippet("_shared.py", "VALUE = 1\n")
    project.snippet("user.py", "from _shared import VALUE\n\nprint(VALUE)\n")
    project.snippet("other.py", "print(0)\n")
    project.page("index.md", "user.py", "other.py")
    project.build()
    project.snippet("_shared.py", "VALUE = 2\n")
    assert "1 executed, 1 cached" in project.build()
    assert "snippets/user.py executed" in project.log
    assert "<p>2</p>" in project.html("")


def test_force_executes_everything(project):
    project.snippet("one.py", "print(1)\n")
    project.page("index.md", "one.py")
    project.build()
    assert "1 executed, 0 cached" in project.build(force=True)


def test_a_snippet_shown_twice_runs_once(project):
    project.snippet("one.py", "print(1)\n")
    project.page("index.md", "one.py")
    project.page("again.md", "one.py")
    assert "1 executed, 0 cached, 0 failed" in project.build()
    assert "again.md: snippets/one.py shown again" in project.log


def test_a_corrupt_cache_entry_is_a_miss(project):
    project.snippet("one.py", "print(1)\n")
    project.page("index.md", "one.py")
    project.build()
    for entry in (project.root / ".cache" / "snippet-exec").rglob("*.json"):
        entry.write_text("{not json")
    assert "1 executed, 0 cached, 0 failed" in project.build()


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("raise ValueError('bad input')\n", "ValueError: bad input"),
        ("import sys\n\nsys.exit(0)\n", "exited the interpreter"),
        ("import os\n\nos._exit(3)\n", "exit code 3"),
        ("import warnings\n\nwarnings.warn('odd')\n", "UserWarning: odd"),
        ("while True:\n    pass\n", "time limit of 2 s"),
    ],
    ids=["raises", "sys-exit", "os-exit", "warns", "hangs"],
)
def test_a_failing_block_fails_the_build_naming_page_and_snippet(project, code, reason):
    project.snippet("ok.py", "print(1)\n")
    project.snippet("broken.py", code)
    project.page("index.md", "ok.py")
    project.page("guide.md", "broken.py")
    with pytest.raises((Abort, BuildError)):
        project.build(timeout=2)
    assert "guide.md: snippet snippets/broken.py failed" in project.log
    assert reason in project.log
    assert not (project.root / "site" / "guide" / "index.html").exists()


def test_a_block_overrides_the_time_limit(project):
    project.snippet("slow.py", "while True:\n    pass\n")
    project.page("index.md", "slow.py", options='timeout="1"')
    with pytest.raises((Abort, BuildError)):
        project.build(timeout=600)
    assert "time limit of 1 s" in project.log


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
        import numpy as np

        assert "LEAKED" not in globals()
        assert "_marker" not in sys.modules
        assert plt.get_fignums() == []
        assert mpl.rcParams["lines.linewidth"] != 9
        np.random.seed(0)
        print(np.random.randint(1000))
        """,
    )
    project.page("index.md", "first.py", "second.py")
    project.build()
    assert "0 failed" in project.log


def test_figures_are_captured_in_place_and_reproducible():
    code = textwrap.dedent(
        """\
        import matplotlib.pyplot as plt

        print("before")
        plt.plot([1, 2, 3], [3, 1, 2], label="Loss")
        plt.xlabel("Epoch")
        plt.ylabel("Loss")
        plt.title("A title")
        plt.show()
        print("after")
        """
    )
    first = execute(code, "figure.py", timeout=60)
    second = execute(code, "figure.py", timeout=60)
    assert first.failure is None, first.failure
    (figure,) = first.figures
    assert figure["svg"] == second.figures[0]["svg"]
    assert figure["caption"] == "A title"
    assert "Loss: 3 at epoch 1, lowest 1 at epoch 2, 2 at epoch 3" in figure["alt"]
    assert first.markdown.index("before") < first.markdown.index("data-figure=")
    assert first.markdown.index("data-figure=") < first.markdown.index("after")


def test_execution_can_be_switched_off(project, monkeypatch):
    project.snippet("one.py", "print('ran')\n")
    project.page("index.md", "one.py", options='source="above"')
    monkeypatch.setenv("SNIPPET_EXEC_ENABLED", "false")
    config = project.root / "mkdocs.yml"
    project.build()
    config.write_text(
        config.read_text().replace("timeout:", "enabled: false\n      timeout:")
    )
    build(load_config(str(config)))
    html = project.html("")
    assert "print" in html
    assert "<p>ran</p>" not in html


def test_a_notebook_of_a_failing_snippet_fails_the_build(project):
    project.snippet("fine.py", "print(1)\n")
    project.snippet("broken.py", "raise RuntimeError('no data')\n")
    project.page("index.md", "fine.py")
    with pytest.raises((Abort, BuildError)):
        project.build(jupyter=True)
    log = project.log
    assert "notebooks/broken.ipynb: snippet snippets/broken.py failed" in log
    assert "RuntimeError: no data" in log


def test_notebook_pages_reuse_the_blocks_run(project):
    project.snippet("shown.py", "print('- printed once')\n")
    project.page("index.md", "shown.py")
    assert "1 executed, 0 cached, 0 failed" in project.build(jupyter=True)
    html = project.html("notebooks/shown")
    assert "printed once" in html
    assert 'href="shown.ipynb" download' in html
