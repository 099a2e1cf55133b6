"""docs/hooks.md cannot rot: every hook has an example there, and each example runs as a plugin of a copy of
the Coventry board and does what the page says."""
from __future__ import annotations

import inspect
import re
import shutil
import sys
import types
from pathlib import Path

import pytest

from core import hookspecs
from tests.conftest import REPO

DOCS = REPO / "docs" / "hooks.md"
YEAR = "2013-14"
HOOKS = [n for n, f in vars(hookspecs).items() if n.startswith("lscb_") and inspect.isfunction(f)]


def _examples() -> tuple[str, dict[str, str]]:
    """The page's shared imports, and each hook's example code (the Python blocks of its section)."""
    text = DOCS.read_text(encoding="utf-8")
    first, *sections = re.split(r"^## ", text, flags=re.M)
    code = lambda part: "\n".join(re.findall(r"```python\n(.*?)```", part, re.S))  # noqa: E731
    out: dict[str, str] = {}
    for section in sections:
        heading = section.split("\n", 1)[0]
        for name in re.findall(r"`(lscb_\w+)\(", heading):
            out[name] = code(section)
    return code(first), out


@pytest.fixture
def coventry(tmp_path, monkeypatch):
    """A copy of the Coventry board (report year 2013-14) in its own boards folder."""
    root = tmp_path / "boards"
    shutil.copytree(REPO / "boards" / "coventry", root / "coventry",
                    ignore=shutil.ignore_patterns("__pycache__", "_book", ".quarto"))
    monkeypatch.setenv("LSCB_BOARDS", str(root))
    monkeypatch.setenv("LSCB_CACHE", str(tmp_path / "cache"))
    return root / "coventry"


def _engine_with(board: Path, hook: str):
    """The example for ``hook`` written into the board copy's plugins/ and loaded as one of its plugins."""
    from core.engine import Engine
    imports, examples = _examples()
    (board / "plugins" / "doc_example.py").write_text(imports + "\n" + examples[hook], encoding="utf-8")
    engine = Engine.open("coventry")
    assert "board:coventry/doc_example" in {p.name for p in engine.plugins}
    return engine


def _section(hook: str, section: str, expected: str):
    def run(board: Path) -> None:
        out = _engine_with(board, hook).section(YEAR, section)
        assert out.plugin == "board:coventry/doc_example", out.plugin
        assert expected in out.html()
    return run


def _registered(engine, hook: str) -> list:
    found: list = []
    getattr(engine.pm.hook, hook)(register=lambda *args, **kwargs: found.append((args, kwargs)))
    return found


def _block_types(board: Path) -> None:
    from core.engine import SectionContext
    engine = _engine_with(board, "lscb_register_block_types")
    assert engine.block_types.owner["callout"] == "board:coventry/doc_example"
    ctx = SectionContext(engine, engine.board, YEAR, engine.data(YEAR), "governance.budget")
    assert "<strong>Read this first</strong>" in ctx.blocks([{"callout": "Read this first"}])[0].html()


def _section_types(board: Path) -> None:
    engine = _engine_with(board, "lscb_register_section_types")
    assert engine.section_types["case-review-count"].plugin == "board:coventry/doc_example"
    assert "case reviews reported" in engine.section(YEAR, "case-review-count").html()


def _requirements(board: Path) -> None:
    from plugins.requirements import requirements
    engine = _engine_with(board, "lscb_register_requirements")
    assert requirements(engine)["WT26-01"].plugin == "board:coventry/doc_example"


def _commands(board: Path) -> None:
    from core import plugins
    from core.cli import main
    imports, examples = _examples()
    module = types.ModuleType("lscb_doc_hello")
    exec(compile(imports + "\n" + examples["lscb_register_commands"], str(DOCS), "exec"), module.__dict__)
    sys.modules["lscb_doc_hello"] = module
    saved = plugins.BUILTIN_PLUGINS
    plugins.BUILTIN_PLUGINS = (*saved, "lscb_doc_hello")      # as an installed package would arrive
    try:
        assert main(["hello", "coventry"]) == 0
    finally:
        plugins.BUILTIN_PLUGINS = saved
        del sys.modules["lscb_doc_hello"]


def _contracts(board: Path) -> None:
    engine = _engine_with(board, "lscb_register_contracts")
    (contract,), _ = _registered(engine, "lscb_register_contracts")[0]
    assert contract.file == "meetings.csv" and [c.name for c in contract.columns] == ["date", "attended"]


def _renderers(board: Path) -> None:
    from plugins.render.build import renderers
    engine = _engine_with(board, "lscb_register_renderers")
    renderer = next(r for r in renderers(engine.pm).values() if r.writes == ("txt",))
    report = renderer.make().render(engine, YEAR, use_cache=False, formats=["txt"])
    assert engine.board.year_info(YEAR)["title"] in "".join(map(str, report.files.values()))


def _output_formats(board: Path) -> None:
    from plugins.render.build import Report, output_formats
    engine = _engine_with(board, "lscb_register_output_formats")
    fmt = output_formats(engine.pm)["txt"]
    assert fmt.write(Report(engine.board, YEAR, html="<p>Budget: <b>£1</b></p>")) == "Budget: £1"


def _engine_opened(board: Path) -> None:
    from core.errors import DataError
    engine = _engine_with(board, "lscb_engine_opened")        # Coventry's name passes
    assert "lscb_engine_opened" in {h for p in engine.plugins if p.name.endswith("doc_example") for h in p.hooks}
    yml = board / "board.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("Coventry", "Elsewhere"), encoding="utf-8")
    with pytest.raises(DataError, match="a name with the area in it"):
        _engine_with(board, "lscb_engine_opened")


def _check_year(board: Path) -> None:
    from plugins.checks.findings import check_year
    found = check_year(_engine_with(board, "lscb_check_year"), YEAR)
    assert any(p.kind == "sign-off to record" for p in found.pending)


def _show_table(board: Path) -> None:
    out = _engine_with(board, "lscb_show_table").section(YEAR, "learning.lado")
    assert "Figures provisional." in out.html()


def _report_page(board: Path) -> None:
    from plugins.render.build import Report
    engine = _engine_with(board, "lscb_report_page")
    report = Report(engine.board, YEAR, html="<html><head></head><body><p>Report</p></body></html>")
    engine.pm.hook.lscb_report_page(engine=engine, year=YEAR, report=report)
    assert "<body><p>Embargoed until 1 October</p>" in report.html


def _report_files(board: Path) -> None:
    from plugins.render.build import Report
    engine = _engine_with(board, "lscb_report_files")
    files = {"index.html": "<p>Report</p>"}
    engine.pm.hook.lscb_report_files(engine=engine, year=YEAR, report=Report(engine.board, YEAR), files=files)
    assert files["notes.md"] == (board / "data" / YEAR / "notes.md").read_text()


def _build_finished(board: Path) -> None:
    from core import plugins
    from plugins.render.build import build_reports
    imports, examples = _examples()
    module = types.ModuleType("lscb_doc_build")
    module.__file__ = str(DOCS)
    exec(compile(imports + "\n" + examples["lscb_build_finished"], str(DOCS), "exec"), module.__dict__)
    sys.modules["lscb_doc_build"] = module
    saved = plugins.BUILTIN_PLUGINS
    plugins.BUILTIN_PLUGINS = (*saved, "lscb_doc_build")       # as an installed package would arrive
    out = board.parent.parent / "out"
    try:
        build_reports([("coventry", YEAR)], out, ["html"], single=False)
    finally:
        plugins.BUILTIN_PLUGINS = saved
        del sys.modules["lscb_doc_build"]
    assert (out / "warnings.txt").read_text().startswith(f"coventry {YEAR}: ")


RUNS = {
    "lscb_demographics": _section("lscb_demographics", "demographics.children-in-coventry", "ONS mid-year"),
    "lscb_governance": _section("lscb_governance", "governance.budget", "lines in the budget"),
    "lscb_priorities": _section("lscb_priorities", "priorities.priority-1", "The board set 5 priorities."),
    "lscb_partner_contributions": _section("lscb_partner_contributions", "partners.west-midlands-police",
                                           "Reported by West Midlands Police."),
    "lscb_learning": _section("lscb_learning", "learning.serious-case-reviews", "reviews are reported this year"),
    "lscb_register_section_types": _section_types,
    "lscb_register_block_types": _block_types,
    "lscb_register_requirements": _requirements,
    "lscb_register_commands": _commands,
    "lscb_register_contracts": _contracts,
    "lscb_register_renderers": _renderers,
    "lscb_register_output_formats": _output_formats,
    "lscb_engine_opened": _engine_opened,
    "lscb_check_year": _check_year,
    "lscb_show_table": _show_table,
    "lscb_report_page": _report_page,
    "lscb_report_files": _report_files,
    "lscb_build_finished": _build_finished,
}


def test_every_hook_has_an_example_and_a_run():
    _, examples = _examples()
    assert len(HOOKS) >= 14
    assert [h for h in HOOKS if not examples.get(h, "").strip()] == [], "hooks without an example in docs/hooks.md"
    assert sorted(RUNS) == sorted(HOOKS), "a hook without a run here (add one to RUNS)"


@pytest.mark.parametrize("hook", HOOKS)
def test_the_docs_example_runs_as_a_plugin(hook, coventry):
    RUNS[hook](coventry)


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hookspec_has_a_concise_docstring(hook):
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    assert 40 < len(doc) < 700 and "Example" not in doc, hook        # worked examples live in docs/hooks.md
