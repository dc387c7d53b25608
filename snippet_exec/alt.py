"""What a figure says in words: its caption, and alt text that tells its shape.

A reader who cannot see a figure should learn from its alt text what one who can
sees at a glance, in numbers: where each line starts and ends, where it is lowest
and highest, the peaks and troughs that stand out from its noise, where it is flat,
where two lines cross; for an image, a mesh or contours, the range of values and
where they are high or low. Shapes are judged as drawn (on a log axis, in
decades), values are given as the data has them, and mathtext (``$\\alpha$``,
``$10^{3}$``) is read as words and numbers, never as LaTeX.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from snippet_exec.shared import number

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

PROMINENCE = 0.2
"""A peak or trough is told when it stands out by this share of the line's range,
as drawn: less is noise."""
MAX_EXTREMES = 4
"""At most this many peaks and troughs per line besides its lowest and highest."""
FLAT = 0.03
"""A stretch is flat while it stays within this share of the line's range..."""
FLAT_SPAN = 0.25
"""...over at least this share of the axes' width."""
MAX_CROSSINGS = 3
"""Two lines that cross more often than this are said to cross so many times."""

# -- mathtext as words -----------------------------------------------------------------

GREEK = (  # noqa: SIM905 - a list of words reads better as words
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa "
    "lambda mu nu xi omicron pi rho sigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
).split()
SYMBOLS = {
    "times": "\N{MULTIPLICATION SIGN}",
    "cdot": "·",
    "pm": "±",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "sim": "~",
    "to": "→",
    "rightarrow": "→",
    "infty": "infinity",
    "sum": "sum",
    "log": "log",
    "exp": "exp",
    "ell": "l",
    "degree": "°",
    "circ": "°",
    "%": "%",
    "$": "$",
}
FONTS = (
    r"\\(?:mathdefault|mathrm|mathbf|mathit|mathsf|mathtt|mathcal|text|operatorname)"
)


def words(text: str) -> str:
    """``text`` with its mathtext (``$...$``, as matplotlib finds it) read out:
    Greek letters by name, ``10^{3}`` as 1,000, ``2\\times10^{3}`` as 2,000,
    other powers and indices as ``R^2`` and ``x_1``, fractions as ``a/b``; on one
    line."""
    dollars = text.count("$") - text.count(r"\$")
    if dollars == 0 or dollars % 2:
        return " ".join(text.replace(r"\$", "$").split())
    parts = re.split(r"(?<!\\)\$", text)
    said = "".join(_math(part) if i % 2 else part for i, part in enumerate(parts))
    return re.sub(r"\s+", " ", said.replace(r"\$", "$")).strip()


POWER = re.compile(
    r"(?:(\d+(?:\.\d+)?)\s*(?:\\times|\\cdot|\N{MULTIPLICATION SIGN})\s*)?"
    r"10\^\{?([-\N{MINUS SIGN}]?\d+)\}?"
)
"""A power of ten, perhaps times a factor: ``10^{3}``, ``2\\times10^{-3}``."""


def _math(tex: str) -> str:
    tex = re.sub(FONTS + r"\{((?:[^{}]|\{[^{}]*\})*)\}", r"\1", tex)
    tex = re.sub(r"\\[,;:! ]|~", " ", tex)
    tex = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"\1/\2", tex)
    tex = re.sub(r"\\sqrt\{([^{}]*)\}", r"square root of \1", tex)

    tex = POWER.sub(_power, tex)
    tex = re.sub(r"\\([A-Za-z]+|[%$])", _command, tex)
    tex = re.sub(r"\s*([\^_])\{([^{}]*)\}", r"\1\2", tex)
    tex = re.sub(r"\s+([\^_])", r"\1", tex)  # sigma^2, not "sigma ^2"
    tex = re.sub(r"([(\[])\s+|\s+([)\]])", r"\1\2", tex)  # "(1,000)", not "( 1,000 )"
    return tex.replace("{", "").replace("}", "").replace("\N{MINUS SIGN}", "-")


def _power(match: re.Match[str]) -> str:
    """``2\\times10^{3}`` as 2,000, ``10^{-2}`` as 0.01 (when not too far)."""
    factor = float(match[1]) if match[1] else 1.0
    exponent = int(match[2].replace("\N{MINUS SIGN}", "-"))
    if -6 <= exponent <= 15:
        return number(factor * 10.0**exponent)
    return match[0]


def _command(match: re.Match[str]) -> str:
    name = match[1]
    if name in GREEK:
        return f" {name} " if name.islower() else f" capital {name.lower()} "
    return f" {SYMBOLS[name]} " if name in SYMBOLS else name


# -- labels and captions ---------------------------------------------------------------


def title(ax: Axes) -> str:
    """The axes' title, wherever it sits (left, centre or right), in words."""
    return words(
        " ".join(t for loc in ("left", "center", "right") if (t := ax.get_title(loc)))
    )


def is_colorbar(ax: Axes) -> bool:
    return hasattr(ax, "_colorbar")


def axes_labels(figure: Figure) -> list[dict[str, str]]:
    """The title and axis labels of each axes of ``figure`` (colour bars excluded);
    panels that share an x axis share its label (``_xlabel``)."""
    return [
        {
            "title": title(ax),
            "xlabel": _xlabel(ax),
            "ylabel": words(ax.get_ylabel()),
        }
        for ax in figure.axes
        if not is_colorbar(ax)
    ]


def caption(figure: Figure) -> str:
    """The figure's title (suptitle, else the titles of its axes), in words."""
    suptitle = figure.get_suptitle() if hasattr(figure, "get_suptitle") else ""
    if suptitle:
        return words(suptitle)
    return "; ".join(t for ax in figure.axes if (t := title(ax)))


def value(value: object) -> str:
    """A data value as prose writes it: numbers by ``number``, others as text
    (a category, a date)."""
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool
    ):
        return number(float(value))
    if isinstance(value, np.datetime64):
        return str(np.datetime_as_string(value, unit="D"))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# -- the shape of a line ---------------------------------------------------------------


def _flat_stretch(shown: np.ndarray, tolerance: float) -> tuple[int, int]:
    """The longest run ``[start, stop]`` of points whose drawn heights stay
    within ``tolerance`` of each other (two pointers and monotonic queues)."""
    from collections import deque

    y = shown[:, 1]
    lows: deque[int] = deque()
    highs: deque[int] = deque()
    best, start = (0, 0), 0
    for stop in range(len(y)):
        while lows and y[lows[-1]] >= y[stop]:
            lows.pop()
        while highs and y[highs[-1]] <= y[stop]:
            highs.pop()
        lows.append(stop)
        highs.append(stop)
        while y[highs[0]] - y[lows[0]] > tolerance:
            start += 1
            while lows[0] < start:
                lows.popleft()
            while highs[0] < start:
                highs.popleft()
        if shown[stop, 0] - shown[start, 0] > shown[best[1], 0] - shown[best[0], 0]:
            best = (start, stop)
    return best


def _shape(line: Line2D, width: float) -> list[tuple[int, str]]:
    """What stands out in ``line`` as drawn, in its points' order: its lowest and
    highest points inside it, prominent peaks and troughs, a flat stretch. Each
    is (index of the point, kind)."""
    from scipy.signal import find_peaks  # type: ignore[import-untyped]

    data = np.asarray(line.get_xydata(), dtype=float).reshape(-1, 2)  # as numbers
    shown = line.get_transform().transform(data)
    finite = np.flatnonzero(np.isfinite(shown).all(axis=1))
    if finite.size < 3:
        return []
    drawn = shown[finite]
    height = np.ptp(drawn[:, 1])
    if height == 0:
        return []
    found: dict[int, str] = {}
    lowest, highest = int(np.argmin(drawn[:, 1])), int(np.argmax(drawn[:, 1]))
    for index, kind in ((lowest, "lowest"), (highest, "highest")):
        if 0 < index < len(drawn) - 1:
            found[index] = kind
    extremes: list[tuple[float, int, str]] = []
    for sign, kind in ((1, "a peak of"), (-1, "a trough of")):
        peaks, props = find_peaks(sign * drawn[:, 1], prominence=PROMINENCE * height)
        kinds = [kind] * len(peaks)
        extremes += zip(props["prominences"], peaks.tolist(), kinds, strict=True)
    for _, index, kind in sorted(extremes, reverse=True)[:MAX_EXTREMES]:
        found.setdefault(index, kind)
    start, stop = _flat_stretch(drawn, FLAT * height)
    if drawn[stop, 0] - drawn[start, 0] >= FLAT_SPAN * width:
        found[start] = f"flat until {stop}"
    return sorted((int(finite[i]), kind) for i, kind in found.items())


def _describe_line(line: Line2D, xname: str, width: float) -> str | None:
    label = words(str(line.get_label()))
    x = list(cast(Any, line.get_xdata(orig=True)))
    y = np.asarray(line.get_xydata(), dtype=float).reshape(-1, 2)[:, 1]
    if label.startswith("_") or not x:
        return None
    if len(x) == 2 and x[0] == x[1]:
        return f"{label}: a vertical line at {xname}{value(x[0])}"
    if len(x) == 2 and y[0] == y[1]:
        return f"{label}: a horizontal line at {number(y[0])}"
    finite = np.flatnonzero(np.isfinite(y))
    if finite.size == 0:
        return f"{label}: no finite values"
    first, last = finite[0], finite[-1]

    scale = float(np.nanmax(np.abs(y[finite])))

    def at(index: int) -> str:
        # Rounding noise (-1.8e-16 where the data is 0) is 0.
        said = y[index] if abs(y[index]) > 1e-12 * scale else 0.0
        return f"{number(said)} at {xname}{value(x[index])}"

    told = [f"{label}: {at(first)}"]
    finite_points = {int(i): n for n, i in enumerate(finite)}
    for index, kind in _shape(line, width):
        if kind.startswith("flat until"):
            stop = int(finite[int(kind.split()[-1])])
            middle = np.median(y[index : stop + 1][np.isfinite(y[index : stop + 1])])
            told.append(
                f"flat at about {number(float(middle))} from {xname}"
                f"{value(x[index])} to {xname}{value(x[stop])}"
            )
        elif index in finite_points:
            told.append(f"{kind} {at(index)}")
    return ", ".join([*told, at(last)])


def _crossings(ax: Axes, xname: str) -> list[str]:
    """Where each two labelled lines of ``ax`` cross, as drawn."""
    lines = []
    for line in ax.get_lines():
        label = str(line.get_label())
        data = np.asarray(line.get_xydata(), dtype=float).reshape(-1, 2)
        x = data[:, 0]
        if label.startswith("_") or len(x) < 2 or np.all(x == x[0]):
            continue
        shown = line.get_transform().transform(data)
        shown = shown[np.isfinite(shown).all(axis=1)]
        shown = shown[np.argsort(shown[:, 0], kind="stable")]
        if len(shown) >= 2:
            lines.append((words(label), shown))
    said = []
    back = ax.transData.inverted()
    for i, (first, a) in enumerate(lines):
        for second, b in lines[i + 1 :]:
            low, high = max(a[0, 0], b[0, 0]), min(a[-1, 0], b[-1, 0])
            if high <= low:
                continue
            grid = np.unique(np.concatenate([a[:, 0], b[:, 0]]))
            grid = grid[(grid >= low) & (grid <= high)]
            gap = np.interp(grid, a[:, 0], a[:, 1]) - np.interp(grid, b[:, 0], b[:, 1])
            apart = np.flatnonzero(gap != 0)  # touching is not crossing
            turns = np.flatnonzero(np.sign(gap[apart[:-1]]) != np.sign(gap[apart[1:]]))
            if not turns.size:
                continue
            before, after = apart[turns], apart[turns + 1]
            g0, g1 = gap[before], gap[after]
            # Between two points on either side: where the straight lines meet, or
            # the middle of the points where the lines touched.
            xs = np.where(
                after - before > 1,
                grid[(before + after) // 2],
                grid[before] + (grid[after] - grid[before]) * g0 / (g0 - g1),
            )
            data = back.transform(np.column_stack([xs, np.zeros_like(xs)]))[:, 0]
            places = [f"{xname}{number(float(v))}" for v in data]
            if len(places) > MAX_CROSSINGS:
                said.append(
                    f"{first} and {second} cross {len(places)} times, first at "
                    f"{places[0]}, last at {places[-1]}"
                )
            else:
                said.append(f"{first} and {second} cross at {' and '.join(places)}")
    return said


# -- images, meshes, contours, points, bars --------------------------------------------


def where(ax: Axes, x: float, y: float) -> str:
    """Where a point in ``ax``'s data coordinates sits in the drawing, in words:
    the top left, the centre, the bottom..."""
    column, row = ax.transAxes.inverted().transform(ax.transData.transform((x, y)))
    across = ("left", "centre", "right")[min(2, max(0, int(column * 3)))]
    up = ("bottom", "middle", "top")[min(2, max(0, int(row * 3)))]
    if (up, across) == ("middle", "centre"):
        return "the centre"
    if up == "middle":
        return f"the {across}"
    if across == "centre":
        return f"the {up}"
    return f"the {up} {across}"


def _range_and_where(
    ax: Axes, values: np.ndarray, xs: np.ndarray, ys: np.ndarray
) -> str:
    """``values`` (at points ``xs``, ``ys``) by their range and where the highest
    and lowest are drawn."""
    finite = np.isfinite(values)
    if not finite.any():
        return "no finite values"
    values, xs, ys = values[finite], xs[finite], ys[finite]
    high, low = int(np.argmax(values)), int(np.argmin(values))
    return (
        f"values from {number(float(values[low]))} to {number(float(values[high]))}, "
        f"highest at {where(ax, xs[high], ys[high])}, "
        f"lowest at {where(ax, xs[low], ys[low])}"
    )


def _describe_image(ax: Axes, image) -> str:
    array: np.ndarray = np.ma.filled(
        np.ma.asarray(image.get_array(), dtype=float), np.nan
    )
    rows, columns = array.shape[:2]
    if array.ndim == 3:
        return f"an image of {columns:,} by {rows:,} pixels"
    left, right, bottom, top = image.get_extent()
    xs = left + (np.arange(columns) + 0.5) * (right - left) / columns
    first, last = (top, bottom) if image.origin == "upper" else (bottom, top)
    ys = first + (np.arange(rows) + 0.5) * (last - first) / rows
    grid_x, grid_y = np.meshgrid(xs, ys)
    told = _range_and_where(ax, array.ravel(), grid_x.ravel(), grid_y.ravel())
    return f"an image of {columns:,} by {rows:,} cells, {told}"


def _describe_mesh(ax: Axes, mesh) -> str:
    values: np.ndarray = np.ma.filled(
        np.ma.asarray(mesh.get_array(), dtype=float), np.nan
    )
    corners = np.asarray(mesh.get_coordinates(), dtype=float)
    centres = (corners[:-1, :-1] + corners[1:, 1:]) / 2
    told = _range_and_where(
        ax, values.ravel(), centres[..., 0].ravel(), centres[..., 1].ravel()
    )
    rows, columns = centres.shape[:2]
    return f"a colour mesh of {columns:,} by {rows:,} cells, {told}"


def places(ax: Axes, xs: np.ndarray, ys: np.ndarray) -> str:
    """Where points (in ``ax``'s data coordinates) mostly lie, in words (``where``):
    each part of the drawing that holds at least ``PLACE_SHARE`` of them, in
    reading order: "the top left and the bottom right" for a saddle, four corners
    for a ring."""
    counts: dict[str, int] = {}
    for x, y in zip(xs, ys, strict=True):
        name = where(ax, float(x), float(y))
        counts[name] = counts.get(name, 0) + 1
    if not counts:
        return ""
    total = sum(counts.values())
    kept = [n for n in READING if counts.get(n, 0) >= PLACE_SHARE * total][:4]
    kept = kept or [max(counts, key=lambda n: counts[n])]
    return kept[0] if len(kept) == 1 else f"{', '.join(kept[:-1])} and {kept[-1]}"


READING = (
    "the top left", "the top", "the top right",
    "the left", "the centre", "the right",
    "the bottom left", "the bottom", "the bottom right",
)  # fmt: skip
"""The parts of a drawing ``where`` names, in reading order."""
PLACE_SHARE = 0.2
"""A part of the drawing is named where at least this share of a band's points lie."""
CONTOUR_STEP_PX = 8
"""Filled contours are sampled every this many CSS pixels, across and up."""


def contour_bands(
    ax: Axes, contours, step_px: float = CONTOUR_STEP_PX
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Filled contours sampled on a grid over them, every ``step_px`` CSS pixels:
    the points (n, 2, in data coordinates), the band each lies in (its index in
    ``contours.get_paths()``; points in none are left out), and the band edges
    (levels, extended ones included: band ``i`` is from edge ``i`` to ``i + 1``)."""
    paths = contours.get_paths()
    edges = np.asarray(getattr(contours, "_levels", contours.levels), dtype=float)
    if len(edges) != len(paths) + 1:
        edges = np.asarray(contours.levels, dtype=float)
    drawn = [p.vertices for p in paths if len(p.vertices)]
    empty = np.zeros((0, 2)), np.zeros(0, dtype=int), edges
    if not drawn or len(edges) != len(paths) + 1:
        return empty
    every = np.concatenate(drawn)
    every = every[np.isfinite(every).all(axis=1)]
    if not len(every):
        return empty
    (x0, y0), (x1, y1) = every.min(axis=0), every.max(axis=0)
    per_px = 96 / cast("Figure", ax.get_figure(root=True)).dpi  # CSS px a pixel
    corners = ax.transData.transform([(x0, y0), (x1, y1)]) * per_px
    across, up = np.abs(corners[1] - corners[0])
    xs = np.linspace(x0, x1, max(2, math.ceil(across / step_px) + 1))
    ys = np.linspace(y0, y1, max(2, math.ceil(up / step_px) + 1))
    grid = np.column_stack([np.tile(xs, len(ys)), np.repeat(ys, len(xs))])
    band = np.full(len(grid), -1)
    for index, path in enumerate(paths):
        if len(path.vertices):
            band[(band < 0) & path.contains_points(grid)] = index
    inside = band >= 0
    return grid[inside], band[inside], edges


def _describe_contours(ax: Axes, contours) -> str:
    kind = "filled contours" if contours.filled else "contour lines"
    levels = np.asarray(contours.levels, dtype=float)
    low, high = float(contours.zmin), float(contours.zmax)
    text = (
        f"{kind} of values from {number(low)} to {number(high)}, {len(levels)} levels"
    )
    if contours.filled:
        points, band, _ = contour_bands(ax, contours)
        if len(band):
            for name, index in (("highest", band.max()), ("lowest", band.min())):
                chosen = points[band == index]
                text += f", {name} at {places(ax, chosen[:, 0], chosen[:, 1])}"
        return text
    drawn = [p.vertices for p in contours.get_paths() if len(p.vertices)]
    for name, vertices in (("highest", drawn[-1:]), ("lowest", drawn[:1])):
        if vertices:
            finite = vertices[0][np.isfinite(vertices[0]).all(axis=1)]
            if len(finite):
                text += f", {name} at {places(ax, finite[:, 0], finite[:, 1])}"
    return text


def _describe_collections(ax: Axes) -> list[str]:
    """Contours, meshes, scatter points and bars (histograms too), images."""
    from matplotlib.collections import PathCollection, QuadMesh
    from matplotlib.contour import ContourSet

    parts = []
    for collection in ax.collections:
        label = words(str(collection.get_label()))
        named = "" if label.startswith("_") else f"{label}: "
        if isinstance(collection, ContourSet):
            parts.append(named + _describe_contours(ax, collection))
        elif isinstance(collection, QuadMesh):
            parts.append(named + _describe_mesh(ax, collection))
        elif isinstance(collection, PathCollection):
            offsets = np.asarray(collection.get_offsets(), dtype=float)
            if offsets.ndim != 2 or not len(offsets):
                continue
            y = offsets[:, 1][np.isfinite(offsets[:, 1])]
            spread = f", from {number(y.min())} to {number(y.max())}" if y.size else ""
            colours = collection.get_array()
            if colours is not None and np.size(colours):
                shades = np.asarray(colours, dtype=float)
                spread += (
                    f", coloured by value from {number(float(np.nanmin(shades)))} "
                    f"to {number(float(np.nanmax(shades)))}"
                )
            parts.append(f"{named}{len(offsets):,} points{spread}")
    for container in ax.containers:
        heights = [patch.get_height() for patch in getattr(container, "patches", [])]
        label = words(str(container.get_label()))
        if heights:
            name = "" if label.startswith("_") else f"{label}: "
            parts.append(
                f"{name}{len(heights):,} bars, from {number(min(heights))} "
                f"to {number(max(heights))} high"
            )
    parts += [_describe_image(ax, image) for image in ax.images]
    return parts


# -- the whole figure ------------------------------------------------------------------


def _xlabel(ax: Axes) -> str:
    """The axes' x label, or that of an axes sharing its x axis (a twin's)."""
    siblings = ax.get_shared_x_axes().get_siblings(ax)
    return words(
        ax.get_xlabel()
        or next((a.get_xlabel() for a in siblings if a.get_xlabel()), "")
    )


def _describe_axes(ax: Axes, number_: int, panels: int) -> str:
    if is_colorbar(ax):
        colorbar = cast(Any, ax)._colorbar
        low, high = colorbar.vmin, colorbar.vmax
        label = words(ax.get_ylabel() or ax.get_xlabel()) or "values"
        return f"A colour scale of {label} from {number(low)} to {number(high)}."
    ax.get_xlim(), ax.get_ylim()  # autoscales, if pending: shapes are as drawn
    parts = []
    shared, ylabel = _xlabel(ax), words(ax.get_ylabel())
    if shared or ylabel:
        scale = " (log scale)" if ax.get_yscale() == "log" else ""
        parts.append(f"{ylabel or 'y'}{scale} against {shared or 'x'}")
    xname = f"{shared.lower()} " if shared else ""
    width = ax.get_window_extent().width
    found = [
        text for line in ax.get_lines() if (text := _describe_line(line, xname, width))
    ]
    found += _crossings(ax, xname)
    found += _describe_collections(ax)
    if found:
        parts.append("; ".join(found))
    if title(ax):
        heading = f"{title(ax)}: "
    elif panels > 1:
        heading = f"Panel {number_} of {panels}: "
    else:
        heading = ""
    return heading + (". ".join(parts) or "nothing drawn") + "."


def alt_text(figure: Figure) -> str:
    """Describe ``figure`` in words and numbers, for readers who cannot see it."""
    panels = [ax for ax in figure.axes if not is_colorbar(ax)]
    return " ".join(
        _describe_axes(ax, panels.index(ax) + 1 if ax in panels else 0, len(panels))
        for ax in figure.axes
    )
