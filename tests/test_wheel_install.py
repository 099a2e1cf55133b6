"""A partnership installs lscb-reports as a wheel (not editable) into a fresh virtual environment and keeps
its boards in its own project folder: `lscb init p && cd p && lscb new-board newtown && lscb render newtown`
works, writes only under p/, and never into the installed package."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

from plugins.scaffold import chapter_cell as cell

REPO = Path(__file__).resolve().parent.parent
#: what the wheel is built from (the build writes build/ and *.egg-info beside it: a copy keeps the checkout clean)
SOURCES = ("pyproject.toml", "README.md", "core", "plugins", "quarto")


@dataclass
class Installed:
    venv: Path
    site: Path           # the venv's site-packages: the installed toolkit
    env: dict[str, str]  # PATH with the venv's lscb first; no LSCB_* from the test session

    def lscb(self, *args: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.venv / "bin" / "lscb"), *args], cwd=cwd, env={**self.env, **extra},
                              capture_output=True, text=True, timeout=300)


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its bytes (links as their target)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            out[str(p.relative_to(folder))] = "-> " + os.readlink(p)
        elif p.is_file():
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


PLUGIN_PACKAGE = '''"""A partnership's own plugin package, installed beside lscb-reports."""
from core import hookimpl
from plugins.blocks import Markdown
from core.sections import SectionType


@hookimpl
def lscb_register_section_types(register):
    register(SectionType("partnership-note", "A note from the partnership", None, (),
                         build=lambda ctx: [Markdown("Written by the partnership's installed plugin.")]))
'''


def _plugin_package(folder: Path) -> Path:
    """An installed distribution ``partnership-sections`` whose module is registered under the lscb group."""
    info = folder / "partnership_sections-1.0.dist-info"
    info.mkdir(parents=True)
    (folder / "partnership_sections.py").write_text(PLUGIN_PACKAGE, encoding="utf-8")
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: partnership-sections\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text("[lscb]\nnote = partnership_sections\n", encoding="utf-8")
    return folder


def _tracked(project: Path) -> list[str]:
    """What `git add -A` takes in the project (its .gitignore leaves outputs and caches out)."""
    subprocess.run(["git", "init", "-q", str(project)], check=True, capture_output=True)
    return _run(["git", "add", "-A", "--dry-run"], cwd=project).stdout.replace("add '", "").replace("'", "").split()


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)
    assert done.returncode == 0, f"{' '.join(cmd)}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, src / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(REPO / name, src / name)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
          "-w", str(tmp / "dist"), str(src)])
    wheel = next((tmp / "dist").glob("lscb_reports-*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # the dependencies (pandas, altair, ...) from this environment, offline: a plain path, not its editable
    # finder; and a plugin package a partnership installed (an entry point in the "lscb" group)
    extra = _plugin_package(tmp / "extra")
    (site / "lscb-deps.pth").write_text(f"{sysconfig.get_paths()['purelib']}\n{extra}\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)])
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LSCB_", "PYTHON", "VIRTUAL_ENV", "QUARTO_PYTHON"))}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", XDG_CACHE_HOME=str(tmp / "user-cache"),
               LSCB_QUIET="1")
    return Installed(venv, site, env)


def test_the_wheel_is_installed_for_real_and_carries_what_the_engine_reads(installed, tmp_path):
    where = _run([str(installed.venv / "bin" / "python"), "-c", "import core, plugins; print(core.__file__)"],
                 cwd=tmp_path, env=installed.env).stdout.strip()
    assert Path(where).is_relative_to(installed.site), where           # not the checkout, not an editable finder
    # every file of the engine and its built-in plugins (code, stylesheets, data): a new kind of file the
    # packaging keys do not name fails here rather than on a partnership's machine
    shipped = {p.relative_to(REPO) for top in ("core", "plugins") for p in (REPO / top).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    missing = sorted(str(p) for p in shipped if not (installed.site / p).is_file())
    assert not missing, f"not in the wheel: {missing}"
    extension = installed.site / "plugins" / "data" / "_extensions" / "lscb"
    for name in ("_extension.yml", "lscb.css", "lscb.lua", "lscb.scss", "reference.docx", "typst-pdf.py",
                 "report-page.py", "report-files.py"):
        assert (extension / name).read_bytes() == (REPO / "quarto" / "_extensions" / "lscb" / name).read_bytes()


@pytest.fixture(scope="module")
def project(installed, tmp_path_factory) -> Path:
    """`lscb init p && cd p && lscb new-board newtown`, checked to write only under p/."""
    work = tmp_path_factory.mktemp("partnership")
    before = _snapshot(installed.site)
    outside = installed.lscb("list", cwd=work)
    assert outside.returncode == 1 and "lscb init" in outside.stderr and "Traceback" not in outside.stderr
    assert installed.lscb("init", "p", cwd=work).returncode == 0
    p = work / "p"
    made = installed.lscb("new-board", "newtown", "--area", "Newtown", cwd=p)
    assert made.returncode == 0, made.stderr
    assert _snapshot(installed.site) == before                          # nothing written into the package
    assert sorted(q.name for q in work.iterdir()) == ["p"]
    return p


def test_init_makes_a_project_a_partnership_can_keep_in_git(project):
    assert (project / "lscb.yml").is_file() and (project / "README.md").is_file()
    ignored = (project / ".gitignore").read_text(encoding="utf-8").split()
    assert {"/out/", ".lscb-cache/", "_book/", ".quarto/"} <= set(ignored)
    assert (project / "_extensions" / "lscb" / "_extension.yml").is_file()
    link = project / "boards" / "newtown" / "2024-25" / "_extensions"
    assert link.is_symlink() and link.resolve() == (project / "_extensions").resolve()


def test_render_and_check_in_the_project_write_only_there(installed, project):
    before = _snapshot(installed.site)
    # a section of the board's own (lscb new-section --board) and one from an installed plugin package
    made = installed.lscb("new-section", "local-offer", "--board", "newtown", cwd=project)
    assert made.returncode == 0, made.stderr
    data = project / "boards" / "newtown" / "data" / "2024-25"
    (data / "local-offer.yml").write_text("facts:\n  - {value: '12', label: families helped}\n", encoding="utf-8")
    with (project / "boards" / "newtown" / "2024-25" / "05-learning.qmd").open("a", encoding="utf-8") as chapter:
        chapter.write(cell("local-offer") + cell("partnership-note"))
    listed = installed.lscb("list", cwd=project / "boards" / "newtown")
    assert listed.returncode == 0 and listed.stdout.startswith("newtown\t2024-25\t"), listed.stderr
    done = installed.lscb("render", "newtown", "--out", "out", cwd=project)
    assert done.returncode == 0, done.stderr
    page = (project / "out" / "index.html").read_text(encoding="utf-8")
    assert "Newtown Safeguarding Children Partnership" in page and "EXAMPLE ROW" in page
    assert "families helped" in page and "Written by the partnership" in page
    assert any((project / ".lscb-cache").rglob("*")), "the cache belongs in the project"
    checked = installed.lscb("check", "newtown", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert _snapshot(installed.site) == before
    assert not Path(installed.env["XDG_CACHE_HOME"]).exists()             # the project was writable
    tracked = _tracked(project)
    assert "boards/newtown/data/2024-25/budget.csv" in tracked and "_extensions/lscb/lscb.css" in tracked
    assert not [f for f in tracked if f.startswith(("out/", ".lscb-cache/"))]
    again = installed.lscb("--project", str(project), "render", "newtown", cwd=project.parent)
    assert again.returncode == 0, again.stderr
    assert (project / "out" / "index.html").read_text(encoding="utf-8") == page   # --project; default out/


def _read_only(project: Path) -> list[str]:
    """A command prefix under which ``project`` cannot be written to, even by root (a read-only bind mount
    in a mount namespace of its own); [] for other users (the folder's write bits are removed)."""
    if os.geteuid() != 0:
        for p in [project, *project.rglob("*")]:
            if not p.is_symlink():
                p.chmod(p.stat().st_mode & ~0o222)
        return []
    unshare = shutil.which("unshare")
    probe = subprocess.run([unshare or "unshare", "-m", "true"], capture_output=True) if unshare else None
    if probe is None or probe.returncode != 0:
        pytest.skip("running as root without unshare(1) mount namespaces: no way to make a folder read-only")
    return [unshare, "-m", "sh", "-c",
            'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && shift && exec "$@"', str(project), "--"]


def test_a_read_only_project_renders_elsewhere_with_the_cache_in_the_user_cache(installed, project, tmp_path):
    ro = tmp_path / "ro"
    shutil.copytree(project, ro, symlinks=True, ignore=shutil.ignore_patterns("out", ".lscb-cache"))
    before = _snapshot(ro)
    prefix = _read_only(ro)
    refused = subprocess.run([*prefix, str(installed.venv / "bin" / "lscb"), "render", "newtown"], cwd=ro,
                             env=installed.env, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1 and "cannot be written to" in refused.stderr and "--out" in refused.stderr
    out = tmp_path / "elsewhere"
    done = subprocess.run([*prefix, str(installed.venv / "bin" / "lscb"), "render", "newtown", "--out", str(out)],
                          cwd=ro, env=installed.env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Newtown" in (out / "index.html").read_text(encoding="utf-8")
    assert _snapshot(ro) == before
    cached = Path(installed.env["XDG_CACHE_HOME"]) / "lscb"
    assert any(cached.rglob("*")), "the cache goes to the user cache folder"
    shutil.rmtree(cached.parent)


@pytest.mark.quarto
@pytest.mark.skipif(shutil.which("quarto") is None, reason="quarto is not installed (not on PATH)")
def test_quarto_renders_the_new_book_with_the_installed_toolkit(installed, project):
    before = _snapshot(installed.site)
    book = project / "boards" / "newtown" / "2024-25"
    # one chapter of the book (a kernel per chapter is Quarto's cost): the extension, the kernel importing the
    # installed engine and the chapter finding its board from its folder are the same for every chapter
    done = subprocess.run(["quarto", "render", str(book / "03-arrangements.qmd"), "--to", "lscb-html"],
                          cwd=project, env={**installed.env, "QUARTO_PYTHON": str(installed.venv / "bin" / "python")},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    chapter = (book / "_book" / "03-arrangements.html").read_text(encoding="utf-8")
    assert "Director of Children" in chapter and "lscb.css" in chapter    # the engine's table, the extension's style
    assert _snapshot(installed.site) == before
    assert not [f for f in _tracked(project) if f.startswith(("boards/newtown/2024-25/_book/", "boards/newtown/2024-25/.quarto/"))]
