"""Turn a matplotlib figure into what a page shows: SVG, caption and alt text.

The SVG is made to sit inline in a page that has a light and a dark palette: the
background is transparent and everything drawn in black (text, axes, ticks, black
lines) takes the page's text colour (``currentColor``). Lines use a colour-blind
safe cycle. The bytes are reproducible: a fixed hash salt and no date.

The alt text is written from the data, in numbers: for each labelled line, where it
starts, where it is lowest and where it ends, and where any vertical marker stands.
"""

from __future__ import annotations

import io
import math
import re
from typing import Any

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

# Okabe & Ito's palette, safe for the common forms of colour blindness, legible on
# white and on Material's dark slate background.
COLOUR_CYCLE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]

STYLE = {
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
}


def apply_style() -> None:
    """Set the site's figure style in this process's rcParams."""
    mpl.rcParams.update(STYLE)


def to_svg(figure: Figure, id_prefix: str) -> str:
    """Render ``figure`` as an inline SVG element whose ids start with ``id_prefix``."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
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
    return svg


def axes_labels(figure: Figure) -> list[dict[str, str]]:
    """The title and axis labels of each axes of ``figure``."""
    return [
        {"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel()}
        for ax in figure.axes
    ]


def caption(figure: Figure) -> str:
    """The figure's title (suptitle, else the titles of its axes)."""
    suptitle = figure.get_suptitle() if hasattr(figure, "get_suptitle") else ""
    if suptitle:
        return suptitle
    return "; ".join(ax.get_title() for ax in figure.axes if ax.get_title())


def number(value: float) -> str:
    """A number as prose writes it: thousands separated, three significant digits."""
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _describe_line(line: Line2D, xname: str) -> str | None:
    label = str(line.get_label())
    x = np.asarray(line.get_xdata(), dtype=float)
    y = np.asarray(line.get_ydata(), dtype=float)
    if label.startswith("_") or x.size == 0:
        return None
    if x.size == 2 and x[0] == x[1]:
        return f"{label}: a vertical line at {xname}{number(x[0])}"
    if x.size == 2 and y[0] == y[1]:
        return f"{label}: a horizontal line at {number(y[0])}"
    lowest = int(np.nanargmin(y))
    text = f"{label}: {number(y[0])} at {xname}{number(x[0])}"
    if 0 < lowest < x.size - 1:
        text += f", lowest {number(y[lowest])} at {xname}{number(x[lowest])}"
    return text + f", {number(y[-1])} at {xname}{number(x[-1])}"


def _describe_axes(ax: Axes) -> str:
    parts = []
    xlabel, ylabel = ax.get_xlabel() or "x", ax.get_ylabel() or "y"
    scale = " (log scale)" if ax.get_yscale() == "log" else ""
    parts.append(f"{ylabel}{scale} against {xlabel}")
    xname = f"{ax.get_xlabel().lower()} " if ax.get_xlabel() else ""
    lines = [text for line in ax.get_lines() if (text := _describe_line(line, xname))]
    if lines:
        parts.append("; ".join(lines))
    heading = f"{ax.get_title()}: " if ax.get_title() else ""
    return heading + ". ".join(parts) + "."


def alt_text(figure: Figure) -> str:
    """Describe ``figure`` in words and numbers, for readers who cannot see it."""
    return " ".join(_describe_axes(ax) for ax in figure.axes)


def describe(figure: Figure, id_prefix: str) -> dict[str, Any]:
    """Everything the page and the tests need to know about one figure."""
    return {
        "svg": to_svg(figure, id_prefix),
        "alt": alt_text(figure),
        "caption": caption(figure),
        "axes": axes_labels(figure),
    }
