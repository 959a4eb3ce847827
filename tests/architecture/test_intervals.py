"""Interval arrays: half-open spells, coarse dates, and agreement with a plain loop."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scomodel.architecture.intervals import IntervalTable, dates_to_days, month_starts


def _table() -> IntervalTable:
    return IntervalTable.build(
        [("O", "A", "2000", "2001-03-01"), ("O", "B", "2000-06", None),
         ("P", "A", "1999-12-31", "2000-01-01")],
        rows=["O", "P"], cols=["A", "B"])


def test_end_is_exclusive_and_start_inclusive() -> None:
    table = _table()
    assert table.on("2001-02-28").tolist() == [[True, True], [False, False]]
    assert table.on("2001-03-01").tolist() == [[False, True], [False, False]]
    assert table.on("1999-12-31").tolist() == [[False, False], [True, False]]


def test_coarse_start_counts_from_first_day() -> None:
    table = _table()
    assert bool(table.on("2000-05-31")[0, 1]) is False
    assert bool(table.on("2000-06-01")[0, 1]) is True


def test_month_starts_cover_thirty_years() -> None:
    dates = month_starts(1996, 2025)
    assert len(dates) == 360
    assert dates[0] == dt.date(1996, 1, 1) and dates[-1] == dt.date(2025, 12, 1)


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_cube_matches_a_plain_loop(day: dt.date) -> None:
    records = [("O", "A", "2000", "2001-03-01"), ("O", "B", "2000-06", None),
               ("P", "A", "1999-12-31", "2000-01-01"), ("P", "B", "2010-05-05", "2020")]
    table = IntervalTable.build(records, rows=["O", "P"], cols=["A", "B"])
    expected = np.zeros((2, 2), dtype=bool)
    for org, actor, start, end in records:
        first = dt.date.fromisoformat((start + "-01-01")[:10] if len(start) == 4 else
                                      (start + "-01")[:10] if len(start) == 7 else start)
        last = dt.date.max if end is None else dt.date.fromisoformat(
            end + "-01-01" if len(end) == 4 else end)
        if first <= day < last:
            expected["OP".index(org), "AB".index(actor)] = True
    assert (table.cube(dates_to_days([day]))[0] == expected).all()


def test_cube_joins_several_spells_of_one_cell() -> None:
    # O-A leaves and comes back (two spells, a gap); P-B has two overlapping spells
    records = [("O", "A", "2000", "2002"), ("O", "A", "2004", None), ("P", "B", "2001", "2005"),
               ("P", "B", "2003", "2008"), ("X", "A", "2000", None)]  # X is not a row: left out
    table = IntervalTable.build(records, rows=["O", "P"], cols=["A", "B"])
    years = list(range(1999, 2010))
    cube = table.cube(dates_to_days([str(y) for y in years]))
    assert cube.shape == (len(years), 2, 2)
    held = {y: {(o, a) for o, a, s, e in records[:4] if int(s) <= y < int(e or 9999)}
            for y in years}
    for t, year in enumerate(years):
        assert {("OP"[r], "AB"[c]) for r, c in zip(*np.nonzero(cube[t]), strict=True)} == \
            held[year], year
    assert table.cube(np.array([], dtype=np.int64)).shape == (0, 2, 2)
