"""The actor-organization network on a date, with every tie placed in a tier.

masuda2011 reads the region as a "tiered structure": US bilateral alliances, small
groupings, regional organizations such as the SCO and CSTO, and global bodies. The
network's nodes and edges are built as plain data (:mod:`.ties`); this module gives them
as a ``networkx.MultiGraph`` and as tables, for the exports, the plots, the API and the
report. Centrality is computed on the simple graph underneath (:mod:`.centrality`).

NetworkX and pandas load inside the functions that build a graph or a frame: the command
line's centrality table needs neither.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from scomodel.architecture.centrality import COLUMNS, centrality_rows
from scomodel.architecture.ties import Ties, network_ties

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from scomodel.architecture.model import Architecture

__all__ = ["build_network", "centrality", "tie_table", "network_json", "graphml_ready",
           "to_graph", "tie_rows"]

TIE_COLUMNS = ["a", "b", "kind", "status", "tier", "id", "start"]


def build_network(arch: Architecture, on: dt.date | str, *, region: str | None = None
                  ) -> nx.MultiGraph:
    """States and organizations as nodes; statuses, arrangements and agreements as edges.

    With a region, only its states' memberships are kept, plus every arrangement that
    touches one of its states (so the United States' bases in Central Asia stay in).
    """
    return to_graph(network_ties(arch, on, region=region))


def to_graph(ties: Ties) -> nx.MultiGraph:
    """The ties as a ``networkx.MultiGraph``, nodes and edges in the order they were added."""
    import networkx as nx

    graph = nx.MultiGraph(on=ties.on, region=ties.region)
    graph.add_nodes_from(ties.nodes.items())
    for (a, b, key), attrs in ties.edges.items():
        graph.add_edge(a, b, key=key, **attrs)
    return graph


def tie_rows(graph: nx.MultiGraph) -> list[dict[str, Any]]:
    """Every edge as a row: ``a``, ``b``, kind, status, tier, id, since.

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
    return rows


def tie_table(graph: nx.MultiGraph) -> pd.DataFrame:
    """:func:`tie_rows` as a DataFrame."""
    import pandas as pd

    return pd.DataFrame(tie_rows(graph), columns=TIE_COLUMNS)


def centrality(graph: nx.MultiGraph) -> pd.DataFrame:
    """Per state: ties by tier, degree and betweenness on the simple graph
    (:func:`~.centrality.centrality_rows` as a DataFrame, most between first)."""
    import pandas as pd

    return pd.DataFrame(centrality_rows(Ties.from_graph(graph)), columns=list(COLUMNS))


def network_json(graph: nx.MultiGraph) -> dict[str, Any]:
    """Nodes and edges as plain data (the ``--export json`` format)."""
    return {
        "on": graph.graph.get("on"), "region": graph.graph.get("region") or None,
        "nodes": [{"id": n, **d} for n, d in graph.nodes(data=True)],
        "edges": tie_rows(graph),
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
