"""The engine's own commands, added through ``lscb_register_commands`` like every other: ``lscb render``,
``check``, ``plugins`` and ``list``.

This module imports only the standard library and the light parts of core at import time: the command
line asks it first (``core.plugins.FIRST_COMMAND_PLUGINS``), so a render from the report cache imports only
it and the render orchestration (``plugins.render.build``), never pandas or the other plugins.
"""
from __future__ import annotations

import sys
from pathlib import Path

from core import hookimpl
from core.board import Board, list_boards
from core.errors import LscbError
from core.plugins import disabled_plugins
from core.project import is_writable, project_dir


def default_out() -> Path:
    """``lscb render`` writes to ``<project>/out`` unless ``--out`` says otherwise."""
    out = project_dir() / "out"
    if not is_writable(out):
        raise LscbError(f"{out.parent}: the project folder cannot be written to (read-only?); "
                        "render to a folder elsewhere with --out DIR")
    return out


def out_dir(path: str) -> Path:
    """An output folder the renderer may replace: new, empty, or one it wrote before."""
    from plugins.render.build import MARKER
    out = Path(path).resolve()
    blocking = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise LscbError(f"--out {path}: expected a folder path, found that {blocking} is a file, so no "
                        "folder can be made under it; choose another --out")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise LscbError(f"--out {path}: exists and was not written by lscb render "
                        f"(no {MARKER} in it); choose a new or empty folder")
    if out == Path.cwd().resolve() or out == Path.home():
        raise LscbError(f"--out {path}: refusing to replace the current or home folder")
    return out


def targets(args) -> list[tuple[str, str]]:
    """The (board, year) pairs a render asks for: one board-year, or every one with --all."""
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
    # formats and renderers are checked against what plugins register once a report is rendered (a cached
    # report is only ever stored under names that were registered)
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    wanted = targets(args)
    out = out_dir(args.out or str(default_out()))
    from plugins.render.build import build_reports
    stats = build_reports(wanted, out, formats, single=not args.all, jobs=args.jobs, use_cache=not args.no_cache,
                          strict=args.strict, engine=args.engine)
    for name, (hits, runs) in stats.items():
        if hits < 0:
            print(f"{name}: unchanged, taken from the report cache", file=sys.stderr)
        else:
            print(f"{name}: {hits + runs} chapters ({hits} from cache, {runs} executed)", file=sys.stderr)
    for board_id, year in wanted:
        status = _status(out / "index.html" if not args.all else out / board_id / year / "index.html")
        if status:
            print(f"{board_id} {year}: {status}", file=sys.stderr)
    print(out if not args.all else f"{out}/<board>/<year>/", file=sys.stdout)
    return 0


def _status(page: Path) -> str:
    """A report marked as not final by a plugin (``<meta name="lscb:status">``, e.g. a draft): said aloud,
    so a draft is never taken for the published report."""
    import html
    import re
    head = page.read_text(encoding="utf-8").split("</head>", 1)[0] if page.is_file() else ""
    m = re.search(r'<meta name="lscb:status" content="([^"]*)"', head)
    return html.unescape(m.group(1)) if m else ""


def cmd_plugins(args) -> int:
    from core.engine import Engine
    engine = Engine.open(args.board)
    for p in engine.plugins:
        print(f"{p.name}\n  from: {p.origin} ({p.path})\n  hooks: {', '.join(p.hooks) or '-'}")
    print(f"section types: {', '.join(engine.section_types.names())}")
    print(f"block types: {', '.join(engine.block_types.names())}")
    from plugins.render.build import output_formats, renderers
    print("renderers (--engine): " + ", ".join(f"{n} ({r.help or r.plugin})" for n, r in sorted(renderers(engine.pm).items())))
    print("output formats (--format): " + ", ".join(f"{n} ({f.filename})" for n, f in sorted(output_formats(engine.pm).items())))
    if disabled_plugins():
        print(f"left out (LSCB_DISABLE_PLUGINS): {', '.join(disabled_plugins())}")
    return 0


def cmd_list(args) -> int:
    for board_id in list_boards():
        board = Board.load(board_id)
        for year, info in board.years.items():
            print(f"{board_id}\t{year}\t{info['edition']}\t{board.display_name(year)}: {info['title']}")
    return 0


def cmd_check(args) -> int:
    from plugins.checks.command import run_check
    return run_check(args.board, args.year)


@hookimpl(trylast=True)
def lscb_register_commands(subparsers):
    r = subparsers.add_parser("render", help="render a board's report (or --all)")
    r.add_argument("board", nargs="?")
    r.add_argument("--year")
    r.add_argument("--all", action="store_true", help="every board and year, into OUT/<board>/<year>/")
    r.add_argument("--out", default=None, help="output folder (default: out/ in the project folder)")
    r.add_argument("--format", default="html",
                   help="output formats plugins register, comma-separated: html,pdf,docx built in (default html)")
    r.add_argument("--engine", default="builtin",
                   help="a renderer plugins register: builtin (default) or quarto built in")
    r.add_argument("--jobs", type=int, default=1, help="render boards and years in N processes")
    r.add_argument("--no-cache", action="store_true", help="re-execute every chapter")
    r.add_argument("--strict", action="store_true",
                   help="fail (exit 1, output untouched) when the data checks give warnings, e.g. in CI")
    r.set_defaults(func=cmd_render)

    c = subparsers.add_parser("check", help="check a board's data and its Working Together coverage")
    c.add_argument("board")
    c.add_argument("--year")
    c.set_defaults(func=cmd_check)

    p = subparsers.add_parser("plugins", help="list a board's plugins, where they come from and their hooks")
    p.add_argument("board")
    p.set_defaults(func=cmd_plugins)

    ls = subparsers.add_parser("list", help="list boards and report years")
    ls.set_defaults(func=cmd_list)
