"""The `lscb` command: a parser built from the commands plugins add through ``lscb_register_commands``
(the engine's own render | check | plugins | list among them, in ``plugins/commands.py``), and one way of
reporting errors: a user's error in one line, a plugin's bug naming the plugin, an engine bug as a
traceback with a request to report it."""
from __future__ import annotations

import argparse
import os
import sys
import traceback

from .errors import LscbError, PluginError
from .plugins import build_command_manager, current_plugin
from .project import use_project


class _Commands:
    """The sub-parser group handed to plugins: it records which plugin added which command, so a name
    added twice is refused naming both."""

    def __init__(self, sub) -> None:
        self._sub, self._owners = sub, {}

    def add_parser(self, name: str, **kwargs):
        plugin = current_plugin.get()
        if name in self._owners:
            raise PluginError(f"plugin {plugin}: command {name!r} is already added by {self._owners[name]}")
        self._owners[name] = plugin
        return self._sub.add_parser(name, **kwargs)

    def __getattr__(self, attr):
        return getattr(self._sub, attr)


def _command_word(argv: list[str]) -> str | None:
    words = [a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] != "--project")]
    return next(iter(words), None)


def parser(argv: list[str] = ()) -> argparse.ArgumentParser:
    """The parser. The first command plugins are asked alone when they have the command argv asks for (so a
    cached render imports no other plugin); otherwise, and for ``--help``, every plugin is asked."""
    word = _command_word(list(argv))
    for first_only in (True, False):
        ap = argparse.ArgumentParser(prog="lscb", description="Render safeguarding children annual reports.")
        ap.add_argument("--debug", action="store_true", help="show tracebacks")
        ap.add_argument("--project", metavar="DIR",
                        help="the project folder (default: the nearest folder upwards holding lscb.yml or boards/)")
        sub = ap.add_subparsers(dest="command", required=True)
        build_command_manager(first_only).hook.lscb_register_commands(subparsers=_Commands(sub))
        if word in sub.choices:
            break
    return ap


def _bug_report_line() -> str:
    from importlib.metadata import PackageNotFoundError, metadata
    try:
        urls = [u.split(",", 1)[-1].strip() for u in metadata("lscb-reports").get_all("Project-URL") or []]
    except PackageNotFoundError:
        urls = []
    where = f" at {urls[0]}" if urls else " to the lscb-reports maintainers"
    return (f"lscb: this is a bug in the lscb engine, not in your data or plugins; please report it{where} "
            "with the traceback above")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        ap = parser(argv)
    except LscbError as e:
        print(f"lscb: {e}", file=sys.stderr)
        return 1
    args = ap.parse_args(argv)
    try:
        with use_project(args.project):
            code = args.func(args)
        sys.stdout.flush()        # a closed pipe shows here, not as a message at interpreter exit
        return code
    except BrokenPipeError:   # `lscb list | head`: the reader left; say nothing, as other Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (LscbError, OSError) as e:     # a user's error, or e.g. --out on a read-only disk: no traceback
        if args.debug:
            raise
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        print(f"lscb: {where}{getattr(e, 'strerror', None) or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception:         # an engine bug: plugins' own bugs arrive as PluginError (core.plugins)
        traceback.print_exc()
        print(_bug_report_line(), file=sys.stderr)
        return 70             # EX_SOFTWARE


if __name__ == "__main__":
    sys.exit(main())
