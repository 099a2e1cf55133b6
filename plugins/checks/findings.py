"""What checks find: the engine asks every plugin through ``lscb_check_year`` and sorts the answers.

A finding is a :class:`core.errors.LscbError` (a data problem: ``lscb check`` exits 1, a render stops), a
:class:`Warning_` (printed; the report keeps what it printed) or a :class:`Pending` (something still to do
before the report is final: ``lscb check`` exits 3, a render is marked as a draft).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.errors import DataErrors, LscbError

if TYPE_CHECKING:
    from core.engine import Engine


@dataclass(frozen=True)
class Warning_:
    """An inconsistency kept as printed: the figure, where it comes from and both values."""
    file: str
    figure: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.figure}: {self.message}"


@dataclass(frozen=True)
class Pending:
    """Something still to do before a report year is final, e.g. a figure to fill."""
    file: str
    where: str
    kind: str        # singular noun first: "figure to fill", "passage to rewrite"

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.kind}"


@dataclass
class Findings:
    errors: list[LscbError] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)


def check_year(engine: Engine, year: str) -> Findings:
    """Every plugin's findings for one year, each once, in the order found (the built-in data checks are
    ``tryfirst``, so theirs come first)."""
    answers = engine.pm.hook.lscb_check_year(engine=engine, year=year)   # a plugin's bug: PluginError
    found = Findings()
    for answer in answers:
        for item in answer or []:
            if isinstance(item, DataErrors):
                found.errors.extend(item.errors)
            elif isinstance(item, LscbError):
                found.errors.append(item)
            elif isinstance(item, Pending):
                found.pending.append(item)
            else:
                found.warnings.append(item)
    # a broken file read by several blocks is one problem; a table shown twice warns once
    found.errors = list({str(e): e for e in found.errors}.values())
    found.warnings = list({str(w): w for w in found.warnings}.values())
    return found
