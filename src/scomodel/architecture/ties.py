"""The actor-organization network on a date as plain data: nodes and keyed edges.

``scomodel network`` ranks two hundred states by their ties. Building that from a NetworkX
multigraph and a pandas spells frame cost 0.7 s of imports for a table that takes a few
milliseconds to compute, so the network is first built here as dicts, with NetworkX's
multigraph semantics (a node keeps the attributes it was first added with; an edge is
``{a, b}`` and a key, and adding it again updates its attributes). :func:`to_graph
<scomodel.architecture.network.build_network>` copies it into a ``networkx.MultiGraph``
for the callers that want one (exports, plots, the API); :mod:`.centrality` ranks states
from it directly.

A state-organization edge carries the status (member, observer, ...) and the
organization's tier (``mandates.yaml``); a state-state edge is a bilateral arrangement
(``bilateral.yaml``: bases, alliances, treaties; minilateral when it has three or more
parties); an organization-organization edge is an agreement such as the 2007 SCO-CSTO
memorandum.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scomodel.architecture.intervals import dates_to_days
from scomodel.architecture.model import tier_of

if TYPE_CHECKING:
    from scomodel.architecture.model import Architecture

__all__ = ["Ties", "network_ties"]

#: An edge: its two ends (in the order first added) and its key.
Edge = tuple[str, str, str]


@dataclass
class Ties:
    """Nodes and edges of the network on one date, in the order they were added."""

    on: str = ""
    region: str = ""
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[Edge, dict[str, Any]] = field(default_factory=dict)
    _ends: dict[tuple[frozenset[str], str], Edge] = field(default_factory=dict, repr=False)

    def add_node(self, code: str, kind: str, inside: set[str] | None, **attrs: Any) -> None:
        """A node once: an organization, or a state marked in or out of the region."""
        if code in self.nodes:
            return
        in_region = kind == "organization" or inside is None or code in inside
        self.nodes[code] = {"kind": kind, "in_region": in_region, **attrs}

    def add_edge(self, a: str, b: str, key: str, **attrs: Any) -> None:
        """The edge ``{a, b}`` with ``key``: added, or its attributes updated."""
        edge = self._ends.setdefault((frozenset((a, b)), key), (a, b, key))
        self.edges.setdefault(edge, {}).update(attrs)

    @classmethod
    def from_graph(cls, graph: Any) -> Ties:
        """The nodes and edges of a ``networkx.MultiGraph`` (as :func:`build_network` makes)."""
        ties = cls(on=str(graph.graph.get("on", "")), region=graph.graph.get("region", ""))
        ties.nodes = {n: dict(d) for n, d in graph.nodes(data=True)}
        for a, b, key, d in graph.edges(keys=True, data=True):
            ties.add_edge(a, b, key, **d)
        return ties


def _keep(region_members: set[str] | None, *codes: str) -> bool:
    return region_members is None or any(c in region_members for c in codes)


def network_ties(arch: Architecture, on: dt.date | str, *, region: str | None = None) -> Ties:
    """States and organizations as nodes; statuses, arrangements and agreements as edges.

    With a region, only its states' memberships are kept, plus every arrangement that
    touches one of its states (so the United States' bases in Central Asia stay in).
    """
    day = int(dates_to_days([on])[0])
    entry = arch.data.region(region)
    inside = set(entry.members) if entry else None
    ties = Ties(on=str(on), region=region or "")
    spells = arch.spell_ties_on(day)
    sizes = Counter(org for org, _ in {(o, a) for o, a, status, _ in spells if status == "member"})
    for org, actor, status, start in spells:
        if not _keep(inside, actor):
            continue
        tier = tier_of(org, sizes[org], arch.data.tiers)
        ties.add_node(org, "organization", inside, tier=tier)
        ties.add_node(actor, _kind(arch, actor), inside)
        ties.add_edge(actor, org, status, kind="membership", status=status, tier=tier,
                      start=start)
    for arr in arch.arrangements_on(day):
        if not _keep(inside, *arr.parties):
            continue
        for a, b in itertools.combinations(arr.parties, 2):
            ties.add_node(a, "state", inside)
            ties.add_node(b, "state", inside)
            ties.add_edge(a, b, arr.id, kind=arr.kind, status="", tier=arr.tier,
                          start=arr.start, title=arr.title, host=arr.host or "")
    for agr in arch.agreements_on(day):
        present = [p for p in agr.parties if p in ties.nodes]
        for a, b in itertools.combinations(present, 2):
            ties.add_edge(a, b, agr.id, kind="agreement", status="",
                          tier="bilateral" if len(agr.parties) == 2 else "minilateral",
                          start=agr.start, title=agr.document)
    return ties


def _kind(arch: Architecture, code: str) -> str:
    """Organizations can hold statuses too (the SCO as an observer at the UN)."""
    return "organization" if code in arch.data.organizations or code in arch.orgs else "state"
