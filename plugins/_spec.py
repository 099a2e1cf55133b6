"""Small validators for content-file block specs: every error names the file and the block."""
from __future__ import annotations

from typing import Any

from core.data import DataError


def text(ctx, spec: dict, key: str, required: bool = False, default: str = "") -> str:
    value = spec.get(key, None)
    if value is None:
        if required:
            raise DataError(ctx.data.label(ctx.content_file), f"{_where(spec)}: key {key!r}", "a text", "missing")
        return default
    if isinstance(value, (dict, list)):
        raise DataError(ctx.data.label(ctx.content_file), f"{_where(spec)}: key {key!r}", "a text",
                        type(value).__name__)
    _not_read_as_bool_or_float(value, ctx.data.label(ctx.content_file), f"{_where(spec)}: key {key!r}")
    return str(value)


def _not_read_as_bool_or_float(value: Any, label: str, where: str) -> None:
    """YAML reads No as false and 1.50 as 1.5: a text that came back so is refused, never printed."""
    if isinstance(value, (bool, float)):
        raise DataError(label, where, 'a text (in quotes when it is yes/no/on/off or a number: "No", "1.50")',
                        f"{value!r}, read as a {type(value).__name__}")


def items(ctx, spec: dict, key: str, required: bool = False) -> list:
    value = spec.get(key)
    if value is None:
        if required:
            raise DataError(ctx.data.label(ctx.content_file), f"{_where(spec)}: key {key!r}", "a list", "missing")
        return []
    if not isinstance(value, list):
        raise DataError(ctx.data.label(ctx.content_file), f"{_where(spec)}: key {key!r}", "a list",
                        type(value).__name__)
    return value


def strings(ctx, values: list, where: str, label: str | None = None) -> list[str]:
    if not isinstance(values, list):     # a sentence where a list belongs would become a bullet per character
        raise DataError(label or ctx.data.label(ctx.content_file), where,
                        "a list (one '- ' line per point, or [first, second])", f"{values!r:.80}")
    out = []
    for i, v in enumerate(values, start=1):
        if isinstance(v, (dict, list)) or v is None:
            raise DataError(label or ctx.data.label(ctx.content_file), f"{where}[{i}]", "a text",
                            repr(v))
        _not_read_as_bool_or_float(v, label or ctx.data.label(ctx.content_file), f"{where}[{i}]")
        out.append(str(v))
    return out


def notes(ctx, spec: dict, targets: bool = True) -> list:
    """A block's notes: plain texts (on the whole table) or, when ``targets``, mappings
    ``{text, row, column}`` that put a marker on a row, a column or a cell (plugins.blocks.TableNote)."""
    from plugins.blocks import TableNote
    value = spec.get("notes", [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise DataError(ctx.data.label(ctx.content_file), "notes", "a list of notes", type(value).__name__)
    out: list = []
    for i, v in enumerate(value, start=1):
        if isinstance(v, dict) and targets:
            unknown = sorted(set(v) - {"text", "row", "column"})
            if unknown or not v.get("text") or not (v.get("row") or v.get("column")):
                raise DataError(ctx.data.label(ctx.content_file), f"notes[{i}]",
                                "a text, or {text: ..., row: <first-cell text>, column: <header>} "
                                "with row and/or column", repr(v)[:80])
            out.append(TableNote(str(v["text"]), str(v.get("row") or ""), str(v.get("column") or "")))
        elif isinstance(v, (dict, list)) or v is None:
            raise DataError(ctx.data.label(ctx.content_file), f"notes[{i}]", "a text", repr(v)[:80])
        else:
            out.append(str(v))
    return out


def check_note_targets(ctx, table, where: str) -> None:
    """Every note's row and column exist in the table (named with the rows and columns it has)."""
    for note, kind, value in table.missing_note_targets():
        i = table.notes.index(note) + 1
        have = ([r[0] for r in table._rows()] if kind == "row" else [str(c) for c in table.frame.columns])
        raise DataError(ctx.data.label(ctx.content_file), f"{where}: notes[{i}].{kind}",
                        f"one of the table's {kind}s {have}", f"{value!r}, which is not a {kind} of the table")


def _where(spec: dict) -> str:
    kind = next(iter(spec), "?")
    return f"block {kind}: {spec.get(kind)!r}"[:80]


def facts(ctx, values: Any, where: str, label: str | None = None):
    from plugins.blocks import Fact
    from plugins.blocks.figures import FIGURE_EXPECTED, is_figure, what_it_is
    label = label or ctx.data.label(ctx.content_file)
    if not isinstance(values, list):
        raise DataError(label, where, "a list of {value, label}", type(values).__name__)
    out = []
    for i, f in enumerate(values, start=1):
        if not isinstance(f, dict) or f.get("value") in (None, "") or f.get("label") in (None, ""):
            raise DataError(label, f"{where}[{i}]", "a mapping with value and label", repr(f)[:80])
        if not isinstance(f["value"], str):     # YAML turns 1.50 into 1.5, 010 into 8, 12:30 into 750
            raise DataError(label, f"{where}[{i}].value", 'the figure in quotes, exactly as printed (value: "1.50")',
                            f"{f['value']!r} without quotes, read as a {type(f['value']).__name__}")
        extra = set(f) - {"value", "label", "period", "area", "source", "note"}
        if extra:
            raise DataError(label, f"{where}[{i}]", "keys value, label, period, area, source, note",
                            f"unknown {sorted(extra)}")
        if not is_figure(f["value"]):
            raise DataError(label, f"{where}[{i}].value", FIGURE_EXPECTED,
                            f"{f['value']!r} ({what_it_is(f['value'])}), labelled {str(f['label'])!r}")
        out.append(Fact(**{k: str(v) for k, v in f.items() if v is not None}))
    return out


def flag(ctx, body: dict, key: str, where: str, default: bool = False) -> bool:
    """A yes/no key: true or false without quotes ("false" in quotes is a text, and a text is true)."""
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise DataError(ctx.data.label(ctx.content_file), f"{where}.{key}", "true or false (without quotes)",
                        repr(value))
    return value


def only_keys(ctx, body: dict, allowed: set[str], where: str) -> None:
    """A nested block mapping (list:, pairs:, chart:) may hold only the keys its directive reads."""
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise DataError(ctx.data.label(ctx.content_file), where, f"only the keys {sorted(allowed)}",
                        f"unknown key(s) {unknown} (misspelt?)")
