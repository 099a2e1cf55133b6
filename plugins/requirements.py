"""The Working Together requirements registry (plugins/data/working_together.yml), registered as data."""
from __future__ import annotations

from pathlib import Path

from core import hookimpl
from core.data import DataError, load_yaml
from core.requirements import Requirement

REGISTRY = Path(__file__).with_name("data") / "working_together.yml"
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
