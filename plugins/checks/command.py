"""`lscb check`: is the data sound, and does the report meet its Working Together edition?

Exit 0: no data errors and no *must* requirement missing (warnings are printed but do not fail).
Exit 1: data errors. Exit 2: data sound, but a *must* requirement is missing. Exit 3: data sound, but
the year is a draft: a plugin (``lscb_check_year``) reports something still to do, e.g. figures to fill.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

from plugins.blocks import Group, Table

from .consistency import Warning_, table_checks
from .data import DataError, load_csv
from .engine import Engine, SectionContext
from .errors import DataErrors, LscbError, PluginError
from .requirements import Coverage, coverage


@dataclass(frozen=True)
class Pending:
    """Something still to do before a report year is final, e.g. a figure to fill (see lscb_check_year)."""
    file: str
    where: str
    kind: str        # singular noun first: "figure to fill", "passage to rewrite"

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.kind}"


@dataclass
class CheckResult:
    board: str
    year: str
    edition: str
    errors: list[DataError] = field(default_factory=list)
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


def _tables(blocks) -> list[Table]:
    out = []
    for b in blocks:
        if isinstance(b, Table):
            out.append(b)
        elif isinstance(b, Group):
            out.extend(_tables(b.blocks))
    return out


def check_data(engine: Engine, year: str) -> tuple[list[DataError], list[Warning_]]:
    """Build every content file of the year and read every printed table; collect every problem."""
    data = engine.data(year)
    errors: list[DataError] = []
    warnings: list[Warning_] = []
    used: set[str] = set()
    for path in sorted((data.root / "sections").glob("*.yml")):
        ctx = SectionContext(engine, engine.board, year, data, path.stem)
        before = set(data.read)
        try:
            blocks = ctx.content_blocks() or []
        except DataErrors as e:
            errors.extend(e.errors)
            continue
        except DataError as e:
            errors.append(e)
            continue
        used |= set(data.read) - before
        for table in _tables(blocks):
            warnings.extend(table_checks(table))
            warnings.extend(table.consistency)
        for block in blocks:        # charts warn too (a caption promising what is not drawn)
            if not isinstance(block, Table):
                warnings.extend(getattr(block, "consistency", None) or [])
    from .consistency import declared_checks, indicator_checks
    warnings.extend(declared_checks(data, errors))
    if data.exists("indicators.csv") and not any(e.file == data.label("indicators.csv") for e in errors):
        warnings.extend(indicator_checks(data.csv("indicators.csv"), data.label("indicators.csv")))
    for path in sorted((data.root / "tables").glob("*.csv")):
        rel = f"tables/{path.name}"
        try:
            load_csv(path, data.label(rel))
        except DataError as e:
            errors.append(e)
            continue
        if rel not in used:
            warnings.append(Warning_(data.label(rel), "table", "not shown by any section"))
    unique = {str(e): e for e in errors}    # a broken file read by several blocks is one problem
    return list(unique.values()), list({str(w): w for w in warnings}.values())     # a table shown twice warns once


def check_year(engine: Engine, year: str) -> CheckResult:
    board = engine.board
    board.check_year(year)
    edition = board.year_info(year)["edition"]
    result = CheckResult(board.id, year, edition)
    result.errors, result.warnings = check_data(engine, year)
    if result.errors:
        return result
    from .render.report import execute_book
    execute_book(engine, year)            # first, so a chapter's own error is what is reported
    result.pending, found = plugin_findings(engine, year)
    result.warnings.extend(found)
    result.coverage = coverage(engine.requirements.items, engine.section_types, engine.rendered.get(year, []),
                               edition)
    return result


def plugin_findings(engine: Engine, year: str) -> tuple[list[Pending], list]:
    """What plugins add through ``lscb_check_year``: things still to do (Pending) and warnings. lscb render
    prints the warnings too, so both commands show the same ones."""
    pending, warnings = [], []
    try:
        answers = engine.pm.hook.lscb_check_year(engine=engine, year=year)
    except LscbError:
        raise
    except Exception as e:  # noqa: BLE001 - a plugin's bug is one message naming its file, not a traceback
        raise PluginError(f"{engine.board.id} {year}: plugin {engine._plugin_file(e)} raised "
                          f"{type(e).__name__}: {e} in hook lscb_check_year") from e
    for found in answers:
        for item in found or []:
            (pending if isinstance(item, Pending) else warnings).append(item)
    return pending, warnings


def print_result(r: CheckResult, out=None) -> None:
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


def run_check(board_id: str, year: str | None, appendix: bool = False) -> int:
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
