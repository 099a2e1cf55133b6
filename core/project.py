"""Where a partnership's project lives, and where lscb may write.

A partnership keeps its own project folder (``lscb.yml``, ``boards/<board>/``, the Quarto extension) and
installs lscb-reports into a virtual environment; ``lscb`` finds the project the way git finds its
repository: from the current folder upwards. Nothing is ever looked for (or written) beside the engine's
own source files, which may be a read-only site-packages. Kept free of heavy imports: the report cache
(plugins.render.report_cache) uses it.
"""
from __future__ import annotations

import os
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from .errors import BoardError

#: the file that marks a project folder (``lscb init`` writes it)
PROJECT_FILE = "lscb.yml"
#: the folder the engine's package sits in: a checkout of lscb-reports, or site-packages
ENGINE_ROOT = Path(__file__).resolve().parent.parent


def _has_boards(folder: Path) -> bool:
    try:
        return folder.is_dir() and any((p / "board.yml").is_file() for p in folder.iterdir() if p.is_dir())
    except OSError:          # a folder above the project that we may not list: not a project
        return False


def is_project(folder: Path) -> bool:
    """Does ``folder`` hold ``lscb.yml`` or a ``boards/`` folder with a board?"""
    return (folder / PROJECT_FILE).is_file() or _has_boards(folder / "boards")


def find_project(start: Path | None = None) -> Path | None:
    """The project folder, or None: ``$LSCB_BOARDS`` (a boards folder: its parent), ``$LSCB_PROJECT``
    (``lscb --project DIR`` sets it), else the nearest folder from ``start`` (the current folder) upwards
    that holds ``lscb.yml`` or a ``boards/`` folder with a board in it."""
    boards = os.environ.get("LSCB_BOARDS")
    if boards:
        return Path(boards).resolve().parent
    named = os.environ.get("LSCB_PROJECT")
    if named:
        return Path(named).resolve()
    here = (start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if is_project(folder)), None)


def project_dir(start: Path | None = None) -> Path:
    """The project folder; outside any project, an error that says how to make one."""
    found = find_project(start)
    if found is None:
        here = (start or Path.cwd()).resolve()
        raise BoardError(f"no lscb project here: neither {here} nor a folder above it holds {PROJECT_FILE} "
                         "or a boards/ folder with a board. Create a project with `lscb init DIR` (then "
                         "cd DIR), or name one with `lscb --project DIR ...` or LSCB_PROJECT=DIR "
                         "(LSCB_BOARDS=DIR names a boards folder)")
    if not found.is_dir():
        raise BoardError(f"project folder {found} does not exist (from --project or LSCB_PROJECT); "
                         "create it with `lscb init DIR`")
    return found


def boards_dir(start: Path | None = None) -> Path:
    """The ``boards/`` folder in use: ``$LSCB_BOARDS`` as given, else ``<project>/boards``."""
    boards = os.environ.get("LSCB_BOARDS")
    if boards:
        return Path(boards).resolve()
    return project_dir(start) / "boards"


def is_writable(folder: Path) -> bool:
    """May lscb make or write ``folder`` (its parent when it does not exist yet)?"""
    probe = folder if folder.exists() else folder.parent
    return os.access(probe, os.W_OK | os.X_OK)


def use_project(folder: str | Path | None) -> AbstractContextManager:
    """``lscb --project DIR``: DIR is the project for this command and the processes it starts (render
    workers, Quarto's kernels), over LSCB_BOARDS and the current folder; the environment is restored after."""
    if folder is None:
        return nullcontext()
    from unittest import mock  # here, not at the top: it imports asyncio, 45 ms on every start of lscb
    env = {k: v for k, v in os.environ.items() if k != "LSCB_BOARDS"}
    return mock.patch.dict(os.environ, {**env, "LSCB_PROJECT": str(Path(folder).resolve())}, clear=True)
