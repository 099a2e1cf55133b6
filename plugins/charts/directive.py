"""The ``chart`` block of a content file: a bar or line chart of a table the section prints (or of
indicators), drawn from what the table shows."""
from __future__ import annotations

from core import hookimpl
from core.data import DataError
from plugins import _spec
from plugins.content import printed_table

from .chart import Chart


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
        from plugins.demographics import indicator_blocks, indicator_rows, pivot
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
        # rows are the labels of the table's first column; for indicators that is the indicator's name
        first = "indicator" if "indicators" in body else frame.columns[0]
        present = sorted(set(frame[first].astype(str)))
        unknown = [str(r) for r in rows if str(r) not in present]
        if unknown:
            raise DataError(label, "chart.rows", f"labels from the {first!r} column: {', '.join(present)}",
                            f"{unknown}, which no row has")
        frame = frame[frame[first].astype(str).isin([str(r) for r in rows])]
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
    register("chart", chart_blocks, ())
