"""The content-keyed caches: a changed data file re-executes only the chapters that read it; nothing
changed re-executes nothing; the output is the same either way."""
from __future__ import annotations

from plugins.render.build import build_reports


def build(out, use_cache=True):
    return build_reports([("testshire", "2014-15")], out, ["html"], single=True, use_cache=use_cache)


def test_noop_rebuild_comes_from_the_report_cache(boards, tmp_path):
    boards.make()
    assert build(tmp_path / "a") == {"testshire 2014-15": (0, 2)}
    first = (tmp_path / "a" / "index.html").read_text(encoding="utf-8")
    assert build(tmp_path / "a") == {"testshire 2014-15": (-1, 0)}     # -1: whole report from cache
    assert (tmp_path / "a" / "index.html").read_text(encoding="utf-8") == first


def test_one_data_file_changed_reexecutes_only_the_chapter_that_read_it(boards, tmp_path):
    root = boards.make()
    build(tmp_path / "a")
    budget = root / "data" / "2014-15" / "budget.csv"
    budget.write_text(budget.read_text(encoding="utf-8").replace('"1,500"', '"1,501"'), encoding="utf-8")
    assert build(tmp_path / "a") == {"testshire 2014-15": (1, 1)}      # learning cached, governance re-run
    page = (tmp_path / "a" / "index.html").read_text(encoding="utf-8")
    assert "1,501" in page and "1,918" in page


def test_a_new_content_file_invalidates_the_chapter_that_looked_for_it(boards, tmp_path):
    plugin = '''
    from core import hookimpl
    from plugins.blocks import Markdown

    @hookimpl
    def lscb_learning(ctx):
        if ctx.data.exists("extra.yml"):
            return [Markdown("extra data present")]
        return None
    '''
    root = boards.make(plugins={"extra.py": plugin})
    build(tmp_path / "a")
    assert "extra data present" not in (tmp_path / "a" / "index.html").read_text(encoding="utf-8")
    (root / "data" / "2014-15" / "extra.yml").write_text("x: 1\n", encoding="utf-8")
    assert build(tmp_path / "a") == {"testshire 2014-15": (1, 1)}
    assert "extra data present" in (tmp_path / "a" / "index.html").read_text(encoding="utf-8")


def test_a_changed_plugin_or_notebook_misses(boards, tmp_path):
    root = boards.make()
    build(tmp_path / "a")
    chapter = root / "2014-15" / "02-learning.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    assert build(tmp_path / "a") == {"testshire 2014-15": (1, 1)}
    assert "A new sentence." in (tmp_path / "a" / "index.html").read_text(encoding="utf-8")
    (root / "plugins").mkdir()
    (root / "plugins" / "noop.py").write_text("x = 1\n", encoding="utf-8")
    assert build(tmp_path / "a") == {"testshire 2014-15": (0, 2)}


def test_cached_and_uncached_renders_are_identical(boards, tmp_path):
    boards.make()
    build(tmp_path / "a")
    build(tmp_path / "a")
    build(tmp_path / "b", use_cache=False)
    def page(folder):
        lines = (folder / "index.html").read_text(encoding="utf-8").splitlines()
        return [line for line in lines if "Rendered from data on" not in line]
    assert page(tmp_path / "a") == page(tmp_path / "b")


def test_the_books_execute_options_are_in_the_chapter_key(mini, tmp_path):
    """`execute: output: false` in _quarto.yml changes every chapter: none may come from the chapter cache."""
    out = tmp_path / "out"
    assert build_reports([("mini", "2013-14")], out, ["html"], single=True) == {"mini 2013-14": (0, 2)}
    assert '<div class="cell-output">' in (out / "index.html").read_text(encoding="utf-8")
    book = mini / "2013-14" / "_quarto.yml"
    book.write_text(book.read_text(encoding="utf-8") + "execute:\n  output: false\n", encoding="utf-8")
    assert build_reports([("mini", "2013-14")], out, ["html"], single=True) == {"mini 2013-14": (0, 2)}
    assert '<div class="cell-output">' not in (out / "index.html").read_text(encoding="utf-8")
