"""Section types and block directives, registered by plugins through the registration hooks."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import SectionError


@dataclass(frozen=True)
class SectionType:
    """A kind of section.

    ``name``       the ``kind`` a content file names, or (with ``build``) the id prefix of a section
                   whose blocks this type builds itself, e.g. ``board.section("scrutiny-response")``
    ``title``      a human name, used in coverage listings
    ``family``     a family of :data:`core.hookspecs.FAMILY_HOOKS`, or ``None`` for one of the plugin's own
    ``satisfies``  Working Together requirement ids met by a non-empty section of this type
    ``build``      optional ``build(ctx) -> list[Block] | None`` for sections not built by a family hook
    """
    name: str
    title: str
    family: str | None = None
    satisfies: tuple[str, ...] = ()
    build: Callable[[Any], Any] | None = None
    plugin: str = field(default="", compare=False)


class Registry(dict):
    """A dict of registrations that rejects duplicates, remembering which plugin registered what."""

    def __init__(self, what: str):
        super().__init__()
        self.what, self.owner = what, {}

    def add(self, name: str, item: Any, plugin: str) -> None:
        if not isinstance(name, str) or not name:
            raise SectionError(f"{plugin}: a {self.what} needs a non-empty name, got {name!r}")
        if name in self:
            raise SectionError(f"{self.what} {name!r} registered twice: by {self.owner[name]} and by {plugin}")
        self[name], self.owner[name] = item, plugin

    def names(self) -> list[str]:
        return sorted(self)
