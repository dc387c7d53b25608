"""Results, the cache and its keys, on tiny inputs: nothing is built or run.

``result.problems`` is the check every result passes before it is cached or
published; ``Runner.key`` what a cached result is filed under; ``Cache`` when an
entry may be trusted. (tests/test_engine.py checks the same end to end: builds
that execute again, or do not.)
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from snippet_exec import identity
from snippet_exec.cache import Cache, unchanged
from snippet_exec.engine import Job, Runner, Settings
from snippet_exec.result import (
    Limits,
    Result,
    clean,
    clean_offsets,
    from_json,
    problems,
)
from snippet_exec.shared import content_hash

FIGURE = {
    "svg": '<svg viewBox="0 0 1 1"></svg>',
    "alt": "A line.",
    "caption": "Loss",
    "axes": [],
    "explore": None,
    "at": 0,
    "png": "",
}


def stored(**changes) -> dict:
    """A result as the cache stores it, with ``changes``."""
    data = Result(markdown="- one\n- two\n", cell_ends=[6, 12]).to_json()
    data["figures"] = [dict(FIGURE)]
    return {**data, **changes}


# -- result validation ---------------------------------------------------------------


def test_a_result_as_stored_is_usable_and_reads_back_equal():
    data = stored(values={"loss": [1.5, float("nan")], "name": "x"})
    assert problems(data, Limits()) == []
    result = from_json(json.loads(json.dumps(data)), Limits())
    assert result is not None and result.to_json()["values"]["name"] == "x"
    assert result.figures == [FIGURE]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "a result must be a JSON object, not list"),
        ({"markdown": ""}, "fields missing: cell_ends, checkpoints"),
        (stored(extra=1), "unknown fields: extra"),
        (stored(seconds="1"), "seconds is a str"),
        (stored(markdown="\udcff"), "markdown is not valid Unicode"),
        (stored(error="bell\x07"), "error holds control characters"),
        (stored(markdown="x" * 3 * 1024, cell_ends=[]), "more than the limit of 2 KB"),
        (stored(problems=[1]), "problems must be strings"),
        (stored(cell_ends=[12, 6]), "cell_ends must be increasing offsets"),
        (stored(cell_ends=[6, 99]), "cell_ends point past the printed text"),
        (stored(values={"s": {1, 2}}), "values are not plain data"),
        (stored(reads={"a.csv": 1}), "reads must map paths to hashes"),
        (stored(figures=["svg"]), "figure 1: not an object"),
        (stored(figures=[{**FIGURE, "at": "0"}]), "figure 1: at missing or not"),
        (stored(figures=[{**FIGURE, "svg": "<png/>"}]), "svg is not an SVG element"),
        (
            stored(figures=[{**FIGURE, "svg": "<svg>" + "x" * 2048}]),
            "its SVG is 2 KB, more than the limit of 1 KB (figure_kb; raise it for "
            'this block with figure_kb="256")',
        ),
        (
            stored(figures=[{**FIGURE, "explore": {"x": [0] * 1024}}]),
            "more than the limit of 1 KB (explore_kb; raise it for this block with "
            'explore_kb="256")',
        ),
    ],
    ids=[
        "not-an-object",
        "missing",
        "unknown",
        "wrong-type",
        "surrogate",
        "control",
        "output-limit",
        "problems",
        "cell-ends-order",
        "cell-ends-past",
        "values",
        "reads",
        "figure-type",
        "figure-field",
        "figure-svg",
        "figure-limit",
        "explore-limit",
    ],
)
def test_a_result_that_cannot_be_published_says_why(data, problem):
    limits = Limits(output_kb=2, figure_kb=1, explore_kb=1)
    found = problems(data, limits)
    assert any(problem in p for p in found), found
    if isinstance(data, dict):
        assert from_json(data, limits) is None


def test_the_limits_by_default():
    """What mkdocs.yml can change; tests/test_engine_faults.py fails builds on
    each."""
    huge = stored(
        markdown="x" * 257 * 1024,
        cell_ends=[],
        figures=[{**FIGURE, "svg": "<svg>" + "x" * 1025 * 1024}],
    )
    found = problems(huge, Limits())
    assert (
        "it printed 257 KB, more than the limit of 256 KB (output_kb; raise it for "
        'this block with output_kb="512")' in found
    )
    assert "figure 1: its SVG is 1,025 KB, more than the limit of 1,024 KB" in (
        " ".join(found)
    )
    assert Limits().memory_mb == 4096 and Limits().explore_kb == 128


def test_control_characters_are_cleaned_and_offsets_follow():
    text = "a\x00b\x1b[31mc\x07d\tend\n"
    assert clean(text) == "ab[31mcd\tend\n"
    assert clean_offsets(text, [0, 2, 3, 10, len(text)]) == [0, 1, 2, 7, 13]


def test_a_failure_is_the_error_else_the_problems():
    assert Result().failure is None
    assert Result(problems=["line 3: warned"]).failure == (
        "it reported problems:\nline 3: warned"
    )
    assert Result(error="boom", problems=["x"]).failure == "boom"


# -- cache keys ----------------------------------------------------------------------


@pytest.fixture
def runner(tmp_path):
    """A Runner of a scratch project, never asked to run anything."""
    (tmp_path / "snippets").mkdir()
    (tmp_path / "data.csv").write_text("1,2\n")
    settings = Settings(
        root=tmp_path, cache=Cache(tmp_path / "cache", Limits()), work_dir=tmp_path
    )
    with Runner(settings, executor=None) as runner:
        yield runner


def job(root: Path, code: str = "x = 1\n", name: str = "a.py", **changes) -> Job:
    return replace(Job(code, root / "snippets" / name, 60), **changes)


def test_the_key_is_the_code_its_path_its_limits_and_the_files_it_depends_on(
    runner, tmp_path
):
    key = runner.key(job(tmp_path))
    assert runner.key(job(tmp_path)) == key
    assert runner.key(job(tmp_path, timeout=5)) != key  # it may pass under one only
    assert runner.key(job(tmp_path, "x = 2\n")) != key
    assert runner.key(job(tmp_path, name="b.py")) != key
    depends = runner.key(job(tmp_path, depends=("*.csv",)))
    assert depends != key
    (tmp_path / "data.csv").write_text("1,2,3\n")
    assert runner.key(job(tmp_path, depends=("*.csv",))) != depends


def test_the_key_follows_the_environment_and_the_engine(runner, tmp_path):
    key = runner.key(job(tmp_path))
    runner.environment = {**runner.environment, "newlib": "1.0"}
    assert runner.key(job(tmp_path)) != key
    runner.environment = identity.environment()
    assert runner.key(job(tmp_path)) == key
    runner.engine = "another engine"
    assert runner.key(job(tmp_path)) != key


def test_a_checkpoint_key_covers_the_cells_before_it(runner, tmp_path):
    """One key after each cell but the last (the docstring opens a cell)."""
    code = '"""Doc."""\n# %% one\nx = 1\n# %% two\ny = 2\n# %% three\nprint(y)\n'
    keys = runner.checkpoint_keys(job(tmp_path, code))
    assert len(keys) == 3 and len(set(keys)) == 3
    last = code.replace("print(y)", "print(x)")
    assert runner.checkpoint_keys(job(tmp_path, last)) == keys
    second = runner.checkpoint_keys(job(tmp_path, code.replace("y = 2", "y = 3")))
    assert second[:2] == keys[:2] and second[2] != keys[2]


# -- the cache -----------------------------------------------------------------------


def test_a_stored_result_is_read_back_while_what_it_read_is_unchanged(tmp_path):
    (tmp_path / "data.csv").write_text("1,2\n")
    cache = Cache(tmp_path / "cache", Limits())
    reads = {"data.csv": content_hash(tmp_path / "data.csv")}
    made = Result(markdown="- 3\n", values={"total": 3}, seconds=1.5, reads=reads)
    cache.put("k" * 64, made)
    back = cache.get("k" * 64, tmp_path)
    assert back is not None and back.cached and back.values == {"total": 3}
    assert back.digest == made.digest != ""
    assert cache.get("j" * 64, tmp_path) is None
    (tmp_path / "data.csv").write_text("1,2,3\n")
    assert unchanged(reads, tmp_path) == "data.csv"
    assert cache.get("k" * 64, tmp_path) is None


def test_what_a_build_stored_is_read_back_without_parsing_it_again(
    tmp_path, monkeypatch
):
    """A serve rebuild after a cold build reads every result that build stored: it
    knows them as written (some 100 MB of JSON), while their files are unchanged."""
    cache = Cache(tmp_path / "cache", Limits())
    made = Result(markdown="- 3\n", values={"total": 3})
    cache.put("k" * 64, made)
    monkeypatch.setattr(json, "loads", lambda *a, **k: pytest.fail("parsed again"))
    back = cache.get("k" * 64, tmp_path)
    assert back is not None and back.values == {"total": 3}
    assert back.digest == made.digest
    monkeypatch.undo()
    cache.entry("k" * 64).write_text("damaged")  # changed since: read, a miss
    assert cache.get("k" * 64, tmp_path) is None


def test_a_stored_result_over_the_sites_limits_is_read_only_under_raised_ones(
    tmp_path,
):
    """A block may raise a limit for itself: what it stored is not known as read
    for a lookup under the site's limits, which it does not fit."""
    cache = Cache(tmp_path / "cache", Limits(output_kb=1))
    cache.put("k" * 64, Result(markdown="- " + "x" * 4000 + "\n"))
    assert cache.get("k" * 64, tmp_path) is None
    assert cache.get("k" * 64, tmp_path, Limits(output_kb=8)) is not None


def test_a_failed_run_is_never_stored(tmp_path):
    cache = Cache(tmp_path / "cache", Limits())
    cache.put("k" * 64, Result(error="boom"))
    assert cache.get("k" * 64, tmp_path) is None
    assert not cache.entry("k" * 64).exists()


def test_an_entry_claiming_another_key_is_a_miss(tmp_path):
    cache = Cache(tmp_path / "cache", Limits())
    cache.put("k" * 64, Result(markdown="- 1\n"))
    entry = cache.entry("k" * 64)
    data = json.loads(entry.read_text())
    entry.write_text(json.dumps({**data, "key": "j" * 64}))
    assert cache.get("k" * 64, tmp_path) is None


def test_a_read_only_cache_keeps_this_machines_runs_beside_it(tmp_path):
    shared = Cache(tmp_path / "shared", Limits())
    shared.put("s" * 64, Result(markdown="- from CI\n"))
    local = Cache(tmp_path / "shared", Limits(), writable=False)
    local.local = Cache(tmp_path / "local", Limits()).store
    local.put("m" * 64, Result(markdown="- mine\n"))
    assert not (tmp_path / "shared" / Cache.name("m" * 64)).exists()
    assert local.get("m" * 64, tmp_path).markdown == "- mine\n"
    assert local.get("s" * 64, tmp_path).markdown == "- from CI\n"


def test_a_files_hash_is_kept_until_the_file_changes_even_to_the_same_size_and_time(
    tmp_path, monkeypatch
):
    """A cached run is checked against the files it read at every build; each is
    hashed again only once its stat changed. A write of the same size, with its
    modification time put back, still changes its change time. A file changed in
    the last SETTLED_NS is read every time: its times may not tick for the next
    write."""
    import os

    from snippet_exec import cache

    path = tmp_path / "data.csv"
    path.write_text("1,2\n")
    read = []
    monkeypatch.setattr(
        cache, "content_hash", lambda *a: read.append(a) or content_hash(*a)
    )
    first = cache.file_hash(path)
    assert cache.file_hash(path) == first and len(read) == 2  # just written
    monkeypatch.setattr(cache, "SETTLED_NS", 0)  # as if written long ago
    assert cache.file_hash(path) == first and len(read) == 3
    assert cache.file_hash(path) == first and len(read) == 3  # kept: not read again
    before = path.stat()
    path.write_text("3,4\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert cache.file_hash(path) == content_hash(path) != first
    assert len(read) == 4
