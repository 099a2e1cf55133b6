"""Local context: the tidy indicators shared by every board, pivoted into the tables a report prints."""
from __future__ import annotations

import pandas as pd

from core import hookimpl
from core.errors import RequestError
from core.sections import SectionType
from plugins.blocks import Table
from plugins.contracts import Column, Contract

from . import _spec

UNITS = ("count", "rate_per_10000", "percent", "gbp", "text", "ratio", "days")

INDICATORS = Contract("indicators.csv", (
    Column("table", description="the printed table the row belongs to"),
    Column("indicator", description="the row label as printed"),
    Column("column", description="the printed column header"),
    Column("period", required=False, description="e.g. 2013/14 or 31 March 2014"),
    Column("area", required=False, description="e.g. Coventry, England, West Midlands"),
    Column("value", description="the value as printed", unit_column="unit"),
    Column("unit", allowed=UNITS),
    Column("source", required=False),
    Column("note", required=False),
), "Indicators in one tidy long format, so trends and comparisons fall out of the data.",
   key=("table", "indicator", "column"))


def indicator_rows(ctx, table: str) -> pd.DataFrame:
    frame = ctx.data.csv("indicators.csv", INDICATORS)
    rows = frame[frame["table"] == table]
    if rows.empty:
        raise RequestError(ctx.data.label("indicators.csv"), f"table {table!r}",
                           f"rows with table == {table!r} in {ctx.data.label('indicators.csv')} "
                           f"(tables present: {sorted(set(frame['table']))})", "no rows")
    return rows.reset_index(drop=True)


def pivot(rows: pd.DataFrame, stub: str) -> pd.DataFrame:
    """Rows = indicator, columns = printed column header, both in file order; values as printed."""
    indicators = list(dict.fromkeys(rows["indicator"]))
    columns = list(dict.fromkeys(rows["column"]))
    cells = {(r.indicator, r.column): r.value for r in rows.itertuples(index=False)}
    body = [[i] + [cells.get((i, c), "") for c in columns] for i in indicators]
    return pd.DataFrame(body, columns=[stub] + columns, dtype=object)


def indicator_blocks(ctx, spec):
    name = _spec.text(ctx, spec, "indicators", required=True)
    rows = indicator_rows(ctx, name)
    sources = [s for s in dict.fromkeys(rows["source"]) if s]
    table = Table(pivot(rows, _spec.text(ctx, spec, "stub", default="Indicator")),
                  caption=_spec.text(ctx, spec, "caption"),
                  source=_spec.text(ctx, spec, "source") or "; ".join(sources),
                  notes=_spec.notes(ctx, spec) + [n for n in dict.fromkeys(rows["note"]) if n])
    table.checks = {}
    table.origin = ctx.data.label("indicators.csv")
    _spec.check_note_targets(ctx, table, f"indicators {name}")

    shown = ctx.engine.pm.hook.lscb_show_table(ctx=ctx, table=table, spec=spec, rows=rows)   # e.g. disclosure
    return [table if shown is None else shown]


@hookimpl(trylast=True)
def lscb_register_block_types(register):
    register("indicators", indicator_blocks, ("caption", "source", "notes", "stub", "children", "total_row", "total_column"))


@hookimpl(trylast=True)
def lscb_register_section_types(register):
    fam = "demographics"
    register(SectionType("context", "Local context and population", fam, ("WT13-09", "WT23-04")))
    register(SectionType("indicators", "Performance data and comparisons", fam,
                         ("LSCBR-5c", "WT13-04", "WT13-09", "WT18-12", "WT23-04")))
    register(SectionType("effectiveness", "Effectiveness of safeguarding: data and analysis", fam,
                         ("LSCBR-5c", "WT13-04", "WT13-09", "WT18-03", "WT18-04", "WT18-12", "WT23-04")))
    register(SectionType("early-help", "Early help", fam, ("WT13-09", "WT18-12")))
    register(SectionType("looked-after", "Looked-after children and permanence", fam,
                         ("LSCBR-5c", "WT13-09", "WT18-04")))
    register(SectionType("child-protection", "Children in need and child protection", fam,
                         ("LSCBR-5c", "WT13-09", "WT18-12")))
    register(SectionType("front-door", "Front door: contacts, referrals and assessments", fam,
                         ("WT13-09", "WT18-12")))


@hookimpl(trylast=True)
def lscb_demographics(ctx):
    return ctx.content_blocks()


@hookimpl(trylast=True)
def lscb_register_contracts(register):
    register(INDICATORS)
