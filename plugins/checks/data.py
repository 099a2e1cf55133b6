"""The data checks: every content file of the year is built and every printed table read; each problem is
a data error, each inconsistency a warning (sums, percentages, budget lines, attendance, the declared
checks of ``consistency.yml``, one figure printed differently in two tables, a table no section shows)."""
from __future__ import annotations

from core import hookimpl
from core.data import DataError, load_csv
from core.engine import SectionContext
from core.errors import DataErrors
from plugins.blocks import Group, Table
from plugins.checks.findings import Warning_

from .consistency import declared_checks, indicator_checks, table_checks


def _tables(blocks) -> list[Table]:
    out = []
    for b in blocks:
        if isinstance(b, Table):
            out.append(b)
        elif isinstance(b, Group):
            out.extend(_tables(b.blocks))
    return out


def check_data(engine, year: str) -> tuple[list[DataError], list[Warning_]]:
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


@hookimpl(tryfirst=True)
def lscb_check_year(engine, year):
    errors, warnings = check_data(engine, year)
    return [*errors, *warnings]
