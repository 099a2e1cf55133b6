"""The `lscb` command: render | check | plugins | list | new-board | new-section."""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from .board import Board, list_boards
from .build import MARKER
from .errors import LscbError, QuartoNotFound


def _out_dir(path: str) -> Path:
    """An output folder the renderer may replace: new, empty, or one it wrote before."""
    out = Path(path).resolve()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise LscbError(f"--out {path}: exists and was not written by lscb render "
                        f"(no {MARKER} in it); choose a new or empty folder")
    if out == Path.cwd().resolve() or out == Path.home():
        raise LscbError(f"--out {path}: refusing to replace the current or home folder")
    return out


def _targets(args) -> list[tuple[str, str]]:
    if args.all:
        return [(b, y) for b in list_boards() for y in Board.load(b).years]
    if not args.board:
        raise LscbError("name a board (lscb render BOARD --year 2013-14) or use --all; lscb list shows them")
    board = Board.load(args.board)
    if args.year:
        return [(board.id, board.check_year(args.year))]
    if len(board.years) == 1:
        return [(board.id, next(iter(board.years)))]
    raise LscbError(f"{board.id} has several report years; choose one with --year "
                    f"({', '.join(board.years)})")


def cmd_render(args) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    bad = [f for f in formats if f not in ("html", "pdf", "docx")]
    if bad:
        raise LscbError(f"--format: unknown format(s) {bad}; choose from html, pdf, docx")
    targets = _targets(args)
    if args.engine == "quarto":
        return _render_with_quarto(targets, args)
    out = _out_dir(args.out)
    from .build import build_reports
    stats = build_reports(targets, out, formats, single=not args.all, jobs=args.jobs, use_cache=not args.no_cache)
    for name, (hits, runs) in stats.items():
        if hits < 0:
            print(f"{name}: unchanged, taken from the report cache", file=sys.stderr)
        else:
            print(f"{name}: {hits + runs} chapters ({hits} from cache, {runs} executed)", file=sys.stderr)
    print(out if not args.all else f"{out}/<board>/<year>/", file=sys.stdout)
    return 0


def _render_with_quarto(targets, args) -> int:
    quarto = shutil.which("quarto")
    if not quarto:
        raise QuartoNotFound("quarto is not on PATH: install Quarto (https://quarto.org) or use the "
                             "built-in renderer (lscb render without --engine quarto)")
    for board_id, year in targets:
        board = Board.load(board_id)
        book = board.book_dir(year)
        cmd = [quarto, "render", str(book), "-P", f"year:{year}", "-P", f"board_id:{board_id}"]
        for fmt in args.format.split(","):
            subprocess.run([*cmd, "--to", fmt.strip()], check=True)
    return 0


def cmd_plugins(args) -> int:
    from .engine import Engine
    engine = Engine.open(args.board)
    for p in engine.plugin_list():
        print(f"{p.name}\n  from: {p.origin} ({p.path})\n  hooks: {', '.join(p.hooks) or '-'}")
    print(f"section types: {', '.join(engine.section_types.names())}")
    print(f"block types: {', '.join(engine.block_types.names())}")
    return 0


def cmd_list(args) -> int:
    for board_id in list_boards():
        board = Board.load(board_id)
        for year, info in board.years.items():
            print(f"{board_id}\t{year}\t{info['edition']}\t{board.display_name(year)}: {info['title']}")
    return 0


def cmd_check(args) -> int:
    from .check import run_check
    return run_check(args.board, args.year, appendix=False)


def cmd_new_board(args) -> int:
    from .scaffold import new_board
    path = new_board(args.name, args.area, args.year)
    print(f"wrote {path}")
    return 0


def cmd_new_section(args) -> int:
    from .scaffold import new_section
    for path in new_section(args.name, args.family):
        print(f"wrote {path}")
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="lscb", description="Render safeguarding children annual reports.")
    ap.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = ap.add_subparsers(dest="command", required=True)

    r = sub.add_parser("render", help="render a board's report (or --all)")
    r.add_argument("board", nargs="?")
    r.add_argument("--year")
    r.add_argument("--all", action="store_true", help="every board and year, into OUT/<board>/<year>/")
    r.add_argument("--out", default="out")
    r.add_argument("--format", default="html", help="html,pdf,docx (default html)")
    r.add_argument("--engine", choices=("builtin", "quarto"), default="builtin")
    r.add_argument("--jobs", type=int, default=1, help="render boards and years in N processes")
    r.add_argument("--no-cache", action="store_true", help="re-execute every chapter")
    r.set_defaults(func=cmd_render)

    c = sub.add_parser("check", help="check a board's data and its Working Together coverage")
    c.add_argument("board")
    c.add_argument("--year")
    c.set_defaults(func=cmd_check)

    p = sub.add_parser("plugins", help="list a board's plugins, where they come from and their hooks")
    p.add_argument("board")
    p.set_defaults(func=cmd_plugins)

    ls = sub.add_parser("list", help="list boards and report years")
    ls.set_defaults(func=cmd_list)

    nb = sub.add_parser("new-board", help="scaffold a board folder that renders at once")
    nb.add_argument("name")
    nb.add_argument("--area", required=True)
    nb.add_argument("--year", default="2024-25")
    nb.set_defaults(func=cmd_new_board)

    ns = sub.add_parser("new-section", help="scaffold a section plugin with its test")
    ns.add_argument("name")
    ns.add_argument("--family", default=None)
    ns.set_defaults(func=cmd_new_section)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except LscbError as e:
        if args.debug:
            raise
        print(f"lscb: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
