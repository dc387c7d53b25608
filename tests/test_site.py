"""Checks on the one strict build of the whole site."""

from conftest import SNIPPETS, page


def test_build_reused_this_sessions_runs(site):
    """Each snippet ran once this session: the build took every result from it."""
    _, log = site
    assert f"0 executed, {len(SNIPPETS)} cached, 0 failed" in log


def test_every_snippet_is_shown_on_a_page(site):
    _, log = site
    for name in SNIPPETS:
        assert f": {name} cached" in log, f"no page executes {name}"


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
