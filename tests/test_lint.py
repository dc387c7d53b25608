"""The code, snippets included, passes ruff's lint and format checks."""

import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.lint


def test_ruff_check():
    ruff = [sys.executable, "-m", "ruff"]
    lint = subprocess.run(
        [*ruff, "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout
    fmt = subprocess.run(
        [*ruff, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout
