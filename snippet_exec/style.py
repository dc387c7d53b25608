"""The site's one figure style, applied by the engine so snippets stay plain scripts.

A snippet draws with plain matplotlib, as a reader would at home. The engine sets
``rc()`` before the snippet runs (``apply_rc``) and calls ``restyle(figure)`` when
the snippet shows a figure, before capture. Between them every figure on the site
follows the same rules (the README lists them):

- **As wide as the text column**: ``FIGURE_WIDTH_IN`` wide (Material's column is
  688 px at 1280 px), its height scaled with it (at most ``MAX_HEIGHT_IN``).
- **Legible on a phone**: every text at least ``FONT_PT``, which is 9 CSS px when the
  page shrinks the SVG to a 390 px phone's 358 px column; smaller text is raised.
- **Calm**: no top or right spine; grey axes and ticks, text in the page's colour;
  a light grid; no legend frame; Okabe and Ito's colour-blind-safe hues, each at
  least 3:1 against the light and the dark page.
- **Plain numbers**: tick labels 1,000 / 3,000 / 10,000 or 0.001, never 10³ or
  2 x 10³ or an offset; a log axis is labelled at decades, or 1-3, 1-2-5 or
  1-2-3-5 steps, the coarsest that shows three numbers or more.
- **Labels at the lines' ends**: a legend of lines becomes direct labels: each line's
  name in the right margin at the height where the line ends (pushed apart so none
  overlaps), tied to it by a short leader in its colour; a vertical marker's name
  sits above the axes at its x. Legends that cannot become labels (markers, filled
  areas, lines that end early, too many entries) move out of the data area, under
  the axes' x label, in as many columns as fit: the plot keeps its width on a phone.
- **Visible bands**: a translucent fill (``fill_between``) is made at least opaque
  enough to stand ``BAND_CONTRAST``:1 against both page backgrounds.

Nothing here imports matplotlib at import time: the MkDocs process (``spread``'s
bands) uses the colour rules without it.
"""

from __future__ import annotations

import decimal
import functools
import itertools
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.lines import Line2D

# -- sizes ----------------------------------------------------------------------------

COLUMN_PX = 688
"""Material's text column at a 1280 px window, in CSS pixels (measured)."""
PHONE_COLUMN_PX = 358
"""Its text column on a 390 px phone."""
FIGURE_WIDTH_IN = 7.0
"""The figure's width: with the saved box's padding, the SVG is about the column's
688 px (96 CSS px to the inch)."""
MAX_HEIGHT_IN = 6.2
"""The tallest a figure may be scaled to: about 600 px, most of a laptop's screen."""
FONT_PT = 13.0
"""Every text's size: 13 pt is 17.3 px in a 684 px SVG, 9.07 px at 358 px."""
LINE_WIDTH_PT = 2.0
MIN_LINE_WIDTH_PT = 1.5
"""The thinnest a line is drawn: 1 px on a 390 px phone. A thinner line (Batches
drew 0.8 pt, Does it transfer? 1 pt at 80 % opacity) is antialiased into pixels
too pale for 3:1 against the dark page (2.0 to 2.95:1, measured on screenshots);
a line under ``LINE_WIDTH_PT`` is also drawn opaque, for the same reason."""

# -- colours --------------------------------------------------------------------------

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8F7CC4", "#808080")
"""Okabe and Ito's blue, vermillion, bluish green and reddish purple, then a muted
violet and a grey: the colours that keep 3:1 against the light page and the dark
one alike (Okabe and Ito's orange, sky blue and yellow fail on white)."""
GREY = "#808080"
"""Axes, ticks, grid: 4:1 against both pages, quieter than the text."""
PAGES = {"light": "#ffffff", "dark": "#1e2129"}
"""Material's page backgrounds: the default scheme's and slate's."""
TEXT = {"light": "#212121", "dark": "#bfc1c6"}
"""The page's text colour over each background (what ``currentColor`` shows)."""
BAND_CONTRAST = 1.5
"""Least contrast of a band's fill against the page, in both palettes: Okabe's blue
at the 22 % opacity bands had is 1.37:1 on white and 1.23:1 on slate, too faint."""
MAX_BAND_ALPHA = 0.5
"""A band is never more opaque than this: the lines under it must show."""
LINE_CONTRAST = 3.0
"""Least contrast of a line against the page (WCAG's non-text contrast): a line
drawn translucent (``alpha=0.8``) is made as opaque as that takes."""


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[float, float, float]:
    match = re.fullmatch(r"#?([0-9a-fA-F]{6})", colour)
    if not match:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    value = match[1]
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(colour: str) -> float:
    """WCAG's relative luminance of a ``#rrggbb`` colour."""
    r, g, b = (_linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    a, b = sorted((luminance(first), luminance(second)))
    return (b + 0.05) / (a + 0.05)


def blend(colour: str, background: str, alpha: float) -> str:
    """``colour`` at opacity ``alpha`` over ``background``, as ``#rrggbb``."""
    mixed = (
        round(255 * (alpha * c + (1 - alpha) * b))
        for c, b in zip(_rgb(colour), _rgb(background), strict=True)
    )
    return "#" + "".join(f"{v:02x}" for v in mixed)


def band_alpha(colour: str) -> float:
    """The least opacity (in hundredths, at most ``MAX_BAND_ALPHA``) at which a
    fill of ``colour`` stands ``BAND_CONTRAST``:1 against both page backgrounds.
    Black and ``currentColor`` are the page's text colour in each palette."""
    return _least_alpha(colour, BAND_CONTRAST, MAX_BAND_ALPHA)


def line_alpha(colour: str) -> float:
    """The least opacity (in hundredths) at which a line of ``colour`` stands
    ``LINE_CONTRAST``:1 against both page backgrounds (1 if none does)."""
    return _least_alpha(colour, LINE_CONTRAST, 1.0)


def _least_alpha(colour: str, least: float, most: float) -> float:
    plain = colour.lower() in ("currentcolor", "#000000", "black")
    for hundredths in range(1, round(most * 100) + 1):
        alpha = hundredths / 100
        if all(
            contrast(blend(TEXT[name] if plain else colour, page, alpha), page) >= least
            for name, page in PAGES.items()
        ):
            return alpha
    return most


def _figure(artist: Artist) -> Figure:
    """The figure ``artist`` is drawn in (the engine styles only drawn artists)."""
    return cast("Figure", artist.get_figure(root=True))


def _renderer(figure: Figure) -> RendererBase:
    """The figure's renderer: Agg's, under the engine's backend."""
    return cast(Any, figure.canvas).get_renderer()


# -- before the run ---------------------------------------------------------------


def rc() -> dict[str, Any]:
    """The rcParams the engine sets before a snippet runs."""
    from cycler import cycler

    return {
        "figure.figsize": (FIGURE_WIDTH_IN, FIGURE_WIDTH_IN * 0.62),
        "font.size": FONT_PT,
        "axes.titlesize": FONT_PT,
        "axes.labelsize": FONT_PT,
        "xtick.labelsize": FONT_PT,
        "ytick.labelsize": FONT_PT,
        "legend.fontsize": FONT_PT,
        "legend.title_fontsize": FONT_PT,
        "figure.titlesize": FONT_PT,
        "figure.labelsize": FONT_PT,
        "axes.titlelocation": "left",
        "axes.titlepad": 8.0,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": GREY,
        "axes.linewidth": 0.8,
        "axes.grid": True,
        "axes.axisbelow": True,
        "axes.formatter.useoffset": False,
        "axes.formatter.use_mathtext": False,
        "grid.color": GREY,
        "grid.alpha": 0.3,
        "grid.linewidth": 0.6,
        "xtick.color": GREY,
        "ytick.color": GREY,
        "xtick.labelcolor": "black",
        "ytick.labelcolor": "black",
        "xtick.major.size": 4.0,
        "ytick.major.size": 4.0,
        "xtick.minor.size": 2.0,
        "ytick.minor.size": 2.0,
        "lines.linewidth": LINE_WIDTH_PT,
        "lines.markersize": 6.0,
        "patch.linewidth": 0.0,
        "legend.frameon": False,
        "legend.handlelength": 1.6,
        "scatter.edgecolors": "none",
    }


def apply_rc() -> None:
    """Set ``rc()`` in this process's rcParams (the engine, before a snippet)."""
    import matplotlib as mpl

    mpl.rcParams.update(cast(Any, rc()))


# -- at capture -------------------------------------------------------------------


def restyle(figure: Figure) -> None:
    """Make ``figure`` follow the site's rules, as far as can be done after it was
    drawn: width, legible text, plain tick labels, visible bands, and line labels
    at the lines' ends (or the legend outside the data). Draws it twice or three
    times; calling it again changes nothing."""
    _fit_width(figure)
    _legible(figure)
    if figure.get_layout_engine() is None and _default_subplot_params(figure):
        # A colour bar made before a layout engine sits in a gridspec of zero
        # ratios that the constrained layout divides by: the tight one takes it.
        bars = any(hasattr(ax, "_colorbar") for ax in figure.axes)
        figure.set_layout_engine("tight" if bars else "constrained")
    for ax in figure.axes:
        _bands(ax)
        for axis in (ax.xaxis, ax.yaxis):
            _plain_ticks(axis)
    figure.draw_without_rendering()
    for ax in figure.axes:
        _thin_x_ticks(ax)
    placed = [labels for ax in figure.axes if (labels := _label_lines(ax))]
    if placed:
        figure.draw_without_rendering()  # the layout makes room for the labels
        for labels in placed:
            labels.place()


def _fit_width(figure: Figure) -> None:
    width, height = figure.get_size_inches()
    if not math.isclose(width, FIGURE_WIDTH_IN):
        scaled = min(height * FIGURE_WIDTH_IN / width, MAX_HEIGHT_IN)
        figure.set_size_inches(FIGURE_WIDTH_IN, scaled)


def _default_subplot_params(figure: Figure) -> bool:
    """Whether the snippet left the subplots where matplotlib puts them (it did
    not call ``subplots_adjust``): only then may a layout engine take over."""
    import matplotlib as mpl

    params = figure.subplotpars
    return all(
        math.isclose(
            getattr(params, name), cast(Any, mpl.rcParams)[f"figure.subplot.{name}"]
        )
        for name in ("left", "right", "bottom", "top", "wspace", "hspace")
    )


def _legible(figure: Figure) -> None:
    """Raise every text under ``FONT_PT`` to it, tick labels included."""
    for artist in figure.findobj(lambda a: hasattr(a, "get_fontsize")):
        text = cast(Any, artist)  # a Text, or a Legend
        if text.get_fontsize() < FONT_PT:
            text.set_fontsize(FONT_PT)
    for ax in figure.axes:
        axes: tuple[tuple[Axis, Literal["x", "y"]], ...] = (
            (ax.xaxis, "x"),
            (ax.yaxis, "y"),
        )
        for axis, which in axes:
            ticks = axis.get_major_ticks()
            if ticks and float(ticks[0].label1.get_fontsize()) < FONT_PT:
                ax.tick_params(axis=which, which="both", labelsize=FONT_PT)


def _bands(ax: Axes) -> None:
    """Translucent fills (``fill_between``, ``axvspan``'s patience window) at
    least ``band_alpha`` opaque for their colour, translucent lines at least
    ``line_alpha`` (markers too: How sure's choices at 60 % showed 2.63:1 on white),
    thin lines ``MIN_LINE_WIDTH_PT`` wide and opaque."""
    import numpy as np
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import to_hex, to_rgba

    def raise_alpha(artist: Any, colours: Any, least: Any) -> None:
        faces = np.asarray(colours, dtype=float).reshape(-1, 4)
        if len(faces) == 0:
            return
        alpha = artist.get_alpha()
        alpha = float(faces[0][3]) if alpha is None else alpha
        if 0 < alpha < 1:
            needed = least(to_hex(tuple(faces[0]), keep_alpha=False))
            if alpha < needed:
                artist.set_alpha(needed)

    for collection in ax.collections:
        if isinstance(collection, PolyCollection):
            raise_alpha(collection, collection.get_facecolor(), band_alpha)
    for patch in ax.patches:
        if patch.get_fill():
            raise_alpha(patch, patch.get_facecolor(), band_alpha)
    for line in ax.get_lines():
        drawn = line.get_linestyle() not in ("None", "none", "", " ")
        if drawn and line.get_linewidth() < LINE_WIDTH_PT:
            line.set_linewidth(max(line.get_linewidth(), MIN_LINE_WIDTH_PT))
            if (alpha := line.get_alpha()) is not None and alpha < 1:
                line.set_alpha(1.0)
        if drawn or line.get_marker() not in (None, "None", "none", "", " "):
            colour = to_rgba(line.get_color(), line.get_alpha())
            raise_alpha(line, [colour], line_alpha)


# -- tick labels ------------------------------------------------------------------


def plain(value: float) -> str:
    """A tick value as a reader writes it: 10,000, 3,000, 0.003, never 1e4."""
    if value == 0:
        return "0"
    exact = decimal.Decimal(repr(float(f"{value:.12g}")))
    return group(format(exact, "f").removesuffix(".0"))


def group(number: str) -> str:
    """``number`` (as text) with its whole part grouped in thousands."""

    def grouped(match: re.Match[str]) -> str:
        return f"{int(match[2]):,}"

    return re.sub(r"(^|[^\d.])(\d{4,})", lambda m: m[1] + grouped(m), number)


LOG_STEPS = ((1.0,), (1.0, 3.0), (1.0, 2.0, 5.0), (1.0, 2.0, 3.0, 5.0))
"""Where a log axis may be labelled, in each decade, coarsest first."""


def log_steps(low: float, high: float) -> tuple[float, ...] | None:
    """The coarsest of ``LOG_STEPS`` that labels three ticks or more between
    ``low`` and ``high`` (both > 0), or None when none does (the axis spans too
    little: label it like a linear one)."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    for steps in LOG_STEPS:
        ticks = [
            step * 10.0**decade
            for decade in range(first, last + 1)
            for step in steps
            if low * (1 - 1e-9) <= step * 10.0**decade <= high * (1 + 1e-9)
        ]
        if len(ticks) >= 3:
            return steps
    return None


def _plain_ticks(axis: Axis) -> None:
    """Plain-number formatters (and, on log axes, locators) where the snippet
    kept matplotlib's defaults; its own choices are left alone."""
    from matplotlib import ticker

    formatter, locator = axis.get_major_formatter(), axis.get_major_locator()
    if axis.get_scale() == "log":
        low, high = sorted(v for v in axis.get_view_interval())
        if type(locator) is ticker.LogLocator and low > 0:
            steps = log_steps(low, high)
            if steps is None:
                axis.set_major_locator(ticker.MaxNLocator(nbins=4))
            elif steps != (1.0,):
                axis.set_major_locator(ticker.LogLocator(subs=steps))
                axis.set_minor_locator(ticker.LogLocator(subs="auto"))
        if type(formatter) is ticker.LogFormatterSciNotation:
            axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: plain(v)))
            axis.set_minor_formatter(ticker.NullFormatter())
    elif type(formatter) is ticker.ScalarFormatter:
        axis.set_major_formatter(plain_formatter())


@functools.cache
def _plain_formatter_class() -> type:
    """The class of ``plain_formatter``'s formatters, made once matplotlib is in."""
    from matplotlib import ticker

    class PlainFormatter(ticker.ScalarFormatter):
        """matplotlib's scalar ticks (its choice of decimals), with no offset, no
        scientific notation, and thousands grouped: 10,000."""

        def __init__(self) -> None:
            super().__init__(useOffset=False, useMathText=False)
            self.set_scientific(False)

        def __call__(self, x: float, pos: int | None = None) -> str:
            return group(super().__call__(x, pos))

    return PlainFormatter


def plain_formatter() -> Any:
    """A scalar tick formatter that writes plain numbers, thousands grouped."""
    return _plain_formatter_class()()


def _thin_x_ticks(ax: Axes) -> None:
    """Fewer x ticks where their labels, as drawn, would come closer than two
    characters' width: wide labels (10,000) need more room than matplotlib's
    estimate of three font sizes each."""
    from matplotlib import ticker

    locator = ax.xaxis.get_major_locator()
    if type(locator) not in (ticker.AutoLocator, ticker.MaxNLocator):
        return
    renderer = _renderer(_figure(ax))
    ticks = cast(Any, ax.xaxis)._update_ticks()  # the ticks as they will be drawn
    labels = [t.label1 for t in ticks if t.label1.get_text()]
    if len(labels) < 3:
        return
    widest = max(label.get_window_extent(renderer).width for label in labels)
    room = widest + 2 * 0.6 * FONT_PT * _figure(ax).dpi / 72
    length = ax.get_window_extent(renderer).width
    fits = max(2, int(length // room))
    if fits < len(labels):
        ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins=fits, steps=[1, 2, 5, 10]))


# -- line labels ------------------------------------------------------------------

LABEL_PAD_PT = 8.0
"""From the axes' right edge (or top) to a line's label: room for the leader."""
MAX_END_LABELS = 6
"""More lines than this get a legend outside the axes instead of labels."""
MAX_TOP_LABELS = 4
"""Likewise, vertical markers (their labels share the space above the axes)."""
EARLY_END = 0.1
"""A line that ends this far (a fraction of the width) before the right edge
cannot be labelled in the margin."""


def spread(
    wanted: Sequence[float],
    sizes: Sequence[float],
    low: float,
    high: float,
    gap: float = 0.0,
) -> list[float]:
    """Centres as near to ``wanted`` as may be, in the same order, with each two
    neighbours at least half their sizes plus ``gap`` apart, inside ``low`` to
    ``high`` where they fit (the least-squares placement: crowded labels move as a
    block, centred on where they want to be)."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    blocks: list[list[int]] = []  # runs of neighbours that touch, in order

    def layout(block: list[int]) -> tuple[float, list[float]]:
        """The block's first centre and each member's offset from it."""
        offsets = [0.0]
        for before, after in itertools.pairwise(block):
            offsets.append(offsets[-1] + (sizes[before] + sizes[after]) / 2 + gap)
        start = sum(wanted[i] - o for i, o in zip(block, offsets, strict=True))
        start /= len(block)
        top = start + offsets[-1] + sizes[block[-1]] / 2
        bottom = start - sizes[block[0]] / 2
        if top - bottom <= high - low:
            start += max(0.0, low - bottom) - max(0.0, top - high)
        else:
            start += (low + high) / 2 - (top + bottom) / 2
        return start, offsets

    def extent(block: list[int]) -> tuple[float, float]:
        start, offsets = layout(block)
        return start - sizes[block[0]] / 2, start + offsets[-1] + sizes[block[-1]] / 2

    for index in order:
        blocks.append([index])
        while len(blocks) > 1 and extent(blocks[-2])[1] + gap > extent(blocks[-1])[0]:
            last = blocks.pop()
            blocks[-1].extend(last)
    centres = [0.0] * len(wanted)
    for block in blocks:
        start, offsets = layout(block)
        for index, offset in zip(block, offsets, strict=True):
            centres[index] = start + offset
    return centres


class _Labels:
    """The direct labels of one axes' lines, placed from the drawn figure."""

    def __init__(self, ax: Axes, ends: list[Line2D], tops: list[Line2D], names):
        from matplotlib.colors import to_hex

        from snippet_exec.layout import text_extent, titles

        self.ax = ax
        self.annotations = []
        for line in [*ends, *tops]:
            vertical = line in tops
            colour = to_hex(line.get_color())
            self.annotations.append(
                ax.annotate(
                    names[line],
                    xy=(0, 0),
                    xycoords=line.get_transform(),
                    xytext=(0, 0),
                    textcoords="offset points",
                    ha="center" if vertical else "left",
                    va="bottom" if vertical else "center",
                    annotation_clip=False,
                    arrowprops={
                        "arrowstyle": "-",
                        "color": colour,
                        "linewidth": 1.2,
                        "patchA": None,
                        "shrinkA": 3.0,
                        "shrinkB": 0.0,
                        "relpos": (0.5, 0.0) if vertical else (0.0, 0.5),
                    },
                )
            )
        self.ends, self.tops = ends, tops
        self.place()
        if tops and any(t.get_text() for t in titles(ax)):
            figure = _figure(ax)
            renderer = _renderer(figure)
            tallest = max(text_extent(a, renderer).height for a in self.annotations)
            # The title goes up, above the markers' labels.
            cast(Any, ax)._set_title_offset_trans(
                LABEL_PAD_PT + tallest * 72 / figure.dpi + 4
            )

    def place(self) -> None:
        """Put each label where its line ends, apart from the others."""
        import numpy as np

        from snippet_exec.layout import text_extent

        figure = _figure(self.ax)
        renderer = _renderer(figure)
        points = 72 / figure.dpi
        box = self.ax.get_window_extent(renderer)
        end_labels = self.annotations[: len(self.ends)]
        if self.ends:
            ends = [_right_end(line, box) for line in self.ends]
            heights = [text_extent(a, renderer).height for a in end_labels]
            ys = spread([y for _, y, _ in ends], heights, box.y0, box.y1, 1.0)
            for label, (x, y, xy), wanted in zip(end_labels, ends, ys, strict=True):
                label.xy = xy
                label.xyann = (
                    (box.x1 - x) * points + LABEL_PAD_PT,
                    (wanted - y) * points,
                )
                _leave_room(label, *label.xyann, across=label.xyann[0])
        top_labels = self.annotations[len(self.ends) :]
        if self.tops:
            xs, xys = [], []
            for line in self.tops:
                data = np.asarray(line.get_xydata(), dtype=float).reshape(-1, 2)
                xs.append(float(line.get_transform().transform(data)[0, 0]))
                xys.append((data[0, 0], 1.0))
            widths = [text_extent(a, renderer).width for a in top_labels]
            margin = box.width * 0.15
            em = FONT_PT * figure.dpi / 72
            placed = spread(xs, widths, box.x0 - margin, box.x1 + margin, em)
            for label, x, xy, wanted, width in zip(
                top_labels, xs, xys, placed, widths, strict=True
            ):
                label.xy = xy
                label.xyann = ((wanted - x) * points, LABEL_PAD_PT)
                # The leader leaves the label straight above the marker where it
                # can (matplotlib takes ``relpos`` only when the label is made).
                under = (x - (wanted - width / 2)) / width
                relpos = min(max(under, 0.05), 0.95)
                cast(Any, label)._arrow_relpos = (relpos, 0.0)
                dx = (wanted - x + (relpos - 0.5) * width) * points
                _leave_room(label, dx, LABEL_PAD_PT, across=LABEL_PAD_PT)


LEADER_GAP_PT = (2.0, 1.0)
"""The gap between a label and its leader: matplotlib's 2 pt of padding around the
text, then 1 pt, as it leaves them when it clips the leader against the text."""


def _leave_room(label: Any, dx: float, dy: float, *, across: float) -> None:
    """Start ``label``'s leader clear of its text, as matplotlib does by clipping it
    against a padded box around the text, without that clipping's search at every
    draw: the leader runs (``dx``, ``dy``) points from its end at the text to the
    line, and leaves the box through the side ``across`` points measure across."""
    length = math.hypot(dx, dy)
    padding, gap = LEADER_GAP_PT
    through = padding * length / abs(across) if across else length
    label.arrow_patch.shrinkA = min(through + gap, max(length - 1.0, 0.0))


def _right_end(line: Line2D, box) -> tuple[float, float, tuple[float, float]]:
    """Where ``line`` ends on screen (its last finite point inside the axes'
    x range): display x, display y, and that point in the line's coordinates."""
    import numpy as np

    data = np.asarray(line.get_xydata(), dtype=float).reshape(-1, 2)
    shown = line.get_transform().transform(data)
    inside = np.isfinite(shown).all(axis=1) & (shown[:, 0] <= box.x1 + 0.5)
    inside &= shown[:, 0] >= box.x0 - 0.5
    index = int(np.flatnonzero(inside)[-1])
    x, y = shown[index]
    return float(x), float(min(max(y, box.y0), box.y1)), tuple(data[index])


def _kind(line: Line2D, box) -> str:
    """How a legend's line can be labelled: at its right "end", at its "top" (a
    vertical marker), or "none" (markers only, no finite point, ends early)."""
    import numpy as np

    if line.get_linestyle() in ("None", "", " ") or not line.get_visible():
        return "none"
    data = np.asarray(line.get_xydata(), dtype=float).reshape(-1, 2)  # as numbers
    x, y = data[:, 0], data[:, 1]
    finite = np.isfinite(x) & np.isfinite(y)
    if finite.sum() < 2:
        return "none"
    if np.all(x[finite] == x[finite][0]):
        return "top"
    shown = line.get_transform().transform(np.column_stack([x, y])[finite])
    visible = shown[(shown[:, 0] >= box.x0 - 0.5) & (shown[:, 0] <= box.x1 + 0.5)]
    if not len(visible) or visible[:, 0].max() < box.x1 - EARLY_END * box.width:
        return "none"
    return "end"


def _label_lines(ax: Axes) -> _Labels | None:
    """Turn ``ax``'s legend into labels at its lines' ends, or move it under the
    axes when its entries are not all lines that can be so labelled."""
    from matplotlib.lines import Line2D

    legend = ax.get_legend()
    if legend is None or not legend.get_visible():
        return None
    renderer = _renderer(_figure(ax))
    box = ax.get_window_extent(renderer)
    handles, labels = ax.get_legend_handles_labels()
    by_label = dict(zip(labels, handles, strict=True))
    shown = [t.get_text() for t in legend.get_texts()]
    originals = [by_label.get(name) for name in shown]
    kinds = [_kind(h, box) if isinstance(h, Line2D) else "none" for h in originals]
    if (
        "none" in kinds
        or kinds.count("end") > MAX_END_LABELS
        or kinds.count("top") > MAX_TOP_LABELS
        or legend.get_title().get_text()
        or len(cast(Any, ax)._twinned_axes.get_siblings(ax)) > 1
    ):
        _below(ax, legend, renderer)
        return None
    legend.remove()
    names = dict(zip(originals, shown, strict=True))
    lines = cast("list[Line2D]", originals)  # all lines: no kind is "none"
    ends = [h for h, k in zip(lines, kinds, strict=True) if k == "end"]
    tops = [h for h, k in zip(lines, kinds, strict=True) if k == "top"]
    return _Labels(ax, ends, tops, names)


def _below(ax: Axes, legend: Legend, renderer) -> None:
    """The legend again, under the axes' x axis (its tick labels and label), as
    wide as the axes, in as many columns as fit, frameless."""
    from matplotlib.transforms import offset_copy

    from snippet_exec.layout import text_extent

    figure = _figure(ax)
    dpi = figure.dpi
    box = ax.get_window_extent(renderer)
    axis_box = ax.xaxis.get_tightbbox(renderer)
    under = box.y0 - (axis_box.y0 if axis_box is not None else box.y0)
    size = legend.prop.get_size_in_points()
    em = size * dpi / 72
    texts = legend.get_texts()
    entry = max(text_extent(t, renderer).width for t in texts)
    entry += (legend.handlelength + legend.handletextpad) * em
    gap = legend.columnspacing * em
    columns = max(1, min(len(texts), int((box.width + gap) // (entry + gap))))
    title = legend.get_title().get_text()
    ax.legend(
        cast("list[Artist]", legend.legend_handles),
        [t.get_text() for t in texts],
        loc="upper left",
        bbox_to_anchor=(0, 0),
        bbox_transform=offset_copy(
            ax.transAxes, fig=figure, y=-(under * 72 / dpi + 4), units="points"
        ),
        borderaxespad=0,
        ncols=columns,
        frameon=False,
        fontsize=size,
        title=title or None,
        alignment="left",
    )
