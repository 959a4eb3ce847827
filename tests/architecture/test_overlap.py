"""Overlap numbers computed by hand on a small world and on a few real dates."""

from __future__ import annotations

import pytest

from scomodel.architecture.model import Architecture
from scomodel.architecture.overlap import overlap_matrix, overlap_pairs
from scomodel.errors import NotFoundError


def _pair(frame, a: str, b: str) -> dict:  # type: ignore[no-untyped-def]
    rows = frame[(frame["a"] == a) & (frame["b"] == b)]
    assert len(rows) == 1, f"no single row for {a}-{b}"
    return rows.iloc[0].to_dict()


def test_small_jaccard_by_hand(small: Architecture) -> None:
    # 2004: A = {X, Y, Z} (W is only an observer), B = {Y, Z, W}, C = {W}
    pairs = overlap_pairs(small, "2004-01-01")
    ab = _pair(pairs, "AAA", "BBB")
    assert ab["shared_members"] == ["YYY", "ZZZ"]
    assert ab["jaccard"] == pytest.approx(2 / 4)
    assert _pair(pairs, "BBB", "CCC")["jaccard"] == pytest.approx(1 / 3, abs=1e-4)
    assert _pair(pairs, "AAA", "CCC")["jaccard"] == 0.0
    assert list(pairs["a"] + "-" + pairs["b"]) == ["AAA-BBB", "BBB-CCC", "AAA-CCC"]


def test_small_after_a_member_leaves(small: Architecture) -> None:
    # 2006: Z has left A, so A = {X, Y}, B = {Y, Z, W}: 1 shared of 4
    assert _pair(overlap_pairs(small, "2006-01-01"), "AAA", "BBB")["jaccard"] == 0.25
    # C does not exist before 2003
    assert set(overlap_pairs(small, "2002-12-31")["b"]) == {"BBB"}


def test_small_region_filter(small: Architecture) -> None:
    # inner = {X, Y}: A = {X, Y}, B = {Y}, C has no member inside and drops out
    pairs = overlap_pairs(small, "2004-01-01", region="inner")
    assert len(pairs) == 1
    assert _pair(pairs, "AAA", "BBB")["jaccard"] == 0.5


def test_small_fields_and_field_filter(small: Architecture) -> None:
    early = _pair(overlap_pairs(small, "2004-01-01"), "AAA", "BBB")
    assert early["shared_fields"] == ["counter_terrorism"]
    assert early["fields_jaccard"] == 0.5
    later = _pair(overlap_pairs(small, "2005-06-01"), "AAA", "BBB")
    assert later["shared_fields"] == ["counter_terrorism", "narcotics"]
    narcotics_2004 = overlap_pairs(small, "2004-01-01", field="narcotics")
    assert narcotics_2004.empty  # only A covers narcotics before June 2005
    assert len(overlap_pairs(small, "2005-06-01", field="narcotics")) == 1


def test_matrix_is_symmetric(small: Architecture) -> None:
    matrix = overlap_matrix(small, "2004-01-01")
    assert matrix.loc["AAA", "BBB"] == matrix.loc["BBB", "AAA"] == 0.5


def test_unknown_region_and_field_name_the_option(small: Architecture) -> None:
    with pytest.raises(NotFoundError, match="unknown region 'outer'"):
        overlap_pairs(small, "2004", region="outer")
    with pytest.raises(NotFoundError, match="unknown field"):
        overlap_pairs(small, "2004", field="piracy")


def test_real_2009_csto_eurasec(real: Architecture) -> None:
    # CSTO 2009-06-01: ARM BLR KAZ KGZ RUS TJK UZB; EurAsEC: BLR KAZ KGZ RUS TJK
    # (Uzbekistan suspended its EurAsEC membership on 2008-11-12): 5 / 7
    row = _pair(overlap_pairs(real, "2009-06-01"), "CSTO", "EURASEC")
    assert row["shared_members"] == ["BLR", "KAZ", "KGZ", "RUS", "TJK"]
    assert row["jaccard"] == pytest.approx(5 / 7, abs=1e-4)
    in_ca = _pair(overlap_pairs(real, "2009-06-01", region="central-asia"), "CSTO", "EURASEC")
    assert in_ca["jaccard"] == 0.75  # KAZ KGZ TJK of KAZ KGZ TJK UZB


def test_real_2001_csto_pfp(real: Architecture) -> None:
    # on 9/11: CST parties ARM BLR KAZ KGZ RUS TJK; PfP had 26 partners (NATO's signature
    # list, less the three that joined NATO in 1999) plus the United States coded for the
    # Alliance: 27, five of them CST parties: 5 / (6 + 27 - 5)
    row = _pair(overlap_pairs(real, "2001-09-11"), "CSTO", "PFP")
    assert row["shared_members"] == ["ARM", "BLR", "KAZ", "KGZ", "RUS"]
    assert row["jaccard"] == pytest.approx(5 / 28, abs=1e-4)


def test_real_2024_armenia_frozen(real: Architecture) -> None:
    row = _pair(overlap_pairs(real, "2024-06-01"), "CSTO", "EAEU")
    # Armenia froze its CSTO participation on 2024-02-22 but stays a member (a `frozen`
    # procedure beside membership; ocmedia-2025-arm-csto): CSTO ARM BLR KAZ KGZ RUS TJK,
    # EAEU ARM BLR KAZ KGZ RUS -> 5 / 6
    assert row["shared_members"] == ["ARM", "BLR", "KAZ", "KGZ", "RUS"]
    assert row["jaccard"] == pytest.approx(5 / 6, abs=1e-4)
