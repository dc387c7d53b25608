"""Turn a matplotlib figure into what a page shows: SVG, caption and alt text.

The SVG is made to sit inline in a page that has a light and a dark palette: the
background is transparent and everything drawn in black (text, axes, ticks, black
lines) takes the page's text colour (``currentColor``). Lines use a colour-blind
safe cycle whose colours stand out from both palettes' backgrounds. The bytes are
reproducible: a fixed hash salt and no date. Axis labels and lines carry stable ids
(``axes0-xlabel``, ``axes0-line1``) for the browser tests.

The alt text and caption are written from the data, in numbers (``alt``): each
line's start, end, extremes, peaks, troughs and flat stretches, where lines cross,
the range of images and contours and where they are high or low.

``explore`` keeps the data of the first axes' lines and where the axes sit in the
SVG, so a page can let the reader move a marker along them (docs/javascripts/).
"""

from __future__ import annotations

import base64
import csv
import io
import math
import re
from typing import Any, cast

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from snippet_exec import style
from snippet_exec.alt import alt_text, axes_labels, caption
from snippet_exec.shared import shown

# The four colours of Okabe & Ito's palette (safe for the common forms of colour
# blindness) that contrast at least 3:1 with white and with Material's dark slate
# background alike; its orange, sky blue and yellow fail on white. The site style
# (style.PALETTE) adds two more.
COLOUR_CYCLE = list(style.PALETTE[:4])

STYLE: dict[Any, Any] = {
    "axes.prop_cycle": cycler(color=COLOUR_CYCLE),
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "legend.facecolor": "none",
    "legend.edgecolor": "#808080",
    "grid.color": "#808080",
    "grid.alpha": 0.35,
    "svg.hashsalt": "epochs",
    "svg.fonttype": "path",
    # The snippets draw figures 5 inches wide (480 px on a page), shown as narrow as
    # 360 px on a phone: text at 12 to 13 points stays 8 px tall or more there.
    "font.size": 13,
    "legend.fontsize": 12,
    "legend.title_fontsize": 12,
}


def apply_style() -> None:
    """Set the site's figure style in this process's rcParams."""
    mpl.rcParams.update(STYLE)


SVG_DPI = 72
"""Matplotlib's SVG unit is the point: 72 to the inch, whatever the figure's dpi."""


def tight_bbox(figure: Figure) -> Bbox:
    """The part of ``figure`` that ``bbox_inches="tight"`` saves, in inches."""
    figure.draw_without_rendering()  # lays the figure out, as savefig does first
    renderer = cast(Any, figure.canvas).get_renderer()  # Agg's, under our backend
    return figure.get_tightbbox(renderer).padded(mpl.rcParams["savefig.pad_inches"])


def to_svg(figure: Figure, id_prefix: str, bbox: Bbox | None = None) -> str:
    """Render ``figure`` as an inline SVG element whose ids start with ``id_prefix``.

    ``bbox`` is the part of the figure to save, in inches (default: tight).
    """
    for index, ax in enumerate(figure.axes):
        ax.xaxis.label.set_gid(f"axes{index}-xlabel")
        ax.yaxis.label.set_gid(f"axes{index}-ylabel")
        for line_number, line in enumerate(ax.get_lines()):
            line.set_gid(f"axes{index}-line{line_number}")
    buffer = io.StringIO()
    figure.savefig(
        buffer,
        format="svg",
        metadata={"Date": None},
        bbox_inches=bbox or tight_bbox(figure),
    )
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # Text drawn in black has no fill of its own: make the default currentColor too.
    svg = svg.replace("<svg ", '<svg fill="currentColor" ', 1)
    # Drop the metadata, and the global ``*{...}`` style that would leak into the page
    # (extra.css sets the same rule for figures only).
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r"\s*<defs>\s*<style[^>]*>[^<]*</style>\s*</defs>", "", svg)
    svg = re.sub(r"#000000\b", "currentColor", svg)
    # Several figures share a page: keep their element ids apart.
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{id_prefix}-\1"', svg)
    svg = svg.replace("url(#", f"url(#{id_prefix}-").replace(
        'href="#', f'href="#{id_prefix}-'
    )
    return compact(svg)


NUMBER = re.compile(r"-?\d+\.\d{3,}")
DRAWN = re.compile(
    r'(\b(?:d|x|y|x1|x2|y1|y2|width|height)="[^"]*")|(translate\([^)]*\))'
)


def compact(svg: str) -> str:
    """``svg`` with the coordinates of what it draws rounded to a hundredth of a
    point (matplotlib writes six decimals): about a third smaller, and no pixel
    moves. Scales (glyphs are drawn at scale(0.015625)) keep their digits."""

    def rounded(part: re.Match[str]) -> str:
        return NUMBER.sub(lambda n: f"{float(n[0]):.2f}", part[0])

    return DRAWN.sub(rounded, svg)


def _plain_numbers(values: np.ndarray) -> list[float | int | None]:
    """Numbers as the page stores them (see ``shown``)."""
    return [shown(v) for v in values.astype(float).tolist()]


def _css_colour(line: Line2D) -> str:
    """The line's colour as the SVG shows it: black is the page's text colour."""
    colour = mpl.colors.to_hex(line.get_color())
    return "currentColor" if colour == "#000000" else colour


def _svg_mapping(ax: Axes, figure: Figure, bbox: Bbox) -> dict[str, dict[str, Any]]:
    """Where the ends of each axis of ``ax`` fall in SVG coordinates, and its scale."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    corners = ax.transData.transform([(x0, y0), (x1, y1)]) / figure.dpi
    svg_x = (corners[:, 0] - bbox.x0) * SVG_DPI
    svg_y = (bbox.y1 - corners[:, 1]) * SVG_DPI
    return {
        "x": {
            "scale": ax.get_xscale(),
            "data": [float(x0), float(x1)],
            "svg": [round(v, 3) for v in svg_x.tolist()],
        },
        "y": {
            "scale": ax.get_yscale(),
            "data": [float(y0), float(y1)],
            "svg": [round(v, 3) for v in svg_y.tolist()],
        },
    }


def thinned(x: np.ndarray, ys: list[np.ndarray], points: int) -> np.ndarray:
    """The indices of ``x`` to keep for a drawing ``points`` wide: evenly spread,
    and the first, the last, and each line's lowest and highest point."""
    if len(x) <= points:
        return np.arange(len(x))
    keep = set(np.linspace(0, len(x) - 1, points).round().astype(int).tolist())
    for y in ys:
        if np.isfinite(y).any():
            keep |= {int(np.nanargmin(y)), int(np.nanargmax(y))}
    return np.array(sorted(keep))


def explore(figure: Figure, bbox: Bbox) -> dict[str, Any] | None:
    """The first axes' labelled lines that share its first line's x values, with
    the mapping from data to SVG coordinates; None if it has no such line.

    What the pixels can show, not more: points thinned to two per point of the
    drawing's width (lowest and highest points kept), values at the precision the
    readout prints (``shown``)."""
    if not figure.axes:
        return None
    ax = figure.axes[0]
    lines = [
        line
        for line in ax.get_lines()
        if not str(line.get_label()).startswith("_")
        and len(cast(Any, line.get_xdata())) > 2
        and np.asarray(line.get_xdata(orig=True)).dtype.kind in "biuf"
    ]
    if not lines:
        return None
    x = np.asarray(lines[0].get_xdata(), dtype=float)
    shared = [
        line
        for line in lines
        if np.array_equal(np.asarray(line.get_xdata(), dtype=float), x)
    ]
    ys = [np.asarray(line.get_ydata(), dtype=float) for line in shared]
    mapping = _svg_mapping(ax, figure, bbox)
    width = abs(mapping["x"]["svg"][1] - mapping["x"]["svg"][0])
    keep = thinned(x, ys, int(width * 2))
    last = ys[-1][keep]
    return {
        "xlabel": ax.get_xlabel(),
        # Where a reader starts: the last line's lowest point (of the exact values).
        "start": int(np.nanargmin(last)) if np.isfinite(last).any() else 0,
        "x": _plain_numbers(x[keep]),
        "lines": [
            {
                "label": str(line.get_label()),
                "gid": line.get_gid(),
                "colour": _css_colour(line),
                "y": _plain_numbers(y[keep]),
            }
            for line, y in zip(shared, ys, strict=True)
        ],
        "mapping": mapping,
    }


DATA_COLUMNS = (
    "panel",
    "x label",
    "y label",
    "series",
    "x",
    "y",
    "value",
    "value up to",
)
"""The columns of a figure's data: one row a point, in the order drawn. A line's,
a point's or a bar's row leaves the last two empty; a cell of an image or a colour
mesh gives its value; a point of filled contours the band it lies in (from
``value`` up to ``value up to``); a point of a contour line its level."""
GRID_PX = 8
"""An image, mesh or contour set is sampled every this many CSS pixels of its panel,
across and up (a cell larger than that is one row): what a reader can tell apart."""


def data_csv(figure: Figure, *, drawn: bool = False) -> str:
    """The numbers behind ``figure`` as CSV: each panel's labelled lines (a
    vertical or horizontal marker as its two ends), scatter points and bars,
    thinned to one point per CSS pixel of the drawn panel (each line's lowest and
    highest kept), and its images, meshes and contours as a grid (``grid_rows``),
    at the precision the page prints (``shown``). The same figure gives the same
    bytes. ``drawn``: it is laid out already (else it is drawn first)."""
    from matplotlib.collections import PathCollection

    from snippet_exec.alt import is_colorbar, title, words

    if not drawn:
        figure.draw_without_rendering()  # the panels' widths as laid out
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DATA_COLUMNS)
    panels = [ax for ax in figure.axes if not is_colorbar(ax)]
    for number, ax in enumerate(panels, start=1):
        panel = title(ax) or str(number)
        labels = (panel, words(ax.get_xlabel()), words(ax.get_ylabel()))
        pixels = max(2, round(ax.get_window_extent().width / figure.dpi * 96))
        series: list[tuple[str, np.ndarray, np.ndarray]] = []
        for line in ax.get_lines():
            label = str(line.get_label())
            if label.startswith("_") or not line.get_visible():
                continue
            data = np.asarray(line.get_xydata(), dtype=float).reshape(-1, 2)
            series.append((words(label), data[:, 0], data[:, 1]))
        for collection in ax.collections:
            label = str(collection.get_label())
            if isinstance(collection, PathCollection) and not label.startswith("_"):
                offsets = np.asarray(collection.get_offsets(), dtype=float)
                if offsets.ndim == 2 and len(offsets):
                    series.append((words(label), offsets[:, 0], offsets[:, 1]))
        for container in ax.containers:
            patches = getattr(container, "patches", []) or []
            label = str(container.get_label())
            if patches:
                name = "" if label.startswith("_") else words(label)
                x = np.array([p.get_x() + p.get_width() / 2 for p in patches])
                y = np.array([p.get_height() for p in patches], dtype=float)
                series.append((name or "bars", x, y))
        for name, x, y in series:
            keep = thinned(x, [y], pixels)
            for xv, yv in zip(
                _plain_numbers(x[keep]), _plain_numbers(y[keep]), strict=True
            ):
                writer.writerow((*labels, name, _cell(xv), _cell(yv), "", ""))
        for row in grid_rows(ax):
            writer.writerow((*labels, row[0], *(_cell(shown(v)) for v in row[1:])))
    return buffer.getvalue()


Grid = tuple[str, float, float, float, float]
"""A row of a grid: series, x, y, value, value up to (NaN where none)."""


def _sampled(values: np.ndarray, cells_px: float) -> tuple[np.ndarray, np.ndarray]:
    """The rows and columns of ``values`` (2-D) to keep when each cell is
    ``cells_px`` CSS pixels wide and tall: one every ``GRID_PX``, and those of the
    highest and the lowest cell."""
    finite = np.where(np.isfinite(values), values, np.nan)
    extremes = []
    if np.isfinite(finite).any():
        for index in (np.nanargmax(finite), np.nanargmin(finite)):
            extremes.append(np.unravel_index(int(index), values.shape))
    kept = []
    for axis in (0, 1):
        count = values.shape[axis]
        points = max(2, math.ceil(count * cells_px / GRID_PX))
        keep = set(thinned(np.arange(count), [], points).tolist())
        kept.append(np.array(sorted(keep | {int(e[axis]) for e in extremes})))
    return kept[0], kept[1]


def grid_rows(ax: Axes) -> list[Grid]:
    """``ax``'s images, colour meshes and contour sets as rows of a grid, sampled
    every ``GRID_PX`` CSS pixels (their highest and lowest cells kept): an image's
    or mesh's cells with their values, filled contours as the band at each point
    of a grid over them, contour lines as their points with their level. RGB
    images have no values and give no rows."""
    from matplotlib.collections import QuadMesh
    from matplotlib.contour import ContourSet

    box = ax.get_window_extent()
    per_px = 96 / cast(Figure, ax.get_figure(root=True)).dpi  # CSS px a pixel
    rows: list[Grid] = []
    nan = float("nan")
    for image in ax.images:
        array: np.ndarray = np.ma.filled(
            np.ma.asarray(image.get_array(), dtype=float), np.nan
        )
        if array.ndim != 2:
            continue
        height, width = array.shape
        left, right, bottom, top = image.get_extent()
        xs = left + (np.arange(width) + 0.5) * (right - left) / width
        first, last = (top, bottom) if image.origin == "upper" else (bottom, top)
        ys = first + (np.arange(height) + 0.5) * (last - first) / height
        cell = min(box.width / width, box.height / height) * per_px
        keep_rows, keep_columns = _sampled(array, cell)
        name = _series_name(image, "image")
        rows += [
            (name, xs[c], ys[r], array[r, c], nan)
            for r in keep_rows
            for c in keep_columns
        ]
    for collection in ax.collections:
        if isinstance(collection, QuadMesh):
            values: np.ndarray = np.ma.filled(
                np.ma.asarray(collection.get_array(), dtype=float), np.nan
            )
            corners = np.asarray(collection.get_coordinates(), dtype=float)
            centres = (corners[:-1, :-1] + corners[1:, 1:]) / 2
            values = values.reshape(centres.shape[:2])
            cell = min(box.width / values.shape[1], box.height / values.shape[0])
            keep_rows, keep_columns = _sampled(values, cell * per_px)
            name = _series_name(collection, "colour mesh")
            rows += [
                (name, *centres[r, c], values[r, c], nan)
                for r in keep_rows
                for c in keep_columns
            ]
        elif isinstance(collection, ContourSet):
            rows += _contour_rows(ax, collection, per_px)
    return rows


def _series_name(artist: Any, kind: str) -> str:
    from snippet_exec.alt import words

    label = words(str(artist.get_label()))
    return kind if label.startswith("_") or not label else label


def _contour_rows(ax: Axes, contours: Any, per_px: float) -> list[Grid]:
    """Filled contours: each point of a grid over them (every ``GRID_PX``) with
    the band it lies in, clipped to the data's range; contour lines: each level's
    points, thinned to one every ``GRID_PX``, with the level."""
    from snippet_exec.alt import contour_bands

    nan = float("nan")
    rows: list[Grid] = []
    if not contours.filled:
        name = _series_name(contours, "contour lines")
        for level, path in zip(contours.levels, contours.get_paths(), strict=False):
            vertices = path.vertices[np.isfinite(path.vertices).all(axis=1)]
            if not len(vertices):
                continue
            drawn = ax.transData.transform(vertices) * per_px
            length = np.hypot(*np.diff(drawn, axis=0).T).sum()
            keep = thinned(np.arange(len(vertices)), [], max(2, int(length / GRID_PX)))
            rows += [(name, *vertices[i], float(level), nan) for i in keep]
        return rows
    low, high = float(contours.zmin), float(contours.zmax)
    grid, bands, edges = contour_bands(ax, contours, GRID_PX)
    name = _series_name(contours, "filled contours")
    for (x, y), band in zip(grid, bands, strict=True):
        bottom = min(max(edges[band], low), high)
        top = max(min(edges[band + 1], high), low)
        rows.append((name, float(x), float(y), float(bottom), float(top)))
    return rows


def _cell(value: float | int | None) -> str:
    """A number as the CSV writes it: plain, empty for a gap (NaN)."""
    return "" if value is None else repr(value)


def describe(figure: Figure, id_prefix: str, *, drawn: bool = False) -> dict[str, Any]:
    """Everything the page and the tests need to know about one figure.

    The figure's title becomes its caption, and leaves the drawing, so that the
    page does not say it twice: the suptitle, or the title of a figure with one
    axes (the panels of a figure with several keep theirs). ``drawn``: the figure
    was laid out by its last changes but labels placed in its margins
    (``style.restyle`` ends so), which move its panels by a fraction of a pixel
    at most: its data (``data_csv``) is thinned to the panels' widths as drawn."""
    described: dict[str, Any] = {
        "alt": alt_text(figure),
        "caption": caption(figure),
        "axes": axes_labels(figure),
        "data": data_csv(figure, drawn=drawn),
    }
    if figure.get_suptitle():
        figure.suptitle("")
    elif len(figure.axes) == 1:
        for loc in ("left", "center", "right"):
            figure.axes[0].set_title("", loc=loc)
    bbox = tight_bbox(figure)
    # Laid out for the last time: saving it twice and checking it need not lay it
    # out again (each layout measures every text), and keeps where it all is.
    figure.set_layout_engine("none")
    described["svg"] = to_svg(figure, id_prefix, bbox)
    described["explore"] = explore(figure, bbox)
    described["png"] = to_png(figure, bbox)
    return described


def to_png(figure: Figure, bbox: Bbox) -> str:
    """The figure as a PNG on white (base64), for notebooks: JupyterLab shows no
    SVG of a notebook it does not trust, and draws outputs on a light page."""
    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format="png",
        dpi=100,
        bbox_inches=bbox,
        facecolor="white",
        transparent=False,
        metadata={"Software": None},
    )
    return base64.b64encode(buffer.getvalue()).decode("ascii")
