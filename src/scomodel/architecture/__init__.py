"""The regional security architecture: overlapping organizations, functions and tiers.

zhao2004 names the "functional overlapping of different security mechanisms" in Central
Asia as a core difficulty; masuda2011 places the SCO in a "tiered structure" of regional
security. This part makes both measurable on any date: membership and functional overlap
(:mod:`.overlap`), the actor-organization network with tiers (:mod:`.network`), and their
change over 1996-2025 (:mod:`.evolution`), from interval arrays built once
(:mod:`.intervals`).
"""

from __future__ import annotations

from scomodel.architecture.evolution import Evolution, evolution, turning_points
from scomodel.architecture.loader import ArchitectureData, load_architecture
from scomodel.architecture.model import Architecture
from scomodel.architecture.network import build_network, centrality, network_json, tie_table
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
