"""Figures from the statutory returns: ``lscb data from-returns BOARD --year Y [--cin FILE.xml]
[--ssda903 DIR] [--population FILE]``.

Reads the local authority's children in need census (XML) and SSDA903 return (CSV folder) of the
reporting year in memory, checks them the way the local-authority validators do (one message per
problem: file, row, record key; a return with any problem writes nothing), works out the figures of the
Department's statistical releases (docs/returns.md) and writes them into the year's tidy
``indicators.csv``, replacing only the rows with its own ``source`` and printing what changed.

No child-level value leaves this process: only counts, percentages and rates are written or printed.
"""
from __future__ import annotations

from pathlib import Path

from core import hookimpl
from core.board import Board
from core.errors import LscbError

from . import cin, definitions, indicators, ssda903
from .population import POPULATION, children_under_18
from .problems import Problems, ReturnError

__all__ = ["from_returns", "ReturnError", "POPULATION"]


def from_returns(board_id: str, year: str, cin_file: Path | None = None, ssda903_dir: Path | None = None,
                 population_file: Path | None = None) -> list[str]:
    """Read, check and aggregate the returns, write the indicators; the lines that say what changed."""
    if cin_file is None and ssda903_dir is None:
        raise LscbError("data from-returns: name at least one return: --cin FILE.xml (children in need "
                        "census) and/or --ssda903 DIR (the folder of the SSDA903 CSV files)")
    board = Board.load(board_id)
    year = board.check_year(year)
    data = board.data(year)
    period = definitions.Year(year)
    said: list[str] = []

    population = None
    pop_path = population_file or data.path(POPULATION.file)
    if pop_path.is_file():
        label = str(population_file) if population_file else data.label(POPULATION.file)
        population = children_under_18(pop_path, label, board.area)
    elif population_file:
        raise LscbError(f"--population {population_file}: no such file")
    else:
        said.append(f"no {data.label(POPULATION.file)}: rates per 10,000 are not written "
                    "(give the ONS mid-year estimate of children under 18 there or with --population)")

    if cin_file and not cin_file.is_file():
        raise LscbError(f"--cin {cin_file}: no such file")
    problems = Problems()
    children_cin = cin.read_cin(cin_file, problems, period.end) if cin_file else None
    children_903 = ssda903.read_ssda903(ssda903_dir, problems) if ssda903_dir else None
    problems.raise_if_any()

    rows: list[definitions.Row] = []
    owned: set[str] = set()
    if children_cin is not None:
        rows += definitions.cin_rows(children_cin, period, board.area, population)
        owned.add(f"{definitions.CIN_SOURCE} {year}")
    if children_903 is not None:
        rows += definitions.ssda903_rows(children_903, period, board.area, population)
        owned.add(f"{definitions.SSDA903_SOURCE} {year}")

    target = data.path("indicators.csv")
    label = data.label("indicators.csv")
    old, newline = indicators.read(target, label)
    new = indicators.merge(old, rows, owned, label)
    lines = indicators.changes(old, new)
    if new == old:
        return said + [f"{label}: unchanged ({len(rows)} figures from {', '.join(sorted(owned))})"]
    indicators.write(target, new, newline)
    said.append(f"{label}: {lines[0]} (from {', '.join(sorted(owned))})")
    said += lines[1:]
    said += _disclosure_note(board, year, rows)
    return said


def _disclosure_note(board: Board, year: str, rows: list[definitions.Row]) -> list[str]:
    """Say how the board's disclosure option will show the small counts just written, and name any
    content file that shows a table of them without declaring its counts of children."""
    from plugins import disclosure
    chosen = board.options_for(year).get("disclosure", disclosure.DEFAULT_POLICY)
    small = {r.table for r in rows if r.unit == "count" and disclosure.SMALLEST <= int(r.value) <= disclosure.LARGEST}
    if not small:
        return []
    count = sum(1 for r in rows if r.table in small and r.unit == "count"
                and disclosure.SMALLEST <= int(r.value) <= disclosure.LARGEST)
    if chosen != "dfe":
        return [f"{count} count(s) of 1 to 5 written: the board's disclosure option is {chosen!r}, so they are "
                "shown as they are; set options: disclosure: dfe in board.yml to hide them (docs/disclosure.md)"]
    out = [f"{count} count(s) of 1 to 5 written: under the board's disclosure option 'dfe' a table declaring "
           "them (children:) shows them as [c], with the figures worked out from them"]
    data = board.data(year)
    for path in sorted((data.root / "sections").glob("*.yml")):
        rel = path.relative_to(data.root).as_posix()
        for i, block in enumerate(_blocks(path), start=1):
            spec = block.get("chart") if isinstance(block.get("chart"), dict) else block
            if spec.get("indicators") in small and not spec.get("children"):
                out.append(f"warning {data.label(rel)}: blocks[{i}] shows table {spec['indicators']} without "
                           "children: (counts of children), so its counts of 1 to 5 are printed as they are")
    return out


def _blocks(path: Path) -> list[dict]:
    from core.data import load_yaml
    try:
        content = load_yaml(path)
    except LscbError:          # a broken content file is lscb check's to report, not this command's
        return []
    blocks = content.get("blocks") if isinstance(content, dict) else None
    return [b for b in blocks if isinstance(b, dict)] if isinstance(blocks, list) else []


def _cmd_from_returns(args) -> int:
    for line in from_returns(args.board, args.year, Path(args.cin) if args.cin else None,
                             Path(args.ssda903) if args.ssda903 else None,
                             Path(args.population) if args.population else None):
        print(line)
    return 0


@hookimpl
def lscb_register_commands(subparsers):
    from plugins.workbook import data_subcommands
    p = data_subcommands(subparsers).add_parser(
        "from-returns", help="work out the year's indicators from the children in need census and SSDA903")
    p.add_argument("board")
    p.add_argument("--year", required=True)
    p.add_argument("--cin", metavar="FILE.xml", help="the children in need census of the year (XML)")
    p.add_argument("--ssda903", metavar="DIR", help="the folder of the SSDA903 return's CSV files "
                   "(header.csv, episodes.csv, missing.csv)")
    p.add_argument("--population", metavar="FILE", help="children under 18 by area (default: the year's "
                   "population.csv)")
    p.set_defaults(func=_cmd_from_returns)


@hookimpl
def lscb_register_contracts(register):
    register(POPULATION)
