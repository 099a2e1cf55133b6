"""Warwickshire's attendance grid: the Board's members grouped by agency, with their mark at each
meeting (attended, deputy, apologies, did not attend, not a member at the time).

``tables/<name>.csv`` has the columns ``Agency``, the member (name and role as printed) and one column per
meeting. Every row names its agency, so no member is ever shown under another agency's heading. A row
has a mark for every meeting or for none: members without marks are listed by agency in a membership
table after the grid (no empty cells that would read as absence)::

    - attendance-grid: attendance-grid
      caption: Recorded attendance at WSCB meetings, May 2013 to February 2014
      members_caption: Other members of the Board, by agency, 2013-2014
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core import hookimpl
from core.blocks import Block, esc
from core.data import DataError
from plugins.blocks import md_escape
from plugins.contracts import TO_FILL

MARKS = {"√": "Attended", "D": "Deputy", "A": "Apologies", "DNA": "Did not attend",
         "n/a": "Not a board member for this meeting"}


@dataclass
class GroupedTable(Block):
    """A table whose rows sit in groups (one ``<tbody>`` per agency, headed by a row-group header)."""
    columns: list[str]
    groups: list[tuple[str, list[list[str]]]]
    caption: str = ""
    notes: list[str] = field(default_factory=list)
    cls: str = ""

    def html(self, level=None) -> str:
        head = "".join(f'<th scope="col">{esc(c)}</th>' for c in self.columns)
        bodies = []
        for agency, rows in self.groups:
            trs = [f'<tr class="group"><th scope="rowgroup" colspan="{len(self.columns)}">{esc(agency)}</th></tr>']
            for row in rows:
                cells = "".join(f'<td class="mark">{esc(v)}</td>' for v in row[1:])
                trs.append(f'<tr><th scope="row">{esc(row[0])}</th>{cells}</tr>')
            bodies.append(f"<tbody>{''.join(trs)}</tbody>")
        cap = f"<caption>{esc(self.caption)}</caption>" if self.caption else ""
        after = "".join(f'<p class="table-note">{esc(n)}</p>' for n in self.notes)
        cls = f' class="{esc(self.cls)}"' if self.cls else ""
        return (f'<div class="table-wrap" role="region" aria-label="{esc(self.caption or "Table")}" tabindex="0">'
                f'<table{cls}>{cap}<thead><tr>{head}</tr></thead>{"".join(bodies)}</table>{after}</div>')

    def markdown(self, level=None) -> str:
        lines = [f"**{md_escape(self.caption)}**\n"] if self.caption else []
        lines.append("| " + " | ".join(md_escape(c) for c in self.columns) + " |")
        lines.append("|" + "|".join(["---"] + [":---:"] * (len(self.columns) - 1)) + "|")
        for agency, rows in self.groups:
            lines.append(f"| **{md_escape(agency)}** |" + " |" * (len(self.columns) - 1))
            lines.extend("| " + " | ".join(md_escape(v) for v in row) + " |" for row in rows)
        if self.notes:
            lines.append("")
            lines.extend(md_escape(n) + "\n" for n in self.notes)
        return "\n".join(lines)

    def text_values(self):
        yield from self.columns
        for agency, rows in self.groups:
            yield agency
            for row in rows:
                yield from row


def _grouped(rows: list[list[str]]) -> list[tuple[str, list[list[str]]]]:
    """Consecutive rows of one agency form a group, in the order the table lists them."""
    groups: list[tuple[str, list[list[str]]]] = []
    for agency, *rest in rows:
        if groups and groups[-1][0] == agency:
            groups[-1][1].append(rest)
        else:
            groups.append((agency, [rest]))
    return groups


def attendance_blocks(ctx, spec: dict) -> list[Block]:
    name = spec.get("attendance-grid")
    if not isinstance(name, str) or not name:
        raise DataError(ctx.data.label(ctx.content_file), "attendance-grid", "a table name", repr(name))
    rel = f"tables/{name}.csv"
    label = ctx.data.label(rel)
    frame = ctx.data.table(name).fillna("")
    cols = [str(c) for c in frame.columns]
    if len(cols) < 3 or cols[0] != "Agency":
        raise DataError(label, "header", "Agency, the member column, then one column per meeting", ", ".join(cols))
    meetings = cols[2:]
    marked, unmarked = [], []
    for i, row in enumerate(frame.astype(str).itertuples(index=False), start=2):
        agency, member, *marks = (str(v).strip() for v in row)
        where = f"row {i} ({member or 'no member'})"
        if not agency:
            raise DataError(label, f"{where}: Agency", "the member's agency on every row", "an empty cell")
        if not member:
            raise DataError(label, f"{where}: {cols[1]}", "the member's name and role", "an empty cell")
        bad = [m for m in marks if m and m not in MARKS and m != TO_FILL]     # [to fill]: a draft (new-year)
        if bad:
            raise DataError(label, where, f"marks among {list(MARKS)}", repr(bad[0]))
        if all(marks):
            marked.append([agency, member, *marks])
        elif not any(marks):
            unmarked.append([agency, member])
        else:
            empty = [m for m, v in zip(meetings, marks) if not v]
            raise DataError(label, where, "a mark for every meeting, or for none (then the member is listed "
                            "without marks)", f"no mark for {', '.join(empty)}")
    key = "Key: " + "; ".join(f"{m} {meaning.lower()}" for m, meaning in MARKS.items()) + "."
    blocks: list[Block] = [GroupedTable([cols[1], *meetings], _grouped(marked),
                                        caption=str(spec.get("caption") or ""), notes=[key],
                                        cls="attendance-grid")]
    if unmarked:
        blocks.append(GroupedTable([cols[1]], _grouped(unmarked), caption=str(spec.get("members_caption") or ""),
                                   cls="membership-list"))
    return blocks


@hookimpl
def lscb_register_block_types(register):
    register("attendance-grid", attendance_blocks, ("caption", "members_caption"))
