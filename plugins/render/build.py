"""Building reports into an output folder: the renderer a plugin registered makes each report, the output
formats plugins registered make its files, and everything is put in place atomically (boards and years in
parallel processes when asked). Renderers and formats arrive through ``lscb_register_renderers`` and
``lscb_register_output_formats``; nothing here names one."""
from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.board import Board
from core.errors import DataErrors, LscbError, PluginError
from core.output import write_atomically
from core.plugins import current_plugin, run_plugin_code

from . import report_cache

MARKER = ".lscb-output"
MARKER_TEXT = "written by lscb render; safe to delete\n"
WARNINGS = ".lscb-warnings"     # kept beside a cached report (never written to the output folder)
PAGE_FORMAT = "html"            # the report's page: always written when a plugin offers it


@dataclass
class Report:
    """What a renderer gives back for one board-year: the page the output formats are made from (``html``,
    with ``meta`` for their document properties), the files it wrote itself (``files``), the warnings it
    found and (chapters from cache, chapters executed)."""
    board: Board
    year: str
    title: str = ""
    html: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes | str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    cache: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Renderer:
    """A registered renderer. ``make()`` gives the object that renders for one build (it may hold a helper
    process: its ``close()`` is called at the end); that object's ``render(engine, year, *, use_cache,
    formats)`` returns a :class:`Report`. ``writes``: formats it makes itself (else the format plugins do)."""
    name: str
    make: Callable[[], Any]
    help: str = ""
    writes: tuple[str, ...] = ()
    plugin: str = ""          # who registered it (named when it fails)


@dataclass(frozen=True)
class OutputFormat:
    """A registered output format: ``write(report)`` makes the file ``filename`` from the report's page."""
    name: str
    filename: str
    write: Callable[[Report], bytes | str]
    plugin: str = ""


def _collect(pm, hook: str, make: Callable[..., Any]) -> dict[str, Any]:
    """Ask every plugin's ``hook`` (through pluggy) for what it registers; the first registration of a name
    wins, and pluggy asks the last registered plugin first, so a board's own plugin overrides a built-in."""
    found: dict[str, Any] = {}

    def register(name: str, *args, **kwargs) -> None:
        if not isinstance(name, str) or not name:
            raise PluginError(f"{hook}: register() expects a name first, found {name!r}")
        found.setdefault(name, make(name, *args, plugin=current_plugin.get(), **kwargs))
    getattr(pm.hook, hook)(register=register)
    return found


def renderers(pm) -> dict[str, Renderer]:
    return _collect(pm, "lscb_register_renderers", Renderer)


def output_formats(pm) -> dict[str, OutputFormat]:
    return _collect(pm, "lscb_register_output_formats", OutputFormat)


def _choose(kind: str, asked: list[str], offered: dict[str, Any]) -> None:
    unknown = [a for a in asked if a not in offered]
    if unknown:
        raise LscbError(f"--{kind}: unknown {kind}(s) {', '.join(unknown)}; choose from "
                        f"{', '.join(sorted(offered)) or 'none (no plugin registers one)'}")


def tracing() -> bool:
    """LSCB_TRACE_PLUGINS: every hook call is shown, so nothing may come from a cache."""
    return bool(os.environ.get("LSCB_TRACE_PLUGINS"))


class Session:
    """One build in one process: the engine of each board (plugins loaded once) and each renderer in use
    (with whatever it started, e.g. the chart helper process). ``close()`` ends them all."""

    def __init__(self) -> None:
        self._engines: dict[tuple[str, str], Any] = {}
        self._renderers: dict[str, Any] = {}

    def engine(self, board_id: str):
        from core.engine import Engine
        from core.project import boards_dir
        slot = (str(boards_dir()), board_id)
        if slot not in self._engines:
            self._engines[slot] = Engine.open(board_id)
        return self._engines[slot]

    def renderer(self, engine, name: str) -> tuple[Renderer, Any]:
        offered = renderers(engine.pm)
        _choose("engine", [name], offered)
        if name not in self._renderers:
            self._renderers[name] = run_plugin_code(offered[name].plugin, f"renderer {name!r}", offered[name].make)
        return offered[name], self._renderers[name]

    def close(self) -> None:
        for made in self._renderers.values():
            close = getattr(made, "close", None)
            if close:
                close()
        self._renderers.clear()
        self._engines.clear()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def render_target(board_id: str, year: str, formats: list[str], use_cache: bool = True, check: bool = True,
                  engine_name: str = "builtin", session: Session | None = None, key: str | None = None,
                  ) -> tuple[dict[str, bytes | str], tuple[int, int], list[str]]:
    """Render one board-year (in this process): the data checks first, then the report, then every format.
    A report whose inputs are all unchanged since it was last rendered comes from the report cache, with
    the warnings its checks gave (so a cached render still shows them). Returns files, (chapters from
    cache, chapters executed; (-1, 0) from the report cache) and the warnings. ``key``: the report cache key,
    when the caller has it already."""
    use_cache = use_cache and not tracing()
    if use_cache and key is None:
        key = report_cache.report_key(Board.load(board_id), year, formats, engine_name)
    if use_cache:
        cached = report_cache.lookup(key)
        if cached is not None:
            notes = cached.pop(WARNINGS, b"")
            notes = notes.decode("utf-8") if isinstance(notes, bytes) else notes
            return cached, (-1, 0), [w for w in notes.split("\n") if w]
    if session is None:
        with Session() as own:
            return render_target(board_id, year, formats, use_cache, check, engine_name, own, key)
    engine = session.engine(board_id)
    renderer, made = session.renderer(engine, engine_name)
    offered = output_formats(engine.pm)
    _choose("format", [f for f in formats if f not in renderer.writes], offered)
    engine.forget_data(year)           # read the files afresh on every render
    warnings: list[str] = []
    if check:
        from plugins.checks.findings import check_year
        found = check_year(engine, year)
        if found.errors:
            raise DataErrors(found.errors)
        warnings = [str(w) for w in found.warnings]
    report = run_plugin_code(renderer.plugin, f"renderer {engine_name!r}", functools.partial(
        made.render, engine, year, use_cache=use_cache, formats=formats))
    warnings += [w for w in report.warnings if w not in warnings]
    files = dict(report.files)
    if not renderer.writes:         # a page: every format (the page itself first) is made from it
        engine.pm.hook.lscb_report_page(engine=engine, year=year, report=report)
        wanted = ([PAGE_FORMAT] if PAGE_FORMAT in offered else []) + [f for f in formats if f != PAGE_FORMAT]
        for name in wanted:
            fmt = offered[name]
            files[fmt.filename] = run_plugin_code(fmt.plugin, f"output format {name!r}", fmt.write, report)
        engine.pm.hook.lscb_report_files(engine=engine, year=year, report=report, files=files)
    if use_cache:
        report_cache.store(key, {**files, WARNINGS: "\n".join(warnings)})
    return files, report.cache, warnings


#: the Session of a --jobs worker process, for the process's life: every board it renders shares the renderer
#: and what it started (the chart helper), as in one process (set only inside a worker, by _start_worker)
_worker_session: Session | None = None


def _start_worker() -> None:
    """The ProcessPoolExecutor initializer: one Session per worker process, closed as the worker exits."""
    global _worker_session
    from multiprocessing.util import Finalize
    _worker_session = Session()
    Finalize(_worker_session, _worker_session.close, exitpriority=10)


def _render_in_worker(board_id: str, year: str, formats: list[str], use_cache: bool, engine: str,
                      key: str | None) -> tuple[dict[str, bytes | str], tuple[int, int], list[str]]:
    return render_target(board_id, year, formats, use_cache, True, engine, _worker_session, key)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal (yields its advance); nothing when output goes to a file or CI log."""
    if not sys.stderr.isatty() or os.environ.get("LSCB_QUIET"):
        yield lambda: None
        return
    from rich.progress import Progress
    with Progress(transient=True) as bar:
        task = bar.add_task("rendering", total=total)
        yield lambda: bar.advance(task)


def _render_all(targets: list[tuple[str, str]], formats: list[str], use_cache: bool, engine: str, jobs: int,
                keys: dict) -> Iterator[tuple[tuple[str, str], tuple]]:
    """Each target and what render_target gives for it: in one process (one Session), or in ``jobs``."""
    if jobs > 1 and len(targets) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(targets)), initializer=_start_worker) as pool:
            futures = [pool.submit(_render_in_worker, b, y, formats, use_cache, engine, keys.get((b, y)))
                       for b, y in targets]
            yield from zip(targets, (f.result() for f in futures))
    else:
        with Session() as session:
            for b, y in targets:
                yield (b, y), render_target(b, y, formats, use_cache, True, engine, session, keys.get((b, y)))


def build_reports(targets: list[tuple[str, str]], out: Path, formats: list[str], single: bool,
                  jobs: int = 1, use_cache: bool = True, strict: bool = False,
                  engine: str = "builtin") -> dict[str, tuple[int, int]]:
    """Render every (board, year) with the renderer ``engine`` and only then put the results in place: a
    failure anywhere leaves an earlier ``out`` untouched. The warnings the data checks find are printed
    (stderr) and do not fail the build, unless ``strict``: then they fail it like an error, before anything
    is written. Returns per-report (chapters from cache, chapters executed)."""
    if tracing() and use_cache:
        print("LSCB_TRACE_PLUGINS: the report and chapter caches are skipped, so every hook is called",
              file=sys.stderr)
    use_cache = use_cache and not tracing()
    keys = {(b, y): report_cache.report_key(Board.load(b), y, formats, engine) for b, y in targets} if use_cache else {}
    files: dict[str, bytes | str] = {MARKER: MARKER_TEXT}
    stats: dict[str, tuple[int, int]] = {}
    results = {}
    with _progress(len(targets)) as advance:
        for target, result in _render_all(targets, formats, use_cache, engine, jobs, keys):
            results[target] = result
            advance()
    warned = {f"{b} {y}": notes for (b, y), (_, _, notes) in results.items() if notes}
    print_warnings(warned, strict)
    if strict and warned:
        total = sum(len(n) for n in warned.values())
        raise LscbError(f"--strict: {total} warning(s) in {', '.join(warned)} (listed above); expected none, "
                        "so nothing was written")
    for (b, y), (rendered, cache, _) in results.items():
        prefix = "" if single else f"{b}/{y}/"
        files.update({prefix + k: v for k, v in rendered.items()})
        stats[f"{b} {y}"] = cache
    if not single:      # files of the whole build (the gallery's index.html), written with the reports
        _build_files(out, results, files, [keys[t] for t in targets] if keys else [])
    write_atomically(out, files)
    return stats


def _build_files(out: Path, results: dict, files: dict[str, bytes | str], keys: list[str]) -> None:
    """What ``lscb_build_finished`` plugins add to a whole build. Their inputs are the reports, so with every
    report's cache key known the additions are cached under those keys: a rebuild with nothing changed
    loads no plugin."""
    key = report_cache.build_key(keys) if keys else ""
    cached = report_cache.lookup(key) if key else None
    if cached is not None:
        files.update(cached)
        return
    before = dict(files)
    from core.plugins import build_command_manager
    build_command_manager().hook.lscb_build_finished(out=out, reports=results, files=files)
    if key:
        report_cache.store(key, {k: v for k, v in files.items() if before.get(k) != v})


def print_warnings(warned: dict[str, list[str]], strict: bool = False, out=None) -> None:
    """A count per report, then each warning (file, row or figure, and what disagrees) once."""
    out = out or sys.stderr
    for name, notes in warned.items():
        tail = "" if strict else " (the report keeps what it printed; --strict makes these fail)"
        print(f"{name}: {len(notes)} warning(s){tail}", file=out)
        for note in notes:
            print(f"  warning {note}", file=out)
