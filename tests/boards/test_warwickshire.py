"""Warwickshire 2013-14: the board's partner template and attendance grid plugins, and its report."""
from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest

from core.data import DataError
from core.engine import Engine
from core.errors import DataErrors

YEAR = "2013-14"
BOOK = Path(__file__).resolve().parents[2] / "boards" / "warwickshire" / YEAR
TEMPLATE = ["Role", "Achievements in 2013/14", "In figures", "Challenges", "Safeguarding priorities for 2014/15"]


def sections_of(chapter: str) -> list[str]:
    return re.findall(r'board\.section\("([^"]+)"\)', (BOOK / chapter).read_text(encoding="utf-8"))


def part_headings(html: str) -> list[str]:
    return [htmllib.unescape(h) for h in
            re.findall(r'<section class="partner-part partner-[a-z_]+"><h\d>([^<]*)</h\d>', html)]


def group_headers(html: str) -> list[str]:
    return [htmllib.unescape(h) for h in re.findall(r'<th scope="rowgroup"[^>]*>([^<]*)</th>', html)]


def row_headers(html: str) -> list[str]:
    return [htmllib.unescape(h) for h in re.findall(r'<th scope="row">([^<]*)</th>', html)]


@pytest.fixture
def engine() -> Engine:
    return Engine.open("warwickshire")


def test_both_plugins_are_listed_with_their_hooks(engine):
    infos = {p.name: p for p in engine.plugins}
    template = infos["board:warwickshire/partner_template"]
    grid = infos["board:warwickshire/attendance_grid"]
    assert template.origin == grid.origin == "board warwickshire"
    assert set(template.hooks) == {"lscb_partner_contributions", "lscb_register_block_types"}
    assert set(grid.hooks) == {"lscb_register_block_types"}


# --- partner template -------------------------------------------------------------------------------

def test_all_fifteen_partners_use_one_template_in_one_order(engine):
    partners = sections_of("06-partners.qmd")
    assert len(partners) == 15
    for sid in partners:
        out = engine.section(YEAR, sid)
        assert out.plugin == "board:warwickshire/partner_template", sid
        assert [type(b).__name__ for b in out.blocks] == ["PartnerReport"], sid
        headings = part_headings(out.html(3))
        # the template's headings, in its order, never another layout's
        assert headings == [h for h in TEMPLATE if h in headings], (sid, headings)
        assert headings[-1] == "Safeguarding priorities for 2014/15", sid


def test_youth_justice_reads_role_to_priorities_with_its_figures(engine):
    page = engine.section(YEAR, "partners.youth-justice").html(3)
    assert part_headings(page) == TEMPLATE
    figures = page[page.index("In figures"):page.index("Challenges")]
    values = re.findall(r'<span class="value">([^<]*)</span>', figures)
    assert values == ["9", "11", "14", "6.9%"]
    # number words stay in the prose, as printed
    assert "six were placed in secure accommodation and three in community" in page
    assert "among the six lowest in the country" in page


def test_police_figures_hold_both_referral_tables(engine):
    page = engine.section(YEAR, "partners.police").html(3)
    figures = page[page.index("In figures"):page.index("Safeguarding priorities")]
    assert figures.count("<table") == 2
    assert "9,538" in figures and "9,657" in figures and "1,626" in figures
    assert "Does not include referrals to MARAC" in figures


def test_a_partner_file_outside_the_template_is_refused(copy_board):
    root = copy_board("warwickshire")
    path = root / "data" / YEAR / "sections" / "partners.cswp.yml"
    path.write_text("kind: partner\nblocks:\n  - text: CSWP helps young people.\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        Engine.open("warwickshire").section(YEAR, "partners.cswp")
    assert "partners.cswp.yml" in str(err.value) and "partner template" in str(err.value)


def test_a_partner_without_priorities_is_refused(copy_board):
    root = copy_board("warwickshire")
    path = root / "data" / YEAR / "sections" / "partners.stratford-dc.yml"
    path.write_text("kind: partner\nblocks:\n  - partner: Stratford District Council\n"
                    "    challenges: Homeless 16/17 year olds.\n", encoding="utf-8")
    with pytest.raises((DataError, DataErrors)) as err:
        Engine.open("warwickshire").section(YEAR, "partners.stratford-dc")
    assert "partners.stratford-dc.yml" in str(err.value) and "safeguarding_priorities" in str(err.value)


# --- attendance grid --------------------------------------------------------------------------------

def test_attendance_grid_is_a_real_table_grouped_by_agency(engine):
    out = engine.section(YEAR, "governance.attendance")
    grid, members = (b for b in out.blocks if type(b).__name__ == "GroupedTable")
    page = grid.html(3)
    assert re.findall(r'<th scope="col">([^<]*)</th>', page) == [
        "Board Member (s)", "May 2013", "Sept. 2013", "Dec. 2013", "Feb 2014"]
    assert group_headers(page) == ["Independent Chair", "WCC"]
    assert page.count("<tbody>") == 2
    names = row_headers(page)
    assert len(names) == 14 and names[0] == "Chris Hallett" and names[-1].startswith("Cornelia Heaney")
    row = re.search(r'<tr><th scope="row">Wendy Fabbro.*?</tr>', page).group(0)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["A", "A", "√", "A"]
    row = re.search(r'<tr><th scope="row">Jenny Wood.*?</tr>', page).group(0)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["D", "√", "√", "A"]
    assert "<td></td>" not in page and '<td class="mark"></td>' not in page
    assert "Key: √ attended" in page


def test_members_without_marks_are_listed_by_agency_without_attendance_columns(engine):
    out = engine.section(YEAR, "governance.attendance")
    grid, members = (b for b in out.blocks if type(b).__name__ == "GroupedTable")
    page = members.html(3)
    assert re.findall(r'<th scope="col">([^<]*)</th>', page) == ["Board Member (s)"]
    assert "<td" not in page
    assert group_headers(page) == ["WSCB", "Warwickshire Police", "Warwickshire Youth Justice Service",
                                   "Warwickshire Probation Trust", "District and Borough Councils", "Health",
                                   "Other members"]
    police = page[page.index("Warwickshire Police"):page.index("Warwickshire Youth Justice Service")]
    assert row_headers(police) == ["Steve Cullen (Detective Superintendent)",
                                   "Amanada Blakeman (Detective Superintendent)",
                                   "Damian Barratt (Acting Detective Superintendent)",
                                   "Richard Long (Detective Chief Inspector)", "Nigel Jones (Detective Inspector)"]
    # nobody from the police or health is shown under the council
    wcc = grid.html(3).split(">WCC<", 1)[1]
    assert "Detective" not in wcc and "Nurse" not in wcc


@pytest.mark.parametrize("row, problem", [
    ("WCC,Wendy Fabbro (DCS Strategic Director),A,X,√,A", "'X'"),
    ("WCC,Wendy Fabbro (DCS Strategic Director),A,,√,A", "no mark for Sept. 2013"),
    (",Wendy Fabbro (DCS Strategic Director),A,A,√,A", "agency on every row"),
])
def test_attendance_grid_errors_name_the_file_and_row(copy_board, row, problem):
    root = copy_board("warwickshire")
    path = root / "data" / YEAR / "tables" / "attendance-grid.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = row
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises((DataError, DataErrors)) as err:
        Engine.open("warwickshire").section(YEAR, "governance.attendance")
    message = str(err.value)
    assert "attendance-grid.csv" in message and "row 3 (Wendy Fabbro" in message and problem in message


# --- other boards -----------------------------------------------------------------------------------

def test_the_plugins_do_not_reach_another_board():
    other = Engine.open("coventry")
    assert not [p for p in other.plugins if "warwickshire" in p.name]
    assert "partner" not in other.block_types and "attendance-grid" not in other.block_types
    out = other.section("2013-14", next(s for s in sections_of_board("coventry", "2013-14")
                                        if s.startswith("partners.")))
    assert out.plugin == "plugins.partners"
    assert not [b for b in out.blocks if type(b).__name__ in ("PartnerReport", "GroupedTable")]


def sections_of_board(board: str, year: str) -> list[str]:
    book = BOOK.parents[1] / board / year
    return [s for q in sorted(book.glob("*.qmd"))
            for s in re.findall(r'board\.section\("([^"]+)"\)', q.read_text(encoding="utf-8"))]


# --- the rendered report ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page(rendered) -> str:
    """The report as the shared session render made it (tests/conftest.py): rendered once for all tests."""
    return rendered[("warwickshire", YEAR)]


def test_statistics_chapter_is_numbered_under_7(page):
    start = page.index(">7. Effectiveness of Safeguarding Children arrangements in Warwickshire</h2>")
    chapter = page[start:page.index(">8. WSCB Business Plan 2014-15</h2>")]
    heads = [htmllib.unescape(h) for h in re.findall(r"<h[34][^>]*>([^<]*)</h[34]>", chapter)]
    numbered = [h.split(" ", 1)[0] for h in heads if re.match(r"\d", h)]
    assert numbered[:3] == ["7.1", "7.2", "7.2.1"]
    assert all(n.startswith("7.") for n in numbered), numbered
    assert len(numbered) == len(set(numbered)), numbered       # no number used twice
    assert "7.5.11" in numbered


def test_report_speaks_as_the_board(page):
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)))
    for phrase in ("extraction", "as printed", "notes.md", "not recovered", "the report's", "transcript",
                   "was an image", "data notes", "(an image)", "[sic]"):
        assert phrase not in text, phrase
    assert "I am pleased to introduce" in text and "David Peplow" in text


def test_no_key_figure_is_a_word_or_a_date(page):
    values = [htmllib.unescape(v) for v in re.findall(r'<span class="value">([^<]*)</span>', page)]
    assert values
    for value in values:
        assert re.search(r"\d", value), value
        assert not re.search(r"(January|February|March|April|May|June|July|August|September|October|"
                             r"November|December) \d{4}", value), value
