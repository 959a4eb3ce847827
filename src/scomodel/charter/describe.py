"""One line per rule for tables: what the rule does, in the model's own words."""

from __future__ import annotations

from typing import Any

from scomodel.charter.engine import RuleSet
from scomodel.charter.model import (
    BodyRule,
    CriterionRule,
    DecisionRuleSpec,
    ProvisionRule,
    RightRule,
    Rule,
    StepRule,
    TransitionRule,
)

__all__ = ["describe", "rule_rows"]


def _flags(rule: RightRule) -> str:
    parts = [
        f"{name}={'yes' if v else 'no'}"
        for name in ("attend", "speak", "vote", "sign")
        if (v := getattr(rule, name)) is not None
    ]
    return ", ".join(parts)


def describe(rule: Rule) -> str:
    """A short paraphrase of what the rule does."""
    if isinstance(rule, BodyRule):
        return f"{rule.body}: {rule.role}"
    if isinstance(rule, DecisionRuleSpec):
        how = rule.method.replace("_", " ") + (
            f" (threshold {rule.threshold:g})" if rule.threshold else ""
        )
        return f"decisions on {rule.matter} matters: {how}"
    if isinstance(rule, StepRule):
        who = []
        if rule.signed_by:
            who.append("signed by " + " or ".join(rule.signed_by))
        if rule.addressed_to:
            who.append("to " + " or ".join(rule.addressed_to))
        if rule.body:
            who.append("by " + rule.body)
        if rule.requires:
            who.append("must be " + " and ".join(rule.requires))
        opt = " (optional)" if rule.optional else ""
        return f"{rule.status} procedure, step {rule.order}: {rule.step}{opt} " + ", ".join(who)
    if isinstance(rule, CriterionRule):
        return f"{rule.status} criterion: {rule.criterion}"
    if isinstance(rule, RightRule):
        return f"{'/'.join(rule.statuses)} in {', '.join(rule.bodies)}: {_flags(rule)}" + (
            f" ({rule.condition})" if rule.condition else ""
        )
    if isinstance(rule, TransitionRule):
        by = rule.decided_by or "unknown"
        return f"{rule.source_state} -> {rule.target_state}: {rule.trigger}; decided by {by}"
    if isinstance(rule, ProvisionRule):
        return rule.text
    return rule.id


def rule_rows(ruleset: RuleSet) -> list[dict[str, Any]]:
    """Rules in force as table rows, unverified ones visibly marked."""
    rows = []
    for x in ruleset.rules:
        mark = {"verified": "", "secondary": "~ ", "unverified": "UNVERIFIED "}[x.rule.verification]
        rows.append(
            {
                "rule": x.rule.id,
                "kind": x.rule.kind,  # type: ignore[attr-defined]
                "rulebook": x.book.id,
                "in_force": x.book.in_force,
                "document": x.rule.document or x.book.document,
                "article": x.rule.article,
                "verification": x.rule.verification,
                "summary": mark + describe(x.rule),
                "whatif": x.book.whatif,
                "sources": [r.model_dump() for r in x.rule.sources],
            }
        )
    return rows
