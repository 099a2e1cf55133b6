"""The Working Together requirements registry (plugins/data/working_together.yml), registered as data, and a
report's coverage of the requirements of its edition (``lscb check`` and the optional appendix)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from core import hookimpl
from core.data import DataError, load_yaml
from core.errors import PluginError
from core.plugins import current_plugin
from core.sections import Registry
from plugins.options import Option

FORCES = ("must", "should")


@dataclass(frozen=True)
class Requirement:
    """A statutory requirement, as a plugin registers it (``lscb_register_requirements``)."""
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


def requirements(engine) -> Registry:
    """Every requirement the board's plugins register, by id, each with the plugin that registered it; an id
    registered twice (core.sections.Registry), or something other than a Requirement, is an error naming the
    plugin."""
    found = Registry("requirement")

    def register(requirement: Requirement) -> None:
        plugin = current_plugin.get()
        if not isinstance(requirement, Requirement):
            raise PluginError(f"{engine.board.id}: plugin {plugin} in lscb_register_requirements: expected "
                              f"register(Requirement(...)), found register({requirement!r:.80})")
        found.add(requirement.id, replace(requirement, plugin=plugin), plugin)
    engine.pm.hook.lscb_register_requirements(register=register)
    return found


REGISTRY = Path(__file__).with_name("data") / "working_together.yml"
LSCB_OPTIONS = (Option("requirements_appendix", bool, (), "end the report with how it meets Working Together"),)
KEYS = {"id", "editions", "force", "text", "source", "family", "verified"}


def load_registry(path: Path = REGISTRY) -> list[Requirement]:
    label = f"plugins/data/{path.name}"
    raw = load_yaml(path, label)
    out = []
    for i, item in enumerate(raw.get("requirements") or [], start=1):
        if not isinstance(item, dict) or KEYS - {"family", "verified"} - set(item):
            raise DataError(label, f"requirements[{i}]", f"keys {sorted(KEYS)}", repr(item)[:80])
        try:
            out.append(Requirement(str(item["id"]), tuple(item["editions"]), item["force"], item["text"],
                                   item["source"], item.get("family", "other"), bool(item.get("verified"))))
        except ValueError as e:
            raise DataError(label, f"requirements[{i}]", "force must or should", str(e)) from None
    return out


@hookimpl(trylast=True)
def lscb_register_requirements(register):
    for requirement in load_registry():
        register(requirement)


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
