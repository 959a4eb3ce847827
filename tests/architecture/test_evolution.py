"""The sweep: monthly and daily results agree with one-date queries and with hand counts."""

from __future__ import annotations

import datetime as dt

import pytest

from scomodel.architecture.evolution import evolution, sweep_dates, turning_points
from scomodel.architecture.model import Architecture
from scomodel.architecture.overlap import overlap_pairs
from scomodel.errors import InputError


def test_small_series_by_hand(small: Architecture, small_dir) -> None:  # type: ignore[no-untyped-def]
    result = evolution(small, 2004, 2006, data_dir=small_dir)
    ab = result.pairs[(result.pairs["a"] == "AAA") & (result.pairs["b"] == "BBB")]
    by_date = dict(zip(ab["date"], ab["jaccard"], strict=True))
    assert by_date[dt.date(2005, 12, 1)] == 0.5
    assert by_date[dt.date(2006, 1, 1)] == 0.25
    assert len(result.summary) == 36


def test_small_powers_count_region_states(small: Architecture, small_dir) -> None:  # type: ignore[no-untyped-def]
    result = evolution(small, 2002, 2006, region="inner", powers=("XXX", "ZZZ"),
                       data_dir=small_dir)
    rows = result.powers.set_index(["date", "power"])
    # 2003: XXX is tied to YYY by the base and the treaty -> one region state
    assert rows.loc[(dt.date(2003, 1, 1), "XXX"), "states_via_bilateral"] == 1
    # ZZZ shares organization A with X and Y until 2006, then only B with Y
    assert rows.loc[(dt.date(2005, 1, 1), "ZZZ"), "states_via_orgs"] == 2
    assert rows.loc[(dt.date(2006, 1, 1), "ZZZ"), "states_via_orgs"] == 1


def test_monthly_sweep_equals_single_dates(real: Architecture) -> None:
    result = evolution(real, 1996, 2025, region="central-asia")
    assert len(result.summary) == 360
    for day in (dt.date(2001, 10, 1), dt.date(2008, 6, 1), dt.date(2024, 6, 1)):
        one = overlap_pairs(real, day, region="central-asia")
        swept = result.pairs[result.pairs["date"] == day]
        assert sorted(zip(one["a"], one["b"], one["jaccard"], one["fields_jaccard"],
                          strict=True)) == sorted(
            zip(swept["a"], swept["b"], swept["jaccard"], swept["fields_jaccard"], strict=True))


def test_real_us_and_russian_bases_in_central_asia(real: Architecture) -> None:
    powers = evolution(real, 1996, 2025, region="central-asia").powers
    rows = powers.set_index(["date", "power"])["states_via_bilateral"]
    assert rows[(dt.date(2001, 9, 1), "USA")] == 0
    assert rows[(dt.date(2002, 1, 1), "USA")] == 2  # K2 and Manas
    assert rows[(dt.date(2006, 1, 1), "USA")] == 1  # K2 closed in November 2005
    assert rows[(dt.date(2015, 1, 1), "USA")] == 0  # Manas closed in June 2014
    assert rows[(dt.date(2003, 1, 1), "RUS")] == 1  # Tajikistan
    assert rows[(dt.date(2004, 1, 1), "RUS")] == 2  # plus Kant


def test_daily_sweep_agrees_with_monthly(real: Architecture) -> None:
    daily = evolution(real, 2005, 2005, step="day")
    monthly = evolution(real, 2005, 2005)
    firsts = daily.summary[[d.day == 1 for d in daily.summary["date"]]].reset_index(drop=True)
    assert len(daily.summary) == 365
    assert firsts.equals(monthly.summary)


def test_turning_points_are_sourced() -> None:
    points = turning_points()
    assert {"2001-09-11", "2005-07-05", "2017-06-09"} <= set(points["date"])
    assert all(len(s) >= 1 for s in points["sources"])


def test_bad_years() -> None:
    with pytest.raises(InputError, match="before"):
        sweep_dates(2020, 2010)
    with pytest.raises(InputError, match="step"):
        sweep_dates(2020, 2021, "week")


def test_real_kyrgyzstan_degree_2004(real: Architecture) -> None:
    actors = evolution(real, 2004, 2004, region="central-asia").actors
    row = actors[(actors["actor"] == "KGZ") & (actors["date"] == dt.date(2004, 6, 1))].iloc[0]
    # SCO, CIS, CSTO, EurAsEC, CAREC, OSCE, PfP, and with the complete data the UN (1992),
    # the EAPC (1997), ECO and CICA; partners USA (Manas), RUS (Kant), CHN (2002 treaty),
    # KAZ and UZB (1997 treaty), and TJK through the Shanghai Five's 1996 and 1997
    # agreements (registry facts)
    assert (row["memberships"], row["arrangement_partners"], row["degree"]) == (11, 6, 17)
    assert set(actors["actor"]) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
