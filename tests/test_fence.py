"""The engine's core without the plugin: a superfences fence a config declares.

A site whose config declares only ``snippet_exec.fence`` (no ``snippet-exec``
plugin, none of its lifecycle hooks) still executes and renders its blocks, and a
raising block fails its build. This is what keeps the engine usable by a generator
that runs Markdown extensions but not MkDocs plugins.
"""

from __future__ import annotations

import logging

import pytest
from pymdownx.superfences import SuperFencesException

from snippet_exec.errors import OptionError, RunFailure

CONFIG = """\
site_name: Fence only
theme:
  name: material
markdown_extensions:
  - pymdownx.snippets:
      base_path: [.]
      check_paths: true
  - pymdownx.superfences:
      custom_fences:
        - name: python
          class: python
          validator: !!python/name:snippet_exec.fence.validator
          format: !!python/name:snippet_exec.fence.formatter
"""


@pytest.fixture
def fenced(project):
    """The tiny project, with a config that declares the fence and no plugin."""
    (project.root / "mkdocs.yml").write_text(CONFIG)

    def build_site() -> None:
        from properdocs.commands.build import build
        from properdocs.config import load_config

        with project.caplog.at_level(logging.INFO, logger="mkdocs"):
            build(load_config(str(project.root / "mkdocs.yml")))

    def build_fails() -> SuperFencesException:
        """Build; return the fence's exception (MkDocs aborts from it, having
        logged its message alone)."""
        from properdocs.exceptions import Abort

        with pytest.raises((SuperFencesException, Abort)) as failed:
            build_site()
        error: BaseException | None = failed.value
        while error is not None and not isinstance(error, SuperFencesException):
            error = error.__context__
        assert error is not None
        return error

    project.build_site = build_site
    project.build_fails = build_fails
    return project


def test_blocks_run_and_render_without_the_plugin(fenced):
    fenced.snippet(
        "plot.py",
        """\
        import matplotlib.pyplot as plt

        print("- from **the fence**")
        plt.plot([1, 2, 3], [3, 1, 2], label="Loss")
        plt.xlabel("Epoch")
        plt.ylabel("Loss")
        plt.title("A figure")
        plt.show()
        """,
    )
    fenced.page("index.md", "plot.py", options='source="above"')
    fenced.text("plain.md", "# Plain\n\n```python\nprint('shown, not run')\n```\n")
    fenced.build_site()
    html = fenced.html()
    assert "<strong>the fence</strong>" in html
    assert '<figure class="snippet-exec">' in html
    assert "Loss: 3 at epoch 1, lowest 1 at epoch 2" in html
    assert "shown, not run" in fenced.html("plain")
    assert (fenced.root / ".snippet-exec" / "cache").is_dir()


def test_a_raising_block_fails_the_build_without_the_plugin(fenced):
    fenced.snippet("broken.py", "x = 1\nraise ValueError('from the fence')\n")
    fenced.page("index.md", "broken.py")
    failed = fenced.build_fails()
    assert isinstance(failed.__cause__, RunFailure)
    assert "snippets/broken.py failed" in str(failed)
    assert "line 2" in str(failed)
    assert not (fenced.root / "site" / "index.html").exists()


def test_a_bad_option_fails_the_build_without_the_plugin(fenced):
    fenced.snippet("one.py", "print(1)\n")
    fenced.page("index.md", "one.py", options='id="here" session="a"')
    failed = fenced.build_fails()
    assert isinstance(failed.__cause__, OptionError)
    assert "snippets/one.py (block 'here'): option error" in str(failed)


def test_a_failure_without_the_plugin_is_one_message_naming_page_and_line(fenced):
    fenced.text(
        "guide.md", '# Guide\n\n```python exec="1" id="mine"\nx = 1\n1 / 0\n```\n'
    )
    from properdocs.exceptions import BuildError

    failed = fenced.build_fails()
    assert isinstance(failed, BuildError)  # logged as its message, no traceback
    message = str(failed)
    assert message.startswith("guide.md: guide.md, line 3 (block 'mine') failed:")
    assert 'File "guide.md", line 5' in message
    assert "mine" not in message.replace("(block 'mine')", "")  # not as a file


def test_a_failure_without_a_page_names_the_block_not_a_file():
    import markdown

    from snippet_exec import fence

    declared = {"name": "python", "class": "python", "validator": fence.validator}
    declared["format"] = fence.formatter
    md = markdown.Markdown(
        extensions=["pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": [declared]}},
    )
    with pytest.raises(SuperFencesException) as failed:
        md.convert('```python exec="1" id="mine"\nx = 1\n1 / 0\n```\n')
    assert 'File "<mine>", line 2' in str(failed.value)


@pytest.mark.parametrize(
    ("fence", "message"),
    [
        ('```bash exec="1"\necho hi\n```', 'line 7: a ```bash exec="1" fence, which'),
        (
            '```python exec="1" id="x"\nprint(2)\n```',
            "line 7: block id 'x' is the id of the block at line 3",
        ),
    ],
    ids=["nothing-executes", "duplicate-id"],
)
def test_the_plugins_page_checks_hold_without_it(fenced, fence, message):
    fenced.text(
        "index.md", f'# Page\n\n```python exec="1" id="x"\nprint(1)\n```\n\n{fence}\n'
    )
    failed = fenced.build_fails()
    assert f"index.md: {message}" in str(failed)
