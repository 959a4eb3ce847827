"""Who started a change and how much notice it had: two checks the status machine alone
cannot make.

A withdrawal rule that needs months of written notice (CIS Charter Art. 9: twelve; the
CSTO's six) is kept only if the record dates the notice and the exit far enough apart.
A suspension that the rules make a measure of the organization against a member
(``initiated_by: body``: the CSTO's 2004 regulation, the OSCE's consensus minus one) is
broken when the record shows the member asking for it, as Uzbekistan did in 2012.
Both read the spell's dated ``events`` (and those of the spell it follows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from scomodel.charter.engine import rules_in_force
from scomodel.charter.model import Rulebook, TransitionRule
from scomodel.dates import PartialDate
from scomodel.registry import SpellRow

__all__ = ["entry_breach", "exit_breach", "NOTICE_EVENTS", "REQUEST_EVENTS"]

#: Event kinds that are a member's written notice of withdrawal.
NOTICE_EVENTS = ("notification", "notice", "withdrawal_notice")
#: Event kinds that are the member's own request.
REQUEST_EVENTS = ("request", "application", *NOTICE_EVENTS)
Verdict = tuple[str, str | None, str, str | None]


def _months_between(a: dt.date, b: dt.date) -> float:
    return (b.year - a.year) * 12 + (b.month - a.month) + (b.day - a.day) / 31


def _events(*spells: SpellRow | None) -> list[tuple[str, PartialDate]]:
    out = []
    for spell in spells:
        for e in spell.events if spell else []:
            if e.get("date"):
                out.append((str(e.get("kind")), PartialDate(str(e["date"]))))
    return out


def entry_breach(
    spell: SpellRow, prev: SpellRow | None, org: str, extra: Iterable[Rulebook]
) -> Verdict | None:
    """A change into ``spell.status`` that only the organization may start, started by the
    member (anomalous), or with no decision on record (undecidable); else ``None``."""
    before = prev.status if prev else "none"
    day = PartialDate(spell.start).first
    ruleset = rules_in_force(org, day, extra=list(extra))
    found = [
        t
        for _, t in ruleset.transitions()
        if t.source_state == before and t.target_state == spell.status and t.initiated_by
    ]
    if not found or found[0].initiated_by != "body":
        return None
    rule = found[0]
    events = _events(spell, prev)
    asked = [(k, d) for k, d in events if k in REQUEST_EVENTS and d.first <= day]
    decided = [(k, d) for k, d in events if k == "decision"]
    if asked:
        kind, when = asked[0]
        exits = [
            t for _, t in ruleset.transitions()
            if t.source_state == before and t.initiated_by == "member"
        ]
        route = (
            f"; the rules' way out for a member is {exits[0].id} ({exits[0].trigger})"
            if exits
            else ""
        )
        return (
            "anomalous",
            rule.id,
            f"{rule.id}: {spell.status} is a measure {rule.decided_by} takes against a member "
            f"({rule.trigger}); here the member asked for it ({kind} {when}){route}",
            rule.verification,
        )
    if not decided:
        return (
            "undecidable",
            rule.id,
            f"{rule.id}: only {rule.decided_by} can make this change, and the record has no "
            f"{rule.decided_by} decision (add a dated 'decision' event)",
            rule.verification,
        )
    return None


def exit_breach(spell: SpellRow, org: str, extra: Iterable[Rulebook]) -> Verdict | None:
    """An exit under a rule that needs notice, checked against the recorded notice."""
    assert spell.end is not None
    end = PartialDate(spell.end).first
    ruleset = rules_in_force(org, end, extra=list(extra))
    rules: list[TransitionRule] = [
        t
        for _, t in ruleset.transitions()
        if t.source_state == spell.status and t.notice_months is not None
    ]
    if not rules:
        return None
    rule = rules[0]
    others = [
        t for _, t in ruleset.transitions()
        if t.source_state == spell.status and t.decided_by == "expiry"
    ]
    notices = [d for k, d in _events(spell) if k in NOTICE_EVENTS]
    if not notices:
        if others:
            return None  # an exit on expiry needs no notice
        return (
            "undecidable",
            rule.id,
            f"{rule.id} needs written notice {rule.notice_months} months ahead and the record "
            "dates none (add a dated 'notification' event)",
            rule.verification,
        )
    when = notices[0]
    months = _months_between(when.last, end)
    if months + 1e-9 < (rule.notice_months or 0):
        return (
            "anomalous",
            rule.id,
            f"{rule.id}: notice of {when} and exit on {spell.end} are {months:.1f} months apart; "
            f"the rule needs {rule.notice_months}",
            rule.verification,
        )
    return (
        "conforming",
        rule.id,
        f"{rule.id}: notice {when}, exit {spell.end} ({months:.1f} months; "
        f"{rule.notice_months} needed)",
        rule.verification,
    )
