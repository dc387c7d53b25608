"""Check a figure's layout the way a reader meets it: measured, not guessed.

A figure can hide its lesson without raising anything: tick labels printed over
each other, a legend parked on the curve it names, a label cut off by the edge of
the saved drawing, text too small to read once the page shrinks the SVG to a phone.
``check`` finds those from matplotlib's own renderer: it draws the figure once (as
``savefig`` does before saving), measures every text's window extent and every
plotted artist's path in display coordinates, and returns one ``Problem`` for each
defect, naming the two elements involved (``x tick label "10,000" of axes 1
overlaps x tick label "20,000" of axes 1``).

What counts:

- **Text on text**: any two visible texts (titles, axis labels, tick labels, offset
  texts, annotations, figure texts, suptitle, colour bar labels) or legends whose
  boxes overlap by more than ``TOLERANCE_PT`` both ways, across subplots too.
  Rotated texts are compared as rotated rectangles, not as their upright boxes.
- **Text on data**: a legend or a non-tick text whose box (inset by the tolerance)
  meets a line's path or markers, scatter points, a filled area (``fill_between``,
  filled contours), bars, an image or a mesh. Patches that are not bars (an
  ``axvspan`` shading a window, say) are a background, not data.
- **Clipped**: a text that reaches outside the saved area (``savefig``'s tight box,
  unless told otherwise), or outside its clip box, or an annotation whose point
  lies outside its axes, which matplotlib then silently does not draw.
- **Too small**: a text whose font would be under ``MIN_PHONE_PX`` CSS pixels when
  the page shows the SVG ``PHONE_COLUMN_PX`` wide (a 390 px phone's text column).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np

from snippet_exec.alt import words

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.container import Container
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

PHONE_COLUMN_PX = 358
"""Material's text column on a 390 px wide phone, in CSS pixels."""

MIN_PHONE_PX = 8.0
"""The smallest font size, in CSS pixels on that phone, that the check accepts."""

TOLERANCE_PT = 1.0
"""How far boxes may graze (in points) before it counts."""

LEADING = 0.15
"""How far two texts' boxes may overlap up and down, in ems of the smaller font. A
box spans the font's whole line, descent included, so digits' ink sits inside it
with about 0.27 em to spare: boxes overlapping by 0.15 em still leave a tenth of an
em between the digits (an axes' corner tick labels, x "0" under y "0", overlap by
0.08 em), while 0.24 em (the home figure's y ticks 0 to 9) lets them touch."""

CSS_PX_PER_INCH = 96
"""An SVG sized in points (matplotlib's unit, 72 to the inch) is shown at 96 CSS
pixels to the inch."""

Kind = Literal["text on text", "text on data", "clipped", "too small"]


@dataclass(frozen=True)
class Problem:
    """One layout defect: what kind, and the element(s) it is between."""

    kind: Kind
    first: str
    second: str = ""
    detail: str = ""

    def __str__(self) -> str:
        if self.kind == "too small":
            return f"{self.first}: {self.detail}"
        verb = {
            "text on text": "overlaps",
            "text on data": "covers",
            "clipped": "is clipped by",
        }[self.kind]
        said = f"{self.first} {verb} {self.second}"
        return f"{said} ({self.detail})" if self.detail else said


@dataclass
class _Box:
    """A measured element: its name, its upright box in display pixels, and for a
    rotated text the corners of its rotated rectangle."""

    name: str
    artist: Artist
    bbox: Bbox
    corners: np.ndarray | None = None
    tick: str = ""  # "x" or "y" for tick labels: which axis they label


def check(
    figure: Figure,
    saved: Bbox | None = None,
    phone_px: float = PHONE_COLUMN_PX,
) -> list[Problem]:
    """Every layout problem of ``figure`` as the site would show it.

    ``saved`` is the part of the figure that is saved, in inches (default: the
    padded tight box, as the engine saves); ``phone_px`` the width the page shows
    the SVG at on a phone. Draws the figure once."""
    from matplotlib import rcParams

    figure.draw_without_rendering()
    renderer = cast(Any, figure.canvas).get_renderer()  # Agg's, under our backend
    if saved is None:
        saved = figure.get_tightbbox(renderer).padded(rcParams["savefig.pad_inches"])
    dpi = figure.dpi
    texts = list(_texts(figure, renderer))
    legends = list(_legends(figure, renderer))
    problems = _overlaps([*texts, *legends], dpi)
    problems += _covering(figure, [t for t in texts if not t.tick] + legends, renderer)
    problems += _clipped(texts, saved, dpi, renderer)
    width_px = saved.width * CSS_PX_PER_INCH
    problems += _too_small(figure, texts, min(1.0, phone_px / width_px))
    return problems


# -- naming -----------------------------------------------------------------------


def _quoted(text: str, limit: int = 40) -> str:
    """A text as a problem names it: its mathtext in words, cut at ``limit``."""
    text = " ".join(words(text).split())
    return f'"{text[: limit - 1]}…"' if len(text) > limit else f'"{text}"'


def _axes_name(ax: Axes) -> str:
    """``axes 2 ("Overfitting")``: numbered from 1 in the figure's order."""
    figure = cast("Figure", ax.get_figure(root=True))
    number = figure.axes.index(ax) + 1 if ax in figure.axes else 0
    kind = "colour bar" if hasattr(ax, "_colorbar") else "axes"
    named = [t.get_text() for t in titles(ax) if t.get_text()]
    return f"{kind} {number}" + (f" ({_quoted(named[0])})" if named else "")


def titles(ax: Axes) -> list[Text]:
    """The axes' three titles: centre, left and right (matplotlib keeps the
    sides' in private attributes)."""
    sides = (getattr(ax, name, None) for name in ("_left_title", "_right_title"))
    return [ax.title, *(t for t in sides if t is not None)]


def _data_name(artist: Artist | Container, index: int) -> str:
    from matplotlib.collections import PathCollection, PolyCollection, QuadMesh
    from matplotlib.contour import ContourSet
    from matplotlib.image import AxesImage
    from matplotlib.lines import Line2D

    label = str(artist.get_label() or "")
    named = "" if label.startswith("_") or not label else f" {_quoted(label)}"
    if isinstance(artist, Line2D):
        return f"line{named}" if named else f"unlabelled line {index + 1}"
    if isinstance(artist, ContourSet):
        return "filled contours" if artist.filled else "contour lines"
    if isinstance(artist, PathCollection):
        return f"scatter points{named}"
    if isinstance(artist, QuadMesh):
        return "colour mesh"
    if isinstance(artist, PolyCollection):
        return f"filled area{named}"
    if isinstance(artist, AxesImage):
        return "image"
    return f"bars{named}"


# -- what is measured -------------------------------------------------------------


def _shown(artist: Artist) -> bool:
    """Whether ``artist`` and the axes it belongs to are drawn."""
    ax = getattr(artist, "axes", None)
    return artist.get_visible() and (ax is None or ax.get_visible())


def text_extent(text: Text, renderer: RendererBase) -> Bbox:
    """The box of ``text``'s letters in display pixels; for an annotation, without
    its arrow (``Annotation.get_window_extent`` includes it)."""
    from matplotlib.text import Text as PlainText

    if hasattr(text, "update_positions"):
        text.update_positions(renderer)
    return PlainText.get_window_extent(text, renderer)


def _measure(text: Text, name: str, renderer: RendererBase, tick: str = "") -> _Box:
    bbox = text_extent(text, renderer)
    corners = None
    angle = text.get_rotation() % 180
    if angle not in (0, 90):
        # The upright box of a rotated text is wider than the text: compare the
        # rotated rectangle itself (same centre, the unrotated width and height).
        text.set_rotation(0)
        upright = text_extent(text, renderer)
        text.set_rotation(angle)
        w, h = upright.width / 2, upright.height / 2
        c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
        local = np.array([[-w, -h], [w, -h], [w, h], [-w, h]])
        rotation = np.array([[c, -s], [s, c]])
        centre = np.array([(bbox.x0 + bbox.x1) / 2, (bbox.y0 + bbox.y1) / 2])
        corners = local @ rotation.T + centre
    return _Box(name, text, bbox, corners, tick)


def _drawn_ticks(axis) -> list:
    """The ticks the axis draws (those inside its view interval), as ``draw``
    itself chooses them (``Axis._update_ticks``)."""
    return axis._update_ticks() if axis.get_visible() else []


def _axes_texts(ax: Axes, renderer: RendererBase) -> Iterator[_Box]:
    where = _axes_name(ax)
    for title in titles(ax):
        if title.get_text().strip() and title.get_visible():
            name = f"title {_quoted(title.get_text())} of {where}"
            yield _measure(title, name, renderer)
    for letter, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
        if not axis.get_visible():
            continue
        label = axis.label
        if label.get_text().strip() and label.get_visible():
            name = f"{letter} label {_quoted(label.get_text())} of {where}"
            yield _measure(label, name, renderer)
        offset = axis.get_offset_text()
        if offset.get_text().strip() and offset.get_visible():
            name = f"{letter} offset text {_quoted(offset.get_text())} of {where}"
            yield _measure(offset, name, renderer)
        for tick in _drawn_ticks(axis):
            if not tick.get_visible():
                continue
            for text in (tick.label1, tick.label2):
                if text.get_visible() and text.get_text().strip():
                    name = f"{letter} tick label {_quoted(text.get_text())} of {where}"
                    yield _measure(text, name, renderer, tick=letter)
    for text in ax.texts:
        if _shown(text) and text.get_text().strip():
            kind = "annotation" if hasattr(text, "xyann") else "text"
            name = f"{kind} {_quoted(text.get_text())} in {where}"
            yield _measure(text, name, renderer)


def _texts(figure: Figure, renderer: RendererBase) -> Iterator[_Box]:
    """Every visible, non-empty text of the figure (legends' texts aside)."""
    names = {
        "_suptitle": "suptitle",
        "_supxlabel": "figure x label",
        "_supylabel": "figure y label",
    }
    for sub in [figure, *figure.subfigs]:
        special = {id(getattr(sub, attr, None)): name for attr, name in names.items()}
        for text in sub.texts:
            if text.get_visible() and text.get_text().strip():
                kind = special.get(id(text), "figure text")
                yield _measure(text, f"{kind} {_quoted(text.get_text())}", renderer)
    for ax in figure.axes:
        if ax.get_visible():
            yield from _axes_texts(ax, renderer)


def _legends(figure: Figure, renderer: RendererBase) -> Iterator[_Box]:
    """Each drawn legend, as one box: its frame, or where a frameless legend's
    entries are (the frame less its border padding)."""
    found = [(legend, "figure legend") for legend in figure.legends]
    for ax in figure.axes:
        if (legend := ax.get_legend()) is not None:
            found.append((legend, f"legend of {_axes_name(ax)}"))
    for legend, name in found:
        if not legend.get_visible() or not legend.get_texts():
            continue
        bbox = legend.get_window_extent(renderer)
        if not legend.get_frame_on():
            pad = legend.borderpad * legend.prop.get_size_in_points() * figure.dpi / 72
            bbox = bbox.padded(-pad)
        yield _Box(name, legend, bbox)


# -- the checks -------------------------------------------------------------------


def _separated(a: np.ndarray, b: np.ndarray, tolerance: float) -> bool:
    """Whether two convex quadrilaterals are apart, or meet by at most
    ``tolerance`` pixels (the separating axis test)."""
    for quad in (a, b):
        for i in range(4):
            edge = quad[(i + 1) % 4] - quad[i]
            normal = np.array([-edge[1], edge[0]]) / np.hypot(*edge)
            pa, pb = a @ normal, b @ normal
            if min(pa.max(), pb.max()) - max(pa.min(), pb.min()) <= tolerance:
                return True
    return False


def _font_px(artist: Artist, dpi: float) -> float:
    """The font size of a text, or of a legend's texts, in display pixels."""
    prop = getattr(artist, "prop", None)
    points = (
        prop.get_size_in_points()
        if prop is not None
        else cast(Any, artist).get_fontsize()
    )
    return points * dpi / 72


def _corners(box: _Box) -> np.ndarray:
    if box.corners is not None:
        return box.corners
    b = box.bbox
    return np.array([[b.x0, b.y0], [b.x1, b.y0], [b.x1, b.y1], [b.x0, b.y1]])


def _overlaps(boxes: list[_Box], dpi: float) -> list[Problem]:
    tolerance = TOLERANCE_PT * dpi / 72
    if len(boxes) < 2:
        return []
    extents = np.array([b.bbox.extents for b in boxes])  # x0, y0, x1, y1
    # A text's box is its line's height, descent and leading included: boxes that
    # meet by less than LEADING of the smaller font print apart.
    sizes = np.array([_font_px(b.artist, dpi) for b in boxes])
    leading = LEADING * np.minimum(sizes[:, None], sizes[None, :])
    wide = np.minimum(extents[:, None, 2], extents[None, :, 2]) - np.maximum(
        extents[:, None, 0], extents[None, :, 0]
    )
    tall = np.minimum(extents[:, None, 3], extents[None, :, 3]) - np.maximum(
        extents[:, None, 1], extents[None, :, 1]
    )
    candidates = np.argwhere(np.triu((wide > tolerance) & (tall > leading), k=1))
    problems = []
    for i, j in candidates:
        first, second = boxes[i], boxes[j]
        rotated = first.corners is not None or second.corners is not None
        if rotated and _separated(_corners(first), _corners(second), tolerance):
            continue
        problems.append(Problem("text on text", first.name, second.name))
    return problems


def _data(ax: Axes) -> Iterator[tuple[str, Artist]]:
    """The artists of ``ax`` that show data: lines, collections (scatter points,
    filled areas, contours, meshes), images, and bars."""
    for index, line in enumerate(ax.get_lines()):
        if line.get_visible():
            yield _data_name(line, index), line
    for collection in ax.collections:
        if collection.get_visible():
            yield _data_name(collection, 0), collection
    for image in ax.images:
        if image.get_visible():
            yield "image", image
    for container in ax.containers:
        for patch in getattr(container, "patches", []) or []:
            if patch.get_visible():
                yield _data_name(container, 0), patch


def _runs(vertices: np.ndarray) -> Iterator[np.ndarray]:
    """The stretches of a polyline between its NaN gaps."""
    finite = np.isfinite(vertices).all(axis=1)
    edges = np.flatnonzero(np.diff(np.r_[False, finite, False].astype(int)))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        yield vertices[start:stop]


def _hits(artist: Artist, rect: Bbox, renderer: RendererBase) -> bool:
    """Whether ``artist`` draws anything inside ``rect`` (display pixels)."""
    from matplotlib.collections import Collection, PathCollection, QuadMesh
    from matplotlib.image import AxesImage
    from matplotlib.lines import Line2D
    from matplotlib.path import Path
    from matplotlib.transforms import Bbox

    clip = artist.get_clip_box() if artist.get_clip_on() else None
    if clip is not None:
        inside = Bbox.intersection(rect, clip)
        if inside is None or inside.width <= 0 or inside.height <= 0:
            return False
        rect = inside
    dpi = cast("Figure", artist.get_figure(root=True)).dpi
    if isinstance(artist, Line2D):
        path = artist.get_transform().transform_path(artist.get_path())
        vertices = np.asarray(path.vertices, dtype=float)
        if artist.get_linestyle() not in ("None", "", " ") and artist.get_linewidth():
            for run in _runs(vertices):
                if len(run) == 1:
                    run = np.vstack([run, run])
                if Path(run).intersects_bbox(rect, filled=False):
                    return True
        if artist.get_marker() not in (None, "None", "", " "):
            radius = artist.get_markersize() / 2 * dpi / 72
            grown = rect.padded(radius)
            points = vertices[np.isfinite(vertices).all(axis=1)]
            x, y = points[:, 0], points[:, 1]
            return bool(
                (
                    (x >= grown.x0)
                    & (x <= grown.x1)
                    & (y >= grown.y0)
                    & (y <= grown.y1)
                ).any()
            )
        return False
    if isinstance(artist, AxesImage | QuadMesh):
        extent = artist.get_window_extent(renderer)
        return Bbox.intersection(rect, extent) is not None
    if isinstance(artist, PathCollection):
        offsets = artist.get_offset_transform().transform(artist.get_offsets())
        sizes = np.asarray(artist.get_sizes(), dtype=float)
        radii = (np.sqrt(sizes) / 2 * dpi / 72) if sizes.size else np.zeros(1)
        radii = np.resize(radii, len(offsets))
        x, y = offsets[:, 0], offsets[:, 1]
        near_x = (x + radii >= rect.x0) & (x - radii <= rect.x1)
        near_y = (y + radii >= rect.y0) & (y - radii <= rect.y1)
        return bool((near_x & near_y).any())
    if isinstance(artist, Collection):
        transform = artist.get_transform()
        filled = len(artist.get_facecolor()) > 0
        for path in artist.get_paths():
            shown = transform.transform_path(path)
            polygons = shown.to_polygons(closed_only=filled)
            for polygon in cast("list[np.ndarray]", polygons):
                if len(polygon) and Path(polygon).intersects_bbox(rect, filled=filled):
                    return True
        return False
    path = artist.get_transform().transform_path(cast(Any, artist).get_path())
    return path.intersects_bbox(rect, filled=True)


def _covering(
    figure: Figure, boxes: list[_Box], renderer: RendererBase
) -> list[Problem]:
    tolerance = TOLERANCE_PT * figure.dpi / 72
    problems = []
    for ax in figure.axes:
        if not ax.get_visible():
            continue
        area = ax.get_window_extent(renderer)
        data = list(_data(ax))
        for box in boxes:
            rect = box.bbox.padded(-tolerance)
            if rect.width <= 0 or rect.height <= 0:
                continue
            if not box.bbox.overlaps(area):
                continue
            seen = set()
            for name, artist in data:
                if name not in seen and _hits(artist, rect, renderer):
                    seen.add(name)
                    problems.append(Problem("text on data", box.name, name))
    return problems


def _clipped(
    texts: list[_Box], saved: Bbox, dpi: float, renderer: RendererBase
) -> list[Problem]:
    from matplotlib.transforms import Bbox

    tolerance = TOLERANCE_PT * dpi / 72
    edge = Bbox.from_extents(*(np.asarray(saved.extents) * dpi)).padded(tolerance)
    problems = []
    for box in texts:
        text = box.artist
        if hasattr(text, "_check_xy") and not text._check_xy(renderer):
            detail = "its point is outside the axes, so it is not drawn"
            problems.append(Problem("clipped", box.name, "its axes", detail))
            continue
        clip = _clip_extent(text)
        if clip is not None and not _within(box.bbox, clip.padded(tolerance)):
            problems.append(Problem("clipped", box.name, "its clip box"))
        elif not _within(box.bbox, edge):
            problems.append(Problem("clipped", box.name, "the figure's edge"))
    return problems


def _clip_extent(artist: Artist) -> Bbox | None:
    """Where ``artist`` is clipped to (its clip box and clip path's extents), in
    display pixels; None if it is not clipped."""
    from matplotlib.transforms import Bbox

    if not artist.get_clip_on():
        return None
    found = []
    if (box := artist.get_clip_box()) is not None:
        found.append(box)
    if (path := artist.get_clip_path()) is not None:
        found.append(cast(Any, path).get_fully_transformed_path().get_extents())
    if not found:
        return None
    return Bbox.intersection(*found) if len(found) == 2 else found[0]


def _within(inner: Bbox, outer: Bbox) -> bool:
    return (
        inner.x0 >= outer.x0
        and inner.y0 >= outer.y0
        and inner.x1 <= outer.x1
        and inner.y1 <= outer.y1
    )


def _too_small(figure: Figure, texts: list[_Box], scale: float) -> list[Problem]:
    """Texts under ``MIN_PHONE_PX`` on the phone, tick labels counted once per
    axis (they share one size)."""
    everything = [(box.name, box.artist, box.tick) for box in texts]
    for legend in [*figure.legends, *(ax.get_legend() for ax in figure.axes)]:
        if legend is not None and legend.get_visible():
            title = legend.get_title()
            for text in [*legend.get_texts(), title]:
                if text.get_visible() and text.get_text().strip():
                    name = f"legend text {_quoted(text.get_text())}"
                    everything.append((name, text, ""))
    problems: list[Problem] = []
    seen: set[str] = set()
    for name, artist, tick in everything:
        px = cast(Any, artist).get_fontsize() * CSS_PX_PER_INCH / 72 * scale
        if px >= MIN_PHONE_PX:
            continue
        if tick:
            name = f"{tick} tick labels of {name.split(' of ', 1)[1]}"
        if name in seen:
            continue
        seen.add(name)
        detail = f"{px:.1f} px on a phone, under {MIN_PHONE_PX:g} px"
        problems.append(Problem("too small", name, detail=detail))
    return problems
