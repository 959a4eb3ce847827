"""The traces of the charter's answers: eligibility, rights, decisions, proceedings and
the history check, each naming the spells it read, the rules it applied (with their
dates and rulebook versions) and the sources of both.

The answering functions call these when given ``trace=``; the answer itself is computed
first and never changes because a trace was asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from scomodel.charter.context import Context
from scomodel.charter.engine import RuleSet
from scomodel.charter.explain import (
    cited_rule_node,
    rulebooks_node,
    source_titles,
    spell_node,
)
from scomodel.trace import Node

__all__ = ["eligibility_trace", "rights_trace", "decision_trace", "check_trace",
           "outcome_trace", "spells_read", "history_trace"]

#: Criterion tests that read the registry's spells (the rest read facts or nothing).
_READS_SPELLS = ("not_holding", "holds_one_of")


def spells_read(parent: Node, ctx: Context, actor: str, org: str, day: dt.date,
                titles: dict[str, str]) -> Node:
    """The spells of ``actor`` in ``org`` the registry holds on ``day`` (what a status
    criterion, or a rights answer, was read from)."""
    rows = ctx.registry.status(actor, org, day.isoformat())
    node = parent.add("step", f"registry:{actor}:{org}:{day.isoformat()}",
                      f"spells of {actor} in {org} on {day.isoformat()}: "
                      f"{', '.join(sorted({r.status for r in rows})) or 'none recorded'}")
    for row in rows:
        spell_node(node, row, titles)
    return node


def eligibility_trace(trace: Node, ruleset: RuleSet, ctx: Context, actor: str,
                      criteria: Iterable[Any]) -> None:
    """Each criterion as a step: its result, the rule behind it, what it read."""
    titles = source_titles(ctx.registry)
    rulebooks_node(trace, ruleset, titles)
    for c in criteria:
        step = trace.add("step", c.criterion, c.why, result=c.result, verification=c.verification)
        cited_rule_node(step, ruleset, c.rule, titles)
        found = ruleset.get(c.rule) if c.rule else None
        test = getattr(found.rule, "test", None) if found else None
        if test in _READS_SPELLS:
            spells_read(step, ctx, actor, ruleset.org, ruleset.day, titles)
        elif test == "no_unsc_sanctions":
            under, why, fact = ctx.sanctions(actor, ruleset.day)
            step.add("fact", f"unsc-sanctions:{actor}", why, start=(fact or {}).get("start"),
                     end=(fact or {}).get("end"), result=under,
                     verification=(fact or {}).get("verification")).sources(
                (fact or {}).get("sources"), titles)


def rights_trace(trace: Node, ruleset: RuleSet, ctx: Context | None, actor: str | None,
                 rows: Iterable[Any]) -> None:
    """The status each row is for (read from the registry), and the rules behind each
    field of each row."""
    titles = source_titles(ctx.registry) if ctx is not None else {}
    rulebooks_node(trace, ruleset, titles)
    if ctx is not None and actor is not None:
        spells_read(trace, ctx, actor, ruleset.org, ruleset.day, titles)
    for row in rows:
        step = trace.add("step", f"{row.status}:{row.body}",
                         ", ".join(f"{k}={getattr(row, k)}" for k in ("attend", "speak", "vote",
                                                                     "sign")),
                         verification=row.verification, condition=row.condition)
        ids = dict.fromkeys(v.split(" (")[0] for v in row.by.values())
        for rid in ids:
            fields = [k for k, v in row.by.items() if v.split(" (")[0] == rid]
            cited_rule_node(step, ruleset, rid, titles, fields=", ".join(fields))


def decision_trace(trace: Node, ruleset: RuleSet, ctx: Context, answer: dict[str, Any]) -> None:
    """The decision rule applied (by body and matter), the members it counted (spells)
    and whose objections counted."""
    titles = source_titles(ctx.registry)
    rulebooks_node(trace, ruleset, titles)
    rule = answer.get("rule") or {}
    node = trace.add("decision", f"{answer['org']}:{answer['matter']}:{answer.get('body') or '*'}",
                     f"{answer['kind']} decides {answer['matter']} matters"
                     + (f" in {answer['body']}" if answer.get("body") else ""),
                     result=answer.get("passes"), counted=", ".join(answer["counted"]) or None,
                     ignored=", ".join(answer.get("ignored") or []) or None,
                     opt_outs=", ".join(answer.get("opt_outs") or []) or None)
    cited_rule_node(node, ruleset, rule.get("id"), titles)
    members = node.add("step", f"members:{answer['org']}:{ruleset.day.isoformat()}",
                       f"{len(answer['members'])} members on {ruleset.day.isoformat()}")
    for row in ctx.registry.members(answer["org"], ruleset.day.isoformat(), "member"):
        spell_node(members, row, titles)


def check_trace(trace: Node, check: Any, spell: Any, ruleset: RuleSet | None,
                titles: dict[str, str]) -> None:
    """One checked change: the spell it reads, the rule it was judged by (as in force on
    its date) and the verdict."""
    step = trace.add("step", f"{check.actor}:{check.change}:{check.date}", check.why,
                     verdict=check.verdict, verification=check.verification)
    spell_node(step, spell, titles)
    if ruleset is not None:
        cited_rule_node(step, ruleset, check.rule, titles)


def outcome_trace(trace: Node, ruleset: RuleSet, ctx: Context, outcome: Any) -> None:
    """Each step of a proceeding with the rule it was checked against, and the members
    whose objections the decisions counted."""
    titles = source_titles(ctx.registry)
    rulebooks_node(trace, ruleset, titles)
    for s in outcome.steps:
        step = trace.add("step", s.step, s.reason, ok=s.ok, verification=s.verification)
        for rid in [r.strip() for r in (s.rule or "").split(",") if r.strip()]:
            cited_rule_node(step, ruleset, rid, titles)
    decided = trace.add("decision", f"{outcome.applicant}:{outcome.status}",
                        f"granted = {outcome.granted}", result=outcome.granted)
    members = decided.add("step", f"members:{ruleset.org}:{ruleset.day.isoformat()}",
                          f"members whose objections count on {ruleset.day.isoformat()}")
    for row in ctx.registry.members(ruleset.org, ruleset.day.isoformat(), "member"):
        spell_node(members, row, titles)


def history_trace(trace: Node, ctx: Context, org: str, extra: list[Any],
                  checked: list[tuple[Any, Any]]) -> None:
    """Every checked change of ``org`` (check and the spell as recorded), each judged by
    the rules in force on its own date."""
    from scomodel.charter.engine import rules_in_force
    from scomodel.dates import PartialDate
    from scomodel.errors import NotFoundError

    titles = source_titles(ctx.registry)
    for check, spell in checked:
        try:
            ruleset: RuleSet | None = rules_in_force(org, PartialDate(check.date).first,
                                                     extra=extra)
        except NotFoundError:
            ruleset = None
        check_trace(trace, check, spell, ruleset, titles)
