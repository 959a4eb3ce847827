"""The temporal registry: statuses of actors in organizations, day by day, with sources."""

from scomodel.registry.core import Registry
from scomodel.registry.loader import DATA_DIR, load_curated
from scomodel.registry.records import Change, FactRow, SpellRow
from scomodel.registry.schema import STATUSES

__all__ = ["Registry", "SpellRow", "FactRow", "Change", "STATUSES", "DATA_DIR", "load_curated"]
