"""Could this actor seek this status on this day, and by which rules?

Each criterion answers true, false or null. Null means the registry cannot know (a
judgement left to the deciding body, a fact nobody recorded): it is never turned into a
guess. A criterion from an unverified rule can make the answer null but not false.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from scomodel.charter.context import Context, open_context
from scomodel.charter.engine import RuleSet, cite, day_of, rules_in_force
from scomodel.charter.model import CriterionRule, Rulebook, StepRule
from scomodel.trace import Node

__all__ = [
    "Applicable",
    "Criterion",
    "Eligibility",
    "eligible",
    "assess",
    "APPLICABLE",
    "procedure_criterion",
]

#: Statuses one can apply for (or be moved to) through a procedure.
Applicable = Literal[
    "guest",
    "observer",
    "dialogue_partner",
    "applicant",
    "member",
    "suspended",
    "partner",
]
APPLICABLE: tuple[str, ...] = get_args(Applicable)


@dataclass(frozen=True)
class Criterion:
    criterion: str
    result: bool | None
    rule: str | None
    why: str
    verification: str | None = None
    citation: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "result": self.result,
            "rule": self.rule,
            "why": self.why,
            "verification": self.verification,
        }


@dataclass(frozen=True)
class Eligibility:
    actor: str
    org: str
    status: str
    on: str
    eligible: bool | None
    criteria: list[Criterion] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "org": self.org,
            "status": self.status,
            "on": self.on,
            "eligible": self.eligible,
            "criteria": [c.to_dict() for c in self.criteria],
        }


def check_status(status: str) -> str:
    from scomodel.inputs import check_choice

    return check_choice(status, APPLICABLE, field="status")


def procedure_criterion(
    ruleset: RuleSet, status: str
) -> tuple[Criterion, list[tuple[Rulebook, StepRule]]]:
    """Whether any rulebook in force sets a procedure for ``status``."""
    steps = ruleset.steps(status)
    day = ruleset.day.isoformat()
    if steps:
        books = sorted({b.document for b, _ in steps})
        book, first = steps[0]
        weakest = _weakest(r.verification for _, r in steps)
        return Criterion(
            "a rulebook in force sets a procedure for this status",
            True,
            first.id,
            f"procedure set by {', '.join(books)} (steps: {', '.join(r.step for _, r in steps)})",
            weakest,
            cite(book, first),
        ), steps
    why = f"no rulebook in force on {day} sets a procedure for {status}"
    rule_id, citation, verification = None, None, None
    deferred = ruleset.deferral(status)
    gone = [
        (old, new)
        for old, new in ruleset.dropped.values()
        if isinstance(old.rule, StepRule) and old.rule.status == status
    ]
    if gone:
        old, new = gone[0]
        rule_id, citation, verification = new.rule.id, new.cite(), new.rule.verification
        why += (
            f"; {new.book.document} ({new.rule.id}, {new.rule.verification}) ended the earlier one"
        )
    elif deferred:
        book, provision = deferred
        rule_id, citation, verification = (
            provision.id,
            cite(book, provision),
            provision.verification,
        )
        why += (
            f"; {book.document} {provision.article or ''} leaves it to a later agreement".replace(
                "  ", " "
            )
        )
    later = [
        b
        for b in ruleset.upcoming
        if any(isinstance(r, StepRule) and r.status == status for r in b.rules)
    ]
    if later:
        why += f"; the {later[0].document} set one from {later[0].in_force}"
    if not ruleset.books:
        why += "; no SCO rulebook was in force yet (the Charter took effect on 2003-09-19)"
    return Criterion(
        "a rulebook in force sets a procedure for this status",
        False,
        rule_id,
        why,
        verification,
        citation,
    ), []


_RANK = {"verified": 0, "secondary": 1, "unverified": 2}


def _weakest(marks: Iterable[str]) -> str:
    return max(marks, key=lambda m: _RANK.get(m, 3), default="verified")


def _evaluate(
    rule: CriterionRule, ctx: Context, actor: str, org: str, day: dt.date
) -> tuple[bool | None, str]:
    if rule.test == "actor_kind":
        kind = ctx.actor(actor).kind
        kinds = list(rule.params.get("kinds", []))
        return kind in kinds, f"{actor} is {'a state' if kind == 'state' else 'an organization'}"
    if rule.test in ("not_holding", "holds_one_of"):
        wanted = set(rule.params.get("statuses", []))
        held = ctx.statuses(actor, org, day)
        hit = sorted(wanted & set(held))
        shown = ", ".join(held) or "no status"
        if rule.test == "not_holding":
            return (not hit), f"the registry records {shown} for {actor} in {org} on {day}"
        if hit:
            return True, f"the registry records {', '.join(hit)} for {actor} in {org} on {day}"
        if rule.params.get("unrecorded_is_unknown"):
            return None, (
                f"the registry records {shown} for {actor} on {day}; "
                f"the {'/'.join(sorted(wanted))} phase may simply be unrecorded"
            )
        return False, f"the registry records {shown} for {actor} in {org} on {day}"
    if rule.test == "no_unsc_sanctions":
        under, why, _ = ctx.sanctions(actor, day)
        return (None if under is None else not under), why
    return None, "a judgement left to the deciding body; the registry records no such fact"


def assess(ruleset: RuleSet, ctx: Context, actor: str, status: str) -> list[Criterion]:
    """The procedure criterion, then every criterion rule for ``status`` in force."""
    out = [procedure_criterion(ruleset, status)[0]]
    for book, rule in ruleset.criteria(status):
        result, why = _evaluate(rule, ctx, actor, ruleset.org, ruleset.day)
        mark: str = rule.verification
        if rule.test == "no_unsc_sanctions":  # the fact's mark counts as much as the rule's
            fact = ctx.sanctions(actor, ruleset.day)[2]
            mark = _weakest([mark, fact["verification"]]) if fact else mark
        if mark != "verified":
            why += f" [{mark}]"
        out.append(Criterion(rule.criterion, result, rule.id, why, mark, cite(book, rule)))
    return out


def verdict(criteria: Iterable[Criterion]) -> bool | None:
    """False if a sourced rule fails; null if a fact is unknown or only an unverified rule fails."""
    items = list(criteria)
    if any(c.result is False and c.verification != "unverified" for c in items):
        return False
    if any(c.result is not True for c in items):
        return None
    return True


def eligible(
    actor: str,
    org: str,
    status: str,
    on: object,
    *,
    registry: str | Context | None = None,
    rules: Iterable[Rulebook] = (),
    trace: Node | None = None,
) -> Eligibility:
    """Whether ``actor`` may seek ``status`` in ``org`` on ``on``, criterion by criterion.

    ``trace``: a trace to fill with the criteria, their rules and what they read."""
    check_status(status)
    ctx = registry if isinstance(registry, Context) else open_context(registry)
    code = ctx.actor(actor).code
    ruleset = rules_in_force(org, day_of(on), extra=rules)
    criteria = assess(ruleset, ctx, code, status)
    if trace is not None:
        from scomodel.charter.explain_answers import eligibility_trace

        eligibility_trace(trace, ruleset, ctx, code, criteria)
    return Eligibility(
        code, ruleset.org, status, ruleset.day.isoformat(), verdict(criteria), criteria
    )
