"""The tiered network: edges, tiers and centrality on hand-checked dates."""

from __future__ import annotations

import networkx as nx

from scomodel.architecture.model import Architecture
from scomodel.architecture.network import build_network, centrality, network_json, tie_table


def test_small_edges_and_tiers(small: Architecture) -> None:
    graph = build_network(small, "2008-01-01")
    ties = tie_table(graph)
    membership = ties[ties["kind"] == "membership"]
    # A: X, Y members + W observer (Z left in 2006); B: Y, Z, W; C: W
    assert len(membership) == 7
    assert set(membership[membership["status"] == "observer"]["a"]) == {"WWW"}
    assert set(membership[membership["b"] == "AAA"]["tier"]) == {"regional"}
    assert set(membership[membership["b"] == "BBB"]["tier"]) == {"global"}
    # CCC has no tier in the data and one member: minilateral by size
    assert set(membership[membership["b"] == "CCC"]["tier"]) == {"minilateral"}
    # the base ended in 2005; the three-party treaty makes three minilateral ties
    assert set(ties[ties["kind"] == "treaty"]["tier"]) == {"minilateral"}
    assert len(ties[ties["kind"] == "treaty"]) == 3
    assert ties[ties["kind"] == "basing"].empty
    # the 2007 memorandum links the two organizations
    agreement = ties[ties["kind"] == "agreement"]
    assert {agreement.iloc[0]["a"], agreement.iloc[0]["b"]} == {"AAA", "BBB"}


def test_small_bilateral_tie_while_in_force(small: Architecture) -> None:
    ties = tie_table(build_network(small, "2003-01-01"))
    base = ties[ties["kind"] == "basing"]
    assert len(base) == 1 and base.iloc[0]["tier"] == "bilateral"


def test_small_centrality_by_hand(small: Architecture) -> None:
    graph = build_network(small, "2008-01-01", region="inner")
    # inside = X, Y: X member of A; Y member of A and B; treaty ties X-Y, X-Z, Y-Z
    table = centrality(graph).set_index("actor")
    assert table.loc["YYY", "memberships"] == 2
    assert table.loc["XXX", "minilateral"] == 2
    assert not table.loc["ZZZ", "in_region"]
    simple = nx.Graph(graph)
    assert table.loc["YYY", "betweenness"] == round(nx.betweenness_centrality(simple)["YYY"], 4)


def test_real_2004_kyrgyzstan_hosts_both_bases(real: Architecture) -> None:
    graph = build_network(real, "2004-06-01", region="central-asia")
    ties = tie_table(graph)
    bases = ties[ties["kind"] == "basing"]
    pairs = {frozenset((r.a, r.b)) for r in bases.itertuples()}
    assert frozenset(("USA", "KGZ")) in pairs  # Manas, from December 2001
    assert frozenset(("RUS", "KGZ")) in pairs  # Kant, from October 2003
    assert frozenset(("USA", "UZB")) in pairs  # Karshi-Khanabad until November 2005
    assert frozenset(("DEU", "UZB")) in pairs  # Termez, from February 2002
    table = centrality(graph).set_index("actor")
    assert table.loc["KGZ", "bilateral"] == 3  # Manas, Kant and the 2002 treaty with China
    assert table.index[0] == "KGZ"  # the most between


def test_real_2006_k2_gone(real: Architecture) -> None:
    ties = tie_table(build_network(real, "2006-01-01", region="central-asia"))
    pairs = {frozenset((r.a, r.b)) for r in ties[ties["kind"] == "basing"].itertuples()}
    assert frozenset(("USA", "UZB")) not in pairs


def test_json_export_has_nodes_and_edges(small: Architecture) -> None:
    data = network_json(build_network(small, "2008-01-01"))
    assert {n["id"] for n in data["nodes"]} >= {"AAA", "BBB", "CCC", "XXX", "WWW"}
    assert all({"a", "b", "tier", "kind"} <= set(e) for e in data["edges"])


def test_an_organization_holding_a_status_is_an_organization_node(small_dir) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    from scomodel.architecture.loader import load_architecture

    spells = pd.DataFrame([("AAA", "XXX", "member", "2000", None),
                           ("BBB", "AAA", "observer", "2000", None)],
                          columns=["org", "actor", "status", "start", "end"])
    arch = Architecture.build(load_architecture(small_dir), spells)
    graph = build_network(arch, "2001-01-01")
    assert graph.nodes["AAA"]["kind"] == "organization"
    assert "AAA" not in set(centrality(graph)["actor"])  # only states are ranked
