"""A matplotlib backend whose ``show()`` hands the open figures to the build.

Snippets end with ``plt.show()`` as any tutorial does. Under this backend that call
blocks nothing and warns about nothing: it passes every open figure to the capture
function the worker installed, then closes them. Select it with
``MPLBACKEND=module://snippet_exec.backend``.
"""

from collections.abc import Callable

from matplotlib import pyplot as plt
from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase

capture: Callable[[Figure], None] = lambda figure: None  # noqa: E731 - set by the worker


def show(*args: object, **kwargs: object) -> None:
    """Capture every open figure, in the order they were made, then close them."""
    for number in plt.get_fignums():
        figure = plt.figure(number)
        capture(figure)
        plt.close(figure)
