"""Alt text that tells the shape (snippet_exec/alt.py), on tiny figures made here."""

from __future__ import annotations

import pytest

from snippet_exec import alt


@pytest.fixture
def plt():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    yield pyplot
    pyplot.close("all")


def said(plt, draw) -> str:
    fig, ax = plt.subplots()
    ax.set_xlabel("Epoch")
    ax.set_ylabel("Loss")
    draw(ax)
    return alt.alt_text(fig)


def test_an_interior_peak_is_told(plt):
    import numpy as np

    x = np.arange(1, 51)
    text = said(plt, lambda ax: ax.plot(x, np.exp(-(((x - 20) / 6) ** 2)), label="Gap"))
    assert "Gap: 4.42e-05 at epoch 1, highest 1 at epoch 20, " in text


def test_noise_is_not_a_peak_but_a_jump_is(plt):
    import numpy as np

    x = np.arange(1, 201)
    noise = np.random.default_rng(0).normal(0, 0.01, 200)
    y = 1 / x + noise
    y[120] = 0.8  # the loss jumps
    text = said(plt, lambda ax: ax.plot(x, y, label="Loss"))
    assert "a peak of 0.8 at epoch 121" in text
    assert text.count("a peak of") == 1  # the noise's small peaks are not told


def test_peaks_and_troughs_in_order(plt):
    import numpy as np

    x = np.linspace(0, 4 * np.pi, 401)
    text = said(plt, lambda ax: ax.plot(x, np.sin(x), label="Wave"))
    told = text.split("Wave: ")[1]
    kinds = [w for w in ("highest", "lowest", "a peak of", "a trough of") if w in told]
    assert set(kinds) == {"highest", "lowest", "a peak of", "a trough of"}
    assert told.index("highest") < told.index("lowest") < told.index("a peak of")


def test_two_lines_crossing_are_told_where(plt):
    import numpy as np

    x = np.arange(0, 11)

    def draw(ax):
        ax.plot(x, x, label="Training loss")
        ax.plot(x, 10 - x, label="Validation loss")

    assert "Training loss and Validation loss cross at epoch 5" in said(plt, draw)


def test_lines_that_cross_often_are_counted(plt):
    import numpy as np

    x = np.linspace(0, 10 * np.pi, 1000)

    def draw(ax):
        ax.plot(x, np.sin(x), label="Noisy")
        ax.axhline(0.0, label="Zero")

    assert "Noisy and Zero cross 9 times, first at epoch 3.14" in said(plt, draw)


def test_a_plateau_is_told(plt):
    import numpy as np

    x = np.arange(0, 100)
    y = np.where(x < 50, 6000.0, 6000.0 - 60 * (x - 50))
    text = said(plt, lambda ax: ax.plot(x, y, label="Training loss"))
    assert "flat at about 6,000 from epoch 0 to epoch 51" in text


def test_shapes_are_judged_on_the_scale_drawn(plt):
    """A fall by ten every 25 epochs is a straight line on a log axis, and on a
    linear one a fall, then a long flat tail."""
    import numpy as np

    x = np.arange(0, 100)
    y = 10_000 * 10 ** (-x / 25)

    def draw(ax, log):
        ax.plot(x, y, label="Loss")
        ax.set_yscale("log" if log else "linear")

    assert "flat" not in said(plt, lambda ax: draw(ax, True))
    assert "flat at about" in said(plt, lambda ax: draw(ax, False))


def test_an_image_by_its_range_and_where_it_is_high(plt):
    import numpy as np

    text = said(plt, lambda ax: ax.imshow(np.arange(12).reshape(3, 4)))
    assert (
        "an image of 4 by 3 cells, values from 0 to 11, highest at the bottom "
        "right, lowest at the top left"
    ) in text


def test_filled_contours_and_a_mesh_say_where_they_are_high(plt):
    import numpy as np

    x, y = np.meshgrid(np.linspace(0, 1, 30), np.linspace(0, 1, 30))
    text = said(plt, lambda ax: ax.contourf(x, y, x + y))
    assert "filled contours of values from 0 to 2" in text
    assert "highest at the top right, lowest at the bottom left" in text
    text = said(plt, lambda ax: ax.pcolormesh(x, y, x - y))
    assert "a colour mesh of 30 by 30 cells" in text
    assert "highest at the bottom right, lowest at the top left" in text


def test_panels_without_labels_are_numbered_not_y_against_x(plt):
    import numpy as np

    fig, axes = plt.subplots(2, 2)
    x, y = np.meshgrid(np.linspace(-1, 1, 20), np.linspace(-1, 1, 20))
    for ax in axes.flat:
        ax.contourf(x, y, x * y)
    text = alt.alt_text(fig)
    assert "y against x" not in text
    assert [f"Panel {n} of 4: filled contours" in text for n in range(1, 5)] == [
        True
    ] * 4


def test_mathtext_is_read_as_words(plt):
    def draw(ax):
        ax.plot([1, 2, 3], [0.2, 0.5, 0.4], label=r"$R^2$, $\alpha = 10^{-4}$")
        ax.set_title(r"$\mathdefault{10^{3}}$ epochs, $2\times10^{3}$ patients")
        ax.set_ylabel(r"$\eta$")

    text = said(plt, draw)
    assert text.startswith("1,000 epochs, 2,000 patients: eta against Epoch.")
    assert "R^2, alpha = 0.0001: 0.2 at epoch 1, highest 0.5 at epoch 2" in text
    assert "$" not in text and "\\" not in text


@pytest.mark.parametrize(
    ("tex", "words"),
    [
        (r"$\alpha$", "alpha"),
        (r"$10^3$", "1,000"),
        (r"$\mathdefault{10^{-2}}$", "0.01"),
        (r"$x_{1}$ and $\sqrt{2}$", "x_1 and square root of 2"),
        (r"$\frac{1}{n}\Sigma$", "1/n capital sigma"),
        (r"$\sigma^2$ $(\times 10^{3})$", "sigma^2 (\N{MULTIPLICATION SIGN} 1,000)"),
        (r"costs 5\$ a run", "costs 5$ a run"),
        ("a $ sign alone", "a $ sign alone"),
    ],
)
def test_words(tex, words):
    assert alt.words(tex) == words


def test_a_band_is_not_counted_as_points(plt):
    def draw(ax):
        ax.fill_between([1, 2, 3], [0, 0, 0], [1, 2, 1], label="Range over seeds")
        ax.plot([1, 2, 3], [0.5, 1, 0.5], label="Loss")

    text = said(plt, draw)
    assert "points" not in text and "Loss: 0.5 at epoch 1" in text


def test_titles_read_on_one_line_and_rounding_noise_is_zero(plt):
    import numpy as np

    fig, ax = plt.subplots()
    x = np.linspace(0, 1, 100)
    ax.plot(x, np.cos(1.5 * np.pi * x), label="True function")
    ax.set_title("Degree 4\nMSE = 0.0432")
    assert alt.caption(fig) == "Degree 4 MSE = 0.0432"
    assert "lowest -1 at 0.667, 0 at 1." in alt.alt_text(fig)


def test_points_are_told_labelled_or_not(plt):
    def draw(ax):
        ax.scatter([1, 2, 3], [4, 5, 6], c=[0, 0.5, 1])

    assert (
        "Loss against Epoch. 3 points, from 4 to 6, coloured by value from 0 to 1."
        in said(plt, draw)
    )


# -- gallery figures, as the engine captures them ------------------------------------


@pytest.fixture
def styled(plt):
    """pyplot under the site's rcParams, as a snippet's run has them; ``capture``
    styles, describes and layout-checks a figure as the engine does."""
    import matplotlib

    from snippet_exec import figures, policy, style

    with matplotlib.rc_context():
        figures.apply_style()
        style.apply_rc()
        yield plt, lambda figure: policy.capture(figure, "g")


def said_as_words(described: dict) -> str:
    text = described["alt"] + " " + described["caption"]
    assert "$" not in text and "\\" not in text, text
    return described["alt"]


def test_gallery_decision_function_contours_say_range_and_where(styled):
    """scikit-learn's classifier-comparison figure in small: filled contours of a
    decision function over two classes' points, with a labelled colour bar."""
    import numpy as np
    from sklearn.datasets import make_blobs
    from sklearn.linear_model import LogisticRegression

    from snippet_exec.shared import number

    plt, capture = styled
    X, y = make_blobs(centers=[(-2, -2), (2, 2)], random_state=0)
    classifier = LogisticRegression().fit(X, y)
    xx, yy = np.meshgrid(np.linspace(-4, 4, 60), np.linspace(-4, 4, 60))
    z = classifier.decision_function(np.c_[xx.ravel(), yy.ravel()]).reshape(xx.shape)
    fig, ax = plt.subplots()
    contours = ax.contourf(xx, yy, z, levels=8, cmap="RdBu", alpha=0.8)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu", edgecolors="k")
    fig.colorbar(contours, ax=ax, label=r"decision function $f(\mathbf{x})$")
    ax.set(xlabel=r"$x_1$", ylabel=r"$x_2$", title=r"Logistic regression, $C=1$")
    text = said_as_words(capture(fig))
    assert text.startswith("Logistic regression, C=1: x_2 against x_1.")
    assert (
        f"filled contours of values from {number(z.min())} to {number(z.max())}"
    ) in text
    assert "highest at the top right, lowest at the bottom left" in text
    assert "A colour scale of decision function f(x) from" in text


def test_gallery_digit_image_says_range_and_where(styled):
    """scikit-learn's digits example: one 8 x 8 digit shown with ``imshow``."""
    from sklearn.datasets import load_digits

    plt, capture = styled
    digits = load_digits()
    fig, ax = plt.subplots()
    ax.imshow(digits.images[0], cmap="gray_r", interpolation="nearest")
    ax.set_title(f"Training: {digits.target[0]}")
    described = capture(fig)
    assert described["caption"] == "Training: 0"
    # The 0's ink: 15 first at row 2, column 4 of 8 (the top, the centre third);
    # blank from the top left corner.
    assert (
        "an image of 8 by 8 cells, values from 0 to 15, highest at the top, lowest "
        "at the top left"
    ) in said_as_words(described)


def test_gallery_mathtext_axis_reads_as_words(styled):
    """A validation curve over a regularisation strength on a log axis, labelled
    in mathtext as matplotlib's gallery labels its axes."""
    import numpy as np

    plt, capture = styled
    alpha = np.logspace(-4, 1, 30)
    fig, ax = plt.subplots()
    ax.semilogx(alpha, 1 / (1 + alpha), label=r"$R^2$ on $\mathcal{D}_{val}$")
    ax.set_xlabel(r"regularisation $\alpha$")
    ax.set_ylabel(r"score $(\times 10^{3})$")
    ax.set_title(r"$\lambda = 10^{-3}$, $\sigma^2 = 1$")
    described = capture(fig)
    assert described["caption"] == "lambda = 0.001, sigma^2 = 1"
    text = said_as_words(described)
    assert text.startswith(
        "lambda = 0.001, sigma^2 = 1: score (\N{MULTIPLICATION SIGN} 1,000) against "
        "regularisation alpha."
    )
    assert "R^2 on D_val: 1 at regularisation alpha 0.0001," in text
    assert text.endswith("0.0909 at regularisation alpha 10.")


def test_contours_of_a_ring_are_high_at_the_corners_low_in_the_centre(plt):
    """Where the highest band or line lies, not its centre (a ring's is the
    middle of the figure, where the values are lowest)."""
    import numpy as np

    x, y = np.meshgrid(np.linspace(-1, 1, 120), np.linspace(-1, 1, 120))
    corners = "the top left, the top right, the bottom left and the bottom right"
    filled = said(
        plt, lambda ax: ax.contourf(x, y, np.hypot(x, y), levels=[0, 0.3, 1.1, 1.5])
    )
    assert f"highest at {corners}, lowest at the centre" in filled
    lines = said(plt, lambda ax: ax.contour(x, y, np.hypot(x, y), levels=[0.3, 1.2]))
    assert f"highest at {corners}, lowest at the centre" in lines
