"""The layout check (snippet_exec/layout.py) on figures broken on purpose, and on
clean ones it must pass. Figures are made here; no snippet runs."""

from __future__ import annotations

import pytest

from snippet_exec import layout


@pytest.fixture
def plt():
    """pyplot on the Agg canvas, every figure closed afterwards."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    with matplotlib.rc_context({"font.size": 13, "figure.figsize": (7, 4.3)}):
        yield pyplot
    pyplot.close("all")


def kinds(problems: list[layout.Problem]) -> set[str]:
    return {p.kind for p in problems}


def test_overlapping_tick_labels_are_text_on_text(plt):
    fig, ax = plt.subplots(figsize=(3, 2), layout="constrained")
    ax.plot(range(30), range(30))
    ax.set_xticks(range(0, 30, 2), [f"{v * 1000:,}" for v in range(0, 30, 2)])
    problems = layout.check(fig)
    assert kinds(problems) == {"text on text"}
    assert (
        'x tick label "2,000" of axes 1 overlaps x tick label "4,000" of axes 1'
        in map(str, problems)
    )


def test_a_legend_on_a_line_covers_it(plt):
    fig, ax = plt.subplots(layout="constrained")
    ax.plot([0, 1], [0.5, 0.5], label="Validation loss")
    ax.plot([0, 1], [0.05, 0.05], label="Far below")
    ax.set_ylim(0, 1)
    ax.legend(loc="center")
    (problem,) = layout.check(fig)
    assert str(problem) == 'legend of axes 1 covers line "Validation loss"'


def test_a_legend_clear_of_the_lines_passes(plt):
    fig, ax = plt.subplots(layout="constrained")
    ax.plot([0, 1], [0.1, 0.2], label="Low")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper right")
    assert layout.check(fig) == []


@pytest.mark.parametrize("what", ["points", "band", "image", "bars", "markers"])
def test_a_legend_or_label_covering_other_data_is_caught(plt, what):
    import numpy as np

    fig, ax = plt.subplots(layout="constrained")
    if what == "points":
        ax.scatter([0.5], [0.5], s=80, label="Samples")
    elif what == "band":
        ax.fill_between([0, 1], 0.3, 0.7, alpha=0.3, label="Range over seeds")
    elif what == "image":
        ax.imshow(np.arange(4).reshape(2, 2), extent=(0, 1, 0, 1))
        ax.plot([], [], label="Nothing")
    elif what == "bars":
        ax.bar([0.5], [0.9], width=0.6, label="Count")
    else:
        ax.plot([0.5], [0.5], "o", label="Best epoch")
    ax.set(xlim=(0, 1), ylim=(0, 1))
    if what == "image":
        ax.text(0.5, 0.5, "a label", ha="center")
    else:
        ax.legend(loc="center")
    problems = layout.check(fig)
    assert kinds(problems) == {"text on data"}, problems


def test_a_label_clipped_by_the_figures_edge(plt):
    fig, ax = plt.subplots(layout="constrained")
    ax.plot([1, 2], [1, 2])
    label = ax.text(
        1.02, 0.5, "R² = 0.91, on the validation set", transform=ax.transAxes
    )
    label.set_in_layout(False)  # outside the saved tight box
    (problem,) = layout.check(fig)
    assert problem.kind == "clipped"
    assert str(problem).endswith("is clipped by the figure's edge")


def test_a_label_clipped_by_its_axes(plt):
    fig, ax = plt.subplots(layout="constrained")
    ax.plot([1, 2], [1, 2])
    ax.text(1.95, 1.5, "cut off at the right", clip_on=True)
    problems = layout.check(fig)
    assert "clipped" in kinds(problems)
    assert any(p.second == "its clip box" for p in problems)


def test_an_annotation_whose_point_is_outside_is_not_drawn(plt):
    fig, ax = plt.subplots(layout="constrained")
    ax.plot([1, 2], [1, 2])
    ax.annotate("best", xy=(3, 1.5), xytext=(1.2, 1.8))
    (problem,) = layout.check(fig)
    assert problem.kind == "clipped" and "not drawn" in str(problem)


def test_a_lower_title_against_the_upper_panels_tick_labels(plt):
    fig, (top, bottom) = plt.subplots(2, 1)
    fig.subplots_adjust(hspace=0.25)  # the title lands on the tick labels above
    top.plot([1, 2], [1, 2])
    bottom.plot([1, 2], [1, 2])
    bottom.set_title("Regularisation")
    problems = [p for p in layout.check(fig) if p.kind == "text on text"]
    assert problems
    for problem in problems:
        pair = sorted([problem.first, problem.second])
        assert pair[0].startswith('title "Regularisation" of axes 2'), pair
        assert pair[1].startswith("x tick label") and pair[1].endswith("of axes 1")


def test_tiny_text_is_too_small_on_a_phone(plt):
    fig, ax = plt.subplots(layout="constrained")
    ax.plot([1, 2], [1, 2])
    ax.tick_params(axis="x", labelsize=6)
    (problem,) = layout.check(fig)
    assert problem.kind == "too small"
    assert problem.first == "x tick labels of axes 1"
    assert "px on a phone, under 8 px" in problem.detail


def test_the_phone_width_sets_the_smallest_size(plt):
    """13 pt text in a 7 inch figure is 9 px on a phone; a narrower phone column
    makes it too small."""
    fig, ax = plt.subplots(layout="constrained")
    ax.plot([1, 2], [1, 2])
    assert layout.check(fig) == []
    assert "too small" in kinds(layout.check(fig, phone_px=250))


def test_rotated_labels_are_compared_as_drawn(plt):
    fig, ax = plt.subplots(layout="constrained")
    ax.plot(range(8), range(8))
    ax.set_xticks(range(8), [f"batch size {2**i}" for i in range(8)], rotation=45)
    assert layout.check(fig) == []
    ax.set_xticks(range(8), [f"batch size {2**i}" for i in range(8)], rotation=10)
    assert kinds(layout.check(fig)) == {"text on text"}


@pytest.mark.parametrize("kind", ["plain", "log", "panels", "image", "outside"])
def test_clean_figures_pass(plt, kind):
    """No false positives: ticks meet the spines, labels sit beside tick labels,
    a colour bar beside its image, a legend outside the data."""
    import numpy as np

    x = np.arange(1, 501)
    if kind == "panels":
        fig, axes = plt.subplots(2, 1, sharex=True, layout="constrained")
        for ax, title in zip(axes, ("Capacity", "Regularisation"), strict=True):
            ax.plot(x, 3000 + 1e4 * np.exp(-x / 50))
            ax.set(title=title, ylabel="Loss", yscale="log")
        axes[1].set_xlabel("Epoch")
    else:
        fig, ax = plt.subplots(layout="constrained")
        if kind == "image":
            image = ax.imshow(np.arange(12).reshape(3, 4))
            fig.colorbar(image, ax=ax, label="Value")
        else:
            ax.plot(x, 3000 + 1e4 * np.exp(-x / 50), label="Training loss")
            ax.plot(x, 3500 + 1e4 * np.exp(-x / 50), label="Validation loss")
            ax.set(xlabel="Epoch", ylabel="Mean squared error", title="Loss")
            ax.grid(True)
        if kind == "log":
            ax.set_yscale("log")
        if kind == "outside":
            ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1))
        fig.suptitle("A figure")
    assert layout.check(fig) == []


def test_the_check_draws_the_figure_once(plt, monkeypatch):
    from matplotlib.figure import Figure

    fig, ax = plt.subplots(layout="constrained")
    ax.plot([1, 2], [1, 2], label="Loss")
    ax.legend()
    draws = []
    original = Figure.draw
    monkeypatch.setattr(
        Figure, "draw", lambda self, r: draws.append(1) or original(self, r)
    )
    layout.check(fig)
    assert len(draws) == 1
