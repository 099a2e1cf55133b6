"""Draft until complete: markers found by lscb check (exit 3), a draft render marked in every format, and
the hooks the draft plugin is built on (lscb_check_year, lscb_report_page, lscb_report_files)."""
from __future__ import annotations

import io
import zipfile

from core.cli import main

HOOKS_PLUGIN = '''
from core import hookimpl
from plugins.checks.findings import Pending
from plugins.checks.findings import Warning_

@hookimpl
def lscb_check_year(engine, year):
    return [Pending("budget.csv", "row 2", "signature to collect"), Warning_("x.csv", "row 1", "look at me")]

@hookimpl
def lscb_report_page(engine, year, report):
    report.html = report.html.replace("<body>", "<body><p>Embargoed until 1 October</p>", 1)

@hookimpl
def lscb_report_files(engine, year, report, files):
    files["notes.txt"] = "shipped with " + year
'''


def test_lscb_check_year_findings_are_listed_counted_and_exit_3(boards, capsys):
    boards.make(plugins={"extra.py": HOOKS_PLUGIN})
    assert main(["check", "testshire"]) == 3
    out = capsys.readouterr().out
    assert "draft: 1 signature to collect in 1 file" in out
    assert "TODO budget.csv: row 2: signature to collect" in out
    assert "look at me" in out


def test_lscb_report_page_and_files_change_what_is_written(boards, tmp_path):
    boards.make(plugins={"extra.py": HOOKS_PLUGIN})
    out = tmp_path / "out"
    assert main(["render", "testshire", "--out", str(out)]) == 0
    assert "<body><p>Embargoed until 1 October</p>" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "notes.txt").read_text() == "shipped with 2014-15"


def _draft_board(boards):
    return boards.make(files={
        "sections/governance.budget.yml": "kind: budget\nblocks:\n  - budget: budget.csv\n",
        "budget.csv": "part,line,amount,kind,note\nIncome,Council,[to fill],line,\n"
                      "Income,Police,500,line,\nIncome,Total income,[to fill],total,\n",
        "sections/learning.training.yml": "kind: training\nblocks:\n  - text: \"[to rewrite] Last year we trained many.\"\n"
                                          "  - facts:\n      - {value: \"[to fill]\", label: professionals trained}\n",
    })


def test_check_lists_each_marker_by_file_and_row_and_exits_non_zero(boards, capsys):
    _draft_board(boards)
    assert main(["check", "testshire"]) == 3
    out = capsys.readouterr().out
    assert "draft: 3 figures to fill in 2 files; 1 passage to rewrite in 1 file" in out
    assert "data/2014-15/budget.csv: row 2 (Income), column 'amount': figure to fill" in out
    assert "data/2014-15/sections/learning.training.yml: blocks[2].facts[1].value: figure to fill" in out
    assert "learning.training.yml: blocks[1].text: passage to rewrite" in out


def test_a_draft_is_marked_on_every_page_of_every_format(boards, tmp_path, capsys):
    import docx
    import pypdfium2
    _draft_board(boards)
    out = tmp_path / "out"
    assert main(["render", "testshire", "--out", str(out), "--format", "html,pdf,docx"]) == 0
    assert "testshire 2014-15: DRAFT – not for publication: 3 figures to fill" in capsys.readouterr().err
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="lscb-draft-banner" role="note">DRAFT' in page
    assert '<mark class="lscb-to-fill">[to fill]</mark>' in page
    assert '<mark class="lscb-to-rewrite">[to rewrite]</mark> Last year' in page
    pdf = pypdfium2.PdfDocument(str(out / "report.pdf"))
    assert len(pdf) >= 2
    assert all("DRAFT" in pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    document = docx.Document(str(out / "report.docx"))
    assert all(s.header.paragraphs[0].text.startswith("DRAFT – not for publication") for s in document.sections)
    with zipfile.ZipFile(io.BytesIO((out / "report.docx").read_bytes())) as z:
        assert "word/lscb-draft-header.xml" in z.namelist()


def test_a_complete_year_is_final_with_no_draft_mark(boards, tmp_path, capsys):
    boards.make()
    out = tmp_path / "out"
    assert main(["render", "testshire", "--out", str(out)]) == 0
    assert "DRAFT" not in capsys.readouterr().err
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "lscb-draft-banner" not in page and 'name="lscb:status"' not in page
    assert main(["check", "testshire"]) == 2        # not 3: its only gaps are Working Together's
    assert "draft:" not in capsys.readouterr().out
