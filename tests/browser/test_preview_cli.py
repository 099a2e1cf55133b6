"""`lscb preview` without a browser: the page served is the page `lscb render` writes plus the reload script
only; an edit announces itself on the event stream; SIGTERM stops it with exit 0; the command's user errors
are one line."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request

from preview_process import REPO, PreviewProcess, replace_in

from plugins.preview.page import EVENTS, reload_script


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8")


def lscb(*args: str, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


def test_served_page_is_the_render_plus_reload_and_edits_are_announced(boards, tmp_path):
    boards.make()                 # testshire 2014-15: a budget table and one key figure
    preview = PreviewProcess(tmp_path, "testshire", copy=False)
    try:
        url = preview.start()
        preview.wait_for(r"^rendered in")
        served = fetch(url)
        out = tmp_path / "out"
        done = lscb("render", "testshire", "--out", str(out), cwd=tmp_path,
                    env={**os.environ, "LSCB_BOARDS": str(boards.root), "LSCB_CACHE": str(tmp_path / "cache")})
        assert done.returncode == 0, done.stderr
        written = (out / "index.html").read_text(encoding="utf-8")
        generation = re.search(r'const served = "(\d+)"', served).group(1)
        assert served.count("<script") == 1
        assert served.replace(reload_script(int(generation)), "") == written

        with urllib.request.urlopen(url.rstrip("/") + EVENTS, timeout=60) as events:
            assert events.headers["Content-Type"] == "text/event-stream"
            first = _next_data(events)
            replace_in(boards.root / "testshire" / "data" / "2014-15" / "budget.csv", "Police,500", "Police,600")
            assert _next_data(events) == str(int(first) + 1)       # the open page is told at once
        page = fetch(url)
        assert ">600<" in page and ">500<" not in page
        assert fetch(url + "index.html") == page
        assert preview.stop(signal.SIGTERM) == 0
        assert preview.lines[-1] == "Preview stopped."
        assert "changed: testshire/data/2014-15/budget.csv" in preview.lines      # no temporary file named
    finally:
        preview.stop(signal.SIGKILL)


def _next_data(stream) -> str:
    for raw in stream:            # the socket's timeout bounds each read
        line = raw.decode("utf-8").strip()
        if line.startswith("data:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("the event stream ended")


def test_quarto_engine_without_quarto_is_one_line(tmp_path):
    env = {**os.environ, "PATH": os.pathsep.join(p for p in ("/usr/bin", "/bin") if os.path.isdir(p)),
           "LSCB_BOARDS": str(REPO / "boards")}
    done = lscb("preview", "coventry", "--year", "2013-14", "--engine", "quarto", env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "lscb: quarto is not on PATH: install Quarto (https://quarto.org) or preview with the built-in "
        "renderer (lscb preview without --engine quarto)"]


def test_port_in_use_is_one_line(boards, tmp_path):
    boards.make()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = lscb("preview", "testshire", "--port", str(port), cwd=tmp_path,
                    env={**os.environ, "LSCB_BOARDS": str(boards.root)})
    assert done.returncode == 1
    assert done.stderr.startswith(f"lscb: --port {port}: cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in done.stderr


def test_several_years_need_one(tmp_path):
    done = lscb("preview", "coventry", cwd=tmp_path, env={**os.environ, "LSCB_BOARDS": str(REPO / "boards")})
    assert done.returncode == 1
    assert "coventry has several report years; choose one with --year (2013-14, 2023-24)" in done.stderr


PLUGIN = '''
from core import hookimpl
from plugins.blocks import Markdown


@hookimpl
def lscb_learning(ctx):
    if ctx.name != "training":
        return None
    return ctx.content_blocks() + [Markdown("The plugin says {word}.")]
'''


def test_a_plugin_edit_is_rendered_with_the_new_code(boards, tmp_path):
    boards.make(plugins={"note.py": PLUGIN.format(word="one")})
    preview = PreviewProcess(tmp_path, "testshire", copy=False)
    try:
        url = preview.start()
        preview.wait_for(r"^rendered in")
        assert "The plugin says one." in fetch(url)
        plugin = boards.root / "testshire" / "plugins" / "note.py"
        replace_in(plugin, "says one", "says two")
        preview.wait_for(r"changed: testshire/plugins/note\.py")
        preview.wait_for(r"^rendered in")
        page = fetch(url)
        assert "The plugin says two." in page and "says one" not in page, preview.output + page[-3000:]
    finally:
        assert preview.stop() == 0


def test_quarto_engine_hands_over_to_quarto_preview(tmp_path):
    """A stand-in `quarto` on PATH records how it was started: the year's book, the port, no browser
    unless asked, and lscb's own Python as QUARTO_PYTHON."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "quarto-args"
    fake = bin_dir / "quarto"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {record}\necho "$QUARTO_PYTHON" >> {record}\n')
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin",
           "LSCB_BOARDS": str(REPO / "boards")}
    done = lscb("preview", "coventry", "--year", "2013-14", "--engine", "quarto", "--port", "4321",
                env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert record.read_text().splitlines() == [
        "preview", str(REPO / "boards" / "coventry" / "2013-14"), "--port", "4321", "--no-browser", sys.executable]


def test_quarto_handover_stops_quarto_on_a_signal_to_lscb_alone(tmp_path):
    """Ctrl-C in a terminal reaches quarto too; a SIGINT sent to lscb's process alone is passed on, and the
    stop is a clean exit (0) whatever quarto's own exit code."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "quarto"
    fake.write_text("#!/bin/sh\nsleep 600 &\ntrap 'kill $!; exit 1' INT TERM\necho ready\nwait $!\n")
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin",
           "LSCB_BOARDS": str(REPO / "boards")}
    proc = subprocess.Popen([sys.executable, "-m", "core.cli", "preview", "coventry", "--year", "2013-14",
                             "--engine", "quarto"], env=env, cwd=tmp_path, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"          # blocks until the stand-in runs
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
