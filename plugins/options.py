"""Board options (board.yml ``options:`` and ``years.<year>.options:``): every name is declared by the code
that reads it, so a misspelt option is an error naming the nearest known one, never silently ignored. The
options are checked when a board's engine opens (``lscb_engine_opened``), whatever runs it.

A plugin declares the options it reads with a module constant::

    from plugins.options import Option
    LSCB_OPTIONS = (Option("priorities_template", values=("measures-progress", "wwr")),)
"""
from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core import hookimpl
from core.errors import DataError


@dataclass(frozen=True)
class Option:
    """One board option: its name, its type (``str`` or ``bool``) and, for a text, the values it takes."""
    name: str
    type: type = str
    values: tuple[str, ...] = ()
    description: str = ""

    def expected(self) -> str:
        if self.type is bool:
            return "true or false (without quotes)"
        return f"one of {list(self.values)}" if self.values else "a text"

    def accepts(self, value: Any) -> bool:
        if self.type is bool:
            return isinstance(value, bool)      # "false" in quotes is a text, and a text is true
        if not isinstance(value, str):
            return False
        return not self.values or value in self.values


ATTRIBUTE = "LSCB_OPTIONS"


def declared(plugins: Iterable[object]) -> dict[str, Option]:
    """Every ``LSCB_OPTIONS`` a registered plugin module declares, and those of the built-in plugins left out
    of this engine: a board keeps its options when a feature is switched off, and they have no effect."""
    from core.plugins import BUILTIN_PLUGINS
    known: dict[str, Option] = {}
    for plugin in [*plugins, *filter(None, map(_module, BUILTIN_PLUGINS))]:
        for option in getattr(plugin, ATTRIBUTE, ()) or ():
            if isinstance(option, Option):
                known.setdefault(option.name, option)
    return known


def _module(name: str) -> object | None:
    try:
        return importlib.import_module(name)      # already imported, unless it was left out
    except ImportError:                           # left out because it cannot load: it declares nothing
        return None


def check_options(board, known: dict[str, Option]) -> None:
    """Every option of board.yml (board-wide and per year) is known and of its declared type."""
    label = f"boards/{board.id}/board.yml"
    scopes = [("options", board.options)]
    for year, info in board.years.items():
        per_year = info.get("options")
        if per_year is None:
            continue
        if not isinstance(per_year, dict):
            raise DataError(label, f"key years.{year}.options", "a mapping of options", repr(per_year))
        scopes.append((f"years.{year}.options", per_year))
    for scope, options in scopes:
        for name, value in options.items():
            option = known.get(str(name))
            if option is None:
                near = difflib.get_close_matches(str(name), list(known), n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                raise DataError(label, f"key {scope}.{name}", f"one of the known options {sorted(known)}",
                                f"{name!r}{hint}")
            if not option.accepts(value):
                raise DataError(label, f"key {scope}.{name}", option.expected(), repr(value))


@hookimpl
def lscb_engine_opened(engine):
    check_options(engine.board, declared(engine.pm.get_plugins()))
