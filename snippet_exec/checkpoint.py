"""Save the state of a run after a cell, and restore it to run the next cells.

This is what makes incremental execution possible: when only a later ``# %%`` cell
of a snippet changed, the run starts from the state the unchanged cells left, as
saved after them by an earlier run, instead of from the top. The state is
everything a later cell can see:

- the module's namespace, pickled with cloudpickle; functions (and methods) the
  snippet defined are rebuilt around the restored namespace, so that they see its
  globals as they did;
- the changed matplotlib settings;
- NumPy's and Python's global random states;
- what the worker kept (printed text, figures shown, cell ends, files read).

A checkpoint that cannot be read back (a damaged file) is ``Unreadable``: the
worker then runs the snippet in full, and the engine deletes the file.

Whatever cannot be pickled (a generator, an open file) makes ``save`` fail with
the reason, and so does a figure still open between two cells: an unpickled
matplotlib figure is not the same figure (some of its transforms keep the old
figure's resolution, which shifted tick labels in a test), so it would not render
byte for byte as in a full run. The engine then runs the snippet in full.

A pickle is code: these files are written and read only in the local work folder,
never in a shared cache. Runs in the child only.
"""

from __future__ import annotations

import io
import marshal
import os
import pickle
import random
import types
import warnings
from pathlib import Path
from typing import Any

import cloudpickle
import matplotlib as mpl
import numpy as np
from matplotlib import pyplot as plt

STATE_KEYS = {"namespace", "rc", "numpy_random", "random", "kept"}
SKIPPED = {"__builtins__", "__loader__", "__spec__", "__cached__"}
_target: dict[str, Any] = {}
"""The namespace that functions are rebuilt into while a checkpoint loads."""


def _make_function(code: bytes, name: str, cells: int) -> types.FunctionType:
    closure = tuple(types.CellType() for _ in range(cells)) or None
    return types.FunctionType(marshal.loads(code), _target, name, None, closure)


def _set_function_state(function: types.FunctionType, state: dict[str, Any]) -> None:
    for cell, (full, value) in zip(
        function.__closure__ or (), state.pop("cells"), strict=True
    ):
        if full:
            cell.cell_contents = value
    for name, value in state.items():
        setattr(function, name, value)


class _Pickler(cloudpickle.Pickler):
    """cloudpickle, but a function of the snippet is saved with a reference to the
    namespace rather than a copy of the globals it uses."""

    def __init__(self, file: io.BytesIO, namespace: dict[str, Any]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.namespace = namespace

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, types.FunctionType) and obj.__globals__ is self.namespace:
            cells = [
                (True, cell.cell_contents) if _full(cell) else (False, None)
                for cell in obj.__closure__ or ()
            ]
            state = {
                "__defaults__": obj.__defaults__,
                "__kwdefaults__": obj.__kwdefaults__,
                "__dict__": obj.__dict__,
                "__annotations__": obj.__annotations__,
                "__qualname__": obj.__qualname__,
                "__module__": obj.__module__,
                "__doc__": obj.__doc__,
                "cells": cells,
            }
            arguments = (marshal.dumps(obj.__code__), obj.__name__, len(cells))
            return _make_function, arguments, state, None, None, _set_function_state
        return super().reducer_override(obj)


def _full(cell: types.CellType) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


def save(path: Path, namespace: dict[str, Any], kept: dict[str, Any]) -> str:
    """Write the state to ``path``; return "saved", or why it could not be."""
    if plt.get_fignums():
        return "a figure is still open; matplotlib does not restore figures exactly"
    defaults = mpl.rcParamsDefault
    state = {
        "namespace": {k: v for k, v in namespace.items() if k not in SKIPPED},
        "rc": {k: v for k, v in mpl.rcParams.items() if v != defaults.get(k)},
        "numpy_random": np.random.get_state(),
        "random": random.getstate(),
        "kept": kept,
    }
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, namespace).dump(state)
    except Exception as error:  # anything unpicklable: say what
        return f"{type(error).__name__}: {error}"
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(buffer.getvalue())
    partial.replace(path)
    return "saved"


class Unreadable(Exception):
    """A checkpoint that cannot be read (damaged, truncated, or of objects that no
    longer unpickle): ``restore`` changed nothing, and the run goes in full."""


def restore(path: Path, namespace: dict[str, Any]) -> dict[str, Any]:
    """Load the state saved at ``path`` into ``namespace`` and the libraries; return
    what the worker kept. Raises ``Unreadable``, having changed nothing, if the
    file cannot be read as a state."""
    global _target
    _target = namespace
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:  # a pickle can raise anything; nothing is changed until it loaded
            state = pickle.loads(path.read_bytes())
            if not isinstance(state, dict) or state.keys() != STATE_KEYS:
                raise TypeError("not a state saved by snippet-exec")
        except Exception as error:
            raise Unreadable(f"{type(error).__name__}: {error}") from error
        mpl.rcParams.update(state["rc"])
    namespace.update(state["namespace"])
    np.random.set_state(state["numpy_random"])
    random.setstate(state["random"])
    return state["kept"]
