"""A block's options and where its fence stands, parsed alone: no build, no run.

``options.parse`` checks what follows ``python`` on a fence's first line; the
build turns its ``OptionError`` into a failed build naming the page and the block,
which tests/test_engine_faults.py checks end to end for a few of these errors.
"""

from __future__ import annotations

import textwrap

import pytest

from snippet_exec import fence, variants
from snippet_exec.options import (
    BlockOptions,
    OptionError,
    parse,
    parse_labels,
    parse_vary,
)


def test_options_parse_into_what_markdown_exec_takes():
    options = parse(
        {"exec": "1", "source": "tabbed-right", "id": "x", "timeout": "2.5"}
    )
    assert options == BlockOptions(source="tabbed-right", id="x", timeout=2.5)
    assert options.markdown_exec()["source"] == "tabbed-right"


def test_every_option_a_page_can_give():
    options = parse(
        {
            "exec": "1",
            "source": "above",
            "idprefix": "p-",
            "html": "yes",
            "updatetoc": "no",
            "tabs": "Code|Result",
            "title": "loss.py",
            "explore": "1",
            "figures": "first",
            "depends": "data/*.csv, snippets/_shared.py",
            "vary": "SEED: 0..2",
            "spread": "best_epoch: Best epoch",
            "band": "epochs, val_loss: Validation loss",
            "control": " Seed ",
        }
    )
    assert options.id_prefix == "p-" and options.html and not options.update_toc
    assert options.tabs == ("Code", "Result")
    assert options.explore and options.figures_first
    assert options.depends == ("data/*.csv", "snippets/_shared.py")
    assert options.vary == (("SEED", (0, 1, 2)),)
    assert options.spread == (("best_epoch", "Best epoch"),)
    assert options.band == ("epochs", "val_loss", "Validation loss")
    assert options.control == "Seed"
    assert options.markdown_exec()["extra"] == {"title": "loss.py"}


def test_vary_takes_ranges_lists_and_several_constants():
    assert parse_vary("SEED: 0..2; RATE: 0.1, 1e-3") == (
        ("SEED", (0, 1, 2)),
        ("RATE", (0.1, 0.001)),
    )
    assert parse_vary("SCALE: True; NAME: 'a', 'b'; LOW: -2..-1") == (
        ("SCALE", (True,)),
        ("NAME", ("a", "b")),
        ("LOW", (-2, -1)),
    )


def test_labels_name_a_variable_and_its_label():
    assert parse_labels("spread", "best_epoch: Best epoch; loss: Test loss") == (
        ("best_epoch", "Best epoch"),
        ("loss", "Test loss"),
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout": "abc"}, 'timeout="abc" is not a number of seconds'),
        ({"timeout": "3m"}, 'timeout="3m" is not a number of seconds'),
        ({"timeout": "inf"}, 'timeout="inf" must be a positive, finite number'),
        ({"timeout": "0"}, 'timeout="0" must be a positive, finite number'),
        ({"timeout": "-5"}, 'timeout="-5" must be a positive, finite number'),
        ({"session": "a"}, "option session is not supported here"),
        ({"workdir": "."}, "option workdir is not supported here"),
        ({"result": "a b"}, "result names a language for the output"),
        ({"returncode": "1"}, "option returncode is not supported here"),
        ({"width": "80"}, "option width is not supported here"),
        ({"source": "material-block"}, "option material-block is not supported"),
        ({"explore": "maybe"}, 'explore="maybe" is not a yes/no value'),
        ({"html": "2"}, 'html="2" is not a yes/no value'),
        ({"figures": "last"}, 'figures="last" is not one of first, shown'),
        ({"source": "sideways"}, 'source="sideways" is not one of'),
        ({"tabs": "Code"}, "tabs must name two tabs"),
        ({"depends": "a.csv,,b.csv"}, "depends must be glob patterns"),
        ({"colour": "red"}, "unknown option colour"),
        ({"colour": "red", "size": "9"}, "unknown options colour, size"),
        ({"vary": "SEED:"}, "vary: the values of SEED must be Python literals"),
        ({"vary": "SEED: 1, 1"}, "vary: SEED lists a value twice"),
        ({"vary": "SEED: 1; SEED: 2"}, "vary: SEED is given twice"),
        ({"vary": "seed: 1"}, "NAME a constant in capitals"),
        ({"vary": "SEED 1"}, "is not 'NAME: values'"),
        ({"vary": " ; "}, 'vary="" names no constant'),
        ({"vary": "SEED: 0..2", "spread": "best epoch"}, "is not 'name: Label'"),
        ({"vary": "SEED: 0..2", "spread": "x:"}, "is not 'name: Label'"),
        ({"vary": "SEED: 0..2", "band": "val_loss: Loss"}, "band names the x and y"),
        ({"vary": "SEED: 0..2", "band": "a, b c: Loss"}, "are not two variable"),
        ({"vary": "SEED: 0..2", "control": " "}, "control needs the label"),
        ({"control": "Seed"}, "control shows the variants: give vary too"),
        ({"spread": "best_epoch: Best"}, "spread shows the variants: give vary"),
        ({"band": "x, y: Loss"}, "band shows the variants: give vary too"),
    ],
    ids=lambda value: (
        " ".join(f"{k}={v}" for k, v in value.items())
        if isinstance(value, dict)
        else None
    ),
)
def test_a_bad_option_is_an_error_naming_it(options, message):
    with pytest.raises(OptionError) as raised:
        parse({"exec": "1", **options})
    assert message in str(raised.value)


def test_vary_names_only_module_level_constants_of_the_snippet():
    code = "SEED = 0\nRATE = 0.1\nRATE = 0.2\n\ndef f():\n    LOCAL = 1\n"
    assert variants.expand(code, "s.py", (("SEED", (1, 2)),)) == [
        {"SEED": 1},
        {"SEED": 2},
    ]
    for name in ("SPEED", "RATE", "LOCAL"):  # unknown, assigned twice, not top level
        with pytest.raises(OptionError, match=f"vary: {name} is not a module-level"):
            variants.expand(code, "s.py", ((name, (1,)),))
    with pytest.raises(OptionError, match=r"it has: SEED\)"):
        variants.expand(code, "s.py", (("SPEED", (1,)),))


# -- fences, found in a page's Markdown ---------------------------------------------


PAGE = textwrap.dedent(
    """\
    # A page

    ```python
    print("shown, not run")
    ```

    ```python exec="1" source="tabbed-right" id="loss" vary="SEED: 0..2"
    --8<-- "snippets/epochs/loss_per_epoch.py"
    ```

    - a list item

        ~~~~py exec='true' title="inline"
        x = 1
        print(x)
        ~~~~

    ```python exec="0"
    print("not run either")
    ```
    """
)


def test_fences_are_the_executed_blocks_in_page_order():
    first, second = fence.fences(PAGE)
    assert (first.line, first.id) == (7, "loss")
    assert first.options == {
        "exec": "1",
        "source": "tabbed-right",
        "id": "loss",
        "vary": "SEED: 0..2",
    }
    assert first.includes == ("snippets/epochs/loss_per_epoch.py",)
    assert first.body == ((8, '--8<-- "snippets/epochs/loss_per_epoch.py"'),)
    assert (second.line, second.id, second.includes) == (13, "", ())
    assert [number for number, _ in second.body] == [14, 15]
    assert second.options["title"] == "inline"


def test_a_fence_reads_as_its_options_parse():
    (written, _) = fence.fences(PAGE)
    assert parse(written.options).vary == (("SEED", (0, 1, 2)),)


def test_snippets_are_found_by_their_text_and_named_from_the_root(tmp_path):
    folder = tmp_path / "snippets"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "one.py").write_text("print(1)\n")
    (folder / "a" / "same.py").write_text("print(1)\n")
    (folder / "bad.py").write_bytes(b"x = 1\ny = 'caf\xe9'\n")
    found = fence.Snippets(tmp_path, folder)
    assert found.name(folder / "a" / "one.py") == "snippets/a/one.py"
    assert found.find("print(1)", ("snippets/a/one.py",)) == folder / "a" / "one.py"
    assert found.find("print(1)", ("snippets/a/same.py",)) == folder / "a" / "same.py"
    assert found.find("print(2)") is None
    assert found.errors[folder / "bad.py"].startswith("line 2 is not UTF-8")


def test_code_beside_an_include_is_mapped_to_the_page_lines(tmp_path):
    folder = tmp_path / "snippets"
    folder.mkdir()
    (folder / "one.py").write_text("x = 1\nprint(x)\n")
    page = '# P\n\n```python exec="1"\nSEED = 3\n--8<-- "snippets/one.py"\n```\n'
    (written,) = fence.fences(page)
    source = "SEED = 3\nx = 1\nprint(x)\n"
    origins = fence.Snippets(tmp_path, folder).origins(source, "p.md", written)
    assert origins == [("p.md", 4), ("snippets/one.py", 1), ("snippets/one.py", 2)]


@pytest.mark.parametrize("figures", ["first", "shown"])
def test_figures_first_puts_the_figures_before_the_printed_text(figures):
    from markdown import Markdown

    from snippet_exec import render

    figure = {"svg": "<svg></svg>", "alt": "A line", "caption": "", "at": 12}
    options = parse({"exec": "1", "figures": figures})
    html = render.render("", "- printed\n", [figure], options, Markdown(), "p")
    assert (html.index("<svg") < html.index("<ul>")) == (figures == "first")


def test_a_block_sets_its_own_size_limits():
    options = parse({"exec": "1", "figure_kb": "2048", "memory_mb": "8192"})
    assert options.limits == (("figure_kb", 2048), ("memory_mb", 8192))
    from snippet_exec.result import Limits

    raised = Limits().raised(options.limits)
    assert (raised.figure_kb, raised.memory_mb, raised.output_kb) == (2048, 8192, 256)


@pytest.mark.parametrize("value", ["2MB", "0", "-5", ""])
def test_a_size_limit_that_is_not_a_positive_number_is_an_error(value):
    with pytest.raises(OptionError, match=f'figure_kb="{value}" is not a positive'):
        parse({"exec": "1", "figure_kb": value})
