"""What the preview watches, and what a change asks of the next render."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from watchfiles import Change, DefaultFilter

import plugins

#: Folders Quarto and the caches write into: their churn is not an edit.
IGNORED_DIRS = ("_book", "_site", "_freeze", ".quarto", ".lscb-cache", ".jupyter_cache", "out")


def watched_paths(board_root: Path) -> list[Path]:
    """The board (board.yml, its books' notebooks, data and plugins) and the shared plugins."""
    return [board_root, Path(plugins.__file__).resolve().parent]


class EditFilter(DefaultFilter):
    """watchfiles' default filter (VCS folders, __pycache__, editor swap files) plus output folders."""

    def __init__(self) -> None:
        super().__init__(ignore_dirs=(*DefaultFilter.ignore_dirs, *IGNORED_DIRS))


@dataclass(frozen=True)
class Edit:
    """What the next render must do about a batch of changes."""
    files: tuple[str, ...]
    new_interpreter: bool      # Python changed: a module imported once is not reloaded reliably
    fresh_engine: bool         # board.yml changed: the board, its options and plugin list are read again


def classify(changes, roots: list[Path]) -> Edit:
    kinds: dict[str, set] = {}
    for change, p in changes:
        kinds.setdefault(p, set()).add(change)
    # an editor's or sed's temporary file, made and gone within the batch, is not an edit
    paths = sorted(Path(p) for p, k in kinds.items() if not {Change.added, Change.deleted} <= k or Path(p).exists())
    shown = []
    for p in paths:
        root = next((r for r in roots if p.is_relative_to(r)), None)
        shown.append(str(p.relative_to(root.parent)) if root else str(p))
    return Edit(tuple(shown), any(p.suffix == ".py" for p in paths), any(p.name == "board.yml" for p in paths))
