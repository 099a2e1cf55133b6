"""`lscb render`: escaping, disclosure control, the report cache and exit codes, asserted on the page.

Each test copies the small board in ``tests/bad_inputs/mini`` into a temporary boards folder, puts the value
that must trigger the behaviour into its data, renders it in-process and reads ``index.html``.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import lscb

D = "data/2013-14/"
CTX = D + "sections/demographics.context.yml"
NASTY = "<script>alert(1)</script> & <b>co</b>"
SAFE = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;"


def edit(board: Path, rel: str, old: str, new: str) -> None:
    p = board / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, f"fixture {rel} no longer holds {old!r}"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def render(tmp_path: Path, capsys, *extra: str) -> tuple[int, str, str]:
    """(exit code, index.html or '', stderr)."""
    out = tmp_path / "out"
    code, _, err = lscb(["render", "mini", "--out", str(out), *extra], capsys)
    assert "Traceback" not in err
    page = out / "index.html"
    return code, page.read_text(encoding="utf-8") if page.is_file() else "", err


def body(page: str) -> str:
    """The report without its stylesheet and scripts."""
    return re.sub(r"(?is)<(style|script)\b[^>]*>.*?</\1>", "", page)


def cells(page: str) -> list[str]:
    return re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", page, re.S)


# --- escaping: text from data reaches the page as text ----------------------------------------------------------

def test_table_cells_headers_and_captions_are_escaped(mini, tmp_path, capsys):
    (mini / D / "tables" / "categories.csv").write_text(
        f'Category,"Count {NASTY}",Note\n"{NASTY}",120,"{NASTY}"\nEmotional abuse,45,x\nTotal,165,\n',
        encoding="utf-8")
    edit(mini, CTX, "y: Count\n", f"y: 'Count {NASTY}'\n")
    edit(mini, CTX, "caption: Service activity", "caption: 'Service activity & <i>more</i>'")
    code, page, err = render(tmp_path, capsys)
    assert code == 0, err
    html = body(page)
    assert "<script>alert" not in html and "<b>co</b>" not in html and "<i>more</i>" not in html
    assert f'<th scope="row">{SAFE}</th>' in html                     # the stub cell
    assert f"<td>{SAFE}</td>" in html                                 # a data cell
    assert f'<th scope="col" class="num">Count {SAFE}</th>' in html    # a column header
    assert "<caption>Service activity &amp; &lt;i&gt;more&lt;/i&gt;</caption>" in html


def test_key_figures_are_escaped(mini, tmp_path, capsys):
    edit(mini, CTX, 'value: "1,918"\n        label: professionals trained in 2013/14',
         'value: "<5"\n        label: "professionals & <b>volunteers</b> trained"\n        note: "<i>so</i>"')
    code, page, err = render(tmp_path, capsys)
    assert code == 0, err
    html = body(page)
    assert '<span class="value">&lt;5</span>' in html
    assert "professionals &amp; &lt;b&gt;volunteers&lt;/b&gt; trained" in html
    assert "&lt;i&gt;so&lt;/i&gt;" in html
    assert "<b>volunteers</b>" not in html and "<i>so</i>" not in html


def test_priorities_and_reviews_are_escaped(mini, tmp_path, capsys):
    edit(mini, D + "priorities.yml", "title: Early help", f"title: '{NASTY}'")
    edit(mini, D + "priorities.yml", "status: Good progress", "status: '<em>Good</em> & better'")
    edit(mini, D + "priorities.yml", "progress: [A new group met in January.]", f"progress: ['{NASTY}']")
    edit(mini, D + "reviews.yml", "text: Share information faster.", f"text: '{NASTY}'")
    code, page, err = render(tmp_path, capsys)
    assert code == 0, err
    html = body(page)
    assert "<script>alert" not in html and "<b>co</b>" not in html and "<em>Good</em>" not in html
    assert f"<li>{SAFE}</li>" in html
    assert '<span class="rag">&lt;em&gt;Good&lt;/em&gt; &amp; better</span>' in html
    assert html.count(SAFE) >= 3                                      # title, progress, recommendation


def test_raw_html_in_markdown_text_is_shown_as_text(mini, tmp_path, capsys):
    edit(mini, CTX, "Mini is a *small* area.", f"Mini is a *small* area. {NASTY}")
    code, page, err = render(tmp_path, capsys)
    assert code == 0, err
    html = body(page)
    assert "<em>small</em>" in html                                    # Markdown is still Markdown
    assert "<script>alert" not in html and "&lt;script&gt;" in html


# --- disclosure control (options: disclosure: dfe) ---------------------------------------------------------------

def dfe(board: Path, csv: str, declaration: str = "children: {counts: [Count]}") -> None:
    edit(board, "board.yml", "disclosure: as-published", "disclosure: dfe")
    (board / D / "tables" / "categories.csv").write_text(csv, encoding="utf-8")
    edit(board, CTX, "  - table: categories\n", f"  - table: categories\n    {declaration}\n")
    # the chart of the same table would draw the counts; the table alone is under test here
    text = (board / CTX).read_text(encoding="utf-8")
    (board / CTX).write_text(re.sub(r"  - chart:\n(    .*\n)+", "", text), encoding="utf-8")


def row_values(page: str) -> dict[str, str]:
    table = page.split('<table id="tbl-categories">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', table, re.S)
    return {name: "|".join(re.findall(r"<td[^>]*>(.*?)</td>", rest)) for name, rest in rows}


def test_counts_of_one_to_five_are_hidden_and_six_and_zero_shown(mini, tmp_path, capsys):
    dfe(mini, "Category,Count\nNeglect,120\nOne,1\nFive,5\nSix,6\nNone,0\n")
    code, page, err = render(tmp_path, capsys)
    assert code == 0, err
    assert row_values(page) == {"Neglect": "120", "One": "[c]", "Five": "[c]", "Six": "6", "None": "0"}
    assert "[c] confidential: a count of 1 to 5 children" in page


def test_one_hidden_cell_in_a_line_with_a_total_hides_the_next_smallest(mini, tmp_path, capsys):
    dfe(mini, "Category,Count\nNeglect,120\nSmall,5\nNext,6\nNone,0\nLarger,7\nTotal,138\n")
    code, page, err = render(tmp_path, capsys)
    assert code == 0, err
    assert row_values(page) == {"Neglect": "120", "Small": "[c]", "Next": "[c]", "None": "0", "Larger": "7",
                                "Total": "138"}


def test_a_percentage_of_a_hidden_count_is_hidden(mini, tmp_path, capsys):
    dfe(mini, "Category,Count,Share\nNeglect,120,92.3%\nSmall,4,3.1%\nOther,6,4.6%\n",
        "children: {counts: [Count], derived: {Share: Count}}")
    code, page, err = render(tmp_path, capsys)
    assert code == 0, err
    assert row_values(page) == {"Neglect": "120|92.3%", "Small": "[c]|[c]", "Other": "6|4.6%"}


def test_as_published_shows_small_counts(mini, tmp_path, capsys):
    (mini / D / "tables" / "categories.csv").write_text("Category,Count\nNeglect,120\nOne,1\nTotal,121\n",
                                                        encoding="utf-8")
    code, page, err = render(tmp_path, capsys)
    assert code == 0, err
    assert row_values(page)["One"] == "1" and "[c]" not in body(page)


# --- the report cache ------------------------------------------------------------------------------------------

def test_a_data_edit_is_rendered_not_taken_from_the_cache(mini, tmp_path, capsys):
    code, page, err = render(tmp_path, capsys)
    assert code == 0 and row_values(page)["Neglect"] == "120", err
    code, page, err = render(tmp_path, capsys)
    assert "unchanged, taken from the report cache" in err            # the cache works ...
    edit(mini, D + "tables/categories.csv", "Neglect,120", "Neglect,121")
    code, page, err = render(tmp_path, capsys)
    assert code == 0, err
    assert "unchanged" not in err
    assert row_values(page)["Neglect"] == "121"                       # ... and misses on a data edit


def test_a_board_plugin_edit_is_rendered_not_taken_from_the_cache(mini, tmp_path, capsys):
    plugin = mini / "plugins" / "note.py"
    plugin.parent.mkdir()
    source = ("from core import hookimpl\nfrom plugins.blocks import Markdown\n\n\n@hookimpl\n"
              "def lscb_governance(ctx):\n    if ctx.section == 'governance.attendance':\n"
              "        return [Markdown('Attendance note: first.')]\n")
    plugin.write_text(source, encoding="utf-8")
    code, page, err = render(tmp_path, capsys)
    assert code == 0 and "Attendance note: first." in page, err
    plugin.write_text(source.replace("first", "second"), encoding="utf-8")
    code, page, err = render(tmp_path, capsys)
    assert code == 0 and "unchanged" not in err
    assert "Attendance note: second." in page and "first." not in page


# --- exit codes of lscb render ---------------------------------------------------------------------------------

def test_render_exits_0_and_writes_the_report(mini, tmp_path, capsys):
    code, page, err = render(tmp_path, capsys)
    assert code == 0, err
    assert "Independent Chair, LSCB" in page and "155,875" in page


def test_strict_render_with_a_warning_exits_1_and_writes_nothing(mini, tmp_path, capsys):
    edit(mini, D + "attendance.csv", 'LSCB",7,7,100%', 'LSCB",8,7,100%')
    code, page, err = render(tmp_path, capsys, "--strict")
    assert code == 1
    assert "attended 8 of only 7 meetings" in err and page == ""


def test_a_warning_without_strict_is_printed_and_exits_0(mini, tmp_path, capsys):
    edit(mini, D + "attendance.csv", 'LSCB",7,7,100%', 'LSCB",8,7,100%')
    code, page, err = render(tmp_path, capsys)
    assert code == 0 and "attended 8 of only 7 meetings" in err and page


def test_a_data_error_exits_1_and_writes_nothing(mini, tmp_path, capsys):
    edit(mini, D + "budget.csv", '"14,677"', "lots")
    code, page, err = render(tmp_path, capsys)
    assert code == 1 and page == ""
    assert "boards/mini/data/2013-14/budget.csv" in err and "'lots'" in err


@pytest.mark.parametrize("argv,message", [
    (["--format", "html,odt"], "--format: unknown format(s)"),
    (["--year", "2099-00"], "2099-00"),
])
def test_bad_render_arguments_exit_1(mini, tmp_path, capsys, argv, message):
    code, page, err = render(tmp_path, capsys, *argv)
    assert code == 1 and message in err and argv[-1].split(",")[-1] in err and page == ""


# --- every text field at once: no dropped escape anywhere ----------------------------------------------------

MARK = '<lscbx a="1">x & y</lscbx>'          # a tag no report uses, an attribute quote and an ampersand
MARK_SAFE = "&lt;lscbx a=&quot;1&quot;&gt;x &amp; y&lt;/lscbx&gt;"


def mark_every_text(board: Path) -> None:
    """Put MARK into every text field of the mini board a report shows."""
    m = MARK.replace('"', '\\"')
    (board / CTX).write_text(
        "kind: context\nblocks:\n"
        f'  - text: "Mini {m}"\n'
        f'  - facts:\n      - {{value: "1,918", label: "trained {m}", note: "{m}", source: "{m}", period: "{m}", '
        f'area: "{m}"}}\n      - {{value: "<5", label: fewer than five}}\n'
        f'    title: "{m}"\n'
        f'  - list: {{title: "{m}", items: ["{m}"]}}\n'
        f'  - pairs: {{title: "{m}", headers: ["{m}", "B"], rows: [["{m}", "{m}"]]}}\n'
        f'  - table: categories\n    caption: "{m}"\n    source: "{m}"\n'
        f'    notes: ["{m}", {{text: "{m}", row: Emotional abuse}}]\n'
        f'  - chart: {{table: categories, x: Category, y: Count, type: bar, title: "{m}", source: "{m}", '
        f'notes: ["{m}"]}}\n'
        f'  - indicators: activity\n    caption: "{m}"\n    source: "{m}"\n    notes: ["{m}"]\n',
        encoding="utf-8")
    q = MARK.replace('"', '""')
    (board / D / "tables" / "categories.csv").write_text(
        f'Category,Count\n"{q}",120\nEmotional abuse,45\nTotal,165\n', encoding="utf-8")
    (board / D / "attendance.csv").write_text(
        "group,member,attended,possible,percent,comment\n"
        f'"{q}","{q}",7,7,100%,"{q}"\n', encoding="utf-8")
    (board / D / "budget.csv").write_text(
        f'part,line,amount,kind,note\n"{q}","{q}",100,line,"{q}"\n"{q}",Total,100,total,\n', encoding="utf-8")
    edit(board, D + "priorities.yml", "title: Early help", f"title: '{MARK}'")
    edit(board, D + "priorities.yml", "status: Good progress", f"status: '{MARK}'")
    edit(board, D + "priorities.yml", "success_measures: [Early help is monitored.]", f"success_measures: ['{MARK}']\n"
         f"    partner_contributions:\n      - {{partner: '{MARK}', items: ['{MARK}']}}")
    edit(board, D + "reviews.yml", "name: Child A", f"name: '{MARK}'")
    edit(board, D + "reviews.yml", "summary: Our own words.", f"summary: 'Summary: {MARK}'")
    edit(board, D + "reviews.yml", "text: Share information faster.", f"text: '{MARK}'")
    edit(board, "2013-14/01-context.qmd", '#| tbl-cap: "Children on plans by category"', f"#| tbl-cap: '{MARK}'")


def test_no_text_from_data_reaches_the_page_as_markup(mini, tmp_path, capsys):
    mark_every_text(mini)
    code, page, err = render(tmp_path, capsys)
    assert code == 0, err
    assert "<lscbx" not in page        # (the chart's SVG keeps a="1" in a text node, escaped as XML text needs)
    assert page.count(MARK_SAFE) >= 25, page.count(MARK_SAFE)      # and the fields are really shown


def leaves(blocks: list) -> list:
    """Blocks with a group's blocks in its place."""
    return [leaf for b in blocks for leaf in (leaves(b.blocks) if isinstance(getattr(b, "blocks", None), list)
                                              else [b])]


def test_no_text_from_data_reaches_markdown_output_as_markup(mini, capsys):
    """The Markdown each block gives Quarto (Word, PDF) escapes text from data too."""
    from core.notebook import open_board
    from plugins.blocks import Markdown
    mark_every_text(mini)
    handle = open_board("mini", "2013-14")
    shown, everything = 0, ""
    for section in ("demographics.context", "priorities.2013-14", "governance.attendance", "governance.budget",
                    "learning.reviews"):
        for block in handle.section(section).blocks:
            if isinstance(block, Markdown):
                continue            # `text:` is Markdown by declaration (raw HTML off in the HTML output)
            # a chart's alt text is a pandoc attribute value (fig-alt="..."): text there, never markup
            md = re.sub(r'\{fig-alt="[^"]*"\}', "", block.markdown())
            for prose in (leaf for leaf in leaves([block]) if isinstance(leaf, Markdown)):
                md = md.replace(prose.markdown(), "")      # a group's Markdown prose (a review's summary)
            assert not re.search(r"(?<!\\)<lscbx", md), (section, type(block).__name__, md[:300])
            shown += md.count("lscbx")
            everything += md
    assert shown >= 20
    assert "\\<5" in everything and not re.search(r"(?<!\\)<5", everything)    # a key figure's value too


def test_an_edit_to_a_plugin_module_outside_the_project_misses_the_cache(mini, tmp_path):
    """A module board.yml switches on (``plugins: [...]``) may live anywhere on the path: its edit is part
    of the report's key, so the render is not "unchanged, taken from the report cache" with the old text."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO
    ext = tmp_path / "ext"
    ext.mkdir()
    module = ext / "attendance_note.py"
    source = ("from core import hookimpl\nfrom plugins.blocks import Markdown\n\n\n@hookimpl\n"
              "def lscb_governance(ctx):\n    if ctx.section == 'governance.attendance':\n"
              "        return [Markdown('Attendance note: first.')]\n")
    module.write_text(source, encoding="utf-8")
    edit(mini, "board.yml", "options:", "plugins: [attendance_note]\noptions:")
    env = {**os.environ, "PYTHONPATH": str(ext), "PYTHONDONTWRITEBYTECODE": "1"}
    out = tmp_path / "out"

    def lscb_render() -> tuple[str, str]:
        done = subprocess.run([sys.executable, "-c", "import sys; from core.cli import main; sys.exit(main())",
                               "render", "mini", "--out", str(out)], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return (out / "index.html").read_text(encoding="utf-8"), done.stderr

    page, _ = lscb_render()
    assert "Attendance note: first." in page
    module.write_text(source.replace("first", "second"), encoding="utf-8")
    page, err = lscb_render()
    assert "unchanged" not in err
    assert "Attendance note: second." in page and "first." not in page
