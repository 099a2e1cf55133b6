"""Block directives every family uses: text, facts, table, list, pairs and chart."""
from __future__ import annotations

import pandas as pd

from core import hookimpl
from core.blocks import Markdown
from plugins.charts.chart import Chart
from core.data import DataError
from core.sections import SectionType
from plugins.blocks import BulletList, KeyFigures, Table

from . import _spec

TABLE_KEYS = ("caption", "source", "notes", "checks", "children", "total_row", "total_column")
CHECK_KEYS = {"total_row", "percent_of", "total_column"}


def text_blocks(ctx, spec):
    return [Markdown(_spec.text(ctx, spec, "text", required=True))]


def fact_blocks(ctx, spec):
    return [KeyFigures(_spec.facts(ctx, spec["facts"], "facts"), title=_spec.text(ctx, spec, "title"))]


def list_blocks(ctx, spec):
    body = spec["list"]
    if isinstance(body, list):
        body = {"items": body}
    if not isinstance(body, dict):
        raise DataError(ctx.data.label(ctx.content_file), "list", "a list of points or {title, items}",
                        type(body).__name__)
    _spec.only_keys(ctx, body, {"title", "items", "ordered"}, "list")
    points = _spec.strings(ctx, _spec.items(ctx, body, "items", required=True), "list.items")
    return [BulletList(points, title=_spec.text(ctx, body, "title"), ordered=_spec.flag(ctx, body, "ordered", "list"))]


def table_frame(ctx, name: str) -> pd.DataFrame:
    """tables/<name>.csv; a missing file is reported against the content file that names it."""
    if not ctx.data.exists(f"tables/{name}.csv"):
        present = sorted(p.stem for p in (ctx.data.root / "tables").glob("*.csv"))
        raise DataError(ctx.data.label(ctx.content_file), f"table {name!r}",
                        f"a file {ctx.data.label(f'tables/{name}.csv')} (tables present: {present})",
                        "no such file")
    return ctx.data.table(name)


def printed_table(ctx, name: str, spec: dict) -> Table:
    """A table of tables/<name>.csv with the spec's caption, source, notes and checks."""
    frame = table_frame(ctx, name)
    checks = spec.get("checks") or {}
    if not isinstance(checks, dict) or set(checks) - CHECK_KEYS:
        raise DataError(ctx.data.label(ctx.content_file), f"table {name}: checks",
                        f"a mapping with keys among {sorted(CHECK_KEYS)}", repr(checks))
    for key in ("total_column",):
        if key in checks and checks[key] not in frame.columns:
            raise DataError(ctx.data.label(ctx.content_file), f"table {name}: checks.{key}",
                            f"a column of tables/{name}.csv {list(frame.columns)}", repr(checks[key]))
    pct = checks.get("percent_of")
    if pct is not None:
        if not isinstance(pct, dict) or {"count", "percent"} - set(pct):
            raise DataError(ctx.data.label(ctx.content_file), f"table {name}: checks.percent_of",
                            "{count: <column>, percent: <column>}", repr(pct))
        for col in (pct["count"], pct["percent"]):
            if col not in frame.columns:
                raise DataError(ctx.data.label(ctx.content_file), f"table {name}: checks.percent_of",
                                f"a column of tables/{name}.csv {list(frame.columns)}", repr(col))
    table = Table(frame, caption=_spec.text(ctx, spec, "caption"), source=_spec.text(ctx, spec, "source"),
                  notes=_spec.notes(ctx, spec))
    table.checks = checks
    table.origin = ctx.data.label(f"tables/{name}.csv")
    _spec.check_note_targets(ctx, table, f"table {name}")
    shown = ctx.engine.pm.hook.lscb_show_table(ctx=ctx, table=table, spec=spec, rows=None)   # e.g. disclosure
    return table if shown is None else shown


def table_blocks(ctx, spec):
    return [printed_table(ctx, _spec.text(ctx, spec, "table", required=True), spec)]


def pairs_blocks(ctx, spec):
    body = spec["pairs"]
    label = ctx.data.label(ctx.content_file)
    if not isinstance(body, dict):
        raise DataError(label, "pairs", "{title, headers, rows}", type(body).__name__)
    _spec.only_keys(ctx, body, {"title", "headers", "rows"}, "pairs")
    headers = _spec.strings(ctx, _spec.items(ctx, body, "headers", required=True), "pairs.headers")
    rows = _spec.items(ctx, body, "rows", required=True)
    clean = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(headers):
            raise DataError(label, f"pairs.rows[{i}]", f"a list of {len(headers)} texts (one per header)",
                            repr(row)[:80])
        clean.append(_spec.strings(ctx, row, f"pairs.rows[{i}]"))
    return [Table(pd.DataFrame(clean, columns=headers, dtype=object), caption=_spec.text(ctx, body, "title"))]


def chart_blocks(ctx, spec):
    body = spec["chart"]
    label = ctx.data.label(ctx.content_file)
    if not isinstance(body, dict):
        raise DataError(label, "chart", "a mapping {table|indicators, x, y, ...}", type(body).__name__)
    _spec.only_keys(ctx, body, {"table", "indicators", "x", "y", "color", "type", "title", "alt", "source",
                                "notes", "rows", "children", "checks"}, "chart")
    if "table" in body:
        # Plot what the table shows: counts of children the table hides (lscb_show_table) are not drawn.
        frame = printed_table(ctx, str(body["table"]), _declaring_block(ctx, "table", body)).frame
    elif "indicators" in body:
        from .demographics import indicator_blocks, indicator_rows, pivot
        frame = indicator_rows(ctx, str(body["indicators"]))
        shown = indicator_blocks(ctx, _declaring_block(ctx, "indicators", body))[0].frame
        stub = shown.columns[0]
        if not shown.equals(pivot(frame, stub)):       # the table hides cells: the chart does not draw them
            cells = {(r[stub], col): r[col] for _, r in shown.iterrows() for col in shown.columns[1:]}
            frame = frame.assign(value=[cells.get((i, c), v) for i, c, v in
                                        zip(frame["indicator"], frame["column"], frame["value"])])
    else:
        raise DataError(label, "chart", "a data source: table or indicators", f"keys {sorted(body)}")
    kind = _spec.text(ctx, body, "type", default="bar")
    if kind not in ("bar", "line"):
        raise DataError(label, "chart.type", "bar or line", repr(kind))
    x, y = _spec.text(ctx, body, "x", required=True), _spec.text(ctx, body, "y", required=True)
    color = _spec.text(ctx, body, "color") or None
    rows = body.get("rows")
    if rows is not None and not isinstance(rows, list):
        raise DataError(label, "chart.rows", "a list of first-column labels to show", repr(rows))
    if rows:
        frame = frame[frame[frame.columns[0]].isin([str(r) for r in rows])]
    for key, col in (("x", x), ("y", y), ("color", color)):
        if col and col not in frame.columns:
            raise DataError(label, f"chart.{key}", f"one of the columns {list(frame.columns)}",
                            f"{col!r}, which is not a column")
    chart = Chart(frame.reset_index(drop=True), x=x, y=y, color=color, kind=kind,
                  title=_spec.text(ctx, body, "title"), alt=_spec.text(ctx, body, "alt"),
                  source=_spec.text(ctx, body, "source"), notes=_spec.notes(ctx, body))
    _spec.check_note_targets(ctx, chart.data_table(), "chart")
    chart.consistency = chart.caption_warnings(label)
    return [chart]


def _declaring_block(ctx, key: str, chart: dict) -> dict:
    """The block that shows the chart's data as a table: its `children` declaration applies to the chart
    too. A chart may also carry its own `children` declaration."""
    name = str(chart[key])
    if "children" in chart:
        return {key: name, "children": chart["children"], **({"checks": chart["checks"]} if "checks" in chart else {})}
    for block in (ctx.content() or {}).get("blocks", []):
        if isinstance(block, dict) and str(block.get(key)) == name and "children" in block:
            return block
    return {key: name}


@hookimpl(trylast=True)
def lscb_register_block_types(register):
    register("text", text_blocks, ())
    register("facts", fact_blocks, ("title",))
    register("list", list_blocks, ())
    register("table", table_blocks, TABLE_KEYS)
    register("pairs", pairs_blocks, ())
    register("chart", chart_blocks, ())


@hookimpl(trylast=True)
def lscb_register_section_types(register):
    # Kinds that belong to no single family: the report's framing pages.
    register(SectionType("foreword", "Foreword / introduction", None,
                         ("CA04-14A", "WT13-01", "WT13-02", "WT13-03", "WT18-01", "WT23-01")))
    register(SectionType("summary", "Executive summary and assessment of effectiveness", None,
                         ("CA04-14A", "WT13-01", "WT13-04", "WT18-01", "WT18-03", "WT23-01")))
    register(SectionType("themes", "Key themes and messages to audiences", None, ("LSCBR-5b", "WT13-05")))
    register(SectionType("national", "National context and reforms", None, ()))
    register(SectionType("glossary", "Glossary", None, ()))
    register(SectionType("values", "Vision and values", None, ()))
    register(SectionType("other", "Other content", None, ()))
