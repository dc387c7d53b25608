"""What a ``mkdocs serve`` rebuild reuses from the build before it, so that a prose
edit converts and lays out one page rather than the whole site.

MkDocs redoes every page at every rebuild: its Markdown conversion (``Page.render``)
and its layout (the theme's template). Each is kept here by a hash of everything
it is made from, and reused while that is unchanged, so the site written is byte
for byte the one a full build writes:

- ``Conversions``: a page's conversion is made from its Markdown, the files its
  ``--8<--`` lines include, the Markdown extensions' settings and the files they
  append, the site's files (links are resolved against them) and the
  configuration file. A page whose conversion logged a warning, that includes
  files in any other way, or that has fences markdown-exec runs, is converted
  every time. The engine's blocks are replayed, not skipped: each block the
  conversion met is submitted again, in order, as the conversion submitted it,
  and its new placeholder goes where the old one was.
- ``Layouts``: a page's layout is made from its HTML, table of contents, title,
  metadata and URLs, the navigation and every page's title, the theme's
  templates and the configuration file. A context holding anything else (a value
  another plugin added) is laid out every time.

Both live in the plugin, which ``mkdocs serve`` keeps across rebuilds; what one
build used is what the next may reuse (``next_build``), and nothing else is kept.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from snippet_exec.blocks import INCLUDE, PYTHON, written_fences

SIMPLE = (str, int, float, bool, type(None))
KNOWN = frozenset(
    {
        "nav",
        "pages",
        "base_url",
        "extra_css",
        "extra_javascript",
        "mkdocs_version",
        "build_date_utc",
        "config",
        "page",
    }
)
"""The template context MkDocs makes (``get_context``); the rest is a plugin's."""


def digest(*parts: Any) -> str:
    """A hash of ``parts``: each text as it is (a page's HTML can be half a
    megabyte: no JSON escaping of it), anything else as JSON, objects by their
    ``str``; each with its length, so that no two lists of parts hash alike."""
    sha = hashlib.sha256()
    for part in parts:
        kind, text = (
            ("s", part)
            if isinstance(part, str)
            else ("j", json.dumps(part, sort_keys=True, default=str))
        )
        data = text.encode("utf-8", "surrogatepass")
        sha.update(f"{kind}{len(data)}:".encode())
        sha.update(data)
    return sha.hexdigest()


_last_text: list[tuple[str, str]] = []
"""The last text ``text_digest`` hashed (the object itself, kept alive so that
``is`` tells it again) and its hash."""


def text_digest(text: str) -> str:
    """A hash of ``text``; the same text object asked twice in a row is hashed once
    (a page's HTML, up to a megabyte, keys both its search entries and its layout,
    one after the other)."""
    last = _last_text[0] if _last_text else None
    if last is not None and last[0] is text:
        return last[1]
    found = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    _last_text[:] = [(text, found)]
    return found


def files_digest(paths: Iterable[Path]) -> str:
    """A hash of the files at ``paths``: their names and bytes (a missing one too)."""
    sha = hashlib.sha256()
    for path in paths:
        sha.update(str(path).encode() + b"\0")
        sha.update(path.read_bytes() if path.is_file() else b"\0missing\0")
    return sha.hexdigest()


def config_path(config: Any) -> Path:
    """The configuration file, whole: serve's first build names it as given
    (``mkdocs.yml``), its rebuilds from the root."""
    return Path(config.config_file_path).resolve()


def toc(items: Iterable[Any]) -> list[Any]:
    """A table of contents as plain data: each entry's id, title, level, children."""
    return [(i.id, i.title, i.level, toc(i.children)) for i in items]


class Warned(logging.Handler):
    """Whether MkDocs logged a warning (or worse) while attached."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.any = False

    def emit(self, record: logging.LogRecord) -> None:
        self.any = True


@dataclass
class Call:
    """One call the conversion made to the engine's fence formatter."""

    args: tuple[Any, ...]
    """source, language, css_class, options, md: as superfences passed them."""
    placeholder: str
    """What it returned: the mark the block's HTML replaces later."""


@dataclass
class Converted:
    """What ``Page.render`` left on a page, and the fence calls it made."""

    content: str
    toc: Any
    title: str | None
    """The title found by the conversion (``_title_from_render``)."""
    named: tuple[Any] | None
    """The title the conversion set (mkdocs-jupyter's, a notebook's heading)."""
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None
    """``links_to_anchors``, by the linked file's ``src_uri``."""
    calls: list[Call]


class Conversions:
    """Each page's Markdown conversion, kept from one rebuild to the next."""

    def __init__(self, formatter: Callable[..., str]) -> None:
        self.formatter = formatter
        """The engine's fence formatter (the plugin's ``format_block``)."""
        self.last: dict[str, Converted] = {}
        self.now: dict[str, Converted] = {}
        self.calls: list[Call] | None = None
        self.reused: list[str] = []
        """The pages whose conversion this build reused, by ``src_uri``."""
        self.salt = self.site = ""
        self.bases: list[Path] = []

    def next_build(self, config: Any, salt: str) -> None:
        """Start a build: ``salt``, what besides a page's text shapes its
        Markdown (``plugin.markdown_salt``)."""
        self.last, self.now = self.now, {}
        self.reused = []
        config_file = config_path(config)
        snippets = config.mdx_configs.get("pymdownx.snippets", {})
        self.bases = [config_file.parent / b for b in snippets.get("base_path", ["."])]
        self.salt = digest(salt, files_digest([config_file]))
        self.site = ""

    def _site(self, files: Any) -> str:
        """What shapes every page's conversion this build: the salt, and the site's
        files (links are resolved against them), known once the pages convert."""
        if not self.site:
            made_from = sorted((f.src_uri, f.dest_uri, f.url) for f in files)
            self.site = digest(self.salt, made_from)
        return self.site

    def formatted(self, args: tuple[Any, ...], placeholder: str) -> str:
        """Note a call to the formatter made while a page converts; pass it on."""
        if self.calls is not None:
            self.calls.append(Call(args, placeholder))
        return placeholder

    def key(self, page: Any, files: Any) -> str | None:
        """A hash of what ``page``'s conversion is made from; None if it cannot be
        known from the page's Markdown."""
        markdown: str = page.markdown
        included = []
        for line in markdown.splitlines():
            if "8<-" not in line:
                continue
            found = INCLUDE.match(line)
            if found is None:
                return None  # a block of includes, a section, a URL: not followed
            paths = [base / found["path"] for base in self.bases]
            path = next((p for p in paths if p.is_file()), paths[0])
            if path.is_file() and b"8<-" in path.read_bytes():
                return None  # an include that includes
            included.append(path)
        for fence in written_fences(markdown):
            if fence.executed and fence.language not in PYTHON:
                return None  # markdown-exec runs it while the page converts
        where = (page.file.src_uri, page.file.dest_uri, page.file.url)
        return digest(self._site(files), where, markdown, files_digest(included))

    def wrap(self, page: Any) -> None:
        """Have ``page`` reuse its last conversion when what it is made from is
        unchanged, and keep this one for the next build. A notebook page's
        conversion is mkdocs-jupyter's, made from the notebook (its ``markdown``)
        and that plugin's settings, in the configuration file."""
        render = page.render

        def reusing_render(config: Any, files: Any) -> None:
            key = self.key(page, files)
            found = self.now.get(key) or self.last.get(key) if key else None
            if found is not None:
                self._replay(found, page, files)
                self.reused.append(page.file.src_uri)
            else:
                found = self._convert(render, page, config, files)
            if key and found is not None:
                self.now[key] = found

        page.render = reusing_render

    def _convert(
        self, render: Callable[..., None], page: Any, config: Any, files: Any
    ) -> Converted | None:
        """Convert ``page``; what it made, or None if that is not to be reused."""
        warned = Warned()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(warned)
        self.calls = []
        title = vars(page).get("title", warned)
        try:
            render(config, files)
        finally:
            calls, self.calls = self.calls, None
            logger.removeHandler(warned)
        if warned.any:
            return None
        links = page.links_to_anchors
        named = vars(page).get("title", warned)
        return Converted(
            page.content,
            copy.deepcopy(page.toc),
            page._title_from_render,
            None if named is title else (named,),
            set(page.present_anchor_ids or ()),
            None
            if links is None
            else {f.src_uri: dict(anchors) for f, anchors in links.items()},
            calls,
        )

    def _replay(self, found: Converted, page: Any, files: Any) -> None:
        """Put ``found`` on ``page``, its blocks submitted again in page order."""
        content = found.content
        for call in found.calls:
            placeholder = self.formatter(*call.args)
            content = content.replace(call.placeholder, placeholder, 1)
        page.content = content
        page.toc = copy.deepcopy(found.toc)
        page._title_from_render = found.title
        if found.named is not None:
            page.title = found.named[0]
        page.present_anchor_ids = set(found.anchors or ())
        if found.links is not None:
            page.links_to_anchors = {
                files.get_file_from_path(uri): dict(anchors)
                for uri, anchors in found.links.items()
            }


class Remembered:
    """A template whose output for a page is reused (``Layouts``)."""

    def __init__(self, layouts: Layouts, template: Any) -> None:
        self.layouts = layouts
        self.template = template

    def __getattr__(self, name: str) -> Any:
        return getattr(self.template, name)

    def render(self, context: Any) -> str:
        key = self.layouts.key(self.template.name, context)
        layouts = self.layouts
        found = layouts.now.get(key) or layouts.last.get(key) if key else None
        if found is None:
            found = self.template.render(context)
        else:
            layouts.reused.append(context["page"].file.src_uri)
        if key:
            layouts.now[key] = found
        return found


class Layouts:
    """Each page's layout (its template's output), kept from one rebuild to the
    next."""

    def __init__(self) -> None:
        self.last: dict[str, str] = {}
        self.now: dict[str, str] = {}
        self.site: str | None = None
        self.theme = ""
        self.reused: list[str] = []
        """The pages whose layout this build reused, by ``src_uri``."""

    def next_build(self, config: Any) -> None:
        """Start a build: the configuration file and the project's own templates,
        its ``custom_dir`` (a theme installed as a package is the same for the
        whole serve)."""
        self.last, self.now = self.now, {}
        self.site = None
        self.reused = []
        paths = [config_path(config)]
        if custom := config.theme.custom_dir:
            paths += sorted(p for p in Path(custom).rglob("*") if p.is_file())
        self.theme = digest(list(map(str, config.theme.dirs)), files_digest(paths))

    def wrap(self, get_template: Callable[..., Any]) -> Callable[..., Any]:
        """``env.get_template``, whose templates asked for by name alone (as MkDocs
        asks for a page's) reuse their output; Jinja's own calls (``extends``,
        ``include``: with a parent) get the template itself."""

        def get(name: Any, *args: Any, **kwargs: Any) -> Any:
            template = get_template(name, *args, **kwargs)
            return template if args or kwargs else Remembered(self, template)

        return get

    def key(self, name: str, context: Any) -> str | None:
        """A hash of what a page's layout is made from; None if that is not known
        (no page: a theme's own page; a value another plugin put in the context)."""
        page = context.get("page")
        if page is None or page.content is None:
            return None
        others = {}
        for key, value in context.items():
            if key in KNOWN:
                continue
            if not isinstance(value, SIMPLE):
                return None
            others[key] = value
        if self.site is None:
            titles = [
                (f.src_uri, f.url, f.page and str(f.page.title))
                for f in context["pages"]
            ]
            self.site = digest(self.theme, self._nav(context["nav"].items), titles)
        return digest(
            self.site,
            name,
            others,
            [context[k] for k in sorted(KNOWN - {"nav", "pages", "config", "page"})],
            page.url,
            page.canonical_url,
            page.edit_url,
            page.is_homepage,
            str(page.title),
            page.meta,
            toc(page.toc),
            text_digest(page.content),
        )

    def _nav(self, items: Iterable[Any]) -> list[Any]:
        return [
            (
                type(i).__name__,
                str(i.title),
                getattr(i, "url", None),
                self._nav(getattr(i, "children", None) or ()),
            )
            for i in items
        ]


class ThemeListing:
    """The theme's files, as MkDocs lists them to find the static ones, kept.

    At every build MkDocs lists every file of the theme's folders and matches each
    against its patterns (Material's folders hold some 14,000 files, its icons),
    a tenth of a prose edit's rebuild. The list is kept for the whole serve,
    by the theme's folders, the configuration file and the names of the files in
    the project's own ``custom_dir``: an installed theme's files do not change
    while it is served, and a file added to or removed from the project's
    changes the key."""

    def __init__(self) -> None:
        self.listed: dict[str, list[str]] = {}

    def wrap(self, theme: Any, config: Any) -> None:
        """Have ``theme.get_env`` make environments that list their files once."""
        get_env = theme.get_env

        def reusing_get_env() -> Any:
            env = get_env()
            list_templates = env.list_templates
            custom = theme.custom_dir
            own = sorted(
                p.relative_to(custom).as_posix()
                for p in (Path(custom).rglob("*") if custom else ())
                if p.is_file()
            )
            key = digest(
                list(map(str, theme.dirs)),
                own,
                files_digest([config_path(config)]),
            )

            def listing(*args: Any, **kwargs: Any) -> list[str]:
                if key not in self.listed:
                    self.listed = {key: list_templates(*args, **kwargs)}
                return list(self.listed[key])

            env.list_templates = listing
            return env

        theme.get_env = reusing_get_env
