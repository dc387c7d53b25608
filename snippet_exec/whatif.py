"""What-if figures: controls that switch a block's output between its runs.

A block that varies its snippet can add ``control="Learning rate"``: the page then
carries the output of every run (the snippet as written and each variant: printed
numbers and figures), one panel each, and a labelled control per varied constant
that shows one panel at a time, the one of the combination chosen
(docs/javascripts/whatif.js). Nothing runs in the browser: every panel was computed
by the build, and each figure keeps its own alt text and caption. Without
JavaScript the page shows the run as written, as any block does.

Which control a constant gets:

- a **run picker** ("Run 2 of 5 (seed 3)", with previous and next buttons) for a
  constant whose name is ``SEED``, ends in ``_SEED`` or in ``RANDOM_STATE``: a
  seed is no quantity, so its runs are listed, the run as written first;
- a **slider** for a number with three values or more (learning rate, batch size),
  from the smallest up;
- a **select** otherwise (two numbers, yes or no, words).

``control`` names them: one label for one constant (``control="Learning rate"``);
with several constants, ``control="LEARNING_RATE: Learning rate; BATCH_SIZE:
Batch size"`` (a constant left out, or a single label, is labelled from its name,
"Batch size"). With several, every combination of their values must have run
(vary runs every combination of the values it lists, so list the snippet's own
values too). Each control's choice is in the page's address
(``?learning-rate=0.03``), so that a link opens that view and the back button
goes back to the last one; the key is the constant's name in lower case, with
hyphens.

Kept free of heavy imports: it only arranges HTML that ``render`` made.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from snippet_exec.errors import OptionError

NAMED = re.compile(r"^\s*([A-Z][A-Z0-9_]*)\s*:\s*(.+?)\s*$")
"""A part of the control option that labels one constant: ``SEED: Seed``."""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _label(value: Any) -> str:
    """A value as a reader reads it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    return f"{value:,}" if isinstance(value, int) else repr(value)


def _token(value: Any) -> str:
    """A value as the page's address writes it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else repr(value)


def is_seed(name: str) -> bool:
    """A constant that is no quantity: a seed, whose runs a run picker lists."""
    return name == "SEED" or name.endswith(("_SEED", "RANDOM_STATE"))


def from_name(name: str) -> str:
    """``LEARNING_RATE`` as "Learning rate"."""
    return name.replace("_", " ").capitalize()


def key(name: str) -> str:
    """``LEARNING_RATE`` as the address writes it: ``learning-rate``."""
    return name.lower().replace("_", "-")


def labels(control: str, names: list[str]) -> tuple[str, dict[str, str]]:
    """The what-if's name and each constant's label, from the control option."""
    parts = [p for p in control.split(";") if p.strip()]
    named = [NAMED.match(part) for part in parts]
    if not all(named):
        if len(names) == 1:
            return control, {names[0]: control}
        return control, {name: from_name(name) for name in names}
    given = {m[1]: m[2] for m in named if m}
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise OptionError(
            f"control: {', '.join(unknown)} is not varied (vary names "
            f"{', '.join(names)})"
        )
    found = {name: given.get(name) or from_name(name) for name in names}
    return ", ".join(found.values()), found


@dataclass(frozen=True)
class Control:
    """One constant's control: its choices, in order, each a value."""

    name: str
    label: str
    values: tuple[Any, ...]
    written: int
    """The index of the snippet's own value."""

    @property
    def kind(self) -> str:
        """``run`` (a run picker), ``slider`` or ``select``: see the module's."""
        if is_seed(self.name):
            return "run"
        if all(_is_number(v) for v in self.values) and len(self.values) >= 3:
            return "slider"
        return "select"

    def text(self, index: int) -> str:
        """What the control says of choice ``index``."""
        value = _label(self.values[index])
        written = index == self.written
        if self.kind == "run":
            setting = self.name.lower().replace("_", " ")
            said = f"{setting} {value}" + (", as in the text" if written else "")
            return f"Run {index + 1} of {len(self.values)} ({said})"
        return value + (" (as in the text)" if written else "")


def controls(
    vary: tuple[tuple[str, tuple[Any, ...]], ...],
    defaults: dict[str, Any],
    constants: list[dict[str, Any]],
    control: str,
) -> tuple[str, list[Control], dict[tuple[int, ...], int]]:
    """The what-if's name, its controls, and the run of each combination of their
    choices (``constants``: each run's constants, ``{}`` for the snippet as
    written, whose values are ``defaults``)."""
    names = [name for name, _ in vary]
    missing = [name for name in names if name not in defaults]
    if missing:
        raise OptionError(
            f"control: the snippet's own value of {', '.join(missing)} is no literal"
        )
    runs = [tuple({**defaults, **changed}[n] for n in names) for changed in constants]
    name, labelled = labels(control, names)
    made = []
    for i, constant in enumerate(names):
        values: list[Any] = []
        for run in runs:
            if not any(repr(run[i]) == repr(v) for v in values):
                values.append(run[i])
        if not is_seed(constant) and all(_is_number(v) for v in values):
            values.sort()
        written = next(n for n, v in enumerate(values) if repr(v) == repr(runs[0][i]))
        made.append(Control(constant, labelled[constant], tuple(values), written))
    combinations: dict[tuple[int, ...], int] = {}
    for run_index, run in enumerate(runs):
        choice = tuple(
            next(n for n, v in enumerate(c.values) if repr(v) == repr(value))
            for c, value in zip(made, run, strict=True)
        )
        combinations.setdefault(choice, run_index)
    if len(combinations) < 2:
        raise ValueError("control: the variants repeat the snippet's own values")
    for choice in itertools.product(*(range(len(c.values)) for c in made)):
        if choice not in combinations:
            said = ", ".join(
                f"{c.name} = {c.values[n]!r}" for c, n in zip(made, choice, strict=True)
            )
            raise OptionError(
                f"control: no run has {said}; vary must list every combination of "
                "the values the controls offer (the snippet's own values included)"
            )
    return name, made, combinations


def _widget(control: Control, field: str) -> str:
    """The HTML of one control, its field's id ``field``."""
    texts = [control.text(n) for n in range(len(control.values))]
    choices = json.dumps(
        [
            {"token": _token(value), "text": text}
            for value, text in zip(control.values, texts, strict=True)
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    data = (
        f'class="snippet-exec-whatif-control" data-key="{key(control.name)}" '
        f'data-kind="{control.kind}" data-written="{control.written}" '
        f"data-choices='{html.escape(choices, quote=False)}'"
    )
    label = html.escape(control.label)
    shown = control.written
    if control.kind == "run":
        return (
            f'<div {data} role="group" aria-labelledby="{field}-label">'
            f'<span class="snippet-exec-whatif-label" id="{field}-label">{label}</span>'
            '<span class="snippet-exec-whatif-picker">'
            '<button type="button" class="snippet-exec-whatif-step" data-step="-1" '
            'aria-label="Previous run" title="Previous run">&lsaquo;</button>'
            f'<output id="{field}">{html.escape(texts[shown])}</output>'
            '<button type="button" class="snippet-exec-whatif-step" data-step="1" '
            'aria-label="Next run" title="Next run">&rsaquo;</button></span></div>'
        )
    if control.kind == "slider":
        value = html.escape(texts[shown], quote=True)
        widget = (
            f'<input type="range" id="{field}" min="0" '
            f'max="{len(control.values) - 1}" step="1" value="{shown}" '
            f'aria-valuetext="{value}"><output for="{field}">{value}</output>'
        )
    else:
        options = "".join(
            f'<option value="{n}"{" selected" if n == shown else ""}>'
            f"{html.escape(text)}</option>"
            for n, text in enumerate(texts)
        )
        widget = f'<select id="{field}">{options}</select>'
    return f'<div {data}><label for="{field}">{label}</label>{widget}</div>'


def control(
    label: str,
    prefix: str,
    vary: tuple[tuple[str, tuple[Any, ...]], ...],
    defaults: dict[str, Any],
    constants: list[dict[str, Any]],
    output: Callable[[int, str], str],
) -> str:
    """The what-if HTML: the controls that ``label`` (the control option) names and
    one panel per combination of their choices.

    ``output(index, prefix)`` renders run ``index``'s output (its printed Markdown
    and figures) with element ids made unique by ``prefix``."""
    name, made, combinations = controls(vary, defaults, constants, label)
    widgets = "".join(
        _widget(c, f"{prefix}-control" + (f"-{n}" if len(made) > 1 else ""))
        for n, c in enumerate(made)
    )
    shown = tuple(c.written for c in made)
    panels = []
    for number, (choice, index) in enumerate(sorted(combinations.items())):
        hidden = "" if choice == shown else " hidden"
        said = "; ".join(
            f"{c.label}: {c.text(n)}" for c, n in zip(made, choice, strict=True)
        )
        body = output(index, prefix if index == 0 else f"{prefix}-v{number}")
        panels.append(
            '<div class="snippet-exec-whatif-panel" '
            f'data-choice="{" ".join(map(str, choice))}" '
            f'data-label="{html.escape(said, quote=True)}"{hidden}>\n{body}\n</div>'
        )
    return (
        f'<div class="snippet-exec-whatif" data-block="{html.escape(prefix)}" '
        f'data-name="{html.escape(name, quote=True)}">\n'
        f'<div class="snippet-exec-whatif-controls" hidden>{widgets}</div>\n'
        + "\n".join(panels)
        + '\n<p class="snippet-exec-whatif-status" aria-live="polite"></p>\n</div>'
    )
