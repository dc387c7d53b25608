"""What-if figures: a control that switches a block's output between its variants.

A block that varies its snippet can add ``control="Learning rate"``: the page then
carries the output of every run (the snippet as written and each variant: printed
numbers and figures), one panel each, and a labelled control, a slider when one
number is varied over three values or more, a select otherwise, that shows one
panel at a time (docs/javascripts/whatif.js). Nothing runs in the browser: every
panel was computed by the build, and each figure keeps its own alt text and caption.
Without JavaScript the page shows the run as written, as any block does.

Kept free of heavy imports: it only arranges HTML that ``render`` made.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _label(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    return f"{value:,}" if isinstance(value, int) else repr(value)


def choices(
    vary: tuple[tuple[str, tuple[Any, ...]], ...],
    defaults: dict[str, Any],
    constants: list[dict[str, Any]],
) -> list[tuple[str, int]]:
    """The control's choices, in order: each a label and the index of its run
    (``constants``: each run's constants, ``{}`` for the snippet as written).

    A variant that repeats the snippet's own values is left out; one varied number
    is listed from the smallest value up."""
    names = [name for name, _ in vary]
    runs: dict[str, tuple[Any, int]] = {}
    for index, changed in enumerate(constants):
        values = {**defaults, **changed}
        if len(names) == 1:
            key_value = values[names[0]]
            label = _label(key_value)
        else:
            key_value = None
            label = ", ".join(f"{name} = {_label(values[name])}" for name in names)
        runs.setdefault(label, (key_value, index))
    listed = [(label, index) for label, (_, index) in runs.items()]
    if len(names) == 1 and all(_is_number(v) for v, _ in runs.values()):
        listed.sort(key=lambda item: runs[item[0]][0])
    return listed


def control(
    label: str,
    prefix: str,
    vary: tuple[tuple[str, tuple[Any, ...]], ...],
    defaults: dict[str, Any],
    constants: list[dict[str, Any]],
    output: Callable[[int, str], str],
) -> str:
    """The what-if HTML: the control labelled ``label`` and one panel per choice.

    ``output(index, prefix)`` renders run ``index``'s output (its printed Markdown
    and figures) with element ids made unique by ``prefix``."""
    listed = choices(vary, defaults, constants)
    if len(listed) < 2:
        raise ValueError("control: the variants repeat the snippet's own values")
    shown = next(n for n, (_, index) in enumerate(listed) if index == 0)
    name = html.escape(label)
    field = f"{prefix}-control"
    numbers = len(vary) == 1 and all(_is_number(v) for v in vary[0][1])
    if numbers and len(listed) >= 3:
        value = html.escape(listed[shown][0])
        widget = (
            f'<input type="range" id="{field}" min="0" max="{len(listed) - 1}" '
            f'step="1" value="{shown}" aria-valuetext="{value}">'
            f'<output for="{field}">{value}</output>'
        )
    else:
        options = "".join(
            f'<option value="{n}"{" selected" if n == shown else ""}>'
            f"{html.escape(text)}</option>"
            for n, (text, _) in enumerate(listed)
        )
        widget = f'<select id="{field}">{options}</select>'
    panels = []
    for n, (text, index) in enumerate(listed):
        hidden = "" if n == shown else " hidden"
        body = output(index, prefix if index == 0 else f"{prefix}-v{n}")
        panels.append(
            f'<div class="snippet-exec-whatif-panel" data-choice="{n}" '
            f'data-label="{html.escape(text, quote=True)}"{hidden}>\n{body}\n</div>'
        )
    return (
        f'<div class="snippet-exec-whatif" data-name="{name}">\n'
        f'<div class="snippet-exec-whatif-control" hidden><label for="{field}">'
        f"{name}</label>{widget}</div>\n"
        + "\n".join(panels)
        + '\n<p class="snippet-exec-whatif-status" aria-live="polite"></p>\n</div>'
    )
