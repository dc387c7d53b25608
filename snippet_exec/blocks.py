"""A block, from its fence in a page to its jobs: the front of the one pipeline.

The plugin and the standalone fence both turn every executed fence into a ``Block``
here (``prepare``), and both turn its results into HTML with ``render.block``:

- ``Snippets``: the example scripts, read once per build; ``find`` tells which
  file a block shows (pymdownx.snippets has already pasted it in), ``origins``
  maps the lines of code written beside an include to the page;
- ``fences``: a page's executed fences as its Markdown writes them (their ids,
  options and includes), for the plugin, which sees the page before it is
  converted; ``page_problems``: the fences nothing would run (an ``exec`` option
  on a language no one executes) and ids used twice; ``Page`` numbers a page's
  blocks and matches each to its fence;
- ``prepare``: the block's jobs, its snippet as written first and then each of
  its variants (``vary``), or the error that stops it, naming it.

Kept free of heavy imports, as everything the MkDocs process runs.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from snippet_exec import variants
from snippet_exec.engine import Job
from snippet_exec.errors import EngineFault, OptionError, RunFailure, SnippetExecError
from snippet_exec.options import BlockOptions
from snippet_exec.result import Result

EXEC = re.compile(r"""\bexec=(["']?)(1|true|yes|on)\1""", re.IGNORECASE)
EXEC_OPTION = re.compile(r"""\bexec=(["']?)(?P<value>[^"'\s]*)\1""")
OPENING = re.compile(
    r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<language>[\w+.-]*)(?P<rest>.*)$"
)
PYTHON = frozenset({"python", "py"})
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

    def check(self) -> None:
        """Raise RunFailure naming every snippet that cannot be read."""
        if self.errors:
            raise RunFailure(
                "\n".join(f"{self.name(p)}: {e}" for p, e in self.errors.items())
            )

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
    """Where a fence stands in its page's Markdown, as written."""

    line: int
    id: str
    body: tuple[tuple[int, str], ...]
    """Its lines between the fences, with their line numbers in the page."""
    info: str = ""
    """What follows the language on its opening line: the options, as written."""
    language: str = "python"

    @property
    def options(self) -> dict[str, str]:
        """The options of the opening line, as superfences reads them."""
        return {m["key"]: m["value"] for m in OPTION.finditer(self.info)}

    @property
    def includes(self) -> tuple[str, ...]:
        """The files its ``--8<--`` lines include."""
        return tuple(m["path"] for _, text in self.body if (m := INCLUDE.match(text)))

    @property
    def executed(self) -> bool:
        """Its ``exec`` option asks for it to be run."""
        return bool(EXEC.search(self.info))


def written_fences(markdown: str) -> list[Fence]:
    """Every fenced block of a page, in page order. A fence inside a longer one (an
    example of a fence, shown as code) is part of that one's body, as for
    superfences."""
    return list(_written_fences(markdown))


@functools.lru_cache(maxsize=256)  # a page is read several times a build
def _written_fences(markdown: str) -> tuple[Fence, ...]:
    found = []
    lines = markdown.splitlines()
    number = 0
    while number < len(lines):
        opening = OPENING.match(lines[number])
        number += 1
        if not opening:
            continue
        start, mark = number, opening["fence"]
        body = []
        while number < len(lines):
            text = lines[number].strip()
            number += 1
            if text.startswith(mark) and not text.strip(mark[0]):
                break
            body.append((number, lines[number - 1]))
        block_id = OPTION_ID.search(opening["rest"])
        found.append(
            Fence(
                start,
                block_id["id"] if block_id else "",
                tuple(body),
                opening["rest"],
                opening["language"].lower(),
            )
        )
    return tuple(found)


def fences(markdown: str) -> list[Fence]:
    """The executed python fences of a page, in page order."""
    return [
        fence
        for fence in written_fences(markdown)
        if fence.language in PYTHON and fence.executed
    ]


def page_problems(page: str, markdown: str, executed: set[str]) -> list[str]:
    """What of a page's fences would be silently wrong, each naming its line: an
    ``exec`` option that nothing executes (a language no fence runs, a value that
    is not true: superfences would show the fence as text, and mangle what
    follows), or an executed block's id used twice. ``executed``
    are the languages whose fences are run (python's and markdown-exec's)."""
    problems = []
    ids: dict[str, int] = {}
    for fence in written_fences(markdown):
        if not EXEC_OPTION.search(fence.info):
            continue
        if not fence.executed or fence.language not in executed:
            languages = ", ".join(sorted(executed))
            problems.append(
                f"{page}: line {fence.line}: a ```{fence.language}"
                f"{fence.info.rstrip()} fence, which nothing executes (exec='1' "
                f"runs {languages}; a fence shown as code has no exec option)"
            )
        elif fence.id in ids:
            problems.append(
                f"{page}: line {fence.line}: block id '{fence.id}' is the id of the "
                f"block at line {ids[fence.id]}: ids name one block each"
            )
        elif fence.id:
            ids[fence.id] = fence.line
    return problems


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
    number: int = 1
    """Its place among its page's executed blocks, from 1."""
    error: SnippetExecError | None = None
    """Why it cannot run (its options, its snippet), naming the block."""

    @property
    def title(self) -> str:
        """How errors name the block: its snippet, and the page and id if known."""
        where = f"{self.page}: " if self.page else ""
        label = f" (block '{self.options.id}')" if self.options.id else ""
        return f"{where}{self.name}{label}"

    @property
    def prefix(self) -> str:
        """The prefix of the element ids of its figures: unique in its page."""
        return self.options.id or f"block{self.number}"

    def option_error(self, error: Exception) -> OptionError:
        """``error`` (an option's problem) as an error naming this block."""
        return OptionError(f"{self.title}: option error: {error}")

    def failure(self, values: dict[str, Any], result: Result) -> SnippetExecError:
        """The failure of the run of this block with ``values`` (the variant's
        constants): the block, the variant, what went wrong."""
        variant = ", ".join(f"{k}={v!r}" for k, v in values.items())
        message = (
            f"{self.title} failed{f' (variant {variant})' if variant else ''}: "
            f"{result.failure}"
        )
        return EngineFault(message) if result.fault else RunFailure(message)

    def run_names(self) -> list[str]:
        """How the log and the times page name each of its runs."""
        return [
            self.name
            + (
                f" [{', '.join(f'{k}={v!r}' for k, v in values.items())}]"
                if values
                else ""
            )
            for values in self.values
        ]


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
    else:  # code written in the page, maybe beside an include: named by its line
        label = f"line {written.line}" if written else parsed.id or f"block {number}"
        name = f"{page}, {label}" if page else label
        included = written.includes if written else ()
        path = snippets.root / (included[0] if included else page or name)
        if written is not None:
            origins = tuple(snippets.origins(source, page, written))
        elif not page:  # a page the fence does not know: the block, as <stdin> is
            origins = tuple((f"<{name}>", n) for n in range(1, source.count("\n") + 2))
    block = Block(name=name, page=page, code=source, options=parsed, number=number)
    if error := options.get("snippet_exec_error"):
        block.error = block.option_error(error)
        return block
    if path in snippets.errors:
        block.error = RunFailure(f"{block.title}: {snippets.errors[path]}")
        return block
    job = Job(
        code=source,
        path=path,
        timeout=parsed.timeout or timeout,
        depends=parsed.depends,
        origins=origins,
        limits=parsed.limits,
    )
    block.jobs.append(job)
    block.values.append({})
    if parsed.vary:
        try:
            combinations = variants.expand(source, name, parsed.vary)
        except (OptionError, SyntaxError) as error:
            block.error = block.option_error(error)
            return block
        for values in combinations:
            code = variants.substitute(source, values)
            block.jobs.append(replace(job, code=code))
            block.values.append(values)
    return block


class Page:
    """The executed blocks of one page as they are converted: numbered in page
    order, each matched to its fence as written (by id, else by place)."""

    def __init__(self, uri: str = "", markdown: str = "") -> None:
        self.uri = uri
        self.markdown = markdown
        self.fences = fences(markdown) if markdown else []
        self.count = 0

    def next(self, options: dict[str, Any]) -> tuple[int, Fence | None]:
        """The number of the block now converted (with the validated ``options``),
        and its fence as written, where known."""
        self.count += 1
        parsed = options.get("snippet_exec")
        block_id = parsed.id if isinstance(parsed, BlockOptions) else ""
        written = [f for f in self.fences if block_id and f.id == block_id]
        if not written and self.count <= len(self.fences):
            written = [self.fences[self.count - 1]]
        return self.count, written[0] if written else None
