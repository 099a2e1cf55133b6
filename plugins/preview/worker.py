"""The preview's renders run in a child process: it keeps pandas, altair and the engines warm between
edits, and is replaced when Python code changes (a plugin or the engine), since a module once imported
cannot be trusted to reload cleanly."""
from __future__ import annotations

import multiprocessing
import signal
import traceback
from dataclasses import dataclass, field


@dataclass
class Rendered:
    """One render's outcome: the report's files, or the message ``lscb render`` would print."""
    files: dict[str, bytes | str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str = ""


_session = None       # the build session kept between renders: engines and the chart helper stay warm


def _close() -> None:
    global _session
    if _session is not None:
        _session.close()
        _session = None


def _render(board_id: str, year: str, fresh: bool) -> Rendered:
    # the render path of `lscb render`, with its caches: only chapters whose inputs changed run again
    global _session
    from core.errors import LscbError
    from plugins.render import build
    if fresh:
        _close()                        # board.yml changed: plugins and options are read afresh
    if _session is None:
        _session = build.Session()
    try:
        files, _, warnings = build.render_target(board_id, year, ["html"], use_cache=True, session=_session)
    except LscbError as e:
        _close()                        # a failed render may leave an engine half-loaded
        return Rendered(error=f"lscb: {e}")
    except Exception as e:  # noqa: BLE001 - a bug shows on the page and in the terminal, the server lives on
        _close()
        traceback.print_exc()
        return Rendered(error=f"lscb: unexpected {type(e).__name__}: {e} (the terminal shows the traceback)")
    return Rendered(dict(files), list(warnings))


def _serve(conn) -> None:
    """Worker loop: (board, year, fresh) in, Rendered out, until None or the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C reaches the whole process group: the server stops us
    try:
        while True:
            try:
                request = conn.recv()
            except EOFError:
                return
            if request is None:
                return
            conn.send(_render(*request))
    finally:
        _close()


class RenderWorker:
    """A child process that renders on request; ``restart()`` replaces it with a fresh interpreter."""

    def __init__(self) -> None:
        self._ctx = multiprocessing.get_context("spawn")   # never fork a process that runs server threads
        self._proc = None
        self._conn = None

    def _start(self) -> None:
        ours, theirs = self._ctx.Pipe()
        self._proc = self._ctx.Process(target=_serve, args=(theirs,), name="lscb-preview-render", daemon=True)
        self._proc.start()
        theirs.close()
        self._conn = ours

    def render(self, board_id: str, year: str, fresh: bool = False) -> Rendered:
        if self._proc is None or not self._proc.is_alive():
            self._start()
        try:
            self._conn.send((board_id, year, fresh))
            return self._conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = self._proc.exitcode if self._proc else None
            self.stop()
            return Rendered(error=f"lscb: the render process ended unexpectedly (exit code {code}); "
                                  "save a file to try again")

    def restart(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self._proc is None:
            return
        try:
            self._conn.send(None)
        except (OSError, BrokenPipeError):
            pass
        self._proc.join(timeout=5)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(timeout=5)
        self._conn.close()
        self._proc = self._conn = None

