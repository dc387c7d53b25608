"""The notebook pages' shared parts: their styles, served once for all of them.

mkdocs-jupyter writes into every notebook page the same half megabyte of Jupyter
styles, and loaders for maths (MathJax) and diagrams (Mermaid, imported from a CDN
when a notebook has one). ``share_styles`` takes each style block out of the page
into a stylesheet of its own, named by its content's hash, so that every notebook
page links the same few files, which a browser fetches once; and it drops the two
loaders: the site's notebooks hold no maths and no diagrams, and the site makes no
request to another host.
"""

from __future__ import annotations

import hashlib
import re

LOADERS = re.compile(
    r'<script src="">\s*</script>'
    r'|<script type="text/x-mathjax-config">.*?</script>'
    r'|<script type="module">(?:(?!</script>).)*?mermaid.*?</script>',
    re.DOTALL,
)


_names: dict[tuple[int, int], str] = {}
"""File names of the style texts this process has seen (by length and hash()):
the same half megabyte comes back in every notebook page of every build."""


_shared: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
"""What ``share_styles`` made of each page body lately: under serve, the same
bodies come back at every rebuild (``reuse.Conversions``)."""


def share_styles(content: str, folder_url: str, styles: dict[str, str]) -> str:
    """``content`` (a notebook page's body) with its style blocks replaced by links
    to ``{folder_url}/{hash}.css``, whose text goes into ``styles`` (by file name),
    and without the maths and diagram loaders."""
    made = _shared.get((content, folder_url))
    if made is None:
        if len(_shared) >= 256:
            _shared.clear()
        made = _shared[content, folder_url] = _share(content, folder_url)
    styles.update(made[1])
    return made[0]


def _share(content: str, folder_url: str) -> tuple[str, dict[str, str]]:
    styles: dict[str, str] = {}
    parts, position = [], 0
    while (start := content.find("<style", position)) != -1:
        body = content.find(">", start) + 1
        end = content.find("</style>", body)
        if body == 0 or end == -1:
            break
        text = content[body:end]
        name = _names.get((len(text), hash(text)))
        if name is None:
            name = hashlib.sha256(text.encode()).hexdigest()[:16] + ".css"
            _names[len(text), hash(text)] = name
        styles[name] = text
        parts += [
            content[position:start],
            f'<link rel="stylesheet" href="{folder_url}/{name}">',
        ]
        position = end + len("</style>")
    parts.append(content[position:])
    return LOADERS.sub("", "".join(parts)), styles
