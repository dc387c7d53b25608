"""Make a Jupyter notebook from a snippet and the outputs of its one execution.

A snippet is a script in the percent format: ``# %%`` opens a cell, and the comment
lines that open a cell are its heading and prose. The notebook has the docstring
and each cell's opening comments as Markdown cells, the rest of each cell as a code
cell, and under each code cell what that cell printed and the figures it showed,
exactly as the build captured them. Nothing is executed here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
from nbformat import v4

from snippet_exec.shared import cell_starts

UNDERLINE = re.compile(r"^[-=~]{3,}$")
Bundle = Callable[[dict[str, Any], int], dict[str, str]]


def _prose(comments: list[str]) -> str:
    """Comment lines as Markdown: an underlined first line becomes a heading."""
    lines = [
        line[2:] if line.startswith("# ") else line.lstrip("#") for line in comments
    ]
    if len(lines) > 1 and UNDERLINE.match(lines[1]):
        lines[:2] = [f"## {lines[0]}", ""]
    return "\n".join(lines).strip()


def _docstring(source: str) -> tuple[str, str]:
    """The module docstring as Markdown (first line a title), and the code after it."""
    tree = ast.parse(source)
    docstring = ast.get_docstring(tree)
    if not docstring:
        return "", source
    end = tree.body[0].end_lineno or 0
    rest = docstring.partition("\n")[2]
    rest_of_code = "\n".join(source.splitlines()[end:])
    return f"# {title(source)}\n\n{rest.strip()}".strip(), rest_of_code


def title(source: str) -> str:
    """A snippet's title: the first line of its docstring, without a full stop
    ("" if it has none, or does not parse)."""
    try:
        docstring = ast.get_docstring(ast.parse(source)) or ""
    except SyntaxError:
        return ""
    return docstring.partition("\n")[0].strip().rstrip(".")


def helpers(source: str, folder: Path) -> list[Path]:
    """The helper modules a snippet imports from its own folder (``_data.py``
    beside it, imported as ``_data``): its notebook needs them beside it to run."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.partition(".")[0])
    found = (folder / f"{name}.py" for name in names if name.startswith("_"))
    return sorted(path for path in found if path.is_file())


def for_download(figure: dict[str, Any], number: int) -> dict[str, str]:
    """A figure as a downloaded notebook shows it: PNG (which JupyterLab shows in a
    notebook it does not trust), SVG, and the alt text as its plain text."""
    return {
        "image/png": figure["png"],
        "image/svg+xml": figure["svg"],
        "text/plain": figure["alt"],
    }


def _outputs(
    printed: str, start: int, end: int, figures: list[dict], bundle: Bundle
) -> list:
    """What a cell printed (``printed[start:end]``) and the figures it showed, as
    notebook outputs, in order; ``bundle`` gives a figure's output data."""
    outputs = []
    position = start
    for figure in (f for f in figures if start <= f["at"] < end or f["at"] == end):
        if stream := printed[position : figure["at"]].strip():
            outputs.append(v4.new_output("stream", name="stdout", text=stream + "\n"))
        data = bundle(figure, figures.index(figure))
        outputs.append(v4.new_output("display_data", data=data))
        position = figure["at"]
    if stream := printed[position:end].strip():
        outputs.append(v4.new_output("stream", name="stdout", text=stream + "\n"))
    return outputs


def make_notebook(
    code: str,
    printed: str,
    cell_ends: list[int],
    figures: list[dict],
    bundle: Bundle = for_download,
) -> str:
    """The notebook (JSON text) for ``code``, whose run printed ``printed``.

    ``cell_ends[i]`` is the length ``printed`` had when cell ``i`` finished; cells
    past the end of ``cell_ends`` (none, for a failed run) get no outputs. Each
    figure's output is ``bundle(figure, its number)``: by default what a downloaded
    notebook needs; a notebook page gives the figure as the site's HTML.
    """
    starts = cell_starts(code)
    lines = code.splitlines()
    cells = []
    used: list[dict] = []
    offset = 0
    for number, start in enumerate(starts):
        end = starts[number + 1] - 1 if number + 1 < len(starts) else len(lines)
        chunk = lines[start - 1 : end]
        if number > 0:
            chunk = chunk[1:]  # the "# %%" line itself
        text = "\n".join(chunk)
        if number == 0:
            prose, text = _docstring(text)
            if prose:
                cells.append(v4.new_markdown_cell(prose))
        comments = []
        body = text.splitlines()
        while body and body[0].startswith("#"):
            comments.append(body.pop(0))
        if comments:
            cells.append(v4.new_markdown_cell(_prose(comments)))
        source = "\n".join(body).strip("\n")
        end_of_output = cell_ends[number] if number < len(cell_ends) else offset
        shown = [f for f in figures if f not in used]
        outputs = _outputs(printed, offset, end_of_output, shown, bundle)
        used += [f for f in shown if offset <= f["at"] <= end_of_output]
        offset = end_of_output
        if source:
            cells.append(v4.new_code_cell(source, outputs=outputs))
    notebook = v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            },
            "language_info": {"name": "python"},
        },
    )
    code_cells = [cell for cell in cells if cell.cell_type == "code"]
    for count, cell in enumerate(code_cells, start=1):
        cell.execution_count = count
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # not nbformat's random ids: reproducible bytes
    nbformat.validate(notebook)
    return nbformat.writes(notebook)
