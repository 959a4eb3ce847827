"""Rights of each status before and after each rulebook that changes them."""

from __future__ import annotations

from typing import Any

import pytest

from scomodel.charter.context import Context
from scomodel.charter.rights import rights, rights_for_status


def row(status: str, on: str, body: str, **kw: Any) -> dict[str, Any]:
    rows = {r.body: r.to_dict() for r in rights_for_status(status, "SCO", on, **kw)}
    return rows[body]


@pytest.mark.parametrize(
    ("status", "body", "field", "before", "after", "value", "rule"),
    [
        ("guest", "CMFA", "attend", "2002-11-22", "2002-11-23", True, "G2-rights"),
        ("guest", "CMFA", "sign", "2002-11-22", "2002-11-23", False, "G2-rights"),
        ("member", "CHS", "vote", "2003-09-18", "2003-09-19", True, "R16-members-decide"),
        ("member", "RATS", "attend", "2003-09-18", "2003-09-19", True, "R16-members-decide"),
        ("observer", "CHS", "vote", "2003-09-18", "2003-09-19", False, "R16-others-do-not-decide"),
        ("observer", "CHS", "attend", "2004-06-16", "2004-06-17", True, "O6-summits"),
        ("observer", "CHG", "attend", "2004-06-16", "2004-06-17", True, "O6-summits"),
        ("observer", "MIN_*", "attend", "2015-07-09", "2015-07-10", True, "O6-ministers"),
        ("dialogue_partner", "MIN_*", "sign", "2008-08-27", "2008-08-28", False, "D5-ministers"),
        ("dialogue_partner", "CHS", "attend", "2008-08-27", "2008-08-28", False, "D5-no-summit"),
        ("partner", "CHS", "attend", "2025-08-31", "2025-09-01", True, "P5-rights"),
        (
            "applicant",
            "CMFA",
            "vote",
            "2003-09-18",
            "2003-09-19",
            False,
            "R16-others-do-not-decide",
        ),
        ("suspended", "CHS", "vote", "2003-09-18", "2003-09-19", False, "R13.3-suspended-rights"),
        ("expelled", "CHS", "vote", "2003-09-18", "2003-09-19", False, "R16-others-do-not-decide"),
        ("none", "CHG", "vote", "2003-09-18", "2003-09-19", False, "R16-others-do-not-decide"),
    ],
)
def test_rights_change_on_the_rulebook_date(
    status: str, body: str, field: str, before: str, after: str, value: bool, rule: str
) -> None:
    old, new = row(status, before, body), row(status, after, body)
    assert old[field] is None
    assert new[field] is value
    assert rule in new["by"][field]


def test_no_rule_says_gives_null_not_false() -> None:
    r = row("observer", "2006-01-01", "RATS")
    assert r["attend"] is None and r["speak"] is None and r["vote"] is False


def test_unverified_rights_are_marked() -> None:
    assert row("observer", "2006-01-01", "CMFA")["verification"] == "unverified"  # O7
    assert row("partner", "2025-10-01", "CHG")["verification"] == "unverified"
    assert row("observer", "2006-01-01", "CHG")["by"]["attend"] == "O6-summits (verified)"


def test_dialogue_partner_rights_follow_the_memorandum_fields() -> None:
    rows = {
        r.body: r
        for r in rights_for_status(
            "dialogue_partner", "SCO", "2011", memorandum_fields=["economy", "narcotics"]
        )
    }
    assert rows["MIN_ECONOMY"].attend is True and rows["MIN_NARCOTICS"].attend is True
    assert rows["MIN_*"].attend is False  # other fields
    assert rows["MIN_ECONOMY"].vote is False


def test_unknown_memorandum_fields_leave_ministerial_attendance_unknown() -> None:
    r = row("dialogue_partner", "2011-01-01", "MIN_*")
    assert r["attend"] is None and "not recorded" in r["condition"]


def test_rights_of_a_recorded_actor(ctx: Context) -> None:
    mng = {r.body: r for r in rights("MNG", "SCO", "2006-01-01", registry=ctx)}
    assert mng["CHS"].status == "observer" and mng["CHS"].attend is True
    blr = {r.body: r for r in rights("BLR", "SCO", "2011-01-01", registry=ctx)}
    assert blr["MIN_NARCOTICS"].attend is True  # masuda2011 fn 36
    assert (
        blr["MIN_ENERGY"].attend is False if "MIN_ENERGY" in blr else blr["MIN_*"].attend is False
    )
    usa = rights("USA", "SCO", "2006-01-01", registry=ctx)
    assert {r.status for r in usa} == {"none"}
    assert all(r.vote is False for r in usa)
    chn = {r.body: r for r in rights("CHN", "SCO", "2006-01-01", registry=ctx)}
    assert chn["CMFA"].vote is True and chn["CMFA"].sign is True
