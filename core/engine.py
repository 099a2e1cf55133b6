"""The engine of one board: its plugins, its registries, and building a section for a year."""
from __future__ import annotations

import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .blocks import Block, SectionOutput
from .board import Board
from .data import YearData
from .errors import DataError, DataErrors, PluginError, RequestError, SectionError
from .hookspecs import FAMILY_HOOKS
from .plugins import build_manager, current_plugin, run_plugin_code
from .sections import Registry, SectionType


@dataclass
class RenderedSection:
    """What the engine remembers of a section it built: for coverage, caching and checks."""
    id: str
    kind: str
    empty: bool
    plugin: str
    chapter: str = ""


@dataclass(repr=False)
class SectionContext:
    """Everything a section hook needs; see the module docstring of :mod:`core.hookspecs`."""
    engine: Engine
    board: Board
    year: str
    data: YearData
    section: str
    kind: str = ""
    plugin: str = ""      # the plugin that answered the section hook

    def __repr__(self) -> str:        # what LSCB_TRACE_PLUGINS prints: never the data read
        return f"SectionContext({self.board.id} {self.year} {self.section})"

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
        """Build blocks from content-file block specs (``[{table: x, caption: ...}, {text: ...}]``); every bad
        block is reported at once, each naming the file and ``blocks[i]``."""
        label = self.data.label(origin or self.content_file)
        out: list[Block] = []
        errors: list[DataError] = []
        for i, spec in enumerate(specs, start=1):
            try:
                out.extend(self._block(spec, label, f"blocks[{i}]"))
            except DataErrors as e:
                errors.extend(e.errors)
            except DataError as e:
                errors.append(e)
        if errors:
            raise errors[0] if len(errors) == 1 else DataErrors(errors)
        return out

    def _block(self, spec: Any, label: str, where: str) -> list[Block]:
        directives = self.engine.block_types
        if not isinstance(spec, dict):
            raise DataError(label, where, "a mapping such as {table: name}", repr(spec))
        names = [k for k in spec if k in directives]
        if len(names) != 1:
            raise DataError(label, where, f"exactly one of the block types {directives.names()}", f"keys {sorted(spec)}"
                            + (f", {len(names)} of them block types" if names else ", none of them a block type"))
        name = names[0]
        build, allowed = directives[name]
        if allowed and set(spec) - allowed:
            raise DataError(label, f"{where} ({name})", f"only the keys {sorted(allowed)}",
                            f"unknown key(s) {sorted(set(spec) - allowed)} (misspelt?)")
        try:
            return run_plugin_code(directives.owner[name], f"block type {name!r} ({label}, {where})", build, self, spec)
        except RequestError as e:      # the block asked for it: name the content file and block
            raise DataError(label, f"{where} ({name}): {e.where}",
                            e.expected if e.file in e.expected else f"{e.expected} in {e.file}", e.found) from None
        except DataError as e:
            if e.file != label or e.where.startswith("blocks["):
                raise
            raise DataError(e.file, f"{where} ({name}): {e.where}", e.expected, e.found) from None


class Engine:
    """A board with its PluginManager. Build one per board (and per process)."""

    def __init__(self, board: Board):
        self.board = board
        self.pm = build_manager(board.id, board.root, board.extra_plugins)
        self.plugins = self.pm.infos
        self.section_types = Registry("section type")
        self.block_types = Registry("block type")   # name -> (builder, the keys it reads or None)
        self.chapter = ""          # the chapter being executed (set by the renderer), for coverage
        self.last_cache = (0, 0)   # (chapters from cache, chapters executed) of the last render
        self._data: dict[str, YearData] = {}
        self.rendered: dict[str, list[RenderedSection]] = {}
        self._register("lscb_register_section_types", self._add_section_type)
        self._register("lscb_register_block_types", self._add_block_type)
        self.pm.hook.lscb_engine_opened(engine=self)      # e.g. board.yml's options (plugins.options)

    @classmethod
    def open(cls, board_id: str, base: Path | None = None) -> Engine:
        return cls(Board.load(board_id, base))

    # --- registration: pluggy calls each plugin; the callback learns which one from current_plugin ----------
    def _register(self, hook: str, add) -> None:
        def register(*args):
            plugin = current_plugin.get()
            try:
                add(plugin, *args)
            except TypeError as e:      # register() called with the wrong arguments: name the plugin's line
                caller = traceback.extract_stack()[-2]
                raise PluginError(f"{self.board.id}: plugin {plugin} ({caller.filename}:{caller.lineno}) in {hook}: "
                                  f"expected {add.__doc__}, found register{args!r:.80}") from e
        getattr(self.pm.hook, hook)(register=register)

    def _add_block_type(self, plugin: str, name: str, builder, keys=None) -> None:
        """register(name, builder, keys)"""
        if not callable(builder):
            raise TypeError(builder)
        self.block_types.add(name, (builder, None if keys is None else frozenset(keys) | {name}), plugin)

    def _add_section_type(self, plugin: str, stype: SectionType) -> None:
        """register(SectionType(...))"""
        if not isinstance(stype, SectionType):
            raise TypeError(stype)
        self.section_types.add(stype.name, replace(stype, plugin=plugin), plugin)

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
        if family in FAMILY_HOOKS:
            blocks = getattr(self.pm.hook, FAMILY_HOOKS[family])(ctx=ctx)
            plugin = ctx.plugin        # the plugin whose answer it is (recorded by core.plugins._attributed)
        elif family in self.section_types and self.section_types[family].build:
            stype = self.section_types[family]
            blocks = run_plugin_code(stype.plugin, f"section type {stype.name!r} (build) for section {section_id!r}",
                                     stype.build, ctx)
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
        self.rendered.setdefault(year, []).append(RenderedSection(section_id, ctx.kind, not blocks, plugin,
                                                                  self.chapter))
        return SectionOutput(section_id, list(blocks), plugin)

