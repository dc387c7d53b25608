"""The engine's typed contracts, on tiny inputs: no build, no snippet run.

Settings from one source, the executor factory, the run's data and its check, the
exception types failures have, and the near-bugs the type checker found.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from snippet_exec import identity, remote
from snippet_exec.blocks import Page, Snippets, prepare
from snippet_exec.contract import failed
from snippet_exec.errors import (
    BuildFailure,
    ConfigError,
    EngineFault,
    OptionError,
    RunFailure,
    SnippetExecError,
)
from snippet_exec.executors import executor_for
from snippet_exec.fence import validator
from snippet_exec.plugin import SnippetExecPlugin
from snippet_exec.result import Limits, Result, from_json, problems
from snippet_exec.settings import SiteSettings

# -- settings: one source ------------------------------------------------------------


def test_the_plugins_options_are_the_settings_with_their_defaults():
    plugin = SnippetExecPlugin()
    errors, warnings = plugin.load_config({})
    assert (errors, warnings) == ([], [])
    fields = {field.name: field.default for field in dataclasses.fields(SiteSettings)}
    assert dict(plugin.config) == fields
    assert SiteSettings.from_mapping(plugin.config) == SiteSettings()


def test_the_fence_reads_the_same_settings_from_the_environment():
    settings = SiteSettings.from_environment(
        {
            "SNIPPET_EXEC_TIMEOUT": "30",
            "SNIPPET_EXEC_ENABLED": "false",
            "SNIPPET_EXEC_SNIPPETS_DIR": "examples",
            "SNIPPET_EXEC_JOBS": "3",
            "OTHER": "ignored",
        }
    )
    assert settings == SiteSettings(
        timeout=30.0, enabled=False, snippets_dir="examples", jobs=3
    )
    assert SiteSettings.from_environment({}).timeout == SiteSettings().timeout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SNIPPET_EXEC_TIMEOUT", "3m", "is not a number"),
        ("SNIPPET_EXEC_TIMEOUT", "0", "positive, finite number of seconds"),
        ("SNIPPET_EXEC_FORCE", "maybe", "is not a yes/no value"),
        ("SNIPPET_EXEC_START_METHOD", "thread", "start_method must be"),
    ],
)
def test_a_bad_setting_is_a_config_error_naming_it(variable, value, message):
    with pytest.raises(ConfigError, match=message):
        SiteSettings.from_environment({variable: value})


def test_one_factory_chooses_the_executor():
    local = executor_for("local", "spawn")
    assert (local.name, local.local) == ("spawn", True)
    assert local.jobs >= 1
    with pytest.raises(ConfigError, match="must be local or dask://host:port"):
        executor_for("ssh://elsewhere")


# -- the run's data ----------------------------------------------------------------


def test_a_failed_runs_data_is_a_result_and_says_whose_fault():
    data = failed("it could not be started: no server", fault=True)
    assert problems(data, Limits()) == []
    result = from_json(data, Limits())
    assert result is not None
    assert (result.failure, result.fault) == (data["error"], True)
    assert "fault" not in Result(fault=True).to_json()  # never stored


def test_data_with_an_unknown_or_mistyped_field_is_no_result():
    data = failed("x", fault=False)
    assert "fault is a str" in problems({**data, "fault": "yes"}, Limits())
    assert from_json({**data, "surprise": 1}, Limits()) is None


# -- failures as types ---------------------------------------------------------------


def block(tmp_path: Path, inputs: dict[str, str], code: str = "SEED = 1\n"):
    """A block of a page showing snippets/one.py with the options ``inputs``."""
    snippet = tmp_path / "snippets" / "one.py"
    snippet.parent.mkdir(parents=True, exist_ok=True)
    snippet.write_text(code, encoding="utf-8")
    options: dict = {}
    assert validator("python", {"exec": "1", **inputs}, options, {}, None)
    snippets = Snippets(tmp_path, tmp_path / "snippets")
    number, written = Page().next(options)
    return prepare(
        code,
        options,
        snippets=snippets,
        timeout=10,
        page="index.md",
        number=number,
        written=written,
    )


def test_a_bad_option_is_an_option_error_naming_the_block(tmp_path):
    shown = block(tmp_path, {"id": "b", "session": "x"})
    assert isinstance(shown.error, OptionError)
    assert str(shown.error).startswith("index.md: snippets/one.py (block 'b'): ")
    varied = block(tmp_path, {"vary": "SPEED: 1, 2"})
    assert isinstance(varied.error, OptionError)
    assert "SPEED is not a module-level constant" in str(varied.error)


def test_a_failed_run_is_a_run_failure_and_the_engines_an_engine_fault(tmp_path):
    shown = block(tmp_path, {"vary": "SEED: 2"})
    assert shown.error is None and len(shown.jobs) == 2
    theirs = shown.failure({"SEED": 2}, Result(error="ValueError: no"))
    ours = shown.failure({}, Result(error="snippet-exec itself failed", fault=True))
    assert isinstance(theirs, RunFailure) and isinstance(ours, EngineFault)
    assert str(theirs) == "index.md: snippets/one.py failed (variant SEED=2): " + (
        "ValueError: no"
    )
    failure = BuildFailure([theirs, ours])
    assert failure.failures == [theirs, ours]
    assert all(isinstance(e, SnippetExecError) for e in (failure, theirs, ours))


def test_blocks_are_numbered_per_page_and_matched_to_their_fence():
    """A block without options of its own (the plugin's Optional access)."""
    markdown = '```python exec="1"\nprint(1)\n```\n\n```python exec="1" id="b"\n```\n'
    page = Page("index.md", markdown)
    assert page.next({}) == (1, page.fences[0])
    assert page.next({}) == (2, page.fences[1])
    assert page.next({}) == (3, None)
    assert Page().next({}) == (1, None)


# -- near-bugs the type checker found -------------------------------------------------


class AsyncClient:
    """A Dask client made asynchronous: its calls return coroutines."""

    async def _dict(self) -> dict:
        return {}

    def run(self, *args, **kwargs):
        return self._dict()

    def nthreads(self):
        return self._dict()


def test_a_client_that_answers_with_coroutines_is_refused():
    executor = remote.DaskExecutor.__new__(remote.DaskExecutor)
    executor.address, executor.policy = "tcp://127.0.0.1:1", identity.DEFAULT_POLICY
    executor.client = AsyncClient()
    with pytest.raises(remote.ClusterError, match="coroutine, not the dict"):
        executor.check()
    with pytest.raises(remote.ClusterError, match="answered nthreads"):
        _ = executor.jobs


def test_a_times_page_without_content_is_left_alone():
    """MkDocs' ``page.content`` is None until the page is rendered."""
    from snippet_exec import times

    class Generated:
        page = type("P", (), {"content": None})()

    class Found:
        def get_file_from_path(self, uri):
            return Generated()

    times.fill(Found(), "execution-times.md", [])
    assert Generated.page.content is None


# -- the import boundary and the policy ----------------------------------------------


def test_the_mkdocs_side_imports_no_heavy_library():
    """Nor does finding the policy module for the cache key import anything."""
    code = (
        "import sys\n"
        "from snippet_exec import plugin, fence, session, identity\n"
        "identity.engine(identity.DEFAULT_POLICY)\n"
        "assert identity.module_file('sklearn.datasets') is not None\n"
        "heavy = {'numpy', 'sklearn', 'matplotlib', 'scipy'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_the_policy_module_is_part_of_the_engines_identity():
    assert identity.module_file(identity.DEFAULT_POLICY) == (
        identity.PACKAGE_DIR / "policy.py"
    )
    assert identity.engine("snippet_exec.policy") != identity.engine("no.such.policy")
