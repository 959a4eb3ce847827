"""The regional security architecture: overlapping organizations, functions and tiers.

zhao2004 names the "functional overlapping of different security mechanisms" in Central
Asia as a core difficulty; masuda2011 places the SCO in a "tiered structure" of regional
security. This part makes both measurable on any date: membership and functional overlap
(:mod:`.overlap`), the actor-organization network with tiers (:mod:`.network`), and their
change over 1996-2025 (:mod:`.evolution`), from interval arrays built once
(:mod:`.intervals`).

The names below load on first use (PEP 562): a sweep from the command line then imports
neither NetworkX nor the YAML reader unless it needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scomodel.architecture.evolution import Evolution, evolution, turning_points
    from scomodel.architecture.loader import ArchitectureData, load_architecture
    from scomodel.architecture.model import Architecture
    from scomodel.architecture.network import (
        build_network,
        centrality,
        network_json,
        tie_table,
    )
    from scomodel.architecture.overlap import overlap_matrix, overlap_pairs

__all__ = [
    "Architecture",
    "ArchitectureData",
    "Evolution",
    "build_network",
    "centrality",
    "evolution",
    "load_architecture",
    "network_json",
    "overlap_matrix",
    "overlap_pairs",
    "tie_table",
    "turning_points",
]

_WHERE = {
    "Evolution": "evolution", "evolution": "evolution", "turning_points": "evolution",
    "ArchitectureData": "loader", "load_architecture": "loader", "Architecture": "model",
    "build_network": "network", "centrality": "network", "network_json": "network",
    "tie_table": "network", "overlap_matrix": "overlap", "overlap_pairs": "overlap",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"scomodel.architecture.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'scomodel.architecture' has no attribute {name!r}")
