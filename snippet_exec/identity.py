"""Everything outside the snippet that can change its result, as data for cache keys.

- ``environment()``: the interpreter (version, implementation, OS, machine) and
  every installed distribution with its version, as the environment synced from
  the lock has them.
- ``engine(policy)``: the source of the modules that run inside the child and
  shape a result (``EXECUTION_MODULES``), and of the site's policy module
  (``policy``, found without importing it). The rest of the package (rendering,
  the plugin) can change without invalidating any result: pages are rendered anew
  from cached results on every build.
- ``child_environment()``: the environment variables every run gets, whatever the
  caller's (``FIXED_ENVIRONMENT``, part of the engine's hash): thread counts are set
  here, never inherited.

Each is computed when called, so a long-lived process (``mkdocs serve``) sees an
edit to the engine on its next build; nothing is computed at import.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import os
import platform
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
EXECUTION_MODULES = (
    "alt",
    "backend",
    "checkpoint",
    "contract",
    "errors",
    "figures",
    "layout",
    "result",
    "shared",
    "style",
    "worker",
)
"""The modules the child runs a snippet with; tests check the list is complete."""
DEFAULT_POLICY = "snippet_exec.policy"
"""The site policy module a run gets when the site config names none."""

THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
PASSED_THROUGH = ("PATH", "HOME", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP")
"""Variables a process needs to work at all; none of them changes a result."""


FIXED_ENVIRONMENT = {
    **{name: "1" for name in THREAD_VARIABLES},
    "PYTHONHASHSEED": "0",
    "PYTHONUTF8": "1",
    "PYTHONIOENCODING": "utf-8",
    "LC_ALL": "C.UTF-8",
    "MPLBACKEND": "module://snippet_exec.backend",
}
"""One BLAS thread per run (runs go side by side, one per core), a fixed hash seed
(so the order of a set of strings is the same in every build), UTF-8 text, and the
matplotlib backend that hands figures to the build."""


def child_environment() -> dict[str, str]:
    """The environment of every run: FIXED_ENVIRONMENT, not the caller's, plus the
    few variables in PASSED_THROUGH and the path to this package."""
    environment = {
        name: os.environ[name] for name in PASSED_THROUGH if name in os.environ
    }
    if "PYTHONDONTWRITEBYTECODE" in os.environ:  # speed only
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
    return environment | FIXED_ENVIRONMENT | {"PYTHONPATH": str(PACKAGE_DIR.parent)}


def installed_distributions() -> list[str]:
    """Every distribution on ``sys.path``, as ``name-version`` (dist-info names)."""
    found: set[str] = set()
    for entry in filter(None, sys.path):
        try:
            names = os.listdir(entry)
        except OSError:
            continue
        found.update(
            name.removesuffix(".dist-info")
            for name in names
            if name.endswith(".dist-info")
        )
    return sorted(found)


def environment() -> dict[str, str]:
    """The interpreter and the installed distributions, as a cache key sees them."""
    packages = hashlib.sha256("\n".join(installed_distributions()).encode())
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": platform.system(),
        "machine": platform.machine(),
        "packages": packages.hexdigest(),
    }


def module_file(name: str) -> Path | None:
    """The source file of the module ``name``, found as an import would find it
    but without importing anything (not even its packages); None if not found."""
    path: list[str] | None = None
    spec = None
    for part in name.split("."):
        spec = importlib.machinery.PathFinder.find_spec(part, path)
        if spec is None:
            return None
        path = list(spec.submodule_search_locations or [])
    origin = spec.origin if spec is not None else None
    return Path(origin) if origin and origin.endswith(".py") else None


def engine(policy: str = DEFAULT_POLICY) -> str:
    """A hash of the source of the modules that execute snippets, read now, of the
    site's policy module ``policy`` (and its name), and of the environment
    variables every run gets."""
    digest = hashlib.sha256(json.dumps(FIXED_ENVIRONMENT, sort_keys=True).encode())
    for name in EXECUTION_MODULES:
        digest.update((PACKAGE_DIR / f"{name}.py").read_bytes())
    digest.update(policy.encode())
    found = module_file(policy)
    digest.update(found.read_bytes() if found is not None else b"(not found)")
    return digest.hexdigest()
