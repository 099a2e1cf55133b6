"""Renderers and output formats come from plugins (``lscb_register_renderers``,
``lscb_register_output_formats``): a format plugin left out leaves a render that writes the others, a
renderer a plugin adds can be chosen, the Quarto engine honours --out, --jobs and --no-cache, and the report
cache key covers plugin modules that live outside the repository."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import LscbError
from plugins.render.build import MARKER, build_reports

from .conftest import lscb

YEAR = "2013-14"
REPO = Path(__file__).resolve().parent.parent


def test_the_built_in_formats_come_from_their_plugins(mini):
    out = mini.parent.parent / "out"
    build_reports([("mini", YEAR)], out, ["html", "pdf", "docx"], single=True)
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (out / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert (out / "report.docx").read_bytes()[:2] == b"PK"


def test_without_the_pdf_plugin_a_render_writes_html_and_word_and_refuses_pdf(mini, monkeypatch):
    from core import plugins
    assert "plugins.formats.pdf" in plugins.BUILTIN_PLUGINS
    monkeypatch.setattr(plugins, "BUILTIN_PLUGINS",
                        tuple(p for p in plugins.BUILTIN_PLUGINS if p != "plugins.formats.pdf"))
    out = mini.parent.parent / "out"
    build_reports([("mini", YEAR)], out, ["html", "docx"], single=True)
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html", "report.docx"]
    with pytest.raises(LscbError) as refused:
        build_reports([("mini", YEAR)], mini.parent.parent / "out2", ["pdf"], single=True)
    assert str(refused.value) == "--format: unknown format(s) pdf; choose from docx, html"
    assert not (mini.parent.parent / "out2").exists()


TEXT_RENDERER = '''
from core import hookimpl
from plugins.render.build import Report


class Titles:
    closed = []

    def render(self, engine, year, *, use_cache, formats):
        title = engine.board.year_info(year)["title"]
        return Report(engine.board, year, title, files={"title.txt": title + "\\n"}, cache=(0, 1))

    def close(self):
        Titles.closed.append(True)


@hookimpl
def lscb_register_renderers(register):
    register("titles", Titles, help="the title only", writes=("txt",))


@hookimpl
def lscb_register_output_formats(register):
    register("shout", "SHOUT.html", lambda report: report.html.upper())
'''


def test_a_renderer_and_a_format_a_plugin_registers_can_be_chosen(mini, capsys):
    (mini / "plugins").mkdir()
    (mini / "plugins" / "titles.py").write_text(TEXT_RENDERER, encoding="utf-8")
    out = mini.parent.parent / "out"
    code, stdout, err = lscb(["render", "mini", "--year", YEAR, "--engine", "titles", "--format", "txt",
                              "--out", str(out)], capsys)
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "title.txt"]
    assert (out / "title.txt").read_text(encoding="utf-8") == "Annual Report 2013/2014\n"
    assert sys.modules["lscb_board_mini.titles"].Titles.closed == [True]      # the build closed its renderer

    code, _, err = lscb(["render", "mini", "--year", YEAR, "--format", "html,shout", "--out", str(out)], capsys)
    assert code == 0, err
    page = (out / "index.html").read_text(encoding="utf-8")
    assert (out / "SHOUT.html").read_text(encoding="utf-8") == page.upper()

    code, _, err = lscb(["render", "mini", "--year", YEAR, "--engine", "nope", "--out", str(out)], capsys)
    assert code == 1
    assert err == "lscb: --engine: unknown engine(s) nope; choose from builtin, quarto, titles\n"


# --- the Quarto engine through the same build: --out, --jobs, --no-cache ---------------------------------

@pytest.fixture
def fake_quarto(monkeypatch):
    """Quarto replaced by a stand-in that writes the files Quarto would, and records each call."""
    import plugins.render.quarto as plugin
    from plugins.render.quarto import render as quarto
    calls: list[list[str]] = []

    def run(book, args, shown=None):
        calls.append([str(book), *args])
        dest = Path(args[args.index("--output-dir") + 1])
        dest.mkdir(parents=True, exist_ok=True)
        (dest / "index.html").write_text(f"<p>{book.parent.name} {book.name} by quarto</p><!-- {os.getpid()} -->",
                                         encoding="utf-8")
        (dest / "report.docx").write_bytes(b"PK docx")
        (dest / "report.pdf").write_bytes(b"%PDF-")
    monkeypatch.setattr(quarto, "run_quarto", run)
    monkeypatch.setattr(plugin, "quarto_binary", lambda: "/usr/bin/quarto")
    return calls


def _with_extension(board: Path) -> None:
    ext = board / YEAR / "_extensions" / "lscb"
    ext.mkdir(parents=True)
    (ext / "_extension.yml").write_text("title: lscb\n", encoding="utf-8")


def test_the_quarto_engine_writes_into_out_and_no_cache_runs_quarto_again(mini, fake_quarto, capsys):
    _with_extension(mini)
    out = mini.parent.parent / "elsewhere" / "report"
    argv = ["render", "mini", "--year", YEAR, "--engine", "quarto", "--format", "html,docx", "--out", str(out)]
    code, stdout, err = lscb(argv, capsys)
    assert code == 0, err
    assert stdout.strip() == str(out)
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html", "report.docx"]
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<p>mini 2013-14 by quarto</p>")
    assert len(fake_quarto) == 1 and "--cache-refresh" not in fake_quarto[0]

    code, _, err = lscb(argv, capsys)                       # nothing changed: the report cache answers
    assert code == 0 and "mini 2013-14: unchanged, taken from the report cache" in err
    assert len(fake_quarto) == 1

    code, _, err = lscb([*argv, "--no-cache"], capsys)      # --no-cache: Quarto runs, every chapter afresh
    assert code == 0, err
    assert len(fake_quarto) == 2 and "--cache-refresh" in fake_quarto[1]
    assert "unchanged" not in err


def test_the_quarto_engine_renders_in_parallel_with_jobs(mini, fake_quarto, capsys):
    import shutil
    _with_extension(mini)
    shutil.copytree(mini, mini.parent / "mini2")
    for qmd in (mini.parent / "mini2" / YEAR).glob("*.qmd"):
        qmd.write_text(qmd.read_text(encoding="utf-8").replace('"mini"', '"mini2"'), encoding="utf-8")
    out = mini.parent.parent / "out"
    code, _, err = lscb(["render", "--all", "--engine", "quarto", "--jobs", "2", "--no-cache", "--out", str(out)],
                        capsys)
    assert code == 0, err
    pids = set()
    for board in ("mini", "mini2"):
        page = (out / board / YEAR / "index.html").read_text(encoding="utf-8")
        assert page.startswith(f"<p>{board} 2013-14 by quarto</p>")
        pids.add(int(page.split("<!-- ")[1].split(" ")[0]))
    assert os.getpid() not in pids          # rendered by the --jobs worker processes, not this one


# --- the report cache key: plugin modules outside the repository ---------------------------------------

EXTERNAL = '''
from core import hookimpl
from plugins.blocks import Markdown


@hookimpl
def lscb_report_page(engine, year, report):
    report.html = report.html.replace("<main", "<p id='external'>{text}</p><main", 1)


@hookimpl
def lscb_governance(ctx):
    if ctx.section == "governance.extra":
        return [Markdown("A section from outside the repository: {text}.")]
'''


def _render(env: dict, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli", "render", "mini", "--year", YEAR, "--out", str(out)],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=300)


def test_editing_a_board_yml_plugin_outside_the_repository_misses_the_report_cache(mini, tmp_path):
    ext = tmp_path / "elsewhere" / "lscb_r1_external"
    ext.mkdir(parents=True)
    (ext / "__init__.py").write_text("from .page import lscb_governance, lscb_report_page  # noqa: F401\n",
                                     encoding="utf-8")
    chapter = mini / YEAR / "02-governance.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + '\n```{python}\nboard.section("governance.extra")\n```\n',
                       encoding="utf-8")
    (ext / "page.py").write_text(EXTERNAL.format(text="first wording"), encoding="utf-8")
    board_yml = mini / "board.yml"
    board_yml.write_text(board_yml.read_text(encoding="utf-8") + "plugins: [lscb_r1_external]\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ext.parent), str(REPO)]), "LSCB_QUIET": "1"}
    out = tmp_path / "out"

    first = _render(env, out)
    assert first.returncode == 0, first.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<p id='external'>first wording</p>" in page
    assert "A section from outside the repository: first wording." in page
    again = _render(env, out)
    assert "unchanged, taken from the report cache" in again.stderr

    # a sibling module of the package, not the module board.yml names: the whole package is in the key
    (ext / "page.py").write_text(EXTERNAL.format(text="second wording"), encoding="utf-8")
    edited = _render(env, out)
    assert edited.returncode == 0, edited.stderr
    assert "unchanged" not in edited.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<p id='external'>second wording</p>" in page
    # the chapter that shows the plugin's section ran again (the chapter cache key covers the package too)
    assert "A section from outside the repository: second wording." in page
    assert "first wording" not in page


def test_tracing_plugins_skips_the_caches_and_says_so(mini, monkeypatch, capsys):
    out = mini.parent.parent / "out"
    build_reports([("mini", YEAR)], out, ["html"], single=True)
    monkeypatch.setenv("LSCB_TRACE_PLUGINS", "1")
    stats = build_reports([("mini", YEAR)], out, ["html"], single=True)
    err = capsys.readouterr().err
    assert err.count("LSCB_TRACE_PLUGINS: the report and chapter caches are skipped") == 1
    hits, runs = stats[f"mini {YEAR}"]
    assert hits == 0 and runs > 0           # every chapter executed again, none from a cache


BROKEN_FORMAT = '''
from core import hookimpl


def write(report):
    raise ValueError("no odt writer yet")


@hookimpl
def lscb_register_output_formats(register):
    register("odt", "report.odt", write)
'''


def test_a_format_plugin_that_raises_is_named_in_one_line_and_nothing_is_written(mini, capsys):
    (mini / "plugins").mkdir()
    (mini / "plugins" / "odt.py").write_text(BROKEN_FORMAT, encoding="utf-8")
    out = mini.parent.parent / "out"
    code, _, err = lscb(["render", "mini", "--year", YEAR, "--format", "html,odt", "--out", str(out)], capsys)
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("lscb: plugin board:mini/odt (")
    assert "odt.py:6) raised ValueError: no odt writer yet in output format 'odt'" in err
    assert not out.exists()


def test_the_report_key_covers_an_installed_plugin_package_wherever_it_lives(mini, tmp_path, monkeypatch):
    """An entry-point plugin's whole package is in the key, found without importing it."""
    import types

    from core.board import Board
    from plugins.render import report_cache
    package = tmp_path / "site" / "lscb_r1_installed"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("from .sections import *  # noqa: F403\n", encoding="utf-8")
    (package / "sections.py").write_text("WORDING = 'first'\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(package.parent))
    monkeypatch.setattr(report_cache, "entry_points",
                        lambda group: [types.SimpleNamespace(value="lscb_r1_installed.plugin:register")])
    board = Board.load("mini")
    before = report_cache.report_key(board, YEAR, ["html"])
    assert report_cache.report_key(board, YEAR, ["html"]) == before
    (package / "sections.py").write_text("WORDING = 'second'\n", encoding="utf-8")
    assert report_cache.report_key(board, YEAR, ["html"]) != before
    assert "lscb_r1_installed" not in sys.modules          # hashed, not imported


def test_a_plugin_left_out_is_not_answered_from_the_report_cache(mini, monkeypatch):
    out = mini.parent.parent / "out"
    build_reports([("mini", YEAR)], out, ["html"], single=True)
    assert 'id="accessibility-statement"' in (out / "index.html").read_text(encoding="utf-8")
    monkeypatch.setenv("LSCB_DISABLE_PLUGINS", "plugins.accessibility")
    stats = build_reports([("mini", YEAR)], out, ["html"], single=True)
    assert stats[f"mini {YEAR}"][0] >= 0                   # rendered, not taken from the report cache
    assert "accessibility-statement" not in (out / "index.html").read_text(encoding="utf-8")


SESSION_RENDERER = '''
import os

from core import hookimpl
from plugins.render.build import Report


class Stamp:
    """Writes which process and which renderer instance rendered the report."""

    def render(self, engine, year, *, use_cache, formats):
        stamp = f"{os.getpid()} {id(self)}"
        return Report(engine.board, year, "t", "", {}, files={"stamp.txt": stamp})


@hookimpl
def lscb_register_renderers(register):
    register("stamp", Stamp, writes=("txt",))
'''


def test_a_jobs_worker_keeps_one_renderer_for_every_board_it_renders(mini, capsys):
    """--jobs N: each worker process makes its renderer (and what it starts, e.g. the chart helper) once, not
    once per board, as one process does."""
    import shutil
    for n in (2, 3, 4, 5):
        shutil.copytree(mini, mini.parent / f"mini{n}")
        for qmd in (mini.parent / f"mini{n}" / YEAR).glob("*.qmd"):
            qmd.write_text(qmd.read_text(encoding="utf-8").replace('"mini"', f'"mini{n}"'), encoding="utf-8")
    for board in mini.parent.iterdir():
        (board / "plugins").mkdir(exist_ok=True)
        (board / "plugins" / "stamp.py").write_text(SESSION_RENDERER, encoding="utf-8")
    out = mini.parent.parent / "out"
    code, _, err = lscb(["render", "--all", "--engine", "stamp", "--format", "txt", "--jobs", "2", "--no-cache",
                         "--out", str(out)], capsys)
    assert code == 0, err
    stamps = {(out / b / YEAR / "stamp.txt").read_text() for b in ("mini", "mini2", "mini3", "mini4", "mini5")}
    pids = {s.split()[0] for s in stamps}
    assert len(stamps) == len(pids) <= 2, stamps     # one renderer per worker process, whatever it rendered
    assert str(os.getpid()) not in pids
