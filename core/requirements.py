"""Statutory requirements and a report's coverage of them."""
from __future__ import annotations

from dataclasses import dataclass

FORCES = ("must", "should")


@dataclass(frozen=True)
class Requirement:
    id: str
    editions: tuple[str, ...]
    force: str
    text: str
    source: str
    family: str = "other"
    verified: bool = False
    plugin: str = ""

    def __post_init__(self):
        if self.force not in FORCES:
            raise ValueError(f"requirement {self.id}: force must be one of {FORCES}, got {self.force!r}")


@dataclass(frozen=True)
class Coverage:
    requirement: Requirement
    met_by: tuple[tuple[str, str], ...]      # (chapter file, section id)

    @property
    def missing(self) -> bool:
        return not self.met_by


def coverage(requirements: dict[str, Requirement], section_types, rendered, edition: str) -> list[Coverage]:
    """Each requirement of ``edition`` with the non-empty rendered sections whose type satisfies it.

    ``rendered`` is the engine's list of RenderedSection for the year (id, kind, empty, chapter).
    """
    met: dict[str, list[tuple[str, str]]] = {}
    for sec in rendered:
        if sec.empty or sec.kind not in section_types:
            continue
        for rid in section_types[sec.kind].satisfies:
            pair = (sec.chapter, sec.id)
            if pair not in met.setdefault(rid, []):
                met[rid].append(pair)
    return [Coverage(r, tuple(met.get(r.id, ())))
            for r in sorted(requirements.values(), key=lambda r: (FORCES.index(r.force), r.id))
            if edition in r.editions]
