"""`lscb init [DIR]`: a partnership's own project folder, kept in its own repository (a built-in plugin).

The folder holds ``lscb.yml`` (the mark lscb finds from any folder below), ``boards/``, the lscb Quarto
extension in ``_extensions/lscb/`` (each year's book links to it: Quarto looks for extensions only inside
the book's own project), a ``.gitignore`` for outputs and caches, and a README. Run again after upgrading
lscb-reports, it refreshes the extension and leaves everything else as it is.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from core import hookimpl
from core.errors import LscbError
from core.project import PACKAGED_EXTENSIONS, PROJECT_FILE

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
    if extension.resolve() != (PACKAGED_EXTENSIONS / "lscb").resolve():     # not this checkout's own
        shutil.rmtree(extension, ignore_errors=True)
        shutil.copytree(PACKAGED_EXTENSIONS / "lscb", extension,
                        ignore=shutil.ignore_patterns("__pycache__"))
        written.append(extension)
    return written


def _cmd_init(args) -> int:
    folder = Path(args.dir)
    for path in init_project(folder):
        print(f"wrote {path}")
    print(f"next: cd {args.dir} && lscb new-board NAME --area AREA")
    return 0


@hookimpl
def lscb_register_commands(subparsers):
    init = subparsers.add_parser("init", help="create a project folder for your boards (lscb.yml, boards/, "
                                              "the Quarto extension, .gitignore, README)")
    init.add_argument("dir", nargs="?", default=".", help="the project folder (default: the current folder)")
    init.set_defaults(func=_cmd_init)
