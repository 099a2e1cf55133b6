"""The five published reports rendered by the built-in renderer: each shows its seed's figures, in its own
chapter order and numbering, and its Working Together check says what the report meets."""
from __future__ import annotations

import html
import re

import pytest

from core.engine import Engine
from plugins.blocks.figures import display_number
from plugins.checks.command import check_year

CHAPTERS = {
    ("coventry", "2013-14"): [
        "Section 1 – Structure of the 2013-2014 Annual Report",
        "Section 2 - Governance and accountability arrangements",
        "Section 3 - Core LSCB Business",
        "Section 4. Effective challenge in specific safeguarding circumstances",
        "Section 5 - Priorities going forward for 2014-15",
        "Appendix One – Structure Chart",
    ],
    ("coventry", "2023-24"): [
        "Introduction from the Safeguarding Partners", "Coventry's population figures",
        "Coventry Safeguarding Children's Partnership arrangements", "Engagement of Education",
        "Multi-agency priorities", "Impact on children, young people and their families", "Training",
        "Impact on professionals", "Scrutiny", "National reforms", "Looking forwards",
    ],
    ("leicester", "2014-15"): [
        "Foreword", "Chapter one: Leicester in context", "Chapter two: Governance and Accountability Arrangements",
        "Chapter three: Sub-groups and Reference Groups", "Chapter five: Overview of Progress March 2014 – March 2015",
        "Chapter 5: What happens when a child dies or is seriously harmed in Leicester?",
        "Chapter 6: Issues and Challenges Facing Safeguarding Effectiveness", "Chapter 7: Key Messages",
        "Chapter 8: What next for safeguarding and child protection in Leicester?", "Appendices",
    ],
    ("warwickshire", "2013-14"): [
        "1. Forward", "2. Local Background and Context",
        "3. Statutory and Legislative context for the Safeguarding Children Board", "4. Governance of WSCB",
        "5. Progress against Strategic Objectives", "6. Contribution of WSCB Partners",
        "7. Effectiveness of Safeguarding Children arrangements in Warwickshire", "8. WSCB Business Plan 2014-15",
    ],
    ("cheshire_west", "2014-15"): [
        "Foreword from the Independent Chair", "Executive Summary", "Section 1: Introduction",
        "Section 2: Governance and Accountability Arrangements", "Section 3: Progress against the LSCB Business Plan",
        "Section 4: Effectiveness of Safeguarding Arrangements", "Section 5: Learning and Improvement Framework",
        "Section 6: Wider contribution to safeguarding from our partners",
    ],
}

# (figure as printed, words that must sit in the same table row or sentence)
FIGURES = {
    ("coventry", "2013-14"): [
        ("22197", "Contacts"), ("845.4", "Referrals"), ("108.1", "protection plans"), ("374", "Emotional"),
        ("51.0%", "Emotional"), ("274,023", "Total Budget"), ("306,298", "Total Expenditure"),
        ("32,275", "Overspend"), ("5/7", "Executive Director"), ("1918", "TOTAL"), ("589", "Health"),
        ("107", "LADO"),
    ],
    ("coventry", "2023-24"): [("345,300", ""), ("8.9%", ""), ("10,547", "")],
    ("leicester", "2014-15"): [("69,369", "under 18"), ("4,769", "Referrals"), ("4,809", "referrals"),
                               ("999", "emergency")],
    ("warwickshire", "2013-14"): [
        ("31,364", "0-4 years"), ("11,061", "15-17 years"), ("111,872", "Total (0-17)"), ("51,497", "WCC Safeguarding"),
        ("8,177", ""), ("8,154", ""), ("01926 742510", ""),
    ],
    ("cheshire_west", "2014-15"): [("273,754", ""), ("246,265", ""), ("27,489", ""), ("58.94%", "")],
}


def text_of(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def rows_of(page: str) -> list[str]:
    """Each table row and each paragraph/list item as text: where a figure must sit with its label."""
    parts = re.findall(r"(?is)<(tr|li|p)\b[^>]*>(.*?)</\1>", page)
    return [text_of(p[1]) for p in parts]


@pytest.mark.parametrize("report", list(CHAPTERS), ids=lambda r: f"{r[0]}-{r[1]}")
def test_chapters_in_the_reports_own_order_and_numbering(rendered, report):
    page = rendered[report]
    titles = [html.unescape(t) for t in re.findall(
        r'<section class="chapter" aria-labelledby="[^"]*"><h2 id="[^"]*">([^<]*)</h2>', page)]
    expected = CHAPTERS[report]
    found = [t for t in titles if t in expected]
    assert found == expected, titles


@pytest.mark.parametrize("report", list(FIGURES), ids=lambda r: f"{r[0]}-{r[1]}")
def test_figures_shown_in_context(rendered, report):
    rows = rows_of(rendered[report])
    for figure, label in FIGURES[report]:
        # the figure as printed, or as shown with GSS thousands separators ("22197" is shown "22,197")
        shown = "|".join(re.escape(f) for f in {figure, display_number(figure)})
        hits = [r for r in rows if re.search(rf"(?<![\d.,])(?:{shown})(?![\d])", r)]
        assert hits, f"{figure} not shown"
        if label:
            assert any(label.lower() in r.lower() for r in hits), f"{figure} not beside {label!r}: {hits[:3]}"


def test_coventry_attendance_every_row(rendered):
    rows = rows_of(rendered[("coventry", "2013-14")])
    for member, att in [("Independent Chair, LSCB", "7/7"), ("Director of Nursing, NHS England", "4/7"),
                        ("Head of Service, CAFCASS", "0/1"), ("Shadow Cabinet Member, Children & Young People", "4/4")]:
        assert any(member in r and att in r for r in rows), member


def test_cheshire_west_does_not_speak_of_its_source(rendered):
    # Section 7 and Appendix 1 were lost with the source: the report simply ends with Section 6
    # (boards/cheshire_west/data/2014-15/notes.md keeps the record), and says nothing about it.
    text = text_of(rendered[("cheshire_west", "2014-15")])
    for phrase in ("transcript", "extraction", "notes.md", "as printed", "survive", "Appendix 1"):
        assert phrase.lower() not in text.lower(), phrase


@pytest.mark.parametrize("board,year,met,missing", [
    ("coventry", "2013-14", ["WT13-08", "LSCBR-5e", "LSCBR-6"], []),
    ("coventry", "2023-24", ["WT18-10", "WT18-15", "WT18-07"], []),
    ("leicester", "2014-15", ["LSCBR-6", "WT13-06"], ["WT13-08", "WT13-07"]),     # no budget section
    ("cheshire_west", "2014-15", ["WT13-08", "WT13-12"], []),
    ("warwickshire", "2013-14", ["WT13-08", "WT13-10", "LSCBR-5e", "WT13-12"], []),
])
def test_working_together_coverage(board, year, met, missing):
    result = check_year(Engine.open(board), year)
    assert not result.errors
    status = {c.requirement.id: c.missing for c in result.coverage}
    for rid in met:
        assert status[rid] is False, rid
    for rid in missing:
        assert status[rid] is True, rid


def test_removing_a_section_from_the_layout_names_the_requirement(copy_board):
    root = copy_board("coventry")
    chapter = root / "2013-14" / "02-governance.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace('board.section("governance.budget")', "None"),
                       encoding="utf-8")
    result = check_year(Engine.open("coventry"), "2013-14")
    missing = {c.requirement.id for c in result.coverage if c.missing}
    assert {"WT13-07", "WT13-08"} <= missing


def test_every_shared_family_plugin_serves_at_least_two_boards():
    from core.board import Board, list_boards
    from plugins.render.builtin.report import execute_book
    served: dict[str, set[str]] = {}
    for board in list_boards():
        engine = Engine.open(board)
        for year in Board.load(board).years:
            execute_book(engine, year)
            for sec in engine.rendered[year]:
                served.setdefault(sec.plugin, set()).add(board)
    for plugin in ("plugins.demographics", "plugins.governance", "plugins.priorities", "plugins.partners",
                   "plugins.learning"):
        assert len(served.get(plugin, ())) >= 2, (plugin, served.get(plugin))


def test_no_board_name_in_core():
    from pathlib import Path
    core = Path(__file__).resolve().parent.parent / "core"
    for path in core.rglob("*"):
        if path.suffix in (".py", ".css", ".html"):
            text = path.read_text(encoding="utf-8").lower()
            for name in ("coventry", "warwickshire", "leicester", "cheshire"):
                assert name not in text, (path, name)
