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


def test_real_record() -> None:
    reg = Registry.open()
    if not [s for s in reg.spells() if s.org == "SCO"]:
        pytest.skip("the curated registry has no SCO spells yet")
    rows = check_history("SCO", registry=Context(reg))
    assert {r.verdict for r in rows} <= {"conforming", "anomalous", "undecidable"}
    founders = [r for r in rows if r.date.startswith("2001-06")]
    assert founders and {r.verdict for r in founders} == {"undecidable"}
    mng = [r for r in rows if r.actor == "MNG" and r.change.endswith("-> observer")]
    assert mng and mng[0].verdict == "conforming"
