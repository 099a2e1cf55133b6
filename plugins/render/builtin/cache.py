"""A chapter cache keyed on content: the notebook, the data files it read, the plugin and engine sources,
the board's settings, and the numbering state it starts from.

Quarto's freeze cache looks only at the notebook; here a changed data file re-executes exactly the
chapters that read it. An entry records the data files (and their hashes) its chapter asked for, so a
lookup first finds the entry by the notebook/code key, then checks every recorded file is unchanged.
Plugins must read data through ``ctx.data`` for this to hold (that is how the engine sees it).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from core import __version__
from core.engine import Engine, RenderedSection

from ..report_cache import cache_dir, external_plugin_sources
from .execute import ChapterResult, Heading, RenderState

REPO = Path(__file__).resolve().parents[3]


def fingerprint(root: Path, rels: set[str]) -> dict[str, str]:
    """The sha256 of each of a year's data files ("absent" for a file that does not exist)."""
    return {rel: hashlib.sha256((root / rel).read_bytes()).hexdigest() if (root / rel).is_file() else "absent"
            for rel in sorted(rels)}


def _hash_files(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        if p.is_file():
            h.update(str(p).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def engine_sources() -> str:
    """The engine's and the built-in plugins' code and assets (the renderer hashes them once per build)."""
    return _hash_files([p for d in ("core", "plugins") for p in (REPO / d).rglob("*")
                        if p.suffix in (".py", ".css", ".html") and "__pycache__" not in p.parts])


def code_key(engine: Engine, sources: str | None = None) -> str:
    """Engine version + engine sources + every plugin module this board loads (the whole package of one
    outside this repository) + board.yml."""
    plugin_files = [Path(p.path) for p in engine.plugins if p.path]
    plugin_data = [p for f in plugin_files for p in f.parent.glob("data/*") if f.parent.name == "plugins"]
    external = hashlib.sha256()
    external_plugin_sources(external, engine.board)
    return hashlib.sha256("|".join([
        __version__, sources or engine_sources(), _hash_files(plugin_files + plugin_data), external.hexdigest(),
        _hash_files([engine.board.root / "board.yml"]),
    ]).encode()).hexdigest()


def state_key(state: RenderState) -> str:
    return hashlib.sha256(json.dumps([state.tables, state.figures, sorted(state.ids)]).encode()).hexdigest()


class ChapterCache:
    def __init__(self, engine: Engine, year: str, enabled: bool = True, sources: str | None = None):
        self.engine, self.year, self.enabled = engine, year, enabled
        self.folder = cache_dir() / engine.board.id / year
        self.code = code_key(engine, sources) if enabled else ""
        self.hits = self.misses = 0

    def key(self, chapter_path: Path, params: dict, state: RenderState) -> str:
        h = hashlib.sha256()
        h.update(chapter_path.read_bytes())
        h.update(str(chapter_path.name).encode())
        h.update(json.dumps(params, sort_keys=True).encode())
        h.update(self.code.encode())
        h.update(state_key(state).encode())
        return h.hexdigest()

    def get(self, key: str, state: RenderState) -> tuple[ChapterResult, list[RenderedSection]] | None:
        if not self.enabled:
            self.misses += 1      # executed all the same: counted, so --no-cache reports what it ran
            return None
        path = self.folder / f"{key}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        data = self.engine.data(self.year)
        if fingerprint(data.root, set(entry["files"])) != entry["files"]:
            self.misses += 1
            return None
        self.hits += 1
        state.ids.update(entry["ids"])
        state.tables += entry["tables"]
        state.figures += entry["figures"]
        state.xrefs.update(entry["xrefs"])
        r = entry["result"]
        result = ChapterResult(Path(r["path"]), r["title"], r["id"], r["html"],
                               [Heading(**h) for h in r["headings"]])
        return result, [RenderedSection(**s) for s in entry["rendered"]]

    def put(self, key: str, result: ChapterResult, before: RenderState, after: RenderState,
            files: set[str], rendered: list[RenderedSection]) -> None:
        if not self.enabled:
            return
        entry: dict[str, Any] = {
            "files": fingerprint(self.engine.data(self.year).root, files),
            "ids": sorted(after.ids - before.ids),
            "tables": after.tables - before.tables,
            "figures": after.figures - before.figures,
            "xrefs": {k: v for k, v in after.xrefs.items() if k not in before.xrefs},
            "result": {"path": str(result.path), "title": result.title, "id": result.id, "html": result.html,
                       "headings": [asdict(h) for h in result.headings]},
            "rendered": [asdict(s) for s in rendered],
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(entry, f)
        os.replace(tmp, self.folder / f"{key}.json")
