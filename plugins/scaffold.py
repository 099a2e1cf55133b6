"""`lscb new-board` and `lscb new-section`: starting points that render at once (a built-in plugin)."""
from __future__ import annotations

import re
from pathlib import Path

from core import hookimpl
from core.board import BOARD_ID, Board, check_year, default_edition
from core.errors import BoardError
from core.project import boards_dir, project_dir

EXAMPLE = "EXAMPLE ROW: replace with your own figures"

BOARD_YML = """\
name: {area} Safeguarding Children Partnership
area: {area}
# Optional section plugins this board uses: independent scrutiny and the partners' response (WT2023).
plugins: [plugins.scrutiny_response]
years:
  {year}:
    title: Yearly report {year_title}
    edition: {edition}
    body: partnership
    period: 1 April {start} to 31 March {end}
options:
  # Suppress small counts of children (1 to 5) and what could reveal them, as official statistics do.
  disclosure: dfe
  # Add the appendix "How this report meets Working Together" to the report.
  requirements_appendix: true
"""

DATA = {
    "notes.md": "# Data notes\n\nWhere each figure comes from, and anything that could not be recovered.\n",
    "indicators.csv": (
        "table,indicator,column,period,area,value,unit,source,note\n"
        "children-in-need,Children in need at 31 March,{area},{end},{area},412,count,LA return,{example}\n"
        "children-in-need,Children in need at 31 March,England,{end},England,\"403,090\",count,DfE,{example}\n"
        "children-in-need,Children on child protection plans,{area},{end},{area},3,count,LA return,{example}\n"
        "children-in-need,Children on child protection plans,England,{end},England,\"50,780\",count,DfE,{example}\n"
    ),
    "attendance.csv": (
        "group,member,attended,possible,percent,comment\n"
        "Safeguarding partners,Director of Children's Services,6,6,100%,{example}\n"
    ),
    "budget.csv": (
        "part,line,amount,kind,note\n"
        "Income,Local authority contribution,\"60,000\",line,{example}\n"
        "Income,Police contribution,\"20,000\",line,{example}\n"
        "Income,Integrated care board contribution,\"20,000\",line,{example}\n"
        "Income,Total income,\"100,000\",total,\n"
        "Expenditure,Staffing,\"80,000\",line,{example}\n"
        "Expenditure,Training,\"20,000\",line,{example}\n"
        "Expenditure,Total expenditure,\"100,000\",total,\n"
    ),
    "priorities.yml": (
        "template: wwr\n"
        "priorities:\n"
        "  - number: \"1\"\n"
        "    title: \"EXAMPLE: Early help\"\n"
        "    status: On track\n"
        "    working_well: [\"{example}\"]\n"
        "    worried_about: [\"{example}\"]\n"
        "    needs_to_happen: [\"{example}\"]\n"
    ),
    "reviews.yml": (
        "reviews:\n"
        "  - name: \"EXAMPLE: Child A\"\n"
        "    type: Local child safeguarding practice review\n"
        "    published: \"{end}\"\n"
        "    summary: \"{example}\"\n"
        "    recommendations:\n"
        "      - {{number: \"1\", text: \"{example}\", progress: \"{example}\", status: Open}}\n"
    ),
    "tables/training.csv": "Course,Attendees\nEXAMPLE: Working together,24\nEXAMPLE: Neglect,18\n",
    "sections/governance.foreword.yml": (
        "kind: foreword\nblocks:\n  - text: |\n      {example}. Say here what the partners did this year and how well it worked.\n"
    ),
    "sections/demographics.children.yml": (
        "kind: indicators\nblocks:\n  - indicators: children-in-need\n    stub: Children\n"
        "    caption: Children in need and on child protection plans\n"
        "    children: true\n"
    ),
    "sections/governance.arrangements.yml": (
        "kind: attendance\nblocks:\n  - attendance: attendance.csv\n    caption: Attendance at partnership meetings\n"
    ),
    "sections/governance.budget.yml": (
        "kind: budget\nblocks:\n  - budget: budget.csv\n    caption: Budget and spend\n"
    ),
    "scrutiny.yml": (
        "scrutineer: \"EXAMPLE: name, independent scrutineer\"\n"
        "period: April {start} to March {end}\n"
        "findings:\n"
        "  - {{finding: \"{example}\", response: \"{example}\", status: In progress}}\n"
    ),
    "sections/priorities.priorities.yml": "kind: priorities\nblocks:\n  - priorities: priorities.yml\n",
    "sections/priorities.voice.yml": (
        "kind: voice\nblocks:\n  - pairs:\n      title: You said, we did\n      headers: [You said, We did]\n"
        "      rows:\n        - [\"{example}\", \"{example}\"]\n"
    ),
    "sections/learning.reviews.yml": "kind: reviews\nblocks:\n  - reviews: reviews.yml\n",
    "sections/learning.training.yml": (
        "kind: training\nblocks:\n  - table: training\n    caption: Multi-agency training\n"
        "  - chart:\n      table: training\n      x: Course\n      y: Attendees\n      title: Attendees by course\n"
    ),
    "sections/partners.education.yml": (
        "kind: education\nblocks:\n  - list:\n      title: Schools and education\n      items: [\"{example}\"]\n"
    ),
}

CHAPTERS = {
    "index.qmd": ("{area} Safeguarding Children Partnership", []),
    "01-introduction.qmd": ("1 Introduction", [("governance.foreword", "", "")]),
    "02-context.qmd": ("2 Children in {area}", [("demographics.children", "tbl-children", "Children in need")]),
    "03-arrangements.qmd": ("3 Our arrangements", [("governance.arrangements", "tbl-attendance", "Attendance"),
                                                   ("governance.budget", "tbl-budget", "Budget"),
                                                   ("scrutiny-response", "", ""),
                                                   ("partners.education", "", "")]),
    "04-priorities.qmd": ("4 Priorities", [("priorities.priorities", "", ""), ("priorities.voice", "", "")]),
    "05-learning.qmd": ("5 Learning", [("learning.reviews", "", ""), ("learning.training", "", "")]),
}

OPENING = '''---
title: "{title}"
---

```{{python}}
#| tags: [parameters]
#| include: false
board_id = "{board}"
year = "{year}"
```

```{{python}}
#| include: false
from core.notebook import open_board
board = open_board(board_id, year)
```
'''


def chapter_cell(section: str, label: str = "", cap: str = "") -> str:
    """A chapter cell that shows one section, with an optional table label and caption."""
    opts = "#| echo: false\n" + (f"#| label: {label}\n" if label else "") + (f'#| tbl-cap: "{cap}"\n' if cap else "")
    return f"\n```{{python}}\n{opts}board.section(\"{section}\")\n```\n"


def new_board(name: str, area: str, year: str = "2024-25", base: Path | None = None) -> Path:
    if not BOARD_ID.match(name or ""):
        raise BoardError(f"board name {name!r}: use lower-case letters, digits and _ (e.g. new_town)")
    check_year(year)
    if not area.strip() or any(c in area for c in "\n\"{}"):
        raise BoardError(f"--area {area!r}: give the area's name, e.g. \"Newtown\"")
    root = (base or boards_dir()) / name
    if root.exists():
        raise BoardError(f"{root} already exists: choose another name or remove it first")
    start = int(year[:4])
    fields = dict(area=area, year=year, year_title=f"{start}-{start + 1}", start=start, end=start + 1,
                  edition=default_edition(year), example=EXAMPLE, board=name)
    data = root / "data" / year
    for rel, text in DATA.items():
        p = data / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text.format(**fields), encoding="utf-8")
    (root / "board.yml").write_text(BOARD_YML.format(**fields), encoding="utf-8")
    (root / "plugins").mkdir()
    (root / "plugins" / "README.md").write_text(
        "Plugins only this board needs: `lscb new-section NAME` writes one with its test.\n", encoding="utf-8")
    book = root / year
    book.mkdir()
    for filename, (title, cells) in CHAPTERS.items():
        body = OPENING.format(title=title.format(**fields), board=name, year=year)
        if filename == "index.qmd":
            body += (f"\nThis is the yearly report of the {area} Safeguarding Children Partnership for "
                     f"{fields['year_title']}. Replace every row marked EXAMPLE with your own figures.\n")
        body += "".join(chapter_cell(*c) for c in cells)
        (book / filename).write_text(body, encoding="utf-8")
    chapters = "\n".join(f"    - {f}" for f in CHAPTERS)
    from plugins.project import link_extension
    from plugins.render.quarto.render import BOOK_FORMATS, BOOK_PROJECT
    (book / "_quarto.yml").write_text(
        f"{BOOK_PROJECT}book:\n  output-file: report\n"
        f"  title: \"{area} Safeguarding Children Partnership: Yearly report {fields['year_title']}\"\n"
        f"  author: \"{area} Safeguarding Children Partnership\"\n  chapters:\n{chapters}\n{BOOK_FORMATS}",
        encoding="utf-8")
    link_extension(book)          # a link to the project's lscb Quarto extension: `quarto render` works at once
    return root


SECTION_PLUGIN = '''"""{title}: a section plugin (lscb new-section)."""
from __future__ import annotations

from core import hookimpl
from plugins.blocks import KeyFigures
from core.sections import SectionType

from plugins import _spec


def build(ctx):
    """Blocks for board.section("{name}"): reads data/<year>/{name}.yml (a list of facts)."""
    raw = ctx.data.yaml("{name}.yml")
    return [KeyFigures(_spec.facts(ctx, raw.get("facts", []), "facts", ctx.data.label("{name}.yml")))]


@hookimpl
def lscb_register_section_types(register):
    # satisfies: the Working Together requirement ids this section meets, e.g. ("WT23-07",)
    register(SectionType("{name}", "{title}", {family!r}, (), build=build))
'''

SECTION_TEST = '''"""Test for the {name} section plugin."""
from core.cli import main
from tests.conftest import cell


def test_{ident}_section_renders_its_facts(boards, tmp_path):
    source = (__import__("pathlib").Path(__file__).resolve().parents[1] / "plugins" / "{module}.py").read_text()
    boards.make(plugins={{"{module}.py": source}}, files={{"{name}.yml": "facts:\\n  - {{value: '42', label: example figure}}\\n"}},
                chapters={{"01-x.qmd": ("1 {title}", cell("{name}"))}})
    out = tmp_path / "out"
    assert main(["render", "testshire", "--out", str(out)]) == 0
    assert "example figure" in (out / "index.html").read_text()
'''


def new_section(name: str, family: str | None = None, root: Path | None = None,
                board: str | None = None) -> list[Path]:
    """A section plugin: with ``board``, in that board's plugins/ (loaded for that board only); else, in a
    checkout of lscb-reports, a shared plugin in plugins/ with its test in tests/."""
    if not re.match(r"^[a-z][a-z0-9-]{1,40}$", name or ""):
        raise BoardError(f"section name {name!r}: use lower-case letters, digits and - (e.g. scrutiny-response)")
    module = name.replace("-", "_")
    title = name.replace("-", " ").capitalize()
    if board is not None:
        folder = Board.load(board).root / "plugins"
        plugin = folder / f"{module}.py"
        if plugin.exists():
            raise BoardError(f"{plugin} already exists")
        folder.mkdir(exist_ok=True)
        plugin.write_text(SECTION_PLUGIN.format(name=name, title=title, family=family), encoding="utf-8")
        return [plugin]
    if root is None:
        root = project_dir()
        # in a partnership's project the shared plugins are the installed toolkit's: never written to
        if not (root / "plugins" / "__init__.py").is_file() or not (root / "tests").is_dir():
            raise BoardError(f"{root} is not a checkout of lscb-reports: name the board the section is for, "
                             f"lscb new-section {name} --board BOARD (it goes in boards/BOARD/plugins/)")
    plugin = root / "plugins" / f"{module}.py"
    test = root / "tests" / f"test_section_{module}.py"
    for p in (plugin, test):
        if p.exists():
            raise BoardError(f"{p} already exists")
    plugin.write_text(SECTION_PLUGIN.format(name=name, title=title, family=family), encoding="utf-8")
    test.write_text(SECTION_TEST.format(name=name, title=title, ident=module, module=module), encoding="utf-8")
    return [plugin, test]


def _cmd_new_board(args) -> int:
    print(f"wrote {new_board(args.name, args.area, args.year)}")
    return 0


def _cmd_new_section(args) -> int:
    for path in new_section(args.name, args.family, board=args.board):
        print(f"wrote {path}")
    return 0


@hookimpl
def lscb_register_commands(subparsers):
    nb = subparsers.add_parser("new-board", help="scaffold a board folder that renders at once")
    nb.add_argument("name")
    nb.add_argument("--area", required=True)
    nb.add_argument("--year", default="2024-25")
    nb.set_defaults(func=_cmd_new_board)

    ns = subparsers.add_parser("new-section", help="scaffold a section plugin with its test")
    ns.add_argument("name")
    ns.add_argument("--family", default=None)
    ns.add_argument("--board", default=None, help="write it into this board's plugins/ (in your own project)")
    ns.set_defaults(func=_cmd_new_section)
