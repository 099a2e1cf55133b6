"""Atomic output: a report folder appears whole or not at all."""
from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A fresh temporary folder beside ``target`` to write into; swapped into place when the block ends
    normally, removed when it raises, so an earlier ``target`` is never half-replaced."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    tmp.mkdir()                      # not mkdtemp (0700): a published folder is readable like any other
    try:
        yield tmp
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)       # the earlier target steps aside, and comes back if the swap fails
        try:
            tmp.rename(target)
        except BaseException:
            if old.exists():
                old.rename(target)
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_atomically(target: Path, files: dict[str, bytes | str]) -> None:
    """Write files into a fresh temporary folder beside ``target`` and swap it into place; a failure at
    any point leaves an earlier ``target`` exactly as it was."""
    with staged(target) as tmp:
        for rel, content in files.items():
            p = tmp / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                p.write_text(content, encoding="utf-8")
            else:
                p.write_bytes(content)

