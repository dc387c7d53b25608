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

    project.build_site = build_site
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
    with pytest.raises(SuperFencesException) as failed:
        fenced.build_site()
    assert isinstance(failed.value.__cause__, RunFailure)
    assert "snippets/broken.py failed" in str(failed.value)
    assert "line 2" in str(failed.value)
    assert not (fenced.root / "site" / "index.html").exists()


def test_a_bad_option_fails_the_build_without_the_plugin(fenced):
    fenced.snippet("one.py", "print(1)\n")
    fenced.page("index.md", "one.py", options='id="here" session="a"')
    with pytest.raises(SuperFencesException) as failed:
        fenced.build_site()
    assert isinstance(failed.value.__cause__, OptionError)
    assert "snippets/one.py (block 'here'): option error" in str(failed.value)
