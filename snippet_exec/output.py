"""How a run's printed output is laid out, shared by the worker that writes it and
the plugin and notebook writer that read it. Kept free of heavy imports: the MkDocs
process imports this, never numpy, scikit-learn or matplotlib."""

import re

FIGURE_MARK = '<div class="snippet-exec-figure" data-figure="{}"></div>'
"""Written into the printed output where ``plt.show()`` drew a figure."""

CELL_MARK = re.compile(r"^# %%", re.MULTILINE)


def cell_starts(code: str) -> list[int]:
    """Line numbers (from 1) where the percent-format cells start; the first is 1."""
    marks = [
        code.count("\n", 0, match.start()) + 1 for match in CELL_MARK.finditer(code)
    ]
    return [1, *marks]
