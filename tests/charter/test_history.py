"""check-history: each recorded status change against the rules in force on its date."""

from __future__ import annotations

import pytest

from scomodel.charter.context import Context
from scomodel.charter.history import Check, check_history
from scomodel.registry import Registry

SRC = [{"source": "masuda2011", "locator": "test"}]


def by(rows: list[Check], actor: str, change: str) -> Check:
    return next(r for r in rows if r.actor == actor and r.change == change)


def test_fixture_record(ctx: Context) -> None:
    rows = check_history("SCO", registry=ctx)
    assert len(rows) == 13  # 13 spells, none ending without a successor
    founders = [r for r in rows if r.date == "2001-06-15"]
    assert len(founders) == 6 and {r.verdict for r in founders} == {"undecidable"}
    assert "founding declaration" in founders[0].why
    mng = by(rows, "MNG", "none -> observer")
    assert (mng.verdict, mng.rule) == ("conforming", "T-observer")
    blr = by(rows, "BLR", "none -> dialogue_partner")
    assert blr.verdict == "conforming"
    ind = by(rows, "IND", "observer -> member")
    assert (ind.verdict, ind.rule) == ("undecidable", "A5-applicant")
    assert "applicant" in ind.why


def test_observer_before_the_regulations_is_anomalous(whatif: Context) -> None:
    whatif.registry.add_spell(
        "SCO", {"actor": "AFG", "status": "observer", "start": "2003-12-01", "sources": SRC}
    )
    row = by(check_history("SCO", registry=whatif), "AFG", "none -> observer")
    assert (row.verdict, row.rule) == ("anomalous", "R14")
    assert "2004-06-17" in row.why


def test_observer_before_the_charter_is_undecidable_or_anomalous(whatif: Context) -> None:
    whatif.registry.add_spell(
        "SCO", {"actor": "TKM", "status": "observer", "start": "2002-12-01", "sources": SRC}
    )
    row = by(check_history("SCO", registry=whatif), "TKM", "none -> observer")
    # only the guest scheme was in force: it provides no observer status
    assert row.verdict == "anomalous" and "observer" in row.why
    whatif.registry.add_spell(
        "SCO", {"actor": "AZE", "status": "observer", "start": "2002-06-01", "sources": SRC}
    )
    early = by(check_history("SCO", registry=whatif), "AZE", "none -> observer")
    assert early.verdict == "undecidable" and "no SCO rulebook" in early.why


def test_coarse_date_straddling_a_rulebook_is_undecidable(whatif: Context) -> None:
    whatif.registry.add_spell(
        "SCO", {"actor": "TUR", "status": "dialogue_partner", "start": "2008-08", "sources": SRC}
    )
    row = by(check_history("SCO", registry=whatif), "TUR", "none -> dialogue_partner")
    assert row.verdict == "undecidable" and "month" in row.why


def test_member_without_a_recorded_applicant_phase(whatif: Context) -> None:
    whatif.registry.add_spell(
        "SCO", {"actor": "TKM", "status": "member", "start": "2012-01-01", "sources": SRC}
    )
    row = by(check_history("SCO", registry=whatif), "TKM", "none -> member")
    assert (row.verdict, row.rule) == ("undecidable", "A5-applicant")


def test_organization_admitted_as_member_is_anomalous(whatif: Context) -> None:
    whatif.registry.add_spell(
        "SCO", {"actor": "NATO", "status": "member", "start": "2012-01-01", "sources": SRC}
    )
    row = by(check_history("SCO", registry=whatif), "NATO", "none -> member")
    assert (row.verdict, row.rule) == ("anomalous", "R13.1-state")


def test_ending_without_successor_uses_the_exit_rules(whatif: Context) -> None:
    whatif.registry.add_spell(
        "SCO",
        {
            "actor": "TUR",
            "status": "dialogue_partner",
            "start": "2012-06-07",
            "end": "2014-01-01",
            "sources": SRC,
        },
    )
    rows = check_history("SCO", registry=whatif)
    ended = by(rows, "TUR", "dialogue_partner -> ended")
    assert (ended.verdict, ended.rule) == ("undecidable", "T-dp-ends")


def test_guests_at_summits_cannot_be_checked_but_their_end_can(whatif: Context) -> None:
    whatif.registry.add_spell(
        "SCO",
        {
            "actor": "TKM",
            "status": "guest",
            "start": "2007-08-16",
            "end": "2007-08-17",
            "sources": SRC,
        },
    )
    rows = check_history("SCO", registry=whatif)
    entry = by(rows, "TKM", "none -> guest")
    assert (entry.verdict, entry.rule) == ("undecidable", "T-guest")
    assert "CMFA" in entry.why
    ended = by(rows, "TKM", "guest -> ended")
    assert (ended.verdict, ended.rule) == ("conforming", "T-guest-ends")


def test_org_without_rulebooks_is_undecidable_throughout(ctx: Context) -> None:
    rows = check_history("NATO", registry=ctx)
    assert rows == []  # no NATO spells in the fixture, but no error either


def _dp_with_events(whatif: Context, actor: str, decision: str, memorandum: str) -> Check:
    whatif.registry.add_spell(
        "SCO",
        {
            "actor": actor,
            "status": "dialogue_partner",
            "start": memorandum,
            "events": [
                {"kind": "decision", "date": decision, "sources": SRC},
                {"kind": "memorandum", "date": memorandum, "sources": SRC},
            ],
            "follows": "memorandum",
            "sources": SRC,
        },
    )
    return by(check_history("SCO", registry=whatif), actor, "none -> dialogue_partner")


def test_events_are_checked_on_their_own_dates(whatif: Context) -> None:
    ok = _dp_with_events(whatif, "TUR", "2012-06-07", "2013-04-26")
    assert ok.verdict == "conforming" and "decision 2012-06-07 (D3-decision)" in ok.why
    early = _dp_with_events(whatif, "EGY", "2008-06-01", "2009-01-10")  # decided before 2008-08-28
    assert (early.verdict, early.rule) == ("anomalous", "R14")
    assert "decision of 2008-06-01" in early.why


def test_events_out_of_order_are_anomalous(whatif: Context) -> None:
    row = _dp_with_events(whatif, "QAT", "2013-06-01", "2012-01-10")  # memorandum first
    assert row.verdict == "anomalous" and "order of the procedure" in row.why


def test_real_record() -> None:
    reg = Registry.open()
    if not [s for s in reg.spells() if s.org == "SCO"]:
        pytest.skip("the curated registry has no SCO spells yet")
    rows = check_history("SCO", registry=Context(reg))
    assert {r.verdict for r in rows} <= {"conforming", "anomalous", "undecidable"}
    founders = [r for r in rows if r.date == "2001-06-15"]
    assert {r.actor for r in founders} == {"CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"}
    assert {r.verdict for r in founders} == {"undecidable"}
    mng = by(rows, "MNG", "none -> observer")
    assert (mng.date, mng.verdict, mng.rule) == ("2004-06-17", "conforming", "T-observer")
    ind = by(rows, "IND", "applicant -> member")
    assert (ind.date, ind.verdict, ind.rule) == ("2017-06-09", "conforming", "T-applicant-member")
    # the acceding track runs beside the observer spell: an observer may accede (T-applicant)
    for actor, day in (("IND", "2015-07-10"), ("PAK", "2015-07-10"), ("IRN", "2021-09-17"),
                       ("BLR", "2022-09-16")):
        track = by(rows, actor, "observer -> applicant")
        assert (track.date, track.verdict, track.rule) == (day, "conforming", "T-applicant")
    # an observer admitted as a member did not withdraw: no exit row for its observer spell
    assert not [r for r in rows if r.actor in ("IND", "PAK", "IRN", "BLR")
                and r.change == "observer -> ended"]
    # Iran's 2008 request came under the Charter's direct route, in force then
    irn = by(rows, "IRN", "observer -> applicant")
    assert "R13.2-letter, the member procedure then in force" in irn.why
    merged = [
        r for r in rows if r.date == "2025-09-01" and r.rule and r.rule.startswith("P0-merge")
    ]
    assert merged and {(r.verdict, r.verification) for r in merged} == {("conforming", "verified")}
    guests = [r for r in rows if r.change == "none -> guest"]
    assert guests and {r.verdict for r in guests} == {"undecidable"}
    shanghai5 = check_history("SHANGHAI5", registry=Context(reg))
    assert shanghai5 and {r.verdict for r in shanghai5} == {"undecidable"}
