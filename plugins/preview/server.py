"""The preview's web server: the current page at ``/``, the report's other files beside it, and a stream
of server-sent events at ``/__lscb/events`` that tells open pages when the report changed. Loopback only."""
from __future__ import annotations

import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .page import EVENTS, error_page, waiting_page, with_reload

KEEPALIVE = 15.0          # seconds between comments on an idle event stream (proxies drop silent ones)


class Current:
    """The page being served and its generation; bumped (and waiters woken) whenever it changes."""

    def __init__(self) -> None:
        self.generation = 0
        self.files: dict[str, bytes | str] = {}
        self.error = ""
        self.stopping = False
        self._changed = threading.Condition()

    def publish(self, files: dict[str, bytes | str] | None = None, error: str = "") -> bool:
        """Serve a render's ``files``, or ``error`` in place of the page (the last good files are kept, so
        a fix that restores them still counts as a change). True when what readers see changed."""
        with self._changed:
            if error:
                if error == self.error:
                    return False
                self.error = error
            else:
                if files == self.files and not self.error and self.generation:
                    return False
                self.files, self.error = dict(files or {}), ""
            self.generation += 1
            self._changed.notify_all()
            return True

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the generation differs from ``seen``, the server stops, or ``timeout`` passes."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation != seen or self.stopping, timeout)
            return self.generation

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()

    def page(self) -> str:
        with self._changed:
            if self.error:
                return error_page(self.error, self.generation)
            index = self.files.get("index.html")
            if index is None:
                return waiting_page(self.generation)
            text = index.decode("utf-8") if isinstance(index, bytes) else index
            return with_reload(text, self.generation)

    def file(self, name: str) -> bytes | None:
        with self._changed:
            content = self.files.get(name)
        if content is None or name.startswith("."):
            return None
        return content.encode("utf-8") if isinstance(content, str) else content


def make_handler(current: Current):
    class Handler(BaseHTTPRequestHandler):
        server_version = "lscb-preview"
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):     # noqa: A002 - the base class's name
            pass                                  # quiet: the terminal shows renders, not requests

        def do_GET(self):  # noqa: N802 - http.server's name
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path == EVENTS:
                return self._events()
            if path in ("/", "/index.html"):
                return self._send(current.page().encode("utf-8"), "text/html; charset=utf-8")
            body = current.file(path.lstrip("/"))
            if body is None:
                return self._send(b"not found\n", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return self._send(body, kind)

        def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            seen = current.generation
            try:
                self.wfile.write(f"retry: 500\ndata: {seen}\n\n".encode())     # the page compares at once
                self.wfile.flush()
                while not current.stopping:
                    now = current.wait(seen, KEEPALIVE)
                    if current.stopping:
                        break
                    self.wfile.write(f"data: {now}\n\n".encode() if now != seen else b": idle\n\n")
                    self.wfile.flush()
                    seen = now
            except (BrokenPipeError, ConnectionResetError):
                pass                      # the page went away

    return Handler


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        import sys
        if isinstance(sys.exc_info()[1], ConnectionError):
            return                    # a browser closed a tab or dropped a request: nothing to report
        super().handle_error(request, client_address)


def start_server(current: Current, port: int) -> tuple[PreviewServer, threading.Thread]:
    """Bind 127.0.0.1:``port`` (0: a free port) and serve in a thread."""
    server = PreviewServer(("127.0.0.1", port), make_handler(current))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="lscb-preview-http", daemon=True)
    thread.start()
    return server, thread
