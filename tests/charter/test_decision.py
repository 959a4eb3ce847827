"""The consensus rule, its exceptions, and a what-if qualified majority."""

from __future__ import annotations

import pytest

from scomodel.charter import decision_rule
from scomodel.charter.engine import what_if
from scomodel.errors import InputError, NotFoundError

from .conftest import EXAMPLES

MEMBERS_2010 = ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"]
MEMBERS_2018 = [*MEMBERS_2010, "IND", "PAK"]


def test_consensus_zero_one_several_objections() -> None:
    rule = decision_rule("SCO", "2010-06-01")
    assert rule.kind == "consensus" and rule.rule and rule.rule["id"] == "R16"
    assert rule.passes([], MEMBERS_2010) is True
    assert rule.passes(["UZB"], MEMBERS_2010) is False
    assert rule.passes(["UZB", "RUS", "CHN"], MEMBERS_2010) is False


def test_objections_of_non_members_do_not_count() -> None:
    rule = decision_rule("SCO", "2010-06-01")
    assert rule.passes(["USA", "IND"], MEMBERS_2010) is True
    assert rule.blockers(["USA", "uzb"], MEMBERS_2010) == ["UZB"]


def test_counts_are_accepted() -> None:
    rule = decision_rule("SCO", "2010")
    assert rule.passes(0, 6) is True and rule.passes(1, 6) is False


def test_expulsion_is_consensus_without_the_member_concerned() -> None:
    rule = decision_rule("SCO", "2010", matter="expel")
    assert rule.kind == "consensus_minus_target"
    assert rule.passes(["UZB"], MEMBERS_2010, target="UZB") is True
    assert rule.passes(["UZB", "KAZ"], MEMBERS_2010, target="UZB") is False
    assert rule.verification == "secondary"


def test_unknown_matter_is_an_error_listing_the_matters() -> None:
    """Issue 10: ``--matter coup`` answered with the default rule, as if it were valid."""
    with pytest.raises(InputError, match="unknown matter 'budget'.*expel") as info:
        decision_rule("SCO", "2010", matter="budget")
    assert info.value.field == "matter"


def test_reservation_void_by_two_thirds_objecting() -> None:
    rule = decision_rule("SCO", "2010", matter="reservation_void")
    assert rule.kind == "objection_threshold"
    assert rule.passes(["CHN", "KAZ", "KGZ", "RUS"], MEMBERS_2010) is True  # 4 of 6
    assert rule.passes(["CHN", "KAZ", "KGZ"], MEMBERS_2010) is False  # 3 of 6


def test_guests_before_the_charter_need_all_members() -> None:
    rule = decision_rule("SCO", "2002-12-01", matter="guest")
    assert rule.rule and rule.rule["id"] == "G1-decision"
    assert rule.passes(["KAZ"], MEMBERS_2010) is False
    with pytest.raises(NotFoundError):  # the default rule needs the Charter
        decision_rule("SCO", "2002-12-01")


def test_no_rule_before_any_rulebook() -> None:
    with pytest.raises(NotFoundError, match="2002-11-23"):
        decision_rule("SCO", "2001-06-15")


def test_whatif_qualified_majority() -> None:
    qmv = decision_rule("SCO", "2018-01-01", rules=what_if([EXAMPLES / "whatif" / "qmv-2017.yaml"]))
    assert qmv.kind == "qualified_majority" and qmv.whatif is True
    # 8 members, two thirds = 6 must not object
    assert qmv.passes(["PAK", "IND"], MEMBERS_2018) is True
    assert qmv.passes(["PAK", "IND", "CHN"], MEMBERS_2018) is False
    # the same objections block under the real rule
    assert decision_rule("SCO", "2018-01-01").passes(["PAK"], MEMBERS_2018) is False
    # expulsion keeps its own rule
    assert (
        decision_rule(
            "SCO", "2018", "expel", rules=what_if([EXAMPLES / "whatif" / "qmv-2017.yaml"])
        ).kind
        == "consensus_minus_target"
    )
