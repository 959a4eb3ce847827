"""Veto players: win-set, core and gridlock, computed by hand and on the built-ins."""

from __future__ import annotations

import numpy as np
import pytest

from scomodel.bargaining.runner import parse_members, parse_rule
from scomodel.bargaining.scenario import RuleSpec, load_scenario
from scomodel.bargaining.veto import (
    MEMBERSHIP_LISTS,
    Rule,
    analyse,
    compare_memberships,
    core,
    resolve_rule,
    win_set,
)
from scomodel.errors import InputError


def test_win_set_by_hand():
    x = np.array([2.0, 5.0, 7.0])
    # unanimity, q = 0: the player at 2 accepts only (0, 4)
    assert win_set(x, 0.0, 3, 0, 10) == [(0.0, 4.0)]
    # 2 of 3: the second-largest ideal (5) bounds the move: (0, 10)
    assert win_set(x, 0.0, 2, 0, 10) == [(0.0, 10.0)]
    # a status quo inside [2, 7] cannot be changed by all three
    assert win_set(x, 6.0, 3, 0, 10) == []
    # q = 9 right of everyone: moves left down to 2*7-9 = 5
    assert win_set(x, 9.0, 3, 0, 10) == [(5.0, 9.0)]
    assert core(x, 3) == (2.0, 7.0)
    assert core(x, 2) == (5.0, 5.0)


def test_rule_needed():
    assert Rule("consensus", None, "x").needed(8) == 8
    assert Rule("qualified_majority", 0.75, "x").needed(8) == 6
    assert Rule("qualified_majority", 2 / 3, "x").needed(6) == 4
    assert Rule("majority", None, "x").needed(6) == 4
    with pytest.raises(InputError):
        Rule("consensus", None, "x").needed(0)


def test_default_veto_players_are_registry_members():
    sc = load_scenario("astana-2005-bases")
    res = analyse(sc)
    assert res.basis in ("registry", "scenario roles")
    assert sorted(res.veto_players) == ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"]
    assert "USA" not in res.veto_players
    # ideal points 25..85, q = 0: KAZ at 25 caps the move at 50
    assert res.win_set == [(0.0, 50.0)]
    assert res.core == (25.0, 85.0)
    assert res.gridlock_index == pytest.approx(0.6)


def test_charter_rule_is_consensus_in_2005():
    rule = resolve_rule(load_scenario("astana-2005-bases"))
    assert rule.kind in ("consensus", "consensus_minus_target")
    assert rule.origin in ("charter", "default")


def test_enlargement_gridlock_on_a_dividing_issue():
    sc = load_scenario("india-pakistan-2017")
    rows = compare_memberships(
        sc, {k: MEMBERSHIP_LISTS[k] for k in ("SCO-6", "SCO-8")}, "terrorism-naming"
    )
    six, eight = rows
    assert six["win_set"] == [[0.0, 20.0]] or six["win_set"] == [(0.0, 20.0)]
    assert six["gridlock_index"] == pytest.approx(0.4)  # core [10, 50]
    assert eight["win_set_size"] == 0.0  # Pakistan at 0 = the status quo: nothing passes
    assert eight["core"] == [0.0, 95.0] or eight["core"] == (0.0, 95.0)
    assert eight["gridlock_index"] == pytest.approx(0.95)


def test_sco10_reports_uncoded_members():
    sc = load_scenario("india-pakistan-2017")
    rows = compare_memberships(sc, {"SCO-10": MEMBERSHIP_LISTS["SCO-10"]}, "admission")
    assert rows[0]["uncoded"] == ["IRN", "BLR"]
    assert rows[0]["n"] == 8


def test_what_if_qualified_majority_widens_the_win_set():
    sc = load_scenario("astana-2005-bases")
    qmv = resolve_rule(sc, RuleSpec(kind="qualified_majority", threshold=2 / 3))
    res = analyse(sc, rule=qmv)
    assert res.needed == 4
    # 4 of 6 must prefer the move: the 4th-largest ideal point is 30 (KGZ, UZB): (0, 60)
    assert res.win_set == [(0.0, 60.0)]
    assert res.rule.origin == "what-if"


def test_parsers():
    assert parse_rule("qualified_majority:0.75") == RuleSpec(
        kind="qualified_majority", threshold=0.75
    )
    with pytest.raises(InputError, match="bad rule"):
        parse_rule("qualified_majority")
    lists = parse_members("SCO-6,CHN+RUS")
    assert lists == {"SCO-6": list(MEMBERSHIP_LISTS["SCO-6"]), "CHN+RUS": ["CHN", "RUS"]}


def test_rule_bound_forecast():
    from scomodel.bargaining.runner import rule_bound

    assert rule_bound(80.0, [(0.0, 50.0)], 0.0) == 50.0  # Astana: consensus caps at KAZ's 2*25
    assert rule_bound(30.0, [(0.0, 50.0)], 0.0) == 30.0
    assert rule_bound(30.0, [], 10.0) == 10.0
    assert rule_bound(5.0, [(10.0, 20.0), (20.0, 40.0)], 20.0) == 10.0
