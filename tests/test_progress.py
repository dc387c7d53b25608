"""What a build says about its runs (``progress``), fed runs that never ran: the
reporter is driven through its states (submitted, running, finished), never by
time. tests/test_engine.py and tests/test_serve.py read the same lines in real
builds' logs (which are no terminal: no live line there).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from concurrent.futures import Future

import pytest

from snippet_exec import progress
from snippet_exec.progress import ERASE, Progress, Run, Tally, line, summary
from snippet_exec.result import Result

PAGE_RUN = Run("key1", "epochs.md", "snippets/epochs/loss.py")
VARIANT = Run("key2", "epochs.md", "snippets/epochs/loss.py [SEED=0]")


def ran(**fields) -> Result:
    return Result(**{"seconds": 10.0, "elapsed": 10.0, **fields})


def running() -> Future[Result]:
    future: Future[Result] = Future()
    assert future.set_running_or_notify_cancel()
    return future


class Terminal(io.StringIO):
    """What a terminal receives."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    """A logger of its own, which the tests give handlers."""
    logger = logging.getLogger("snippet_exec.test_progress")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger
    logger.handlers.clear()


# -- the lines ----------------------------------------------------------------


def test_a_run_says_how_long_this_build_waited_for_it():
    assert line(PAGE_RUN, ran(elapsed=2.34)) == (
        "epochs.md: snippets/epochs/loss.py ran in 2.3 s"
    )


def test_a_resumed_run_says_what_resumed_means():
    result = ran(
        elapsed=0.8,
        resumed_from=4,
        note="resumed after cell 4 of 5 from a checkpoint",
    )
    text = line(VARIANT, result)
    assert text.startswith(
        "epochs.md: snippets/epochs/loss.py [SEED=0] ran in 0.8 s, resumed after "
        "cell 4 of 5 from a checkpoint ("
    )
    assert "only the rest ran" in text


def test_a_full_run_says_why_it_did_not_resume():
    note = "in full, since the state after cell 2 could not be saved (a generator)"
    assert line(PAGE_RUN, ran(elapsed=3.0, note=note)).endswith(f"3.0 s, {note}")


def test_a_cached_result_gives_the_time_of_the_run_that_made_it():
    text = line(PAGE_RUN, ran(seconds=129.44, elapsed=0.0, cached=True))
    assert text.endswith("from the cache (its run took 129.4 s)")


def test_a_failed_run_says_so_briefly():
    text = line(PAGE_RUN, ran(elapsed=1.0, error="ValueError: no"))
    assert text == "epochs.md: snippets/epochs/loss.py failed after 1.0 s"


def test_the_summary_is_one_quiet_line_when_nothing_ran():
    cached = [ran(cached=True) for _ in range(69)]
    assert summary(cached) == "Nothing ran: all 69 results came from the cache"


def test_the_summary_counts_what_ran_and_how():
    results = [
        ran(elapsed=2.0),
        ran(elapsed=1.0, resumed_from=2),
        ran(cached=True),
    ]
    assert summary(results) == (
        "2 executed (1 resumed from a checkpoint), 1 from the cache, 0 failed; "
        "3.0 s of execution"
    )


# -- the live line ------------------------------------------------------------


def test_the_live_line_counts_runs_and_names_those_running():
    tally = Tally(started=100.0)
    first, second, waiting = running(), running(), Future()
    tally.runs = {PAGE_RUN: first, VARIANT: second, Run("k3", "a.md", "c.py"): waiting}
    assert tally.status(now=183.0, width=200) == (
        "snippet-exec: 0/3 runs done, 1:23; running snippets/epochs/loss.py, "
        "snippets/epochs/loss.py [SEED=0]"
    )
    first.set_result(ran())
    tally.done, tally.cached = 1, 5
    assert tally.status(now=3700.0, width=200) == (
        "snippet-exec: 1/3 runs done, 1:00:00 (5 from the cache); running "
        "snippets/epochs/loss.py [SEED=0]"
    )


def test_the_live_line_fits_the_terminal():
    tally = Tally(started=0.0, runs={PAGE_RUN: running()})
    status = tally.status(now=1.0, width=30)
    assert len(status) == 30
    assert status.endswith("...")


def test_on_a_terminal_the_log_is_written_above_the_live_line(logger):
    terminal = Terminal()
    handler = logging.StreamHandler(terminal)
    logger.addHandler(handler)
    reporter = Progress(logger)
    reporter.submitted(PAGE_RUN, running())
    assert handler.stream is not terminal  # it writes above the line now
    assert terminal.getvalue().startswith(ERASE + "snippet-exec: 0/1 runs done")
    reporter.finished(PAGE_RUN, ran(elapsed=2.0))
    written = terminal.getvalue()
    above = ERASE + "epochs.md: snippets/epochs/loss.py ran in 2.0 s\n"
    assert above + "snippet-exec: 1/1 runs done" in written
    reporter.close()
    assert terminal.getvalue().endswith(ERASE)
    assert handler.stream is terminal


def test_elsewhere_there_is_a_line_per_run_and_no_live_line(logger):
    log = io.StringIO()
    logger.addHandler(logging.StreamHandler(log))
    reporter = Progress(logger)
    futures = [running(), running()]
    reporter.submitted(PAGE_RUN, futures[0])
    reporter.submitted(VARIANT, futures[1])
    reporter.finished(VARIANT, ran(elapsed=1.0))
    assert log.getvalue() == (
        "epochs.md: snippets/epochs/loss.py [SEED=0] ran in 1.0 s\n"
    )
    reporter.finished(PAGE_RUN, ran(elapsed=2.0))
    reporter.close()
    assert log.getvalue().count("\n") == 2
    assert "\x1b" not in log.getvalue()


def test_cached_results_are_counted_not_listed(logger):
    log = io.StringIO()
    logger.addHandler(logging.StreamHandler(log))
    reporter = Progress(logger)
    done: Future[Result] = Future()
    done.set_result(ran(cached=True))
    reporter.submitted(PAGE_RUN, done)
    reporter.finished(PAGE_RUN, done.result())
    assert log.getvalue() == ""  # --verbose (DEBUG) lists it
    assert reporter.tally.cached == 1 and not reporter.tally.runs


def test_runs_ended_by_a_failed_build_are_not_reported(logger):
    log = io.StringIO()
    logger.addHandler(logging.StreamHandler(log))
    reporter = Progress(logger)
    reporter.submitted(PAGE_RUN, running())
    reporter.close()  # the session cancels: the build failed elsewhere
    reporter.finished(PAGE_RUN, ran(error="stopped: the build had already failed"))
    reporter.finished(VARIANT, None)  # cancelled before it ran
    assert log.getvalue() == ""


# -- mkdocs-jupyter's lines ---------------------------------------------------


@pytest.mark.parametrize(("verbose", "shown"), [(False, 0), (True, 1)])
def test_mkdocs_jupyters_lines_need_verbose(verbose, shown):
    mkdocs = logging.getLogger("mkdocs")
    level = mkdocs.level
    noisy = logging.getLogger(progress.NOISY[0])
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    noisy.addHandler(handler)
    try:
        mkdocs.setLevel(logging.DEBUG if verbose else logging.INFO)
        progress.quiet()
        progress.quiet()  # once is enough
        noisy.info("Converting notebook (execute=False): x.ipynb")
        noisy.warning("a warning always shows")
    finally:
        mkdocs.setLevel(level)
        noisy.removeHandler(handler)
    assert log.getvalue().count("Converting notebook") == shown
    assert "a warning always shows" in log.getvalue()
    assert sum(isinstance(f, progress.VerboseOnly) for f in noisy.filters) == 1
