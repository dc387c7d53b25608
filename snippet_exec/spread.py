"""How a block shows its variants: a table of numbers, and a band on its figure.

A block that varies its snippet (``vary="SEED: 0..9"``) shows the run of the
snippet as written, and, from the variants' module-level values:

- ``spread="best_epoch: Best epoch"``: a table with the value of the run the text
  describes (the snippet as written) and the median, lowest and highest over the
  variants, under a sentence that says what was varied, and every variant's values
  in a folded table below it;
- ``band="val_loss: Validation loss"``: on the first figure, the range of the
  variants' ``val_loss`` shaded around the line labelled "Validation loss", drawn
  into the SVG at render time from the figure's mapping of data to drawing
  (``figures.explore``), thinned to one point per half unit of the drawing; the
  caption and the alt text say what it shows, in numbers.

What was varied is said in a reader's words: each constant by its control's label
when the block has one ("one per seed of the initial weights (0 to 4)"), else by
its name ("one per value of SEED (0 to 4)").

Everything here reads results; nothing runs. Kept free of heavy imports.
"""

from __future__ import annotations

import html
import math
import re
import statistics
from typing import Any

from snippet_exec import whatif
from snippet_exec.options import OptionError
from snippet_exec.shared import number
from snippet_exec.style import band_alpha
from snippet_exec.variants import defaults


def _values(values: tuple[Any, ...]) -> str:
    """``0 to 9`` for a run of whole numbers, ``0.1, 0.3 and 1`` otherwise."""
    whole = all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    consecutive = whole and list(values) == list(range(values[0], values[-1] + 1))
    if consecutive and len(values) > 2:
        return f"{values[0]} to {values[-1]}"
    said = [repr(v) for v in values]
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"


def _reader(label: str) -> str:
    """A control's label inside a sentence: "Seed of the split" as "seed of the
    split" (but "SGD steps" stays as it is)."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def describe(
    vary: tuple[tuple[str, tuple[Any, ...]], ...], labels: dict[str, str] | None = None
) -> str:
    """What a block's vary option varies, in words: ``one per value of SEED (0 to
    9)``, ``one per learning rate (0.1 and 1)`` when ``labels`` names the constant,
    ``one per combination of ... and ...`` for several."""
    labels = labels or {}
    parts = []
    for name, values in vary:
        said = _reader(labels[name]) if name in labels else f"value of {name}"
        # "seed (initial weights, batch order; 0 to 4)", not two brackets in a row
        if said.endswith(")"):
            parts.append(f"{said[:-1]}; {_values(values)})")
        else:
            parts.append(f"{said} ({_values(values)})")
    if len(parts) == 1:
        return f"one per {parts[0]}"
    parts = [part.removeprefix("value of ") for part in parts]
    return f"one per combination of {', '.join(parts[:-1])} and {parts[-1]}"


def _scalar(values: dict[str, Any], name: str, where: str) -> float:
    value = values.get(name)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise OptionError(f"spread: {name} is not a number in {where}")
    return value


def table(
    shown: dict[str, Any],
    variants: list[tuple[dict[str, Any], dict[str, Any]]],
    spread: tuple[tuple[str, str], ...],
    vary: tuple[tuple[str, tuple[Any, ...]], ...],
    defaults: dict[str, Any],
    labels: dict[str, str] | None = None,
) -> str:
    """The spread of the numbers ``spread`` names over the ``variants`` (each its
    constants and its module-level values), beside the ``shown`` run's (the run
    the text describes, whose constants are ``defaults``); ``labels``: the readers'
    names of the constants, where the block has them."""
    labels = labels or {}
    setting = "; ".join(f"{k} = {v!r}" for k, v in defaults.items())
    header = (
        f"<p>Over {len(variants)} runs, {html.escape(describe(vary, labels))}: the "
        "median, lowest and highest of each number, beside the run the text "
        "describes" + (f" ({html.escape(setting)})" if setting else "") + ".</p>"
    )
    rows = []
    for name, label in spread:
        numbers = [
            _scalar(values, name, f"the run with {constants}")
            for constants, values in variants
        ]
        cells = [
            _scalar(shown, name, "the run shown"),
            statistics.median(numbers),
            min(numbers),
            max(numbers),
        ]
        rows.append(
            f"<tr><td>{html.escape(label)}</td>"
            + "".join(f"<td>{number(cell)}</td>" for cell in cells)
            + "</tr>"
        )
    names = [name for name, _ in vary]
    every = [
        "<tr>"
        + "".join(f"<td>{html.escape(repr(constants[n]))}</td>" for n in names)
        + "".join(f"<td>{number(values[name])}</td>" for name, _ in spread)
        + "</tr>"
        for constants, values in variants
    ]
    every_header = "".join(
        f"<th>{html.escape(labels[n])}</th>"
        if n in labels
        else f"<th><code>{n}</code></th>"
        for n in names
    ) + "".join(f"<th>{html.escape(label)}</th>" for _, label in spread)
    return (
        f'<div class="snippet-exec-spread">{header}'
        "<table><thead><tr><th></th><th>Run in the text</th><th>Median</th>"
        "<th>Lowest</th><th>Highest</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table><details><summary>Each run's numbers</summary>"
        "<table><thead><tr>"
        + every_header
        + "</tr></thead><tbody>"
        + "".join(every)
        + "</tbody></table></details></div>"
    )


def _axis(axis: dict[str, Any]):
    log = axis["scale"] == "log"
    f = math.log10 if log else float
    (d0, d1), (s0, s1) = [f(v) for v in axis["data"]], axis["svg"]

    def to_svg(value: float) -> float | None:
        if log and value <= 0:
            return None
        return s0 + (f(value) - d0) / (d1 - d0) * (s1 - s0)

    return to_svg


def band(
    figure: dict[str, Any],
    x: list[float],
    arrays: list[list[float]],
    label: str,
    runs: str,
) -> dict[str, Any]:
    """``figure`` with the range of ``arrays`` (over ``x``) shaded around its line
    ``label``. ``runs`` says which runs they come from, for the caption and alt
    text."""
    explore = figure.get("explore")
    if not explore:
        raise OptionError("band: the first figure has no labelled line to shade")
    lines = {line["label"]: line for line in explore["lines"]}
    if label not in lines:
        known = ", ".join(repr(name) for name in lines)
        raise OptionError(f"band: the first figure has no line {label!r} ({known})")
    if any(len(array) != len(x) for array in arrays):
        raise OptionError(f"band: the arrays do not all have the {len(x)} points of x")
    finite = [
        [v for v in column if v is not None and math.isfinite(v)]
        for column in zip(*arrays, strict=True)
    ]
    lows = [min(c) if c else None for c in finite]
    highs = [max(c) if c else None for c in finite]
    to_x, to_y = _axis(explore["mapping"]["x"]), _axis(explore["mapping"]["y"])
    start = explore["mapping"]["x"]["svg"][0]
    buckets: dict[int, list[float]] = {}
    for xi, low, high in zip(x, lows, highs, strict=True):
        sx = to_x(xi)
        if sx is None or low is None or (sy_low := to_y(low)) is None:
            continue
        sy_high = to_y(high)
        key = int(abs(sx - start) * 2)  # two points per unit of the drawing
        top, bottom = min(sy_low, sy_high), max(sy_low, sy_high)
        if key in buckets:
            bucket = buckets[key]
            bucket[1], bucket[2] = min(bucket[1], top), max(bucket[2], bottom)
        else:
            buckets[key] = [sx, top, bottom]
    points = list(buckets.values())
    if len(points) < 2:
        raise OptionError("band: fewer than two points fall on the figure")
    upper = " L ".join(f"{p[0]:.1f} {p[1]:.1f}" for p in points)
    lower = " L ".join(f"{p[0]:.1f} {p[2]:.1f}" for p in reversed(points))
    line = lines[label]
    svg = figure["svg"]
    gid = re.escape(line["gid"])
    group = re.search(rf'<g id="[^"]*{gid}">\s*<path[^>]*?(clip-path="[^"]*")', svg)
    clip = group[1] if group else ""
    first = re.search(r'<g id="[^"]*axes0-line0">', svg)
    shade = (
        f'<path class="snippet-exec-band" d="M {upper} L {lower} Z" '
        f'fill="{line["colour"]}" fill-opacity="{band_alpha(line["colour"])}" '
        f'stroke="none" {clip}/>\n'
    )
    at = first.start() if first else svg.rindex("</svg>")
    minima = [
        min((v, i) for i, v in enumerate(array) if v is not None) for array in arrays
    ]
    lowest = sorted(v for v, _ in minima)
    where = sorted(x[i] for _, i in minima)
    xname = (explore.get("xlabel") or "x").lower()
    said = (
        f" Shaded: the range of {label} over {runs}; the lowest {label.lower()} of "
        f"each run is between {number(lowest[0])} and {number(lowest[-1])}, reached "
        f"between {xname} {number(where[0])} and {xname} {number(where[-1])}."
    )
    return figure | {
        "svg": svg[:at] + shade + svg[at:],
        "alt": figure["alt"] + said,
        "caption": (figure["caption"] or "").rstrip(".")
        + f". Shaded: the range over {runs}.",
    }


def show(
    options: Any,
    code: str,
    results: list[Any],
    constants: list[dict[str, Any]],
    run: int = 0,
) -> tuple[list[dict[str, Any]], str]:
    """What a varied block shows beyond its run: the figures of run ``run`` (the
    first with the band, if asked for) and the HTML to put after the block (the
    spread table). ``results`` and ``constants``: the run as written first, then
    each variant."""
    shown = results[0]
    figures = list(results[run].figures)
    if not options.vary:
        return figures, ""
    names = [name for name, _ in options.vary]
    labels = whatif.labels(options.control, names)[1] if options.control else {}
    runs = f"{len(results) - 1} runs, {describe(options.vary, labels)}"
    if options.band:
        x_name, name, label = options.band
        arrays = [r.values.get(name) for r in results[1:]]
        x = results[run].values.get(x_name)
        if not all(isinstance(a, list) for a in [x, *arrays]):
            raise OptionError(
                f"band: {x_name} or {name} is not a list of numbers in every run"
            )
        if not figures:
            raise OptionError("band: the snippet shows no figure")
        figures[0] = band(figures[0], x, arrays, label, runs)
    extra = ""
    if options.spread:
        variants = list(
            zip(constants[1:], (r.values for r in results[1:]), strict=True)
        )
        extra = table(
            shown.values,
            variants,
            options.spread,
            options.vary,
            defaults(code, names),
            labels,
        )
    return figures, extra
