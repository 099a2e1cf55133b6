"""One exception type per kind of problem, each with a message a business manager can act on."""
from __future__ import annotations


class LscbError(Exception):
    """Base class: every error the engine reports to a user."""


class BoardError(LscbError):
    """A board or year that does not exist, or a board.yml / _quarto.yml that is malformed."""


class DataError(LscbError):
    """A data file that breaks its contract. Names the file, the row or key, what was expected and found."""

    def __init__(self, file: str, where: str, expected: str, found: str):
        self.file, self.where, self.expected, self.found = file, where, expected, found
        super().__init__(f"{file}: {where}: expected {expected}, found {found}")

    def __reduce__(self):  # rebuilt from its fields when a render process hands it back (--jobs)
        return (type(self), (self.file, self.where, self.expected, self.found))


class RequestError(DataError):
    """Data a block asked for that is not there or not allowed (a missing file, an unknown table id, a path
    outside the year's folder): the engine reports it against the content file and block that asked."""


class DataErrors(LscbError):
    """Several data problems found at once (lscb check prints them all)."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        lines = "\n".join(f"  - {e}" for e in errors)
        super().__init__(f"{len(errors)} data problem(s):\n{lines}")

    def __reduce__(self):
        return (type(self), (self.errors,))


class PluginError(LscbError):
    """A plugin that fails to load, implements an unknown hook, or raises inside a hook."""


class SectionError(LscbError):
    """A section id that no plugin provides, or a section type registered twice."""


class NotebookError(LscbError):
    """A chapter cell that fails: names the .qmd file and the line of the cell."""
