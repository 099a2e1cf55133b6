"""Block directives every family uses: text, facts, table, list and pairs (chart: plugins/charts/directive.py)."""
from __future__ import annotations

import pandas as pd

from core import hookimpl
from core.data import DataError
from core.sections import SectionType
from plugins.blocks import BulletList, KeyFigures, Markdown, Table

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


@hookimpl(trylast=True)
def lscb_register_block_types(register):
    register("text", text_blocks, ())
    register("facts", fact_blocks, ("title",))
    register("list", list_blocks, ())
    register("table", table_blocks, TABLE_KEYS)
    register("pairs", pairs_blocks, ())


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
