"""What a status entitles its holder to, body by body, and which rule says so.

Every field is true, false or null; null means no rule in force says, which is common
(the regulations are silent on many bodies) and must not be read as "no". A dialogue
partner's ministerial rights depend on the fields of its memorandum, so those rows are
expanded field by field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scomodel.charter.context import Context, open_context
from scomodel.charter.engine import RuleSet, day_of, rules_in_force
from scomodel.charter.model import STATES, RightRule, Rulebook
from scomodel.trace import Node

__all__ = ["RightsRow", "rights_for_status", "rights", "BODIES"]

#: The bodies rows are given for, in the Charter's order; MIN_* is any ministerial meeting.
BODIES = ("CHS", "CHG", "CMFA", "MIN_*", "CNC", "RATS", "SECRETARIAT")
FIELDS = ("attend", "speak", "vote", "sign")
_RANK = {"verified": 0, "secondary": 1, "unverified": 2}


@dataclass
class RightsRow:
    status: str
    body: str
    attend: bool | None = None
    speak: bool | None = None
    vote: bool | None = None
    sign: bool | None = None
    rule: str | None = None
    by: dict[str, str] = field(default_factory=dict)
    verification: str | None = None
    condition: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "body": self.body,
            "attend": self.attend,
            "speak": self.speak,
            "vote": self.vote,
            "sign": self.sign,
            "rule": self.rule,
            "by": self.by,
            "verification": self.verification,
            "condition": self.condition,
        }


def _matches(rule_body: str, body: str) -> bool:
    return (
        rule_body == "*" or rule_body == body or (rule_body == "MIN_*" and body.startswith("MIN_"))
    )


def _apply(row: RightsRow, book: Rulebook, rule: RightRule) -> None:
    touched = False
    for name in FIELDS:
        value = getattr(rule, name)
        if value is not None:
            setattr(row, name, value)
            row.by[name] = f"{rule.id} ({rule.verification})"
            touched = True
    if not touched:
        return
    ids = list(dict.fromkeys(v.split(" (")[0] for v in row.by.values()))
    row.rule = ", ".join(ids)
    if row.verification is None or _RANK[rule.verification] > _RANK.get(row.verification, 0):
        row.verification = rule.verification
    if rule.condition:
        row.condition = f"{row.condition}; {rule.condition}" if row.condition else rule.condition


def _bodies_for(ruleset: RuleSet, status: str, memo_fields: list[str] | None) -> list[str]:
    if ruleset.org != "SCO":  # the other organizations: the bodies their rules set up
        return list(dict.fromkeys(ruleset.bodies())) or ["*"]
    bodies = list(BODIES)
    memo = any(r.memorandum_fields_only and status in r.statuses for _, r in ruleset.rights())
    if memo and memo_fields:
        i = bodies.index("MIN_*")
        bodies[i : i + 1] = [f"MIN_{f.upper()}" for f in memo_fields] + ["MIN_*"]
    return bodies


def rights_for_status(
    status: str,
    org: str,
    on: object,
    *,
    memorandum_fields: list[str] | None = None,
    rules: Iterable[Rulebook] = (),
    ruleset: RuleSet | None = None,
) -> list[RightsRow]:
    """Rights of any holder of ``status`` on ``on`` (a dialogue partner's by its fields)."""
    from scomodel.inputs import check_choice

    check_choice(status, STATES, field="status")
    ruleset = ruleset or rules_in_force(
        org, on if isinstance(on, dt.date) else day_of(on), extra=rules
    )
    rows = []
    for body in _bodies_for(ruleset, status, memorandum_fields):
        row = RightsRow(status, body)
        for book, rule in ruleset.rights():
            if status not in rule.statuses or not any(_matches(b, body) for b in rule.bodies):
                continue
            if rule.memorandum_fields_only and body == "MIN_*" and memorandum_fields is not None:
                outside = {"attend": False, "speak": None, "sign": None}
                rule = rule.model_copy(
                    update={**outside, "condition": "fields outside the memorandum"}
                )
            elif rule.memorandum_fields_only and body == "MIN_*":
                note = f"{rule.condition}; the memorandum's fields are not recorded"
                rule = rule.model_copy(update={"attend": None, "speak": None, "condition": note})
            _apply(row, book, rule)
        if row.rule is None:
            row.condition = (
                "no rule in force says" if ruleset.books else "no SCO rulebook in force yet"
            )
        rows.append(row)
    return rows


def rights(
    actor: str,
    org: str,
    on: object,
    *,
    status: str | None = None,
    registry: str | Context | None = None,
    rules: Iterable[Rulebook] = (),
    trace: Node | None = None,
) -> list[RightsRow]:
    """Rights of ``actor`` by the status the registry records on ``on`` (or ``status``);
    ``trace`` is filled with the spells read and the rules behind every field."""
    ctx = registry if isinstance(registry, Context) else open_context(registry)
    code = ctx.actor(actor).code
    day = day_of(on)
    ruleset = rules_in_force(org, day, extra=rules)
    if status is not None:  # what a user asks about must be a status the rules know
        from scomodel.inputs import check_choice

        check_choice(status, STATES, field="status")
    statuses = [status] if status else (ctx.statuses(code, ruleset.org, day) or ["none"])
    out: list[RightsRow] = []
    for st in statuses:
        if st not in STATES:  # a registry status no rulebook knows (CSTO "frozen")
            out.append(RightsRow(st, "*", condition=f"no rule of {ruleset.org} knows the "
                                 f"status {st!r}: the rules in force say nothing about it"))
            continue
        memo_fields = None
        if st == "dialogue_partner":
            memo = ctx.memorandum(code, ruleset.org)
            memo_fields = memo["fields"] if memo else None
        out.extend(
            rights_for_status(st, ruleset.org, day, memorandum_fields=memo_fields, ruleset=ruleset)
        )
    if trace is not None:
        from scomodel.charter.explain_answers import rights_trace

        rights_trace(trace, ruleset, ctx, None if status else code, out)
    return out
