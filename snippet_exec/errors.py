"""What can go wrong, as types: one base, a subclass for each kind of failure.

Every failure the engine reports is one of these, raised or collected, with the
message a reader sees (the page, the block, the snippet's line), so that callers
and tests tell failures apart by their type, not by their wording:

- ``OptionError``: a block's options are unknown, unsupported or malformed, or ask
  for what its run cannot give (a band around a line the figure does not have);
- ``RunFailure``: a snippet's run failed: it raised, hung, crashed, warned, wrote
  to stderr, or produced a result that cannot be published;
- ``FigureLayoutError``: a figure the snippet showed hides its lesson (text on
  text or on data, clipped, too small: ``layout.check``); a ``RunFailure``, since
  the snippet drew it, raised by the site policy's ``capture``;
- ``EngineFault``: snippet-exec itself failed, not the snippet (a bug, a run that
  could not be started, a fork server that died);
- ``ConfigError``: a setting of the site cannot be used (a folder that cannot be
  written, a cluster that cannot be reached);
- ``PageError``: a page names what does not exist (a claim mark without its test);
- ``BuildFailure``: the failures of a build, collected before any page is written.

The plugin turns them into MkDocs' ``PluginError`` and the standalone fence into
``SuperFencesException``, each ``from`` the error itself. Kept free of imports:
the process that runs a snippet uses it too.
"""

from __future__ import annotations


class SnippetExecError(Exception):
    """Anything snippet-exec reports; ``str()`` is the message for the reader."""


class OptionError(SnippetExecError, ValueError):
    """An option of a block is unknown, unsupported or malformed."""


class RunFailure(SnippetExecError):
    """A run of a block's snippet failed: the snippet's fault."""


class FigureLayoutError(RunFailure):
    """A figure's layout has problems; ``problems`` names the elements of each."""

    SHOWN = 5
    """Problems the message spells out; the rest are counted (often the same
    defect again: thirty tick labels that touch their neighbours)."""

    def __init__(self, caption: str, problems: list[str]) -> None:
        named = f' ("{caption}")' if caption else ""
        listed = "; ".join(problems[: self.SHOWN])
        if len(problems) > self.SHOWN:
            listed += f"; and {len(problems) - self.SHOWN} more"
        super().__init__(f"its layout has {len(problems)} problem(s){named}: {listed}")
        self.problems = problems


class EngineFault(SnippetExecError):
    """snippet-exec itself failed while running a block: not the snippet's fault."""


class ConfigError(SnippetExecError):
    """A setting of the site cannot be used."""


class PageError(SnippetExecError):
    """A page names what does not exist (a claim mark whose test is gone)."""


class BuildFailure(SnippetExecError):
    """Every failure known when the build stopped, before any page was written."""

    def __init__(self, failures: list[SnippetExecError]) -> None:
        super().__init__(
            f"{len(failures)} block(s) failed, before any page was written; "
            "see the errors above"
        )
        self.failures = failures
