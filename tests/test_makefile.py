"""The Makefile's entry points, as a contributor calls them (``make -n``: nothing
is built): the serve address is a variable, checked before anything is set up."""

from __future__ import annotations

import socket
import subprocess

from conftest import ROOT


def make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-n", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_serve_takes_its_port_from_a_variable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = make("serve", f"PORT={port}")
    assert done.returncode == 0, done.stderr
    assert f"--dev-addr 127.0.0.1:{port} " in done.stdout


def test_a_busy_port_fails_at_once_in_one_line_naming_it_and_the_variable():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = make("serve", f"PORT={port}")
    assert done.returncode != 0
    assert done.stdout == ""  # not even the environment's set-up
    (line,) = done.stderr.splitlines()
    assert f"cannot serve on 127.0.0.1:{port} (" in line
    assert "Address already in use" in line
    assert "make serve PORT=8001" in line


def test_the_fast_tiers_have_targets_of_their_own():
    assert "pytest -m unit" in make("test-fast").stdout
    assert 'pytest -m "unit or engine"' in make("test-engine").stdout
