"""Every example is also a notebook: made from its snippet, downloadable, runnable."""

import ast
import asyncio
import os
import shutil

import nbformat
import pytest
from conftest import ROOT, SNIPPETS

from snippet_exec.blocks import fences
from snippet_exec.notebook import helpers

NOTEBOOKS = "notebooks"
pytestmark = pytest.mark.notebooks


def included(*, offered: bool) -> set[str]:
    """The snippets the pages include from a block that offers a notebook (or,
    with ``offered=False``, from one that says ``notebook="0"``)."""
    found = set()
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for written in fences(page.read_text(encoding="utf-8")):
            says = written.options.get("notebook", "1") not in {"0", "false"}
            if says == offered:
                found.update(written.includes)
    return found


EXAMPLES = [name for name in SNIPPETS if name in included(offered=True)]
"""The snippets that get a notebook page: those a page offers."""
WITHOUT = sorted(set(SNIPPETS) & included(offered=False) - set(EXAMPLES))
"""Those shown only by blocks that say ``notebook="0"`` (the exercises' answers)."""


def notebook_dir(site_dir, name):
    """The built folder of the notebook page of snippet ``name``."""
    stem = name.removeprefix("snippets/").removesuffix(".py")
    return site_dir / NOTEBOOKS / stem


@pytest.fixture(scope="module")
def notebooks(site):
    """Every downloadable notebook of the built site, read with nbformat."""
    site_dir, _ = site
    found = {}
    for name in EXAMPLES:
        stem = name.rsplit("/", 1)[-1].removesuffix(".py")
        path = notebook_dir(site_dir, name) / f"{stem}.ipynb"
        found[name] = nbformat.read(path, as_version=4)
    return found


@pytest.fixture(scope="module")
def executed(notebooks, site, tmp_path_factory):
    """Each notebook, run top to bottom in its own fresh kernel, in a folder of its
    own that holds what its page offers besides the notebook (the helper modules it
    imports), as a reader who downloaded them would. As many run at once as the
    machine has cores: all at once, on a loaded machine, a cell could wait past its
    time limit for the processor.

    The kernels talk over Unix sockets in a folder of their own, not TCP ports:
    a dozen kernels picking free ports at once can pick the same one."""
    from nbclient import NotebookClient
    from traitlets.config import Config

    site_dir, _ = site
    copies = {
        name: nbformat.reads(nbformat.writes(notebook), as_version=4)
        for name, notebook in notebooks.items()
    }
    sockets = tmp_path_factory.mktemp("kernels")
    folders = {}
    for name in copies:
        folders[name] = tmp_path_factory.mktemp("downloaded")
        for helper in notebook_dir(site_dir, name).glob("_*.py"):
            shutil.copy(helper, folders[name])

    async def run_all():
        slots = asyncio.Semaphore(os.cpu_count() or 1)

        async def run(client):
            async with slots:
                await client.async_execute()

        clients = [
            NotebookClient(
                copy,
                kernel_name="python3",
                timeout=1800,  # a hung cell, not a slow machine
                resources={"metadata": {"path": str(folders[name])}},
                config=Config(
                    KernelManager={
                        "transport": "ipc",
                        "ip": str(sockets / f"kernel{number}"),
                    }
                ),
            )
            for number, (name, copy) in enumerate(copies.items())
        ]
        await asyncio.gather(*(run(client) for client in clients))

    asyncio.run(run_all())
    return copies


@pytest.mark.parametrize("name", EXAMPLES)
def test_notebook_is_valid_nbformat_4(name, notebooks):
    nbformat.validate(notebooks[name])
    assert notebooks[name].nbformat == 4


@pytest.mark.parametrize("name", EXAMPLES)
def test_notebook_code_is_the_snippets_code(name, notebooks):
    """Joined, the code cells are the snippet without its docstring: same AST."""
    cells = notebooks[name].cells
    code = "\n\n".join(cell.source for cell in cells if cell.cell_type == "code")
    snippet = ast.parse((ROOT / name).read_text(encoding="utf-8"))
    snippet.body = snippet.body[1:]  # the docstring is the first Markdown cell
    assert ast.dump(ast.parse(code)) == ast.dump(snippet)
    assert cells[0].cell_type == "markdown"
    assert cells[0].source.startswith("# ")


@pytest.mark.parametrize("name", EXAMPLES)
def test_notebook_carries_the_builds_outputs(name, notebooks, runs):
    outputs = [o for cell in notebooks[name].cells for o in cell.get("outputs", [])]
    figures = [o for o in outputs if o.output_type == "display_data"]
    assert len(figures) == len(runs[name].figures)
    printed = "".join(o.text for o in outputs if o.output_type == "stream")
    for line in runs[name].markdown.splitlines():
        if line.strip() and "snippet-exec-figure" not in line:
            assert line.strip() in printed


@pytest.mark.parametrize("name", EXAMPLES)
def test_downloaded_notebook_runs_in_a_fresh_kernel(name, executed):
    for cell in executed[name].cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"{name}: {output.get('evalue')}"
            if output.output_type == "stream":
                assert output.name == "stdout", f"{name} wrote to stderr: {output.text}"


@pytest.mark.parametrize("name", EXAMPLES)
def test_notebook_page_links_both_downloads_and_its_concept_page(name, site):
    site_dir, _ = site
    folder = notebook_dir(site_dir, name)
    html = (folder / "index.html").read_text(encoding="utf-8")
    script = name.rsplit("/", 1)[-1]
    stem = script.removesuffix(".py")
    imported = helpers((ROOT / name).read_text("utf-8"), (ROOT / name).parent)
    for download in (f"{stem}.ipynb", script, *(h.name for h in imported)):
        assert f'href="{download}" download' in html
        assert (folder / download).is_file()
    assert (folder / script).read_bytes() == (ROOT / name).read_bytes()
    for helper in imported:
        assert (folder / helper.name).read_bytes() == helper.read_bytes()
    assert "shown on <a href=" in html


def test_concept_pages_link_to_their_notebooks(site):
    site_dir, _ = site
    for source in (ROOT / "docs").rglob("*.md"):
        built = source.relative_to(ROOT / "docs").with_suffix("")
        if built.name == "index":
            built = built.parent
        for name in EXAMPLES:
            if f'--8<-- "{name}"' in source.read_text(encoding="utf-8"):
                html = (site_dir / built / "index.html").read_text(encoding="utf-8")
                stem = name.removeprefix("snippets/").removesuffix(".py")
                link = f'{NOTEBOOKS}/{stem}/">Open this example as a notebook'
                assert link in html, f"{source.name} does not link to {stem}"


def test_helpers_never_become_pages(site):
    """A helper module is no notebook and no page: it is offered, as itself, only
    beside the notebooks of the examples that import it."""
    from properdocs.config import load_config

    site_dir, _ = site
    jupyter = load_config(str(ROOT / "mkdocs.yml")).plugins["mkdocs-jupyter"].config
    assert jupyter["include"] == ["*.ipynb"]
    assert jupyter["allow_errors"] is False
    for helper in (ROOT / "snippets").rglob("_*.py"):
        page = helper.parent.name  # its copies are under notebooks/<page>/
        found = [
            path
            for path in site_dir.rglob(f"{helper.stem}*")
            if path.relative_to(site_dir).parts[:2] == ("notebooks", page)
        ]
        assert all(path.name == helper.name for path in found), (helper, found)
        assert all(path.read_bytes() == helper.read_bytes() for path in found)


def test_an_answer_gets_no_notebook_page(site):
    """A block that says ``notebook="0"`` (an exercise's answer) makes no notebook
    page, and the notebooks' index does not list it."""
    site_dir, _ = site
    assert WITHOUT, 'no block says notebook="0"'
    index = (site_dir / NOTEBOOKS / "index.html").read_text(encoding="utf-8")
    for name in WITHOUT:
        assert not notebook_dir(site_dir, name).exists(), name
        stem = name.removeprefix("snippets/").removesuffix(".py")
        assert f"{stem}/" not in index, name
