"""Checks on the one strict build of the whole site."""

import gzip
import re
from datetime import UTC, datetime

from conftest import (
    ROOT,
    SNIPPETS,
    build_site,
    page,
    page_variants,
    source_date_epoch,
)

from snippet_exec import variants

CONCEPT_PAGES = [
    "epochs",
    "iterations",
    "batches",
    "underfitting-overfitting",
    "choosing-epochs",
    "glossary",
]


def distinct_variants(name: str) -> list[dict]:
    """The variants of ``name`` the pages show that are not the snippet as written
    (a variant with the snippet's own values is the same run, cached once)."""
    code = (ROOT / name).read_text(encoding="utf-8")
    return [
        c for c in page_variants().get(name, []) if variants.substitute(code, c) != code
    ]


def test_build_reused_this_sessions_runs(site):
    """Each snippet ran once this session: the build took every result from it."""
    _, log = site
    runs = len(SNIPPETS) + sum(len(distinct_variants(name)) for name in page_variants())
    assert f"Nothing ran: all {runs} results came from the cache" in log
    assert " ran in " not in log


def test_every_snippet_is_shown_on_a_page(site):
    """The page that asked for each example's run first, as the Execution times
    page names it, is a concept page, not only the example's notebook page."""
    site_dir, _ = site
    times = page(site_dir, "execution-times")
    for name in SNIPPETS:
        cell = rf"<td><code>{re.escape(name)}</code></td><td>(.*?)</td>"
        row = re.search(cell, times)
        assert row, f"no page executes {name}"
        assert "href=" in row[1], f"no page executes {name}"
        assert "notebooks/" not in row[1], f"no concept page shows {name}"


def test_execution_times_page_lists_every_block(site):
    site_dir, _ = site
    html = page(site_dir, "execution-times")
    for name in SNIPPETS:
        assert f"<code>{name}</code>" in html


def test_no_placeholder_is_left(site):
    site_dir, _ = site
    for path in site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "snippet-exec-block" not in text, path
        assert "snippet-exec-figure" not in text, path


def test_a_second_build_is_byte_identical(site, cache_dir, work_dir, tmp_path):
    """Reproducible: the same sources and results give the same bytes (no build
    time, no random ids). Executing the snippets is deterministic too (fixed seeds,
    one thread each), but checking that would take a second run of every snippet."""
    site_dir, _ = site
    build_site(tmp_path, cache_dir, work_dir)
    first = sorted(p.relative_to(site_dir) for p in site_dir.rglob("*") if p.is_file())
    second = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert first == second
    differ = [
        p for p in first if (site_dir / p).read_bytes() != (tmp_path / p).read_bytes()
    ]
    assert not differ, f"these files differ between two builds: {differ}"


def test_build_is_dated_by_source_date_epoch(site):
    site_dir, _ = site
    date = datetime.fromtimestamp(int(source_date_epoch()), UTC).date().isoformat()
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<lastmod>{date}</lastmod>" in sitemap
    with gzip.open(site_dir / "sitemap.xml.gz") as compressed:
        assert compressed.read().decode() == sitemap


RAW_LIMIT = 1_000_000
"""The most bytes a page may weigh as written (issue 22)."""
GZIP_LIMIT = 250_000
"""The most bytes a page may weigh as sent gzipped, at level 6 (gzip's and most
servers' default)."""


def test_every_page_is_under_one_megabyte_and_250_kb_gzipped(site):
    """Measured on every HTML page of the site, the figures and the what-if panels
    they carry included; the shared scripts and styles are fetched once a visit."""
    site_dir, _ = site
    heavy = {}
    for path in sorted(site_dir.rglob("*.html")):
        raw = path.read_bytes()
        sent = len(gzip.compress(raw, compresslevel=6, mtime=0))
        if len(raw) > RAW_LIMIT or sent > GZIP_LIMIT:
            heavy[path.relative_to(site_dir).as_posix()] = (len(raw), sent)
    assert not heavy, (
        f"pages over {RAW_LIMIT:,} bytes or {GZIP_LIMIT:,} gzipped: {heavy}"
    )


def test_every_claim_mark_opens_its_tests_source_in_its_page(site):
    """Each ✓ is a button whose popover, in the same page, holds its test's source
    (so it opens offline); search indexes the pages' text, not the tests'."""
    site_dir, _ = site
    marks = 0
    for path in sorted(site_dir.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        for name in set(
            re.findall(r'class="claim-mark" popovertarget="([^"]+)"', html)
        ):
            marks += 1
            where = f"{path.relative_to(site_dir)}: {name}"
            assert html.count(f'id="{name}" popover') == 1, where
            box = html[html.index(f'id="{name}" popover') :]
            box = re.sub(r"<[^>]+>", "", box[: box.index("</pre>")])
            assert f"def {name.removeprefix('claim-')}(" in box, where
    assert marks >= 50
    index = (site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "claim-test" not in index and "def test_" not in index


def test_times_page_shows_each_blocks_last_run_time_slowest_first(site, all_runs):
    """Taken from this session's runs (the cache), so the page is reproducible;
    every variant that is not the snippet as written has a line of its own."""
    site_dir, _ = site
    html = page(site_dir, "execution-times")
    shown = re.findall(
        r"<code>([^<]+)</code>.*?<td>([\d.]+) s</td><td>cache</td>", html
    )
    expected = {name: found[0][1] for name, found in all_runs.items()}
    for name, found in all_runs.items():
        distinct = distinct_variants(name)
        for constants, result in found[1:]:
            if constants in distinct:
                listed = ", ".join(f"{k}={v!r}" for k, v in constants.items())
                expected[f"{name} [{listed}]"] = result
    assert {name for name, _ in shown} == set(expected)
    seconds = [float(value) for _, value in shown]
    assert seconds == sorted(seconds, reverse=True)
    for name, value in shown:
        assert value == f"{expected[name].seconds:.1f}"


def test_mkdocs_builds_the_same_site_but_the_generator_tag(
    site, cache_dir, work_dir, tmp_path
):
    """The one-line switch back to MkDocs 1.6 (see README) gives the same site:
    from the same cache, every file is the same but for the generator tag."""
    site_dir, _ = site
    log = build_site(tmp_path, cache_dir, work_dir, tool="mkdocs")
    assert "Nothing ran" in log
    files = sorted(p.relative_to(site_dir) for p in site_dir.rglob("*") if p.is_file())
    assert files == sorted(
        p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()
    )
    generator = re.compile(rb'<meta name="generator" content="[^"]*">')
    differ = [
        p
        for p in files
        if generator.sub(b"", (site_dir / p).read_bytes())
        != generator.sub(b"", (tmp_path / p).read_bytes())
    ]
    assert not differ, f"these files differ beyond the generator tag: {differ}"
    home = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'content="mkdocs-1.6' in home


def test_notebook_pages_weigh_under_200_kb(site):
    """Their shared styles are stylesheets of their own, fetched once."""
    site_dir, _ = site
    sizes = {
        p.relative_to(site_dir).as_posix(): p.stat().st_size
        for p in (site_dir / "notebooks").rglob("index.html")
    }
    assert len(sizes) > 1
    heavy = {name: size for name, size in sizes.items() if size > 200_000}
    assert not heavy, heavy


def test_every_page_made_from_a_file_links_to_where_it_is_edited(site):
    """Concept pages to their Markdown; notebook pages to their snippet; pages made
    from no file of the repository (the times page, the notebooks' index) to none."""
    site_dir, _ = site
    edit = re.compile(
        r'href="(https://git\.example/epochs/edit/main/[^"]+)"[^>]*title="Edit'
    )
    for name in ("epochs", "batches", ""):
        assert edit.search(page(site_dir, name))[1].endswith(
            f"docs/{name or 'index'}.md"
        )
    notebook = page(site_dir, "notebooks/epochs/loss_per_epoch")
    assert edit.search(notebook)[1].endswith("/main/snippets/epochs/loss_per_epoch.py")
    for generated in ("execution-times", "notebooks"):
        assert not edit.search(page(site_dir, generated)), generated


def test_the_times_page_is_in_the_footer_not_the_navigation(site):
    site_dir, _ = site
    home = page(site_dir, "")
    assert 'href="execution-times/">Execution times of the examples' in home
    nav = home[home.index("md-nav--primary") : home.index("md-content")]
    assert "execution-times" not in nav
    times = page(site_dir, "execution-times")
    assert "input checks switched off" in times


def test_every_example_says_how_long_it_ran(site, runs):
    """Taken from the run that filled the cache, so the page is reproducible."""
    site_dir, _ = site
    html = page(site_dir, "epochs")
    seconds = runs["snippets/epochs/loss_per_epoch.py"].seconds
    said = f"This example ran in {seconds:.1f} s when the site was built; its "
    assert said in html  # and its other runs
    # A fact about the build, not the lesson: folded away under the block.
    folded = re.findall(
        r'<details class="snippet-exec-time"><summary>Run time</summary><p>(.*?)</p>',
        html,
    )
    assert any(text.startswith(said) for text in folded)
    prose = re.sub(r"<pre\b.*?</pre>|<code>.*?</code>", "", html, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", prose)  # the page's words, not its code's
    assert not re.search(r"\bvariants?\b|\bresumed\b", text)


# -- pages as built -------------------------------------------------------------
# Here, not in a page's own test file: a page's tests run its snippets alone, and
# the built site needs every snippet run.


def test_home_page_maps_every_concept_page(site):
    site_dir, _ = site
    html = page(site_dir, "")
    for name in CONCEPT_PAGES:
        assert f'href="{name}/"' in html, name
    assert html.count('<figure class="snippet-exec">') == 6  # one per batch size
    assert '<label for="training-timeline-control">Batch size</label>' in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "make serve" in text
    assert "make test" in text


def test_built_page_shows_the_regenerated_results(site, runs):
    """The epochs page shows the figures on show and the numbers of this session's
    runs."""
    seed = runs["snippets/epochs/loss_per_epoch.py"].values
    repaired = runs["snippets/epochs/choose_on_validation.py"].values
    site_dir, _ = site
    html = page(site_dir, "epochs")
    on_show = re.sub(  # the panels a control keeps hidden until it is moved
        r'<div class="snippet-exec-whatif-panel"[^>]* hidden>.*?\n</div>\n'
        r'(?=<div class="snippet-exec-whatif-panel"|<p class="snippet-exec-whatif-st)',
        "",
        html,
        flags=re.DOTALL,
    )
    assert on_show.count('<figure class="snippet-exec">\n<svg role="img"') == 2
    assert f"after epoch {seed['best_epoch']:,}" in html
    assert f"validation data: {repaired['best_epoch']:,}" in html
    assert "snippet-exec-block" not in html


def test_built_page_makes_the_loss_figure_explorable(site):
    site_dir, _ = site
    html = page(site_dir, "epochs")
    assert html.count('class="snippet-exec-explore"') == 1
    assert 'src="../javascripts/explore.js"' in html
