"""The engine type-checks: mypy, as ``make lint`` runs it, finds no error in
snippet_exec/ (configured in pyproject.toml, ``[tool.mypy]``)."""

import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.lint


def test_mypy_finds_no_error(tmp_path):
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout
