"""Bad input never passes silently: a corpus of broken boards, each with the message it must produce.

Every case copies the small board in ``tests/bad_inputs/mini`` (one year, 2013-14: two chapters, five
sections, a printed table, a chart, indicators, attendance, budget, priorities and reviews) into a
temporary boards folder, applies one mutation, runs the ``lscb`` command in-process and asserts the exit
code and the parts of the message a business manager needs: the file, the row or key, what was expected
and what was found. No message may carry a Python traceback.

A few cases are positive: input that looks odd but is valid (a BOM, CRLF line endings) must render, and
text from data must reach the HTML as text, never as markup.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.cli import main

MINI = Path(__file__).resolve().parent / "bad_inputs" / "mini"
D = "data/2013-14/"
CTX = D + "sections/demographics.context.yml"
GOV = "2013-14/02-governance.qmd"
CTX_LABEL = "boards/mini/data/2013-14/sections/demographics.context.yml"

Mutation = Callable[[Path], None]


# --- mutations -----------------------------------------------------------------------------------------

def sub(rel: str, old: str, new: str) -> Mutation:
    """Replace the first ``old`` in the board file ``rel`` (which must contain it)."""
    def mutate(board: Path) -> None:
        p = board / rel
        text = p.read_text(encoding="utf-8")
        assert old in text, f"fixture {rel} no longer contains {old!r}"
        p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return mutate


def write(rel: str, content: str | bytes) -> Mutation:
    def mutate(board: Path) -> None:
        p = board / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    return mutate


def append(rel: str, text: str) -> Mutation:
    def mutate(board: Path) -> None:
        p = board / rel
        p.write_text(p.read_text(encoding="utf-8") + text, encoding="utf-8")
    return mutate


def delete(rel: str) -> Mutation:
    return lambda board: (board / rel).unlink()


def both(*mutations: Mutation) -> Mutation:
    def mutate(board: Path) -> None:
        for m in mutations:
            m(board)
    return mutate


def crlf_everywhere(board: Path) -> None:
    for p in board.rglob("*"):
        if p.is_file():
            p.write_bytes(p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))


def bom_everywhere(board: Path) -> None:
    for p in board.rglob("*"):
        if p.is_file():
            p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())


def cell(code: str) -> str:
    return f"\n```{{python}}\n#| echo: false\n{code}\n```\n"


def plugin(name: str, source: str) -> Mutation:
    return write(f"plugins/{name}", source)


CHECK = ["check", "mini"]
RENDER = ["render", "mini", "--out", "{out}"]


@dataclass
class Case:
    id: str
    mutate: Mutation
    argv: list[str]
    code: int
    message: list[str]                                  # fragments the output must contain
    html: list[str] = field(default_factory=list)       # (exit 0) fragments index.html must contain
    not_html: list[str] = field(default_factory=list)   # (exit 0) fragments it must not contain


CASES = [
    # --- board.yml ------------------------------------------------------------------------------------
    Case("board-missing-name", sub("board.yml", "name: Mini Safeguarding Children Board\n", ""), CHECK, 1,
         ["boards/mini/board.yml", "key 'name'", "the board's name (name: ...)", "no such key"]),
    Case("board-missing-area", sub("board.yml", "area: Mini\n", ""), CHECK, 1,
         ["boards/mini/board.yml", "key 'area'", "the local area it covers", "no such key"]),
    Case("board-missing-years", write("board.yml", "name: Mini Board\narea: Mini\n"), CHECK, 1,
         ["boards/mini/board.yml", "key 'years'", "its report years", "no such key"]),
    Case("board-empty-name", sub("board.yml", "name: Mini Safeguarding Children Board", "name: ''"), CHECK, 1,
         ["boards/mini/board.yml", "key 'name'", "a non-empty text", "''"]),
    Case("board-years-not-a-mapping", write("board.yml", "name: Mini Board\narea: Mini\nyears: [2013-14]\n"),
         CHECK, 1, ["boards/mini/board.yml", "key 'years'", "a mapping of report years", "['2013-14']"]),
    Case("board-year-2013-15", sub("board.yml", "  2013-14:", "  2013-15:"), CHECK, 1,
         ["boards/mini/board.yml", "key years.2013-15", "a report year like 2013-14", "'2013-15'"]),
    Case("board-year-13-14", sub("board.yml", "  2013-14:", "  13-14:"), CHECK, 1,
         ["boards/mini/board.yml", "key years.13-14", "a report year like 2013-14", "'13-14'"]),
    Case("board-year-entry-not-a-mapping",
         write("board.yml", "name: Mini Board\narea: Mini\nyears:\n  2013-14: Annual Report 2013/2014\n"),
         CHECK, 1, ["boards/mini/board.yml", "key years.2013-14", "a mapping (title:, edition:",
                    "'Annual Report 2013/2014'"]),
    Case("board-unknown-edition", sub("board.yml", "edition: WT2013", "edition: WT2099"), CHECK, 1,
         ["boards/mini/board.yml", "key years.2013-14.edition", "one of ['WT2013', 'WT2015'", "'WT2099'"]),
    Case("board-unknown-body", sub("board.yml", "body: LSCB", "body: committee"), CHECK, 1,
         ["boards/mini/board.yml", "key years.2013-14.body", "one of ['LSCB', 'partnership']", "'committee'"]),
    Case("board-options-not-a-mapping", sub("board.yml", "options:\n  disclosure: as-published",
                                            "options: [as-published]"), CHECK, 1,
         ["boards/mini/board.yml", "key 'options'", "a mapping", "['as-published']"]),
    Case("board-duplicate-key", sub("board.yml", "area: Mini\n", "area: Mini\narea: Maxi\n"), CHECK, 1,
         ["boards/mini/board.yml", "key 'area' given twice", "first on line 2", "again on line 3"]),
    Case("board-invalid-yaml", sub("board.yml", "    body: LSCB", "    body: [LSCB"), CHECK, 1,
         ["boards/mini/board.yml", "line 8", "valid YAML"]),
    Case("board-empty-file", write("board.yml", ""), CHECK, 1, ["boards/mini/board.yml", "an empty file"]),
    Case("board-a-list", write("board.yml", "- name: Mini\n"), CHECK, 1,
         ["boards/mini/board.yml", "a mapping of keys (name, area, years, options)", "list"]),

    # --- command-line input hygiene -------------------------------------------------------------------
    Case("cli-board-traversal", lambda b: None, ["render", "../mini", "--out", "{out}"], 1,
         ["board name '../mini'", "lower-case letters, digits and _"]),
    Case("cli-board-absolute-path", lambda b: None, ["check", "/etc"], 1,
         ["board name '/etc'", "lower-case letters, digits and _"]),
    Case("cli-unknown-board", lambda b: None, ["render", "minni", "--out", "{out}"], 1,
         ["no board 'minni'", "boards with a board.yml: mini"]),
    Case("cli-unknown-year", lambda b: None, ["render", "mini", "--year", "2015-16", "--out", "{out}"], 1,
         ["mini: no report year '2015-16'", "years with data: 2013-14"]),
    Case("cli-year-not-a-year", lambda b: None, ["check", "mini", "--year", "latest"], 1,
         ["a report year like 2013-14", "'latest'"]),
    Case("cli-year-2013-15", lambda b: None, ["render", "mini", "--year", "2013-15", "--out", "{out}"], 1,
         ["a report year like 2013-14", "'2013-15'", "mini has the years 2013-14"]),
    Case("cli-year-without-data-folder", sub("board.yml", "options:", "  2014-15:\n    title: Next\noptions:"),
         ["render", "mini", "--year", "2014-15", "--out", "{out}"], 1,
         ["no data folder boards/mini/data/2014-15/"]),
    Case("cli-unknown-format", lambda b: None, ["render", "mini", "--format", "html,odt", "--out", "{out}"], 1,
         ["--format: unknown format(s) odt; choose from docx, html, pdf"]),

    # --- data files -----------------------------------------------------------------------------------
    Case("csv-row-longer-than-header", sub(D + "tables/categories.csv", "Total,165", "Physical abuse,1,234\nTotal,165"),
         CHECK, 1, ["boards/mini/data/2013-14/tables/categories.csv", "row 4", "2 cells (as the header)",
                    "3 cells", "quote cells that contain commas"]),
    Case("csv-header-only", write(D + "tables/categories.csv", "Category,Count\n"), CHECK, 1,
         ["boards/mini/data/2013-14/tables/categories.csv", "only the header row"]),
    Case("csv-empty", write(D + "tables/categories.csv", ""), CHECK, 1,
         ["boards/mini/data/2013-14/tables/categories.csv", "an empty file"]),
    Case("csv-only-empty-rows", write(D + "tables/categories.csv", ",\n,,\n"), CHECK, 1,
         ["boards/mini/data/2013-14/tables/categories.csv", "a header row and data rows", "only empty rows"]),
    Case("csv-duplicate-columns", sub(D + "tables/categories.csv", "Category,Count", "Category,Count,Count"),
         CHECK, 1, ["boards/mini/data/2013-14/tables/categories.csv", "row 1 (header)", "unique column names",
                    "['Count'] more than once"]),
    Case("csv-unnamed-column", sub(D + "tables/categories.csv", "Category,Count", "Category,,Count"),
         CHECK, 1, ["tables/categories.csv", "row 1 (header)", "a name for every column", "[2]"]),
    Case("csv-latin-1", write(D + "tables/categories.csv", "Category,Count\nNeglect,120\nCafé,3\n".encode("latin-1")),
         CHECK, 1, ["boards/mini/data/2013-14/tables/categories.csv", "line 3", "UTF-8", "0xe9"]),
    Case("csv-unclosed-quote", sub(D + "tables/categories.csv", "Neglect,120", 'Neglect,"120'), CHECK, 1,
         ["boards/mini/data/2013-14/tables/categories.csv", "line 2", "every opening quote closed",
          "unexpected end of data"]),
    Case("csv-utf8-bom-accepted", write(D + "tables/categories.csv",
                                        "\ufeffCategory,Count\nNeglect,120\nTotal,120\n"), RENDER, 0,
         [], html=['<th scope="col">Category</th>', ">Neglect</th>"], not_html=["\ufeff"]),
    Case("crlf-line-endings-accepted", crlf_everywhere, RENDER, 0, [],
         html=[">Neglect</th>", "Independent Chair, LSCB", "Child A", "1.1 Children in Mini"], not_html=["\r"]),
    Case("utf8-bom-in-every-file-accepted", bom_everywhere, RENDER, 0, [],
         html=['<th scope="col">Category</th>', "Independent Chair, LSCB", "Child A", "1.1 Children in Mini",
               "Mini Safeguarding Children Board"], not_html=["\ufeff"]),
    Case("attendance-attended-not-a-whole-number", sub(D + "attendance.csv", "LSCB\",7,7", "LSCB\",seven,7"),
         CHECK, 1, ["boards/mini/data/2013-14/attendance.csv", "row 2, column 'attended'", "a whole number",
                    "'seven'"]),
    Case("attendance-unknown-column", both(sub(D + "attendance.csv", "comment\n", "comment,votes\n"),
                                           sub(D + "attendance.csv", "100%,\n", "100%,,\n"),
                                           sub(D + "attendance.csv", "71%,\n", "71%,,\n")),
         CHECK, 1, ["boards/mini/data/2013-14/attendance.csv", "row 1 (header)", "unknown column(s) ['votes']"]),
    Case("budget-unknown-kind", sub(D + "budget.csv", '"14,677",line', '"14,677",subtotal'), CHECK, 1,
         ["boards/mini/data/2013-14/budget.csv", "row 3, column 'kind'", "one of ['line', 'total']",
          "'subtotal'"]),
    Case("budget-amount-not-a-number", sub(D + "budget.csv", '"14,677"', "about 15k"), CHECK, 1,
         ["boards/mini/data/2013-14/budget.csv", "row 3, column 'amount'", "a number as printed",
          "'about 15k'"]),
    Case("budget-missing-required-column",
         write(D + "budget.csv", "part,line,amount,note\nIncome,Council,100,\nIncome,Total,100,\n"), CHECK, 1,
         ["boards/mini/data/2013-14/budget.csv", "row 1 (header)", "missing ['kind']"]),
    Case("indicators-unknown-unit", sub(D + "indicators.csv", "845,count", "845,per_cent"), CHECK, 1,
         ["boards/mini/data/2013-14/indicators.csv", "row 3, column 'unit'", "one of ['count', 'rate_per_10000'",
          "'per_cent'"]),
    Case("indicators-unknown-table", sub(CTX, "indicators: activity", "indicators: activty"), CHECK, 1,
         [CTX_LABEL, "blocks[5] (indicators)", "boards/mini/data/2013-14/indicators.csv", "table 'activty'",
          "tables present: ['activity']", "no rows"]),
    Case("data-error-in-render", sub(D + "budget.csv", '"14,677",line', '"14,677",subtotal'), RENDER, 1,
         ["boards/mini/data/2013-14/budget.csv", "row 3, column 'kind'", "'subtotal'"]),

    # --- content files --------------------------------------------------------------------------------
    Case("content-unknown-kind", sub(D + "sections/governance.budget.yml", "kind: budget", "kind: budgett"),
         CHECK, 1, ["boards/mini/data/2013-14/sections/governance.budget.yml", "key 'kind'",
                    "one of the registered section types (", "attendance, audits, budget,", "'budgett'"]),
    Case("content-blocks-not-a-list", write(D + "sections/governance.budget.yml",
                                            "kind: budget\nblocks: budget.csv\n"), CHECK, 1,
         ["sections/governance.budget.yml", "key 'blocks'", "a list of blocks", "'budget.csv'"]),
    Case("content-block-with-two-directives", sub(CTX, "  - table: categories\n",
                                                  "  - table: categories\n    text: Also this.\n"), CHECK, 1,
         [CTX_LABEL, "blocks[3]", "exactly one of the block types", "['caption', 'table', 'text']",
          "2 of them block types"]),
    Case("content-unknown-directive", sub(CTX, "  - table: categories", "  - tabel: categories"), CHECK, 1,
         [CTX_LABEL, "blocks[3]", "exactly one of the block types [", "'tabel'", "none of them a block type"]),
    Case("content-table-file-missing", sub(CTX, "  - table: categories", "  - table: categorys"), CHECK, 1,
         [CTX_LABEL, "blocks[3] (table)", "table 'categorys'",
          "boards/mini/data/2013-14/tables/categorys.csv", "tables present: ['categories']", "no such file"]),
    Case("content-fact-without-label", sub(CTX, "        label: professionals trained in 2013/14\n", ""),
         CHECK, 1, [CTX_LABEL, "blocks[2] (facts)", "facts[1]", "a mapping with value and label",
                    "{'value': '1,918'}"]),
    Case("content-fact-with-empty-value", sub(CTX, 'value: "1,918"', "value:"), CHECK, 1,
         [CTX_LABEL, "blocks[2] (facts)", "facts[1]", "a mapping with value and label", "'value': None"]),
    Case("content-fact-value-unquoted", sub(CTX, 'value: "1,918"', "value: 1.50"), CHECK, 1,
         [CTX_LABEL, "blocks[2] (facts)", "facts[1].value", "in quotes, exactly as printed", "1.5 without quotes",
          "float"]),
    Case("content-chart-column-missing", sub(CTX, "y: Count", "y: Cases"), CHECK, 1,
         [CTX_LABEL, "blocks[4] (chart)", "chart.y", "['Category', 'Count']", "'Cases'"]),
    Case("content-chart-rows-not-a-list", sub(CTX, "type: bar", "type: bar\n      rows: 5"), CHECK, 1,
         [CTX_LABEL, "blocks[4] (chart)", "chart.rows", "a list", "found 5"]),
    Case("content-duplicate-key", sub(D + "sections/governance.budget.yml", "kind: budget\n",
                                      "kind: budget\nkind: attendance\n"), CHECK, 1,
         ["boards/mini/data/2013-14/sections/governance.budget.yml", "key 'kind' given twice",
          "first on line 1", "again on line 2"]),
    Case("content-unknown-top-level-key", sub(D + "sections/governance.budget.yml", "kind: budget\n",
                                              "kind: budget\ncaption: Budget\n"), CHECK, 1,
         ["sections/governance.budget.yml", "['caption']", "only kind, blocks, title, notes"]),
    Case("content-empty-file", write(D + "sections/governance.budget.yml", "\n"), CHECK, 1,
         ["boards/mini/data/2013-14/sections/governance.budget.yml", "an empty file"]),
    Case("priorities-unknown-key", sub(D + "priorities.yml", "    progress:", "    progres:"), CHECK, 1,
         ["boards/mini/data/2013-14/priorities.yml", "priorities[1]", "keys among [", "unknown ['progres']"]),
    Case("reviews-recommendation-without-text", sub(D + "reviews.yml", "text: Share", "txt: Share"), CHECK, 1,
         ["boards/mini/data/2013-14/reviews.yml", "reviews[1].recommendations[1]", "a mapping with text",
          "'txt': 'Share information faster.'"]),
    Case("section-without-content-file", sub(GOV, '"governance.budget"', '"governance.budgets"'), RENDER, 1,
         ["boards/mini/2013-14/02-governance.qmd, cell at line 27", "'governance.budgets'",
          "boards/mini/data/2013-14/sections/governance.budgets.yml"]),
    Case("section-unknown-family", sub(GOV, '"governance.budget"', '"finance.budget"'), RENDER, 1,
         ["boards/mini/2013-14/02-governance.qmd, cell at line 27", "unknown section 'finance.budget'",
          "'governance'"]),

    # --- notebooks ------------------------------------------------------------------------------------
    Case("chapter-name-error", append(GOV, cell("undefined_figure * 2")), RENDER, 1,
         ["boards/mini/2013-14/02-governance.qmd, cell at line 39", "NameError", "undefined_figure"]),
    Case("chapter-syntax-error", append(GOV, cell("total = (1 +")), RENDER, 1,
         ["boards/mini/2013-14/02-governance.qmd, cell at line 39", "SyntaxError"]),
    Case("chapter-invalid-cell-options", sub(GOV, "#| echo: false\nboard.section(\"governance.budget\")",
                                             "#| echo: false\n#| tbl-cap: [Budget\nboard.section(\"governance.budget\")"),
         RENDER, 1, ["boards/mini/2013-14/02-governance.qmd, cell at line 27", "#| options are not valid YAML",
                     "line 29: expected ',' or ']'"]),
    Case("chapter-invalid-front-matter", sub(GOV, 'title: "2 Governance"', 'title: [2 Governance'), RENDER, 1,
         ["boards/mini/2013-14/02-governance.qmd", "front matter is not valid YAML", "line 2: expected ','"]),
    Case("chapter-duplicate-label", sub(GOV, '#| echo: false\nboard.section("governance.budget")',
                                        '#| echo: false\n#| label: tbl-categories\n#| tbl-cap: "Budget"\n'
                                        'board.section("governance.budget")'), RENDER, 1,
         ["boards/mini/2013-14/02-governance.qmd, cell at line 27", "label 'tbl-categories' is already used for Table 1",
          "unique within the book"]),
    Case("chapter-latin-1", write(GOV, '---\ntitle: "2 Gouvernance é"\n---\n'.encode("latin-1")), RENDER, 1,
         ["boards/mini/2013-14/02-governance.qmd", "line 2", "UTF-8", "0xe9"]),
    Case("chapter-latin-1-during-check", write(GOV, '---\ntitle: "2 Gouvernance é"\n---\n'.encode("latin-1")),
         CHECK, 1, ["boards/mini/2013-14/02-governance.qmd", "line 2", "UTF-8", "0xe9"]),
    Case("book-lists-missing-chapter", sub("2013-14/_quarto.yml", "    - 02-governance.qmd",
                                           "    - 02-governance.qmd\n    - 03-learning.qmd"), RENDER, 1,
         ["boards/mini/2013-14/_quarto.yml", "chapter '03-learning.qmd' is listed", "does not exist"]),
    Case("book-without-chapters", sub("2013-14/_quarto.yml", "  chapters:\n    - 01-context.qmd\n    - 02-governance.qmd\n",
                                      "  chapters: []\n"), RENDER, 1,
         ["boards/mini/2013-14/_quarto.yml", "lists no chapters"]),

    # --- plugins --------------------------------------------------------------------------------------
    Case("plugin-misspelled-hook", plugin("typo.py", "from core import hookimpl\n\n\n@hookimpl\n"
                                          "def lscb_governence(ctx):\n    return None\n"), RENDER, 1,
         ["board mini", "unknown hook 'lscb_governence'", "boards/mini/plugins/typo.py", "known hooks:",
          "lscb_governance"]),
    Case("plugin-hook-without-hookimpl", plugin("nomark.py", "def lscb_governance(ctx):\n    return None\n"),
         CHECK, 1, ["board mini plugin", "boards/mini/plugins/nomark.py", "lscb_governance",
                    "not marked with @hookimpl"]),
    Case("plugin-raises-in-hook", plugin("boom.py", "from core import hookimpl\n\n\n@hookimpl\n"
                                         "def lscb_governance(ctx):\n    return 1 / 0\n"), RENDER, 1,
         ["mini 2013-14", "boards/mini/plugins/boom.py:6", "ZeroDivisionError", "hook lscb_governance",
          "section 'governance.attendance'", "02-governance.qmd, cell at line 20"]),
    Case("plugin-raises-in-hook-during-check", plugin("boom.py", "from core import hookimpl\n\n\n@hookimpl\n"
                                                      "def lscb_governance(ctx):\n    return 1 / 0\n"), CHECK, 1,
         ["mini 2013-14", "boards/mini/plugins/boom.py:6", "ZeroDivisionError", "hook lscb_governance",
          "section 'governance.attendance'"]),
    Case("plugin-syntax-error", plugin("broken.py", "from core import hookimpl\n\ndef lscb_governance(ctx)\n"),
         RENDER, 1, ["board mini", "boards/mini/plugins/broken.py", "failed to load", "SyntaxError",
                     "line 3"]),
    Case("plugin-import-error", plugin("needs.py", "import lscb_no_such_module\n"), RENDER, 1,
         ["board mini", "boards/mini/plugins/needs.py", "failed to load", "ModuleNotFoundError",
          "lscb_no_such_module"]),
    Case("plugin-directive-trips-on-odd-input",
         both(plugin("mash.py", "from core import hookimpl\nfrom plugins.blocks import Markdown\n\n\n@hookimpl\n"
                                "def lscb_register_block_types(register):\n"
                                "    register('mash', lambda ctx, spec: [Markdown(spec['mash']['contacts'])])\n"),
              write(D + "sections/governance.budget.yml", "kind: budget\nblocks:\n  - mash: {referrals: 5}\n")),
         CHECK, 1, ["plugin board:mini/mash", "boards/mini/plugins/mash.py:7", "KeyError: 'contacts'",
                    "block type 'mash'", "boards/mini/data/2013-14/sections/governance.budget.yml, blocks[1]"]),
    Case("plugin-returns-not-blocks", plugin("odd.py", "from core import hookimpl\n\n\n@hookimpl\n"
                                             "def lscb_governance(ctx):\n    return 'Budget: 100'\n"), RENDER, 1,
         ["mini 2013-14", "boards/mini/plugins/odd.py", "returned 'Budget: 100'",
          "section 'governance.attendance'", "a list of blocks"]),

    # --- issue 13: every value typed by its contract ----------------------------------------------------
    Case("indicators-count-is-a-word", sub(D + "indicators.csv", "845,count", "many,count"), RENDER, 1,
         ["boards/mini/data/2013-14/indicators.csv", "row 3, column 'value'", "a count",
          "because its unit is 'count'", "'many'"]),
    Case("indicators-percent-out-of-range", sub(D + "indicators.csv", "845,count", "845%,percent"), CHECK, 1,
         ["boards/mini/data/2013-14/indicators.csv", "row 3, column 'value'", "a percentage from 0 to 100",
          "'845%'"]),
    Case("attendance-negative-count", sub(D + "attendance.csv", 'LSCB",7,7', 'LSCB",-7,7'), RENDER, 1,
         ["boards/mini/data/2013-14/attendance.csv", "row 2, column 'attended'", "a whole number, 0 or more",
          "'-7'"]),
    Case("attendance-percent-over-100", sub(D + "attendance.csv", "7,7,100%", "7,7,170%"), CHECK, 1,
         ["boards/mini/data/2013-14/attendance.csv", "row 2, column 'percent'", "a percentage from 0 to 100",
          "'170%'"]),
    Case("budget-amount-nan", sub(D + "budget.csv", '"14,677"', "nan"), CHECK, 1,
         ["boards/mini/data/2013-14/budget.csv", "row 3, column 'amount'", "a number as printed", "'nan'"]),
    Case("table-unquoted-thousands-separator", sub(D + "tables/categories.csv", "Neglect,120", "Neglect,1,200"),
         RENDER, 1, ["boards/mini/data/2013-14/tables/categories.csv", "row 2", "2 cells (as the header)",
                     "3 cells", "quote cells that contain commas"]),
    Case("table-row-short-of-cells", sub(D + "tables/categories.csv", "Emotional abuse,45", "Emotional abuse"),
         RENDER, 1, ["boards/mini/data/2013-14/tables/categories.csv", "row 3", "2 cells (as the header)",
                     "1 cells: ['Emotional abuse']"]),
    Case("table-semicolon-separated", write(D + "tables/categories.csv", "Category;Count\nNeglect;120\nTotal;120\n"),
         RENDER, 1, ["boards/mini/data/2013-14/tables/categories.csv", "row 1 (header)", "separated by commas",
                     "semicolons (;)", "'Category;Count'"]),
    Case("table-tab-separated", write(D + "tables/categories.csv", "Category\tCount\nNeglect\t120\nTotal\t120\n"),
         CHECK, 1, ["boards/mini/data/2013-14/tables/categories.csv", "row 1 (header)", "separated by commas",
                    "tabs"]),
    Case("priorities-sentence-where-a-list-belongs",
         sub(D + "priorities.yml", "success_measures: [Early help is monitored.]",
             "success_measures: Early help is monitored."), RENDER, 1,
         ["boards/mini/data/2013-14/priorities.yml", "priorities[1].success_measures", "a list",
          "'Early help is monitored.'"]),
    Case("list-ordered-false-in-quotes", sub(CTX, "  - table: categories\n",
                                             '  - list:\n      items: [a, b]\n      ordered: "false"\n'
                                             "  - table: categories\n"), CHECK, 1,
         [CTX_LABEL, "blocks[3] (list)", "list.ordered", "true or false (without quotes)", "'false'"]),
    Case("caption-read-as-a-boolean", sub(CTX, "caption: Children on plans by category, 31 March 2014",
                                          "caption: No"), RENDER, 1,
         [CTX_LABEL, "blocks[3] (table)", "key 'caption'", 'in quotes when it is yes/no/on/off',
          "False, read as a bool"]),
    Case("list-item-read-as-a-boolean", sub(D + "priorities.yml", "progress: [A new group met in January.]",
                                            "progress: [A new group met in January., Yes]"), CHECK, 1,
         ["boards/mini/data/2013-14/priorities.yml", "priorities[1].progress[2]", "in quotes", "True, read as a bool"]),
    Case("option-misspelt", sub("board.yml", "  disclosure: as-published", "  disclosur: dfe"), RENDER, 1,
         ["boards/mini/board.yml", "key options.disclosur", "one of the known options",
          "did you mean 'disclosure'?"]),
    Case("option-false-in-quotes", sub("board.yml", "  disclosure: as-published",
                                       '  disclosure: as-published\n  requirements_appendix: "false"'), RENDER, 1,
         ["boards/mini/board.yml", "key options.requirements_appendix", "true or false (without quotes)",
          "'false'"]),
    Case("option-unknown-value", sub("board.yml", "  disclosure: as-published", "  disclosure: DfE"), CHECK, 1,
         ["boards/mini/board.yml", "key options.disclosure", "one of ['as-published', 'dfe']", "'DfE'"]),
    Case("option-misspelt-in-a-year", sub("board.yml", "    body: LSCB\n",
                                          "    body: LSCB\n    options: {requirement_appendix: true}\n"), CHECK, 1,
         ["boards/mini/board.yml", "key years.2013-14.options.requirement_appendix",
          "did you mean 'requirements_appendix'?"]),
    Case("option-declared-by-a-plugin", sub("board.yml", "  disclosure: as-published",
                                            "  disclosure: as-published\n  priorities_template: wwr"), RENDER, 0,
         [], html=["Mini Safeguarding Children Board"]),

    # --- issue 13: keys are unique ----------------------------------------------------------------------
    Case("indicators-duplicate-row", append(D + "indicators.csv", "activity,Referrals,2013/14,2013-14,Mini,846,count,,\n"),
         RENDER, 1, ["boards/mini/data/2013-14/indicators.csv", "rows 3 and 4",
                     "one row per table + indicator + column", "indicator='Referrals'", "twice"]),
    Case("attendance-duplicate-member", append(D + "attendance.csv", "MEMBERS,Director of Children's Services,6,7,86%,\n"),
         CHECK, 1, ["boards/mini/data/2013-14/attendance.csv", "rows 3 and 4", "one row per group + member",
                    "member=\"Director of Children's Services\""]),
    Case("budget-duplicate-line", append(D + "budget.csv", 'Income,Police,"14,000",line,\n'), CHECK, 1,
         ["boards/mini/data/2013-14/budget.csv", "rows 3 and 5", "one row per part + line", "line='Police'"]),

    # --- issue 13: notebooks checked as text before they run ---------------------------------------------
    Case("chapter-unclosed-last-fence", sub(GOV, 'board.section("learning.reviews")\n```', 'board.section("learning.reviews")'),
         RENDER, 1, ["boards/mini/2013-14/02-governance.qmd, line 34", "is never closed", "headings included"]),
    Case("chapter-unclosed-fence-swallows-heading",
         sub(GOV, 'board.section("governance.attendance")\n```\n', 'board.section("governance.attendance")\n\n'),
         RENDER, 1, ["boards/mini/2013-14/02-governance.qmd, line 27", "a new cell opens",
                     "inside the cell opened at line 20"]),
    Case("chapter-without-parameters-cell", sub(GOV, "#| tags: [parameters]\n", ""), RENDER, 1,
         ["boards/mini/2013-14/02-governance.qmd, line 5", "parameters cell", "found a cell without that tag"]),
    Case("chapter-sets-another-year", sub(GOV, 'year = "2013-14"', 'year = "2012-13"'), RENDER, 1,
         ["boards/mini/2013-14/02-governance.qmd, line 9", "expected year '2013-14'", "found '2012-13'"]),
    Case("chapter-sets-another-year-during-check", sub(GOV, 'year = "2013-14"', 'year = "2012-13"'), CHECK, 1,
         ["boards/mini/2013-14/02-governance.qmd, line 9", "expected year '2013-14'", "found '2012-13'"]),
    Case("chapter-computes-another-year", sub(GOV, "board = open_board(board_id, year)",
                                              'year = "2012" + "-13"\nboard = open_board(board_id, year)'),
         RENDER, 1, ["boards/mini/2013-14/02-governance.qmd, cell at line 12", "belongs to the mini 2013-14 book",
                     "mini 2012-13 was asked for"]),
    Case("chapter-opens-another-board", sub(GOV, "open_board(board_id, year)", 'open_board("coventry", year)'),
         RENDER, 1, ["boards/mini/2013-14/02-governance.qmd, line 15", "expected board_id 'mini'",
                     "found 'coventry'"]),

    # --- issue 13: one clear message, never a traceback ---------------------------------------------------
    Case("plugin-misnamed-argument", plugin("typo.py", "from core import hookimpl\n\n\n@hookimpl\n"
                                            "def lscb_governance(context):\n    return None\n"), RENDER, 1,
         ["boards/mini/plugins/typo.py", "lscb_governance(context)", "expected arguments among (ctx)",
          "['context']"]),
    Case("plugin-register-called-wrongly", plugin("mash.py", "from core import hookimpl\n\n\n@hookimpl\n"
                                                  "def lscb_register_block_types(register):\n    register('mash')\n"),
         CHECK, 1, ["boards/mini/plugins/mash.py:6", "lscb_register_block_types",
                    "expected register(name, builder, keys)", "found register('mash',)"]),
    Case("consistency-sum-parts-not-a-list",
         write(D + "consistency.yml", 'checks:\n  - figure: Contacts\n    sum: {parts: "845", total: "845", '
                                      "in: indicators.csv}\n"), CHECK, 1,
         ["boards/mini/data/2013-14/consistency.yml", "checks[1] (sum)", "{parts: [...], total, in}", "'845'"]),
    Case("consistency-in-outside-the-year",
         write(D + "consistency.yml", 'checks:\n  - figure: Contacts\n    same: [{value: "845", in: ../../board.yml}, '
                                      '{value: "845", in: indicators.csv}]\n'), CHECK, 1,
         ["boards/mini/data/2013-14/consistency.yml", "checks[1].in", "inside the year's data folder",
          "'../../board.yml', a path outside it"]),
    Case("chapter-inline-expression-fails", append(GOV, "\nThe board met `{python} meetings_held` times.\n"),
         RENDER, 1, ["boards/mini/2013-14/02-governance.qmd, line 39", "`{python} meetings_held`", "NameError",
                     "meetings_held"]),
    Case("consistency-per-with-thousands-separator",
         write(D + "consistency.yml", "checks:\n  - figure: Referrals per contact\n    rate:\n"
                                      "      count: \"845\"\n      population: \"2,197\"\n      value: \"845\"\n"
                                      "      per: 10,000\n      in: indicators.csv\n"), CHECK, 2,
         ["845 per 2,197 is 3846 per 10,000 but 845 is printed"]),
    Case("consistency-figure-with-unquoted-separator",
         write(D + "consistency.yml", "checks:\n  - figure: Contacts\n    same: [{value: 2,197, in: indicators.csv}, "
                                      '{value: "2,197", in: indicators.csv}]\n'), CHECK, 1,
         ["boards/mini/data/2013-14/consistency.yml", "checks[1]", 'each figure quoted as printed, e.g. "8,177"',
          "found 2 without quotes", "a comma splits"]),
    Case("consistency-per-not-a-number",
         write(D + "consistency.yml", "checks:\n  - figure: Referrals per contact\n    rate:\n"
                                      "      count: \"845\"\n      population: \"2,197\"\n      value: \"845\"\n"
                                      "      per: ten thousand\n      in: indicators.csv\n"), CHECK, 1,
         ["boards/mini/data/2013-14/consistency.yml", "checks[1] (rate).per", "a whole number", "'ten thousand'"]),
    Case("block-path-outside-the-year", sub(D + "sections/governance.attendance.yml", "attendance: attendance.csv",
                                            "attendance: ../../board.yml"), RENDER, 1,
         ["boards/mini/data/2013-14/sections/governance.attendance.yml", "blocks[1] (attendance)",
          "file '../../board.yml'", "inside the year's data folder", "a path outside it"]),
    Case("block-file-missing", sub(D + "sections/governance.attendance.yml", "attendance: attendance.csv",
                                   "attendance: attendence.csv"), CHECK, 1,
         ["boards/mini/data/2013-14/sections/governance.attendance.yml", "blocks[1] (attendance)",
          "boards/mini/data/2013-14/attendence.csv", "'attendance.csv'", "no such file"]),
    Case("cli-year-with-a-slash", lambda b: None, ["render", "mini", "--year", "2013/14", "--out", "{out}"], 0,
         [], html=["Mini Safeguarding Children Board"]),

    # --- issue 13: lscb render prints the warnings lscb check finds ----------------------------------------
    Case("render-warns-attendance-above-meetings", sub(D + "attendance.csv", 'LSCB",7,7,100%', 'LSCB",8,7,100%'),
         RENDER, 0, ["mini 2013-14: 2 warning(s)", "attendance.csv: Independent Chair, LSCB attendance: attended 8 "
                     "of only 7 meetings", "--strict makes these fail"], html=["8/7"]),
    Case("render-warns-missing-totals-row", sub(CTX, "caption: Children on plans by category, 31 March 2014",
                                                "caption: Children on plans by category, 31 March 2014\n"
                                                "    checks: {total_row: Totals}"),
         RENDER, 0, ["mini 2013-14: 1 warning(s)", "tables/categories.csv: row 'Totals': declared as the totals "
                     "row but not found"]),
    Case("render-strict-fails-on-warnings", sub(D + "attendance.csv", 'LSCB",7,7,100%', 'LSCB",8,7,100%'),
         ["render", "mini", "--strict", "--out", "{out}"], 1,
         ["attended 8 of only 7 meetings", "--strict: 2 warning(s) in mini 2013-14", "nothing was written"]),

    # --- escaping -------------------------------------------------------------------------------------
    Case("escape-script-in-csv-cell", sub(D + "tables/categories.csv", "Neglect,120",
                                          "Neglect,120\n<script>alert(1)</script>,5"), RENDER, 0, [],
         html=['<th scope="row">&lt;script&gt;alert(1)&lt;/script&gt;</th>'], not_html=["<script>alert"]),
    Case("escape-html-in-fact-label", sub(CTX, "label: professionals", "label: <b>professionals</b>"), RENDER, 0,
         [], html=['<span class="label">&lt;b&gt;professionals&lt;/b&gt; trained'], not_html=["<b>professionals"]),
    Case("escape-markdown-only-in-text-blocks", sub(D + "tables/categories.csv", "Neglect,120",
                                                    "Neglect,120\n*x*,5"), RENDER, 0, [],
         html=['<th scope="row">*x*</th>', "Mini is a <em>small</em> area."], not_html=["<em>x</em>"]),
    Case("escape-raw-html-in-text-block", sub(CTX, "Mini is a *small* area.",
                                              "Mini is a *small* area. <script>alert(3)</script>"), RENDER, 0, [],
         html=["&lt;script&gt;alert(3)&lt;/script&gt;"], not_html=["<script>alert"]),
    Case("escape-chart-title", sub(CTX, "title: Children on plans by category",
                                   "title: <script>alert(2)</script>"), RENDER, 0, [],
         html=["&lt;script&gt;alert(2)&lt;/script&gt;"], not_html=["<script>alert"]),
]


# --- running the command -------------------------------------------------------------------------------

@pytest.fixture
def mini(tmp_path, monkeypatch) -> Path:
    """The mini board copied into a temporary boards folder that the engine uses (LSCB_BOARDS)."""
    root = tmp_path / "boards"
    shutil.copytree(MINI, root / "mini")
    monkeypatch.setenv("LSCB_BOARDS", str(root))
    monkeypatch.setenv("LSCB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LSCB_QUIET", "1")
    yield root / "mini"



def lscb(argv: list[str], capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, mini: Path, tmp_path, capsys):
    case.mutate(mini)
    out = tmp_path / "out"
    code, text = lscb([a.replace("{out}", str(out)) for a in case.argv], capsys)
    assert code == case.code, text
    for fragment in case.message:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    assert "Traceback" not in text
    if case.code == 0 and case.argv[0] == "render":
        page = (out / "index.html").read_text(encoding="utf-8")
        for fragment in case.html:
            assert fragment in page, fragment
        for fragment in case.not_html:
            assert fragment not in page, fragment
    elif case.code:
        assert not (out / "index.html").exists()


def test_the_corpus_is_large_enough_and_ids_are_unique():
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)


def test_the_mini_board_itself_renders_and_checks(mini, tmp_path, capsys):
    code, text = lscb(["render", "mini", "--out", str(tmp_path / "out")], capsys)
    assert code == 0, text
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    for shown in ("1,918", "Neglect", "155,875", "Independent Chair, LSCB", "Early help", "Child A", "2,197"):
        assert shown in page
    code, text = lscb(CHECK, capsys)
    assert "data: 0 error(s)" in text
    assert code == 2, text       # a tiny board misses *must* requirements: exit 2 (tests/test_behaviour_check.py)


def test_a_plugin_error_shows_a_traceback_only_with_debug(mini, tmp_path, capsys):
    plugin("boom.py", "from core import hookimpl\n\n\n@hookimpl\ndef lscb_governance(ctx):\n    return 1 / 0\n")(mini)
    code, text = lscb(["render", "mini", "--out", str(tmp_path / "out")], capsys)
    assert code == 1 and "Traceback" not in text and "ZeroDivisionError" in text
    with pytest.raises(Exception) as raised:
        main(["--debug", "render", "mini", "--out", str(tmp_path / "out")])
    chain = []
    e: BaseException | None = raised.value
    while e is not None:
        chain.append(type(e).__name__)
        e = e.__cause__
    assert "ZeroDivisionError" in chain


# --- atomic output -------------------------------------------------------------------------------------

def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failed_render_leaves_the_previous_output_untouched(mini, tmp_path, capsys):
    out = tmp_path / "site" / "out"
    code, text = lscb(["render", "mini", "--out", str(out)], capsys)
    assert code == 0, text
    before = _snapshot(out)
    assert "index.html" in before and ".lscb-output" in before

    # the first chapter still works; the second fails half-way through the report
    append(GOV, cell("raise RuntimeError('figures not signed off')"))(mini)
    code, text = lscb(["render", "mini", "--out", str(out)], capsys)
    assert code == 1
    assert "02-governance.qmd" in text and "RuntimeError: figures not signed off" in text
    assert _snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]      # no temporary folders left beside it


def test_a_failed_first_render_leaves_nothing(mini, tmp_path, capsys):
    out = tmp_path / "site" / "out"
    append(GOV, cell("undefined_figure"))(mini)
    code, _ = lscb(["render", "mini", "--out", str(out)], capsys)
    assert code == 1
    assert not out.exists()
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


def test_out_refuses_a_folder_lscb_did_not_write(mini, tmp_path, capsys):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "minutes.docx").write_bytes(b"board minutes")
    code, text = lscb(["render", "mini", "--out", str(out)], capsys)
    assert code == 1
    assert f"--out {out}" in text and "not written by lscb render" in text and ".lscb-output" in text
    assert _snapshot(out) == {"minutes.docx": b"board minutes"}


def test_out_refuses_a_file(mini, tmp_path, capsys):
    out = tmp_path / "report.html"
    out.write_text("mine", encoding="utf-8")
    code, text = lscb(["render", "mini", "--out", str(out)], capsys)
    assert code == 1 and "not written by lscb render" in text
    assert out.read_text(encoding="utf-8") == "mine"


# --- issue 13: output paths, --strict, warnings, and the small things ------------------------------------

def test_out_under_a_file_is_one_message(mini, tmp_path, capsys):
    blocker = tmp_path / "report.html"
    blocker.write_text("mine", encoding="utf-8")
    code, text = lscb(["render", "mini", "--out", str(blocker / "site")], capsys)
    assert code == 1 and "Traceback" not in text
    assert f"--out {blocker / 'site'}" in text and f"{blocker} is a file" in text
    assert blocker.read_text(encoding="utf-8") == "mine"


def test_strict_leaves_the_previous_output_untouched(mini, tmp_path, capsys):
    out = tmp_path / "out"
    code, text = lscb(["render", "mini", "--strict", "--out", str(out)], capsys)
    assert code == 0, text
    before = _snapshot(out)
    sub(D + "attendance.csv", 'LSCB",7,7,100%', 'LSCB",8,7,100%')(mini)
    code, text = lscb(["render", "mini", "--strict", "--out", str(out)], capsys)
    assert code == 1 and "--strict: 2 warning(s)" in text and "Traceback" not in text
    assert _snapshot(out) == before
    code, text = lscb(["render", "mini", "--out", str(out)], capsys)    # without --strict: a warning, exit 0
    assert code == 0 and "mini 2013-14: 2 warning(s)" in text
    assert _snapshot(out) != before


def test_warnings_are_printed_once_even_from_the_report_cache(mini, tmp_path, capsys):
    sub(D + "attendance.csv", 'LSCB",7,7,100%', 'LSCB",8,7,100%')(mini)
    argv = ["render", "mini", "--out", str(tmp_path / "out")]
    code, first = lscb(argv, capsys)
    code, again = lscb(argv, capsys)
    assert code == 0 and "taken from the report cache" in again
    for text in (first, again):
        assert text.count("attended 8 of only 7 meetings") == 1, text
        assert "mini 2013-14: 2 warning(s)" in text
    assert not (tmp_path / "out" / ".lscb-warnings").exists()


def test_no_cache_reports_the_chapters_it_executed(mini, tmp_path, capsys):
    code, text = lscb(["render", "mini", "--no-cache", "--out", str(tmp_path / "out")], capsys)
    assert code == 0 and "mini 2013-14: 2 chapters (0 from cache, 2 executed)" in text


def test_output_folders_follow_the_umask(mini, tmp_path, capsys):
    import os
    old = os.umask(0o022)
    try:
        code, text = lscb(["render", "mini", "--out", str(tmp_path / "out")], capsys)
    finally:
        os.umask(old)
    assert code == 0, text
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755


def test_check_names_the_board_and_year_once(mini, capsys):
    plugin("boom.py", "from core import hookimpl\n\n\n@hookimpl\ndef lscb_governance(ctx):\n    return 1 / 0\n")(mini)
    code, text = lscb(CHECK, capsys)
    assert code == 1 and "ZeroDivisionError" in text
    assert text.count("mini 2013-14:") == 1, text


def test_check_chapter_text_is_public_for_the_quarto_path(mini):
    from core.errors import NotebookError
    from plugins.checks.chapters import check_chapter_text
    chapter = mini / GOV
    check_chapter_text(chapter, "mini", "2013-14")          # the fixture is sound
    with pytest.raises(NotebookError, match=r"02-governance.qmd, line 9: expected year '2014-15'"):
        check_chapter_text(chapter, "mini", "2014-15")


# --- mutations of a real board ---------------------------------------------------------------------------

REAL = [
    ("coventry-budget-kind", "data/2013-14/budget.csv", 'Police,"14,677",line', 'Police,"14,677",lines',
     ["check", "coventry", "--year", "2013-14"],
     ["boards/coventry/data/2013-14/budget.csv", "row 5, column 'kind'", "one of ['line', 'total']", "'lines'"]),
    ("coventry-section-typo", "2013-14/02-governance.qmd", 'board.section("governance.budget")',
     'board.section("governance.budgte")', ["check", "coventry", "--year", "2013-14"],
     ["boards/coventry/2013-14/02-governance.qmd, cell at line 53", "'governance.budgte'",
      "boards/coventry/data/2013-14/sections/governance.budgte.yml"]),
]


@pytest.mark.parametrize("rel,old,new,argv,message", [r[1:] for r in REAL], ids=[r[0] for r in REAL])
def test_a_mutated_real_board(rel, old, new, argv, message, tmp_path, monkeypatch, capsys):
    root = tmp_path / "boards"
    shutil.copytree(MINI.parent.parent.parent / "boards" / "coventry", root / "coventry",
                    ignore=shutil.ignore_patterns("2023-24"))
    board = root / "coventry"
    (board / "board.yml").write_text(                       # only the year copied
        (board / "board.yml").read_text(encoding="utf-8").split("  2023-24:")[0]
        + "options:\n  disclosure: as-published\n", encoding="utf-8")
    monkeypatch.setenv("LSCB_BOARDS", str(root))
    monkeypatch.setenv("LSCB_CACHE", str(tmp_path / "cache"))
    sub(rel, old, new)(board)
    code, text = lscb(argv, capsys)
    assert code == 1, text
    for fragment in message:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    assert "Traceback" not in text


def test_open_board_in_a_books_folder_shows_only_that_board_and_year(mini, monkeypatch):
    """The Quarto path runs a chapter in its book's folder: -P year:2013/14 is read as 2013-14, and another
    board or year than the folder's is refused."""
    from core.errors import BoardError
    from core.notebook import open_board
    monkeypatch.chdir(mini / "2013-14")
    assert open_board("mini", "2013/14").year == "2013-14"
    with pytest.raises(BoardError, match="belongs to the mini book, but board 'coventry' was asked for"):
        open_board("coventry", "2013-14")
    with pytest.raises(BoardError, match="belongs to the 2013-14 book, but year 2014-15 was asked for"):
        open_board("mini", "2014-15")
