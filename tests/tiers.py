"""The test tiers: every test belongs to one, run in this order, each timed.

A tier is a marker (registered in pyproject.toml), so a run can pick tiers
(``pytest -m unit``, ``pytest -m "unit or engine"``); ``make test`` runs them all
and prints the time of each. A test module can name its tier with ``pytestmark``;
otherwise a test's tier follows from the fixtures it uses, so that a new page's
tests need no marker:

- ``site`` for a test that uses the full build (``site``);
- ``snippets`` for one that uses the examples' runs (``runs``, ``variant_runs``,
  ``all_runs``), and every test in a ``test_<page>_page.py``;
- ``engine`` for one that builds or serves a tiny project, or runs code through
  the engine (``project``, ``served``, ``launcher``);
- ``unit`` for the rest: parts of the engine on tiny inputs, no build, no run.

Tests run tier by tier, cheapest first (in file order within a tier), so that a
broken part fails in seconds, before the slow tiers start.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

TIERS = ("unit", "engine", "snippets", "site", "notebooks", "browser", "lint")
"""The tiers, in the order they run."""
BY_FIXTURE = (
    ("site", {"site"}),
    ("snippets", {"runs", "variant_runs", "all_runs"}),
    ("engine", {"project", "served", "launcher"}),
)
"""The tier a fixture puts a test in, heaviest first."""
TIER_KEY = pytest.StashKey[str]()


def tier_of(item: pytest.Item) -> str:
    """The tier of ``item``: its own or its module's marker, else its fixtures'."""
    named = [mark.name for mark in item.iter_markers() if mark.name in TIERS]
    if named:
        return max(named, key=TIERS.index)
    used = set(getattr(item, "fixturenames", ()))
    if item.path.name.endswith("_page.py"):  # a page's claims: on its runs
        used.add("runs")
    return next((tier for tier, fixtures in BY_FIXTURE if used & fixtures), "unit")


@pytest.hookimpl(tryfirst=True)  # before -m selects by these markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        tier = tier_of(item)
        item.stash[TIER_KEY] = tier
        if not any(mark.name == tier for mark in item.iter_markers()):
            item.add_marker(tier)
    items.sort(key=lambda item: TIERS.index(item.stash[TIER_KEY]))


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(Times(), "tier-times")


class Times:
    """Each tier's tests, and the seconds their set-up, call and tear-down took,
    printed at the end of the run. Tiers run one after another, so a tier's sum is
    about its wall time."""

    def __init__(self) -> None:
        self.tiers: dict[str, str] = {}
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.tests: defaultdict[str, int] = defaultdict(int)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.tiers = {item.nodeid: item.stash[TIER_KEY] for item in session.items}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        tier = self.tiers.get(report.nodeid)
        if tier is None:
            return
        self.seconds[tier] += report.duration
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.tests[tier] += 1

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.seconds:
            return
        rows = [(t, self.tests[t], self.seconds[t]) for t in TIERS if t in self.seconds]
        rows.append(("total", sum(self.tests.values()), sum(self.seconds.values())))
        terminalreporter.write_sep("-", "time by tier")
        for tier, tests, seconds in rows:
            terminalreporter.write_line(f"{tier:<9} {tests:>4} tests {seconds:>7.1f} s")
