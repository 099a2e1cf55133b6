"""The gallery `lscb render --all` writes (OUT/index.html): every report linked in every format written, by
relative links that resolve in the folder; the check result of each report agrees with `lscb check`; a
report taken from the cache keeps its result; shared headline indicators sit side by side."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from core.cli import main
from tests.conftest import REPO


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))


def hrefs(page: str) -> list[str]:
    p = Links()
    p.feed(page)
    return p.hrefs


def card(page: str, board: str, year: str) -> str:
    """The gallery's entry of one report: from its <li id="board-year"> to the next entry or section."""
    entries = page.split('<h2 id="headlines"', 1)[0].split('<li id="')
    found = [e for e in entries if e.startswith(f'{board}-{year}"')]
    assert len(found) == 1, f"expected one entry for {board} {year}, found {len(found)}"
    return found[0]


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


@pytest.fixture
def two_boards(boards):
    boards.make("testshire", "2014-15")
    boards.make("otherton", "2023-24")
    return boards


def test_links_every_report_in_every_format_written(two_boards, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["render", "--all", "--out", str(out), "--format", "html,pdf,docx"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    links = hrefs(page)
    expected = {f"{b}/{y}/{f}" for b, y in (("testshire", "2014-15"), ("otherton", "2023-24"))
                for f in ("index.html", "report.pdf", "report.docx")}
    assert set(links) == expected
    for href in links:                                  # relative, and each file is there
        assert not re.match(r"^[a-z]+:|^/", href)
        assert (out / href).is_file() and (out / href).stat().st_size > 0
    entry = text(card(page, "testshire", "2014-15"))
    assert "Annual Report 2014-15" in entry and "Working Together WT2013" in entry
    assert re.search(r"PDF \(\d+ KB\)", entry) and re.search(r"Word \(\d+ KB\)", entry)


def test_only_the_formats_written_are_linked(two_boards, tmp_path):
    out = tmp_path / "out"
    assert main(["render", "--all", "--out", str(out)]) == 0
    assert sorted(hrefs((out / "index.html").read_text(encoding="utf-8"))) == [
        "otherton/2023-24/index.html", "testshire/2014-15/index.html"]


def test_one_report_writes_no_gallery(two_boards, tmp_path):
    out = tmp_path / "one"
    assert main(["render", "testshire", "--out", str(out)]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>Annual Report 2014-15</h1>" in page        # the report itself, not a gallery


def check_output(board: str, year: str, capsys) -> tuple[int, str]:
    code = main(["check", board, "--year", year])
    return code, capsys.readouterr().out


def test_check_result_agrees_with_lscb_check_and_survives_the_cache(two_boards, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["render", "--all", "--out", str(out)]) == 0
    first = (out / "index.html").read_text(encoding="utf-8")
    capsys.readouterr()
    code, checked = check_output("testshire", "2014-15", capsys)
    assert code == 2                                    # a tiny board misses must requirements
    missing = re.search(r"missing must requirement\(s\): (.+)", checked).group(1).split(", ")
    met, total = map(int, re.search(r"coverage: (\d+)/(\d+) requirements met", checked).groups())
    entry = text(card(first, "testshire", "2014-15"))
    assert "A must requirement is missing" in entry
    assert f"Working Together requirements: {met} of {total} met" in entry
    for rid in missing:
        assert f"{rid} (must)" in entry

    assert main(["render", "--all", "--out", str(out)]) == 0
    assert "unchanged, taken from the report cache" in capsys.readouterr().err
    assert (out / "index.html").read_text(encoding="utf-8") == first


@pytest.fixture(scope="module")
def five(tmp_path_factory):
    """The five seed reports rendered with --all (HTML), once for this module."""
    out = tmp_path_factory.mktemp("gallery") / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LSCB_BOARDS", str(REPO / "boards"))
        mp.setenv("LSCB_CACHE", str(out.parent / "cache"))
        assert main(["render", "--all", "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("board, year", [("coventry", "2023-24"), ("leicester", "2014-15"),
                                         ("warwickshire", "2013-14")])
def test_seed_reports_show_what_lscb_check_says(five, board, year, capsys, monkeypatch):
    monkeypatch.setenv("LSCB_BOARDS", str(REPO / "boards"))
    code, checked = check_output(board, year, capsys)
    warnings = int(re.search(r"data: 0 error\(s\), (\d+) warning", checked).group(1))
    met, total = re.search(r"coverage: (\d+)/(\d+) requirements met", checked).groups()
    entry = text(card((five / "index.html").read_text(encoding="utf-8"), board, year))
    assert f"{warnings} warning" in entry
    assert f"{met} of {total} met" in entry
    assert ("Check passes" in entry) == (code == 0)


def test_seed_gallery_links_all_five_and_sets_headlines_side_by_side(five):
    page = (five / "index.html").read_text(encoding="utf-8")
    assert sorted(hrefs(page)) == sorted(f"{b}/{y}/index.html" for b, y in [
        ("cheshire_west", "2014-15"), ("coventry", "2013-14"), ("coventry", "2023-24"),
        ("leicester", "2014-15"), ("warwickshire", "2013-14")])
    table = page.split('<caption>Headline indicators in each report</caption>', 1)[1].split("</table>")[0]
    heads = re.findall(r'<th scope="col">([^<]*)', table)
    assert heads == ["Indicator", "Cheshire West and Chester", "Coventry", "Coventry", "Leicester", "Warwickshire"]
    rows = {text(re.search(r'<th scope="row">(.*?)</th>', r).group(1)): re.findall(r"<td>(.*?)</td>", r)
            for r in re.findall(r"<tr><th scope=\"row\">.*?</tr>", table)}
    plans = [text(c) for c in rows["Children on a child protection plan"]]
    # as printed: Cheshire West at the end of March 2015, Leicester and Warwickshire at 31 March
    assert plans[0] == "246 2014/15" and plans[4] == "528 31 March 2014"
    assert plans[2] == "– not reported"                          # Coventry 2023/24 gives no such figure
    rates = [text(c) for c in rows["Children on a child protection plan, rate per 10,000 children"]]
    assert rates[:2] == ["37 2014/15", "108.1 2013-14"]
    assert "Children in need" not in rows                        # only Leicester has it: not side by side


def test_end_year_reads_the_periods_boards_print():
    from plugins.gallery import _end_year
    assert [_end_year(p) for p in ("2014/15", "2013-14", "31 March 2014", "2014-2015", "Increase")] == [
        2015, 2014, 2014, 2015, None]


def test_gallery_needs_no_network(five):
    page = (five / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script" not in page


def test_headline_file_names_real_indicators():
    """Every indicator name the headline file lists is one some board's indicators.csv has (no typo)."""
    import csv

    from core.data import load_yaml
    from plugins.gallery import HEADLINES
    names = {r["indicator"].casefold() for p in (REPO / "boards").glob("*/data/*/indicators.csv")
             for r in csv.DictReader(p.open(encoding="utf-8-sig"))}
    listed = [n for h in load_yaml(HEADLINES, "headlines")["headlines"] for n in h.get("names", [])]
    assert listed and [n for n in listed if n.casefold() not in names] == []
