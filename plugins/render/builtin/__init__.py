"""The built-in renderer (``lscb render``, ``--engine builtin``): a board's book executed in-process, one
chapter at a time with its own cache, into one self-contained HTML page that the output formats are made
from. Registered through ``lscb_register_renderers``."""
from __future__ import annotations

from core import hookimpl


class BuiltinRenderer:
    """The renderer of one build: it starts the chart helper at once, so the helper's warm-up overlaps
    the reading of the data, and ends it when the build closes it."""

    def __init__(self) -> None:
        from plugins.charts.worker import ChartWorker
        self.charts = ChartWorker()
        self.charts.prestart()
        self._sources = ""      # the engine's source hash: computed once per build

    def render(self, engine, year: str, *, use_cache: bool, formats: list[str]):
        from .cache import engine_sources
        from .report import render_report
        if use_cache and not self._sources:
            self._sources = engine_sources()
        with self.charts.active():
            return render_report(engine, year, use_cache, self._sources or None)

    def close(self) -> None:
        self.charts.close()


@hookimpl
def lscb_register_renderers(register):
    register("builtin", BuiltinRenderer, help="the book executed in-process into one page, the default")
