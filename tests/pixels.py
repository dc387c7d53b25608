"""What a screenshot of a figure shows: its lines' and bands' colours, from the pixels.

The browser tests take one screenshot of each figure in each view and ask the page
where each line and band is drawn (``PROBES`` in ``test_browser.py``: points along
each line, points inside each band, in CSS pixels of the figure). This module reads
the colours at those points and measures them against the page behind the figure,
with WCAG's contrast ratio:

- a **line** is the colour it is drawn in where it is drawn, so at each point along
  it the pixel nearest its own colour (in a 3 x 3 neighbourhood: the point is
  rounded, and antialiasing spreads a thin line over two pixels); the line's colour
  is the ``LINE_PERCENTILE`` of those pixels by their contrast with the page, so a
  crossing line or a gap in a dashed line moves it little;
- a **band** (a translucent fill) is the median colour of the pixels inside it,
  ``CLEARANCE_PX`` or more from its own line: the grid and other lines that cross it
  are a minority; a band no wider than its line is not measured (the line covers
  it, and the spread it shows is narrower than the line);
- the **page** is the screenshot's commonest colour (figures are transparent).

Pure functions on NumPy arrays: the unit tests (``test_pixels.py``) feed them
drawn images. NumPy and Pillow are imported where used, not when this is.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

LINE_CONTRAST = 3.0
"""WCAG 2.1's non-text contrast (1.4.11): a line against the page."""
BAND_CONTRAST = 1.5
"""The site style's promise for a band against the page (``style.BAND_CONTRAST``),
and the least a band must differ from the line it surrounds."""
ROUNDING = 0.98
"""Pixels are 8-bit: a band the style made exactly 1.5:1 can read 1.49:1."""
LINE_PERCENTILE = 80
"""The line's colour as drawn: the 80th percentile of its points' best pixels (a
thin line on a phone covers few pixels fully; crossings are a minority)."""


def read_png(data: bytes) -> np.ndarray:
    """A screenshot as an array of (row, column, RGB) bytes."""
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


def luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG's relative luminance of colours (``...``, 3) in bytes."""
    import numpy as np

    channel = np.asarray(rgb, dtype=float) / 255
    linear = np.where(
        channel <= 0.04045, channel / 12.92, ((channel + 0.055) / 1.055) ** 2.4
    )
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def contrast(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """WCAG's contrast ratio (1 to 21) of colours, element by element."""
    import numpy as np

    a, b = luminance(first), luminance(second)
    return (np.maximum(a, b) + 0.05) / (np.minimum(a, b) + 0.05)


def background(pixels: np.ndarray) -> np.ndarray:
    """The commonest colour of ``pixels``: the page behind a transparent figure."""
    import numpy as np

    flat = pixels.reshape(-1, 3).astype(np.int64)
    packed = (flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2]
    colours, counts = np.unique(packed, return_counts=True)
    commonest = int(colours[np.argmax(counts)])
    return np.array([commonest >> 16, (commonest >> 8) & 255, commonest & 255])


STEP_PX = 2.0
"""Points are sampled along a line every this many CSS pixels."""
BAND_GRID = 24
"""A band is sampled on a grid of this many points across and up its box."""
CLEARANCE_PX = 2.5
"""A band's colour is read this far (CSS pixels) or farther from its own line: a
line is at most 2.5 pt wide (3.3 px at 1280 px, half of it each side), and a band
barely wider than its line would otherwise read as the line's colour."""


def _vertices(d: str) -> tuple[np.ndarray, list[int]]:
    """The vertices of SVG path data as matplotlib writes it (absolute ``M``,
    ``L``, curves' points, ``z``), and the index where each subpath starts."""
    import re

    import numpy as np

    numbers: list[float] = []
    starts: list[int] = []
    for command, value in re.findall(r"([MLCQZz])|(-?[\d.]+(?:e-?\d+)?)", d):
        if command == "M":
            starts.append(len(numbers) // 2)
        elif value:
            numbers.append(float(value))
    return np.array(numbers).reshape(-1, 2), starts


def _to_css(points: np.ndarray, matrix: list[float]) -> np.ndarray:
    import numpy as np

    a, b, c, d, e, f = matrix
    return points @ np.array([[a, b], [c, d]]) + np.array([e, f])


def _inside(points: np.ndarray, clip: list[float] | None) -> np.ndarray:
    if clip is None:
        return points
    x, y, w, h = clip
    keep = (points[:, 0] >= x) & (points[:, 0] <= x + w)
    return points[keep & (points[:, 1] >= y) & (points[:, 1] <= y + h)]


def _along(d: str, matrix: list[float], clip: list[float] | None) -> np.ndarray:
    """Points every ``STEP_PX`` along a path's segments, inside its clip box, in
    CSS pixels of the figure."""
    import numpy as np

    vertices, starts = _vertices(d)
    if not len(vertices):
        return np.zeros((0, 2))
    scale = max(np.hypot(matrix[0], matrix[1]), 1e-9)  # CSS px per unit
    bounds = [*starts[1:], len(vertices)]
    found: list[np.ndarray] = []
    for start, stop in zip(starts, bounds, strict=True):
        run = vertices[start:stop]
        if len(run) < 2:
            found.append(run)
            continue
        step = np.diff(run, axis=0)
        counts = np.maximum(1, (np.hypot(*step.T) * scale / STEP_PX).astype(int))
        segment = np.repeat(np.arange(len(step)), counts)
        first = np.repeat(np.cumsum(counts) - counts, counts)
        share = (np.arange(counts.sum()) - first) / counts[segment]
        found += [run[segment] + share[:, None] * step[segment], run[-1:]]
    return _to_css(_inside(np.concatenate(found), clip), matrix)


def _filled(d: str, matrix: list[float], clip: list[float] | None) -> np.ndarray:
    """Points on a ``BAND_GRID`` grid over a filled path that lie inside it and
    its clip box, in CSS pixels of the figure."""
    import numpy as np
    from matplotlib.path import Path

    vertices, starts = _vertices(d)
    if len(vertices) < 3:
        return np.zeros((0, 2))
    codes = np.full(len(vertices), Path.LINETO)
    codes[starts] = Path.MOVETO
    (x0, y0), (x1, y1) = vertices.min(axis=0), vertices.max(axis=0)
    share = (np.arange(BAND_GRID) + 0.5) / BAND_GRID
    grid = np.array(
        [(x0 + i * (x1 - x0), y0 + j * (y1 - y0)) for i in share for j in share]
    )
    inside = grid[Path(vertices, codes).contains_points(grid)]
    return _to_css(_inside(inside, clip), matrix)


def sampled(probe: dict[str, Any]) -> dict[str, Any]:
    """A figure's probe as the page gave it (``PROBES``: path data, matrices, clip
    boxes) with the points to read: along each line, at each marker, inside each
    band."""
    import numpy as np

    lines = []
    for line in probe["lines"]:
        parts = [_along(p["d"], p["matrix"], p["clip"]) for p in line["paths"]]
        for mark in line["marks"]:
            xy = _inside(np.array([mark["xy"]], dtype=float), mark["clip"])
            parts.append(_to_css(xy, mark["matrix"]))
        points = np.concatenate(parts) if parts else np.zeros((0, 2))
        lines.append({**line, "points": points.tolist()})
    bands = [
        {**band, "points": _filled(band["d"], band["matrix"], band["clip"]).tolist()}
        for band in probe["bands"]
    ]
    return {**probe, "lines": lines, "bands": bands}


def _at(pixels: np.ndarray, points: list[list[float]], reach: int) -> np.ndarray:
    """The pixels around each point (x, y in CSS pixels): (points, neighbours, 3).
    Points outside the image are dropped."""
    import numpy as np

    height, width = pixels.shape[:2]
    xy = np.floor(np.asarray(points, dtype=float).reshape(-1, 2)).astype(int)
    inside = (xy[:, 0] >= 0) & (xy[:, 0] < width) & (xy[:, 1] >= 0)
    xy = xy[inside & (xy[:, 1] < height)]
    steps = np.arange(-reach, reach + 1)
    dx, dy = (d.ravel() for d in np.meshgrid(steps, steps))
    columns = np.clip(xy[:, :1] + dx, 0, width - 1)
    rows = np.clip(xy[:, 1:] + dy, 0, height - 1)
    return pixels[rows, columns]


def line_colour(
    pixels: np.ndarray, points: list[list[float]], drawn: np.ndarray, page: np.ndarray
) -> np.ndarray | None:
    """The colour a line drawn in ``drawn`` shows along ``points``, or None if no
    point falls in the image."""
    import numpy as np

    around = _at(pixels, points, reach=1)
    if not len(around):
        return None
    distance = np.abs(around.astype(int) - np.asarray(drawn, dtype=int)).sum(axis=2)
    best = around[np.arange(len(around)), np.argmin(distance, axis=1)]
    ratios = contrast(best, np.broadcast_to(page, best.shape))
    order = np.argsort(ratios, kind="stable")
    return best[order[int((len(order) - 1) * LINE_PERCENTILE / 100)]]


def clear_of(points: list[list[float]], lines: list[list[list[float]]]) -> list:
    """Those of a band's ``points`` at least ``CLEARANCE_PX`` from each of
    ``lines`` (their sampled points, every ``STEP_PX``)."""
    import numpy as np

    kept = np.asarray(points, dtype=float).reshape(-1, 2)
    for line in lines:
        along = np.asarray(line, dtype=float).reshape(-1, 2)
        if len(along) and len(kept):
            gaps = np.hypot(*(kept[:, None, :] - along[None, :, :]).transpose(2, 0, 1))
            kept = kept[gaps.min(axis=1) >= CLEARANCE_PX]
    return kept.tolist()


def band_colour(pixels: np.ndarray, points: list[list[float]]) -> np.ndarray | None:
    """The colour a band shows at ``points`` inside it (their median), or None."""
    import numpy as np

    inside = _at(pixels, points, reach=0)
    if not len(inside):
        return None
    return np.median(inside[:, 0], axis=0).round().astype(np.uint8)


def rgb(css: str) -> np.ndarray:
    """A computed CSS colour (``rgb(r, g, b)``, ``rgba(...)``) as bytes."""
    import re

    import numpy as np

    return np.array([float(v) for v in re.findall(r"[\d.]+", css)[:3]]).round()


def hex_(colour: np.ndarray) -> str:
    return "#" + "".join(f"{int(c):02x}" for c in colour)


def measure(png: bytes, probe: dict[str, Any]) -> dict[str, Any]:
    """The page's colour and each probed line's and band's colour as drawn in the
    screenshot ``png``, with their contrasts: ``{"page", "lines": [{"id",
    "colour", "contrast"}], "bands": [{"id", "colour", "contrast", "line",
    "against_line"}]}``. A band's ``line`` is the line of its own colour, if any,
    and ``against_line`` their contrast."""
    import numpy as np

    pixels = read_png(png)
    page = background(pixels)
    lines = []
    for line in probe["lines"]:
        drawn = rgb(line["colour"])
        seen = line_colour(pixels, line["points"], drawn, page)
        lines.append(
            {
                "id": line["id"],
                "drawn": line["colour"],
                "colour": None if seen is None else hex_(seen),
                "contrast": None if seen is None else float(contrast(seen, page)),
                "seen": seen,
            }
        )
    bands = []
    for band in probe["bands"]:
        own = [
            line
            for line in lines
            if line["seen"] is not None
            and np.array_equal(rgb(line["drawn"]), rgb(band["colour"]))
        ]
        ownpoints = [
            probed["points"]
            for probed in probe["lines"]
            if np.array_equal(rgb(probed["colour"]), rgb(band["colour"]))
        ]
        clear = clear_of(band["points"], ownpoints)
        if band["points"] and not clear:  # no wider than its line: nothing to see
            bands.append(
                {
                    "id": band["id"],
                    "colour": None,
                    "contrast": None,
                    "line": own[0]["id"] if own else None,
                    "against_line": None,
                    "under_its_line": True,
                }
            )
            continue
        seen = band_colour(pixels, clear)
        against = (
            min(float(contrast(seen, line["seen"])) for line in own)
            if own and seen is not None
            else None
        )
        bands.append(
            {
                "id": band["id"],
                "colour": None if seen is None else hex_(seen),
                "contrast": None if seen is None else float(contrast(seen, page)),
                "line": own[0]["id"] if own else None,
                "against_line": against,
            }
        )
    for line in lines:
        del line["seen"]
    return {"page": hex_(page), "lines": lines, "bands": bands}


def problems(measured: dict[str, Any]) -> list[str]:
    """Each line under ``LINE_CONTRAST``:1 against the page, each band under
    ``BAND_CONTRAST``:1 against the page or against its line, in words."""
    page = measured["page"]
    found = []
    for line in measured["lines"]:
        if line["contrast"] is None:
            found.append(f"line {line['id']} ({line['drawn']}): not in the screenshot")
        elif line["contrast"] < LINE_CONTRAST:
            found.append(
                f"line {line['id']} drawn {line['drawn']} shows {line['colour']} on "
                f"{page}: {line['contrast']:.2f}:1, under {LINE_CONTRAST}:1"
            )
    least = BAND_CONTRAST * ROUNDING
    for band in measured["bands"]:
        if band.get("under_its_line"):
            continue  # the spread is narrower than the line: the line shows it
        if band["contrast"] is None:
            found.append(f"band {band['id']}: not in the screenshot")
            continue
        if band["contrast"] < least:
            found.append(
                f"band {band['id']} shows {band['colour']} on {page}: "
                f"{band['contrast']:.2f}:1, under {BAND_CONTRAST}:1"
            )
        if band["against_line"] is not None and band["against_line"] < least:
            found.append(
                f"band {band['id']} ({band['colour']}) against its line "
                f"{band['line']}: {band['against_line']:.2f}:1, under "
                f"{BAND_CONTRAST}:1"
            )
    return found
