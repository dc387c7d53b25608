"""The theme's templates, compiled once: Jinja's bytecode cache, kept across builds.

MkDocs makes a new template environment for every build, so every build (and
every rebuild of ``mkdocs serve``) compiled Material's templates again: about a
fifth of a warm build. ``TemplateCache`` keeps the compiled templates in a folder
and in a dict the plugin keeps across rebuilds. Jinja checks each compiled
template against its source, so an edited template is compiled again.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.bccache


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates in ``memory`` first, then in the folder."""

    def __init__(self, folder: Path, memory: dict[str, bytes]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))
        self.memory = memory

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (data := self.memory.get(bucket.key)) is not None:
            bucket.bytecode_from_string(data)
            if bucket.code is not None:
                return
        super().load_bytecode(bucket)
        if bucket.code is not None:
            self.memory[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.memory[bucket.key] = bucket.bytecode_to_string()
        super().dump_bytecode(bucket)
