"""What one run of a snippet produced, and the check it passes before it is used.

A result comes from a child process (a fresh run) or from the cache (an earlier
run, possibly another machine's), as ``contract.RunData``. Either way it is data
that ends up in a page, so ``problems`` looks at it before it is cached or
published: the types of every field, that the text is valid Unicode without
control characters, and that it fits the size limits. A result that fails the
check is a failed run when it was just made, and a miss when it was read from the
cache. Kept free of heavy imports: both the MkDocs process and the child use it.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any, cast

from snippet_exec.contract import LimitsData, RunData

# C0 and C1 control characters except tab and newline: they would reach the HTML
# raw (NUL, ESC sequences from coloured output) and mean nothing on a page.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Limits:
    """How much one run may print, draw and use. Exceeding one fails the block."""

    output_kb: int = 256
    """Printed text, in KB (UTF-8)."""
    figure_kb: int = 1024
    """One figure's SVG, in KB."""
    explore_kb: int = 128
    """One figure's data for exploring, in KB of JSON."""
    result_kb: int = 4096
    """The whole result as stored (text, figures with their PNGs, data, values),
    in KB of JSON: what a cache entry and a page hold of one run."""
    memory_mb: int = 4096
    """Address space of the run's process, in MB."""

    def raised(self, limits: tuple[tuple[str, int], ...]) -> Limits:
        """These limits with a block's own (``options.BlockOptions.limits``)."""
        return replace(self, **dict(limits)) if limits else self

    def to_json(self) -> LimitsData:
        return {
            "output_kb": self.output_kb,
            "figure_kb": self.figure_kb,
            "explore_kb": self.explore_kb,
            "result_kb": self.result_kb,
            "memory_mb": self.memory_mb,
        }


@dataclass
class Result:
    """What one execution of a snippet produced."""

    markdown: str = ""
    """What the snippet printed (Markdown), without figures."""
    figures: list[dict[str, Any]] = field(default_factory=list)
    """Each figure shown, with ``at``: where in ``markdown`` it was shown."""
    values: dict[str, Any] = field(default_factory=dict)
    """Module-level names whose values are plain data (numbers, strings, lists)."""
    problems: list[str] = field(default_factory=list)
    """Warnings, log records at WARNING and above, and stderr output, with lines."""
    error: str | None = None
    """Why the run did not finish, with the snippet's line where there is one."""
    seconds: float = 0.0
    cell_ends: list[int] = field(default_factory=list)
    """``len(markdown)`` after each ``# %%`` cell ran."""
    reads: dict[str, str] = field(default_factory=dict)
    """Files of the project the run read (path from the root: content hash)."""
    outside: list[str] = field(default_factory=list)
    """Files outside the project the run read: no part of the key (a change to
    one is not seen), so the build warns of each."""
    checkpoints: list[str] = field(default_factory=list)
    """For each cell boundary: "saved", or why the state could not be saved."""
    resumed_from: int = 0
    """The number of cells taken from a checkpoint instead of being run."""
    cached: bool = False
    """Read from the cache (not stored)."""
    note: str = ""
    """How the run went, for the build log: resumed, or why in full (not stored)."""
    digest: str = ""
    """A hash of the result as stored (not stored): equal digests, equal results."""
    fault: bool = False
    """``error`` is the engine's fault, not the snippet's (not stored)."""
    elapsed: float = 0.0
    """Seconds this build spent on the run, from its start to its result: for a
    run resumed from a checkpoint, less than ``seconds`` (not stored)."""
    unrestored: str = ""
    """Why the checkpoint to resume from could not be read (not stored)."""

    @property
    def failure(self) -> str | None:
        """Why this result must not be published, or None if it may."""
        if self.error:
            return self.error
        if self.problems:
            return "it reported problems:\n" + "\n".join(self.problems)
        return None

    def to_json(self) -> RunData:
        """The result as stored in the cache (not ``cached``, ``note``, ``digest``,
        ``fault``, ``elapsed``, ``unrestored``), for encoding: its values are the
        result's own, not copies (``dataclasses.asdict`` copied a run's half a
        megabyte of numbers, a tenth of a second a result)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in NOT_STORED:
            del data[name]
        return cast(RunData, data)


NOT_STORED = ("cached", "note", "digest", "fault", "elapsed", "unrestored")
"""What a Result knows of one build only."""

FIELDS: dict[str, type | tuple[type, ...]] = {
    "markdown": str,
    "figures": list,
    "values": dict,
    "problems": list,
    "error": (str, type(None)),
    "seconds": (int, float),
    "cell_ends": list,
    "reads": dict,
    "outside": list,
    "checkpoints": list,
    "resumed_from": int,
}
OPTIONAL_FIELDS: dict[str, type | tuple[type, ...]] = {"fault": bool, "unrestored": str}
"""Fields a fresh run's data may have, which are never stored."""
FIGURE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "svg": str,
    "alt": str,
    "caption": str,
    "axes": list,
    "explore": (dict, type(None)),
    "at": int,
    "png": str,
}


def _kb(text: str) -> float:
    return len(text.encode("utf-8", "surrogatepass")) / 1024


def _text_problem(text: str, what: str) -> str | None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        line = text.count("\n", 0, error.start) + 1
        return f"{what} is not valid Unicode (a lone surrogate on its line {line})"
    if CONTROL.search(text):
        return f"{what} holds control characters"
    return None


def problems(data: Any, limits: Limits) -> list[str]:
    """Why ``data`` (a result as a dict) is not a usable result; empty if it is."""
    if not isinstance(data, dict):
        return [f"a result must be a JSON object, not {type(data).__name__}"]
    found = []
    missing = FIELDS.keys() - data.keys()
    if missing:
        found.append(f"fields missing: {', '.join(sorted(missing))}")
    unknown = data.keys() - FIELDS.keys() - OPTIONAL_FIELDS.keys()
    if unknown:
        found.append(f"unknown fields: {', '.join(sorted(unknown))}")
    for name, kind in (FIELDS | OPTIONAL_FIELDS).items():
        if name in data and not isinstance(data[name], kind):
            found.append(f"{name} is a {type(data[name]).__name__}")
    if found:
        return found
    for name in ("markdown", "error"):
        if data[name] is not None and (problem := _text_problem(data[name], name)):
            found.append(problem)
    if _kb(data["markdown"]) > limits.output_kb:
        found.append(
            f"it printed {_kb(data['markdown']):,.0f} KB, more than the limit of "
            f"{limits.output_kb:,} KB ({_raise('output_kb', _kb(data['markdown']))})"
        )
    if not all(isinstance(item, str) for item in data["problems"]):
        found.append("problems must be strings")
    ends = data["cell_ends"]
    if not all(isinstance(end, int) for end in ends) or ends != sorted(ends):
        found.append("cell_ends must be increasing offsets")
    elif ends and ends[-1] > len(data["markdown"]):
        found.append("cell_ends point past the printed text")
    for number, figure in enumerate(data["figures"], start=1):
        found.extend(f"figure {number}: {p}" for p in _figure_problems(figure, limits))
    try:  # one encoding for both checks: the values are most of a result's bytes
        size = len(json.dumps(data, allow_nan=True).encode("utf-8", "replace")) / 1024
    except (TypeError, ValueError) as error:
        found.append(f"values are not plain data: {error}")
    else:
        if size > limits.result_kb:
            found.append(
                f"its whole result is {size:,.0f} KB, more than the limit of "
                f"{limits.result_kb:,} KB (result_kb)"
            )
    if not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data["reads"].items()
    ):
        found.append("reads must map paths to hashes")
    return found


def _figure_problems(figure: Any, limits: Limits) -> list[str]:
    if not isinstance(figure, dict):
        return ["not an object"]
    found = [
        f"{name} missing or not a {kind}"
        for name, kind in FIGURE_FIELDS.items()
        if not isinstance(figure.get(name), kind)
    ]
    if found:
        return found
    for name in ("svg", "alt", "caption"):
        if problem := _text_problem(figure[name], name):
            found.append(problem)
    if "data" in figure and not isinstance(figure["data"], str):
        found.append("data is not a string")
    elif problem := _text_problem(figure.get("data", ""), "data"):
        found.append(problem)
    if not figure["svg"].startswith("<svg"):
        found.append("svg is not an SVG element")
    if _kb(figure["svg"]) > limits.figure_kb:
        found.append(
            f"its SVG is {_kb(figure['svg']):,.0f} KB, more than the limit of "
            f"{limits.figure_kb:,} KB ({_raise('figure_kb', _kb(figure['svg']))})"
        )
    if figure["explore"] is not None:
        size = len(json.dumps(figure["explore"])) / 1024
        if size > limits.explore_kb:
            found.append(
                f"its data for exploring is {size:,.0f} KB, more than the limit of "
                f"{limits.explore_kb:,} KB ({_raise('explore_kb', size)})"
            )
    return found


def _raise(limit: str, size: float) -> str:
    """How an error names a limit: the site's setting, and the block option that
    raises it for one block (to the next 256 KB above ``size``)."""
    enough = (int(size) // 256 + 1) * 256
    return f'{limit}; raise it for this block with {limit}="{enough}"'


def clean(text: str) -> str:
    """``text`` without control characters (tab and newline are kept)."""
    return CONTROL.sub("", text)


def clean_offsets(text: str, offsets: list[int]) -> list[int]:
    """Where ``offsets`` into ``text`` fall in ``clean(text)``."""
    removed = [match.start() for match in CONTROL.finditer(text)]
    return [offset - bisect.bisect_left(removed, offset) for offset in offsets]


def from_json(data: Any, limits: Limits) -> Result | None:
    """A Result from a run's data (``contract.RunData``), or None if the data is
    not a usable result."""
    if problems(data, limits):
        return None
    return Result(**data)
