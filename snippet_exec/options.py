"""The options of an executed block, parsed and checked.

A block is a fence such as ``python exec="1" source="tabbed-right" id="loss"``.
markdown-exec's own validator accepts any option and ignores what it does not know,
and superfences swallows errors raised while formatting, so a typo or an option
that does nothing here would be published silently. ``validate`` is the fence's
validator instead: it knows every option this engine honours, and an unknown,
unsupported or malformed one becomes an error that names the option, which the
formatter turns into a failed build.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from typing import Any

from snippet_exec.errors import OptionError

SOURCES = {"", "above", "below", "tabbed-left", "tabbed-right", "block"}
BOOLEANS = {"1": True, "true": True, "yes": True, "on": True}
BOOLEANS |= {"0": False, "false": False, "no": False, "off": False, "": False}
# markdown-exec options that make no sense for isolated, cached runs.
UNSUPPORTED = {
    "session": "every block runs alone, in a fresh process: no state is shared",
    "workdir": "every run has its own temporary working directory",
    "returncode": "a block that does not finish cleanly fails the build",
    "width": "the output is Markdown, not a terminal",
    "material-block": 'use source="block"',
}
FIGURES = {"first": True, "shown": False}
"""``figures=``: before the printed text, or where the run showed them."""
LIMITS = ("output_kb", "figure_kb", "explore_kb", "memory_mb")
"""The site's size limits (``result.Limits``) that a block may set for itself."""
NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
RANGE = re.compile(r"^(-?\d+)\.\.(-?\d+)$")


@dataclass(frozen=True)
class BlockOptions:
    """The options of one executed block, checked."""

    source: str = ""
    id: str = ""
    id_prefix: str | None = None
    html: bool = False
    tabs: tuple[str, str] = ("Source", "Result")
    title: str = ""
    update_toc: bool = True
    timeout: float | None = None
    """Seconds the block may run; None: the site's limit."""
    explore: bool = False
    """Make the figures explorable with a slider."""
    notebook: bool = True
    """Offer the snippet as a notebook page (``notebook="0"``: not from this
    block; an exercise's answer, shown where it is asked, needs none)."""
    figures_first: bool = False
    """Put the figures before the printed text (``figures="first"``), so that a
    page's key figure opens its result, whatever the snippet printed before
    ``plt.show()``; by default each figure stands where the run showed it."""
    depends: tuple[str, ...] = ()
    """Glob patterns (from the project root) of files the result depends on."""
    vary: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    """Module-level constants to vary, each with its values: one run per combination."""
    spread: tuple[tuple[str, str], ...] = ()
    """Module-level numbers to show across the variants, each with its label."""
    band: tuple[str, str, str] | None = None
    """Module-level arrays x and y whose range across the variants shades the first
    figure, and the label of the line the band surrounds."""
    control: str = ""
    """The label of a control that switches the output between the variants."""
    limits: tuple[tuple[str, int], ...] = ()
    """Size limits of this block's runs that differ from the site's
    (``figure_kb="2048"``): each ``LIMITS`` name with its value."""
    result: str = ""
    """Show the printed output verbatim, in a code block of this language (as
    markdown-exec's ``result``), rather than render it as Markdown."""

    def markdown_exec(self) -> dict[str, Any]:
        """The options as markdown-exec's ``base_format`` takes them."""
        options: dict[str, Any] = {
            "html": self.html,
            "source": self.source,
            "tabs": self.tabs,
            "id": self.id,
            "id_prefix": self.id_prefix,
            "update_toc": self.update_toc,
            "result": self.result,
        }
        if self.title:
            options["extra"] = {"title": self.title}
        return options


def _boolean(name: str, value: str) -> bool:
    try:
        return BOOLEANS[value.lower()]
    except KeyError:
        raise OptionError(f'{name}="{value}" is not a yes/no value (1 or 0)') from None


def _timeout(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise OptionError(
            f'timeout="{value}" is not a number of seconds (write timeout="180")'
        ) from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise OptionError(f'timeout="{value}" must be a positive, finite number')
    return seconds


def _limit(name: str, value: str) -> int:
    try:
        amount = int(value)
    except ValueError:
        amount = 0
    if amount <= 0:
        raise OptionError(
            f'{name}="{value}" is not a positive whole number (write {name}="2048")'
        )
    return amount


def _values(name: str, text: str) -> tuple[Any, ...]:
    text = text.strip()
    if match := RANGE.match(text):
        start, stop = int(match[1]), int(match[2])
        values: tuple[Any, ...] = tuple(range(start, stop + 1))
    else:
        try:
            parsed = ast.literal_eval(f"({text},)")
        except (SyntaxError, ValueError):
            raise OptionError(
                f"vary: the values of {name} must be Python literals separated by "
                f"commas, or a range such as 0..9; got {text!r}"
            ) from None
        values = tuple(parsed)
    if not values:
        raise OptionError(f"vary: {name} has no values")
    if len(set(map(repr, values))) != len(values):
        raise OptionError(f"vary: {name} lists a value twice")
    return values


def parse_vary(text: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """``"SEED: 0..4; LEARNING_RATE: 0.001, 0.01"`` as ((name, values), ...)."""
    parsed: list[tuple[str, tuple[Any, ...]]] = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, colon, values = part.partition(":")
        name = name.strip()
        if not colon or not NAME.match(name):
            raise OptionError(
                f"vary: {part!r} is not 'NAME: values' with NAME a constant in "
                'capitals, e.g. vary="SEED: 0..4"'
            )
        if name in dict(parsed):
            raise OptionError(f"vary: {name} is given twice")
        parsed.append((name, _values(name, values)))
    if not parsed:
        raise OptionError('vary="" names no constant')
    return tuple(parsed)


def parse_labels(option: str, text: str) -> tuple[tuple[str, str], ...]:
    """``"best_epoch: Best epoch; test_loss: Test loss"`` as ((name, label), ...)."""
    parsed = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, colon, label = (s.strip() for s in part.partition(":"))
        if not colon or not name.isidentifier() or not label:
            raise OptionError(
                f"{option}: {part!r} is not 'name: Label', with name a module-level "
                f'variable, e.g. {option}="best_epoch: Best epoch"'
            )
        parsed.append((name, label))
    if not parsed:
        raise OptionError(f'{option}="" names nothing')
    return tuple(parsed)


def parse(inputs: dict[str, str]) -> BlockOptions:
    """Check a block's options (everything after the language); raise OptionError."""
    inputs = dict(inputs)
    inputs.pop("exec", None)
    for name, why in UNSUPPORTED.items():
        if name in inputs or inputs.get("source") == name:
            raise OptionError(f"option {name} is not supported here: {why}")
    options: dict[str, Any] = {}
    if "source" in inputs:
        source = inputs.pop("source")
        if source not in SOURCES:
            allowed = ", ".join(sorted(s for s in SOURCES if s))
            raise OptionError(f'source="{source}" is not one of {allowed}')
        options["source"] = source
    for name in ("id", "title"):
        if name in inputs:
            options[name] = inputs.pop(name)
    if "result" in inputs:
        options["result"] = inputs.pop("result").strip()
        if not re.fullmatch(r"[\w+.-]+", options["result"]):
            raise OptionError('result names a language for the output: result="text"')
    if "idprefix" in inputs:
        options["id_prefix"] = inputs.pop("idprefix")
    if "tabs" in inputs:
        tabs = re.split(r"(?<!\\)\|", inputs.pop("tabs"), maxsplit=1)
        if len(tabs) != 2:
            raise OptionError('tabs must name two tabs, e.g. tabs="Code|Result"')
        options["tabs"] = (tabs[0], tabs[1])
    for name, key in (("html", "html"), ("updatetoc", "update_toc")):
        if name in inputs:
            options[key] = _boolean(name, inputs.pop(name))
    if "explore" in inputs:
        options["explore"] = _boolean("explore", inputs.pop("explore"))
    if "notebook" in inputs:
        options["notebook"] = _boolean("notebook", inputs.pop("notebook"))
    if "figures" in inputs:
        figures = inputs.pop("figures")
        if figures not in FIGURES:
            raise OptionError(f'figures="{figures}" is not one of first, shown')
        options["figures_first"] = FIGURES[figures]
    if "timeout" in inputs:
        options["timeout"] = _timeout(inputs.pop("timeout"))
    limits = [
        (name, _limit(name, inputs.pop(name))) for name in LIMITS if name in inputs
    ]
    if limits:
        options["limits"] = tuple(limits)
    if "depends" in inputs:
        patterns = tuple(p.strip() for p in inputs.pop("depends").split(","))
        if not all(patterns):
            raise OptionError("depends must be glob patterns separated by commas")
        options["depends"] = patterns
    if "vary" in inputs:
        options["vary"] = parse_vary(inputs.pop("vary"))
    if "spread" in inputs:
        options["spread"] = parse_labels("spread", inputs.pop("spread"))
    if "band" in inputs:
        text = inputs.pop("band")
        names, colon, label = (part.strip() for part in text.partition(":"))
        arrays = [name.strip() for name in names.split(",")]
        if not colon or not label or len(arrays) != 2:
            raise OptionError(
                "band names the x and y arrays and the line they surround: "
                'band="epochs, val_loss: Validation loss"'
            )
        if not all(name.isidentifier() for name in arrays):
            raise OptionError(f"band: {names!r} are not two variable names")
        options["band"] = (arrays[0], arrays[1], label)
    if "control" in inputs:
        options["control"] = inputs.pop("control").strip()
        if not options["control"]:
            raise OptionError(
                'control needs the label a reader sees, e.g. control="Learning rate"'
            )
    for name in ("spread", "band", "control"):
        if name in options and "vary" not in options:
            raise OptionError(f"{name} shows the variants: give vary too")
    if inputs:
        raise OptionError(
            f"unknown option{'s' if len(inputs) > 1 else ''} "
            + ", ".join(sorted(inputs))
        )
    return BlockOptions(**options)
