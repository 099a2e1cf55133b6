"""`lscb data export|import BOARD --year Y FILE.xlsx`: a year's data as an Excel workbook, and back.

One sheet per CSV data file (indicators, attendance, budget, printed tables), typed cells, data validation
and column notes from the files' contracts (``lscb_register_contracts``), and a sheet ``figures`` with the
key figures, statuses and impact measures held in the YAML files; the first sheet explains the workbook.
Import reads the sheets back through the same contracts: any wrong cell is refused naming sheet and cell
and nothing is written; otherwise the changed files are replaced together and each change is printed.
A file no cell of which changed is not touched, so export then import leaves every file byte for byte.

A partner is sent only its own sheets with ``--only PARTNER``: a data file belongs to partner ``police``
when its name starts with ``police-`` or ``police_`` (``tables/police-referrals.csv``) or it is that
partner's section (``sections/partners.police.yml``).
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml

from core import hookimpl
from core.board import Board
from core.errors import DataError, DataErrors, LscbError
from plugins.contracts import TO_FILL, TYPES, UNIT_TYPES, Column, Contract

ABOUT = "About"
FIGURES = "figures"
FIGURE_HEADER = ["file", "place", "what", "value"]
FILL_COLOUR = "FFE08A"


# --- which files, which sheets -----------------------------------------------------------------------

def contracts(board_id: str) -> dict[str, Contract]:
    """Every contract the board's plugins declare, by file."""
    from core.engine import Engine
    from core.plugins import current_plugin
    engine = Engine.open(board_id)
    found: dict[str, tuple[Contract, str]] = {}

    def register(contract: Contract) -> None:
        who = current_plugin.get()        # the plugin whose hook is calling (core.plugins)
        if contract.file in found and found[contract.file][1] != who:
            raise LscbError(f"contract for {contract.file} registered by both {found[contract.file][1]} "
                            f"and {who}")
        found[contract.file] = (contract, who)
    engine.pm.hook.lscb_register_contracts(register=register)
    return {f: c for f, (c, _) in found.items()}


def belongs(rel: str, partner: str) -> bool:
    stem = Path(rel).stem
    return (stem == partner or stem.startswith((f"{partner}-", f"{partner}_"))
            or stem == f"partners.{partner}" or stem.startswith(f"partners.{partner}-"))


def csv_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.csv") if p.is_file())


def sheet_names(rels: list[str]) -> dict[str, str]:
    """file -> sheet: the file's stem, shortened to Excel's 31 characters and made unique."""
    out: dict[str, str] = {}
    used = {ABOUT.lower(), FIGURES}
    for rel in rels:
        base = re.sub(r"[\[\]:*?/\\]", "-", Path(rel).stem)[:31]
        name, n = base, 2
        while name.lower() in used:
            name = f"{base[:28]}~{n}"
            n += 1
        used.add(name.lower())
        out[rel] = name
    return out


# --- cells: typed on the way out, the printed text exactly on the way back ---------------------------

_INT = re.compile(r"-?(?:0|[1-9]\d*)")
_GROUPED = re.compile(r"-?[1-9]\d{0,2}(?:,\d{3})+")
_DECIMAL = re.compile(r"-?(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)\.(\d+)")
_PERCENT = re.compile(r"(-?(?:0|[1-9]\d*)(?:\.(\d+))?)%")


def typed(value: str) -> tuple[int | float | str | None, str]:
    """A printed cell as an Excel value and number format that give the same text back."""
    if value == "":
        return None, "General"
    if _INT.fullmatch(value) and len(value.lstrip("-")) <= 15:
        return int(value), "0"
    if _GROUPED.fullmatch(value):
        return int(value.replace(",", "")), "#,##0"
    m = _DECIMAL.fullmatch(value)
    if m and len(value) <= 15:
        places = len(m.group(1))
        return float(value.replace(",", "")), ("#,##0." if "," in value else "0.") + "0" * places
    m = _PERCENT.fullmatch(value)
    if m and len(value) <= 12:
        places = len(m.group(2) or "")
        return float(m.group(1)) / 100, "0" + ("." + "0" * places if places else "") + "%"
    return value, "@"


def printed(value, number_format: str) -> str:
    """A cell back as printed text, following the number format the export gave it (or Excel's)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    fmt = number_format or "General"
    places = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    if fmt.endswith("%"):
        return f"{value * 100:.{places}f}%"
    grouped = "," if "#,##" in fmt else ""
    if fmt in ("General", "@") or not re.fullmatch(r"#?,?#*0(\.0+)?", fmt):
        if float(value).is_integer():
            return f"{int(value):{grouped}d}"
        return repr(float(value)) if not grouped else f"{value:,}"
    return f"{value:{grouped}.{places}f}"


# --- YAML figures ------------------------------------------------------------------------------------

@dataclass
class YamlCell:
    file: str
    place: str
    what: str
    value: str
    start: int
    end: int


FIGURE_KEYS = {"status", "baseline", "target", "indicator"}


def _yaml_cells(node, rel: str, place: str = "", context: str = "") -> list[YamlCell]:
    out: list[YamlCell] = []
    if isinstance(node, yaml.MappingNode):
        pairs = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        label = next((pairs[k].value for k in ("label", "title", "measure", "name", "member")
                      if isinstance(pairs.get(k), yaml.ScalarNode)), context)
        for key, value in node.value:
            name = getattr(key, "value", "")
            where = f"{place}.{name}" if place else str(name)
            if isinstance(value, yaml.ScalarNode) and (
                    (name == "value" and "label" in pairs) or name in FIGURE_KEYS or value.value == TO_FILL):
                what = label if name == "value" and label else f"{name} of {label}" if label else name
                out.append(YamlCell(rel, where, what, value.value,
                                    value.start_mark.index, value.end_mark.index))
            else:
                out += _yaml_cells(value, rel, where, label)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value, start=1):     # numbered from 1, as the engine's messages
            out += _yaml_cells(item, rel, f"{place}[{i}]", context)
    elif isinstance(node, yaml.ScalarNode) and node.value == TO_FILL:
        out.append(YamlCell(rel, place, context or "figure", node.value, node.start_mark.index, node.end_mark.index))
    return out


def yaml_cells(root: Path) -> list[YamlCell]:
    out: list[YamlCell] = []
    for path in sorted(root.rglob("*.y*ml")):
        rel = path.relative_to(root).as_posix()
        if rel == "consistency.yml":
            continue
        try:
            node = yaml.compose(path.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError:
            continue
        out += _yaml_cells(node, rel)
    return out


def _yaml_scalar(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- export ------------------------------------------------------------------------------------------

def export(board_id: str, year: str, path: Path, only: str | None = None) -> list[str]:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    board = Board.load(board_id)
    root = board.data(board.check_year(year)).root
    rels = csv_files(root)
    names = sheet_names(rels)
    figures = yaml_cells(root)
    if only:
        rels = [r for r in rels if belongs(r, only)]
        figures = [c for c in figures if belongs(c.file, only)]
        if not rels and not figures:
            raise LscbError(f"--only {only}: no data file of {board_id} {year} belongs to {only!r} (a file "
                            f"belongs to a partner when its name starts with '{only}-', e.g. "
                            f"tables/{only}-referrals.csv, or it is sections/partners.{only}.yml)")
    known = contracts(board_id)
    wb = Workbook()
    about = wb.active
    about.title = ABOUT
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=FILL_COLOUR)
    lines = [
        [f"{board.display_name(year)}: data for the report {year}"],
        [f"Exported by lscb data export on {date.today().isoformat()}" + (f" for {only} only" if only else "")],
        [],
        ["How to fill this workbook"],
        [f"Cells reading {TO_FILL} (highlighted) are this year's figures still to collect: type the figure "
         "as it should be printed."],
        ["Do not rename sheets or change the first row of a sheet: each sheet is one data file."],
        ["Hover over a column's heading for what it holds; lists and number checks come from the data's rules."],
        ["Send the workbook back: lscb data import checks every cell and names the sheet and cell of any "
         "problem before anything changes."],
        [],
        ["sheet", "data file", "what it holds"],
    ]
    for line in lines:
        about.append(line)
    about["A1"].font = Font(bold=True, size=14)
    about["A4"].font = bold
    for cell in about[len(lines)]:
        cell.font = bold
    sheets: list[str] = []
    for rel in rels:
        rows = list(csv.reader(io.StringIO((root / rel).read_text(encoding="utf-8-sig"))))
        if not rows:
            continue
        contract = known.get(rel)
        ws = wb.create_sheet(names[rel])
        sheets.append(names[rel])
        about.append([names[rel], rel, contract.description if contract else "a printed table, cells as printed"])
        ws.append(rows[0])
        for cell in ws[1]:
            cell.font = bold
        columns = {c.name: c for c in contract.columns} if contract else {}
        for r, row in enumerate(rows[1:], start=2):
            for c, text in enumerate(row, start=1):
                value, fmt = typed(text)
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"          # printed text, never a formula
                cell.number_format = fmt
                if text == TO_FILL:
                    cell.fill = fill
        ws.freeze_panes = "A2"
        for c, name in enumerate(rows[0], start=1):
            letter = get_column_letter(c)
            ws.column_dimensions[letter].width = min(60, max(10, len(name) + 2))
            col = columns.get(name)
            if col is None:
                continue
            if col.description:
                ws.cell(row=1, column=c).comment = Comment(col.description, "lscb")
            _validation(ws, col, letter, len(rows), DataValidation)
    if figures:
        ws = wb.create_sheet(FIGURES)
        sheets.append(FIGURES)
        about.append([FIGURES, "YAML files", "key figures, statuses and impact measures (file and place "
                      "say where each is kept; change only the value column)"])
        ws.append(FIGURE_HEADER)
        for cell in ws[1]:
            cell.font = bold
        for n, f in enumerate(figures, start=2):
            ws.append([f.file, f.place, f.what])
            value, fmt = typed(f.value)
            cell = ws.cell(row=n, column=4, value=value)
            cell.number_format = fmt
            if f.value == TO_FILL:
                cell.fill = fill
        ws.freeze_panes = "A2"
        for letter, width in zip("ABCD", (34, 34, 50, 16)):
            ws.column_dimensions[letter].width = width
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 40
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    os.replace(tmp, path)
    return sheets


def _validation(ws, col: Column, letter: str, last: int, DataValidation) -> None:
    area = f"{letter}2:{letter}{max(last, 2) + 200}"
    if col.allowed and len(",".join(col.allowed)) < 250:
        dv = DataValidation(type="list", formula1='"' + ",".join(col.allowed) + '"', allow_blank=True)
    elif col.type in ("int", "count"):
        dv = DataValidation(type="whole", operator="greaterThanOrEqual" if col.type == "count" else "between",
                            formula1="0" if col.type == "count" else "-999999999",
                            formula2=None if col.type == "count" else "999999999", allow_blank=True)
    elif col.type == "percent":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True)
    elif col.type == "number":
        dv = DataValidation(type="decimal", operator="between", formula1="-1E+12", formula2="1E+12",
                            allow_blank=True)
    else:
        return
    dv.errorStyle = "warning"      # printed forms such as "<1%" or "n/a" stay possible, with a warning
    dv.error = f"{col.name}: expected {TYPES[col.type][0]}" + (f", one of {list(col.allowed)}" if col.allowed else "")
    dv.prompt = col.description or dv.error
    ws.add_data_validation(dv)
    dv.add(area)


# --- import ------------------------------------------------------------------------------------------

def _cell_error(sheet: str, letter: str, row: int, expected: str, found: str) -> DataError:
    return DataError(f"{sheet}!{letter}{row}", "cell", expected, found)


class WorkbookError(DataErrors):
    """A workbook refused on import: every wrong cell, by sheet and cell; no data file was changed."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        lines = "\n".join(f"  {e.file}: expected {e.expected}, found {e.found}" for e in errors)
        LscbError.__init__(self, f"{len(errors)} cell(s) refused, no data file changed:\n{lines}")


def _check_cell(contract: Contract | None, header: list[str], row: list[str], c: int) -> str | None:
    """What the cell should have been, or None when it is fine."""
    if contract is None:
        return None
    col = next((x for x in contract.columns if x.name == header[c]), None)
    if col is None:
        return None
    value = row[c]
    kind = col.type
    if col.unit_column and col.unit_column in header:
        kind = UNIT_TYPES.get(row[header.index(col.unit_column)], col.type)
    what, ok = TYPES[kind]
    if col.unit == "GBP" and kind == "number":
        what = "an amount in pounds as printed, without the £ sign (e.g. 141,198)"
    if value == "":
        return what if col.required else None
    if value == TO_FILL:
        return None
    if col.allowed and value not in col.allowed:
        return f"one of {list(col.allowed)}"
    if value not in col.texts and not ok(value):
        return what
    return None


def read_workbook(board_id: str, year: str, path: Path) -> dict[str, str]:
    """The data files the workbook changes: {relative path: new text}. Raises WorkbookError."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    board = Board.load(board_id)
    root = board.data(board.check_year(year)).root
    try:
        wb = load_workbook(path)
    except Exception as e:      # not a workbook at all: say so in one line
        raise LscbError(f"{path}: expected an .xlsx workbook written by lscb data export, found "
                        f"{type(e).__name__}: {e}") from None
    rels = csv_files(root)
    by_sheet = {name: rel for rel, name in sheet_names(rels).items()}
    known = contracts(board_id)
    errors: list[DataError] = []
    changed: dict[str, str] = {}
    for ws in wb.worksheets:
        if ws.title == ABOUT:
            continue
        if ws.title == FIGURES:
            changed.update(_read_figures(ws, root, errors))
            continue
        rel = by_sheet.get(ws.title)
        if rel is None:
            errors.append(DataError(f"{ws.title}!A1", "sheet", f"a sheet named after a data file of {board_id} "
                                    f"{year} ({', '.join(sorted(by_sheet)) or 'none'})", f"sheet {ws.title!r}"))
            continue
        raw = (root / rel).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(raw)))
        header = rows[0]
        formulas = {(c.row, c.column) for r in ws.iter_rows() for c in r if c.data_type == "f"}
        grid = [[printed(c.value, c.number_format) for c in r] for r in ws.iter_rows()]
        grid = [(r + [""] * len(header))[:max(len(header), len(r))] for r in grid]
        while grid and not any(grid[-1]):
            grid.pop()
        if not grid or grid[0][:len(header)] != header or any(grid[0][len(header):]):
            found = [x for x in (grid[0] if grid else []) if x]
            errors.append(DataError(f"{ws.title}!A1", "header", f"the first row {header} (the columns of {rel})",
                                    f"{found}"))
            continue
        body = []
        for r, row in enumerate(grid[1:], start=2):
            extra = [c for c in row[len(header):] if c]
            if extra:
                errors.append(_cell_error(ws.title, get_column_letter(len(header) + 1), r,
                                          f"nothing beyond column {get_column_letter(len(header))}",
                                          repr(extra[0])))
            row = row[:len(header)]
            for c in range(len(header)):
                if (r, c + 1) in formulas:
                    errors.append(_cell_error(ws.title, get_column_letter(c + 1), r, "a value", f"a formula {row[c]!r}"))
                    continue
                expected = _check_cell(known.get(rel), header, row, c)
                if expected:
                    errors.append(_cell_error(ws.title, get_column_letter(c + 1), r, expected, f'"{row[c]}"'))
            body.append(row)
        if body != [(r + [""] * len(header))[:len(header)] for r in rows[1:]]:
            changed[rel] = _csv_like(raw, [header] + body)
    if errors:
        raise WorkbookError(errors)
    return changed


def _csv_like(original: str, rows: list[list[str]]) -> str:
    """New CSV text in the original file's line endings."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n" if "\r\n" in original else "\n").writerows(rows)
    return out.getvalue()


def _read_figures(ws, root: Path, errors: list[DataError]) -> dict[str, str]:
    cells = {(c.file, c.place): c for c in yaml_cells(root)}
    edits: dict[str, list[tuple[YamlCell, str]]] = {}
    for r, row in enumerate(ws.iter_rows(min_row=2), start=2):
        values = [printed(c.value, c.number_format) for c in row[:4]] + [""] * 4
        file, place, _, value = values[:4]
        if not file and not place and not value:
            continue
        cell = cells.get((file, place))
        if cell is None:
            errors.append(_cell_error(FIGURES, "A", r, "a file and place listed by lscb data export",
                                      repr(f"{file} {place}")))
            continue
        if value != cell.value:
            if cell.place.endswith(".value") and value and value != TO_FILL:
                from plugins.blocks.figures import FIGURE_EXPECTED, is_figure
                if not is_figure(value):
                    errors.append(_cell_error(FIGURES, "D", r, FIGURE_EXPECTED, repr(value)))
                    continue
            edits.setdefault(file, []).append((cell, value))
    changed = {}
    for file, items in edits.items():
        text = (root / file).read_text(encoding="utf-8-sig")
        for cell, value in sorted(items, key=lambda x: -x[0].start):
            text = text[:cell.start] + _yaml_scalar(value) + text[cell.end:]
        changed[file] = text
    return changed


def write_changes(root: Path, changed: dict[str, str]) -> None:
    """Every changed file is written beside itself first, then all are moved into place."""
    staged = []
    try:
        for rel, text in changed.items():
            tmp = (root / rel).with_name(f".{Path(rel).name}.import")
            tmp.write_text(text, encoding="utf-8", newline="")
            staged.append((tmp, root / rel))
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def describe_changes(root: Path, changed: dict[str, str]) -> list[str]:
    lines = []
    for rel, text in changed.items():
        old = (root / rel).read_text(encoding="utf-8-sig")
        if rel.endswith(".csv"):
            a = list(csv.reader(io.StringIO(old)))
            b = list(csv.reader(io.StringIO(text)))
            diffs = [(r, c, (a[r][c] if r < len(a) and c < len(a[r]) else ""), v)
                     for r, row in enumerate(b) for c, v in enumerate(row)
                     if (a[r][c] if r < len(a) and c < len(a[r]) else "") != v]
            lines.append(f"{rel}: {len(diffs)} cell(s) changed")
            lines += [f"  row {r + 1}, {b[0][c]!r}: {x!r} -> {y!r}" for r, c, x, y in diffs[:20]]
            if len(diffs) > 20:
                lines.append(f"  ... and {len(diffs) - 20} more")
        else:
            lines.append(f"{rel}: figures changed")
    return lines


def import_workbook(board_id: str, year: str, path: Path) -> list[str]:
    board = Board.load(board_id)
    root = board.data(board.check_year(year)).root
    changed = read_workbook(board_id, year, path)
    lines = describe_changes(root, changed)
    write_changes(root, changed)
    return lines


# --- commands ----------------------------------------------------------------------------------------

def _cmd_export(args) -> int:
    path = Path(args.file)
    if path.suffix.lower() != ".xlsx":
        raise LscbError(f"{args.file}: expected a file name ending .xlsx")
    sheets = export(args.board, args.year, path, args.only)
    print(f"wrote {path}: {len(sheets)} sheet(s): {', '.join(sheets)}")
    return 0


def _cmd_import(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise LscbError(f"{args.file}: no such workbook")
    lines = import_workbook(args.board, args.year, path)
    print("\n".join(lines) if lines else "nothing changed: the data files already hold the workbook's values")
    return 0


def data_subcommands(subparsers):
    """The sub-parsers of ``lscb data``, made by whichever plugin asks first, so other plugins (e.g. the
    statutory returns' ``data from-returns``) add their subcommand to the same group."""
    data = subparsers.choices.get("data")
    if data is None:
        data = subparsers.add_parser("data", help="a year's data: an Excel workbook (export, import), "
                                     "figures from the statutory returns (from-returns)")
        data.lscb_subcommands = data.add_subparsers(dest="data_command", required=True)
    return data.lscb_subcommands


@hookimpl
def lscb_register_commands(subparsers):
    sub = data_subcommands(subparsers)
    ex = sub.add_parser("export", help="write the year's data files to an .xlsx workbook")
    ex.add_argument("board")
    ex.add_argument("--year", required=True)
    ex.add_argument("--only", metavar="PARTNER", help="only the sheets of one partner (file prefix PARTNER-)")
    ex.add_argument("file")
    ex.set_defaults(func=_cmd_export)
    im = sub.add_parser("import", help="check a filled workbook and write it into the year's data files")
    im.add_argument("board")
    im.add_argument("--year", required=True)
    im.add_argument("file")
    im.set_defaults(func=_cmd_import)
