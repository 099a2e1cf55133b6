"""The optional appendix "How this report meets Working Together" (board option requirements_appendix, declared by
plugins/requirements.py, built by plugins/checks/appendix.py): it lists the year's requirements with the sections
that meet them, and "Not covered" for the ones no section meets, the same coverage lscb check prints."""
from __future__ import annotations

import re

import pytest

from tests.conftest import lscb

ROW = re.compile(r'<tr><th scope="row">([^<]+)</th><td>(must|should)</td><td>[^<]*</td><td>([^<]*)</td>')


def render(mini, tmp_path, capsys, appendix: str | None) -> str:
    yml = mini / "board.yml"
    if appendix is not None:
        yml.write_text(yml.read_text().replace("  disclosure: as-published",
                                               f"  disclosure: as-published\n  requirements_appendix: {appendix}"))
    code, _, err = lscb(["render", "mini", "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    return (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_the_appendix_shows_the_coverage_lscb_check_prints(mini, tmp_path, capsys):
    page = render(mini, tmp_path, capsys, "true")
    assert '<h2 id="how-this-report-meets-working-together">' in page
    assert 'href="#how-this-report-meets-working-together"' in page            # and in the contents
    rows = {rid: (force, where) for rid, force, where in ROW.findall(page)}
    assert rows["LSCBR-5b"] == ("must", "Priorities and progress against them")
    assert rows["CA04-14"] == ("must", "Not covered in this report")
    code, out, _ = lscb(["check", "mini"], capsys)
    assert code == 2
    uncovered = {rid for rid, (_, where) in rows.items() if where == "Not covered in this report"}
    assert {line.split()[0] for line in out.splitlines() if " MISSING " in line} == uncovered
    musts = set(out.split("missing must requirement(s): ", 1)[1].splitlines()[0].split(", "))
    assert musts == {rid for rid in uncovered if rows[rid][0] == "must"}


@pytest.mark.parametrize("appendix", [None, "false"])
def test_no_appendix_unless_the_board_asks(mini, tmp_path, capsys, appendix):
    page = render(mini, tmp_path, capsys, appendix)
    assert "How this report meets Working Together" not in page and not ROW.findall(page)
