"""Static charts converted in a helper process that starts while the report is still being read.

vl-convert spends about a second starting its JavaScript engine before the first chart, and holds the GIL
while it does, so a thread cannot hide it. The built-in renderer therefore starts a :class:`ChartWorker` as a
build begins (:meth:`ChartWorker.prestart`); by the time the first chapter asks for a chart, the helper has
imported vl-convert and warmed it up on the other core. Charts made while the worker is
:meth:`ChartWorker.active` go through it; the build closes it at the end. Conversions are pure functions of
the chart's Vega-Lite spec, so the result is the same as converting in-process, which is what happens
when the helper cannot run, and outside a render (a notebook, a Quarto kernel).

Protocol on the helper's stdin/stdout: a request is a kind (``b"svg"`` or ``b"png"``), a 4-byte length and
the spec as UTF-8 JSON; a reply is ``b"+"`` or ``b"-"`` (an error message follows), a 4-byte length and
the payload.
"""
from __future__ import annotations

import os
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_WARM_SPEC = ('{"data":{"values":[{"a":"x","b":1}]},"mark":"bar","encoding":'
              '{"x":{"field":"a","type":"nominal"},"y":{"field":"b","type":"quantitative"}}}')


def _read(stream, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            raise EOFError("chart helper closed its pipe")
        data += chunk
    return data


def _convert(kind: bytes, spec: str) -> bytes:
    import vl_convert as vlc
    if kind == b"svg":
        return vlc.vegalite_to_svg(vl_spec=spec).encode("utf-8")
    return vlc.vegalite_to_png(vl_spec=spec, scale=2)


def serve() -> None:
    """The helper's loop (``python -m plugins.charts.worker``): warm up, then convert until stdin closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    _convert(b"svg", _WARM_SPEC)
    while True:
        try:
            kind = _read(stdin, 3)
        except EOFError:
            return
        (size,) = struct.unpack(">I", _read(stdin, 4))
        spec = _read(stdin, size).decode("utf-8")
        try:
            status, payload = b"+", _convert(kind, spec)
        except Exception as e:       # reported back; the caller raises it where the chart was asked for
            status, payload = b"-", f"{type(e).__name__}: {e}".encode("utf-8")
        stdout.write(status + struct.pack(">I", len(payload)) + payload)
        stdout.flush()


class ChartError(RuntimeError):
    """vl-convert refused a chart spec."""


class ChartWorker:
    """One render's helper process: started by :meth:`prestart`, used by :func:`convert` while
    :meth:`active`, ended by :meth:`close` (the render that made it closes it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._owner = 0          # the process that started the helper: a forked render process starts its own
        self._broken = False

    def prestart(self) -> None:
        """Start the helper now (idempotent), so its warm-up overlaps the rest of the render."""
        with self._lock:
            if self._owner != os.getpid():
                self._proc, self._owner, self._broken = None, os.getpid(), False   # inherited through fork
            if self._proc is not None or self._broken:
                return
            if os.environ.get("LSCB_CHART_WORKER") == "0":    # convert in this process (for comparisons)
                self._broken = True
                return
            try:
                self._proc = subprocess.Popen([sys.executable, "-m", "plugins.charts.worker"],
                                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                              stderr=subprocess.DEVNULL)
            except OSError:
                self._broken = True

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def close(self) -> None:
        with self._lock:
            if self._proc is not None and self._owner == os.getpid():
                try:
                    self._proc.stdin.close()
                    self._proc.wait(timeout=5)
                except Exception:
                    self._proc.kill()
                    self._proc.wait()
            self._proc = None

    @contextmanager
    def active(self) -> Iterator[ChartWorker]:
        """Charts made inside the block are converted by this helper."""
        token = _active.set(self)
        try:
            yield self
        finally:
            _active.reset(token)

    def convert(self, kind: str, spec: str) -> bytes:
        """A chart's SVG (UTF-8 bytes) or PNG, from the helper when it runs, else in this process."""
        self.prestart()
        with self._lock:
            if self._proc is not None and not self._broken:
                try:
                    body = spec.encode("utf-8")
                    self._proc.stdin.write(kind.encode() + struct.pack(">I", len(body)) + body)
                    self._proc.stdin.flush()
                    status = _read(self._proc.stdout, 1)
                    (size,) = struct.unpack(">I", _read(self._proc.stdout, 4))
                    payload = _read(self._proc.stdout, size)
                except (OSError, EOFError, struct.error):
                    self._broken = True          # the helper died: convert here from now on
                else:
                    if status == b"-":
                        raise ChartError(payload.decode("utf-8", "replace"))
                    return payload
        return convert_here(kind, spec)


#: the helper of the render running in this context (none: charts are converted in this process)
_active: ContextVar[ChartWorker | None] = ContextVar("lscb_chart_worker", default=None)


def convert(kind: str, spec: str) -> bytes:
    """A chart's SVG (UTF-8 bytes) or PNG: by the active render's helper, else in this process."""
    worker = _active.get()
    return worker.convert(kind, spec) if worker is not None else convert_here(kind, spec)


def convert_here(kind: str, spec: str) -> bytes:
    try:
        return _convert(kind.encode(), spec)
    except Exception as e:
        raise ChartError(f"{type(e).__name__}: {e}") from None


if __name__ == "__main__":
    serve()
