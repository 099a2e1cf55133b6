"""A statutory requirement, as plugins register it (``lscb_register_requirements``); the report's coverage of
them is worked out by the requirements plugin (plugins/requirements.py)."""
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
