"""Variants, their spread and what-if controls, on tiny inputs: no build, no run.

``variants`` makes each variant's code, ``spread`` the table and the band a block
shows from its runs' results, ``whatif`` the control that switches between them.
The results here are made by hand, as a run would return them.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from snippet_exec import spread, variants, whatif
from snippet_exec.options import OptionError, parse
from snippet_exec.result import Result

CODE = textwrap.dedent(
    """\
    RATES = [
        0.1,
        0.2,
    ]
    SEED = 42  # the seed
    print(SEED, RATES)
    """
)


def test_variants_keep_every_other_line_and_its_number():
    changed = variants.substitute(CODE, {"RATES": [1], "SEED": 7})
    assert len(changed.splitlines()) == len(CODE.splitlines())
    assert changed.splitlines()[5] == "print(SEED, RATES)"
    assert "SEED = 7  # the seed" in changed
    namespace: dict = {}
    exec(changed.replace("print(SEED, RATES)", "result = SEED, RATES"), namespace)
    assert namespace["result"] == (7, [1])


def test_every_combination_is_a_variant_in_order():
    vary = parse({"vary": "SEED: 0..1; RATES: [1], [2]"}).vary
    assert variants.expand(CODE, "s.py", vary) == [
        {"SEED": 0, "RATES": [1]},
        {"SEED": 0, "RATES": [2]},
        {"SEED": 1, "RATES": [1]},
        {"SEED": 1, "RATES": [2]},
    ]


def test_defaults_are_the_snippets_own_literal_values():
    code = CODE + "STEPS = range(3)\n"
    assert variants.defaults(code, ["SEED", "RATES", "STEPS", "NONE"]) == {
        "SEED": 42,
        "RATES": [0.1, 0.2],
    }


# -- spread: the table ---------------------------------------------------------------


def test_describe_says_ranges_and_lists_in_words():
    assert (
        spread.describe((("SEED", (0, 1, 2, 3)),)) == "one per value of SEED (0 to 3)"
    )
    assert spread.describe((("SEED", (0, 1)), ("RATE", (0.1, 1)))) == (
        "one per combination of SEED (0 and 1) and RATE (0.1 and 1)"
    )
    assert (
        spread.describe((("SEED", (0, 2, 5)),)) == "one per value of SEED (0, 2 and 5)"
    )
    labels = {"SEED": "Seed of the split", "SGD": "SGD steps"}
    assert spread.describe((("SEED", (0, 1, 2)),), labels) == (
        "one per seed of the split (0 to 2)"
    )
    assert spread.describe((("SGD", (1, 2)),), labels) == "one per SGD steps (1 and 2)"
    bracketed = {"SEED": "Seed (weights, order)"}
    assert spread.describe((("SEED", (0, 1)),), bracketed) == (
        "one per seed (weights, order; 0 and 1)"
    )


def test_the_table_gives_the_run_in_the_text_beside_median_lowest_and_highest():
    variants_ = [({"SEED": s}, {"best": b}) for s, b in [(0, 10), (1, 30), (2, 14)]]
    html = spread.table(
        {"best": 12},
        variants_,
        (("best", "Best epoch"),),
        (("SEED", (0, 1, 2)),),
        {"SEED": 42},
        {"SEED": "Seed"},
    )
    assert (
        "Over 3 runs, one per seed (0 to 2): the median, lowest and highest of each "
        "number, beside the run the text describes (SEED = 42)."
    ) in html
    assert "<th>Run in the text</th>" in html
    row = re.search(r"<tr><td>Best epoch</td>(.*?)</tr>", html)[1]
    assert re.findall(r"<td>([^<]*)</td>", row) == ["12", "14", "10", "30"]
    every = html[html.index("<details><summary>Each run's numbers</summary>") :]
    assert every.count("<tr><td>") == 3
    assert "<th>Seed</th><th>Best epoch</th>" in every
    unlabelled = spread.table(
        {"best": 12}, variants_, (("best", "Best"),), (("SEED", (0, 1, 2)),), {}
    )
    assert "<th><code>SEED</code></th>" in unlabelled


@pytest.mark.parametrize("value", [None, "twelve", True, [1, 2]])
def test_the_table_takes_numbers_only(value):
    with pytest.raises(OptionError, match="spread: best is not a number"):
        spread.table(
            {"best": 1},
            [({"SEED": 0}, {"best": value})],
            (("best", "Best"),),
            (("SEED", (0,)),),
            {},
        )


# -- spread: the band ----------------------------------------------------------------

SVG = (
    '<svg fill="currentColor" viewBox="0 0 200 100">\n'
    '<g id="f-axes0-line0">\n<path d="M 0 0" clip-path="url(#clip)"/>\n</g>\n</svg>'
)


def figure(scale: str = "linear") -> dict:
    """A figure as capture describes it: x from 1 to 5 drawn from 0 to 100, y from
    0 to 10 drawn from 100 up to 0, one line labelled "Loss"."""
    return {
        "svg": SVG,
        "alt": "A figure.",
        "caption": "Loss per epoch",
        "axes": [],
        "at": 0,
        "png": "",
        "explore": {
            "xlabel": "Epoch",
            "lines": [{"label": "Loss", "gid": "f-axes0-line0", "colour": "#123456"}],
            "mapping": {
                "x": {"scale": "linear", "data": [1, 5], "svg": [0, 100]},
                "y": {"scale": scale, "data": [1, 10], "svg": [100, 0]},
            },
        },
    }


def test_the_band_shades_the_range_of_the_runs_around_its_line():
    x = [1, 2, 3, 4, 5]
    arrays = [[9, 5, 3, 2, 4], [10, 6, 2, 3, 5]]
    banded = spread.band(figure(), x, arrays, "Loss", "2 runs (SEED = 0, 1)")
    (path,) = re.findall(r'<path class="snippet-exec-band" d="([^"]+)"', banded["svg"])
    points = [tuple(map(float, p.split())) for p in path[2:-2].split(" L ")]
    assert len(points) == 10  # along the top, then back along the bottom
    assert points[0] == (0.0, 0.0) and points[-1] == (0.0, 11.1)  # y 10 and 9
    assert 'fill="#123456"' in banded["svg"]
    assert 'stroke="none" clip-path="url(#clip)"/>' in banded["svg"]  # the line's clip
    assert banded["svg"].index("snippet-exec-band") < banded["svg"].index("f-axes0")
    assert banded["caption"] == (
        "Loss per epoch. Shaded: the range over 2 runs (SEED = 0, 1)."
    )
    assert banded["alt"] == (
        "A figure. Shaded: the range of Loss over 2 runs (SEED = 0, 1); the lowest "
        "loss of each run is between 2 and 2, reached between epoch 3 and epoch 4."
    )


def test_a_log_axis_leaves_out_what_it_cannot_draw():
    x = [1, 2, 3, 4, 5]
    banded = spread.band(figure("log"), x, [[0, 5, 3, 2, 4]] * 2, "Loss", "2 runs")
    (path,) = re.findall(r'class="snippet-exec-band" d="([^"]+)"', banded["svg"])
    assert len(path[2:-2].split(" L ")) == 8  # the first point (loss 0) is left out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"label": "Accuracy"}, "the first figure has no line 'Accuracy' ('Loss')"),
        ({"arrays": [[1, 2, 3]]}, "the arrays do not all have the 5 points of x"),
        ({"arrays": [[None] * 5]}, "fewer than two points fall on the figure"),
        ({"explore": None}, "the first figure has no labelled line to shade"),
    ],
    ids=["no-such-line", "lengths", "no-points", "no-lines"],
)
def test_a_band_that_cannot_be_drawn_is_an_option_error(change, message):
    drawn = figure()
    if "explore" in change:
        drawn["explore"] = None
    with pytest.raises(OptionError, match=re.escape(message)):
        spread.band(
            drawn,
            [1, 2, 3, 4, 5],
            change.get("arrays", [[1, 2, 3, 4, 5]]),
            change.get("label", "Loss"),
            "runs",
        )


def result(values: dict, figures: list | None = None) -> Result:
    return Result(markdown="- done", values=values, figures=figures or [])


def test_show_puts_the_band_on_the_first_figure_and_the_table_after_it():
    code = "SEED = 42\n"
    options = parse(
        {
            "vary": "SEED: 0, 1",
            "spread": "best: Best epoch",
            "band": "epochs, loss: Loss",
        }
    )
    epochs = [1, 2, 3, 4, 5]
    results = [
        result({"best": b, "epochs": epochs, "loss": [9, 5, b, 2, 4]}, [figure()])
        for b in (3, 1, 2)
    ]
    figures, extra = spread.show(options, code, results, [{}, {"SEED": 0}, {"SEED": 1}])
    assert "snippet-exec-band" in figures[0]["svg"]
    assert figures[0]["caption"].endswith(
        "Shaded: the range over 2 runs, one per value of SEED (0 and 1)."
    )
    assert "beside the run the text describes (SEED = 42)." in extra


def test_show_without_vary_shows_the_run_as_it_is():
    shown = result({}, [figure()])
    assert spread.show(parse({}), "", [shown], [{}]) == ([figure()], "")


@pytest.mark.parametrize(
    ("options", "values", "figures", "message"),
    [
        ({"spread": "nothing_here: Nothing"}, {}, [], "spread: nothing_here is not"),
        ({"band": "epochs, best: Loss"}, {"best": 1}, [], "is not a list of numbers"),
        ({"band": "x, y: Loss"}, {"x": [1, 2], "y": [1, 2]}, [], "shows no figure"),
    ],
    ids=["unknown-value", "not-an-array", "no-figure"],
)
def test_show_names_what_the_runs_lack(options, values, figures, message):
    parsed = parse({"vary": "SEED: 0, 1", **options})
    results = [result(values, figures) for _ in range(3)]
    with pytest.raises(OptionError, match=message):
        spread.show(parsed, "SEED = 9\n", results, [{}, {"SEED": 0}, {"SEED": 1}])


# -- what-if controls ----------------------------------------------------------------


def test_controls_list_one_number_from_the_smallest_up_once_each():
    vary = (("RATE", (0.3, 0.01, 0.1)),)
    constants = [{}, {"RATE": 0.3}, {"RATE": 0.01}, {"RATE": 0.1}]
    name, (made,), runs = whatif.controls(vary, {"RATE": 0.1}, constants, "Rate")
    assert name == "Rate" and made.kind == "slider"
    assert made.values == (0.01, 0.1, 0.3) and made.written == 1
    assert runs == {(0,): 2, (1,): 0, (2,): 1}  # the run as written, not its repeat
    assert [made.text(n) for n in range(3)] == ["0.01", "0.1 (as in the text)", "0.3"]


def test_a_seed_gets_a_run_picker_the_run_as_written_first():
    vary = (("SPLIT_SEED", (0, 1, 2)),)
    constants = [{}, {"SPLIT_SEED": 0}, {"SPLIT_SEED": 1}, {"SPLIT_SEED": 2}]
    _, (made,), runs = whatif.controls(vary, {"SPLIT_SEED": 42}, constants, "Split")
    assert made.kind == "run" and made.values == (42, 0, 1, 2) and made.written == 0
    assert made.text(0) == "Run 1 of 4 (split seed 42, as in the text)"
    assert made.text(2) == "Run 3 of 4 (split seed 1)"
    assert runs == {(0,): 0, (1,): 1, (2,): 2, (3,): 3}
    assert whatif.is_seed("SEED") and whatif.is_seed("MLP_RANDOM_STATE")
    assert not whatif.is_seed("SEEDLINGS")


def test_several_constants_get_a_control_each_and_every_combination():
    vary = (("RATE", (0.1, 1.0)), ("BATCH_SIZE", (1, 8, 32)))
    defaults = {"RATE": 0.1, "BATCH_SIZE": 8}
    constants = [{}] + [
        {"RATE": r, "BATCH_SIZE": b} for r in (0.1, 1.0) for b in (1, 8, 32)
    ]
    name, made, runs = whatif.controls(vary, defaults, constants, "RATE: Learning rate")
    assert name == "Learning rate, Batch size"
    assert [(c.label, c.kind, c.written) for c in made] == [
        ("Learning rate", "select", 0),
        ("Batch size", "slider", 1),
    ]
    assert len(runs) == 6 and runs[(0, 1)] == 0 and runs[(1, 2)] == 6
    with pytest.raises(OptionError, match=r"no run has RATE = 1.0, BATCH_SIZE = 8"):
        whatif.controls(vary, defaults, constants[:5], "Rate")
    with pytest.raises(OptionError, match="control: SIZE is not varied"):
        whatif.controls(vary, defaults, constants, "SIZE: Size")


def panels(html: str) -> list[tuple[str, str, bool]]:
    return [
        (choice, label, bool(hidden))
        for choice, label, hidden in re.findall(
            r'data-choice="([^"]*)" data-label="([^"]*)"( hidden)?>', html
        )
    ]


def test_a_number_over_three_values_gets_a_slider_at_the_snippets_value():
    html = whatif.control(
        "Rate",
        "b",
        (("RATE", (0, 7, 42)),),
        {"RATE": 7},
        [{}, {"RATE": 0}, {"RATE": 7}, {"RATE": 42}],
        lambda index, prefix: f"<p>run {index} as {prefix}</p>",
    )
    assert '<label for="b-control">Rate</label>' in html
    assert 'data-key="rate" data-kind="slider" data-written="1"' in html
    assert (
        '<input type="range" id="b-control" min="0" max="2" step="1" value="1" '
        'aria-valuetext="7 (as in the text)"><output for="b-control">7 (as in the '
        "text)</output>"
    ) in html
    assert panels(html) == [
        ("0", "Rate: 0", True),
        ("1", "Rate: 7 (as in the text)", False),
        ("2", "Rate: 42", True),
    ]
    assert "<p>run 0 as b</p>" in html and "<p>run 3 as b-v2</p>" in html
    assert 'aria-live="polite"' in html


def test_a_run_picker_steps_through_the_runs():
    html = whatif.control(
        "Seed",
        "b",
        (("SEED", (0, 1)),),
        {"SEED": 42},
        [{}, {"SEED": 0}, {"SEED": 1}],
        lambda index, prefix: "",
    )
    assert '<div class="snippet-exec-whatif-control" data-key="seed" ' in html
    assert 'role="group" aria-labelledby="b-control-label"' in html
    assert (
        '<output id="b-control">Run 1 of 3 (seed 42, as in the text)</output>' in html
    )
    assert html.count('class="snippet-exec-whatif-step"') == 2
    assert 'aria-label="Next run"' in html and 'aria-label="Previous run"' in html
    assert [c for c, _, _ in panels(html)] == ["0", "1", "2"]


def test_a_yes_no_constant_is_chosen_with_a_select():
    html = whatif.control(
        "Scale",
        "b",
        (("SCALE", (True,)),),
        {"SCALE": False},
        [{}, {"SCALE": True}],
        lambda index, prefix: "",
    )
    assert (
        '<select id="b-control"><option value="0" selected>no (as in the text)'
        '</option><option value="1">yes</option></select>'
    ) in html


def test_two_controls_choose_one_panel_of_their_combinations():
    html = whatif.control(
        "RATE: Rate; SIZE: Size",
        "b",
        (("RATE", (1, 2)), ("SIZE", (5, 6))),
        {"RATE": 1, "SIZE": 5},
        [{}] + [{"RATE": r, "SIZE": s} for r in (1, 2) for s in (5, 6)],
        lambda index, prefix: "",
    )
    assert '<label for="b-control-0">Rate</label>' in html
    assert '<label for="b-control-1">Size</label>' in html
    assert [(c, hidden) for c, _, hidden in panels(html)] == [
        ("0 0", False),
        ("0 1", True),
        ("1 0", True),
        ("1 1", True),
    ]
    assert 'data-label="Rate: 2; Size: 6"' in html


def test_a_control_over_the_snippets_own_values_only_is_refused():
    with pytest.raises(ValueError, match="repeat the snippet's own values"):
        whatif.control(
            "Seed", "b", (("SEED", (42,)),), {"SEED": 42}, [{}, {"SEED": 42}], str
        )
