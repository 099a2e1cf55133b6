"""The worked example of docs/new-requirement.md: an optional plugin for WT23-07, switched on by one line
in board.yml, meets the requirement in `lscb check` without any change to core/."""
from __future__ import annotations

import re

from core.cli import main
from tests.conftest import cell

BOARD_YML = """\
name: Newtown Safeguarding Children Partnership
area: Newtown
plugins: [plugins.scrutiny_response]
years:
  2024-25:
    title: Yearly report 2024-2025
"""
SCRUTINY = """\
scrutineer: Jane Doe, independent scrutineer
period: April 2024 to March 2025
findings:
  - {finding: "Partners did not yet share one data set", response: "An agreed data set from June 2025", status: In progress}
  - {finding: "<b>Schools</b> were not at the table", response: "Two head teachers joined the executive", status: Done}
"""


def test_the_plugin_renders_findings_and_responses(boards, tmp_path):
    boards.make("newtown", "2024-25", board_yml=BOARD_YML, files={"scrutiny.yml": SCRUTINY},
                chapters={"01-scrutiny.qmd": ("1 Scrutiny", cell("scrutiny-response"))})
    out = tmp_path / "out"
    assert main(["render", "newtown", "--out", str(out)]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Independent scrutiny by Jane Doe, independent scrutineer, April 2024 to March 2025: 2 findings" in page
    assert "An agreed data set from June 2025" in page and "&lt;b&gt;Schools&lt;/b&gt;" in page


def test_check_names_wt23_07_as_met_and_missing_without_the_section(boards, capsys):
    boards.make("newtown", "2024-25", board_yml=BOARD_YML, files={"scrutiny.yml": SCRUTINY},
                chapters={"01-scrutiny.qmd": ("1 Scrutiny", cell("scrutiny-response"))})
    main(["check", "newtown"])
    assert re.search(r"WT23-07\s+should\s+01-scrutiny\.qmd scrutiny-response", capsys.readouterr().out)
    boards.make("newtown", "2024-25", board_yml=BOARD_YML, files={"scrutiny.yml": SCRUTINY},
                chapters={"01-scrutiny.qmd": ("1 Scrutiny", "No section here.")})
    main(["check", "newtown"])
    assert re.search(r"WT23-07\s+should\s+MISSING", capsys.readouterr().out)


def test_without_the_board_yml_line_the_section_does_not_exist(boards, tmp_path, capsys):
    boards.make("newtown", "2024-25", board_yml=BOARD_YML.replace("plugins: [plugins.scrutiny_response]\n", ""),
                files={"scrutiny.yml": SCRUTINY},
                chapters={"01-scrutiny.qmd": ("1 Scrutiny", cell("scrutiny-response"))})
    assert main(["render", "newtown", "--out", str(tmp_path / "o")]) == 1
    assert "unknown section 'scrutiny-response'" in capsys.readouterr().err


def test_bad_scrutiny_file_names_the_finding(boards, tmp_path, capsys):
    boards.make("newtown", "2024-25", board_yml=BOARD_YML,
                files={"scrutiny.yml": "findings:\n  - {finding: No response given}\n"},
                chapters={"01-scrutiny.qmd": ("1 Scrutiny", cell("scrutiny-response"))})
    assert main(["render", "newtown", "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "scrutiny.yml: findings[1]: expected a finding and the partners' response" in err
