"""One pipeline: the plugin and the plain superfences fence build the same page.

The same tiny project is built twice, with the ``snippet-exec`` plugin and with a
configuration that declares only ``snippet_exec.fence`` (no plugin): every block
(printed Markdown, an explorable figure, variants with their spread and band, a
what-if control) is the same HTML, byte for byte but the run times.
"""

from __future__ import annotations

import logging
import re

import pytest
import yaml
from conftest import without_run_times
from markdown_exec import MarkdownConverter, markdown_config
from properdocs.commands.build import build
from properdocs.config import load_config
from pymdownx.superfences import SuperFencesException

from snippet_exec.errors import OptionError, RunFailure

NOISY = """\
import matplotlib.pyplot as plt
import numpy as np

SEED = 42
NUM_EPOCHS = 30

rng = np.random.default_rng(SEED)
epochs = np.arange(1, NUM_EPOCHS + 1)
val_loss = 100 / epochs + rng.uniform(0, 5, NUM_EPOCHS)
best_epoch = int(np.argmin(val_loss)) + 1
print(f"- Best epoch: **{best_epoch}**")
plt.plot(epochs, val_loss, label="Validation loss")
plt.xlabel("Epoch")
plt.ylabel("Loss")
plt.title("A noisy curve")
plt.show()
"""
PAGE = """\
# Both ways

Prose.

```python exec="1" source="tabbed-right" explore="1"
--8<-- "snippets/noisy.py"
```

```python exec="1" source="above" VARIED
--8<-- "snippets/noisy.py"
```

```python exec="1" vary="SEED: 0, 7" control="Seed" id="what-if"
--8<-- "snippets/noisy.py"
```
""".replace(
    "VARIED",
    'vary="SEED: 0..2" spread="best_epoch: Best epoch" '
    'band="epochs, val_loss: Validation loss"',
)
EXTENSIONS = """\
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: python
          class: python
          validator: !!python/name:snippet_exec.fence.validator
          format: !!python/name:snippet_exec.fence.formatter
  - pymdownx.snippets:
      base_path: [.]
      check_paths: true
  - pymdownx.tabbed:
      alternate_style: true
"""
EXTENSIONS_WITH_PLUGIN = [
    "pymdownx.superfences",
    {"pymdownx.snippets": {"base_path": ["."], "check_paths": True}},
    {"pymdownx.tabbed": {"alternate_style": True}},
]


def article(html: str) -> bytes:
    """The page's article (its content, without the site's frame), run times out."""
    found = re.search(r"<article.*?</article>", html, re.DOTALL)
    assert found, "no article in the page"
    return without_run_times(found[0].encode())


def fence_only(project) -> str:
    """The project's mkdocs.yml with the fence declared, and no plugin at all."""
    config = project.config()
    config["plugins"] = []
    del config["markdown_extensions"]
    return yaml.safe_dump(config) + EXTENSIONS


def as_a_new_process() -> None:
    """Clear what markdown-exec keeps in this process between builds, as a build of
    its own would start: its extension settings (``markdown_config``) and the
    counter that numbers the element ids of blocks without an id; its plugin
    clears them after a build that succeeds only, and this session's tests fail
    many builds on purpose."""
    markdown_config.reset()
    MarkdownConverter.counter = 0


def build_fence_only(project) -> None:
    (project.root / "mkdocs.yml").write_text(fence_only(project), encoding="utf-8")
    as_a_new_process()
    with project.caplog.at_level(logging.INFO, logger="mkdocs"):
        build(load_config("mkdocs.yml"))


def test_the_fence_and_the_plugin_build_the_same_page(project):
    project.snippet("noisy.py", NOISY)
    project.text("index.md", PAGE)
    as_a_new_process()
    project.build(site={"markdown_extensions": EXTENSIONS_WITH_PLUGIN})
    with_plugin = project.html()
    assert 'class="tabbed-set' in with_plugin
    assert with_plugin.count('class="snippet-exec-whatif-panel"') == 3
    assert "snippet-exec-band" in with_plugin and "snippet-exec-spread" in with_plugin
    assert "application/json" in with_plugin  # the explorer's data
    build_fence_only(project)
    assert article(project.html()) == article(with_plugin)


def fence_failure(project) -> SuperFencesException:
    """Build with the fence alone; return its exception (the generator aborts from
    it, having logged its message alone)."""
    from properdocs.exceptions import Abort

    with pytest.raises((SuperFencesException, Abort)) as failed:
        build_fence_only(project)
    error: BaseException | None = failed.value
    while error is not None and not isinstance(error, SuperFencesException):
        error = error.__context__
    assert error is not None
    return error


def test_the_fence_fails_with_the_errors_type(project):
    project.snippet("noisy.py", NOISY.replace("plt.show()", "raise ValueError('no')"))
    project.text("index.md", PAGE.replace('explore="1"', 'id="first"'))
    failed = fence_failure(project)
    assert "ValueError: no" in str(failed)
    assert isinstance(failed.__cause__, RunFailure)
    project.snippet("noisy.py", NOISY.replace('label="Validation loss"', ""))
    bad = fence_failure(project)
    assert "band: the first figure" in str(bad)
    assert isinstance(bad.__cause__, OptionError)


def test_the_fence_takes_its_settings_from_the_environment(project, monkeypatch):
    project.snippet("noisy.py", NOISY)
    project.text("index.md", PAGE)
    monkeypatch.setenv("SNIPPET_EXEC_ENABLED", "false")
    build_fence_only(project)
    assert "execution is switched off" in project.html()
    assert not (project.root / ".snippet-exec" / "cache").exists()
