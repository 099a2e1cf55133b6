"""What the report's page hooks add for Quarto (plugins/render/quarto/hooks.py), worked out without Quarto: the
additions by where they go, which lscb.lua puts into Quarto's pages and Word document (the real renders are in
test_quarto_hooks.py)."""
from __future__ import annotations

import html
import json

from plugins.render.quarto.hooks import ADDITIONS, page_additions, write_page_additions
from tests.conftest import lscb

PAGE_PLUGIN = '''
from core import hookimpl

@hookimpl
def lscb_report_page(engine, year, report):
    report.html = report.html.replace("</head>", '<meta name="embargo" content="1 October"></head>', 1)
    report.html = report.html.replace("<body>", "<body><p>Embargoed until 1 October</p>", 1)
    report.html = report.html.replace("<main", "<p>Before the report</p><main", 1)
    report.html = report.html.replace("\\n</main>", "<p>Printed on recycled pixels</p>\\n</main>", 1)
'''


def test_a_page_hooks_additions_are_sorted_by_where_they_go(mini):
    (mini / "plugins").mkdir(exist_ok=True)
    (mini / "plugins" / "embargo.py").write_text(PAGE_PLUGIN, encoding="utf-8")
    added = page_additions(mini / "2013-14")
    assert (added.board, added.year, added.last) == ("mini", "2013-14", "02-governance.qmd")
    assert '<meta name="embargo" content="1 October">' in added.head
    assert 'name="lscb:requirements"' in added.head           # the gallery's coverage, from the sections shown
    coverage = added.head.split('name="lscb:requirements" content="', 1)[1].split('"', 1)[0]
    assert json.loads(html.unescape(coverage))["total"] > 0
    assert added.top == "<p>Embargoed until 1 October</p><p>Before the report</p>"
    assert added.end == "<p>Printed on recycled pixels</p>"
    # the accessibility statement describes the built-in page's checks: not claimed for Quarto's pages
    assert "Accessibility statement" not in added.end
    assert added.appendix == {}                                # board.yml does not ask for it


def test_the_appendix_and_a_drafts_banner_are_what_the_built_in_page_shows(mini, tmp_path, monkeypatch, capsys):
    yml = mini / "board.yml"
    yml.write_text(yml.read_text().replace("  disclosure: as-published",
                                           "  disclosure: as-published\n  requirements_appendix: true"))
    budget = mini / "data" / "2013-14" / "budget.csv"
    text = budget.read_text(encoding="utf-8")
    assert 'Council contribution,"141,198"' in text
    budget.write_text(text.replace('Council contribution,"141,198"', "Council contribution,[to fill]"), encoding="utf-8")
    monkeypatch.chdir(mini / "2013-14")            # where Quarto runs its scripts: the book's folder
    target = write_page_additions()
    assert target == (mini / "2013-14" / ADDITIONS).resolve()
    added = json.loads(target.read_text(encoding="utf-8"))

    code, _, err = lscb(["render", "mini", "--out", str(tmp_path / "out"), "--no-cache"], capsys)
    assert code == 0, err
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    banner = page.split("<body>", 1)[1].split('<a class="skip-link"', 1)[0].strip()
    assert added["top"] == banner and "DRAFT – not for publication: 1 figure to fill in 1 file" in banner
    appendix = added["appendix"]
    assert appendix["title"] == "How this report meets Working Together"
    assert f'<h2 id="{appendix["id"]}">{appendix["title"]}</h2>{appendix["html"]}</section>' in page
