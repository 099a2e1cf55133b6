"""One PluginManager per board: the shared built-ins, installed packages, and that board's plugins/."""
from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import os
import sys
import sysconfig
import traceback
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from . import hookspecs
from .errors import LscbError, PluginError

#: The built-in plugins, in the order they register (pluggy asks the last registered first, and the section
#: plugins are ``trylast``), so every other plugin overrides them. Any one can be left out by name.
BUILTIN_PLUGINS = (
    "plugins.content", "plugins.demographics", "plugins.governance", "plugins.priorities", "plugins.partners",
    "plugins.learning", "plugins.requirements", "plugins.checks.chapters", "plugins.checks.data",
    "plugins.options", "plugins.disclosure", "plugins.scaffold", "plugins.project", "plugins.draft",
    "plugins.new_year", "plugins.workbook", "plugins.returns", "plugins.trend", "plugins.impact",
    "plugins.preview", "plugins.gallery", "plugins.charts.directive", "plugins.render.builtin",
    "plugins.render.quarto", "plugins.formats.html", "plugins.formats.pdf", "plugins.formats.docx",
    "plugins.accessibility", "plugins.commands",
)
#: command plugins that import nothing heavy, asked alone first: a cached `lscb render` stays fast (core.cli)
FIRST_COMMAND_PLUGINS = ("plugins.commands",)

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
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as e:  # a broken board plugin is a user error, named with its file
        del sys.modules[name]
        raise PluginError(f"board {board_id}: plugin {path} failed to load: {type(e).__name__}: {e}") from e
    return module


#: the plugin whose code is running (a hook implementation or a builder it registered): registration
#: callbacks read it to record who registered what
current_plugin: ContextVar[str] = ContextVar("lscb_current_plugin", default="")
_CORE = str(Path(__file__).resolve().parent) + os.sep
_LIBRARIES = tuple({str(Path(sysconfig.get_paths()[k]).resolve()) + os.sep
                    for k in ("stdlib", "platstdlib", "purelib", "platlib")})


def _culprit(exc: BaseException, own_file: str = "") -> str | None:
    """``file:line`` of the innermost plugin frame that raised ``exc``; None when the innermost frame of our
    own code is in core (then it is an engine bug, shown as one). Library frames (pandas ...) are passed over."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = os.path.realpath(frame.filename)
        if path.startswith(_CORE):
            return None
        if path == own_file or not path.startswith(_LIBRARIES):
            return f"{frame.filename}:{frame.lineno}"
    return None


def engine_bug(exc: BaseException) -> bool:
    """True when ``exc`` (not an LscbError) was raised by core's own code: a bug to report, shown as one."""
    return not isinstance(exc, LscbError) and _culprit(exc) is None


def run_plugin_code(plugin: str, what: str, fn: Callable[..., Any], *args: Any, own_file: str = "") -> Any:
    """Run a plugin's function as ``plugin``: an exception it raises (not an LscbError) becomes a
    PluginError naming the plugin, ``what`` it was doing and file:line; an engine bug stays a traceback."""
    token = current_plugin.set(plugin)
    try:
        return fn(*args)
    except LscbError:
        raise
    except Exception as e:
        where = _culprit(e, own_file)
        if where is None:
            raise
        raise PluginError(f"plugin {plugin} ({where}) raised {type(e).__name__}: {e} in {what}") from e
    finally:
        current_plugin.reset(token)


def _attributed(impl: pluggy.HookImpl) -> Callable[..., Any]:
    """The implementation as pluggy will call it: run as its plugin; a section hook's answer is recorded on its
    ``ctx.plugin``. pluggy still makes every call (its loop, firstresult, wrappers and tracing are untouched);
    only the function is decorated."""
    fn, hook = impl.function, impl.function.__name__
    own = os.path.realpath(inspect.getsourcefile(fn) or "")
    at = impl.argnames.index("ctx") if "ctx" in impl.argnames else None
    family = hook in hookspecs.FAMILY_HOOKS.values()      # not a hook a section's plugin calls on the way

    @functools.wraps(fn)
    def call(*args: Any) -> Any:
        ctx = args[at] if at is not None else None
        what = f"hook {hook}" + (f" for section {ctx.section!r} ({ctx.board.id} {ctx.year})" if ctx else "")
        result = run_plugin_code(impl.plugin_name, what, fn, *args, own_file=own)
        if family and result is not None and not ctx.plugin:
            ctx.plugin = impl.plugin_name
        return result
    return call


class Manager(pluggy.PluginManager):
    """pluggy's PluginManager, its hook implementations decorated by :func:`_attributed` as they register;
    ``infos`` describes each plugin registered, ``offered`` names every plugin offered (left out or not)."""

    def __init__(self) -> None:
        super().__init__("lscb")
        self.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        self.offered: list[str] = []
        for name in disabled_plugins():
            self.set_blocked(name)
        if os.environ.get("LSCB_TRACE_PLUGINS"):
            self.trace.root.setwriter(lambda msg: print(f"[lscb trace] {msg}", end="", file=sys.stderr))
            self.enable_tracing()

    def register(self, plugin: object, name: str | None = None) -> str | None:
        name = super().register(plugin, name)
        for caller in self.get_hookcallers(plugin) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin and not (impl.wrapper or impl.hookwrapper):
                    impl.function = _attributed(impl)
        return name

    def load(self, name: str, origin: str, module: Callable[[], ModuleType]) -> None:
        """Register the plugin ``module()`` as ``name`` unless it is left out (then it is not even imported).
        A function named like a hook but not marked @hookimpl, or a hook function with an argument its spec
        does not pass (``def lscb_governance(context)``), is refused naming its file and line."""
        self.offered.append(name)
        if self.is_blocked(name):
            return
        module = module()
        where = f"{origin} plugin {getattr(module, '__file__', name)}"
        unmarked = [attr for attr, fn in vars(module).items() if attr.startswith("lscb_") and inspect.isfunction(fn)
                    and fn.__module__ == module.__name__ and not hasattr(fn, "lscb_impl")]
        if unmarked:
            raise PluginError(f"{where}: {', '.join(unmarked)} look like hooks but are not marked with @hookimpl")
        try:
            if self.register(module, name=name):
                hooks = tuple(sorted(h.name for h in self.get_hookcallers(module) or []))
                self.infos.append(PluginInfo(name, origin, str(getattr(module, "__file__", "")), hooks))
        except pluggy.PluginValidationError as e:
            for attr, fn in vars(module).items():
                spec = getattr(hookspecs, attr, None)
                if inspect.isfunction(fn) and hasattr(fn, "lscb_impl") and callable(spec):
                    wanted, found = list(inspect.signature(spec).parameters), list(inspect.signature(fn).parameters)
                    if set(found) - set(wanted):
                        raise PluginError(f"{where}, line {fn.__code__.co_firstlineno}: {attr}({', '.join(found)}): "
                                          f"expected arguments among ({', '.join(wanted)}), found "
                                          f"{[a for a in found if a not in wanted]} that the hook does not pass "
                                          "(misnamed?)") from None
            raise PluginError(f"{where}: {e}") from None

    def load_shared(self, first_only: bool = False) -> None:
        """The built-ins, then installed packages (entry points in the ``lscb`` group)."""
        for modname in BUILTIN_PLUGINS:
            if not first_only or modname in FIRST_COMMAND_PLUGINS:
                self.load(modname, "built-in", functools.partial(importlib.import_module, modname))
        from importlib.metadata import entry_points
        for ep in [] if first_only else entry_points(group=ENTRY_POINT_GROUP):
            dist = ep.dist.name if getattr(ep, "dist", None) else "?"
            self.load(f"package:{ep.name}", f"package {dist}", functools.partial(_load_entry_point, ep, dist))

    def checked(self, board: str = "") -> Manager:
        """Refuse a misspelt LSCB_DISABLE_PLUGINS name (a board's own are known only to that board's manager)
        and hook implementations of hooks that do not exist."""
        unknown = [n for n in disabled_plugins() if n not in self.offered and not n.startswith("board:")]
        if unknown:
            raise PluginError(f"LSCB_DISABLE_PLUGINS: expected names of plugins among {', '.join(self.offered)}, "
                              f"found {', '.join(unknown)}")
        try:
            self.check_pending()
        except pluggy.PluginValidationError as e:
            known = ", ".join(sorted(n for n in dir(hookspecs) if n.startswith("lscb_")))
            raise PluginError(f"{board or 'lscb'}: {e} (known hooks: {known})") from None
        return self


def _load_entry_point(ep, dist: str) -> ModuleType:
    try:
        return ep.load()
    except Exception as e:
        raise PluginError(f"installed plugin {ep.name} ({dist}) failed to load: {e}") from e


def disabled_plugins() -> list[str]:
    """Plugins left out by name: ``LSCB_DISABLE_PLUGINS=plugins.formats.pdf,plugins.disclosure`` (built-ins by
    module, installed packages as ``package:<name>``, a board's own as ``board:<board>/<file stem>``)."""
    return [n.strip() for n in os.environ.get("LSCB_DISABLE_PLUGINS", "").split(",") if n.strip()]


def build_manager(board_id: str, board_root: Path, extra: list[str] = ()) -> Manager:
    """Built-ins, then installed packages, then the optional modules board.yml names, then the board's
    own plugins/*.py: pluggy asks the last registered first, so the board's own answer wins."""
    pm = Manager()
    pm.load_shared()
    for modname in extra:
        pm.load(modname, f"board.yml of {board_id}", functools.partial(_import_named, board_id, modname))
    for path in sorted((board_root / "plugins").glob("*.py")):
        if not path.name.startswith("_"):
            pm.load(f"board:{board_id}/{path.stem}", f"board {board_id}",
                    functools.partial(_load_board_module, board_id, path))
    return pm.checked(f"board {board_id}")


def _import_named(board_id: str, modname: str) -> ModuleType:
    try:
        return importlib.import_module(modname)
    except ImportError as e:
        raise PluginError(f"boards/{board_id}/board.yml: plugins: cannot import {modname!r}: {e}") from None


def build_command_manager(first_only: bool = False) -> Manager:
    """Built-ins and installed packages only: the command line is the same for every board. ``first_only``:
    just FIRST_COMMAND_PLUGINS, which import nothing heavy."""
    pm = Manager()
    pm.load_shared(first_only)
    if first_only:
        pm.check_pending()
        return pm
    return pm.checked()
