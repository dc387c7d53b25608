"""The site's figure style (snippet_exec/style.py) on figures made here: its colour
rules, its tick labels, and what ``restyle`` does to a figure at capture."""

from __future__ import annotations

import pytest

from snippet_exec import layout, style


@pytest.fixture
def plt():
    """pyplot on Agg under the site's rcParams, every figure closed afterwards."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    with matplotlib.rc_context(style.rc()):
        yield pyplot
    pyplot.close("all")


@pytest.mark.parametrize("colour", style.PALETTE)
def test_every_colour_stands_out_on_both_pages(colour):
    """WCAG's 3:1 for graphics, on the light and on the dark background."""
    for page in style.PAGES.values():
        assert style.contrast(colour, page) >= 3


@pytest.mark.parametrize("colour", [*style.PALETTE, "currentColor"])
def test_bands_are_visible_on_both_pages(colour):
    alpha = style.band_alpha(colour)
    plain = colour == "currentColor"
    for name, page in style.PAGES.items():
        fill = style.blend(style.TEXT[name] if plain else colour, page, alpha)
        assert style.contrast(fill, page) >= style.BAND_CONTRAST
    assert alpha <= style.MAX_BAND_ALPHA


def test_the_old_band_opacity_was_too_faint():
    """Okabe's blue at 22 %: 1.37:1 on white, 1.23:1 on slate."""
    blue = style.PALETTE[0]
    faint = [
        style.contrast(style.blend(blue, p, 0.22), p) for p in style.PAGES.values()
    ]
    assert max(faint) < style.BAND_CONTRAST
    assert style.band_alpha(blue) > 0.22


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1000, "1,000"),
        (3000.0000000000005, "3,000"),
        (10_000, "10,000"),
        (0.003, "0.003"),
        (1e-5, "0.00001"),
        (2.5, "2.5"),
        (0, "0"),
        (-1500, "-1,500"),
        (1e7, "10,000,000"),
    ],
)
def test_tick_values_are_plain_numbers(value, text):
    assert style.plain(value) == text


@pytest.mark.parametrize(
    ("low", "high", "steps"),
    [
        (1, 1e6, (1.0,)),
        (1000, 30_000, (1.0, 3.0)),
        (2000, 10_000, (1.0, 2.0, 5.0)),
        (2500, 10_000, (1.0, 2.0, 3.0, 5.0)),
        (2700, 3300, None),
    ],
)
def test_a_log_axis_shows_three_numbers_or_more(low, high, steps):
    assert style.log_steps(low, high) == steps


def test_spread_keeps_order_and_room():
    placed = style.spread([5.0, 5.0, 5.0], [2.0, 2.0, 2.0], 0.0, 100.0)
    assert placed == pytest.approx([3.0, 5.0, 7.0])
    low = style.spread([0.0, 0.5], [2.0, 2.0], 0.0, 100.0, gap=1.0)
    assert low[0] >= 1.0 and low[1] - low[0] >= 3.0
    apart = style.spread([10.0, 50.0], [2.0, 2.0], 0.0, 100.0)
    assert apart == pytest.approx([10.0, 50.0])


def loss_figure(plt):
    """A figure as the site's snippets draw it: 5 by 3.2 inches, a log axis, a
    legend of curves, baselines and a vertical marker over the data."""
    import numpy as np

    epochs = np.arange(1, 501)
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.plot(epochs, 2000 + 3e4 * np.exp(-epochs / 30), label="Training loss")
    ax.plot(epochs, 2600 + 3e4 * np.exp(-epochs / 30) + epochs, label="Validation")
    ax.axhline(5800, linestyle=":", color="C2", label="Training mean")
    ax.axhline(2900, linestyle="-.", color="C3", label="Linear regression")
    ax.axvline(135, linestyle="--", color="black", label="Lowest validation loss")
    ax.set(yscale="log", xlabel="Epoch", ylabel="Mean squared error")
    ax.legend(loc="upper center")
    return fig, ax


def test_restyle_labels_the_lines_at_their_ends(plt):
    fig, ax = loss_figure(plt)
    assert any(p.kind == "text on data" for p in layout.check(fig))
    style.restyle(fig)
    assert ax.get_legend() is None
    labels = {t.get_text(): t for t in ax.texts}
    assert set(labels) == {
        "Training loss",
        "Validation",
        "Training mean",
        "Linear regression",
        "Lowest validation loss",
    }
    renderer = fig.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    right = [labels[n] for n in ("Training mean", "Linear regression", "Training loss")]
    extents = [layout.text_extent(t, renderer) for t in right]
    assert all(e.x0 > box.x1 for e in extents)  # in the margin
    assert extents[0].y0 > extents[1].y1 > extents[1].y0 > extents[2].y1  # in order
    marker = layout.text_extent(labels["Lowest validation loss"], renderer)
    assert marker.y0 > box.y1  # above the axes
    assert layout.check(fig) == []


def test_every_leader_starts_clear_of_its_label(plt):
    """A leader starts 2 pt or more from its label, however it slants (as
    matplotlib's clipping against a padded box around the text left it): the
    labels of five lines that end together are pushed apart, so their leaders
    slant, and the marker's label sits off to one side of its line."""
    import numpy as np

    fig, ax = plt.subplots()
    x = np.arange(1, 101)
    for number in range(5):  # five lines that end a pixel apart: pushed apart,
        ax.plot(x, 3.0 + number * 0.01 + 0.0 * x, label=f"Line {number + 1}")
    ax.plot(x, x / 10, label="Rising")  # their leaders slant steeply
    ax.axvline(99, linestyle="--", color="black", label="A marker near the edge")
    ax.set_xlim(1, 100)  # the lines end at the edge: short leaders, steep slants
    ax.legend()
    style.restyle(fig)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    slanted = 0
    for label in ax.texts:
        paths, _ = label.arrow_patch._get_path_in_displaycoord()
        path = paths[0]
        start, end = path.vertices[0], path.vertices[-1]
        text = layout.text_extent(label, renderer)  # the text, not its leader
        gap_px = max(text.x0 - start[0], start[0] - text.x1, text.y0 - start[1], 0.0)
        assert gap_px * 72 / fig.dpi >= 2.0, label.get_text()
        slanted += abs(start[1] - end[1]) > 2 and abs(start[0] - end[0]) > 2
    assert slanted >= 2  # the case the clipping handled, and the shrink must too


def test_restyle_is_idempotent(plt):
    fig, ax = loss_figure(plt)
    style.restyle(fig)
    before = [t.get_text() for t in ax.texts], [t.xyann for t in ax.texts]
    style.restyle(fig)
    assert [t.get_text() for t in ax.texts] == before[0]
    for now, then in zip([t.xyann for t in ax.texts], before[1], strict=True):
        assert now == pytest.approx(then)


def test_restyle_makes_log_ticks_plain(plt):
    fig, ax = loss_figure(plt)
    style.restyle(fig)
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "3,000" in ticks and "10,000" in ticks
    assert not any("$" in t or "10^" in t for t in ticks)


def test_restyle_fits_the_column_and_keeps_the_aspect(plt):
    fig, _ = loss_figure(plt)
    style.restyle(fig)
    width, height = fig.get_size_inches()
    assert width == style.FIGURE_WIDTH_IN
    assert height == pytest.approx(3.2 * style.FIGURE_WIDTH_IN / 5)
    tall = plt.figure(figsize=(4, 8))
    style.restyle(tall)
    assert tall.get_size_inches()[1] == style.MAX_HEIGHT_IN


def test_a_legend_of_points_moves_under_the_axes(plt):
    import numpy as np

    fig, ax = plt.subplots()
    rng = np.random.default_rng(0)
    ax.scatter(rng.random(40), rng.random(40), label="Training examples")
    ax.scatter(rng.random(40), rng.random(40), label="Validation examples")
    ax.set_xlabel("Feature")
    ax.legend(loc="center")
    style.restyle(fig)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend()
    assert legend is not None
    assert (
        legend.get_window_extent(renderer).y1
        < ax.xaxis.label.get_window_extent(renderer).y0
    )
    assert layout.check(fig) == []


def test_small_text_and_faint_bands_are_raised(plt):
    fig, ax = plt.subplots()
    ax.fill_between([0, 1], [0, 0], [1, 1], alpha=0.1, color=style.PALETTE[0])
    note = ax.text(0.5, 0.5, "note", fontsize=7)
    ax.tick_params(labelsize=6)
    style.restyle(fig)
    assert note.get_fontsize() == style.FONT_PT
    assert ax.xaxis.get_major_ticks()[0].label1.get_fontsize() == style.FONT_PT
    assert ax.collections[0].get_alpha() == style.band_alpha(style.PALETTE[0])


def test_a_faint_span_and_a_faint_line_are_raised(plt):
    """``axvspan``'s window (a patch, not a collection) is a band too, and a line
    drawn translucent is made as opaque as 3:1 on both pages takes; an opaque
    line and a bar stay as drawn."""
    fig, ax = plt.subplots()
    span = ax.axvspan(0.2, 0.4, color="grey", alpha=0.25)
    faint = ax.plot(
        [0, 1], [0, 1], color=style.PALETTE[2], alpha=0.8, lw=style.LINE_WIDTH_PT
    )[0]
    plain = ax.plot([0, 1], [1, 0], color=style.PALETTE[1])[0]
    (bar,) = ax.bar([0.5], [0.5], width=0.1)
    style.restyle(fig)
    assert span.get_alpha() == style.band_alpha("#808080") > 0.25
    assert faint.get_alpha() == style.line_alpha(style.PALETTE[2]) == 0.9
    assert plain.get_alpha() is None and bar.get_alpha() is None
    for colour in style.PALETTE:
        alpha = style.line_alpha(colour)
        assert all(
            style.contrast(style.blend(colour, page, alpha), page) >= 3
            for page in style.PAGES.values()
        )


def test_a_thin_line_is_widened_and_made_opaque(plt):
    """A line thinner than the site's is drawn ``MIN_LINE_WIDTH_PT`` wide, and
    opaque: thinner or paler, its antialiased pixels measured under 3:1 on the dark
    page at 390 px (Batches' 0.8 pt lines, Does it transfer's 1 pt at 80 %)."""
    fig, ax = plt.subplots()
    hairline = ax.plot([0, 1], [0, 1], color=style.PALETTE[0], lw=0.8)[0]
    faint = ax.plot([0, 1], [1, 0], color=style.PALETTE[1], lw=1, alpha=0.8)[0]
    thick = ax.plot([0, 1], [0.5, 0.5], color=style.PALETTE[2], lw=3)[0]
    style.restyle(fig)
    assert hairline.get_linewidth() == faint.get_linewidth() == style.MIN_LINE_WIDTH_PT
    assert hairline.get_alpha() is None and faint.get_alpha() == 1.0
    assert thick.get_linewidth() == 3


def test_faint_markers_are_raised_like_lines(plt):
    fig, ax = plt.subplots()
    dots = ax.plot([0, 1], [0, 1], "o", color=style.PALETTE[1], alpha=0.6)[0]
    style.restyle(fig)
    assert dots.get_alpha() == style.line_alpha(style.PALETTE[1]) > 0.6


def test_a_figure_placed_by_hand_keeps_its_placement(plt):
    """No layout engine where the snippet called ``subplots_adjust``: matplotlib
    would warn and ignore it."""
    fig, ax = plt.subplots()
    fig.subplots_adjust(left=0.3)
    ax.plot([1, 2], [1, 2], label="Loss")
    ax.legend()
    style.restyle(fig)
    assert fig.get_layout_engine() is None
    assert fig.subplotpars.left == 0.3


def test_the_colour_rules_import_no_matplotlib():
    """The MkDocs process (spread.py's bands) uses them, and imports neither
    numpy nor matplotlib."""
    import subprocess
    import sys

    code = (
        "import sys, snippet_exec.style, snippet_exec.spread; "
        "print(sorted({'numpy', 'matplotlib'} & set(sys.modules)))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "[]"
