"""The engine of one board: its plugins, its registries, and building a section for a year."""
from __future__ import annotations

import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .blocks import Block, SectionOutput
from .board import Board
from .data import DataError, YearData
from .errors import DataErrors, LscbError, PluginError, RequestError, SectionError
from .hookspecs import FAMILY_HOOKS
from .plugins import PluginInfo, build_manager
from .requirements import Requirement
from .sections import Registry, SectionType


@dataclass
class RenderedSection:
    """What the engine remembers of a section it built: for coverage, caching and checks."""
    id: str
    kind: str
    empty: bool
    plugin: str
    files: tuple[str, ...]
    chapter: str = ""


@dataclass
class SectionContext:
    """Everything a section hook needs; see the module docstring of :mod:`core.hookspecs`."""
    engine: Engine
    board: Board
    year: str
    data: YearData
    section: str
    kind: str = ""

    @property
    def family(self) -> str:
        return self.section.partition(".")[0]

    @property
    def name(self) -> str:
        return self.section.partition(".")[2]

    @property
    def options(self) -> dict[str, Any]:
        return self.board.options_for(self.year)

    @property
    def year_info(self) -> dict[str, Any]:
        return self.board.year_info(self.year)

    @property
    def content_file(self) -> str:
        return f"sections/{self.section}.yml"

    def content(self) -> dict[str, Any] | None:
        """The section's content file as a dict (validated), or None when there is none."""
        if not self.data.exists(self.content_file):
            return None
        raw = self.data.yaml(self.content_file)
        label = self.data.label(self.content_file)
        if not isinstance(raw, dict):
            raise DataError(label, "file", "a mapping with keys kind and blocks", type(raw).__name__)
        unknown = sorted(set(raw) - {"kind", "blocks", "title", "notes"})
        if unknown:
            raise DataError(label, f"key(s) {unknown}", "only kind, blocks, title, notes", "unknown keys")
        kind = raw.get("kind")
        types = self.engine.section_types
        if kind not in types:
            raise DataError(label, "key 'kind'", f"one of the registered section types ({', '.join(types.names())})",
                            repr(kind))
        if not isinstance(raw.get("blocks"), list):
            raise DataError(label, "key 'blocks'", "a list of blocks", repr(raw.get("blocks")))
        self.kind = kind
        return raw

    def content_blocks(self) -> list[Block] | None:
        """Build the section from its content file; None when the board has no such file."""
        raw = self.content()
        if raw is None:
            return None
        return self.blocks(raw["blocks"], self.content_file)

    def blocks(self, specs: list[dict[str, Any]], origin: str | None = None) -> list[Block]:
        """Build blocks from content-file block specs (``[{table: x, caption: ...}, {text: ...}]``)."""
        label = self.data.label(origin or self.content_file)
        directives = self.engine.block_types
        out: list[Block] = []
        errors: list[DataError] = []
        for i, spec in enumerate(specs, start=1):
            where = f"blocks[{i}]"
            if not isinstance(spec, dict):
                errors.append(DataError(label, where, "a mapping such as {table: name}", repr(spec)))
                continue
            names = [k for k in spec if k in directives]
            if len(names) != 1:
                errors.append(DataError(
                    label, where, f"exactly one of the block types {directives.names()}",
                    f"keys {sorted(spec)}" + (f", {len(names)} of them block types" if names
                                              else ", none of them a block type")))
                continue
            allowed = self.engine.block_keys.get(names[0])
            unknown = sorted(set(spec) - allowed) if allowed else []
            if unknown:
                errors.append(DataError(label, f"{where} ({names[0]})",
                                        f"only the keys {sorted(allowed)}", f"unknown key(s) {unknown} (misspelt?)"))
                continue
            try:
                out.extend(directives[names[0]](self, spec))
            except RequestError as e:      # the block asked for it: name the content file and block
                errors.append(DataError(label, f"{where} ({names[0]}): {e.where}",
                                        e.expected if e.file in e.expected else f"{e.expected} in {e.file}",
                                        e.found))
            except DataError as e:
                if e.file == label and not e.where.startswith("blocks["):
                    e = DataError(e.file, f"{where} ({names[0]}): {e.where}", e.expected, e.found)
                errors.append(e)
            except DataErrors as e:
                errors.extend(e.errors)
            except LscbError:
                raise
            except Exception as e:  # noqa: BLE001 - a builder tripped by odd input: name the file and block
                errors.append(DataError(
                    label, f"{where} ({names[0]})",
                    f"a block the {names[0]!r} directive ({directives.owner[names[0]]}) can read",
                    f"{type(e).__name__}: {e}"))
        if errors:
            raise errors[0] if len(errors) == 1 else DataErrors(errors)
        return out


class Engine:
    """A board with its PluginManager. Build one per board (and per process)."""

    def __init__(self, board: Board):
        self.board = board
        self.pm, self.plugins = build_manager(board.id, board.root, board.extra_plugins)
        from .options import check_options, declared
        self.options = declared(self.pm.get_plugins())      # the options some plugin or core reads
        check_options(board, self.options)
        self.section_types = Registry("section type")
        self.block_types = Registry("block type")
        self.requirements = Registry("requirement")
        self.block_keys: dict[str, frozenset[str]] = {}   # keys a directive declared it reads
        self.chapter = ""          # the chapter being executed (set by the renderer), for coverage
        self.last_cache = (0, 0)   # (chapters from cache, chapters executed) of the last render
        self._data: dict[str, YearData] = {}
        self.rendered: dict[str, list[RenderedSection]] = {}
        self._call_register("lscb_register_section_types", self.section_types, True)
        self._call_register("lscb_register_block_types", self.block_types, False)
        self._call_register("lscb_register_requirements", self.requirements, "requirement")

    @classmethod
    def open(cls, board_id: str, base: Path | None = None) -> Engine:
        return cls(Board.load(board_id, base))

    # --- registration ----------------------------------------------------------------------------
    def _call_register(self, hook: str, registry: Registry, typed: bool | str) -> None:
        # Fallbacks (trylast, the built-ins) register first, so a duplicate names the later plugin.
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            plugin = impl.plugin_name

            def register(*args, _plugin=plugin):
                if typed == "requirement":
                    (item,) = args
                    if not isinstance(item, Requirement):
                        raise SectionError(f"{_plugin}: register() takes a Requirement, got {item!r}")
                    registry.add(item.id, replace(item, plugin=_plugin), _plugin)
                elif typed:
                    (item,) = args
                    if not isinstance(item, SectionType):
                        raise SectionError(f"{_plugin}: register() takes a SectionType, got {item!r}")
                    registry.add(item.name, replace(item, plugin=_plugin), _plugin)
                else:
                    name, builder, *keys = args
                    registry.add(name, builder, _plugin)
                    if keys and keys[0] is not None:
                        self.block_keys[name] = frozenset(keys[0]) | {name}
            try:
                impl.function(register=register)
            except LscbError:
                raise
            except Exception as e:  # noqa: BLE001 - a plugin's registration mistake is one message, not a traceback
                usage = {"requirement": "register(Requirement(...))", True: "register(SectionType(...))",
                         False: "register(name, builder, keys)"}[typed]
                raise PluginError(f"{self.board.id}: plugin {self._plugin_file(e)} ({plugin}) failed in {hook}: "
                                  f"expected {usage}, found {type(e).__name__}: {e}") from e

    # --- data ------------------------------------------------------------------------------------
    def forget_data(self, year: str) -> None:
        """Drop what was read of a year's files, so the next section reads them afresh."""
        self._data.pop(year, None)

    def data(self, year: str) -> YearData:
        if year not in self._data:
            self._data[year] = self.board.data(year)
        return self._data[year]

    # --- sections --------------------------------------------------------------------------------
    def section(self, year: str, section_id: str) -> SectionOutput:
        """Build one section of a year's report: ask the family hook (or the registered type)."""
        if not isinstance(section_id, str) or not section_id:
            raise SectionError(f"section id must be a text like 'governance.budget', got {section_id!r}")
        data = self.data(year)
        ctx = SectionContext(self, self.board, year, data, section_id)
        family = ctx.family
        before = set(data.read)
        plugin = ""
        if family in FAMILY_HOOKS:
            caller = getattr(self.pm.hook, FAMILY_HOOKS[family])
            blocks, plugin = self._guarded(lambda ctx: self._first_answer(caller, ctx), ctx,
                                           FAMILY_HOOKS[family])
        elif family in self.section_types and self.section_types[family].build:
            stype = self.section_types[family]
            ctx.kind = ctx.kind or stype.name
            blocks = self._guarded(lambda ctx: stype.build(ctx), ctx, f"{stype.name} (build)")
            plugin = stype.plugin
        else:
            known = list(FAMILY_HOOKS) + [n for n in self.section_types.names() if self.section_types[n].build]
            raise SectionError(f"{self.board.id} {year}: unknown section {section_id!r}: its id must start "
                               f"with one of {known}")
        if blocks is None:
            raise SectionError(f"{self.board.id} {year}: no plugin provides section {section_id!r} "
                               f"(no content file boards/{self.board.id}/data/{year}/{ctx.content_file} "
                               "and no board plugin answered)")
        if not isinstance(blocks, list) or not all(isinstance(b, Block) for b in blocks):
            bad = blocks if not isinstance(blocks, list) else next(b for b in blocks if not isinstance(b, Block))
            path = next((p.path for p in self.plugins if p.name == plugin), plugin)
            raise PluginError(f"{self.board.id} {year}: plugin {path} returned {bad!r:.80} for section "
                              f"{section_id!r}: expected a list of blocks (core.blocks) or None")
        if not ctx.kind and family in self.section_types:
            ctx.kind = family
        files = tuple(sorted(set(data.read) - before)) or tuple(sorted(data.read))
        self.rendered.setdefault(year, []).append(
            RenderedSection(section_id, ctx.kind, not blocks, plugin, files, self.chapter))
        return SectionOutput(section_id, list(blocks), plugin)

    @staticmethod
    def _first_answer(caller, ctx) -> tuple[Any, str]:
        """firstresult, in pluggy's order (last registered first, trylast at the end), remembering
        which plugin answered. With a wrapper registered, pluggy itself makes the call."""
        impls = caller.get_hookimpls()
        if any(i.hookwrapper or i.wrapper for i in impls):
            return caller(ctx=ctx), "(wrapped)"
        for impl in reversed(impls):
            result = impl.function(**{a: ctx for a in impl.argnames})
            if result is not None:
                return result, impl.plugin_name
        return None, ""

    def _guarded(self, call, ctx: SectionContext, hook: str):
        try:
            return call(ctx=ctx)
        except LscbError:
            raise
        except Exception as e:
            path = self._plugin_file(e)
            raise PluginError(
                f"{self.board.id} {ctx.year}: plugin {path} raised {type(e).__name__}: {e} "
                f"in hook {hook} for section {ctx.section!r}") from e

    def _plugin_file(self, exc: BaseException) -> str:
        files = {p.path for p in self.plugins}
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename in files:
                return f"{frame.filename}:{frame.lineno}"
        frames = traceback.extract_tb(exc.__traceback__)
        return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"

    def plugin_list(self) -> list[PluginInfo]:
        return list(self.plugins)

