"""One PluginManager per board: the shared built-ins, installed packages, and that board's plugins/."""
from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pluggy

from . import hookspecs
from .errors import PluginError

#: The shared section plugins, registered first (and ``trylast``) so that every other plugin overrides them.
BUILTIN_PLUGINS = (
    "plugins.content",
    "plugins.demographics",
    "plugins.governance",
    "plugins.priorities",
    "plugins.partners",
    "plugins.learning",
    "plugins.requirements",
    "plugins.scaffold",
    "plugins.draft",
    "plugins.new_year",
    "plugins.workbook",
    "plugins.trend",
    "plugins.impact",
    "plugins.preview",
)

ENTRY_POINT_GROUP = "lscb"


@dataclass(frozen=True)
class PluginInfo:
    name: str
    origin: str        # "built-in", "package <dist>" or "board <id>"
    path: str
    hooks: tuple[str, ...]


def _load_board_module(board_id: str, path: Path) -> ModuleType:
    """Import boards/<board>/plugins/<stem>.py as ``lscb_board_<board>.<stem>``, so two boards can both
    have a ``mash.py`` without one shadowing the other."""
    package = f"lscb_board_{board_id}"
    if package not in sys.modules:
        pkg = ModuleType(package)
        pkg.__path__ = []  # a namespace of its own, never searched on disk
        sys.modules[package] = pkg
    name = f"{package}.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise PluginError(f"board {board_id}: cannot load plugin {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as e:  # a broken board plugin is a user error, named with its file
        del sys.modules[name]
        raise PluginError(f"board {board_id}: plugin {path} failed to load: {type(e).__name__}: {e}") from e
    return module


def _unmarked_hooks(module: ModuleType) -> list[str]:
    """Functions named like hooks but missing @hookimpl: pluggy would ignore them silently."""
    out = []
    for name, obj in vars(module).items():
        if name.startswith("lscb_") and inspect.isfunction(obj) and obj.__module__ == module.__name__:
            if not hasattr(obj, "lscb_impl"):
                out.append(name)
    return out


def build_manager(board_id: str, board_root: Path, extra: list[str] = ()) -> tuple[pluggy.PluginManager, list[PluginInfo]]:
    """Built-ins, then installed packages, then the optional modules board.yml names, then the board's
    own plugins/*.py: pluggy asks the last registered first, so the board's own answer wins."""
    pm = pluggy.PluginManager("lscb")
    pm.add_hookspecs(hookspecs)
    infos: list[PluginInfo] = []

    def register(module: ModuleType, name: str, origin: str) -> None:
        unmarked = _unmarked_hooks(module)
        if unmarked:
            raise PluginError(f"{origin} plugin {module.__file__}: {', '.join(unmarked)} "
                              "look like hooks but are not marked with @hookimpl")
        register_explained(pm, module, name, f"{origin} plugin {module.__file__}")
        hooks = tuple(sorted(h.name for h in pm.get_hookcallers(module) or []))
        infos.append(PluginInfo(name, origin, str(getattr(module, "__file__", "")), hooks))

    for modname in BUILTIN_PLUGINS:
        register(importlib.import_module(modname), modname, "built-in")

    for dist, ep in _entry_points():
        try:
            module = ep.load()
        except Exception as e:
            raise PluginError(f"installed plugin {ep.name} ({dist}) failed to load: {e}") from e
        register(module, f"package:{ep.name}", f"package {dist}")

    for modname in extra:
        try:
            module = importlib.import_module(modname)
        except ImportError as e:
            raise PluginError(f"boards/{board_id}/board.yml: plugins: cannot import {modname!r}: {e}") from None
        register(module, modname, f"board.yml of {board_id}")

    for path in sorted((board_root / "plugins").glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = _load_board_module(board_id, path)
        register(module, f"board:{board_id}/{path.stem}", f"board {board_id}")

    try:
        pm.check_pending()
    except pluggy.PluginValidationError as e:
        raise PluginError(f"board {board_id}: {e} (known hooks: {', '.join(_hook_names())})") from None

    if os.environ.get("LSCB_TRACE_PLUGINS"):
        pm.trace.root.setwriter(lambda msg: print(f"[lscb trace] {msg}", end="", file=sys.stderr))
        pm.enable_tracing()
    return pm, infos


def build_command_manager() -> pluggy.PluginManager:
    """Built-ins and installed packages only: the command line is the same for every board."""
    pm = pluggy.PluginManager("lscb")
    pm.add_hookspecs(hookspecs)
    for modname in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(modname), name=modname)
    for dist, ep in _entry_points():
        try:
            module = ep.load()
        except Exception as e:
            raise PluginError(f"installed plugin {ep.name} ({dist}) failed to load: {e}") from e
        register_explained(pm, module, f"package:{ep.name}", f"installed plugin {ep.name} ({dist})")
    pm.check_pending()
    return pm


def register_explained(pm: pluggy.PluginManager, module: ModuleType, name: str, where: str) -> None:
    """pm.register, with pluggy's PluginValidationError (a hook function whose arguments the spec does not
    have, e.g. ``def lscb_governance(context)``) turned into one message naming the file, the function,
    the arguments the spec offers and the ones found."""
    try:
        pm.register(module, name=name)
    except pluggy.PluginValidationError as e:
        for attr, fn in vars(module).items():
            spec = getattr(hookspecs, attr, None)
            if not (inspect.isfunction(fn) and hasattr(fn, "lscb_impl") and callable(spec)):
                continue
            wanted = list(inspect.signature(spec).parameters)
            found = list(inspect.signature(fn).parameters)
            unknown = [a for a in found if a not in wanted]
            if unknown:
                line = fn.__code__.co_firstlineno
                raise PluginError(f"{where}, line {line}: {attr}({', '.join(found)}): expected arguments among "
                                  f"({', '.join(wanted)}), found {unknown} that the hook does not "
                                  "pass (misnamed?)") from None
        raise PluginError(f"{where}: {e}") from None


def _hook_names() -> list[str]:
    return sorted(n for n in dir(hookspecs) if n.startswith("lscb_"))


def _entry_points():
    from importlib.metadata import entry_points
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        yield (dist.name if dist else "?"), ep
