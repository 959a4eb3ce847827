"""The NumPy centrality against NetworkX's, and the plain network against the multigraph."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from scomodel.architecture.centrality import betweenness, centrality_rows, simple_adjacency
from scomodel.architecture.model import Architecture
from scomodel.architecture.network import build_network, centrality, to_graph
from scomodel.architecture.ties import Ties, network_ties
from scomodel.output import to_plain

REAL_DATES = ["1996-04-26", "2001-09-11", "2004-06-01", "2010-01-01", "2017-06-09",
              "2024-06-01"]


def _adjacency(graph: nx.Graph) -> np.ndarray:
    return nx.to_numpy_array(graph, nodelist=list(graph), weight=None)


def _assert_networkx_betweenness(graph: nx.Graph) -> None:
    expected = nx.betweenness_centrality(graph)
    got = betweenness(_adjacency(graph))
    assert got.tolist() == pytest.approx([expected[n] for n in graph], abs=1e-12, rel=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_betweenness_equals_networkx_on_random_graphs(seed: int) -> None:
    # sparse graphs fall apart into components and keep isolated nodes; dense ones have
    # many shortest paths of equal length between a pair (the counts Brandes sums)
    graph = nx.gnp_random_graph(40 + 10 * seed, [0.03, 0.08, 0.3][seed % 3], seed=seed)
    graph.add_edge(0, 0)  # a self-loop changes no shortest path
    _assert_networkx_betweenness(graph)


def test_betweenness_small_graphs() -> None:
    assert betweenness(np.zeros((0, 0))).tolist() == []
    assert betweenness(np.ones((2, 2))).tolist() == [0.0, 0.0]
    _assert_networkx_betweenness(nx.path_graph(3))  # the middle node: 1.0
    _assert_networkx_betweenness(nx.star_graph(5))


@pytest.mark.parametrize("region", [None, "central-asia"])
def test_real_centrality_equals_networkx(real: Architecture, region: str | None) -> None:
    for day in REAL_DATES:
        ties = network_ties(real, day, region=region)
        simple = nx.Graph(to_graph(ties))
        _assert_networkx_betweenness(simple)
        rows = {r["actor"]: r for r in centrality_rows(ties)}
        expected = nx.betweenness_centrality(simple)
        degree = nx.degree_centrality(simple)
        for code, attrs in simple.nodes(data=True):
            if attrs["kind"] != "state":
                assert code not in rows
                continue
            assert rows[code]["degree"] == simple.degree(code)
            assert rows[code]["degree_centrality"] == round(degree[code], 4)
            assert rows[code]["betweenness"] == round(expected[code], 4), (day, code)


def test_small_centrality_counts_ties_by_tier(small: Architecture) -> None:
    rows = {r["actor"]: r for r in centrality_rows(network_ties(small, "2008-01-01"))}
    # Y: member of A (regional) and B (global), treaty ties with X and Z (minilateral)
    assert rows["YYY"] == {**rows["YYY"], "memberships": 2, "regional": 1, "global": 1,
                           "minilateral": 2, "bilateral": 0, "degree": 4}
    # W: observer of A (counted as a regional tie, not a membership), member of B and C
    assert rows["WWW"]["memberships"] == 2 and rows["WWW"]["regional"] == 1


def test_rows_are_the_frame_the_graph_gives(real: Architecture) -> None:
    """The command line's rows (plain network) and the API's frame (NetworkX graph) agree."""
    ties = network_ties(real, "2010-01-01", region="central-asia")
    assert centrality_rows(ties) == to_plain(centrality(build_network(
        real, "2010-01-01", region="central-asia")))


def test_graph_round_trip_keeps_nodes_and_edges(small: Architecture) -> None:
    ties = network_ties(small, "2004-01-01")
    again = Ties.from_graph(to_graph(ties))
    assert again.nodes == ties.nodes
    assert {frozenset(e[:2]) | {e[2]}: d for e, d in again.edges.items()} == {
        frozenset(e[:2]) | {e[2]}: d for e, d in ties.edges.items()}


def test_an_edge_added_twice_is_updated_not_doubled() -> None:
    ties = Ties()
    ties.add_node("XXX", "state", None)
    ties.add_node("AAA", "organization", {"YYY"}, tier="regional")
    ties.add_edge("XXX", "AAA", "member", tier="regional", start="2000")
    ties.add_edge("AAA", "XXX", "member", start="2001")
    assert ties.edges == {("XXX", "AAA", "member"): {"tier": "regional", "start": "2001"}}
    assert ties.nodes["XXX"]["in_region"] and ties.nodes["AAA"]["in_region"]
    graph = nx.MultiGraph()
    graph.add_edge("XXX", "AAA", key="member", tier="regional", start="2000")
    graph.add_edge("AAA", "XXX", key="member", start="2001")
    assert list(graph.edges(keys=True, data=True)) == list(
        to_graph(ties).edges(keys=True, data=True))
    assert simple_adjacency(ties).tolist() == [[0.0, 1.0], [1.0, 0.0]]
