"""`lscb preview` as a separate process on a copy of a board, for the preview tests and the bench: its
output read line by line in a thread, every wait bounded by a deadline (no fixed sleeps)."""
from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


class PreviewProcess:
    def __init__(self, work: Path, board: str, *args: str, copy: bool = True):
        self.work = work
        self.boards = work / "boards"
        if copy:
            shutil.copytree(REPO / "boards" / board, self.boards / board)
        env = {**os.environ, "LSCB_BOARDS": str(self.boards), "LSCB_CACHE": str(work / "cache"),
               "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "core.cli", "preview", board, "--port", "0", *args],
                                     cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        self.lines: list[str] = []
        self._new: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = ""

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self._new.put(line.rstrip("\n"))
        self._new.put(None)

    def wait_for(self, pattern: str, timeout: float = 90) -> re.Match:
        """The first line from now on matching ``pattern``; fails with the output so far at the deadline."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self._new.get(timeout=max(left, 0.01))
            except queue.Empty:
                line = ""
            if line is None:
                raise AssertionError(f"lscb preview exited ({self.proc.wait()}) before {pattern!r}:\n" + self.output)
            m = re.search(pattern, line) if line else None
            if m:
                return m
            if time.monotonic() >= deadline:
                raise AssertionError(f"no line matching {pattern!r} within {timeout} s:\n" + self.output)

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def start(self, timeout: float = 120) -> str:
        self.url = self.wait_for(r"at (http://127\.0\.0\.1:\d+/)", timeout).group(1)
        return self.url

    def stop(self, sig: int = signal.SIGINT, timeout: float = 20) -> int:
        """Send ``sig`` (Ctrl-C by default) and wait for the exit code; killed if it does not stop in time."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError(f"lscb preview did not stop within {timeout} s of signal {sig}:\n"
                                     + self.output) from None
        return self.proc.returncode


def replace_in(path: Path, old: str, new: str) -> None:
    """Save a changed copy of a data file as an editor does (write, then rename into place)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(tmp, path)
