"""Turn a block's result into HTML: markdown-exec's rendering, then the figures.

markdown-exec renders the source and the printed Markdown (tabs, titles, the
source above or below); each figure the run showed is then put where it was shown,
as an inline SVG with its alt text and caption. Rendering reads only the result,
so a change here re-renders every block from the cache without running any.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from typing import Any

import markdown_exec
from markdown import Markdown

from snippet_exec.options import BlockOptions

CODE = re.compile(r'<div class="highlight"><pre>.*?</pre></div>', re.DOTALL)
"""Code highlighted by pymdownx.highlight."""


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
    """``html_page`` with the drawings ``figure_html`` deferred put back."""
    for placeholder, drawing in deferred.items():
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
    text, marks = with_placeholders(markdown, figures)
    rendered = str(
        markdown_exec.base_format(
            language="python",
            run=lambda *args, **kwargs: text,
            code=code,
            md=md,
            **options.markdown_exec(),
        )
    )
    for mark, figure in zip(marks, figures, strict=True):
        drawing = figure_html(figure, prefix, options.explore, deferred)
        rendered = rendered.replace(mark, drawing)
    if deferred is not None:
        rendered = CODE.sub(lambda code: defer(code[0], prefix, deferred), rendered)
    return rendered


def defer(part: str, prefix: str, deferred: dict[str, str]) -> str:
    """A placeholder for ``part``, which goes into ``deferred`` (see
    ``figure_html``)."""
    key = f"{prefix}-{len(deferred)}"  # the block's prefix: unique in the page
    placeholder = f'<div class="snippet-exec-deferred" data-part="{key}"></div>'
    deferred[placeholder] = part
    return placeholder
