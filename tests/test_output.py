"""Atomic output (core.output.staged): a report folder appears whole, readable by others, or not at all."""
from __future__ import annotations

import os

import pytest

from core.output import staged, write_atomically


def test_a_staged_folder_replaces_the_target_whole_and_follows_the_umask(tmp_path):
    target = tmp_path / "out"
    write_atomically(target, {"index.html": "old"})
    old_mask = os.umask(0o022)
    try:
        with staged(target) as tmp:
            (tmp / "index.html").write_text("new", encoding="utf-8")
            assert (target / "index.html").read_text(encoding="utf-8") == "old"     # not yet in place
    finally:
        os.umask(old_mask)
    assert (target / "index.html").read_text(encoding="utf-8") == "new"
    assert oct(target.stat().st_mode & 0o777) == oct(0o755)


def test_a_failure_inside_leaves_the_earlier_target_and_no_temporary_folder(tmp_path):
    target = tmp_path / "out"
    write_atomically(target, {"index.html": "old"})
    with pytest.raises(RuntimeError):
        with staged(target) as tmp:
            (tmp / "index.html").write_text("half", encoding="utf-8")
            raise RuntimeError("a chapter failed")
    assert (target / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
