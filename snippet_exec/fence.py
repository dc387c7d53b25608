"""The superfences fence that executes ``python exec="1"`` blocks: the engine's core.

It needs no MkDocs plugin hook. A configuration can declare it alone::

    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: python
              class: python
              validator: !!python/name:snippet_exec.fence.validator
              format: !!python/name:snippet_exec.fence.formatter

and every block is then looked up in the cache or executed (isolated, time-limited)
and rendered where it stands; a block that fails raises ``SuperFencesException``,
which stops the build. The ``snippet-exec`` MkDocs plugin uses the same pieces and
adds what needs the build's lifecycle: blocks submitted in parallel and awaited
before any page is written, notebook pages, the times page, the serve loop.

``prepare`` turns a block into jobs: it finds which snippet file the block shows
(pymdownx.snippets has already pasted it in), names the block after it, maps the
lines of code written beside an include to the page, and expands ``vary``.
"""

from __future__ import annotations

import atexit
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown import Markdown
from pymdownx.superfences import SuperFencesException

from snippet_exec import identity, process, spread, variants
from snippet_exec.cache import Cache, store_at
from snippet_exec.engine import Job, Runner, Settings
from snippet_exec.options import BlockOptions, OptionError, parse
from snippet_exec.render import render
from snippet_exec.result import Limits, Result

EXEC = re.compile(r"""\bexec=(["']?)(1|true|yes|on)\1""", re.IGNORECASE)
FENCE = re.compile(
    r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?:python|py)\b(?P<rest>.*)$"
)
OPTION_ID = re.compile(r"""\bid=(["'])(?P<id>[^"']*)\1""")
OPTION = re.compile(r"""\b(?P<key>[\w-]+)=(["'])(?P<value>.*?)\2""")
INCLUDE = re.compile(r"""^\s*-{1,}8<-{1,}\s+(["'])(?P<path>[^"']+)\1\s*$""")


class Snippets:
    """The example scripts under a folder, found by their text."""

    def __init__(self, root: Path, folder: Path) -> None:
        self.root = root
        self.folder = folder
        self.texts: dict[Path, list[str]] = {}
        self.errors: dict[Path, str] = {}
        for path in sorted(folder.rglob("*.py")) if folder.is_dir() else ():
            try:
                self.texts[path] = path.read_text(encoding="utf-8").splitlines()
            except UnicodeDecodeError as error:
                raw = path.read_bytes()
                line = raw.count(b"\n", 0, error.start) + 1
                self.errors[path] = f"line {line} is not UTF-8 ({error.reason})"
        self.by_text = {
            "\n".join(lines).strip(): path for path, lines in self.texts.items()
        }

    def name(self, path: Path) -> str:
        """A path as pages and logs name it: from the root, e.g. snippets/x/y.py."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def find(self, source: str, includes: tuple[str, ...] = ()) -> Path | None:
        """The snippet whose whole text is ``source``, if any: the one the block
        includes, if it includes one (two files can have the same text)."""
        if len(includes) == 1:
            path = self.root / includes[0]
            if "\n".join(self.texts.get(path, ["\0"])).strip() == source.strip():
                return path
        return self.by_text.get(source.strip())

    def origins(self, source: str, page: str, written: Fence) -> list[tuple[str, int]]:
        """Each line of ``source``: the file and line it came from, that is the
        included snippet's line, or the page's line for code written in the block.
        A line the page does not have (the blank line an include adds) takes the
        origin of the line before it."""
        expected: list[tuple[str, tuple[str, int]]] = []
        for number, text in written.body:
            include = INCLUDE.match(text)
            path = self.root / include["path"] if include else None
            if path in self.texts:
                name = self.name(path)
                lines = enumerate(self.texts[path], start=1)
                expected += [(line.strip(), (name, n)) for n, line in lines]
            else:
                expected.append((text.strip(), (page, number)))
        mapped, position, last = [], 0, (page, written.line)
        for line in (line.strip() for line in source.splitlines()):
            if line:
                found = [
                    j for j in range(position, len(expected)) if expected[j][0] == line
                ]
            else:
                blank = position < len(expected) and not expected[position][0]
                found = [position] if blank else []
            if found:
                last, position = expected[found[0]][1], found[0] + 1
            mapped.append(last)
        return mapped


@dataclass(frozen=True)
class Fence:
    """Where an executed fence stands in its page's Markdown, as written."""

    line: int
    id: str
    body: tuple[tuple[int, str], ...]
    """Its lines between the fences, with their line numbers in the page."""
    info: str = ""
    """What follows the language on its opening line: the options, as written."""

    @property
    def options(self) -> dict[str, str]:
        """The options of the opening line, as superfences reads them."""
        return {m["key"]: m["value"] for m in OPTION.finditer(self.info)}

    @property
    def includes(self) -> tuple[str, ...]:
        """The files its ``--8<--`` lines include."""
        return tuple(m["path"] for _, text in self.body if (m := INCLUDE.match(text)))


def fences(markdown: str) -> list[Fence]:
    """The executed python fences of a page, in page order."""
    found = []
    lines = markdown.splitlines()
    for number, line in enumerate(lines, start=1):
        match = FENCE.match(line)
        if not (match and EXEC.search(match["rest"])):
            continue
        block_id = OPTION_ID.search(match["rest"])
        body = []
        for offset, text in enumerate(lines[number:], start=number + 1):
            if text.strip().startswith(match["fence"]):
                break
            body.append((offset, text))
        block = block_id["id"] if block_id else ""
        found.append(Fence(number, block, tuple(body), match["rest"]))
    return found


@dataclass
class Block:
    """One executed block, as jobs: the snippet as written, then each variant."""

    name: str
    page: str
    code: str
    options: BlockOptions
    jobs: list[Job] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)
    """Each job's constants that differ from the snippet (empty for the first)."""
    error: str | None = None

    @property
    def title(self) -> str:
        """How errors name the block: its snippet, and the page and id if known."""
        where = f"{self.page}: " if self.page else ""
        label = f" (block '{self.options.id}')" if self.options.id else ""
        return f"{where}{self.name}{label}"


def prepare(
    source: str,
    options: dict[str, Any],
    *,
    snippets: Snippets,
    timeout: float,
    page: str = "",
    number: int = 1,
    written: Fence | None = None,
) -> Block:
    """The jobs of one block (``options`` as ``validator`` left them); ``written``
    is the block as its page's Markdown has it, where known."""
    parsed: BlockOptions = options.get("snippet_exec") or BlockOptions()
    path = snippets.find(source, written.includes if written else ())
    origins = None
    if path is not None:
        name = snippets.name(path)
    else:  # code written in the page, maybe beside an include
        label = parsed.id or f"block {number}"
        name = f"{page}, {label}" if page else label
        included = written.includes if written else ()
        path = snippets.root / (included[0] if included else page or name)
        if written is not None:
            origins = tuple(snippets.origins(source, page, written))
    block = Block(name=name, page=page, code=source, options=parsed)
    if error := options.get("snippet_exec_error"):
        block.error = f"option error: {error}"
        return block
    if path in snippets.errors:
        block.error = snippets.errors[path]
        return block
    job = Job(
        code=source,
        path=path,
        timeout=parsed.timeout or timeout,
        depends=parsed.depends,
        origins=origins,
    )
    block.jobs.append(job)
    block.values.append({})
    if parsed.vary:
        try:
            combinations = variants.expand(source, name, parsed.vary)
        except (OptionError, SyntaxError) as error:
            block.error = f"option error: {error}"
            return block
        for values in combinations:
            code = variants.substitute(source, values)
            block.jobs.append(Job(code, path, job.timeout, job.depends, origins))
            block.values.append(values)
    return block


def validator(
    language: str,
    inputs: dict[str, str],
    options: dict[str, Any],
    attrs: dict[str, Any],
    md: Markdown,
) -> bool:
    """Take the fences with ``exec="1"`` (others stay plain code) and check their
    options; an error is kept for the formatter, which knows what to do with it."""
    if not EXEC.search(
        " ".join(f'{k}="{v}"' for k, v in inputs.items() if k == "exec")
    ):
        return False
    try:
        options["snippet_exec"] = parse(inputs)
    except OptionError as error:
        options["snippet_exec"] = BlockOptions(id=inputs.get("id", ""))
        options["snippet_exec_error"] = str(error)
    inputs.clear()
    return True


def failure_message(block: Block, values: dict[str, Any], result: Result) -> str:
    """What a failed run of a block says: the block, the variant, what went wrong."""
    variant = ", ".join(f"{k}={v!r}" for k, v in values.items())
    return (
        f"{block.title} failed{f' (variant {variant})' if variant else ''}: "
        f"{result.failure}"
    )


def prefix(block: Block, number: int = 0) -> str:
    """The prefix of the element ids of a block's figures: unique in its page."""
    return block.options.id or f"block{number}"


class Standalone:
    """What the fence needs when no plugin set it up: settings from the
    environment (``SNIPPET_EXEC_CACHE_DIR``, ``SNIPPET_EXEC_WORK_DIR``,
    ``SNIPPET_EXEC_TIMEOUT``, ``SNIPPET_EXEC_START_METHOD``), relative to the
    working directory, and one Runner, made again when the working directory or the
    engine's code changes (a long-lived process building again)."""

    def __init__(self) -> None:
        self.root = Path.cwd()
        environ = os.environ
        cache = environ.get("SNIPPET_EXEC_CACHE_DIR", ".snippet-exec/cache")
        work = self.root / environ.get("SNIPPET_EXEC_WORK_DIR", ".snippet-exec")
        self.timeout = float(environ.get("SNIPPET_EXEC_TIMEOUT", "180"))
        self.snippets = Snippets(self.root, self.root / "snippets")
        launcher = process.launcher_for(
            environ.get("SNIPPET_EXEC_START_METHOD", "auto")
        )
        settings = Settings(
            root=self.root,
            cache=Cache(store_at(cache, self.root), Limits()),
            work_dir=work,
            ignore=(work,),
        )
        self.runner = Runner(settings, launcher)
        atexit.register(self.runner.close)

    @classmethod
    def current(cls) -> Standalone:
        global _standalone
        if (
            _standalone is None
            or _standalone.root != Path.cwd()
            or _standalone.runner.engine != identity.engine()
        ):
            if _standalone is not None:
                _standalone.runner.close()
            _standalone = cls()
        return _standalone


_standalone: Standalone | None = None
_count = 0
"""Blocks rendered by this process: numbers their figures' ids when they have none."""


def formatter(
    source: str,
    language: str,
    css_class: str,
    options: dict[str, Any],
    md: Markdown,
    **kwargs: Any,
) -> str:
    """Run (or look up) the block and render it; raise SuperFencesException if it
    fails, which stops the build."""
    global _count
    context = Standalone.current()
    block = prepare(source, options, snippets=context.snippets, timeout=context.timeout)
    if block.error:
        raise SuperFencesException(f"{block.title}: {block.error}")
    results = [context.runner.submit(job).result() for job in block.jobs]
    for values, result in zip(block.values, results, strict=True):
        if result.failure:
            raise SuperFencesException(failure_message(block, values, result))
    try:
        figures, extra = spread.show(block.options, block.code, results, block.values)
    except OptionError as error:
        raise SuperFencesException(f"{block.title}: option error: {error}") from None
    _count += 1
    html = render(
        block.code,
        results[0].markdown,
        figures,
        block.options,
        md,
        prefix(block, _count),
    )
    return html + extra
