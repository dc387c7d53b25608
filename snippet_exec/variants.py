"""Variants of a snippet: the same script with some module-level constants changed.

A block with ``vary="SEED: 0..4; LEARNING_RATE: 0.001, 0.01"`` runs its snippet
once as written and once for every combination of those values. Each variant is
the plain script with the constants' values replaced in its text (``NUM_EPOCHS =
5000`` becomes ``NUM_EPOCHS = 50``), every other line unchanged, so that line
numbers in errors stay the snippet's; it is cached and run like any other code.
"""

from __future__ import annotations

import ast
import functools
import itertools
from typing import Any

from snippet_exec.options import OptionError


def constants(code: str) -> dict[str, ast.Assign]:
    """The module-level assignments ``NAME = value`` of names in capitals."""
    return dict(_constants(code))


@functools.lru_cache(maxsize=512)  # every build asks again of the same snippets
def _constants(code: str) -> dict[str, ast.Assign]:
    found: dict[str, ast.Assign] = {}
    twice = set()
    for node in ast.parse(code).body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id.isupper()
        ):
            name = node.targets[0].id
            if name in found:
                twice.add(name)
            found[name] = node
    return {name: node for name, node in found.items() if name not in twice}


def substitute(code: str, values: dict[str, Any]) -> str:
    """``code`` with each constant of ``values`` assigned that value instead."""
    assignments = constants(code)
    lines = code.splitlines(keepends=True)
    for name, value in sorted(
        values.items(), key=lambda item: -assignments[item[0]].value.lineno
    ):
        node = assignments[name].value
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        start = lines[first][: node.col_offset]
        end = lines[last][node.end_col_offset :]
        padding = "\n" * (last - first)  # keeps the line numbers below
        lines[first : last + 1] = [start + repr(value) + padding + end]
    return "".join(lines)


def expand(
    code: str, name: str, vary: tuple[tuple[str, tuple[Any, ...]], ...]
) -> list[dict[str, Any]]:
    """Every combination of the values of ``vary``, checked against ``code``."""
    known = constants(code)
    for constant, _ in vary:
        if constant not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise OptionError(
                f"vary: {constant} is not a module-level constant of {name} "
                f"(assigned once, at the top level; it has: {listed})"
            )
    names = [constant for constant, _ in vary]
    return [
        dict(zip(names, combination, strict=True))
        for combination in itertools.product(*(values for _, values in vary))
    ]


def defaults(code: str, names: list[str]) -> dict[str, Any]:
    """The values the snippet itself gives the constants ``names`` (literals only)."""
    known = constants(code)
    found = {}
    for name in names:
        try:
            found[name] = ast.literal_eval(known[name].value)
        except (KeyError, ValueError, SyntaxError):
            continue
    return found
