"""The built site as a reader gets it: served on 127.0.0.1, read in headless Chromium.

The browser is Debian's ``chromium`` driven by Playwright (which never downloads
one here); the accessibility checks inject axe-core, installed from npm by ``make
test``. Where either is missing the tests are skipped with the command that
installs it, except under CI (``CI=true``), where they fail.

Every page is visited in three views (``VIEWS``): a desktop in the light palette
and in the dark one, and a phone in the dark one; axe audits each page once per
palette, at the desktop's width. The tests below check what those visits
recorded. Nothing here sleeps: waits are Playwright's, on page events and on the
state of the page.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urldefrag, urlsplit

import nbformat
import pytest
from conftest import ROOT
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Request,
    Response,
    expect,
    sync_playwright,
)

from snippet_exec.shared import number

CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = ("light", "dark")
VIEWS = (("light", 1280), ("dark", 1280), ("dark", 390))
"""Palette and viewport width of each visit: a desktop in both palettes, and a
phone 390 px wide in the dark one."""
AUDITED_WIDTH = 1280
"""The width at which axe audits a page (once per palette): the phone's view is
checked for what its width changes (sideways scrolling, the figures' type size),
not audited a third time, the costliest step of a visit."""
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
"""The axe rules whose answer depends on the palette. The first palette's visit
runs every rule; the other's runs these alone: the palettes differ in their
colours only (Material sets one attribute of the body), so every other rule would
check the same page again, and these are about half of an audit's time."""
LEGIBLE_PX = 6.3
"""The ink height, in CSS pixels, that nine in ten of a page's figure labels reach.
Digits and capitals are about 0.7 em tall, so 6.3 px of ink is 9 px type: what the
site's figure style promises on a phone (13 pt, 9.07 px when the figure is 358 px
wide), and above the 8 px type that the layout check fails a build under."""
NETWORK = {"http", "https", "ws", "wss"}  # the URL schemes that reach a host
TIMEOUT_MS = 30_000  # a ceiling for one wait, far above what any wait takes
expect.set_options(timeout=TIMEOUT_MS)
LOSS_PER_EPOCH = "snippets/epochs/loss_per_epoch.py"
VISITORS = min(2, os.cpu_count() or 1)
"""Browsers that visit the pages side by side (``visits``)."""
pytestmark = pytest.mark.browser


def require(available: bool, what: str, install: str) -> None:
    """Skip (fail under CI) when a tool the browser tests need is missing."""
    if available:
        return
    message = f"{what} is not installed: {install}"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Requests are recorded by the browser, not printed."""


@pytest.fixture(scope="module")
def base_url(site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built site served as a static host would, under site_url's path (which
    404.html needs: its links start there)."""
    site_dir, _ = site
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    path = urlsplit(re.search(r'<link rel="canonical" href="([^"]+)"', home)[1]).path
    root = site_dir
    if path.strip("/"):
        root = tmp_path_factory.mktemp("www")
        mount = root / path.strip("/")
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(site_dir, target_is_directory=True)
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{path}"
    server.shutdown()
    server.server_close()


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, that can reach only the test server."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            # Every host name but the test server's fails to resolve.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ],
    )


def require_chromium() -> None:
    require(
        Path(CHROMIUM).is_file(),
        "Chromium",
        "run `apt-get install chromium` (Debian), as .ci/run does",
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@dataclass
class Visit:
    """What one page load in one palette showed and asked for."""

    url: str
    scheme: str
    width: int = 1280
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    violations: list[dict[str, Any]] = field(default_factory=list)
    shots: list[dict[str, Any]] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.url} ({self.scheme}, {self.width} px)"


def new_context(
    browser: Browser, base_url: str, scheme: str, visit: Visit | None, width: int = 1280
):
    """A browser context in ``scheme``, ``width`` pixels wide, that records into
    ``visit`` every request to another host (none can go out: see ``browser``) and
    every one that fails."""
    context = browser.new_context(
        color_scheme=scheme, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    if visit is None:
        return context
    origin = f"http://{urlsplit(base_url).netloc}/"

    def sent(request: Request) -> None:
        url = request.url
        if urlsplit(url).scheme in NETWORK and not url.startswith(origin):
            visit.foreign.append(url)

    def answered(response: Response) -> None:
        if response.status >= 400:
            visit.failed.append(f"{response.url}: HTTP {response.status}")

    context.on("request", sent)
    context.on("response", answered)
    context.on(
        "requestfailed",
        lambda request: visit.failed.append(f"{request.url}: {request.failure}"),
    )
    return context


def open_page(context: BrowserContext, url: str, visit: Visit | None) -> Page:
    page = context.new_page()
    if visit is not None:
        page.on(
            "console",
            lambda message: (
                visit.errors.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: visit.errors.append(str(error)))
    # Material asks for the search index and the sitemap as the page loads: wait
    # for both answers (a state), not for half a second of quiet (networkidle),
    # which cost every visit 0.5 s.
    with (
        page.expect_response(lambda r: r.url.endswith("/search/search_index.json")),
        page.expect_response(lambda r: r.url.endswith("/sitemap.xml")),
    ):
        page.goto(url, wait_until="load")
    return page


FACTS = """() => {
  const colour = (element, property) => getComputedStyle(element)[property];
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const c = colour(e, "backgroundColor");
      if (c !== "rgba(0, 0, 0, 0)" && c !== "transparent") return c;
    }
    return "rgb(255, 255, 255)";
  };
  return {
    scheme: document.body.getAttribute("data-md-color-scheme"),
    // The figures on show: a what-if figure's other variants wait in hidden panels.
    figures: [...document.querySelectorAll("figure.snippet-exec")]
      .filter((f) => !f.closest("[hidden]")).map((f) => {
      const svg = f.querySelector("svg");
      const box = svg.getBoundingClientRect();
      return {
        width: box.width,
        height: box.height,
        caption: f.querySelector("figcaption")?.textContent ?? "",
        background: background(f),
        label: svg.getAttribute("aria-label") ?? "",
        labels: [...svg.querySelectorAll("[id$='-xlabel'], [id$='-ylabel']")]
          .map((e) => colour(e, "fill")),
        texts: [...svg.querySelectorAll("g[id*='-text_']")]
          .map((e) => e.getBoundingClientRect().height)
          .filter((h) => h > 0),
        lines: [...svg.querySelectorAll("[id*='-axes'][id*='-line'] path")]
          .map((e) => colour(e, "stroke")),
      };
    }),
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    images: [...document.querySelectorAll("img")].map((i) => i.alt ?? ""),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    ids: [...document.querySelectorAll("[id], a[name]")].map((e) => e.id || e.name),
  };
}"""

AXE_RUN = """async (rules) => {
  const only = rules ? { runOnly: { type: "rule", values: rules } } : {};
  const results = await axe.run(document, { resultTypes: ["violations"], ...only });
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
}"""


PROBES = """(seen) => {
  // Where each shown figure draws its lines and bands, as the SVG says (path data,
  // the matrix to CSS pixels of the SVG, the axes' clip box): pixels.py samples
  // them and reads the screenshot there. A figure already probed in this view
  // (the same figure at the same size on the same background, as on its notebook
  // page) is left out.
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c !== "rgba(0, 0, 0, 0)" && c !== "transparent") return c;
    }
    return "rgb(255, 255, 255)";
  };
  // Every figure a reader can bring up: folded answers opened, every what-if
  // panel shown (one below the other), so each is shot in each view.
  for (const details of document.querySelectorAll("details")) details.open = true;
  for (const panel of document.querySelectorAll(".snippet-exec-whatif-panel")) {
    panel.hidden = false;
  }
  const shown = [...document.querySelectorAll("figure.snippet-exec")]
    .filter((f) => !f.closest("[hidden]"));
  const probes = [];
  shown.forEach((figure, index) => {
    const svg = figure.querySelector("svg");
    const box = svg.getBoundingClientRect();
    // The same drawing at the same size on the same background: the same pixels,
    // whichever page (and whichever browser thread) shows it first.
    const key = [svg.getAttribute("aria-label"), svg.getAttribute("viewBox"),
                 background(figure), box.width.toFixed(2),
                 box.height.toFixed(2)].join("|");
    if (!box.width || seen.includes(key)) return;
    svg.setAttribute("data-shot", String(index));
    const matrix = (element) => {
      const m = element.getScreenCTM();
      return [m.a, m.b, m.c, m.d, m.e - box.left, m.f - box.top];
    };
    const clip = (element) => {  // the axes' clip box, in the element's units
      const holder = element.closest("[clip-path]");
      const id = holder?.getAttribute("clip-path").match(/url\\(#([^)]+)\\)/)?.[1];
      const rect = id && document.getElementById(id)?.querySelector("rect");
      return rect ? ["x", "y", "width", "height"]
        .map((a) => parseFloat(rect.getAttribute(a) ?? "0")) : null;
    };
    const lines = [...svg.querySelectorAll("g[id*='-axes'][id*='-line']")]
      .filter((g) => /-axes\\d+-line\\d+$/.test(g.id)).map((g) => {
        const paths = [], marks = [];
        let colour = null;
        for (const path of g.querySelectorAll(":scope > path")) {
          const stroke = getComputedStyle(path).stroke;
          if (stroke === "none") continue;
          colour ??= stroke;
          paths.push({ d: path.getAttribute("d"), matrix: matrix(path),
                       clip: clip(path) });
        }
        for (const use of g.querySelectorAll("use")) {  // markers: their centres
          const style = getComputedStyle(use);
          colour ??= style.fill !== "none" ? style.fill : style.stroke;
          marks.push({ xy: ["x", "y"].map((a) => parseFloat(use.getAttribute(a))),
                       matrix: matrix(use.parentElement), clip: clip(use) });
        }
        return { id: g.id, colour, paths, marks };
      }).filter((line) => line.colour);
    const bands = [...svg.querySelectorAll("path")].filter((path) => {
      if (path.closest("defs, [id*='-line'], g[id*='text_']")) return false;
      if (!path.closest("[clip-path]")) return false;  // inside an axes
      const style = getComputedStyle(path);
      if (style.fill === "none") return false;
      let alpha = parseFloat(style.fillOpacity);
      for (let e = path; e && e !== svg; e = e.parentElement) {
        alpha *= parseFloat(getComputedStyle(e).opacity);
      }
      return alpha > 0 && alpha < 1;
    }).map((path) => ({
      // A band= range has no id of its own: its axes' and its class name it.
      id: path.id || [path.closest("[id]").id, path.getAttribute("class")]
        .filter(Boolean).join(" "),
      colour: getComputedStyle(path).fill,
      d: path.getAttribute("d"), matrix: matrix(path), clip: clip(path),
    }));
    probes.push({ index, key, caption: figure.querySelector("figcaption")
      ?.textContent ?? "", lines, bands });
  });
  return probes;
}"""
HIDE_HEADER = ".md-header, .md-top { visibility: hidden !important; }"
"""Material's sticky header would cover the top of a figure scrolled under it."""


def screenshot_figures(page: Page, seen: set[str]) -> list[dict[str, Any]]:
    """One screenshot of each figure ``page`` can show, folded answers and hidden
    what-if panels included (but those ``seen`` in this view already, at the same
    size, on another page), with its lines' and bands' colours as drawn and their
    contrasts (``pixels.measure``). It reveals what was folded, so it comes last
    in a visit."""
    import pixels

    probes = page.evaluate(PROBES, sorted(seen))
    if probes:
        page.add_style_tag(content=HIDE_HEADER)
    shots = []
    for probe in probes:
        seen.add(probe["key"])
        svg = page.locator(f"svg[data-shot='{probe['index']}']")
        png = svg.screenshot(animations="disabled")
        measured = pixels.measure(png, pixels.sampled(probe))
        shots.append({"figure": probe["index"] + 1, "caption": probe["caption"]})
        shots[-1].update(measured)
    return shots


def page_urls(site_dir: Path, base_url: str) -> list[str]:
    """Every HTML page of the built site, as a URL on the test server."""
    return [
        base_url + path.relative_to(site_dir).as_posix().removesuffix("index.html")
        for path in sorted(site_dir.rglob("*.html"))
    ]


def visit(
    browser: Browser,
    base_url: str,
    shot: dict[tuple[str, int], set[str]],
    url: str,
    scheme: str,
    width: int,
) -> Visit:
    """One load of ``url`` in ``scheme`` at ``width`` px, with axe run on it if
    installed (at ``AUDITED_WIDTH``), and its figures screenshot unless ``shot``
    (the figures screenshot so far, per view) has them."""
    recorded = Visit(url, scheme, width)
    context = new_context(browser, base_url, scheme, recorded, width)
    page = open_page(context, url, recorded)
    recorded.facts = page.evaluate(FACTS)
    if AXE.is_file() and width == AUDITED_WIDTH:
        page.add_script_tag(path=AXE)
        rules = None if scheme == SCHEMES[0] else COLOUR_RULES
        recorded.violations = page.evaluate(AXE_RUN, rules)
    recorded.shots = screenshot_figures(page, shot.setdefault((scheme, width), set()))
    context.close()
    return recorded


def visit_each(
    base_url: str,
    shot: dict[tuple[str, int], set[str]],
    wanted: list[tuple[str, str, int]],
) -> list[Visit]:
    """``wanted`` (url, scheme, width) visited one after another, in a Chromium of
    this thread's own (Playwright's objects belong to the thread that made them).
    ``shot`` is shared by the threads: a figure on two pages is screenshot once
    per view, by whichever thread reaches it first."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            return [visit(browser, base_url, shot, *one) for one in wanted]
        finally:
            browser.close()


@pytest.fixture(scope="module")
def visits(site, base_url) -> list[Visit]:
    """Every page, loaded once in each view (``VIEWS``), in the order of the views.

    A page load keeps about one core busy (Chromium lays out and audits while
    the test waits), so the visits are shared among ``VISITORS`` browsers that
    work side by side: on two cores, that halves the tier's longest wait."""
    require_chromium()
    site_dir, _ = site
    wanted = [
        (url, scheme, width)
        for scheme, width in VIEWS
        for url in page_urls(site_dir, base_url)
    ]
    shares = [wanted[n::VISITORS] for n in range(VISITORS)]
    with ThreadPoolExecutor(VISITORS) as pool:
        visit_share = functools.partial(visit_each, base_url, {})
        done = list(pool.map(visit_share, shares))
    order = {one: n for n, one in enumerate(wanted)}
    return sorted(
        (one for share in done for one in share),
        key=lambda one: order[one.url, one.scheme, one.width],
    )


def channels(css: str) -> tuple[float, ...]:
    """The numbers of a computed colour: ``rgb(r, g, b)`` or ``rgba(r, g, b, a)``."""
    values = tuple(float(v) for v in re.findall(r"[\d.]+", css))
    return values if len(values) == 4 else (*values, 1.0)


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of a (possibly translucent) colour over a background."""
    *fg, alpha = channels(foreground)
    bg = channels(background)[:3]
    seen = [alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True)]

    def luminance(rgb: list[float] | tuple[float, ...]) -> float:
        linear = [
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in (v / 255 for v in rgb)
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(seen), luminance(bg)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def report(problems: dict[str, list[Any]]) -> str:
    return "\n".join(f"{where}: {what}" for where, what in problems.items() if what)


def test_every_page_was_visited_in_both_palettes(visits):
    assert visits
    for visit in visits:
        expected = "slate" if visit.scheme == "dark" else "default"
        assert visit.facts["scheme"] == expected, visit.url


def test_pages_load_without_console_errors(visits):
    problems = {str(v): v.errors for v in visits}
    assert not report(problems), report(problems)


def test_pages_load_without_failed_requests(visits):
    problems = {str(v): v.failed for v in visits}
    assert not report(problems), report(problems)


def test_no_request_leaves_the_site(visits):
    problems = {str(v): v.foreign for v in visits}
    assert not report(problems), report(problems)


def test_figures_render_in_every_view(visits, runs):
    """Every figure has a size, a caption and alt text in numbers, on some page,
    in each view."""
    for view in VIEWS:
        shown = [
            figure
            for visit in visits
            if (visit.scheme, visit.width) == view
            for figure in visit.facts["figures"]
        ]
        assert len(shown) >= sum(len(result.figures) for result in runs.values())
        for figure in shown:
            assert figure["width"] > 0 and figure["height"] > 0, view
            assert figure["caption"].strip(), view
            assert re.search(r"\d", figure["label"]), view


def test_no_image_lacks_alt_text(visits):
    """Not even the placeholder nbconvert writes when it has none."""
    problems = {
        str(v): [alt for alt in v.facts["images"] if not alt or "No description" in alt]
        for v in visits
    }
    assert not report(problems), report(problems)


def test_no_page_scrolls_sideways(visits):
    problems = {
        str(v): [f"{v.facts['overflow']} px too wide"]
        if v.facts["overflow"] > 0
        else []
        for v in visits
    }
    assert not report(problems), report(problems)


def test_figure_text_is_legible_on_a_phone(visits):
    """At 390 px, nine in ten of each page's figure labels are inked 6.3 px tall or
    more: 9 px type (``LEGIBLE_PX``)."""
    problems = {}
    for visit in (v for v in visits if v.width < 600):
        heights = sorted(h for f in visit.facts["figures"] for h in f["texts"])
        if heights:
            tenth = heights[len(heights) // 10]
            if tenth < LEGIBLE_PX:
                problems[str(visit)] = [f"10th percentile {tenth:.1f} px"]
    assert not report(problems), report(problems)


def test_axis_labels_and_lines_stand_out_in_both_palettes(visits):
    """Axis labels contrast with the page like text (4.5:1), lines like graphics
    (3:1, WCAG's non-text contrast), in the light and in the dark palette."""
    problems: dict[str, list[str]] = {}
    for visit in visits:
        for number_, figure in enumerate(visit.facts["figures"], start=1):
            where = f"{visit}, figure {number_}"
            bg = figure["background"]
            assert len(figure["labels"]) >= 2, f"{where}: axis labels not found"
            assert figure["lines"], f"{where}: no line found"
            problems[where] = [
                f"label {c} on {bg}: {contrast(c, bg):.2f}"
                for c in figure["labels"]
                if contrast(c, bg) < 4.5
            ] + [
                f"line {c} on {bg}: {contrast(c, bg):.2f}"
                for c in figure["lines"]
                if contrast(c, bg) < 3
            ]
    assert not report(problems), report(problems)


def test_figure_lines_and_bands_stand_out_in_the_screenshots(visits):
    """From one screenshot of every figure in each view, folded answers and every
    what-if panel included (a figure shown on several pages at the same size on
    the same background, once per view): each line stands 3:1 against
    the page behind it (WCAG's non-text contrast), each band 1.5:1 against the
    page and against the line it surrounds, as the pixels show them
    (``pixels.py``)."""
    import pixels

    problems: dict[str, list[str]] = {}
    for view in VIEWS:
        shots = [
            (visit, shot)
            for visit in visits
            if (visit.scheme, visit.width) == view
            for shot in visit.shots
        ]
        assert shots, f"no figure was screenshot at {view}"
        assert any(shot["lines"] for _, shot in shots), view
        for visit, shot in shots:
            where = f"{visit}, figure {shot['figure']} ({shot['caption'][:60]!r})"
            problems[where] = pixels.problems(shot)
    assert not report(problems), report(problems)


def test_axis_label_colour_follows_the_palette(visits):
    colours = {
        visit.scheme: figure["labels"][0]
        for visit in visits
        for figure in visit.facts["figures"]
    }
    assert colours["light"] != colours["dark"]


def test_no_serious_accessibility_violations(visits):
    require(AXE.is_file(), "axe-core", "run `make node_modules` (needs npm)")
    problems = {str(v): v.violations for v in visits}
    assert not report(problems), report(problems)


def test_internal_links_and_anchors_resolve(site, visits, base_url, browser):
    """Every link to the site reaches a file; a #fragment names an element of the
    page it links to; a notebook link gives a valid notebook."""
    ids = {v.url: set(v.facts["ids"]) for v in visits}
    context = new_context(browser, base_url, "light", None)
    problems: dict[str, list[str]] = {}
    checked: dict[str, str | None] = {}
    for visit in (v for v in visits if v.scheme == "light"):
        broken = problems.setdefault(visit.url, [])
        for link in visit.facts["links"]:
            target, fragment = urldefrag(link)
            if not target.startswith(base_url):
                continue
            if target not in checked:
                checked[target] = check_target(context, target)
            if checked[target]:
                broken.append(f"{link}: {checked[target]}")
            elif fragment and target in ids and fragment not in ids[target]:
                broken.append(f"{link}: no element with id {fragment!r}")
    context.close()
    site_dir, _ = site
    notebooks = [url for url in checked if url.endswith(".ipynb")]
    assert len(notebooks) == len(list(site_dir.rglob("*.ipynb"))), "unlinked notebooks"
    assert not report(problems), report(problems)


def check_target(context: BrowserContext, url: str) -> str | None:
    """What is wrong with the file at ``url``, or None."""
    response = context.request.get(url)
    if not response.ok:
        return f"HTTP {response.status}"
    if urlsplit(url).path.endswith(".ipynb"):
        try:
            nbformat.validate(nbformat.reads(response.text(), as_version=4))
        except (ValueError, nbformat.ValidationError) as error:
            return f"not a valid notebook: {error}"
    return None


@pytest.fixture
def epochs_page(base_url, browser) -> Iterator[Page]:
    context = new_context(browser, base_url, "light", None)
    yield open_page(context, base_url + "epochs/", None)
    context.close()


def readout(values: dict[str, Any], epoch: int) -> str:
    train, val = values["train_loss"][epoch - 1], values["val_loss"][epoch - 1]
    return (
        f"Epoch {number(epoch)}: Training loss {number(train)}; "
        f"Validation loss {number(val)}"
    )


def test_explorable_figure_answers_the_keyboard(epochs_page, runs):
    """The marker starts at the lowest validation loss; keys move it along the
    epochs the figure keeps; the numbers shown are the run's, epochs from 1."""
    values = runs[LOSS_PER_EPOCH].values
    (figure,) = runs[LOSS_PER_EPOCH].figures
    epochs = figure["explore"]["x"]
    best = epochs.index(values["best_epoch"])
    slider = epochs_page.get_by_role("slider", name="Epoch", exact=True)
    shown = epochs_page.locator("figure.snippet-exec output")
    expect(shown).to_have_text(readout(values, epochs[best]))
    expect(slider).to_have_attribute("aria-valuetext", readout(values, epochs[best]))
    slider.press("ArrowRight")
    expect(shown).to_have_text(readout(values, epochs[best + 1]))
    slider.press("ArrowLeft")
    slider.press("ArrowLeft")
    expect(shown).to_have_text(readout(values, epochs[best - 1]))
    slider.press("End")
    expect(shown).to_have_text(readout(values, values["NUM_EPOCHS"]))
    slider.press("Home")
    expect(shown).to_have_text(readout(values, 1))


def test_explorable_figure_comes_with_instant_navigation(base_url, browser):
    """Material swaps pages in place: a page reached by a link gets its slider."""
    context = new_context(browser, base_url, "light", None)
    page = open_page(context, base_url, None)
    nav = page.locator(".md-nav--primary a.md-nav__link")
    nav.filter(has_text=re.compile(r"^\s*Epochs\s*$")).first.click()
    expect(page).to_have_url(base_url + "epochs/")
    expect(page.get_by_role("slider", name="Epoch", exact=True)).to_have_count(1)
    context.close()


def test_explorable_marker_sits_on_the_lines(epochs_page, runs):
    """At the last epoch the marker's dots are where the lines end."""
    (figure,) = runs[LOSS_PER_EPOCH].figures
    data = figure["explore"]
    epochs_page.get_by_role("slider", name="Epoch", exact=True).press("End")
    dots = epochs_page.locator(".snippet-exec-marker circle")
    expect(dots).to_have_count(len(data["lines"]))
    ends = epochs_page.evaluate(
        """() => [...document.querySelectorAll(
                   "[id='loss-per-epoch-f0-axes0-line0'] path,"
                 + "[id='loss-per-epoch-f0-axes0-line1'] path")].map((p) => {
              const end = p.getPointAtLength(p.getTotalLength());
              return [end.x, end.y];
            })"""
    )
    for dot, (x, y) in zip(dots.all(), ends, strict=True):
        assert float(dot.get_attribute("cx")) == pytest.approx(x, abs=0.5)
        assert float(dot.get_attribute("cy")) == pytest.approx(y, abs=0.5)


def what_if_pages(site_dir: Path, base_url: str) -> list[str]:
    return [
        url
        for url, path in zip(
            page_urls(site_dir, base_url), sorted(site_dir.rglob("*.html")), strict=True
        )
        if 'class="snippet-exec-whatif"' in path.read_text(encoding="utf-8")
    ]


PANEL = """(panel) => ({
  text: panel.innerText,
  paths: [...panel.querySelectorAll("svg path")].map((p) => p.getAttribute("d")).join(),
  alt: panel.querySelector("svg[aria-label]")?.getAttribute("aria-label") ?? "",
})"""


def step_through(control: Any, kind: str, count: int) -> Iterator[int]:
    """Work a what-if control with the keyboard alone from its first choice to its
    last, yielding each choice's index once it is chosen: a run picker by its next
    button (Enter), from the run as written; a slider by its keys; a select by its
    arrow keys."""
    if kind == "run":
        button = control.get_by_role("button", name="Next run")
        written = int(control.get_attribute("data-written"))
        for n in range(count):
            if n:
                button.focus()
                button.press("Enter")
            yield (written + n) % count
        return
    field = control.locator("input, select")
    field.focus()
    field.press("Home")
    for n in range(count):
        if n:
            field.press("ArrowRight" if kind == "slider" else "ArrowDown")
        yield n


@pytest.mark.parametrize("width", [1280, 390])
def test_every_what_if_control_shows_each_run_by_keyboard(
    site, base_url, browser, width
):
    """On every page, each control of each what-if (a run picker, a slider or a
    select, with a visible label) is worked with the keyboard alone through all its
    choices: each shows one panel, whose curves and printed numbers are its own,
    says what it shows to screen readers, and is in the page's address.
    (tests/test_engine.py checks that each panel holds its own run's output.)"""
    site_dir, _ = site
    urls = what_if_pages(site_dir, base_url)
    context = new_context(browser, base_url, "dark", None, width)
    controls = 0
    for url in urls:
        page = open_page(context, url, None)
        for box in page.locator(".snippet-exec-whatif").all():
            status = box.locator(".snippet-exec-whatif-status")
            for control in box.locator(".snippet-exec-whatif-control").all():
                controls += 1
                kind = control.get_attribute("data-kind")
                key = control.get_attribute("data-key")
                label = control.locator("label, .snippet-exec-whatif-label")
                expect(label).to_be_visible()
                if kind != "run":
                    expect(
                        box.get_by_label(label.inner_text(), exact=True)
                    ).to_be_visible()
                choices = json.loads(control.get_attribute("data-choices"))
                seen = []
                for choice in step_through(control, kind, len(choices)):
                    on_show = box.locator(".snippet-exec-whatif-panel:visible")
                    expect(on_show).to_have_count(1)
                    said = choices[choice]["text"]
                    expect(on_show).to_have_attribute(
                        "data-label", re.compile(re.escape(said))
                    )
                    shown = on_show.evaluate(PANEL)
                    if kind == "slider":
                        expect(control.locator("input")).to_have_attribute(
                            "aria-valuetext", said
                        )
                    if len(seen):  # the first was already on show
                        expect(status).to_contain_text(said)
                        if shown["alt"]:
                            expect(status).to_contain_text(shown["alt"][:60])
                    token = choices[choice]["token"]
                    param = control.get_attribute("data-param")  # key, or block.key
                    assert param.endswith(key)
                    query = parse_qs(urlsplit(page.url).query)
                    if choice == int(control.get_attribute("data-written")):
                        assert param not in query, page.url
                    else:
                        assert query[param] == [token], page.url
                    seen.append(shown)
                where = f"{url} {key}"
                assert len({s["text"] for s in seen}) == len(seen), where
                if any(s["paths"] for s in seen):
                    assert len({s["paths"] for s in seen}) == len(seen), where
            assert (
                page.evaluate(
                    "() => document.documentElement.scrollWidth - window.innerWidth"
                )
                <= 0
            )
        page.close()
    context.close()
    assert controls >= 6 and len(urls) >= 4, (controls, urls)


def test_a_what_if_view_round_trips_through_the_address(base_url, browser):
    """A link with a choice in its query opens that view; a change adds a history
    entry, so Back shows the view before it and Forward the one after; a reload
    keeps the view."""
    context = new_context(browser, base_url, "light", None)
    page = open_page(context, base_url, None)  # the home page: batch sizes
    control = page.locator('.snippet-exec-whatif-control[data-key="batch-size"]')
    slider = control.locator("input")
    choices = json.loads(control.get_attribute("data-choices"))
    written = int(control.get_attribute("data-written"))
    other = (written + 1) % len(choices)
    token, said = choices[other]["token"], choices[other]["text"]
    output = control.locator("output")
    slider.focus()
    slider.press("ArrowRight" if other > written else "ArrowLeft")
    expect(output).to_have_text(said)
    expect(page).to_have_url(f"{base_url}?batch-size={token}")
    page.go_back()
    expect(page).to_have_url(base_url)
    expect(output).to_have_text(choices[written]["text"])
    page.go_forward()
    expect(output).to_have_text(said)
    page.reload(wait_until="networkidle")
    expect(output).to_have_text(said)
    shared = context.new_page()
    shared.goto(f"{base_url}?batch-size={token}", wait_until="networkidle")
    expect(
        shared.locator('.snippet-exec-whatif-control[data-key="batch-size"] output')
    ).to_have_text(said)
    expect(shared.locator(".snippet-exec-whatif-panel:visible")).to_have_attribute(
        "data-label", re.compile(re.escape(said))
    )
    context.close()


def claim_pages(site_dir: Path, base_url: str) -> list[str]:
    return [
        url
        for url, path in zip(
            page_urls(site_dir, base_url), sorted(site_dir.rglob("*.html")), strict=True
        )
        if 'class="claim-mark"' in path.read_text(encoding="utf-8")
    ]


def test_every_claim_mark_opens_its_test_by_keyboard(site, base_url, browser):
    """Each ✓ is reached with Tab and opened with Enter (one in a folded answer once
    the answer is unfolded): the test's source shows, inside the screen, and Escape
    closes it, handing the focus back to the mark."""
    site_dir, _ = site
    urls = claim_pages(site_dir, base_url)
    context = new_context(browser, base_url, "light", None, 1280)
    opened = 0
    for url in urls:
        page = open_page(context, url, None)
        for mark in page.locator("button.claim-mark").all():
            box = page.locator(f"[id='{mark.get_attribute('popovertarget')}']")
            # A mark in a folded answer: the reader unfolds it first, by keyboard.
            for summary in mark.locator(
                "xpath=ancestor::details[not(@open)]/summary"
            ).all():
                summary.focus()
                summary.press("Enter")
            mark.focus()
            expect(mark).to_be_focused()
            mark.press("Enter")
            expect(box).to_be_visible()
            expect(box.locator("code").last).to_contain_text("def test_")
            inside = box.evaluate(
                """(e) => { const r = e.getBoundingClientRect();
                   return r.left >= 0 && r.right <= innerWidth + 0.5; }"""
            )
            assert inside, f"{url}: {mark.get_attribute('popovertarget')}"
            page.keyboard.press("Escape")
            expect(box).to_be_hidden()
            expect(mark).to_be_focused()
            opened += 1
        page.close()
    context.close()
    assert opened >= 50 and len(urls) >= 6, (opened, urls)


PHONE_BOXES = """() => [...document.querySelectorAll("button.claim-mark")]
.map((mark) => {
  for (let d = mark.closest("details"); d; d = d.parentElement.closest("details")) {
    d.open = true;  // a mark in a folded answer: the reader unfolds it first
  }
  const box = document.getElementById(mark.getAttribute("popovertarget"));
  box.showPopover();  // what a tap on the mark does (its popovertarget)
  const r = box.getBoundingClientRect();
  const fits = r.width > 0 && r.left >= 0 && r.right <= innerWidth + 0.5
    && r.top >= 0 && r.bottom <= innerHeight + 0.5;
  const source = [...box.querySelectorAll("code")].at(-1)?.textContent ?? "";
  box.hidePopover();
  return { id: box.id, fits, test: source.includes("def test_") };
})"""
"""Each claim mark's box, opened as a tap opens it, and where it lands on the screen.
The layout is CSS alone (centred on a narrow screen), so opening them one after
another in one call measures what a reader would see; the keyboard's part is the
test above, at desktop width."""


def test_every_claim_box_fits_a_phone_screen(site, base_url, browser):
    """On a 390 px phone, each ✓'s box with its test's source opens inside the
    screen, every one of them, folded answers' marks included."""
    site_dir, _ = site
    urls = claim_pages(site_dir, base_url)
    context = new_context(browser, base_url, "light", None, 390)
    boxes = []
    for url in urls:
        page = open_page(context, url, None)
        boxes += [(url, box) for box in page.evaluate(PHONE_BOXES)]
        page.close()
    context.close()
    assert len(boxes) >= 50, len(boxes)
    wrong = [(url, b["id"]) for url, b in boxes if not (b["fits"] and b["test"])]
    assert not wrong, wrong


def test_palette_toggle_recolours_the_figures(epochs_page):
    label = epochs_page.locator("[id$='-axes0-xlabel']").first
    light = label.evaluate("(e) => getComputedStyle(e).fill")
    epochs_page.get_by_title("Switch to dark mode").click()
    expect(epochs_page.locator("body")).to_have_attribute(
        "data-md-color-scheme", "slate"
    )
    assert label.evaluate("(e) => getComputedStyle(e).fill") != light


def test_search_finds_the_iterations_page(base_url, browser):
    """Typed, key by key as a reader does (Material searches on key events), once
    the index is ready: Material says so in the results' heading."""
    context = new_context(browser, base_url, "light", None)
    page = open_page(context, base_url, None)
    box = page.get_by_role("textbox", name="Search")
    box.focus()
    expect(page.locator(".md-search-result__meta")).to_have_text(
        "Type to start searching"
    )
    box.press_sequentially("iteration")
    found = page.locator(".md-search-result__item a[href*='iterations/']")
    expect(found.first).to_be_visible()
    context.close()
