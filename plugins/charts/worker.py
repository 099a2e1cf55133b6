"""Static charts converted in a helper process that starts while the report is still being read.

vl-convert spends about a second starting its JavaScript engine before the first chart, and holds the GIL
while it does, so a thread cannot hide it. A render therefore starts one helper process at the outset
(:func:`prestart`); by the time the first chapter asks for a chart, the helper has imported vl-convert and
warmed it up on the other core. Conversions are pure functions of the chart's Vega-Lite spec, so the
result is the same as converting in-process, which is what happens when the helper cannot run.

Protocol on the helper's stdin/stdout: a request is a kind (``b"svg"`` or ``b"png"``), a 4-byte length and
the spec as UTF-8 JSON; a reply is ``b"+"`` or ``b"-"`` (an error message follows), a 4-byte length and
the payload.
"""
from __future__ import annotations

import atexit
import os
import struct
import subprocess
import sys
import threading

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
    """The helper's loop (``python -m core.chart_worker``): warm up, then convert until stdin closes."""
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


_lock = threading.Lock()
_proc: subprocess.Popen | None = None
_owner = 0           # the process that started the helper: a forked render process starts its own
_broken = False


def prestart() -> None:
    """Start the helper now (idempotent), so its warm-up overlaps the rest of the render."""
    global _proc, _owner, _broken
    with _lock:
        if _owner != os.getpid():
            _proc, _owner, _broken = None, os.getpid(), False    # inherited through fork: not ours to use
        if _proc is not None or _broken:
            return
        if os.environ.get("LSCB_CHART_WORKER") == "0":    # convert in this process (for comparisons)
            _broken = True
            return
        try:
            _proc = subprocess.Popen([sys.executable, "-m", "core.chart_worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            _broken = True


def _stop() -> None:
    global _proc
    if _proc is not None and _owner == os.getpid():
        try:
            _proc.stdin.close()
            _proc.wait(timeout=5)
        except Exception:
            _proc.kill()
        _proc = None


atexit.register(_stop)


def convert(kind: str, spec: str) -> bytes:
    """A chart's SVG (UTF-8 bytes) or PNG, from the helper when it runs, else in this process."""
    global _broken
    prestart()
    with _lock:
        if _proc is not None and not _broken:
            try:
                body = spec.encode("utf-8")
                _proc.stdin.write(kind.encode() + struct.pack(">I", len(body)) + body)
                _proc.stdin.flush()
                status = _read(_proc.stdout, 1)
                (size,) = struct.unpack(">I", _read(_proc.stdout, 4))
                payload = _read(_proc.stdout, size)
            except (OSError, EOFError, struct.error):
                _broken = True          # the helper died: convert here from now on
            else:
                if status == b"-":
                    raise ChartError(payload.decode("utf-8", "replace"))
                return payload
    try:
        return _convert(kind.encode(), spec)
    except Exception as e:
        raise ChartError(f"{type(e).__name__}: {e}") from None


if __name__ == "__main__":
    serve()
