"""The command line: every command arrives through lscb_register_commands (the engine's own render, check,
plugins and list from plugins/commands.py), and every feature plugin can be left out."""
from __future__ import annotations

import shutil
import subprocess
import sys
import types

import pytest

from core import hookimpl
from core import plugins as plugin_registry
from core.cli import main
from tests.conftest import REPO, nonempty

ENGINE_COMMANDS = ("render", "check", "plugins", "list")
#: the shared section plugins: the report itself, not a feature that can be left out
SECTION_FAMILIES = ("plugins.content", "plugins.demographics", "plugins.governance", "plugins.priorities",
                    "plugins.partners", "plugins.learning")
#: what a report shows only with a feature plugin (checked absent when the plugin is left out)
FEATURE_MARKS = {"plugins.accessibility": 'id="accessibility-statement"'}


@pytest.fixture
def extra_builtin(monkeypatch):
    """Register a module as if it were one more built-in, for this test only."""
    def add(name: str, module: types.ModuleType) -> None:
        monkeypatch.setitem(sys.modules, name, module)
        monkeypatch.setattr(plugin_registry, "BUILTIN_PLUGINS", (*plugin_registry.BUILTIN_PLUGINS, name))
    return add


def test_help_lists_the_engine_commands_and_every_plugin_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for command in (*ENGINE_COMMANDS, "new-board", "new-section"):
        assert f"    {command}" in out, command


def test_lscb_register_commands_adds_a_working_subcommand(extra_builtin, capsys):
    module = types.ModuleType("lscb_test_hello")

    @hookimpl
    def lscb_register_commands(subparsers):
        p = subparsers.add_parser("hello", help="greet a board")
        p.add_argument("board")
        p.set_defaults(func=lambda args: print(f"hello {args.board}") or 3)

    module.lscb_register_commands = lscb_register_commands
    extra_builtin("lscb_test_hello", module)
    assert main(["hello", "coventry"]) == 3
    assert capsys.readouterr().out == "hello coventry\n"


@pytest.mark.parametrize("command, owner", [("new-board", "plugins.scaffold"), ("render", "plugins.commands")])
def test_a_command_added_twice_is_refused_naming_both_plugins(extra_builtin, capsys, command, owner):
    module = types.ModuleType("lscb_test_clash")

    @hookimpl
    def lscb_register_commands(subparsers):
        subparsers.add_parser(command)

    module.lscb_register_commands = lscb_register_commands
    extra_builtin("lscb_test_clash", module)
    assert main(["--help"]) == 1
    err = capsys.readouterr().err
    assert "lscb_test_clash" in err and f"{command!r}" in err and owner in err and "Traceback" not in err


def test_an_engine_command_imports_no_other_plugin():
    """A cached `lscb render` must not pay for importing every plugin (pandas, altair)."""
    code = ("import sys\nfrom core.cli import main\nassert main(['list']) == 0\n"
            "loaded = sorted(m for m in sys.modules if m.startswith('plugins.') or m in ('pandas', 'altair'))\n"
            "print('LOADED', loaded, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "coventry" in done.stdout
    assert "LOADED ['plugins.commands']" in done.stderr


def test_deleting_a_command_plugin_leaves_a_working_engine(monkeypatch, capsys):
    monkeypatch.setenv("LSCB_DISABLE_PLUGINS", "plugins.scaffold")
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "new-board" not in out and "    render" in out


def test_a_misspelt_plugin_to_leave_out_is_refused(monkeypatch, capsys):
    monkeypatch.setenv("LSCB_DISABLE_PLUGINS", "plugins.scafold")
    assert main(["--help"]) == 1
    err = capsys.readouterr().err
    assert "LSCB_DISABLE_PLUGINS" in err and "plugins.scafold" in err and "plugins.scaffold" in err


def _feature_plugins() -> list[str]:
    return nonempty([m for m in plugin_registry.BUILTIN_PLUGINS if m not in SECTION_FAMILIES], "feature plugins")


def test_every_feature_mark_belongs_to_a_feature_plugin():
    assert set(FEATURE_MARKS) <= set(_feature_plugins())


#: how to render when a plugin is left out: another renderer, or a format that is still there
RENDER_WITHOUT = {"plugins.render.builtin": ["--engine", "quarto"], "plugins.formats.html": ["--format", "docx"]}
REPORTS = (("coventry", "2013-14"), ("leicester", "2014-15"), ("warwickshire", "2013-14"),
           ("cheshire_west", "2014-15"), ("coventry", "2023-24"))


def _report_without(module: str) -> tuple[str, str]:
    """The first real report whose content files use none of the block types ``module`` registers (a report
    that uses one needs that plugin: leaving it out is then a data error naming the block type)."""
    import yaml

    from core.engine import Engine
    for board, year in REPORTS:
        engine = Engine.open(board)
        own = {name for name, owner in engine.block_types.owner.items() if owner == module}
        used = set()
        for path in (engine.board.root / "data" / year / "sections").glob("*.yml"):
            used |= {key for block in (yaml.safe_load(path.read_text()) or {}).get("blocks") or []
                     if isinstance(block, dict) for key in block}
        if not own & used:
            return board, year
    raise AssertionError(f"every real report uses a block type of {module}")


@pytest.mark.parametrize("module", _feature_plugins())
def test_a_real_report_renders_with_each_feature_plugin_left_out(module, tmp_path, monkeypatch):
    """LSCB_DISABLE_PLUGINS leaves one built-in out: the engine still renders a real report, minus that feature."""
    monkeypatch.delenv("LSCB_BOARDS", raising=False)
    board, year = _report_without(module)
    monkeypatch.setenv("LSCB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LSCB_DISABLE_PLUGINS", module)
    out = tmp_path / "out"
    extra = RENDER_WITHOUT.get(module, [])
    if "quarto" in extra and not shutil.which("quarto"):
        pytest.skip("quarto is not installed (not on PATH): the only renderer left")
    if module == "plugins.commands":       # no `lscb render` without it: the engine renders all the same
        from plugins.render.build import build_reports
        build_reports([(board, year)], out, ["html"], single=True)
    else:
        assert main(["render", board, "--year", year, "--out", str(out), *extra]) == 0
    if "docx" in extra:
        assert (out / "report.docx").stat().st_size > 10_000 and not (out / "index.html").exists()
        return
    page = (out / "index.html").read_text(encoding="utf-8")
    pages = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))     # a Quarto book: a page each
    assert board.split("_")[0].capitalize() in page and pages.count("<table") >= 3   # the report's own tables
    if module in FEATURE_MARKS:
        assert FEATURE_MARKS[module] not in page


def test_a_plugin_left_out_is_not_served_from_the_report_cache(boards, tmp_path, monkeypatch, capsys):
    boards.make()
    monkeypatch.setenv("LSCB_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "out"
    assert main(["render", "testshire", "--out", str(out)]) == 0
    assert FEATURE_MARKS["plugins.accessibility"] in (out / "index.html").read_text(encoding="utf-8")
    monkeypatch.setenv("LSCB_DISABLE_PLUGINS", "plugins.accessibility")
    capsys.readouterr()
    assert main(["render", "testshire", "--out", str(out)]) == 0
    assert "taken from the report cache" not in capsys.readouterr().err
    assert FEATURE_MARKS["plugins.accessibility"] not in (out / "index.html").read_text(encoding="utf-8")


def test_a_render_from_the_report_cache_imports_no_plugin_and_no_pandas(boards, tmp_path):
    """The fast path: `lscb render` with nothing changed is answered from the report cache by the command
    plugin, the render orchestration and its report cache alone, without pandas, altair, asyncio, the engine
    or the other plugins (bench/bench.py measures its time)."""
    boards.make()
    env = {**__import__("os").environ, "LSCB_CACHE": str(tmp_path / "cache"), "LSCB_BOARDS": str(boards.root)}
    render = [sys.executable, "-c", "import sys\nfrom core.cli import main\ncode = main(sys.argv[1:])\n"
              "print('LOADED', sorted(m for m in sys.modules if m.startswith('plugins.') or m in "
              "('pandas', 'altair', 'core.engine', 'asyncio')), file=sys.stderr)\nsys.exit(code)",
              "render", "testshire", "--out", str(tmp_path / "out")]
    first = subprocess.run(render, capture_output=True, text=True, timeout=300, cwd=REPO, env=env)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(render, capture_output=True, text=True, timeout=300, cwd=REPO, env=env)
    assert again.returncode == 0, again.stderr
    assert "unchanged, taken from the report cache" in again.stderr
    assert ("LOADED ['plugins.commands', 'plugins.render', 'plugins.render.build', "
            "'plugins.render.report_cache']") in again.stderr, \
        again.stderr.splitlines()[-1]


def test_lscb_plugins_names_the_plugins_left_out(monkeypatch, capsys):
    monkeypatch.setenv("LSCB_DISABLE_PLUGINS", "plugins.formats.pdf")
    assert main(["plugins", "coventry"]) == 0
    out = capsys.readouterr().out
    assert "left out (LSCB_DISABLE_PLUGINS): plugins.formats.pdf" in out
    lines = out.splitlines()
    assert "plugins.formats.pdf" not in lines and "plugins.formats.docx" in lines
