"""Reading a year's data files: strict about encodings, duplicate keys and empty files, and recording
every file read so that caches and checks know what a section depends on."""
from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .errors import DataError, DataErrors, RequestError

if TYPE_CHECKING:   # pandas is imported when a CSV is first read, so a cached rebuild never pays for it
    import pandas as pd

# --- YAML without silent duplicate keys ----------------------------------------------------------------

class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):   # libyaml's parser: ~10x faster
    """SafeLoader that rejects a key given twice in one mapping (PyYAML keeps the last one silently)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None,
                f"key {key!r} given twice (first on line {seen[key]}, again on line "
                f"{key_node.start_mark.line + 1})", key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_text(path: Path, label: str | None = None) -> str:
    """Read a UTF-8 text file (with or without BOM, LF or CRLF); anything else is a DataError."""
    label = label or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(label, "file", "a file at this path", "no such file") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataError(label, f"line {line}", "UTF-8 text (save the file as UTF-8)",
                        f"a byte 0x{raw[e.start]:02x} that is not UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml(path: Path, label: str | None = None) -> Any:
    """Parse a YAML file strictly; errors name the file and line."""
    label = label or str(path)
    text = read_text(path, label)
    if not text.strip():
        raise DataError(label, "file", "YAML content", "an empty file")
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}" if mark else "file"
        raise DataError(label, where, "valid YAML", str(e.problem or e).strip()) from None


def _csv_rows(text: str, label: str) -> list[list[str]]:
    """csv.reader in strict mode: a quote opened and never closed would otherwise swallow the rest of
    the file into one cell without a word."""
    reader = csv.reader(io.StringIO(text), strict=True)
    rows: list[list[str]] = []
    start = 1                   # the line the row being read starts on
    try:
        for row in reader:
            rows.append(row)
            start = reader.line_num + 1
    except csv.Error as e:
        raise DataError(label, f"line {start}", 'cells quoted as "like this" (every opening quote closed, '
                        "a quote inside a cell doubled)", str(e)) from None
    return rows


def load_csv(path: Path, label: str | None = None) -> pd.DataFrame:
    """Read a CSV as strings exactly as written (no number parsing, no NaN): cells are as printed. Every
    row must have the header's number of cells: a stray comma (an unquoted "1,234") shifts a row's cells,
    and a short row would be padded without a word."""
    label = label or str(path)
    text = read_text(path, label)
    if not text.strip():
        raise DataError(label, "file", "a header row and data rows", "an empty file")
    numbered = [(n, r) for n, r in enumerate(_csv_rows(text, label), start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise DataError(label, "file", "a header row and data rows", "only empty rows")
    header = [h.strip() for h in numbered[0][1]]
    _check_delimiter(header, label)
    if len(numbered) == 1:
        raise DataError(label, "file", "at least one data row under the header", "only the header row")
    if any(not h for h in header[1:]) and len(header) > 1:
        # An empty header cell is allowed only as the stub column (first); others must be named.
        blank = [i + 1 for i, h in enumerate(header) if not h and i > 0]
        raise DataError(label, "row 1 (header)", "a name for every column",
                        f"column(s) {blank} without a name")
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise DataError(label, "row 1 (header)", "unique column names", f"{dupes} more than once")
    body, rows = [], []
    for n, r in numbered[1:]:
        if len(r) != len(header):
            hint = ("quote cells that contain commas, e.g. \"1,234\"" if len(r) > len(header)
                    else "an empty cell is still separated by a comma")
            raise DataError(label, f"row {n}", f"{len(header)} cells (as the header)",
                            f"{len(r)} cells: {r!r} ({hint})")
        body.append([c.strip() for c in r])
        rows.append(n)
    import pandas as pd
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame.attrs["source"] = label
    frame.attrs["rows"] = rows
    return frame


def _check_delimiter(header: list[str], label: str) -> None:
    """A file saved with ; or tabs between cells reads as one column: name the separator it uses."""
    if len(header) != 1:
        return
    for sep, name in ((";", "semicolons (;)"), ("\t", "tabs")):
        if header[0].count(sep) >= 1:
            raise DataError(label, "row 1 (header)", "cells separated by commas (save as CSV UTF-8, comma "
                            "delimited)", f"a header separated by {name}: {header[0]!r}")


# --- The data of one board-year ----------------------------------------------------------------------

@dataclass
class YearData:
    """The files under ``boards/<board>/data/<year>/``, read on demand and cached per render."""
    root: Path
    board_root: Path
    read: set[str] = field(default_factory=set)            # files read (relative paths), for the checks
    touched: set[str] = field(default_factory=set)         # files asked for since reset_touched()
    _cache: dict[tuple, Any] = field(default_factory=dict, repr=False)

    def reset_touched(self) -> set[str]:
        """Start recording afresh; returns what was recorded (for a chapter's cache key)."""
        seen, self.touched = self.touched, set()
        return seen

    def label(self, rel: str) -> str:
        """The path as a user sees it in messages: boards/<board>/data/<year>/<rel>."""
        return os.path.relpath(self.root / rel, self.board_root.parent.parent)

    def path(self, rel: str) -> Path:
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise RequestError(self.label("."), f"file {rel!r}",
                               f"a file name inside the year's data folder {self.label('.')}/",
                               "a path outside it")
        return self.root / rel

    def _require(self, rel: str) -> None:
        """A file a block names must exist: say so against the block, listing what is there."""
        p = self.path(rel)
        if not p.is_file():
            present = sorted(q.name for q in p.parent.glob(f"*{p.suffix}")) if p.parent.is_dir() else []
            raise RequestError(self.label(rel), f"file {rel!r}",
                               f"a file at this path (files present there: {present})", "no such file")

    def exists(self, rel: str) -> bool:
        self.touched.add(rel)          # a file that appears later must invalidate what looked for it
        return self.path(rel).is_file()

    def _read(self, kind: str, rel: str, load: Callable[[Path, str], Any]) -> Any:
        """``load(path, label)`` of a file named by a block, once per render (recorded for caches and checks)."""
        self.touched.add(rel)
        if (kind, rel) not in self._cache:
            self._require(rel)
            self.read.add(rel)
            self._cache[kind, rel] = load(self.path(rel), self.label(rel))
        return self._cache[kind, rel]

    def yaml(self, rel: str) -> Any:
        return self._read("yaml", rel, load_yaml)

    def csv(self, rel: str, contract: Any = None) -> pd.DataFrame:
        """A CSV file, checked against ``contract`` when given (its ``validate(frame, label)`` returns the
        DataErrors found: :class:`plugins.contracts.Contract`)."""
        def load(path: Path, label: str) -> pd.DataFrame:
            frame = load_csv(path, label)
            errors = contract.validate(frame, label) if contract is not None else []
            if errors:
                raise errors[0] if len(errors) == 1 else DataErrors(errors)
            return frame
        return self._read("csv", rel, load).copy()

    def table(self, name: str) -> pd.DataFrame:
        """A printed table: ``tables/<name>.csv``."""
        return self.csv(f"tables/{name}.csv")
