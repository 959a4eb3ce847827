"""Eligibility: true, false or null per criterion; null is never turned into a guess."""

from __future__ import annotations

from typing import Any

import pytest

from scomodel.charter.context import Context
from scomodel.charter.eligibility import Eligibility, eligible
from scomodel.errors import InputError


def crit(result: Eligibility, rule: str) -> dict[str, Any]:
    return next(c for c in result.to_dict()["criteria"] if c["rule"] == rule)


def test_usa_dialogue_partner_2009_is_unknown_not_yes(ctx: Context) -> None:
    r = eligible("USA", "SCO", "dialogue_partner", "2009-06-01", registry=ctx)
    assert r.eligible is None
    assert crit(r, "D1-kind")["result"] is True
    assert crit(r, "D1-goals")["result"] is None and "judgement" in crit(r, "D1-goals")["why"]
    assert crit(r, "D1-not-already")["result"] is True
    assert r.criteria[0].result is True  # a procedure exists


def test_before_the_dp_regulations_there_is_no_procedure(ctx: Context) -> None:
    r = eligible("USA", "SCO", "dialogue_partner", "2008-08-27", registry=ctx)
    assert r.eligible is False
    first = r.criteria[0]
    assert first.result is False and first.rule == "R14"
    assert "2008-08-28" in first.why


def test_observer_before_the_charter_and_before_the_regulations(ctx: Context) -> None:
    early = eligible("USA", "SCO", "observer", "2003-06-01", registry=ctx)
    assert early.eligible is False and early.criteria[0].rule is None
    assert "2004-06-17" in early.criteria[0].why
    later = eligible("USA", "SCO", "observer", "2004-01-01", registry=ctx)
    assert later.eligible is False and later.criteria[0].rule == "R14"


def test_already_an_observer(ctx: Context) -> None:
    r = eligible("MNG", "SCO", "observer", "2006-01-01", registry=ctx)
    assert r.eligible is False and crit(r, "O1-not-already")["result"] is False


def test_an_organization_cannot_become_a_member_applicant(ctx: Context) -> None:
    r = eligible("NATO", "SCO", "applicant", "2012-01-01", registry=ctx)
    assert crit(r, "A1-state")["result"] is False
    assert r.eligible is False


def test_sanctions_criterion_uses_dated_facts_and_their_mark(ctx: Context) -> None:
    under = eligible("IRN", "SCO", "applicant", "2012-01-01", registry=ctx)
    c = crit(under, "A1-sanctions")
    assert c["result"] is False and c["verification"] == "unverified"
    assert under.eligible is None  # an unverified fact cannot make the answer "no"
    after = eligible("IRN", "SCO", "applicant", "2017-01-01", registry=ctx)
    assert crit(after, "A1-sanctions")["result"] is True
    clean = eligible("MNG", "SCO", "applicant", "2017-01-01", registry=ctx)
    c = crit(clean, "A1-sanctions")
    assert c["result"] is True and c["verification"] == "unverified"  # the list's own mark


def test_sanctions_unknown_without_a_complete_list(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from scomodel.charter import context, loader

    facts = replace(loader.charter_facts(), sanctions_complete=False)
    monkeypatch.setattr(context, "charter_facts", lambda: facts)
    unknown = eligible("MNG", "SCO", "applicant", "2017-01-01", registry=ctx)
    assert crit(unknown, "A1-sanctions")["result"] is None
    assert "not exhaustive" in crit(unknown, "A1-sanctions")["why"]


def test_unrecorded_applicant_phase_is_unknown(ctx: Context) -> None:
    r = eligible("IND", "SCO", "member", "2017-06-08", registry=ctx)
    assert crit(r, "A5-applicant")["result"] is None
    assert crit(r, "R13.1-state")["result"] is True


def test_partner_after_the_merger_is_marked_unverified(ctx: Context) -> None:
    r = eligible("USA", "SCO", "partner", "2025-10-01", registry=ctx)
    assert r.criteria[0].result is True and r.criteria[0].verification == "unverified"
    gone = eligible("USA", "SCO", "observer", "2025-10-01", registry=ctx)
    assert gone.criteria[0].result is False and gone.criteria[0].rule == "P0-closed"
    assert gone.criteria[0].verification == "unverified"
    assert gone.eligible is None  # only an unverified rule closes it: unknown, not "no"


def test_unknown_status_is_an_input_error(ctx: Context) -> None:
    with pytest.raises(InputError, match="unknown status"):
        eligible("USA", "SCO", "overlord", "2009", registry=ctx)
