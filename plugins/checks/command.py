"""`lscb check`: is the data sound, and does the report meet its Working Together edition?

Exit 0: no data errors and no *must* requirement missing (warnings are printed but do not fail).
Exit 1: data errors. Exit 2: data sound, but a *must* requirement is missing. Exit 3: data sound, but
the year is a draft: a plugin (``lscb_check_year``) reports something still to do, e.g. figures to fill.
Every finding comes through the ``lscb_check_year`` hook (:mod:`.findings`); this module adds the coverage
of the Working Together requirements and prints the result.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from core.engine import Engine
from core.errors import LscbError
from plugins.checks import findings
from plugins.checks.findings import Pending, Warning_
from plugins.requirements import Coverage, coverage, requirements


@dataclass
class CheckResult:
    board: str
    year: str
    edition: str
    errors: list[LscbError] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)

    @property
    def missing_musts(self) -> list[Coverage]:
        return [c for c in self.coverage if c.missing and c.requirement.force == "must"]

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 1
        if self.pending:
            return 3
        return 2 if self.missing_musts else 0


def check_year(engine: Engine, year: str) -> CheckResult:
    board = engine.board
    board.check_year(year)
    edition = board.year_info(year)["edition"]
    result = CheckResult(board.id, year, edition)
    found = findings.check_year(engine, year)
    result.errors, result.warnings, result.pending = found.errors, found.warnings, found.pending
    if result.errors:
        return result
    from plugins.render.builtin.report import execute_book
    execute_book(engine, year)            # the sections the report shows, for the coverage
    result.coverage = coverage(requirements(engine), engine.section_types, engine.rendered.get(year, []),
                               edition)
    return result


def print_result(r: CheckResult, out: TextIO | None = None) -> None:
    out = out or sys.stdout     # looked up at call time: a default bound at import misses redirection
    print(f"{r.board} {r.year} (Working Together edition {r.edition})", file=out)
    print(f"data: {len(r.errors)} error(s), {len(r.warnings)} warning(s)", file=out)
    for e in r.errors:
        print(f"  ERROR {e}", file=out)
    for w in r.warnings:
        print(f"  warning {w}", file=out)
    if r.errors:
        print("coverage: not computed until the data errors are fixed", file=out)
        return
    met = sum(not c.missing for c in r.coverage)
    print(f"coverage: {met}/{len(r.coverage)} requirements met", file=out)
    for c in r.coverage:
        req = c.requirement
        where = "; ".join(f"{ch} {sec}" for ch, sec in c.met_by) if c.met_by else "MISSING"
        flag = "" if req.verified else " [unverified]"
        print(f"  {req.id:9} {req.force:6} {where}  ({req.text}){flag}", file=out)
    if r.pending:
        print(f"draft: {pending_summary(r.pending)}", file=out)
        for p in r.pending:
            print(f"  TODO {p}", file=out)
    if r.missing_musts:
        print(f"missing must requirement(s): {', '.join(c.requirement.id for c in r.missing_musts)}", file=out)


def pending_summary(pending: list[Pending]) -> str:
    """'37 figures to fill in 12 files; 5 passages to rewrite in 3 files'."""
    parts = []
    for kind in dict.fromkeys(p.kind for p in pending):
        items = [p for p in pending if p.kind == kind]
        noun, _, rest = kind.partition(" ")
        files = len({p.file for p in items})
        parts.append(f"{len(items)} {noun if len(items) == 1 else noun + 's'} {rest} in {files} "
                     f"file{'' if files == 1 else 's'}")
    return "; ".join(parts)


def run_check(board_id: str, year: str | None) -> int:
    """``lscb check BOARD [--year Y]``: print each year's result; the exit code of the worst."""
    engine = Engine.open(board_id)
    years = [engine.board.check_year(year)] if year else list(engine.board.years)
    code = 0
    for y in years:
        try:
            result = check_year(engine, y)
        except LscbError as e:
            prefix = f"{board_id} {y}: "
            message = str(e)      # engine messages often name the board and year already: say it once
            print(message if prefix in message else prefix + message)
            code = max(code, 1)
            continue
        print_result(result)
        code = max(code, result.exit_code) if code != 1 else 1
    return code
