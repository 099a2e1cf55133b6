"""`lscb init [DIR]`: a partnership's own project folder, kept in its own repository (a built-in plugin).

The folder holds ``lscb.yml`` (the mark lscb finds from any folder below), ``boards/``, the lscb Quarto
extension in ``_extensions/lscb/`` (each year's book links to it: Quarto looks for extensions only inside
the book's own project), a ``.gitignore`` for outputs and caches, and a README. Run again after upgrading
lscb-reports, it refreshes the extension and leaves everything else as it is.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from core import hookimpl
from core.errors import LscbError
from core.project import ENGINE_ROOT, PROJECT_FILE, is_project, is_writable

#: the lscb Quarto extension shipped with the toolkit: the checkout's quarto/_extensions, which the wheel
#: carries as package data of ``plugins`` (plugins/data/_extensions links to it in a checkout)
PACKAGED_EXTENSIONS = next((p for p in (ENGINE_ROOT / "quarto" / "_extensions",
                                        ENGINE_ROOT / "plugins" / "data" / "_extensions")
                            if (p / "lscb" / "_extension.yml").is_file()), ENGINE_ROOT / "quarto" / "_extensions")

PROJECT_YML = """\
# An lscb-reports project (made by `lscb init`): lscb finds this folder from any folder below it.
#   boards/<board>/      a board: board.yml, data/<year>/, plugins/ and one Quarto book per year
#   _extensions/lscb/    the lscb Quarto extension the books link to (`lscb init` again refreshes it)
"""

GITIGNORE = """\
# lscb render's default output and the report caches
/out/
.lscb-cache/
# what Quarto writes while it renders a book
_book/
.quarto/
*.quarto_ipynb
site_libs/
*_files/
__pycache__/
"""

README = """\
# {name}: safeguarding children annual reports

This folder holds our boards' annual reports as data, notebooks and plugins, rendered with
[lscb-reports](https://pypi.org/project/lscb-reports/). Keep it in git: everything here is source;
outputs and caches are ignored (`.gitignore`).

## Set up once

    python3 -m venv .venv && . .venv/bin/activate
    pip install lscb-reports

## Work on a report

    lscb new-board newtown --area Newtown       # boards/newtown/: board.yml, data/2024-25/, the book
    lscb check newtown                          # is the data sound, does the report meet Working Together
    lscb render newtown --format html,pdf,docx  # into out/
    lscb new-year newtown 2025-26               # next year's report, from this year's

Replace every row marked EXAMPLE in `boards/newtown/data/<year>/` with your own figures. A chapter
(`boards/newtown/<year>/*.qmd`) is a Quarto notebook: edit its prose freely. With Quarto installed,
`QUARTO_PYTHON=$PWD/.venv/bin/python quarto render boards/newtown/2024-25` renders the same book.

## Where things are

- `boards/<board>/board.yml`: the board's name, area, report years and options
- `boards/<board>/data/<year>/`: the year's figures (CSV and YAML)
- `boards/<board>/plugins/`: sections only this board reports
- `boards/<board>/<year>/`: the year's book (`_quarto.yml` lists the chapters)
- `_extensions/lscb/`: the report's formats for Quarto; `lscb init` refreshes it after an upgrade
"""


def init_project(folder: Path) -> list[Path]:
    """Make ``folder`` an lscb project (or refresh the extension of one); returns the paths written."""
    folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise LscbError(f"lscb init {folder}: expected a folder, found a file")
    if not (PACKAGED_EXTENSIONS / "lscb" / "_extension.yml").is_file():
        raise LscbError(f"lscb init: the lscb Quarto extension is missing from the installed toolkit "
                        f"({PACKAGED_EXTENSIONS}); reinstall lscb-reports")
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in ((PROJECT_FILE, PROJECT_YML), (".gitignore", GITIGNORE),
                       ("README.md", README.format(name=folder.name))):
        path = folder / name
        if not path.exists():           # a project's own files are never overwritten
            path.write_text(text, encoding="utf-8")
            written.append(path)
    (folder / "boards").mkdir(exist_ok=True)
    extension = folder / "_extensions" / "lscb"
    if project_extensions(folder) != folder / "quarto" / "_extensions":     # a checkout keeps its own in quarto/
        shutil.rmtree(extension, ignore_errors=True)
        shutil.copytree(PACKAGED_EXTENSIONS / "lscb", extension,
                        ignore=shutil.ignore_patterns("__pycache__"))
        written.append(extension)
    return written


def project_extensions(project: Path) -> Path | None:
    """The ``_extensions`` folder a project's books link to: ``_extensions/`` at the project root (made by
    ``lscb init``), or ``quarto/_extensions`` in a checkout of lscb-reports; None when it has neither."""
    for folder in (project / "_extensions", project / "quarto" / "_extensions"):
        if (folder / "lscb" / "_extension.yml").is_file():
            return folder
    return None


def link_extension(book: Path) -> bool:
    """Give a Quarto book the lscb extension (Quarto looks for ``_extensions`` only inside the book's own
    project, and each year's book is one): a relative link ``<book>/_extensions`` to the extensions of
    the project the book is in (made from the installed toolkit's copy if the project has none yet); a
    copy in the book when it is in no project or links cannot be made. False when there is nothing to give."""
    target = book / "_extensions"
    if target.exists() or target.is_symlink():
        return True
    book = book.resolve()
    source = next((found for folder in book.parents if (found := project_extensions(folder))), None)
    if source is None:
        project = next((folder for folder in book.parents if is_project(folder)), None)
        if project is not None and (PACKAGED_EXTENSIONS / "lscb" / "_extension.yml").is_file() \
                and is_writable(project / "_extensions"):
            shutil.copytree(PACKAGED_EXTENSIONS, project / "_extensions", dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
            source = project / "_extensions"
    if source is not None:
        try:
            target.symlink_to(os.path.relpath(source, book))
            return True
        except OSError:          # no symlinks here (some file systems): a copy does as well
            pass
    source = source or PACKAGED_EXTENSIONS
    if not (source / "lscb" / "_extension.yml").is_file():
        return False
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    return True


def _cmd_init(args) -> int:
    folder = Path(args.dir)
    for path in init_project(folder):
        print(f"wrote {path}")
    go = "" if folder.resolve() == Path.cwd().resolve() else f"cd {args.dir} && "
    print(f"next: {go}lscb new-board NAME --area AREA")
    return 0


@hookimpl
def lscb_register_commands(subparsers):
    init = subparsers.add_parser("init", help="create a project folder for your boards (lscb.yml, boards/, "
                                              "the Quarto extension, .gitignore, README)")
    init.add_argument("dir", nargs="?", default=".", help="the project folder (default: the current folder)")
    init.set_defaults(func=_cmd_init)
