"""The actor-organization network on a date, with every tie placed in a tier.

masuda2011 reads the region as a "tiered structure": US bilateral alliances, small
groupings, regional organizations such as the SCO and CSTO, and global bodies. Here a
state-organization edge carries the status (member, observer, ...) and the
organization's tier (``mandates.yaml``); a state-state edge is a bilateral arrangement
(``bilateral.yaml``: bases, alliances, treaties; minilateral when it has three or more
parties); an organization-organization edge is an agreement such as the 2007 SCO-CSTO
memorandum. Centrality is computed on the simple graph underneath.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import networkx as nx
import pandas as pd

from scomodel.architecture.intervals import dates_to_days
from scomodel.architecture.model import Architecture, tier_of
from scomodel.architecture.schema import TIERS

__all__ = ["build_network", "centrality", "tie_table", "network_json", "graphml_ready"]


def _keep(region_members: set[str] | None, *codes: str) -> bool:
    return region_members is None or any(c in region_members for c in codes)


def build_network(arch: Architecture, on: dt.date | str, *, region: str | None = None
                  ) -> nx.MultiGraph:
    """States and organizations as nodes; statuses, arrangements and agreements as edges.

    With a region, only its states' memberships are kept, plus every arrangement that
    touches one of its states (so the United States' bases in Central Asia stay in).
    """
    day = int(dates_to_days([on])[0])
    entry = arch.data.region(region)
    inside = set(entry.members) if entry else None
    graph = nx.MultiGraph(on=str(on), region=region or "")
    spells = arch.spells_on(day)
    sizes = spells[spells["status"] == "member"].groupby("org")["actor"].nunique()
    for row in spells.itertuples(index=False):
        if not _keep(inside, row.actor):
            continue
        tier = tier_of(row.org, int(sizes.get(row.org, 0)), arch.data.tiers)
        _add_node(graph, row.org, "organization", inside, tier=tier)
        _add_node(graph, row.actor, _kind(arch, row.actor), inside)
        graph.add_edge(row.actor, row.org, key=row.status, kind="membership",
                       status=row.status, tier=tier, start=str(row.start))
    for arr in arch.arrangements_on(day):
        if not _keep(inside, *arr.parties):
            continue
        for a, b in itertools.combinations(arr.parties, 2):
            _add_node(graph, a, "state", inside)
            _add_node(graph, b, "state", inside)
            graph.add_edge(a, b, key=arr.id, kind=arr.kind, status="", tier=arr.tier,
                           start=arr.start, title=arr.title, host=arr.host or "")
    for agr in arch.agreements_on(day):
        present = [p for p in agr.parties if p in graph]
        for a, b in itertools.combinations(present, 2):
            graph.add_edge(a, b, key=agr.id, kind="agreement", status="",
                           tier="bilateral" if len(agr.parties) == 2 else "minilateral",
                           start=agr.start, title=agr.document)
    return graph


def _kind(arch: Architecture, code: str) -> str:
    """Organizations can hold statuses too (the SCO as an observer at the UN)."""
    return "organization" if code in arch.data.organizations or code in arch.orgs else "state"


def _add_node(graph: nx.MultiGraph, code: str, kind: str, inside: set[str] | None,
              **attrs: Any) -> None:
    if code in graph:
        return
    in_region = kind == "organization" or inside is None or code in inside
    graph.add_node(code, kind=kind, in_region=in_region, **attrs)


def tie_table(graph: nx.MultiGraph) -> pd.DataFrame:
    """Every edge as a row: ``a``, ``b``, kind, status, tier, since.

    A membership row always has the state in ``a`` and the organization in ``b``; other
    rows list their two ends alphabetically.
    """
    rows = []
    for a, b, key, d in graph.edges(keys=True, data=True):
        if d["kind"] == "membership":
            a, b = (b, a) if graph.nodes[a]["kind"] == "organization" else (a, b)
        else:
            a, b = sorted((a, b))
        rows.append({"a": a, "b": b, "kind": d["kind"], "status": d.get("status", ""),
                     "tier": d["tier"], "id": key, "start": d.get("start", "")})
    return pd.DataFrame(rows, columns=["a", "b", "kind", "status", "tier", "id", "start"])


def centrality(graph: nx.MultiGraph) -> pd.DataFrame:
    """Per state: ties by tier, degree and betweenness on the simple graph.

    Betweenness says which states connect otherwise separate parts of the architecture
    (Kyrgyzstan hosting both US and Russian bases, for example).
    """
    simple = nx.Graph(graph)
    between = nx.betweenness_centrality(simple) if len(simple) > 2 else {}
    degree = nx.degree_centrality(simple) if len(simple) > 1 else {}
    rows = []
    for node, attrs in graph.nodes(data=True):
        if attrs["kind"] != "state":
            continue
        by_tier = dict.fromkeys(TIERS, 0)
        n_orgs = 0
        for _, _other, d in graph.edges(node, data=True):
            by_tier[d["tier"]] += 1
            n_orgs += d["kind"] == "membership" and d["status"] == "member"
        rows.append({"actor": node, "in_region": attrs["in_region"], "memberships": n_orgs,
                     **by_tier, "degree": simple.degree(node),
                     "degree_centrality": round(degree.get(node, 0.0), 4),
                     "betweenness": round(between.get(node, 0.0), 4)})
    cols = ["actor", "in_region", "memberships", *TIERS, "degree", "degree_centrality",
            "betweenness"]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.sort_values(["betweenness", "degree", "actor"], ascending=[False, False, True],
                             ignore_index=True)


def network_json(graph: nx.MultiGraph) -> dict[str, Any]:
    """Nodes and edges as plain data (the ``--export json`` format)."""
    return {
        "on": graph.graph.get("on"), "region": graph.graph.get("region") or None,
        "nodes": [{"id": n, **d} for n, d in graph.nodes(data=True)],
        "edges": tie_table(graph).to_dict(orient="records"),
    }


def graphml_ready(graph: Any) -> Any:
    """A copy GraphML can hold (scalars only): ``None`` attributes dropped, the rest
    stringified. The CLI's and the API's GraphML exports both go through here."""
    import networkx as nx

    out = nx.MultiGraph()
    for node, attrs in graph.nodes(data=True):
        out.add_node(node, **{k: _scalar(v) for k, v in attrs.items() if v is not None})
    for a, b, key, attrs in graph.edges(keys=True, data=True):
        out.add_edge(a, b, key=key, **{k: _scalar(v) for k, v in attrs.items() if v is not None})
    return out


def _scalar(value: object) -> object:
    return value if isinstance(value, (str, int, float, bool)) else str(value)
