"""What runs inside the fresh process that executes one snippet.

The fork server imports this module once (and with it numpy, scikit-learn and
matplotlib, several seconds on a slow machine); every snippet then runs in a fresh
fork of that server. So a snippet pays no import time, and nothing it does (figures,
rcParams, globals, imported modules, random state, working directory) can reach
another snippet.

scikit-learn runs here with its input checks off (``skip_parameter_validation``,
``assume_finite``): they cost about 40 % of each ``partial_fit`` call, the examples'
inner loop, and change no result. The notebook tests run every example in a plain
Jupyter kernel, checks on.
"""

import os

# Blocks run side by side, one per core: one BLAS thread each avoids oversubscription.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
os.environ["MPLBACKEND"] = "module://snippet_exec.backend"

import ast  # noqa: E402
import bisect  # noqa: E402
import contextlib  # noqa: E402
import io  # noqa: E402
import linecache  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import types  # noqa: E402
import warnings  # noqa: E402
from multiprocessing.connection import Connection  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import matplotlib  # noqa: E402

matplotlib.use("module://snippet_exec.backend")

# Preloaded for speed only: the examples' heavy imports, done once in the server.
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import sklearn.datasets  # noqa: E402
import sklearn.model_selection  # noqa: E402
import sklearn.neural_network  # noqa: E402
import sklearn.preprocessing  # noqa: E402

from snippet_exec import backend, figures  # noqa: E402
from snippet_exec.output import FIGURE_MARK, cell_starts  # noqa: E402

MAX_VALUE_SIZE = 100_000


def _run_cells(
    code: str, filename: str, namespace: dict, stdout: io.StringIO
) -> list[int]:
    """Execute ``code`` cell by cell; return the output's length after each cell.

    One module split by ``# %%`` lines: line numbers (and so tracebacks) are the
    file's own, and the outputs can be placed under the cell that made them.
    """
    tree = ast.parse(code, filename)
    starts = cell_starts(code)
    groups: list[list[ast.stmt]] = [[] for _ in starts]
    for statement in tree.body:
        groups[bisect.bisect_right(starts, statement.lineno) - 1].append(statement)
    ends = []
    for group in groups:
        module = ast.Module(body=group, type_ignores=[])
        exec(compile(module, filename, "exec"), namespace)
        ends.append(len(stdout.getvalue()))
    return ends


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data if it is a number, string or numbers; else None."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return value.item()
    if isinstance(value, list | tuple | np.ndarray):
        try:
            array = np.asarray(value)
        except ValueError:  # ragged: lists of different lengths
            return None
        if array.dtype.kind in "biuf" and array.size <= MAX_VALUE_SIZE:
            return array.tolist()
    return None


def _results(namespace: dict[str, Any]) -> dict[str, Any]:
    """The snippet's public module-level results that are plain data."""
    values = {}
    for name, value in namespace.items():
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        plain = _plain(value)
        if plain is not None:
            values[name] = plain
    return values


def _format_error(error: BaseException) -> str:
    """The traceback without this module's own frames."""
    if isinstance(error, SystemExit):
        return f"the snippet exited the interpreter (SystemExit: {error.code!r})"
    trace = traceback.TracebackException.from_exception(error)
    trace.stack = traceback.StackSummary.from_list(
        [frame for frame in trace.stack if frame.filename != __file__]
    )
    return "".join(trace.format()).rstrip()


def execute(code: str, filename: str, id_prefix: str) -> dict[str, Any]:
    """Run ``code`` as the ``__main__`` module of a script at ``filename``."""
    captured: list[dict[str, Any]] = []
    stdout = io.StringIO()

    def capture(figure: matplotlib.figure.Figure) -> None:
        captured.append(figures.describe(figure, f"{id_prefix}-{len(captured)}"))
        stdout.write("\n\n" + FIGURE_MARK.format(len(captured) - 1) + "\n\n")

    backend.capture = capture
    figures.apply_style()
    sklearn.set_config(skip_parameter_validation=True, assume_finite=True)
    module = types.ModuleType("__main__")
    module.__file__ = filename
    sys.modules["__main__"] = module
    sys.path.insert(0, str(Path(filename).parent))
    sys.argv = [filename]
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    workdir = tempfile.mkdtemp(prefix="snippet-exec-")
    os.chdir(workdir)
    error = None
    cell_ends: list[int] = []
    start = time.perf_counter()
    with (
        warnings.catch_warnings(record=True) as caught,
        contextlib.redirect_stdout(stdout),
    ):
        warnings.simplefilter("default")
        try:
            cell_ends = _run_cells(code, filename, module.__dict__, stdout)
            backend.show()  # figures the snippet left open
            cell_ends[-1] = len(stdout.getvalue())
        except BaseException as exc:  # a snippet may raise anything, SystemExit too
            error = _format_error(exc)
    seconds = time.perf_counter() - start
    shutil.rmtree(workdir, ignore_errors=True)
    return {
        "markdown": stdout.getvalue(),
        "figures": captured,
        "values": _results(module.__dict__),
        "warnings": [
            f"{Path(w.filename).name}:{w.lineno}: {w.category.__name__}: {w.message}"
            for w in caught
        ],
        "error": error,
        "seconds": seconds,
        "cell_ends": cell_ends,
    }


def run(connection: Connection, code: str, filename: str, id_prefix: str) -> None:
    """Process entry point: execute, send the result to the parent, close."""
    try:
        result = execute(code, filename, id_prefix)
    except Exception:  # a fault here, not in the snippet: report it, don't just die
        result = {"error": f"snippet-exec itself failed:\n{traceback.format_exc()}"}
    plt.close("all")
    connection.send(result)
    connection.close()
