"""The interval arrays give the same member sets as the registry's own as-of queries."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from scomodel.architecture.model import Architecture
from scomodel.architecture.overlap import overlap_pairs
from scomodel.registry import Registry


def test_pairs_match_registry_members(real: Architecture) -> None:
    reg = Registry.open()

    @settings(max_examples=25, deadline=None)
    @given(st.dates(min_value=dt.date(1992, 1, 1), max_value=dt.date(2025, 12, 31)))
    def check(day: dt.date) -> None:
        sets = {o: {r.actor for r in reg.members(o, on=day.isoformat(), status="member")}
                for o in real.orgs}
        expected = {
            (a, b): round(len(sets[a] & sets[b]) / len(sets[a] | sets[b]), 4)
            for a, b in itertools.combinations(real.orgs, 2) if sets[a] and sets[b]
        }
        got = {(r.a, r.b): r.jaccard for r in overlap_pairs(real, day).itertuples()}
        assert got == expected

    check()
