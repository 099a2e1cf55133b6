"""The `lscb` command: the engine's own render | check | plugins | list, and every command that plugins
add through the ``lscb_register_commands`` hook (new-board, new-section, new-year, data ...)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .board import Board, list_boards
from .build import MARKER
from .errors import LscbError, PluginError
from .project import default_out, use_project


def _out_dir(path: str) -> Path:
    """An output folder the renderer may replace: new, empty, or one it wrote before."""
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
        return _render_with_quarto(targets, formats, args)
    out = _out_dir(args.out or str(default_out()))
    from .build import build_reports
    stats = build_reports(targets, out, formats, single=not args.all, jobs=args.jobs, use_cache=not args.no_cache,
                          strict=args.strict)
    for name, (hits, runs) in stats.items():
        if hits < 0:
            print(f"{name}: unchanged, taken from the report cache", file=sys.stderr)
        else:
            print(f"{name}: {hits + runs} chapters ({hits} from cache, {runs} executed)", file=sys.stderr)
    for board_id, year in targets:
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


def _render_with_quarto(targets, formats, args) -> int:
    from .render.quarto import render_with_quarto
    out = _out_dir(args.out or str(default_out()))
    render_with_quarto(targets, out, formats, single=not args.all, marker=MARKER)
    print(out if not args.all else f"{out}/<board>/<year>/", file=sys.stdout)
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


CORE_COMMANDS = ("render", "check", "plugins", "list")


class _Commands:
    """The sub-parser group handed to each plugin: it records which plugin added which command, so a
    name added twice is refused naming both."""

    def __init__(self, sub, owners: dict[str, str], plugin: str):
        self._sub, self._owners, self._plugin = sub, owners, plugin

    def add_parser(self, name: str, **kwargs):
        if name in self._owners:
            raise PluginError(f"plugin {self._plugin}: command {name!r} is already added by {self._owners[name]}")
        self._owners[name] = self._plugin
        return self._sub.add_parser(name, **kwargs)

    def __getattr__(self, attr):
        return getattr(self._sub, attr)


def _add_plugin_commands(sub) -> None:
    from .plugins import build_command_manager
    owners = {name: "the engine" for name in CORE_COMMANDS}
    # called one plugin at a time (built-ins first) so a clash can name both plugins
    for impl in build_command_manager().hook.lscb_register_commands.get_hookimpls():
        impl.function(subparsers=_Commands(sub, owners, impl.plugin_name))


def _wants_plugins(argv: list[str]) -> bool:
    """Plugin commands are loaded unless an engine command is asked for: a cached render stays fast."""
    words = [a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] != "--project")]
    return next(iter(words), None) not in CORE_COMMANDS


def parser(with_plugins: bool = True) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="lscb", description="Render safeguarding children annual reports.")
    ap.add_argument("--debug", action="store_true", help="show tracebacks")
    ap.add_argument("--project", metavar="DIR",
                    help="the project folder (default: the nearest folder upwards holding lscb.yml or boards/)")
    sub = ap.add_subparsers(dest="command", required=True)

    r = sub.add_parser("render", help="render a board's report (or --all)")
    r.add_argument("board", nargs="?")
    r.add_argument("--year")
    r.add_argument("--all", action="store_true", help="every board and year, into OUT/<board>/<year>/")
    r.add_argument("--out", default=None, help="output folder (default: out/ in the project folder)")
    r.add_argument("--format", default="html", help="html,pdf,docx (default html)")
    r.add_argument("--engine", choices=("builtin", "quarto"), default="builtin")
    r.add_argument("--jobs", type=int, default=1, help="render boards and years in N processes")
    r.add_argument("--no-cache", action="store_true", help="re-execute every chapter")
    r.add_argument("--strict", action="store_true",
                   help="fail (exit 1, output untouched) when the data checks give warnings, e.g. in CI")
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

    if with_plugins:
        _add_plugin_commands(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        ap = parser(with_plugins=_wants_plugins(argv))
    except LscbError as e:
        print(f"lscb: {e}", file=sys.stderr)
        return 1
    args = ap.parse_args(argv)
    try:
        with use_project(args.project):
            code = args.func(args)
        sys.stdout.flush()        # a closed pipe shows here, not as a message at interpreter exit
        return code
    except LscbError as e:
        if args.debug:
            raise
        print(f"lscb: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:   # `lscb list | head`: the reader left; say nothing, as other Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as e:      # e.g. --out on a read-only disk: the path and the system's reason, no traceback
        if args.debug:
            raise
        where = f"{e.filename}: " if e.filename else ""
        print(f"lscb: {where}{e.strerror or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
