"""Leicester 2014-15: the board's key messages by audience and improvement plan plugins, and its report."""
from __future__ import annotations

import html as htmllib
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from core.data import DataError
from core.engine import Engine
from core.errors import DataErrors
from plugins.checks.command import check_year

YEAR = "2014-15"
AUDIENCES = ["Messages for the Children's Workforce", "Messages to the Community", "Messages to Local Media",
             "Children and Young People"]
PLAN_ROWS = ["Objective", "Key activities", "Responsible lead", "Desired outcome",
             "Timescale and progress review points"]


@pytest.fixture
def engine() -> Engine:
    return Engine.open("leicester")


class Outline(HTMLParser):
    """Headings with their ids, sections with aria-labelledby, table row headers, tel: links."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[str, str]] = []      # (id, text)
        self.labelled: list[str] = []
        self.row_headers: list[str] = []
        self.tel: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "aria-labelledby" in a:
            self.labelled.append(a["aria-labelledby"])
        if re.fullmatch(r"h[2-6]", tag):
            self.headings.append((a.get("id", ""), ""))
            self._open.append("h")
        elif tag == "th" and a.get("scope") == "row":
            self.row_headers.append("")
            self._open.append("th")
        elif tag == "a" and a.get("href", "").startswith("tel:"):
            self.tel.append(a["href"])

    def handle_endtag(self, tag):
        if self._open and (re.fullmatch(r"h[2-6]", tag) and self._open[-1] == "h"
                           or tag == "th" and self._open[-1] == "th"):
            self._open.pop()

    def handle_data(self, data):
        if self._open and self._open[-1] == "h":
            self.headings[-1] = (self.headings[-1][0], self.headings[-1][1] + data)
        elif self._open and self._open[-1] == "th":
            self.row_headers[-1] += data


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


# --- the plugins are the board's own ------------------------------------------------------------------

def test_lscb_plugins_lists_both_board_plugins(engine):
    infos = {p.name: p for p in engine.plugins}
    for name in ("board:leicester/key_messages", "board:leicester/improvement_plan",
                 "board:leicester/progress_report"):
        assert infos[name].origin == "board leicester"
        assert infos[name].hooks == ("lscb_register_block_types",)
    lscb = Path(sys.executable).with_name("lscb")
    out = subprocess.run([str(lscb), "plugins", "leicester"], capture_output=True, text=True, check=True).stdout
    assert "board:leicester/key_messages" in out and "board:leicester/improvement_plan" in out
    assert "audience-messages" in out and "improvement-plan" in out and "progress-report" in out


def test_the_plugins_do_not_reach_another_board():
    other = Engine.open("cheshire_west")
    assert not [p for p in other.plugins if "leicester" in p.name]
    for directive in ("audience-messages", "improvement-plan", "progress-report"):
        assert directive not in other.block_types
    for sid in ("priorities.business-plan", "governance.foreword"):
        out = other.section(YEAR, sid)
        assert not [b for b in out.blocks
                    if type(b).__name__ in ("AudienceMessages", "ImprovementPlan", "Question", "Deeper")]


# --- key messages by audience -------------------------------------------------------------------------

def test_key_messages_are_grouped_by_audience_in_the_boards_order(engine):
    out = engine.section(YEAR, "priorities.key-messages")
    block = next(b for b in out.blocks if type(b).__name__ == "AudienceMessages")
    page = out.html(3)
    o = outline(page)
    audience_heads = [(i, t) for i, t in o.headings if i.startswith("key-messages-")]
    assert [htmllib.unescape(t) for _, t in audience_heads] == AUDIENCES
    # every audience is a section named by its own heading
    assert o.labelled == [i for i, _ in audience_heads]
    assert [len(a.messages) for a in block.audiences] == [5, 3, 3, 2]
    sections = re.findall(r'<section class="audience"[^>]*>(.*?)</section>', page, re.S)
    assert len(sections) == 4 and all('<ul class="messages">' in s for s in sections)


def test_the_community_gets_the_numbers_to_ring_exactly(engine):
    out = engine.section(YEAR, "priorities.key-messages")
    page = out.html(3)
    community = re.search(r'aria-labelledby="key-messages-messages-to-the-community">(.*?)</section>', page, re.S)
    assert community, "no community section"
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", community.group(1)))
    for number in ("0116 4541004", "0116 222 2222", "999"):
        assert number in text
    assert outline(page).tel == ["tel:01164541004", "tel:01162222222", "tel:999"]
    md = out.blocks[-1].markdown(3)
    assert [line[4:] for line in md.splitlines() if line.startswith("### ")] == AUDIENCES
    assert "**0116 4541004**" in md


def test_key_messages_still_meet_lscbr_5b(engine):
    result = check_year(engine, YEAR)
    cov = {c.requirement.id: c for c in result.coverage}
    assert not cov["LSCBR-5b"].missing
    assert any(sid == "priorities.key-messages" for _, sid in cov["LSCBR-5b"].met_by)


@pytest.mark.parametrize("old, new, where", [
    ("          - Protecting children is a responsibility we all share.\n"
     "          - If you are worried about a child, ring Leicester's Children's Services or the Police.\n"
     "          - In an emergency always call 999.\n", "", "audience-messages[2].messages"),
    ('number: "0116 222 2222"', 'number: "call the police"', "audience-messages[2].contacts[2].number"),
])
def test_a_broken_audience_names_the_file_and_the_audience(copy_board, old, new, where):
    root = copy_board("leicester")
    path = root / "data" / YEAR / "sections" / "priorities.key-messages.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises((DataError, DataErrors)) as err:
        Engine.open("leicester").section(YEAR, "priorities.key-messages")
    message = str(err.value)
    assert "priorities.key-messages.yml" in message and where in message


# --- the improvement plan -----------------------------------------------------------------------------

def test_the_plan_shows_each_priority_under_its_heading_with_the_plans_headings(engine):
    out = engine.section(YEAR, "priorities.business-plan")
    plan = next(b for b in out.blocks if type(b).__name__ == "ImprovementPlan")
    page = plan.html(3)
    o = outline(page)
    heads = [htmllib.unescape(t) for i, t in o.headings if i.startswith("plan-priority-")]
    assert heads == ["Priority 1: Post Ofsted Improvement Plan", "Priority 2: Core Business",
                     "Priority 3: LSCB Identified Priorities for 2015 - 2017", "Priority 4: Participation & Engagement",
                     "Priority 5: Effectiveness of Multi-Agency Practice", "Priority 6: Children's Workforce Development"]
    tables = re.findall(r'<table class="plan-priority"><caption>([^<]*)</caption>(.*?)</table>', page, re.S)
    assert [t[0] for t in tables] == [f"The plan for priority {n}" for n in range(1, 7)]
    for _, body in tables:
        rows = [htmllib.unescape(h) for h in re.findall(r'<th scope="row">([^<]*)</th>', body)]
        assert rows == [r for r in PLAN_ROWS if r in rows] and rows[:2] == PLAN_ROWS[:2]
    by_number = {p.number: p for p in plan.priorities}
    assert by_number["6"].timescales == ["March 2016/2017"]
    assert by_number["5"].timescales.count("From Sept 2015 and Ongoing.") == 2
    assert "Chair of Practitioners Forum" in by_number["4"].leads
    assert [a[:3] for a in by_number["4"].activities] == ["[a]", "[b]", "[c]", "[d]", "[e]"]


def test_a_priority_without_activities_is_refused(copy_board):
    root = copy_board("leicester")
    path = root / "data" / YEAR / "business-plan.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    activities:\n      - a. The LSCB reviews")
    end = text.index("    leads: [LSCB Chair, LSCB Members]\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises((DataError, DataErrors)) as err:
        Engine.open("leicester").section(YEAR, "priorities.business-plan")
    assert "business-plan.yml" in str(err.value) and "priorities[1].activities" in str(err.value)


def test_the_plan_never_sets_one_row_per_pdf_page(engine):
    """Set as one wide table the plan took a page per priority row; now every printed page of it holds
    at least two of the plan's rows (or a heading and a row)."""
    pdfium = pytest.importorskip("pypdfium2")
    weasyprint = pytest.importorskip("weasyprint")
    from plugins.formats.pdf import print_stylesheet
    plan = engine.section(YEAR, "priorities.business-plan").blocks[-1]
    page = (f'<!doctype html><html lang="en-GB"><head><style>{print_stylesheet()}</style></head>'
            f"<body><main>{plan.html(3)}</main></body></html>")
    pdf = pdfium.PdfDocument(weasyprint.HTML(string=page).write_pdf())
    texts = [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    assert 3 <= len(texts) <= 8, len(texts)
    for n, text in enumerate(texts[:-1], start=1):     # the last page may hold the plan's last row alone
        marks = sum(text.count(label) for label in PLAN_ROWS) + len(re.findall(r"Priority \d:", text))
        assert marks >= 2, f"page {n} holds a single row: {text[:200]!r}"


# --- sub-group progress reports -----------------------------------------------------------------------

PROGRESS = {   # section -> the questions and headings of its report, in the report's order
    "demographics.thresholds-assessment": [
        "Thresholds", "Assessment Protocol and Framework",
        "Why did we do it? How did we know there was a need to do it?", "How well did we do it?",
        "Is anyone better off? How do we know they are better off?",
        "What are the priorities for the work over the next 12 months from April 2015?"],
    "partners.early-help": [
        "Is anyone better off? How do we know they are better off?", "What is the evidence for that?",
        "What are the priorities for the work over the next 12 months from April 2015?"],
    "governance.procedures": [
        "How much have we done in the last 12 months up to March 2015?", "How well did we do it?",
        "Is anyone better off? How do we know they are better off?", "What is the evidence for that?",
        "What are the priorities for the work over the next 12 months from April 2015?"],
    "learning.cse-missing": [
        "What have we done?", "What are the priorities for the work over the next 12 months from April 2015?",
        "Is anyone better off? How do we know they are better off?"],
    "learning.lado": [
        "How much have we done?", "How well did we do it?", "Responding to Learning",
        "Is anyone better off? How do we know they are better off?",
        "What are the priorities for the work over the next 12 months from April 2015?"],
}


@pytest.mark.parametrize("sid", list(PROGRESS))
def test_progress_reports_keep_the_boards_questions_in_order(engine, sid):
    out = engine.section(YEAR, sid)
    page = out.html(4)
    questions = [htmllib.unescape(q) for q in re.findall(r'<h4 class="progress-question[^"]*">([^<]*)</h4>', page)]
    assert questions == PROGRESS[sid]
    # from the first question on, a part's own titles sit one level below its question, never beside it
    report = page[page.index('class="progress-question'):]
    assert not re.search(r"<h[34](?! class=\"progress-question)[ >]", report)


def test_a_progress_reports_tables_stay_the_sections_own(engine):
    out = engine.section(YEAR, "learning.lado")
    tables = [b for b in out.blocks if type(b).__name__ == "Table"]
    assert [t.frame.columns[0] for t in tables] == ["Outcome", "Time to complete", "Time open"]
    text = " ".join(out.blocks[-1].text_values())
    assert text == "Steve Tee, Interim LADO"
    md = out.markdown(4)
    assert "#### How well did we do it?" in md and "**Steve Tee, Interim LADO**" in md


@pytest.mark.parametrize("old, new, where, expected", [
    ("        - ask: better-off\n", "        - ask: worse-off\n", "progress-report.parts[4].ask", "one of the questions"),
    ("        - ask: better-off\n", "        - ask: how-much\n", "progress-report.parts[4].ask", "each question once"),
    ("        - ask: better-off\n", "        - heading: Outcomes\n", "progress-report.parts", "Is anyone better off?"),
    ("            - text: |\n                The LADO process is embedded",
     "            - txt: |\n                The LADO process is embedded", "progress-report.parts[4].blocks[1]",
     "exactly one of the block types"),
])
def test_a_broken_progress_report_names_the_file_and_part(copy_board, old, new, where, expected):
    root = copy_board("leicester")
    path = root / "data" / YEAR / "sections" / "learning.lado.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises((DataError, DataErrors)) as err:
        Engine.open("leicester").section(YEAR, "learning.lado")
    message = str(err.value)
    assert "learning.lado.yml" in message and where in message and expected in message, message


# --- the rendered report ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page(rendered) -> str:
    """The report as the shared session render made it (tests/conftest.py): rendered once for all tests."""
    return rendered[("leicester", YEAR)]


def body_text(page: str) -> str:
    """The report's own text: without the generated accessibility statement, scripts and styles."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    cut = page.find("Accessibility statement")
    page = page[:cut] if cut > 0 else page
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize("phrase", ["printed", "extraction", "transcript", "notes.md", "not reproduced",
                                    "recovered", "the report's", "the report gives", "contents list",
                                    "data notes", "survive"])
def test_the_report_never_speaks_of_a_printed_source(page, phrase):
    text = body_text(page)
    assert phrase.lower() not in text.lower(), re.findall(rf".{{60}}{re.escape(phrase)}.{{60}}", text, re.I)[:3]


def test_the_foreword_is_the_chairs_own_first_person(page):
    start = page.index(">Foreword</h2>")
    foreword = body_text(page[start:page.index("About this report", start)])
    assert "This is my fifth annual report as Independent Chair" in foreword
    assert "My second term of office ends in April 2016" in foreword
    assert "David N. Jones" in foreword and "PhD, MA, BA, CQSW, RSW" in foreword
    assert "The Chair " not in foreword and " presents his " not in foreword


def test_table_1_notes_carry_markers_on_their_rows(page):
    table = re.search(r'<table id="tbl-vulnerable-children">.*?</table>(.*?)</div>', page, re.S)
    assert table, "Table 1 not found"
    rows = dict(re.findall(r'<th scope="row">([^<]*)(<sup class="note-ref">.*?</sup>)?</th>', table.group(0)))
    assert 'aria-label="Note a"' in rows["Children subject to a child protection plan"]
    assert 'aria-label="Note b"' in rows["Referrals to children&#x27;s social care"]
    assert re.search(r'id="tbl-vulnerable-children-note-a"><sup class="note-marker">a</sup>', table.group(1))
