"""The command line: the engine's own commands, and those plugins add through lscb_register_commands."""
from __future__ import annotations

import sys
import types

import pytest

from core import hookimpl
from core import plugins as plugin_registry
from core.cli import CORE_COMMANDS, main


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
    for command in (*CORE_COMMANDS, "new-board", "new-section"):
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


def test_a_command_added_twice_is_refused_naming_both_plugins(extra_builtin, capsys):
    module = types.ModuleType("lscb_test_clash")

    @hookimpl
    def lscb_register_commands(subparsers):
        subparsers.add_parser("new-board")

    module.lscb_register_commands = lscb_register_commands
    extra_builtin("lscb_test_clash", module)
    assert main(["new-board", "x", "--area", "X"]) == 1
    err = capsys.readouterr().err
    assert "lscb_test_clash" in err and "'new-board'" in err and "plugins.scaffold" in err


def test_an_engine_command_cannot_be_taken_by_a_plugin(extra_builtin, capsys):
    module = types.ModuleType("lscb_test_render")

    @hookimpl
    def lscb_register_commands(subparsers):
        subparsers.add_parser("render")

    module.lscb_register_commands = lscb_register_commands
    extra_builtin("lscb_test_render", module)
    assert main(["--help"]) == 1
    assert "already added by the engine" in capsys.readouterr().err


def test_engine_commands_do_not_import_plugin_commands(monkeypatch, capsys):
    """A cached `lscb render` must not pay for importing every plugin (pandas, altair)."""
    def boom():
        raise AssertionError("plugin commands loaded for an engine command")
    monkeypatch.setattr(plugin_registry, "build_command_manager", boom)
    assert main(["list"]) == 0
    assert "coventry" in capsys.readouterr().out


def test_deleting_a_command_plugin_leaves_a_working_engine(monkeypatch, capsys):
    monkeypatch.setattr(plugin_registry, "BUILTIN_PLUGINS",
                        tuple(m for m in plugin_registry.BUILTIN_PLUGINS if m != "plugins.scaffold"))
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "new-board" not in out and "    render" in out


@pytest.mark.parametrize("module", ["plugins.scaffold", "plugins.draft", "plugins.new_year", "plugins.workbook",
                                    "plugins.trend", "plugins.impact"])
def test_the_engine_renders_and_checks_without_each_capability_plugin(boards, tmp_path, monkeypatch, module):
    """Capabilities are built-in plugins: deleting one leaves a working engine."""
    monkeypatch.setattr(plugin_registry, "BUILTIN_PLUGINS",
                        tuple(m for m in plugin_registry.BUILTIN_PLUGINS if m != module))
    boards.make()
    assert main(["render", "testshire", "--out", str(tmp_path / "o")]) == 0
    assert main(["check", "testshire"]) in (0, 2)
