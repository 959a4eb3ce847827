"""Dates keep the precision their sources give."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scomodel.dates import PartialDate, parse_period
from scomodel.errors import InputError


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2004", "year", dt.date(2004, 1, 1), dt.date(2004, 12, 31)),
        ("2004-02", "month", dt.date(2004, 2, 1), dt.date(2004, 2, 29)),
        ("2005-07-05", "day", dt.date(2005, 7, 5), dt.date(2005, 7, 5)),
        (2017, "year", dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
        (dt.date(2001, 6, 15), "day", dt.date(2001, 6, 15), dt.date(2001, 6, 15)),
    ],
)
def test_parse(text: object, precision: str, first: dt.date, last: dt.date) -> None:
    date = PartialDate.parse(text)
    assert (date.precision, date.first, date.last) == (precision, first, last)


@pytest.mark.parametrize("text", ["05-07-2005", "2005-7-5", "2005-02-30", "", "soon", None, 3.5])
def test_rejects(text: object) -> None:
    with pytest.raises(InputError):
        PartialDate.parse(text, field="on")


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_any_day_round_trips(day: dt.date) -> None:
    date = PartialDate.parse(day.isoformat())
    assert date.first == date.last == day
    assert PartialDate.parse(day.strftime("%Y-%m")).first <= day <= PartialDate.parse(
        day.strftime("%Y-%m")).last


@given(st.text(max_size=12))
def test_parser_never_crashes(text: str) -> None:
    try:
        period = parse_period(text)
    except InputError as err:
        assert err.field == "on"
    else:
        assert period.first <= period.last
