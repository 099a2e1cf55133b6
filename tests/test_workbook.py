"""Excel in and out: export -> import round-trips every board byte for byte; a wrong cell is refused by
sheet and cell with no file changed; a partner gets only its own sheets."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.board import Board, list_boards
from core.cli import main
from plugins.workbook import contracts, printed, typed
from tests.conftest import nonempty

REPO = Path(__file__).resolve().parent.parent
TARGETS = nonempty([(b, y) for b in list_boards(REPO / "boards") for y in Board.load(b, REPO / "boards").years],
                   "reports in boards/")


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("board,year", TARGETS)
def test_export_then_import_changes_no_byte(copy_board, tmp_path, board, year, capsys):
    root = copy_board(board) / "data" / year
    before = digest(root)
    book = tmp_path / "data.xlsx"
    assert main(["data", "export", board, "--year", year, str(book)]) == 0
    assert main(["data", "import", board, "--year", year, str(book)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert digest(root) == before


@pytest.mark.parametrize("text", ["0", "22197", "22,197", "-2,000", "845.4", "845.40", "1,234.5", "71%",
                                  "51.0%", "<1%", "£141,198", "007", "Not published", "", "[to fill]"])
def test_every_printed_form_comes_back_as_printed(text):
    value, fmt = typed(text)
    assert printed(value, fmt) == text


def test_a_wrong_value_is_refused_naming_sheet_and_cell_and_nothing_is_written(copy_board, tmp_path, capsys):
    root = copy_board("coventry") / "data" / "2013-14"
    before = digest(root)
    book = tmp_path / "data.xlsx"
    assert main(["data", "export", "coventry", "--year", "2013-14", str(book)]) == 0
    wb = load_workbook(book)
    wb["budget"]["C3"] = "tbc"                       # an amount
    wb["attendance"]["C4"] = -3                      # a count of meetings
    wb["indicators"]["F2"] = 99                      # a good value: must not be written either
    wb.save(book)
    capsys.readouterr()
    assert main(["data", "import", "coventry", "--year", "2013-14", str(book)]) == 1
    err = capsys.readouterr().err
    assert 'budget!C3: expected an amount in pounds as printed, without the £ sign (e.g. 141,198), found "tbc"' in err
    assert "attendance!C4: expected" in err and 'found "-3"' in err
    assert "no data file changed" in err
    assert digest(root) == before


def test_a_successful_import_writes_and_says_what_changed(copy_board, tmp_path, capsys):
    root = copy_board("coventry") / "data" / "2013-14"
    book = tmp_path / "data.xlsx"
    assert main(["data", "export", "coventry", "--year", "2013-14", str(book)]) == 0
    wb = load_workbook(book)
    assert wb["indicators"]["F2"].value == 22197
    wb["indicators"]["F2"] = 23000
    wb.save(book)
    capsys.readouterr()
    assert main(["data", "import", "coventry", "--year", "2013-14", str(book)]) == 0
    out = capsys.readouterr().out
    assert "indicators.csv: 1 cell(s) changed\n  row 2, 'value': '22197' -> '23000'" in out
    assert "Contacts – total number,Total for 13/14,2013-14,Coventry,23000,count" in (root / "indicators.csv").read_text()
    assert not list(root.rglob(".*.import"))


def test_the_workbook_carries_contracts_descriptions_and_an_explanation(tmp_path):
    book = tmp_path / "data.xlsx"
    assert main(["data", "export", "coventry", "--year", "2013-14", str(book)]) == 0
    wb = load_workbook(book)
    assert wb.sheetnames[0] == "About" and "lscb data import" in " ".join(
        str(c.value) for row in wb["About"].iter_rows() for c in row if c.value)
    budget = wb["budget"]
    assert [c.value for c in budget[1]] == ["part", "line", "amount", "kind", "note"]
    assert "without the £ sign" in budget["C1"].comment.text
    rules = {str(dv.sqref).split(":")[0]: dv for dv in budget.data_validations.dataValidation}
    assert rules["D2"].type == "list" and rules["D2"].formula1 == '"line,total"'
    assert rules["C2"].type == "decimal"
    assert isinstance(budget["C2"].value, int)        # typed cells: amounts are numbers


def test_lscb_register_contracts_declares_the_typed_files():
    found = contracts("coventry")
    assert {"attendance.csv", "budget.csv", "indicators.csv"} <= set(found)
    assert any(c.name == "unit" and c.allowed for c in found["indicators.csv"].columns)


def test_only_a_partners_sheets_go_to_that_partner(copy_board, tmp_path, capsys):
    root = copy_board("coventry") / "data" / "2013-14"
    (root / "tables" / "police-referrals.csv").write_text("Month,Referrals\nApril,12\n", encoding="utf-8")
    book = tmp_path / "police.xlsx"
    assert main(["data", "export", "coventry", "--year", "2013-14", "--only", "police", str(book)]) == 0
    assert load_workbook(book).sheetnames == ["About", "police-referrals"]
    wb = load_workbook(book)
    wb["police-referrals"]["B2"] = 14
    wb.save(book)
    assert main(["data", "import", "coventry", "--year", "2013-14", str(book)]) == 0
    assert (root / "tables" / "police-referrals.csv").read_text() == "Month,Referrals\nApril,14\n"
    assert main(["data", "export", "coventry", "--year", "2013-14", "--only", "fire", str(tmp_path / "f.xlsx")]) == 1
    assert "no data file of coventry 2013-14 belongs to 'fire'" in capsys.readouterr().err


def test_a_formula_is_refused_and_text_starting_with_equals_survives(copy_board, tmp_path, capsys):
    root = copy_board("coventry") / "data" / "2013-14"
    (root / "tables" / "odd.csv").write_text("Label,Value\n=not a formula,1\n", encoding="utf-8")
    book = tmp_path / "data.xlsx"
    assert main(["data", "export", "coventry", "--year", "2013-14", str(book)]) == 0
    assert main(["data", "import", "coventry", "--year", "2013-14", str(book)]) == 0
    assert (root / "tables" / "odd.csv").read_text() == "Label,Value\n=not a formula,1\n"
    wb = load_workbook(book)
    wb["budget"]["C2"] = "=C3+C4"
    wb.save(book)
    capsys.readouterr()
    assert main(["data", "import", "coventry", "--year", "2013-14", str(book)]) == 1
    assert "budget!C2: expected a value, found a formula '=C3+C4'" in capsys.readouterr().err
