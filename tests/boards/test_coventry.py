"""Coventry: the board's own plugins (2013/14 priorities with their work, the structure chart; 2023/24
population infographic) and its two reports as the board's own publications."""
from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest

from core.data import DataError
from core.engine import Engine
from core.errors import DataErrors, LscbError
from plugins.blocks.figures import is_figure
from plugins.checks.command import check_year

BOARD = Path(__file__).resolve().parents[2] / "boards" / "coventry"
PLUGINS = {"board:coventry/priority_work", "board:coventry/structure_chart", "board:coventry/population_infographic"}


def headings(page: str) -> list[tuple[int, str]]:
    return [(int(m[0]), htmllib.unescape(re.sub(r"<[^>]+>", "", m[1])))
            for m in re.findall(r"<h(\d)[^>]*>(.*?)</h\1>", page, re.S)]


def text_of(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def engine() -> Engine:
    return Engine.open("coventry")


def test_the_three_plugins_are_listed_with_their_hooks(engine):
    infos = {p.name: p for p in engine.plugins}
    assert PLUGINS <= set(infos)
    for name in PLUGINS:
        assert infos[name].origin == "board coventry"
        assert infos[name].hooks == ("lscb_register_block_types",)


def test_lscb_plugins_lists_them(capsys):
    from core.cli import main
    assert main(["plugins", "coventry"]) == 0
    out = capsys.readouterr().out
    for name in PLUGINS:
        assert name in out
    assert "structure-chart" in out and "infographic" in out and "priority" in out


def test_other_boards_do_not_get_coventrys_blocks():
    for board in ("warwickshire", "leicester", "cheshire_west"):
        engine = Engine.open(board)
        assert not {"structure-chart", "infographic", "priority"} & set(engine.block_types.names()), board
        assert not [p for p in engine.plugins if p.name.startswith("board:coventry/")], board


# --- 2013/14: review work under the priority it served ------------------------------------------------

def test_review_work_sits_under_the_priority_it_served(engine):
    page = "".join(engine.section("2013-14", f"priorities.priority-{n}").html(4) for n in range(1, 6))
    heads = headings(page)
    titles = [t for _, t in heads]
    p1, p2, p3 = (titles.index(t) for t in ("Priority 1: Embed learning from recent serious cases",
                                             "Priority 2: Challenge the effectiveness of early help",
                                             "Priority 3: Work together to tackle Child Sexual Exploitation (CSE)"))
    # Serious case reviews and CDOP one level below Priority 1 and before Priority 2; CAF under Priority 2
    assert heads[p1][0] == heads[p2][0] == 4
    for title in ("Serious case reviews", "Child Death Overview Panel (CDOP)"):
        i = titles.index(title)
        assert p1 < i < p2 and heads[i][0] == 5, title
    i = titles.index("CAF training")
    assert p2 < i < p3 and heads[i][0] == 5
    assert titles.index("Daniel Pelka") > titles.index("Serious case reviews")
    # the work keeps its figures: Daniel Pelka's recommendations, 28 deaths reviewed, CAF total
    assert "Daniel Pelka: recommendations" in page and ">28<" in page and "1,393" in page
    # and the reviews still count as the report's review section
    coverage = {c.requirement.id: c.missing for c in check_year(engine, "2013-14").coverage}
    assert coverage["LSCBR-5e"] is False and coverage["LSCBR-6"] is False


def test_priority_block_names_a_missing_priority(copy_board):
    root = copy_board("coventry")
    rel = root / "data" / "2013-14" / "sections" / "priorities.priority-4.yml"
    rel.write_text('kind: priorities\nblocks:\n  - priority: "9"\n', encoding="utf-8")
    with pytest.raises((DataError, DataErrors)) as e:
        Engine.open("coventry").section("2013-14", "priorities.priority-4")
    msg = str(e.value)
    assert "priorities.priority-4.yml" in msg and "'9'" in msg and "1, 2, 3, 4, 5" in msg


# --- 2013/14: structure chart -------------------------------------------------------------------------

def test_structure_chart_is_a_captioned_diagram_of_real_text(engine):
    page = engine.section("2013-14", "governance.structure-chart").html(3)
    assert page.count('role="figure"') == 1
    caption = re.search(r'<div class="structure-chart" role="figure" aria-labelledby="([^"]+)">', page)[1]
    assert (f'<p class="sc-caption" id="{caption}"><strong>Structure of the Coventry Safeguarding Children '
            'Board, 2013/14</strong></p>') in page
    # the diagram is a nested list: tiers, top to bottom, then units, then the groups under a unit
    tiers = re.findall(r'<span class="sc-tier-name">([^<]*)</span>', page)
    assert [htmllib.unescape(t) for t in tiers] == [
        "The Board answers to and links with", "The Board", "Subgroups and groups reporting to the Board"]
    subgroups = page[page.index("Subgroups and groups reporting"):]
    names = [htmllib.unescape(n) for n in re.findall(r'<span class="sc-name">([^<]*)</span>', subgroups)]
    assert len(names) == 9 and names[0] == "Serious Case Review sub-committee"
    cse = subgroups[subgroups.index("CSE and Missing Children Subgroup"):]
    assert cse.index("CSE and Missing Operational Group (CMOG)") < cse.index("</li></ul></li>")
    assert ('<li class="sc-unit sc-main"><span class="sc-name">Coventry Safeguarding Children Board</span>'
            '<span class="sc-sep">, </span><span class="sc-detail">Independent Chair') in page
    assert "DCI Dean Young" in page and "CWPT Named Nurse" in page


def test_structure_chart_text_alternative_for_word_and_quarto(engine):
    md = engine.section("2013-14", "governance.structure-chart").markdown(3)
    lines = md.splitlines()
    assert lines[0] == "**Structure of the Coventry Safeguarding Children Board, 2013/14**"
    assert "1. The Board answers to and links with" in lines
    assert "3. Subgroups and groups reporting to the Board" in lines
    i = lines.index("    - **CSE and Missing Children Subgroup**: formed after December 2013; chaired by DCI Dean Young")
    assert lines[i + 1] == "        - CSE and Missing Operational Group (CMOG)"


def test_structure_chart_refuses_a_unit_without_a_name(copy_board):
    root = copy_board("coventry")
    rel = root / "data" / "2013-14" / "sections" / "governance.structure-chart.yml"
    rel.write_text(rel.read_text(encoding="utf-8").replace("- {name: Scrutiny Board}", "- {detail: Scrutiny}"),
                   encoding="utf-8")
    with pytest.raises((DataError, DataErrors)) as e:
        Engine.open("coventry").section("2013-14", "governance.structure-chart")
    msg = str(e.value)
    assert "governance.structure-chart.yml" in msg and "structure-chart.tiers[1].units[2]" in msg


# --- 2023/24: population infographic ------------------------------------------------------------------

def test_population_infographic_panels_in_order_with_figures_in_numerals(engine):
    page = engine.section("2023-24", "demographics.population").html(3)
    assert page.count('<div class="infographic">') == 1
    panels = re.findall(r'<section class="ig-panel"><h3>([^<]*)</h3>(.*?)</section>', page, re.S)
    assert [htmllib.unescape(h) for h, _ in panels] == [
        "Population growth", "Latest estimate", "A diverse city", "Schools", "Low-income families",
        "Deprivation", "Age in 2022", "A young city"]
    values = re.findall(r'<span class="ig-value">([^<]*)</span>', page)
    assert values[:4] == ["8.9%", "345,300", "355,600", "55.9%"]
    assert {"78,947", "225,915", "50,738", "64th", "34 years", "40 years"} <= set(values)
    assert all(is_figure(v) for v in values), values
    # every figure is a list item with its label beside it (real text, read in order)
    ages = dict(panels)["Age in 2022"]
    assert "<ul class=\"ig-figures\">" in ages and "were aged 65 and over" in ages


def test_population_infographic_refuses_a_figure_in_words(copy_board):
    root = copy_board("coventry")
    rel = root / "data" / "2023-24" / "sections" / "demographics.population.yml"
    rel.write_text(rel.read_text(encoding="utf-8").replace('value: "355,600"', "value: three hundred"),
                   encoding="utf-8")
    with pytest.raises(LscbError) as e:
        Engine.open("coventry").section("2023-24", "demographics.population")
    msg = str(e.value)
    assert "demographics.population.yml" in msg and "infographic.panels[2].figures" in msg


def test_table_1_notes_carry_markers(engine):
    page = engine.section("2023-24", "demographics.population").html(3)
    table = page[page.index("<table"):page.index("</table>")]
    assert len(re.findall(r"<sup", table)) == 3
    assert "printed" not in text_of(page)


# --- both reports: the board's own voice --------------------------------------------------------------

@pytest.fixture(scope="module")
def reports(rendered):
    """Both reports as the shared session render made them (tests/conftest.py)."""
    return {y: rendered[("coventry", y)] for y in ("2013-14", "2023-24")}


SOURCE_TALK = re.compile(r"\bprinted\b|extraction|transcript|notes\.md|recovered|did not survive|"
                         r"the report's|as printed|page \d+ of the report|contents list", re.I)


@pytest.mark.parametrize("year", ["2013-14", "2023-24"])
def test_no_sentence_about_the_printed_source(reports, year):
    body = reports[year]
    body = body[body.index("<main"):body.index('id="accessibility-statement"') if 'id="accessibility-statement"'
                in body else len(body)]
    assert not SOURCE_TALK.findall(text_of(body))


def test_forewords_are_in_the_first_person(reports):
    text = text_of(reports["2013-14"][reports["2013-14"].index("<main"):])
    foreword = text[text.index("1.1 Foreword by Independent Chair"):text.index("1.2 Executive summary")]
    assert "I am required" in foreword and "I have to qualify the assurance I can give" in foreword
    assert "Amy Weir MA MBA Independent Chair July 3 2014" in foreword
    assert 'class="value">Amy Weir' not in reports["2013-14"]
    partners = text_of(reports["2023-24"][reports["2023-24"].index("<main"):])
    intro = partners[partners.index("Introduction from the Safeguarding Partners"):]
    assert "we have gone from strength to strength" in intro[:1500]


def test_partner_work_is_inside_whats_working_well(reports):
    page = reports["2023-24"]
    csa = page[page.index("Priority 1: Child Sexual abuse"):page.index("Priority 2: Exploitation")]
    well = text_of(csa[csa.index("What&#x27;s working well"):csa.index("What are we worried about")])
    assert "What partners did" not in text_of(csa)
    for agency in ("Coventry City Council Children's Services", "West Midlands Police", "Coventry College",
                   "The Probation Service", "The Vanguard", "The Integrated Care Board"):
        assert agency in well, agency
    # in the order the partnership reported them
    assert well.index("17 Social Workers") < well.index("Child Sexual Abuse Conference") < well.index("Artemis")


def test_missing_episodes_chart_draws_twelve_months_in_order_and_no_total(engine):
    from plugins.charts.chart import Chart
    chart = next(b for b in engine.section("2013-14", "learning.missing").blocks if isinstance(b, Chart))
    assert list(chart.drawn[chart.x]) == ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan",
                                          "Feb", "Mar"]
    assert list(chart.totals[chart.y]) == ["323"]
    assert "undefined" not in chart.html(4)
