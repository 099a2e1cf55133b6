"""The report cache of ``lscb render``: standard library only, so a rebuild with nothing changed does not
import pandas, altair or the other plugins at all (the render command is asked first, and it asks this).

A report's key hashes everything a render reads: the engine and shared plugin sources, the lscb Quarto
extension, the board's board.yml, plugins and book (the .qmd chapters and _quarto.yml), the year's data
folder, the plugin modules board.yml names and installed plugin packages (wherever they live: their whole
top-level package), the renderer and formats asked for and the engine version. Any change to any of them
misses.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from importlib.metadata import entry_points
from importlib.util import find_spec
from pathlib import Path

from core import __version__
from core.project import ENGINE_ROOT as REPO
from core.project import find_project, is_writable

SOURCES = (".py", ".css", ".html", ".yml", ".yaml", ".scss")


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/lscb`` or ``~/.cache/lscb``: for projects lscb may not write to."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lscb"


def cache_dir() -> Path:
    """Where the report and chapter caches go: ``$LSCB_CACHE``; else ``<project>/.lscb-cache``; for a
    project opened read-only (or none at all), a folder of its own in the user cache folder."""
    env = os.environ.get("LSCB_CACHE")
    if env:
        return Path(env)
    project = find_project()
    if project is not None and is_writable(project / ".lscb-cache"):
        return project / ".lscb-cache"
    where = str(project or Path.cwd().resolve())
    return user_cache_dir() / f"{Path(where).name or 'root'}-{hashlib.sha256(where.encode()).hexdigest()[:10]}"


def _walk(h, folder: Path, suffixes: tuple[str, ...] | None = None) -> None:
    if not folder.exists():
        return
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and (suffixes is None or p.suffix in suffixes):
            h.update(str(p.relative_to(folder)).encode() + b"\0")
            h.update(p.read_bytes())


def _module_sources(h, module: str) -> None:
    """The whole top-level package of a plugin module (it may import its siblings), found without importing
    it; a module inside this repository is hashed already."""
    spec = find_spec(module.split(":")[0].split(".")[0])
    if spec is None:
        return
    for location in spec.submodule_search_locations or ():
        folder = Path(location).resolve()
        if folder != REPO and REPO not in folder.parents:
            h.update(str(folder).encode() + b"\0")
            _walk(h, folder, SOURCES)
    if not spec.submodule_search_locations and spec.origin and os.path.isfile(spec.origin):
        h.update(spec.origin.encode() + b"\0" + Path(spec.origin).read_bytes())


def external_plugin_sources(h, board) -> None:
    """Installed entry-point plugins and the modules ``board.yml`` names, wherever they live (for the report
    key here and the built-in renderer's chapter key)."""
    for ep in entry_points(group="lscb"):
        _module_sources(h, ep.value)
    for module in board.extra_plugins:
        _module_sources(h, str(module))


def report_key(board, year: str, formats: list[str], renderer: str = "builtin") -> str:
    """The key of ``board``'s (a :class:`core.board.Board`) report for ``year`` made by ``renderer``."""
    board_root = board.root
    disabled = os.environ.get("LSCB_DISABLE_PLUGINS", "")      # plugins left out change the report too
    h = hashlib.sha256(f"{__version__}|{renderer}|{','.join(sorted(formats))}|{year}|{disabled}".encode())
    _walk(h, REPO / "core", SOURCES)
    _walk(h, REPO / "plugins", SOURCES)
    _walk(h, REPO / "quarto")        # the Quarto extension (filters, reference.docx) the Quarto engine uses
    external_plugin_sources(h, board)
    h.update((board_root / "board.yml").read_bytes())
    _walk(h, board_root / "plugins", (".py",))
    book = board_root / year if (board_root / year / "_quarto.yml").is_file() else board_root
    for p in sorted(book.glob("*")):
        if p.is_file() and p.suffix in (".qmd", ".yml", ".md"):
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    _walk(h, book / "_extensions")   # the extension this book uses: a partnership's project has its own copy
    _walk(h, board_root / "data" / year)
    # a report may read earlier years' data too (a trend over the years, a baseline from last year)
    data = board_root / "data"
    for earlier in sorted(p for p in data.iterdir() if p.is_dir() and p.name < year) if data.is_dir() else ():
        h.update(earlier.name.encode() + b"\0")
        _walk(h, earlier)
    return h.hexdigest()


def build_key(report_keys: list[str]) -> str:
    """The key of what a whole build adds (e.g. the gallery page): its reports' keys cover every input."""
    return hashlib.sha256("|".join(["build", __version__, *report_keys]).encode()).hexdigest()


def lookup(key: str) -> dict[str, bytes] | None:
    folder = cache_dir() / "reports" / key
    if not (folder / ".complete").is_file():
        return None
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != ".complete"}


def store(key: str, files: dict[str, bytes | str]) -> None:
    folder = cache_dir() / "reports" / key
    tmp = folder.with_name(f".{key}.{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    for rel, content in files.items():
        p = tmp / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    (tmp / ".complete").write_text("ok\n")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
