"""The temporal registry: statuses of actors in organizations, day by day, with sources.

The names are loaded on first use (PEP 562), so ``scomodel.registry.fastindex`` and the
CLI's query path can be imported without SQLAlchemy, pandas or the YAML reader.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scomodel.registry.core import Registry
    from scomodel.registry.loader import DATA_DIR, load_curated
    from scomodel.registry.records import Change, FactRow, SpellRow
    from scomodel.registry.schema import STATUSES

__all__ = ["Registry", "SpellRow", "FactRow", "Change", "STATUSES", "DATA_DIR", "load_curated"]

_WHERE = {
    "Registry": "scomodel.registry.core",
    "DATA_DIR": "scomodel.registry.loader",
    "load_curated": "scomodel.registry.loader",
    "Change": "scomodel.registry.records",
    "FactRow": "scomodel.registry.records",
    "SpellRow": "scomodel.registry.records",
    "STATUSES": "scomodel.registry.schema",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'scomodel.registry' has no attribute {name!r}")
