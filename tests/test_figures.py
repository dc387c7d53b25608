"""Figure capture (snippet_exec/figures.py) on figures made here, not by snippets."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import pytest
from conftest import svg_coordinate

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def laid_out_figure() -> Figure:
    """Two axes placed by the constrained layout engine, which runs only on draw."""
    import numpy as np
    from matplotlib import pyplot as plt

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
    import matplotlib
    from matplotlib import pyplot as plt

    from snippet_exec import figures

    with matplotlib.rc_context(figures.STYLE):
        ours = figures.describe(laid_out_figure(), "a")["svg"]
        theirs = io.StringIO()
        laid_out_figure().savefig(theirs, format="svg", bbox_inches="tight")
    plt.close("all")
    assert view_box(ours) == view_box(theirs.getvalue())


def test_the_mapping_puts_data_where_the_svg_draws_it():
    import matplotlib
    import numpy as np
    from matplotlib import pyplot as plt

    from snippet_exec import figures

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


def test_a_million_points_are_explored_at_the_drawings_resolution():
    """Thinned to two points per point of width, keeping the extremes."""
    import matplotlib
    import numpy as np
    from matplotlib import pyplot as plt

    from snippet_exec import figures

    x = np.arange(1, 1_000_001)
    y = np.sin(x / 1000.0)
    y[123_456] = -5.0
    with matplotlib.rc_context(figures.STYLE):
        fig, ax = plt.subplots(figsize=(5, 3))
        ax.plot(x, y, label="Wave")
        described = figures.describe(fig, "a")
    plt.close("all")
    data = described["explore"]
    width = abs(data["mapping"]["x"]["svg"][1] - data["mapping"]["x"]["svg"][0])
    assert len(data["x"]) <= 2 * width + 3
    assert 123_457 in data["x"]
    assert data["x"][0] == 1 and data["x"][-1] == 1_000_000
    assert data["lines"][0]["y"][data["start"]] == -5.0


def drawn(make) -> dict:
    """What ``describe`` makes of the figure ``make(ax)`` draws on one axes."""
    import matplotlib
    from matplotlib import pyplot as plt

    from snippet_exec import figures

    with matplotlib.rc_context(figures.STYLE):
        fig, ax = plt.subplots(figsize=(5, 3))
        make(ax)
        described = figures.describe(fig, "a")
    plt.close("all")
    return described


def categories(ax):
    ax.plot(["small", "medium", "large"], [3, 1, 2], label="Loss")
    ax.set(xlabel="Network", ylabel="Loss", title="Categories")


def dates(ax):
    import datetime

    days = [datetime.date(2026, 11, day) for day in (1, 2, 3)]
    ax.plot(days, [5, 2, 4], label="Loss")
    ax.set(xlabel="Day", ylabel="Loss", title="Dates")


def not_a_number(ax):
    import numpy as np

    ax.plot([1, 2, 3], [np.nan] * 3, label="Nothing yet")
    ax.plot([1, 2, 3], [1, np.nan, 3], label="A gap")
    ax.set(xlabel="Epoch", ylabel="Loss", title="NaN")


def image_and_colour_bar(ax):
    import numpy as np

    picture = ax.imshow(np.arange(12).reshape(3, 4))
    ax.figure.colorbar(picture, ax=ax, label="Value")
    ax.set(xlabel="Column", ylabel="Row", title="An image")


def bars(ax):
    ax.bar(["a", "b", "c"], [3, 5, 2], label="Counts")
    ax.set(xlabel="Kind", ylabel="Count", title="Bars")


def scatter(ax):
    ax.scatter([1, 2, 3, 4], [4, 1, 3, 2], label="Points")
    ax.set(xlabel="x", ylabel="y", title="Scatter")


def histogram(ax):
    import numpy as np

    ax.hist(np.random.default_rng(0).normal(size=200), bins=8)
    ax.set(xlabel="Value", ylabel="Count", title="Histogram")


def twin_axes(ax):
    ax.plot([1, 2, 3], [3, 2, 1], label="Loss")
    ax.set(xlabel="Epoch", ylabel="Loss", title="Twins")
    other = ax.twinx()
    other.plot([1, 2, 3], [0.1, 0.5, 0.9], label="Accuracy", color="C1")
    other.set_ylabel("Accuracy")


def left_title(ax):
    ax.plot([1, 2, 3], [3, 1, 2], label="Loss")
    ax.set(xlabel="Epoch", ylabel="Loss")
    ax.set_title("A title on the left", loc="left")


@pytest.mark.parametrize(
    ("make", "caption", "said"),
    [
        (
            categories,
            "Categories",
            "Loss: 3 at network small, lowest 1 at network medium",
        ),
        (dates, "Dates", "Loss: 5 at day 2026-11-01, lowest 2 at day 2026-11-02"),
        (not_a_number, "NaN", "Nothing yet: no finite values; A gap: 1 at epoch 1"),
        (image_and_colour_bar, "An image", "an image of 4 by 3 cells"),
        (bars, "Bars", "Counts: 3 bars, from 2 to 5 high"),
        (scatter, "Scatter", "Points: 4 points, from 1 to 4"),
        (histogram, "Histogram", "8 bars, from"),
        (twin_axes, "Twins", "Accuracy: 0.1 at epoch 1, 0.9 at epoch 3"),
        (left_title, "A title on the left", "Loss: 3 at epoch 1"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_any_plot_is_captured_with_caption_and_alt_text(make, caption, said):
    described = drawn(make)
    assert described["caption"] == caption
    assert said in described["alt"]
    assert described["svg"].startswith("<svg")


def test_the_colour_bar_is_described_by_its_range():
    described = drawn(image_and_colour_bar)
    assert "A colour scale of Value from 0 to 11." in described["alt"]


def test_the_title_that_becomes_the_caption_leaves_the_drawing():
    """The page shows it once, as the caption (text, not a drawing of text)."""
    import matplotlib
    from matplotlib import pyplot as plt

    from snippet_exec import figures

    with matplotlib.rc_context(figures.STYLE):
        fig, ax = plt.subplots(figsize=(5, 3))
        ax.plot([1, 2, 3], [3, 1, 2], label="Loss")
        ax.set(xlabel="Epoch", ylabel="Loss", title="Once")
        single = figures.describe(fig, "a")
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(5, 5))
        for axes in (top, bottom):
            axes.plot([1, 2], [2, 1], label="Loss")
            axes.set(xlabel="Epoch", ylabel="Loss", title="A panel")
        fig.suptitle("Two panels")
        double = figures.describe(fig, "b")
    plt.close("all")
    assert single["caption"] == "Once" and "<!-- Once -->" not in single["svg"]
    assert double["caption"] == "Two panels"
    assert "<!-- Two panels -->" not in double["svg"]
    assert double["svg"].count("<!-- A panel -->") == 2


def test_a_figures_data_is_csv_thinned_to_its_pixels_extremes_kept():
    import csv

    import matplotlib
    import numpy as np
    from matplotlib import pyplot as plt

    from snippet_exec import figures

    with matplotlib.rc_context(figures.STYLE):
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(6, 6), layout="constrained")
        x = np.arange(1, 100_001)
        y = np.sin(x / 5_000) * 1000
        y[54_321] = 5_000  # one spike, which the thinning must keep
        top.plot(x, y, label="Loss")
        top.set_title("Top")
        top.set_xlabel("Epoch")
        top.plot([], [], label="_hidden")
        bottom.scatter([1, 2], [3.14159, np.nan], label="Points")
        bottom.bar([1, 2], [10, 20])
        text = figures.describe(fig, "a")["data"]
        again = figures.data_csv(fig)
    plt.close("all")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(figures.DATA_COLUMNS)
    loss = [r for r in rows if r["series"] == "Loss"]
    assert 100 < len(loss) < 1_000  # one a pixel of a 6-inch panel, not 100,000
    assert {r["panel"] for r in loss} == {"Top"} and loss[0]["x label"] == "Epoch"
    assert max(float(r["y"]) for r in loss) == 5_000
    points = [(r["x"], r["y"]) for r in rows if r["series"] == "Points"]
    assert points == [("1", "3.14"), ("2", "")]
    assert [r["y"] for r in rows if r["series"] == "bars"] == ["10", "20"]
    assert text == again  # the same figure, the same bytes


def test_images_meshes_and_contours_give_their_grid_thinned_extremes_kept():
    """An image or a mesh as its cells (one every ``GRID_PX`` CSS pixels, the
    highest and lowest kept), filled contours as the band at each point of a grid,
    contour lines as their points with their level; the same bytes twice."""
    import csv

    import matplotlib
    import numpy as np
    from matplotlib import pyplot as plt

    from snippet_exec import figures
    from snippet_exec.shared import number

    with matplotlib.rc_context(figures.STYLE):
        fig, axes = plt.subplots(2, 2, figsize=(7, 6), layout="constrained")
        big = np.add.outer(np.arange(400.0), np.arange(500.0)) / 10
        big[123, 321], big[7, 450] = 1_000, -5  # one cell each: they must stay
        axes[0, 0].imshow(big)
        axes[0, 0].set_title("Image")
        axes[0, 1].imshow(np.arange(64.0).reshape(8, 8))  # a digit's size
        x, y = np.meshgrid(np.linspace(0, 1, 100), np.linspace(0, 1, 80))
        axes[1, 0].contourf(x, y, x + y, levels=4)
        axes[1, 1].contour(x, y, x + y, levels=[0.5, 1.5])
        text = figures.data_csv(fig)
        again = figures.data_csv(fig)
    plt.close("all")
    assert text == again
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(figures.DATA_COLUMNS)
    image = [r for r in rows if r["panel"] == "Image"]
    assert {r["series"] for r in image} == {"image"}
    assert 100 < len(image) < 3_000  # a panel of about 320 x 250 px, not 200,000
    values = [float(r["value"]) for r in image]
    assert max(values) == 1_000 and min(values) == -5
    assert len([r for r in rows if r["panel"] == "2"]) == 64  # 8 x 8, every cell
    bands = [r for r in rows if r["series"] == "filled contours"]
    assert len(bands) > 100
    assert all(float(r["value"]) < float(r["value up to"]) for r in bands)
    assert min(r["value"] for r in bands) == number(0)  # clipped to the data
    assert max(float(r["value up to"]) for r in bands) == 2
    corner = max(bands, key=lambda r: float(r["x"]) + float(r["y"]))
    assert float(corner["value up to"]) == 2  # the top right is the top band
    lines = [r for r in rows if r["series"] == "contour lines"]
    assert {r["value"] for r in lines} == {"0.5", "1.5"} and len(lines) > 20
    line_rows = [r for r in rows if r["series"] not in {"image", "filled contours"}]
    assert all(r["value up to"] == "" for r in line_rows)


def test_a_figure_links_its_data_file_named_by_its_content():
    from snippet_exec import render

    figure = {"svg": "<svg></svg>", "alt": "a", "caption": "c", "data": "x,y\n1,2\n"}
    name = render.data_file(figure)
    assert name and name.endswith(".csv")
    assert render.data_file({**figure, "data": "x,y\n1,3\n"}) != name
    assert render.data_file({**figure, "data": ""}) is None
    assert f'<a class="snippet-exec-data" href="{name}" download>' in (
        render.figure_html(figure, "p")
    )
