"""The engine end to end: hooks called and overridden as documented, plugins isolated per board,
data errors reported with file and row, reports rendered from notebooks."""
from __future__ import annotations

import re

import pytest

from core import hookspecs
from core.cli import main
from core.engine import Engine
from core.errors import DataError, DataErrors, PluginError, SectionError
from tests.conftest import cell

OVERRIDE = '''
from core import hookimpl
from plugins.blocks import Markdown

@hookimpl
def lscb_governance(ctx):
    if ctx.name == "budget":
        return [Markdown("Budget shown by the board's own plugin.")]
    return None
'''


def render(tmp_path, board, year="2014-15") -> str:
    out = tmp_path / f"out-{board}"
    assert main(["render", board, "--year", year, "--out", str(out)]) == 0
    return (out / "index.html").read_text(encoding="utf-8")


def test_shared_plugins_build_sections_from_data(boards, tmp_path):
    boards.make()
    page = render(tmp_path, "testshire")
    assert "1,500" in page and "Total income" in page
    assert "1,918" in page and "professionals trained" in page


def test_board_plugin_overrides_the_shared_fallback_and_none_defers(boards, tmp_path):
    boards.make(plugins={"budget.py": OVERRIDE})
    page = render(tmp_path, "testshire")
    assert "Budget shown by the board&#x27;s own plugin." in page or "own plugin" in page
    assert "Total income" not in page          # the shared budget table was overridden
    assert "1,918" in page                     # learning: the board plugin returned None, fallback used


def test_a_board_plugin_changes_only_its_own_board(boards, tmp_path):
    boards.make("alpha", plugins={"budget.py": OVERRIDE})
    boards.make("beta", plugins={"budget.py": OVERRIDE.replace("board's own plugin", "beta plugin")})
    boards.make("gamma")
    alpha, beta, gamma = (render(tmp_path, b) for b in ("alpha", "beta", "gamma"))
    assert "own plugin" in alpha and "beta plugin" not in alpha
    assert "beta plugin" in beta and "own plugin" not in beta
    assert "Total income" in gamma and "plugin." not in gamma
    # two boards with a plugins/budget.py load under different module names
    a, b = Engine.open("alpha"), Engine.open("beta")
    names = {p.name for p in a.plugins} ^ {p.name for p in b.plugins}
    assert names == {"board:alpha/budget", "board:beta/budget"}


def test_builtins_are_trylast_fallbacks(boards):
    boards.make()
    engine = Engine.open("testshire")
    for impl in engine.pm.hook.lscb_governance.get_hookimpls():
        if impl.plugin_name.startswith("plugins."):
            assert impl.trylast


def test_a_misspelled_hook_fails_at_load_time(boards):
    boards.make(plugins={"typo.py": "from core import hookimpl\n\n@hookimpl\ndef lscb_governence(ctx):\n    return None\n"})
    with pytest.raises(PluginError, match="lscb_governence"):
        Engine.open("testshire")


def test_an_unmarked_hook_function_is_an_error(boards):
    boards.make(plugins={"nomark.py": "def lscb_governance(ctx):\n    return None\n"})
    with pytest.raises(PluginError, match="not marked with @hookimpl"):
        Engine.open("testshire")


def test_a_section_type_registered_twice_names_both_plugins(boards):
    dup = ("from core import hookimpl\nfrom core.sections import SectionType\n\n@hookimpl\n"
           "def lscb_register_section_types(register):\n    register(SectionType('budget', 'x'))\n")
    boards.make(plugins={"dup.py": dup})
    with pytest.raises(SectionError, match=r"'budget' registered twice: by board:testshire/dup and by plugins.governance"):
        Engine.open("testshire")


def test_a_new_section_type_with_its_own_builder(boards, tmp_path):
    plugin = '''
    from core import hookimpl
    from plugins.blocks import Markdown
    from core.sections import SectionType

    def build(ctx):
        return [Markdown(f"MASH handled {ctx.data.yaml('mash.yml')['contacts']} contacts.")]

    @hookimpl
    def lscb_register_section_types(register):
        register(SectionType("mash", "Multi-agency safeguarding hub", None, ("WT13-09",), build=build))
    '''
    from tests.conftest import cell
    boards.make(plugins={"mash.py": plugin}, files={"mash.yml": "contacts: '4,321'\n"},
                chapters={"01-mash.qmd": ("1 MASH", cell("mash"))})
    assert "MASH handled 4,321 contacts." in render(tmp_path, "testshire")


def test_data_errors_name_file_row_expected_and_found(boards):
    boards.make(files={
        "sections/governance.budget.yml": "kind: budget\nblocks:\n  - budget: budget.csv\n",
        "budget.csv": "part,line,amount,kind,note\nIncome,Council,lots,line,\n",
    })
    engine = Engine.open("testshire")
    with pytest.raises(DataError) as e:
        engine.section("2014-15", "governance.budget")
    msg = str(e.value)
    assert "boards/testshire/data/2014-15/budget.csv" in msg.replace("\\", "/")
    assert "row 2, column 'amount'" in msg and "'lots'" in msg and "a number" in msg


def test_unknown_section_names_the_content_file_looked_for(boards):
    boards.make()
    with pytest.raises(SectionError, match=r"sections/learning\.audits\.yml"):
        Engine.open("testshire").section("2014-15", "learning.audits")


def test_every_hookspec_is_exercised_by_a_test():
    here = open(__file__, encoding="utf-8").read()
    others = "".join(p.read_text(encoding="utf-8") for p in __import__("pathlib").Path(__file__).parent.glob("test_*.py"))
    for name in (n for n in vars(hookspecs) if n.startswith("lscb_")):
        assert name in here or name in others, f"{name} has no test"


def test_plugins_command_lists_origin_and_hooks(capsys):
    assert main(["plugins", "coventry"]) == 0
    out = capsys.readouterr().out
    assert "plugins.governance\n  from: built-in" in out
    assert "lscb_governance" in out and "section types:" in out


def test_quarto_engine_without_quarto_fails_in_one_line(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["render", "coventry", "--year", "2013-14", "--engine", "quarto", "--out", str(tmp_path / "q")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "quarto is not on PATH" in err


def test_failed_render_leaves_earlier_output_untouched(boards, tmp_path):
    boards.make()
    out = tmp_path / "out"
    assert main(["render", "testshire", "--out", str(out)]) == 0
    before = (out / "index.html").read_bytes()
    (boards.root / "testshire" / "data" / "2014-15" / "budget.csv").write_text("part,line\n", encoding="utf-8")
    assert main(["render", "testshire", "--out", str(out)]) == 1
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []


def test_cell_options_echo_include_output_label_and_caption(boards, tmp_path):
    body = ('```{python}\n#| echo: true\nx = 6 * 7\nx\n```\n\n'
            '```{python}\n#| include: false\nprint("hidden")\n```\n\n'
            '```{python}\n#| output: false\nprint("not shown")\n```\n\n'
            '```{python}\n#| label: tbl-budget\n#| tbl-cap: "Income"\nboard.section("governance.budget")\n```\n\n'
            'See @tbl-budget. The answer is `{python} x`.\n')
    boards.make(chapters={"01-a.qmd": ("1 A", body)})
    page = render(tmp_path, "testshire")
    assert "x = 6 * 7" in page and "42" in page
    assert "hidden" not in page and "not shown" not in page
    assert re.search(r'<table id="tbl-budget"><caption>Table 1: Income</caption>', page)
    assert '<a href="#tbl-budget">Table 1</a>' in page and "The answer is 42." in page


@pytest.mark.parametrize("hook,family", [
    ("lscb_demographics", "demographics"), ("lscb_governance", "governance"),
    ("lscb_priorities", "priorities"), ("lscb_partner_contributions", "partners"),
    ("lscb_learning", "learning"),
])
def test_each_family_hook_is_asked_for_its_sections(boards, tmp_path, hook, family):
    from tests.conftest import cell
    plugin = f'''
    from core import hookimpl
    from plugins.blocks import Markdown

    @hookimpl
    def {hook}(ctx):
        return [Markdown(f"{{ctx.family}} section {{ctx.name}} for {{ctx.board.area}} {{ctx.year}}")]
    '''
    boards.make(plugins={"family.py": plugin}, chapters={"01-x.qmd": ("1 X", cell(f"{family}.anything"))})
    assert f"{family} section anything for Testshire 2014-15" in render(tmp_path, "testshire")


def test_a_plugin_adds_a_block_directive_for_content_files(boards, tmp_path):
    plugin = '''
    from core import hookimpl
    from plugins.blocks import Markdown

    @hookimpl
    def lscb_register_block_types(register):
        register("shout", lambda ctx, spec: [Markdown(str(spec["shout"]).upper())])
    '''
    boards.make(plugins={"shout.py": plugin}, files={
        "sections/learning.training.yml": "kind: training\nblocks:\n  - shout: quietly trained\n"},
        chapters={"01-x.qmd": ("1 X", cell("learning.training"))})
    assert "QUIETLY TRAINED" in render(tmp_path, "testshire")


def test_a_plugin_registers_a_requirement_that_check_reports(boards, capsys):
    plugin = '''
    from core import hookimpl
    from plugins.requirements import Requirement

    @hookimpl
    def lscb_register_requirements(register):
        register(Requirement("LOCAL-01", ("WT2015",), "should", "Local promise on training", "Board plan"))
    '''
    boards.make(plugins={"req.py": plugin})
    assert main(["check", "testshire"]) == 2             # the tiny board misses must requirements
    assert "LOCAL-01" not in capsys.readouterr().out        # a WT2015 requirement; this year is WT2013
    boards.make(plugins={"req.py": plugin}, board_yml=(
        "name: Testshire Board\narea: Testshire\nyears:\n  2014-15:\n    edition: WT2015\n"))
    assert main(["check", "testshire"]) == 2
    assert re.search(r"LOCAL-01\s+should\s+MISSING", capsys.readouterr().out)
    from plugins.requirements import requirements
    assert requirements(Engine.open("testshire"))["LOCAL-01"].plugin == "board:testshire/req"


@pytest.mark.parametrize("block,fragment", [
    ("  - table: t\n    captoin: x\n", "unknown key(s) ['captoin'] (misspelt?)"),
    ("  - list: {title: x, itmes: [a]}\n", "unknown key(s) ['itmes'] (misspelt?)"),
    ("  - chart: {table: t, x: A, y: B, colour: A}\n", "unknown key(s) ['colour'] (misspelt?)"),
])
def test_a_misspelt_key_in_a_block_is_an_error(boards, block, fragment):
    boards.make(files={"tables/t.csv": "A,B\nx,1\n",
                       "sections/learning.training.yml": "kind: training\nblocks:\n" + block})
    with pytest.raises(DataError) as e:
        Engine.open("testshire").section("2014-15", "learning.training")
    assert fragment in str(e.value) and "learning.training.yml" in str(e.value)


WRAPPER = '''
from core import hookimpl

SEEN = []


@hookimpl(wrapper=True)
def lscb_governance(ctx):
    answer = yield
    SEEN.append((ctx.section, len(answer or [])))
    return answer


@hookimpl(wrapper=True)
def lscb_learning(ctx):
    answer = yield
    SEEN.append((ctx.section, len(answer or [])))
    return answer
'''


def test_a_wrapper_plugin_sees_every_section_call_and_the_answering_plugin_is_still_recorded(boards):
    """Hooks are called through pluggy: a wrapper sees each call, and coverage still names who answered."""
    import sys
    boards.make(plugins={"watch.py": WRAPPER})
    engine = Engine.open("testshire")
    for section in ("governance.budget", "learning.training", "governance.budget"):
        engine.section("2014-15", section)
    seen = sys.modules["lscb_board_testshire.watch"].SEEN
    assert [s for s, _ in seen] == ["governance.budget", "learning.training", "governance.budget"]
    assert all(n > 0 for _, n in seen)
    answered = {s.id: s.plugin for s in engine.rendered["2014-15"]}
    assert answered == {"governance.budget": "plugins.governance", "learning.training": "plugins.learning"}


def test_lscb_trace_plugins_prints_each_section_hook_call(boards, monkeypatch, capsys):
    monkeypatch.setenv("LSCB_TRACE_PLUGINS", "1")
    boards.make()
    engine = Engine.open("testshire")
    capsys.readouterr()
    engine.section("2014-15", "governance.budget")
    engine.section("2014-15", "learning.training")
    err = capsys.readouterr().err
    assert "[lscb trace]   lscb_governance [hook]" in err and "[lscb trace]   lscb_learning [hook]" in err
    assert "ctx: SectionContext(testshire 2014-15 governance.budget)" in err
    assert "_cache" not in err and "YearData(" not in err       # the trace never prints the data read


def test_the_plugin_that_answered_is_the_board_s_own_when_it_overrides(boards):
    boards.make(plugins={"budget.py": OVERRIDE})
    engine = Engine.open("testshire")
    assert engine.section("2014-15", "governance.budget").plugin == "board:testshire/budget"
    assert engine.section("2014-15", "learning.training").plugin != "board:testshire/budget"


def test_the_plugin_that_answered_is_the_section_s_not_one_that_answered_a_table_inside_it(boards):
    """A plugin answering lscb_show_table (a hook the section's plugin calls on the way) while the shared
    plugin builds the section: the section is the shared plugin's."""
    boards.make(plugins={"tables.py": '''
    from core import hookimpl

    @hookimpl
    def lscb_show_table(ctx, table, spec, rows):
        return table
    '''}, files={"tables/t.csv": "A,B\nx,1\n",
                  "sections/learning.training.yml": "kind: training\nblocks:\n  - table: t\n"})
    engine = Engine.open("testshire")
    section = engine.section("2014-15", "learning.training")
    assert section.plugin == "plugins.learning"
    assert engine.rendered["2014-15"][-1].plugin == "plugins.learning"


def test_a_block_that_is_not_a_mapping_is_named_with_its_place_and_what_it_is(boards):
    """A content file's block given as a bare text or left empty: one data error each, not a traceback."""
    boards.make(files={"sections/learning.training.yml": "kind: training\nblocks:\n  - just some text\n  -\n"})
    with pytest.raises(DataErrors) as e:
        Engine.open("testshire").section("2014-15", "learning.training")
    message = str(e.value)
    assert "learning.training.yml: blocks[1]: expected a mapping such as {table: name}, found 'just some text'" in message
    assert "learning.training.yml: blocks[2]: expected a mapping such as {table: name}, found None" in message


def test_a_file_that_is_not_utf8_is_named_by_the_label_the_user_knows(tmp_path):
    from core.data import load_csv
    path = tmp_path / "categories.csv"
    path.write_bytes("Category,Count\nNeglect,120\nCafé,3\n".encode("latin-1"))
    with pytest.raises(DataError) as e:
        load_csv(path, "boards/mini/data/2013-14/tables/categories.csv")
    assert str(e.value).startswith("boards/mini/data/2013-14/tables/categories.csv: line 3: expected UTF-8")


@pytest.mark.parametrize("call,error,fragment", [
    ('register(Requirement("WT13-01", ("WT2013",), "must", "Again", "Board plan"))', SectionError,
     "requirement 'WT13-01' registered twice: by board:testshire/req and by plugins.requirements"),
    ('register("WT13-99")', PluginError,
     "plugin board:testshire/req in lscb_register_requirements: expected register(Requirement(...)), "
     "found register('WT13-99')"),
])
def test_a_requirement_registered_twice_or_not_as_a_requirement_names_the_plugin(boards, call, error, fragment):
    from plugins.requirements import requirements
    boards.make(plugins={"req.py": f'''
    from core import hookimpl
    from plugins.requirements import Requirement

    @hookimpl
    def lscb_register_requirements(register):
        {call}
    '''})
    with pytest.raises(error) as e:
        requirements(Engine.open("testshire"))
    assert fragment in str(e.value)
