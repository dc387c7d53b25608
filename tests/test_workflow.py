"""The publishing workflow: audited by zizmor (offline), consistent with the project.

The workflow itself only runs on GitHub; these tests check what can be checked
here: that a linter for workflows finds nothing, and that the paths and commands it
relies on are the ones this repository uses.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
pytestmark = pytest.mark.lint


def zizmor() -> str:
    found = shutil.which("zizmor", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("zizmor is missing from the environment: `make test` installs it")
    return found


def steps(job: dict) -> list[dict]:
    return job["steps"]


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_zizmor_finds_nothing_even_as_an_auditor():
    run = subprocess.run(
        [zizmor(), "--offline", "--persona=auditor", "--no-progress", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No findings" in run.stdout, run.stdout


def test_every_action_is_pinned_to_a_commit(workflow):
    for job in workflow["jobs"].values():
        for step in steps(job):
            if "uses" in step:
                ref = step["uses"].rpartition("@")[2]
                assert len(ref) == 40 and int(ref, 16) >= 0, step["uses"]


def test_the_execution_cache_is_keyed_by_the_lock_file(workflow):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (cache,) = [
        s
        for s in steps(workflow["jobs"]["build"])
        if "actions/cache@" in s.get("uses", "")
    ]
    assert f"[SNIPPET_EXEC_CACHE_DIR, {cache['with']['path']}]" in config
    assert "hashFiles('uv.lock')" in cache["with"]["key"]
    assert cache["with"]["restore-keys"].startswith(
        cache["with"]["key"].split("${{ github.sha")[0]
    )


def test_the_build_is_strict_takes_the_site_url_and_uploads_the_site(workflow):
    build = steps(workflow["jobs"]["build"])
    (make,) = [s for s in build if s.get("run", "").startswith("make build")]
    assert (
        "SITE_URL=" in make["run"]
        and "steps.pages.outputs.base_url" in make["env"]["SITE_URL"]
    )
    assert {"REPO_URL", "EDIT_URI"} <= make["env"].keys()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "build --strict" in makefile.replace("-f $(CONFIG) ", "")
    (upload,) = [s for s in build if "upload-pages-artifact@" in s.get("uses", "")]
    assert upload["with"]["path"] == "site"
    assert "site_dir" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["permissions"] == {}
