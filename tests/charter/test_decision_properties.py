"""Properties of the decision rules, for any set of members and objections."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scomodel.charter import decision_rule
from scomodel.charter.engine import what_if
from scomodel.errors import InputError

from .conftest import EXAMPLES

CODES = ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB", "IND", "PAK", "IRN", "BLR", "USA", "MNG"]
CONSENSUS = decision_rule("SCO", "2018-01-01")
EXPEL = decision_rule("SCO", "2018-01-01", "expel")
QMV = decision_rule("SCO", "2018-01-01", rules=what_if([EXAMPLES / "whatif" / "qmv-2017.yaml"]))

members_st = st.lists(st.sampled_from(CODES), min_size=1, unique=True)


@settings(max_examples=200, deadline=None)
@given(members_st, st.lists(st.sampled_from(CODES), unique=True))
def test_consensus_passes_iff_no_member_objects(members: list[str], objections: list[str]) -> None:
    assert CONSENSUS.passes(objections, members) is (not set(objections) & set(members))


@settings(max_examples=200, deadline=None)
@given(members_st, st.lists(st.sampled_from(CODES), unique=True), st.sampled_from(CODES))
def test_more_objections_never_help(members: list[str], objections: list[str], extra: str) -> None:
    for rule in (CONSENSUS, EXPEL, QMV):
        target = members[0]
        if rule is EXPEL and len(members) == 1:
            continue  # expelling the only member: no one left to decide (an InputError)
        if not rule.passes(objections, members, target):
            assert not rule.passes([*objections, extra], members, target)


@settings(max_examples=200, deadline=None)
@given(members_st, st.lists(st.sampled_from(CODES), unique=True))
def test_qmv_is_never_stricter_than_consensus(members: list[str], objections: list[str]) -> None:
    if CONSENSUS.passes(objections, members):
        assert QMV.passes(objections, members)


@settings(max_examples=200, deadline=None)
@given(members_st)
def test_the_target_alone_cannot_block_its_expulsion(members: list[str]) -> None:
    target = members[0]
    if len(members) > 1:
        assert EXPEL.passes([target], members, target)
    else:
        with pytest.raises(InputError, match="at least one member"):
            EXPEL.passes([target], members, target)
