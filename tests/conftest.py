"""Shared test helpers: small boards built in a temporary folder, and a clean engine cache per test."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from plugins.scaffold import OPENING, chapter_cell

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"

CHAPTER = OPENING + "\n{body}\n"


def cell(section: str, label: str = "", cap: str = "") -> str:
    return chapter_cell(section, label, cap)


class BoardMaker:
    """Writes a minimal board: board.yml, one year's data, a book with chapters."""

    def __init__(self, root: Path):
        self.root = root

    def make(self, board: str = "testshire", year: str = "2014-15", chapters: dict | None = None,
             files: dict | None = None, board_yml: str | None = None, plugins: dict | None = None) -> Path:
        base = self.root / board
        (base / "data" / year / "sections").mkdir(parents=True, exist_ok=True)
        (base / "data" / year / "tables").mkdir(parents=True, exist_ok=True)
        (base / "board.yml").write_text(board_yml or textwrap.dedent(f"""\
            name: {board.title()} Safeguarding Children Board
            area: {board.title()}
            years:
              {year}:
                title: Annual Report {year}
            options:
              disclosure: as-published
            """), encoding="utf-8")
        files = files if files is not None else {
            "sections/governance.budget.yml": "kind: budget\nblocks:\n  - budget: budget.csv\n",
            "budget.csv": "part,line,amount,kind,note\nIncome,Council,\"1,000\",line,\n"
                          "Income,Police,500,line,\nIncome,Total income,\"1,500\",total,\n",
            "sections/learning.training.yml": "kind: training\nblocks:\n  - facts:\n"
                                              "      - {value: \"1,918\", label: professionals trained}\n",
        }
        for rel, text in files.items():
            p = base / "data" / year / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                p.write_bytes(text)
            else:
                p.write_text(text, encoding="utf-8")
        chapters = chapters if chapters is not None else {
            "01-governance.qmd": ("1 Governance", "## 1.1 Budget\n\n" + cell("governance.budget", "tbl-budget", "Budget")),
            "02-learning.qmd": ("2 Learning", "## 2.1 Training\n\n" + cell("learning.training")),
        }
        book = base / year
        book.mkdir(exist_ok=True)
        names = []
        for name, (title, body) in chapters.items():
            (book / name).write_text(CHAPTER.format(title=title, board=board, year=year, body=body),
                                     encoding="utf-8")
            names.append(name)
        listing = "\n".join(f"    - {n}" for n in names)
        (book / "_quarto.yml").write_text(
            f"project:\n  type: book\nbook:\n  title: \"Test report\"\n  chapters:\n{listing}\n",
            encoding="utf-8")
        for name, source in (plugins or {}).items():
            (base / "plugins").mkdir(exist_ok=True)
            (base / "plugins" / name).write_text(textwrap.dedent(source), encoding="utf-8")
        return base


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    """Each test caches into its own folder, never into the repository's .lscb-cache."""
    monkeypatch.setenv("LSCB_CACHE", str(tmp_path / "lscb-cache"))


@pytest.fixture
def boards(tmp_path, monkeypatch) -> BoardMaker:
    """An empty boards folder the engine uses instead of the repository's (LSCB_BOARDS)."""
    root = tmp_path / "boards"
    root.mkdir()
    monkeypatch.setenv("LSCB_BOARDS", str(root))
    return BoardMaker(root)


@pytest.fixture
def copy_board(tmp_path, monkeypatch):
    """Copy a real board into a temporary boards folder (for mutations)."""
    root = tmp_path / "boards"
    root.mkdir(exist_ok=True)
    monkeypatch.setenv("LSCB_BOARDS", str(root))

    def copy(board: str) -> Path:
        dest = root / board
        shutil.copytree(REPO / "boards" / board, dest)
        return dest
    return copy


MINI = Path(__file__).resolve().parent / "bad_inputs" / "mini"


@pytest.fixture
def mini(tmp_path, monkeypatch) -> Path:
    """A copy of the small board in tests/bad_inputs/mini (one year, 2013-14) in a temporary boards folder."""
    root = tmp_path / "boards"
    root.mkdir(exist_ok=True)
    shutil.copytree(MINI, root / "mini")
    monkeypatch.setenv("LSCB_BOARDS", str(root))
    return root / "mini"


def lscb(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run ``lscb ARGV`` in-process: (exit code, stdout, stderr)."""
    from core.cli import main
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def nonempty(params: list, what: str) -> list:
    """A parameter list built at collection time, refused when empty (an empty list would pass silently)."""
    if not params:
        raise pytest.UsageError(f"no {what} found: the parameter list is empty, so these tests would "
                                "pass without testing anything (is the boards folder empty?)")
    return params


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """Every seed report rendered once with the built-in renderer: {(board, year): html}."""
    from core.board import Board, list_boards
    from plugins.render.build import build_reports
    out = tmp_path_factory.mktemp("rendered") / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("LSCB_BOARDS", raising=False)
        targets = [(b, y) for b in list_boards() for y in Board.load(b).years]
        build_reports(targets, out, ["html"], single=False)
    return {(b, y): (out / b / y / "index.html").read_text(encoding="utf-8") for b, y in targets}
