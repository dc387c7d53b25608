"""This site's policy for its runs: what every snippet's process gets, and why.

The engine is generic; what is particular to Epochs' examples is here, in one
module that the site config names (``policy: snippet_exec.policy`` under
``snippet-exec`` in mkdocs.yml) and that only the processes running snippets
import, never the MkDocs process (see ``contract.RunPolicy``). Its source is part
of the cache key, as the worker's is (``identity.engine``).

- ``PRELOAD``: the examples' heavy imports, done once in the fork server, so that
  a run pays no import time. Speed only: a run imports what it imports either way.
- ``warm_up``: one small figure drawn and captured in the fork server, so that
  every run forked from it starts with matplotlib's caches filled (the legend's
  handler lookups, fonts, text metrics): a quarter of a second of each plotting
  run. Speed only: the style and warnings it sets are put back, and no run can
  see that it ran (``test_a_warm_fork_server_changes_no_result``).
- ``before_run``: the site's figure style (``figures.apply_style`` for what a
  page needs of an SVG, ``style.apply_rc`` for the look), then scikit-learn with
  its input checks off (``skip_parameter_validation``, ``assume_finite``): they
  cost about 40 % of each ``partial_fit`` call, the examples' inner loop, and
  change no result; the notebook tests run every example in a plain Jupyter
  kernel, checks on.
- ``capture``: what a page shows of a figure a snippet showed: restyled to the
  site's rules (``style.restyle``), then its SVG, caption, alt text and data
  (``figures.describe``), then checked as saved (``layout.check``): a figure with
  text on text, text on data, clipped or too small text raises
  ``FigureLayoutError``, which fails the block, naming the elements.
"""

from __future__ import annotations

from typing import Any

PRELOAD = (
    "matplotlib.pyplot",
    "numpy",
    "scipy.stats",
    "sklearn",
    "sklearn.datasets",
    "sklearn.linear_model",
    "sklearn.model_selection",
    "sklearn.neural_network",
    "sklearn.preprocessing",
    # What ``capture`` imports for every figure: the alt text finds a line's
    # peaks with scipy.signal, a quarter of a second to import in each run.
    "scipy.signal",
    "snippet_exec.alt",
    "snippet_exec.figures",
    "snippet_exec.layout",
    "snippet_exec.style",
)


def warm_up() -> None:
    """Draw and capture a figure like the examples' (lines, markers, a band, a
    legend, a log axis), leaving the process's settings as they were."""
    import warnings

    import matplotlib as mpl
    import matplotlib.pyplot as plt

    from snippet_exec import figures, style

    with warnings.catch_warnings(), mpl.rc_context():
        warnings.simplefilter("ignore")
        figures.apply_style()
        style.apply_rc()
        figure, ax = plt.subplots()
        ax.plot([1, 2, 3], [4.0, 2.0, 3.0], label="a")
        ax.plot([1, 2, 3], [3.0, 1.5, 2.5], "o--", label="b")
        ax.fill_between([1, 2, 3], [1.0, 1.0, 1.0], [2.0, 2.0, 2.0], alpha=0.2)
        ax.axhline(2.0, linestyle=":", label="c")
        ax.axvline(2.0, linestyle="--", color="black", label="d")
        ax.set(xlabel="x", ylabel="y", title="t", yscale="log")
        ax.legend()
        try:
            capture(figure, "warm-up")
        finally:
            plt.close("all")


def before_run() -> None:
    """The figure style, and scikit-learn's speed settings."""
    import sklearn

    from snippet_exec import figures, style

    figures.apply_style()
    style.apply_rc()
    sklearn.set_config(skip_parameter_validation=True, assume_finite=True)


def capture(figure: Any, id_prefix: str) -> dict[str, Any]:
    """A shown figure in the site's style as the page shows it (see
    ``figures.describe``); raises FigureLayoutError if its layout has problems."""
    from snippet_exec import figures, layout, style
    from snippet_exec.errors import FigureLayoutError

    style.restyle(figure)  # which ends with the figure laid out
    described = figures.describe(figure, id_prefix, drawn=True)
    if problems := layout.check(figure):
        raise FigureLayoutError(described["caption"], [str(p) for p in problems])
    return described
