"""Figure capture (snippet_exec/figures.py) on figures made here, not by snippets."""

import io
import re

import matplotlib
import numpy as np
import pytest
from conftest import svg_coordinate
from matplotlib import pyplot as plt

from snippet_exec import figures


def laid_out_figure() -> matplotlib.figure.Figure:
    """Two axes placed by the constrained layout engine, which runs only on draw."""
    x = np.arange(1, 101)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6, 6), layout="constrained")
    top.plot(x, 1000 * np.exp(-x / 20) + 10, label="Training loss")
    top.set_yscale("log")
    top.set_xlabel("Epoch")
    top.set_ylabel("Loss")
    bottom.plot(x, x, label="Other")
    fig.suptitle("Two axes")
    return fig


def view_box(svg: str) -> str:
    return re.search(r'viewBox="([^"]+)"', svg)[1]


def test_the_saved_area_is_matplotlibs_tight_one():
    with matplotlib.rc_context(figures.STYLE):
        ours = figures.describe(laid_out_figure(), "a")["svg"]
        theirs = io.StringIO()
        laid_out_figure().savefig(theirs, format="svg", bbox_inches="tight")
    plt.close("all")
    assert view_box(ours) == view_box(theirs.getvalue())


def test_the_mapping_puts_data_where_the_svg_draws_it():
    with matplotlib.rc_context(figures.STYLE):
        figure = laid_out_figure()
        described = figures.describe(figure, "a")
    plt.close("all")
    mapping = described["explore"]["mapping"]
    start = re.search(
        r'id="a-axes0-line0">\s*<path d="M ([\d.]+) ([\d.]+)', described["svg"]
    )
    assert mapping["y"]["scale"] == "log"
    assert svg_coordinate(1, mapping["x"]) == pytest.approx(float(start[1]), abs=0.01)
    first = 1000 * np.exp(-1 / 20) + 10  # the line's first point, as drawn
    assert svg_coordinate(first, mapping["y"]) == pytest.approx(
        float(start[2]), abs=0.01
    )
