"""Where a partnership's project lives: the folder holding ``boards/``, found from where ``lscb`` runs.

A partnership keeps its own project folder (``boards/<board>/board.yml``, its books and data) and installs
lscb-reports into a virtual environment; ``lscb`` then finds the boards the way git finds its repository:
from the current folder upwards. Kept free of heavy imports: the report cache's fast path uses it.
"""
from __future__ import annotations

import os
from pathlib import Path

#: The boards shipped beside the engine (a checkout of this repository).
ENGINE_BOARDS = Path(__file__).resolve().parent.parent / "boards"


def _has_boards(folder: Path) -> bool:
    return folder.is_dir() and any((p / "board.yml").is_file() for p in folder.iterdir() if p.is_dir())


def boards_dir(start: Path | None = None) -> Path:
    """The ``boards/`` folder in use.

    In order: ``$LSCB_BOARDS``; else, from the current folder upwards, the first folder that is a board
    (holds ``board.yml``: its parent is the boards folder) or holds a ``boards/`` folder with at least one
    board; else the ``boards/`` beside the engine (this repository's own boards).
    """
    env = os.environ.get("LSCB_BOARDS")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "board.yml").is_file() and folder.parent.name == "boards":
            return folder.parent
        if _has_boards(folder / "boards"):
            return folder / "boards"
        if folder.name == "boards" and _has_boards(folder):
            return folder
    return ENGINE_BOARDS


def project_dir(start: Path | None = None) -> Path:
    """The project folder: the one that holds ``boards/`` (caches go in ``<project>/.lscb-cache``)."""
    return boards_dir(start).parent
