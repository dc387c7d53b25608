"""Shared fixtures: each snippet runs once per session, when first asked for, and
the site builds once.

``runs`` and ``variant_runs`` are mappings by snippet path that execute what a test
asks for, for real (never from an old cache), in a cache private to this session
(its checkpoints too, in a work folder of its own). The first test to ask submits
everything the session's tests will ask for, so that it runs in parallel: the
snippets (and variants) that each selected test module's page shows and that the
module names (``tests/test_<page>_page.py`` is the page ``docs/<page>.md``), or
every one when a selected test needs the whole site. So ``pytest
tests/test_iterations_page.py`` runs that page's snippets and nothing else, and
``make test`` runs every snippet and variant once, all side by side. ``site`` then
builds the whole site strictly against that cache.
Builds are dated by ``SOURCE_DATE_EPOCH`` (the last commit's date unless set), as
``make build`` dates them. Nothing here writes into the repository's folders.

Heavy libraries (numpy, scikit-learn, matplotlib, ProperDocs) are imported where
they are used, never here at the top: collecting the tests takes seconds.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from pathlib import Path

import properdocs.replacement  # noqa: F401 - mkdocs.* is properdocs.* here, as in its CLI
import pytest
import yaml

from snippet_exec import process, variants
from snippet_exec.cache import Cache
from snippet_exec.engine import Job, Runner, Settings
from snippet_exec.result import Limits, Result

pytest_plugins = ["tiers"]
logging.getLogger("mkdocs").parent = logging.getLogger("properdocs")
"""As ProperDocs' CLI has it: what plugins log as mkdocs.* counts in a strict
build (a warning fails it), in a test's build as in ``make build``."""

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = sorted(
    path.relative_to(ROOT).as_posix()
    for path in (ROOT / "snippets").rglob("*.py")
    if not path.name.startswith("_")
)
SITE_CONFIG = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
TIMEOUT = float(re.search(r"^      timeout: (\d+)", SITE_CONFIG, re.M)[1])
"""The site's time limit for a block: the session's runs use it too, since the
limit is part of a result's cache key, and the site build reuses those runs."""
RUNS_FIXTURES = {"runs", "variant_runs"}
EVERY_RUN_FIXTURES = {"all_runs", "site"}
"""Fixtures that need every snippet and variant."""
SNIPPET_PATH = re.compile(r"""["'](snippets/[^"'\s]+\.py)["']""")


@pytest.fixture(scope="session")
def started() -> float:
    """When the session started (the first test that asks)."""
    return time.time()


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("snippet-exec-cache")


@pytest.fixture(scope="session")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("snippet-exec-work")


@pytest.fixture(scope="session")
def launcher():
    """The fork server this process's builds share, stopped at the session's end."""
    yield process.launcher_for("auto")
    process.close_all()


def settings(cache_dir: Path, work_dir: Path, **changes) -> Settings:
    """The settings of the site's build, with a private cache and work folder."""
    return Settings(
        root=ROOT,
        cache=Cache(cache_dir, Limits()),
        work_dir=work_dir,
        jobs=os.cpu_count() or 1,
        ignore=(work_dir,),
        **changes,
    )


def job(name: str, constants: dict | None = None) -> Job:
    """The job that runs the snippet ``name`` as a page's block runs it, with the
    module-level ``constants`` of a variant, if given."""
    code = (ROOT / name).read_text(encoding="utf-8")
    if constants:
        code = variants.substitute(code, constants)
    return Job(code, ROOT / name, TIMEOUT)


@functools.cache
def page_fences(page: Path) -> tuple:
    """The executed fences of a page of docs/."""
    from snippet_exec import fence

    return tuple(fence.fences(page.read_text(encoding="utf-8")))


@functools.cache
def page_variants() -> dict[str, list[dict]]:
    """The variants the pages ask for, by snippet: each as its constants."""
    from snippet_exec.options import parse

    found: dict[str, list[dict]] = {}
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for written in page_fences(page):
            vary = parse(written.options).vary
            if vary and len(written.includes) == 1:
                (name,) = written.includes
                code = (ROOT / name).read_text(encoding="utf-8")
                for constants in variants.expand(code, name, vary):
                    if constants not in found.setdefault(name, []):
                        found[name].append(constants)
    return found


@functools.cache
def module_snippets(module: Path) -> frozenset[str]:
    """The example snippets a test module is about: those its page shows
    (``tests/test_<page>_page.py``: ``docs/<page>.md``, with ``-`` for ``_``) and
    those it names (``"snippets/epochs/loss_per_epoch.py"``)."""
    names = set(SNIPPET_PATH.findall(module.read_text(encoding="utf-8")))
    stem = module.stem
    if stem.startswith("test_") and stem.endswith("_page"):
        page = ROOT / "docs" / f"{stem[5:-5].replace('_', '-')}.md"
        if page.is_file():
            names.update(n for fence in page_fences(page) for n in fence.includes)
    return frozenset(names & set(SNIPPETS))


def wanted(items: Iterable[pytest.Item]) -> list[tuple[str, dict]]:
    """The runs the tests ``items`` will ask ``runs`` and ``variant_runs`` for,
    in the order to submit them: snippets as written, then variants.

    A test's snippets are its module's (``module_snippets``) and those it is
    parametrised with; a test module that names none may ask for any."""
    plain: set[str] = set()
    varied: set[str] = set()
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & EVERY_RUN_FIXTURES:
            plain, varied = set(SNIPPETS), set(SNIPPETS)
            break
        if not used & RUNS_FIXTURES:
            continue
        names = set(module_snippets(item.path))
        callspec = getattr(item, "callspec", None)
        if callspec is not None:
            names.update(v for v in callspec.params.values() if v in SNIPPETS)
        names = names or set(SNIPPETS)
        if "runs" in used:
            plain |= names
        if "variant_runs" in used:
            varied |= names
    found = page_variants()
    return [(name, {}) for name in SNIPPETS if name in plain] + [
        (name, constants)
        for name in SNIPPETS
        if name in varied
        for constants in found.get(name, [])
    ]


class SessionRuns:
    """This session's runs of the example snippets and of their variants: each
    submitted once, on first demand, to one Runner that runs them in parallel.

    The first demand submits everything ``wanted`` lists first, so that the
    session's runs go side by side rather than one per test."""

    def __init__(self, runner: Runner, wanted: Callable[[], list[tuple[str, dict]]]):
        self.runner = runner
        self.wanted = wanted
        self.futures: dict[tuple[str, str], Future[Result]] = {}

    def submit(self, name: str, constants: dict) -> Future[Result]:
        first = not self.futures
        key = name, repr(sorted(constants.items()))
        if key not in self.futures:
            self.futures[key] = self.runner.submit(job(name, constants))
        if first:  # the first demand: then everything the tests will want
            for other in self.wanted():
                self.submit(*other)
        return self.futures[key]

    def results(self, asked: list[tuple[str, dict]]) -> list[Result]:
        """The results of ``asked`` (snippet, constants), all submitted at once."""
        futures = [self.submit(name, constants) for name, constants in asked]
        return [future.result() for future in futures]

    def pending(self) -> bool:
        return not all(future.done() for future in self.futures.values())

    def summary(self) -> str:
        """How many runs this session made and how long they ran, added up (a
        variant with the snippet's own values is its run as written, counted once)."""
        every = {id(future): future for future in self.futures.values()}
        plain = {
            id(f) for (_, constants), f in self.futures.items() if constants == "[]"
        }
        done = [f.result() for f in every.values() if f.done() and not f.cancelled()]
        return (
            f"{len(every)} runs ({len(plain)} snippets as written, "
            f"{len(every) - len(plain)} variants), {len(done)} finished; their run "
            f"times add up to {sum(result.seconds for result in done):.1f} s"
        )


class Runs(Mapping[str, Result]):
    """Every example snippet as written, by its path from the root; each run when
    first asked for."""

    def __init__(self, session: SessionRuns) -> None:
        self.session = session

    def __getitem__(self, name: str) -> Result:
        if name not in SNIPPETS:
            raise KeyError(name)
        (result,) = self.session.results([(name, {})])
        return result

    def __iter__(self) -> Iterator[str]:
        return iter(SNIPPETS)

    def __len__(self) -> int:
        return len(SNIPPETS)

    def __contains__(self, name: object) -> bool:  # without running it
        return name in SNIPPETS

    def every(self) -> dict[str, Result]:
        """Every snippet's result, all submitted before any is awaited."""
        results = self.session.results([(name, {}) for name in SNIPPETS])
        return dict(zip(SNIPPETS, results, strict=True))

    def items(self):
        return self.every().items()

    def values(self):
        return self.every().values()


class VariantRuns(Mapping[str, list[tuple[dict, Result]]]):
    """Every variant a page shows, by snippet: its constants and its result; each
    snippet's variants run (together) when first asked for."""

    def __init__(self, session: SessionRuns) -> None:
        self.session = session

    def __getitem__(self, name: str) -> list[tuple[dict, Result]]:
        found = page_variants()[name]
        results = self.session.results([(name, constants) for constants in found])
        return list(zip(found, results, strict=True))

    def __iter__(self) -> Iterator[str]:
        return iter(page_variants())

    def __len__(self) -> int:
        return len(page_variants())

    def __contains__(self, name: object) -> bool:  # without running them
        return name in page_variants()


SESSION_RUNS = pytest.StashKey[SessionRuns]()


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if (session := config.stash.get(SESSION_RUNS, None)) and session.futures:
        terminalreporter.write_sep("-", "snippet runs")
        terminalreporter.write_line(session.summary())


@pytest.fixture(scope="session")
def session_runs(
    cache_dir: Path, work_dir: Path, launcher, started, request: pytest.FixtureRequest
) -> Iterator[SessionRuns]:
    """The runner of this session's snippet runs; what is still running when the
    session ends (a page shows it, no selected test asked) is stopped."""
    with Runner(settings(cache_dir, work_dir, force=True), launcher) as runner:
        session = SessionRuns(runner, lambda: wanted(request.session.items))
        request.config.stash[SESSION_RUNS] = session
        yield session
        if session.pending():
            runner.cancel()


@pytest.fixture(scope="session")
def runs(session_runs: SessionRuns) -> Runs:
    """Every example snippet as written, run once, by its path from the root."""
    return Runs(session_runs)


@pytest.fixture(scope="session")
def variant_runs(session_runs: SessionRuns) -> VariantRuns:
    """Every variant a page shows, by snippet: its constants and its result."""
    return VariantRuns(session_runs)


@pytest.fixture(scope="session")
def all_runs(session_runs: SessionRuns) -> dict[str, list[tuple[dict, Result]]]:
    """Every example snippet as written, and every variant of it that a page shows:
    ``{name: [(constants, result), ...]}``, the snippet as written first, with no
    constants."""
    found = page_variants()
    asked = [(name, {}) for name in SNIPPETS]
    asked += [(name, c) for name in SNIPPETS for c in found.get(name, [])]
    done: dict[str, list[tuple[dict, Result]]] = {}
    for (name, constants), result in zip(
        asked, session_runs.results(asked), strict=True
    ):
        done.setdefault(name, []).append((constants, result))
    return done


RUN_TIME = re.compile(rb"ran in [0-9.]+ s|in [0-9.]+ s when the site")


def without_run_times(page: bytes) -> bytes:
    """A built page without its examples' run times ("This example ran in 0.4 s
    when the site was built"), the one thing that differs between two runs."""
    return RUN_TIME.sub(b"(time)", page)


def source_date_epoch() -> str:
    """The build date: $SOURCE_DATE_EPOCH, else the last commit's, else 0."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return os.environ["SOURCE_DATE_EPOCH"]
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
    )
    return commit.stdout.strip() if commit.returncode == 0 else "0"


def build_site(
    site_dir: Path, cache_dir: Path, work_dir: Path, tool: str = "properdocs"
) -> str:
    """Build the site strictly into ``site_dir`` from the results in ``cache_dir``,
    with ProperDocs (or ``tool``, e.g. "mkdocs"), as ``make build`` does; return
    the build log, or fail the test if the build fails."""
    env = {
        **os.environ,
        "SNIPPET_EXEC_CACHE_DIR": str(cache_dir),
        "SNIPPET_EXEC_WORK_DIR": str(work_dir),
        "NO_MKDOCS_2_WARNING": "1",  # MkDocs only: Material's notice about it
        # A repository, so that pages link to it: its address is never requested.
        "REPO_URL": "https://git.example/epochs",
        "EDIT_URI": "edit/main/docs/",
        "SOURCE_DATE_EPOCH": source_date_epoch(),
    }
    env.pop("SNIPPET_EXEC_FORCE", None)
    command = [sys.executable, "-m", tool, "build", "-f", "mkdocs.yml", "--strict"]
    build = subprocess.run(
        [*command, "--site-dir", str(site_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0:
        pytest.fail(f"the strict site build failed:\n{build.stderr}", pytrace=False)
    return build.stderr


@pytest.fixture(scope="session")
def site(
    all_runs: dict[str, list[tuple[dict, Result]]],
    cache_dir: Path,
    work_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
):
    """One strict build of the whole site, from every run of the session; returns
    its folder and its log."""
    site_dir = tmp_path_factory.mktemp("site")
    return site_dir, build_site(site_dir, cache_dir, work_dir)


def page(site_dir: Path, name: str) -> str:
    """The built HTML of the page ``name`` (e.g. "epochs")."""
    return (site_dir / name / "index.html").read_text(encoding="utf-8")


def svg_coordinate(value: float, axis: dict) -> float:
    """Where ``value`` falls along ``axis`` of an explorable figure's mapping, in SVG
    coordinates: what docs/javascripts/explore.js computes to place its marker."""
    f = math.log10 if axis["scale"] == "log" else float
    (d0, d1), (s0, s1) = [f(v) for v in axis["data"]], axis["svg"]
    return s0 + (f(value) - d0) / (d1 - d0) * (s1 - s0)


class Project:
    """A throwaway MkDocs project whose pages run snippets, built in this process.

    ``build`` writes ``mkdocs.yml`` from the plugin's options and builds strictly
    with ProperDocs (which reads that file too);
    it returns the log (every record of the ``mkdocs`` loggers), and raises if
    the build fails; ``fails`` builds and returns the log of a failed build.
    """

    def __init__(self, root: Path, caplog: pytest.LogCaptureFixture) -> None:
        self.root = root
        self.caplog = caplog
        (root / "docs").mkdir()
        (root / "snippets").mkdir()
        self.log = ""

    def snippet(self, name: str, code: str | bytes) -> Path:
        path = self.root / "snippets" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(code, bytes):
            path.write_bytes(code)
        else:
            path.write_text(textwrap.dedent(code), encoding="utf-8")
        return path

    def page(self, name: str, *snippets: str, options: str = "") -> Path:
        blocks = [
            f'```python exec="1" {options}\n--8<-- "snippets/{snippet}"\n```\n'
            for snippet in snippets
        ]
        return self.text(name, f"# {name}\n\n" + "\n".join(blocks))

    def text(self, name: str, markdown: str) -> Path:
        path = self.root / "docs" / name
        path.write_text(textwrap.dedent(markdown), encoding="utf-8")
        return path

    def config(
        self,
        *,
        jupyter: bool = False,
        jupyter_first: bool = False,
        site: dict | None = None,
        **options,
    ):
        """The project's mkdocs.yml, as data: ``site`` adds settings of the site,
        ``options`` of snippet-exec."""
        plugin = {"snippet-exec": {"timeout": 60, **options}}
        plugins: list = [plugin, {"markdown-exec": {"languages": ["tree"]}}]
        if jupyter or jupyter_first:
            notebooks = {"mkdocs-jupyter": {"include": ["*.ipynb"], "execute": False}}
            plugins.insert(0 if jupyter_first else 2, notebooks)
        return {
            "site_name": "Engine test",
            "theme": {"name": "material"},
            "strict": True,
            "plugins": plugins,
            "markdown_extensions": [
                "pymdownx.superfences",
                {"pymdownx.snippets": {"base_path": ["."], "check_paths": True}},
            ],
            **(site or {}),
        }

    def build(self, **options) -> str:
        """Build the site; return the log. Raises if the build fails."""
        from properdocs.commands.build import build
        from properdocs.config import load_config

        config_file = self.root / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(self.config(**options)), encoding="utf-8")
        self.caplog.clear()
        with self.caplog.at_level(logging.INFO, logger="mkdocs"):
            try:
                build(load_config(config_file.name))  # relative, as `-f` gives it
            finally:
                self.log = self.caplog.text
        return self.log

    def fails(self, **options) -> str:
        """Build the site, which must fail; return the log."""
        from properdocs.exceptions import Abort, BuildError, PluginError

        with pytest.raises((Abort, BuildError, PluginError)):
            self.build(**options)
        return self.log

    def html(self, name: str = "") -> str:
        return (self.root / "site" / name / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path, caplog, monkeypatch) -> Project:
    """A tiny project in a temporary folder (the working directory), whose builds
    see none of the variables that switch the site's build."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("SNIPPET_EXEC_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # the same page, build after build
    return Project(tmp_path, caplog)
