"""`lscb preview BOARD [--year Y] [--port N]`: the report served at http://127.0.0.1:PORT/, re-rendered
through the report and chapter caches whenever a notebook, a data file or a plugin is saved, and reloaded
in the open page by server-sent events. A data or chapter error replaces the page with the message
``lscb render`` prints, until the file is fixed. ``--engine quarto`` hands over to ``quarto preview``."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

from core import hookimpl
from core.board import Board
from core.errors import LscbError


@hookimpl
def lscb_register_commands(subparsers):
    p = subparsers.add_parser("preview", help="serve a report on 127.0.0.1 and reload it as you edit")
    p.add_argument("board")
    p.add_argument("--year")
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0: any free port; default 8000)")
    p.add_argument("--engine", choices=("builtin", "quarto"), default="builtin",
                   help="quarto: hand over to `quarto preview` of the year's book")
    p.add_argument("--open", action="store_true", help="open the page in the web browser")
    p.set_defaults(func=_cmd_preview)


def _year(board: Board, year: str | None) -> str:
    if year:
        return board.check_year(year)
    if len(board.years) == 1:
        return next(iter(board.years))
    raise LscbError(f"{board.id} has several report years; choose one with --year ({', '.join(board.years)})")


def _cmd_preview(args) -> int:
    board = Board.load(args.board)
    year = _year(board, args.year)
    if not 0 <= args.port <= 65535:
        raise LscbError(f"--port {args.port}: expected a port number from 0 to 65535 (0: any free port)")
    if args.engine == "quarto":
        return quarto_preview(board, year, args.port, args.open)
    return Preview(board, year).run(args.port, args.open)


def quarto_preview(board: Board, year: str, port: int, open_browser: bool) -> int:
    """``quarto preview`` of the year's book, with the Python running lscb as Quarto's Python."""
    quarto = shutil.which("quarto")
    if not quarto:
        raise LscbError("quarto is not on PATH: install Quarto (https://quarto.org) or preview with the "
                        "built-in renderer (lscb preview without --engine quarto)")
    book = board.book_dir(year)
    cmd = [quarto, "preview", str(book)]
    if book == board.root:            # one book for every year: the year is a parameter
        cmd += ["-P", f"year:{year}"]
    if port:
        cmd += ["--port", str(port)]
    if not open_browser:
        cmd.append("--no-browser")
    asked: list[int] = []             # the signals that asked us to stop: quarto's own exit code then is no failure
    children: list[subprocess.Popen] = []

    def stop(sig: int, _frame=None) -> None:
        asked.append(sig)
        for child in children:        # a terminal's Ctrl-C reaches quarto too; a signal sent to lscb alone does not
            child.send_signal(sig)
    signal.signal(signal.SIGTERM, stop)       # before quarto starts, so no signal finds the default handler
    signal.signal(signal.SIGINT, stop)
    children.append(subprocess.Popen(cmd, env={**os.environ, "QUARTO_PYTHON": sys.executable}))
    if asked:
        children[0].send_signal(asked[0])
    code = children[0].wait()
    return 0 if asked else code


class Preview:
    """Server, watcher and render thread for one board-year."""

    def __init__(self, board: Board, year: str):
        from .server import Current
        from .worker import RenderWorker
        self.board, self.year = board, year
        self.current = Current()
        self.worker = RenderWorker()
        self.stop = threading.Event()
        self._wanted = threading.Condition()
        self._queue: list = []             # edits not yet rendered (None: the first render)
        self._warned: list[str] = []
        self._thread = threading.Thread(target=self._render_loop, name="lscb-preview-render", daemon=True)

    def run(self, port: int, open_browser: bool = False) -> int:
        from watchfiles import watch

        from .server import start_server
        from .watch import EditFilter, classify, watched_paths
        try:
            server, http_thread = start_server(self.current, port)
        except OSError as e:
            raise LscbError(f"--port {port}: cannot listen on 127.0.0.1:{port} ({e.strerror or e}); "
                            "choose another port, or --port 0 for any free one") from None
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: self.stop.set())
        print(f"Previewing {self.board.id} {self.year} at {url} (Ctrl-C stops)", flush=True)
        self._thread.start()
        self._request(None)
        if open_browser:
            import webbrowser
            webbrowser.open(url)
        roots = watched_paths(self.board.root)
        try:
            for changes in watch(*roots, watch_filter=EditFilter(), stop_event=self.stop, step=40,
                                 raise_interrupt=False):
                self._request(classify(changes, roots))
        finally:
            self.stop.set()
            with self._wanted:
                self._wanted.notify_all()
            self.current.stop()           # event streams end, so shutdown does not wait on them
            server.shutdown()
            server.server_close()
            http_thread.join(timeout=5)
            self.worker.stop()
            self._thread.join(timeout=5)
        print("Preview stopped.", flush=True)
        return 0

    def _request(self, edit) -> None:
        with self._wanted:
            self._queue.append(edit)
            self._wanted.notify_all()

    def _render_loop(self) -> None:
        while True:
            with self._wanted:
                self._wanted.wait_for(lambda: self._queue or self.stop.is_set())
                if self.stop.is_set():
                    return
                edits, self._queue = self._queue, []
            real = [e for e in edits if e is not None]
            if real:
                files = sorted({f for e in real for f in e.files})
                print(f"changed: {', '.join(files)}", flush=True)
            if any(e.new_interpreter for e in real):
                self.worker.restart()
            started = time.perf_counter()
            result = self.worker.render(self.board.id, self.year, fresh=any(e.fresh_engine for e in real))
            if self.stop.is_set():
                return
            took = time.perf_counter() - started
            if result.error:
                self.current.publish(error=result.error)
                print(f"{result.error}\n  (the page shows this message until the file is fixed)", flush=True)
            else:
                changed = self.current.publish(files=result.files)
                notes = f", {len(result.warnings)} warning(s)" if result.warnings else ""
                print(f"rendered in {took:.2f} s{notes}{'' if changed else ' (page unchanged)'}", flush=True)
                if result.warnings != self._warned:       # listed as lscb render lists them, when they change
                    for note in result.warnings:
                        print(f"  warning {note}", flush=True)
                    self._warned = result.warnings
