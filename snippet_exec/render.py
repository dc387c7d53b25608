"""Turn a block's results into HTML: the end of the one pipeline.

``block`` is what the plugin and the standalone fence both call: it checks what
the block asks of its results (``explore``, ``spread``, ``band``, ``control``),
renders them, and adds the notes under the block (how long it ran, its notebook).
Below it, ``render``: markdown-exec renders the source and the printed Markdown
(tabs, titles, the source above or below); each figure the run showed is then put
where it was shown, as an inline SVG with its alt text and caption. Rendering reads
only results, so a change here re-renders every block from the cache without
running any.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import markdown_exec
from markdown import Markdown

from snippet_exec import printed, spread, variants, whatif
from snippet_exec.errors import OptionError, RunFailure
from snippet_exec.options import BlockOptions
from snippet_exec.result import Result

if TYPE_CHECKING:
    from snippet_exec.blocks import Block

OFF = "*Output not computed: execution is switched off in this build.*\n"
Rendered = tuple[str, dict[str, str]]
"""A block's HTML, and the drawings deferred out of it (see ``figure_html``)."""


class Memo:
    """Blocks rendered by the last build, by what their HTML depends on: under
    ``mkdocs serve``, a block whose code, options and results are unchanged is
    rendered once, not at every rebuild."""

    def __init__(self) -> None:
        self.last: dict[tuple[Any, ...], Rendered] = {}
        self.now: dict[tuple[Any, ...], Rendered] = {}

    def next_build(self) -> None:
        """What this build rendered is what the next may reuse."""
        self.last, self.now = self.now, {}

    def get(self, key: tuple[Any, ...], make: Callable[[], Rendered]) -> Rendered:
        found = self.now.get(key) or self.last.get(key) or make()
        self.now[key] = found
        return found


CODE = re.compile(r'<div class="highlight"><pre>.*?</pre></div>', re.DOTALL)
"""Code highlighted by pymdownx.highlight."""


def data_file(figure: dict[str, Any]) -> str | None:
    """The name of the CSV file that holds ``figure``'s data (``figures.data_csv``)
    beside its page, by its content: the same data, the same name; None if the
    figure has none."""
    data = figure.get("data")
    if not data:
        return None
    return f"figure-data-{hashlib.sha256(data.encode()).hexdigest()[:12]}.csv"


def figure_html(
    figure: dict[str, Any],
    prefix: str,
    explore: bool = False,
    deferred: dict[str, str] | None = None,
) -> str:
    """A captured figure as an inline SVG with alt text and a caption.

    ``prefix`` makes the SVG's element ids unique in the page. With ``explore``,
    the data of its lines follows the SVG as JSON, for the slider that
    docs/javascripts/explore.js adds. With ``deferred``, the SVG and the data are
    left out, a placeholder in their place, and put in ``deferred`` under it: a
    build puts them back into the written page (``put_back``), after search has
    indexed the page, which spares it the parsing of thousands of SVG elements
    (``render`` does the same with the highlighted code, so that search results
    show the pages' prose, not whole scripts).
    """
    label = html.escape(figure["alt"], quote=True)
    svg = re.sub(r'\bid="', f'id="{prefix}-', figure["svg"])
    svg = svg.replace("url(#", f"url(#{prefix}-").replace(
        'href="#', f'href="#{prefix}-'
    )
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    caption = html.escape(figure["caption"] or figure["alt"])
    if name := data_file(figure):
        caption += (
            f' <a class="snippet-exec-data" href="{name}" download>'
            "The numbers behind it (CSV)</a>"
        )
    data = ""
    if explore and figure.get("explore"):
        text = json.dumps(figure["explore"], separators=(",", ":"), allow_nan=False)
        text = text.replace("</", "<\\/")  # keeps "</script>" in a label harmless
        script = '<script type="application/json" class="snippet-exec-explore">'
        data = f"{script}{text}</script>\n"
    drawing = f"{svg}\n{data}"
    if deferred is not None:
        drawing = defer(drawing, prefix, deferred) + "\n"
    return (
        f'<figure class="snippet-exec">\n{drawing}'
        f"<figcaption>{caption}</figcaption>\n</figure>"
    )


def put_back(html_page: str, deferred: dict[str, str]) -> str:
    """``html_page`` with the drawings ``figure_html`` deferred put back, each in
    place of the first copy of its placeholder: in one pass over the page (a page
    can have a hundred, and be half a megabyte), then, for any placeholder not
    found there, in the drawings put back."""
    left = dict(deferred)
    html_page = printed.PLACEHOLDERS.sub(lambda m: left.pop(m[0], m[0]), html_page)
    for placeholder, drawing in left.items():
        html_page = html_page.replace(placeholder, drawing, 1)
    return html_page


def with_placeholders(
    markdown: str, figures: list[dict[str, Any]]
) -> tuple[str, list[str]]:
    """The printed Markdown with a placeholder where each figure was shown.

    The placeholders are made for this rendering only (nothing a snippet printed
    can look like one), and none is left in the page.
    """
    token = uuid.uuid4().hex
    marks = [
        f'<div class="snippet-exec-{token}-{n}"></div>' for n in range(len(figures))
    ]
    parts, position = [], 0
    for mark, figure in zip(marks, figures, strict=True):
        parts += [markdown[position : figure["at"]], f"\n\n{mark}\n\n"]
        position = figure["at"]
    parts.append(markdown[position:])
    return "".join(parts), marks


def render(
    code: str,
    markdown: str,
    figures: list[dict[str, Any]],
    options: BlockOptions,
    md: Markdown,
    prefix: str,
    deferred: dict[str, str] | None = None,
) -> str:
    """The block's HTML: its source (as ``source=`` asks), output and figures
    (whose drawings go into ``deferred``, if given: see ``figure_html``)."""
    if options.figures_first:
        figures = [{**figure, "at": 0} for figure in figures]
    escaped = printed.escape_includes(markdown, md)
    if options.result:  # verbatim, in a code block: the figures follow it
        text, marks = escaped, list[str]()
    else:
        text, marks = with_placeholders(escaped, figures)
    rendered = str(
        markdown_exec.base_format(
            language="python",
            run=lambda *args, **kwargs: text,
            code=code,
            md=md,
            **options.markdown_exec(),
        )
    )
    for number, figure in enumerate(figures):
        drawing = figure_html(figure, prefix, options.explore, deferred)
        if marks:
            rendered = rendered.replace(marks[number], drawing)
        else:
            rendered += drawing
    if deferred is not None:
        rendered = CODE.sub(lambda code: defer(code[0], prefix, deferred), rendered)
    return rendered


def defer(part: str, prefix: str, deferred: dict[str, str]) -> str:
    """A placeholder for ``part``, which goes into ``deferred`` (see
    ``figure_html``)."""
    key = f"{prefix}-{len(deferred)}"  # the block's prefix: unique in the page
    placeholder = printed.placeholder("deferred", key)
    deferred[placeholder] = part
    return placeholder


def block(
    shown: Block,
    results: list[Result],
    md: Markdown,
    *,
    enabled: bool = True,
    notebook_url: str = "",
    deferred: dict[str, str] | None = None,
) -> str:
    """The HTML of ``shown``, a block whose runs gave ``results`` (the snippet as
    written first, then each variant; none when execution is off); raises
    OptionError naming the block when its options ask for what its runs lack."""
    if not enabled:
        rendered = render(shown.code, OFF, [], shown.options, md, shown.prefix)
    else:
        result = results[0]
        if shown.options.explore and not any(f.get("explore") for f in result.figures):
            raise OptionError(
                f'{shown.title}: explore="1" but the snippet draws no labelled '
                "line to explore"
            )
        try:
            figures, extra = spread.show(
                shown.options, shown.code, results, shown.values
            )
            what_if = _what_if(shown, results, md, deferred)
        except (OptionError, ValueError) as error:
            raise shown.option_error(error) from None
        rendered = what_if or render(
            shown.code,
            result.markdown,
            figures,
            shown.options,
            md,
            shown.prefix,
            deferred,
        )
        if problem := printed.unbalanced(rendered):
            raise RunFailure(
                f"{shown.title} failed: its output is not balanced HTML: it {problem}"
            )
        rendered += extra
    return rendered + notes(results, notebook_url)


def notes(results: list[Result], notebook_url: str) -> str:
    """What is said under a block: a link to its notebook, if it has one; and, as
    scikit-learn's gallery does, what running it took, folded away: a fact about
    the build, not part of the lesson (the Execution times page lists every run)."""
    about = ""
    if notebook_url:
        about += (
            f'<p><a href="{html.escape(notebook_url)}">Open this example as a '
            "notebook</a> (with downloads).</p>"
        )
    if results:
        said = f"This example ran in {results[0].seconds:.1f} s when the site was built"
        # A variant with the snippet's own values is the same run, made once.
        others = {r.digest: r for r in results[1:] if r.digest != results[0].digest}
        if others:
            total = sum(result.seconds for result in others.values())
            count = f"{len(others)} other run{'s' if len(others) > 1 else ''}"
            said += f"; its {count} ran in {total:.1f} s"
        about += (
            '<details class="snippet-exec-time"><summary>Run time</summary>'
            f"<p>{said}. The Execution times page, linked at the foot of every "
            "page, lists every run.</p></details>"
        )
    return f'<div class="snippet-exec-notes">{about}</div>' if about else ""


def _what_if(
    shown: Block,
    results: list[Result],
    md: Markdown,
    deferred: dict[str, str] | None,
) -> str:
    """A block with a control: its source as usual, and as its output one panel
    per run, which the control switches between (see ``whatif``); "" for a block
    without a control."""
    options = shown.options
    if not options.control:
        return ""
    alone = dataclasses.replace(options, source="", title="", id="")

    def output(index: int, panel: str) -> str:
        figures, _ = spread.show(options, shown.code, results, shown.values, run=index)
        markdown = results[index].markdown
        return render("", markdown, figures, alone, md, panel, deferred)

    names = [name for name, _ in options.vary]
    panels = whatif.control(
        options.control,
        shown.prefix,
        options.vary,
        variants.defaults(shown.code, names),
        shown.values,
        output,
    )
    mark = f'<div class="snippet-exec-whatif-{uuid.uuid4().hex}"></div>'
    text = f"\n\n{mark}\n\n"
    source = render(shown.code, text, [], options, md, shown.prefix, deferred)
    return source.replace(mark, panels, 1)
