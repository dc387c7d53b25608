"""Shared fixtures: every snippet runs once per session, and the site builds once.

``all_runs`` executes every example snippet for real (never from an old cache), and
every variant of it that a page asks for (``vary=``), in parallel, and stores the
results in a cache private to this session (its checkpoints too, in a work folder
of its own); ``site`` then builds the whole site strictly against that cache, so
each snippet and variant runs exactly once per test session.
Builds are dated by ``SOURCE_DATE_EPOCH`` (the last commit's date unless set), as
``make build`` dates them. Nothing here writes into the repository's folders.
"""

from __future__ import annotations

import logging
import math
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import properdocs.replacement  # noqa: F401 - mkdocs.* is properdocs.* here, as in its CLI
import pytest
import yaml
from properdocs.commands.build import build
from properdocs.config import load_config
from properdocs.exceptions import Abort, BuildError, PluginError

from snippet_exec import fence, process, variants
from snippet_exec.cache import Cache
from snippet_exec.engine import Job, Runner, Settings
from snippet_exec.options import parse
from snippet_exec.result import Limits, Result

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = sorted(
    path.relative_to(ROOT).as_posix()
    for path in (ROOT / "snippets").rglob("*.py")
    if not path.name.startswith("_")
)
TIMEOUT = 300


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


def page_variants() -> dict[str, list[dict]]:
    """The variants the pages ask for, by snippet: each as its constants."""
    found: dict[str, list[dict]] = {}
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for written in fence.fences(page.read_text(encoding="utf-8")):
            vary = parse(written.options).vary
            if vary and len(written.includes) == 1:
                (name,) = written.includes
                code = (ROOT / name).read_text(encoding="utf-8")
                for constants in variants.expand(code, name, vary):
                    if constants not in found.setdefault(name, []):
                        found[name].append(constants)
    return found


VARIANTS = page_variants()


@pytest.fixture(scope="session")
def all_runs(cache_dir: Path, work_dir: Path, launcher, started) -> dict:
    """Every example snippet as written, and every variant of it that a page shows,
    executed once (in parallel): ``{name: [(constants, result), ...]}``, the
    snippet as written first, with no constants."""
    wanted = [(name, {}) for name in SNIPPETS]
    wanted += [(name, c) for name, found in VARIANTS.items() for c in found]
    with Runner(settings(cache_dir, work_dir, force=True), launcher) as runner:
        futures = [(name, c, runner.submit(job(name, c))) for name, c in wanted]
        done: dict[str, list] = {}
        for name, constants, future in futures:
            done.setdefault(name, []).append((constants, future.result()))
        return done


@pytest.fixture(scope="session")
def runs(all_runs) -> dict[str, Result]:
    """Every example snippet as written, run once, by its path from the root."""
    return {name: found[0][1] for name, found in all_runs.items()}


@pytest.fixture(scope="session")
def variant_runs(all_runs) -> dict[str, list[tuple[dict, Result]]]:
    """Every variant a page shows, by snippet: its constants and its result."""
    return {name: found[1:] for name, found in all_runs.items() if found[1:]}


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
    runs: dict[str, Result],
    cache_dir: Path,
    work_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
):
    """One strict build of the whole site; returns its folder and its log."""
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

    FAILED = (Abort, BuildError, PluginError)

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
        with pytest.raises(self.FAILED):
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
