"""What a chapter cell imports: open the board, show a section.

    from core.notebook import open_board
    board = open_board(board_id, year)     # or open_board(): from the parameters cell / the folder
    board.section("governance.budget")
"""
from __future__ import annotations

import contextvars
import inspect
from dataclasses import dataclass
from pathlib import Path

from .blocks import SectionOutput
from .board import Board, is_year, normalise_year
from .engine import Engine
from .errors import BoardError

#: set by the built-in renderer so every chapter of a render shares one engine (plugins loaded once); a
#: chapter run by Quarto (one kernel per chapter) opens its own, so nothing is kept between renders
current_engine: contextvars.ContextVar[Engine | None] = contextvars.ContextVar("current_engine", default=None)
#: (board, year) of the book the built-in renderer is executing: a chapter may open only that board-year
current_book: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("current_book", default=None)


@dataclass
class BoardHandle:
    """A board opened for one report year, as a chapter sees it."""
    engine: Engine
    year: str

    @property
    def name(self) -> str:
        return self.engine.board.display_name(self.year)

    @property
    def area(self) -> str:
        return self.engine.board.area

    @property
    def info(self) -> dict:
        return self.engine.board.year_info(self.year)

    def section(self, section_id: str) -> SectionOutput:
        """Build a section (e.g. ``"governance.budget"``) and return it for display."""
        return self.engine.section(self.year, section_id)

    def data(self):
        return self.engine.data(self.year)


def _infer_from_folder(start: Path) -> tuple[str | None, str | None, Path | None]:
    """boards/<board>/<year>/chapter.qmd -> (board, year, boards folder); boards/<board>/chapter.qmd ->
    (board, None, boards folder): a book finds its board from where it is, in any project."""
    for folder in [start, *start.parents]:
        if (folder / "board.yml").is_file():
            rel = start.relative_to(folder).parts
            return folder.name, (rel[0] if rel else None), folder.parent
    return None, None, None


def open_board(board_id: str | None = None, year: str | None = None) -> BoardHandle:
    """Open a board for a year. Arguments default to the ``board_id``/``year`` of the calling
    notebook's parameters cell, then to the folder the notebook runs in (Quarto runs a chapter in its
    own folder: ``boards/<board>/<year>/``)."""
    caller = inspect.currentframe().f_back.f_globals if inspect.currentframe() else {}
    board_id = board_id or caller.get("board_id")
    year = year or caller.get("year")
    folder_board, folder_year, folder_boards = _infer_from_folder(Path.cwd().resolve())
    board_id = board_id or folder_board
    year = normalise_year(str(year or folder_year)) if (year or folder_year) else None    # -P year:2013/14
    if folder_board and board_id and str(board_id) != folder_board:
        # Quarto runs a chapter in its board's folder: a board's book must not show another board's data.
        raise BoardError(f"open_board(): this chapter belongs to the {folder_board} book, but board "
                         f"{board_id!r} was asked for; expected board_id {folder_board!r}")
    if folder_year and year and folder_year != str(year) and is_year(folder_year):
        # Quarto runs a chapter in its book's folder: a year's book must not show another year's data.
        raise BoardError(f"open_board(): this chapter belongs to the {folder_year} book, but year {year} was "
                         f"asked for; render boards/{board_id}/{year} for that year")
    book = current_book.get()
    if book and (str(board_id), str(year)) != book:
        # a computed year (or board) the text check could not see: this report shows only its own data
        raise BoardError(f"open_board(): this chapter belongs to the {book[0]} {book[1]} book, but "
                         f"{board_id} {year} was asked for; expected board_id {book[0]!r} and year {book[1]!r}")
    if not board_id:
        raise BoardError("open_board(): no board given, no board_id in the parameters cell, and the "
                         "notebook does not run inside a board folder")
    active = current_engine.get()
    engine = (active if active is not None and active.board.id == str(board_id)
              else Engine(Board.load(str(board_id), folder_boards if folder_board else None)))
    if not year:
        raise BoardError(f"open_board(): no year for {board_id}; years with data: "
                         f"{', '.join(engine.board.years)}")
    return BoardHandle(engine, engine.board.check_year(str(year)))
