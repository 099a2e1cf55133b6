"""Cheshire West and Chester 2014-15: the board's own effectiveness plugin (Section 4) and its report."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.data import DataError
from core.engine import Engine
from core.errors import DataErrors
from plugins.blocks import KeyFigures

YEAR = "2014-15"
BOOK = Path(__file__).resolve().parents[2] / "boards" / "cheshire_west" / YEAR
PLUGIN = "board:cheshire_west/effectiveness"
# Section 4 as published: its areas in the report's order
AREAS = ["demographics.front-door", "demographics.children-in-need", "demographics.child-protection",
         "demographics.children-in-care", "demographics.substance-misuse", "demographics.self-harm",
         "learning.private-fostering", "learning.lado"]


def sections_of(chapter: str) -> list[str]:
    return re.findall(r'board\.section\("([^"]+)"\)', (BOOK / chapter).read_text(encoding="utf-8"))


def headers(html: str, scope: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(rf'<th scope="{scope}"[^>]*>(.*?)</th>', html)]


@pytest.fixture
def engine() -> Engine:
    return Engine.open("cheshire_west")


def test_plugin_is_listed_with_its_hooks(engine):
    info = next(p for p in engine.plugins if p.name == PLUGIN)
    assert info.origin == "board cheshire_west"
    assert {"lscb_demographics", "lscb_learning", "lscb_register_block_types"} <= set(info.hooks)


def test_section_4_areas_in_published_order_each_built_by_the_plugin(engine):
    assert sections_of("06-effectiveness.qmd") == AREAS
    for sid in AREAS:
        out = engine.section(YEAR, sid)
        assert out.plugin == PLUGIN, sid
        assert type(out.blocks[0]).__name__ == "Scorecard", sid
        assert all(type(b).__name__ != "Commentary" for b in out.blocks[:-1]), sid


def test_child_protection_scorecard_figures_and_table(engine):
    out = engine.section(YEAR, "demographics.child-protection")
    card = out.blocks[0]
    assert [f.value for f in card.headline.facts] == ["246", "37", "97.7%"]
    html = card.html(4)
    assert re.match(r'<section class="scorecard" aria-label="Child protection plans[^"]*">', html)
    assert "<caption>Child protection plans" in html
    # a real table: column headers in the printed order of the comparator box, one row header per measure
    assert headers(html, "col") == ["Measure", "England", "Statistical neighbours", "CW&amp;C 2013/14",
                                    "CW&amp;C 2014/15"]
    rows = headers(html, "row")
    assert rows[0] == "Children on a child protection plan per 10,000 children aged 0-17"
    first = re.search(r"<tr><th scope=\"row\">Children on a child protection plan per 10,000.*?</tr>", html).group(0)
    assert re.findall(r"<td[^>]*>([^<]*)", first) == ["42", "37", "26", "37"]
    # the printed asterisk is a note marker on the cell, explained under the table
    assert re.search(r'37<sup class="note-ref"><a href="#([^"]+)" aria-label="Note a">a</a></sup></td></tr>', first)
    assert re.search(r'<p class="table-note" id="[^"]+-note-a"><sup class="note-marker">a</sup> Latest month', html)


def test_children_in_care_scorecard_compares_with_the_north_west(engine):
    card = engine.section(YEAR, "demographics.children-in-care").blocks[0]
    html = card.html(4)
    assert headers(html, "col") == ["Measure", "England", "Statistical neighbours", "North West",
                                    "CW&amp;C 2013/14", "CW&amp;C 2014/15"]
    row = re.search(r"<tr><th scope=\"row\">Children in care per 10,000.*?</tr>", html).group(0)
    assert re.findall(r"<td[^>]*>([^<]*)", row) == ["60", "53", "81", "67", "77"]
    assert 'aria-label="Note a"' in row
    assert [f.value for f in card.headline.facts] == ["506", "98%", "97%"]


def test_commentary_asks_the_boards_three_questions_in_order(engine):
    out = engine.section(YEAR, "demographics.child-protection")
    commentary = out.blocks[-1]
    html = commentary.html(4)
    assert re.findall(r"<h4>([^<]*)</h4>", html) == ["What have we done?", "Next steps"]
    assert "Child Protection chairs" in html
    md = commentary.markdown(4)
    assert md.index("#### What have we done?") < md.index("#### Next steps")


def test_lado_outcomes_and_scorecard(engine):
    out = engine.section(YEAR, "learning.lado")
    card = out.blocks[0]
    assert [f.value for f in card.headline.facts] == ["102", "45"]
    html = "".join(b.html(4) for b in out.blocks)
    assert "<th scope=\"row\">Contacts to the LADO</th><td class=\"num\">102</td><td class=\"num\">164</td>" in html
    for outcome, n in [("Substantiated", "4"), ("Unfounded", "6"), ("Unsubstantiated", "6"), ("In progress", "9")]:
        assert f'<th scope="row">{outcome}</th><td class="num">{n}</td>' in html


def _key_figures(block) -> int:
    """Key figures in a block, including a scorecard's headline and those inside a commentary."""
    if isinstance(block, KeyFigures):
        return len(block.facts)
    n = len(block.headline.facts) if getattr(block, "headline", None) else 0
    for _, blocks in getattr(block, "parts", []):
        n += sum(_key_figures(b) for b in blocks)
    return n


def test_key_figures_are_a_few_headlines_per_section(engine):
    total = 0
    for chapter in sorted(p.name for p in BOOK.glob("*.qmd")):
        for sid in sections_of(chapter):
            out = engine.section(YEAR, sid)
            n = sum(_key_figures(b) for b in out.blocks)
            assert n <= 3, (sid, n)
            total += n
    assert 0 < total <= 60, total


def _edit(root: Path, section: str, old: str, new: str) -> None:
    p = root / "data" / YEAR / "sections" / f"{section}.yml"
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_fourth_headline_figure_is_refused_naming_the_file(copy_board):
    root = copy_board("cheshire_west")
    _edit(root, "demographics.child-protection", "      headline:\n",
          '      headline:\n        - {value: "12%", label: national increase in planning}\n')
    with pytest.raises((DataError, DataErrors)) as e:
        Engine.open("cheshire_west").section(YEAR, "demographics.child-protection")
    assert "demographics.child-protection.yml" in str(e.value) and "1 to 3 headline figures" in str(e.value)


def test_commentary_before_the_figures_is_refused(copy_board):
    root = copy_board("cheshire_west")
    _edit(root, "demographics.substance-misuse", "  - commentary:",
          "  - text: A closing remark.\n  - commentary:")
    # the commentary is no longer last
    p = root / "data" / YEAR / "sections" / "demographics.substance-misuse.yml"
    text = p.read_text(encoding="utf-8")
    body = text.split("  - text: A closing remark.\n")
    p.write_text(body[0] + body[1] + "  - text: A closing remark.\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        Engine.open("cheshire_west").section(YEAR, "demographics.substance-misuse")
    assert "commentary last" in str(e.value) and "substance-misuse.yml" in str(e.value)


def test_plugin_does_not_change_another_boards_report():
    for board in ("coventry", "leicester", "warwickshire"):
        engine = Engine.open(board)
        assert not [p for p in engine.plugins if "cheshire_west" in p.name]
        assert "scorecard" not in engine.block_types and "commentary" not in engine.block_types
