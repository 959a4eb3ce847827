"""Trace nodes for the charter's answers: rules with their dates and versions, spells
with their sources, and the rules in force that bear on a status.

One module so that every answer names a rule, a spell or a rulebook the same way; the
functions that answer (eligibility, rights, decide...) call these when given a trace.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scomodel.charter.engine import RuleSet
from scomodel.charter.model import (
    CriterionRule,
    RightRule,
    Rule,
    Rulebook,
    StepRule,
    TransitionRule,
)
from scomodel.trace import Node

__all__ = [
    "rule_node",
    "cited_rule_node",
    "rulebooks_node",
    "spell_node",
    "status_rules",
    "source_titles",
]


def source_titles(registry: Any) -> dict[str, str]:
    """Source key -> title, from the registry's source list (empty if it has none)."""
    try:
        return {s["key"]: str(s.get("title") or "") for s in registry.sources()}
    except Exception:  # a registry without sources (fixtures): keys alone still cite
        return {}


def _effective(book: Rulebook, rule: Rule, ruleset: RuleSet | None) -> tuple[str, str | None]:
    """First day the rule applied, and first day it no longer does: its own
    ``valid_until``, else the day a later rulebook restates or replaces it (open if none)."""
    start = book.in_force
    if rule.valid_from and rule.valid_from > start:
        start = rule.valid_from
    if rule.valid_until or ruleset is None:
        return start, rule.valid_until
    later = [b.in_force for b in ruleset.upcoming
             if any(r.id == rule.id or rule.id in r.replaces for r in b.rules)]
    return start, min(later, default=None)


def rule_node(parent: Node, book: Rulebook, rule: Rule, titles: dict[str, str] | None = None,
              ruleset: RuleSet | None = None, **detail: Any) -> Node:
    """A rule with its rulebook (version), article, effective dates, mark and sources."""
    from scomodel.charter.describe import describe

    start, end = _effective(book, rule, ruleset)
    node = parent.add(
        "rule", rule.id, describe(rule), start=start, end=end, version=book.id,
        document=rule.document or book.document, article=rule.article,
        verification=rule.verification, whatif=book.whatif or None, **detail,
    )
    return node.sources([r.model_dump() for r in rule.sources], titles)


def cited_rule_node(parent: Node, ruleset: RuleSet, rule_id: str | None,
                    titles: dict[str, str] | None = None, **detail: Any) -> Node | None:
    """The rule ``rule_id`` as the rule set holds it (in force, or replaced that day)."""
    if not rule_id:
        return None
    found = ruleset.get(rule_id)
    if found is None:
        gone = ruleset.dropped.get(rule_id)
        if gone is None:
            return parent.add("rule", rule_id, "not in force on this day", **detail)
        found = gone[0]
        detail = {**detail, "replaced_by": gone[1].rule.id}
        node = rule_node(parent, found.book, found.rule, titles, None, **detail)
        if node.effective is not None:  # it stopped applying when its replacement began
            node.effective["until"] = max(gone[1].book.in_force,
                                          gone[1].rule.valid_from or gone[1].book.in_force)
        return node
    return rule_node(parent, found.book, found.rule, titles, ruleset, **detail)


def rulebooks_node(parent: Node, ruleset: RuleSet, titles: dict[str, str] | None = None) -> Node:
    """The rulebooks of the organization in force on the day (what the rules come from)."""
    node = parent.add("step", f"rules-in-force:{ruleset.org}:{ruleset.day.isoformat()}",
                      f"rulebooks of {ruleset.org} in force on {ruleset.day.isoformat()}")
    for book in ruleset.books:
        node.add("rulebook", book.id, book.title, start=book.in_force, version=book.id,
                 document=book.document, verification=book.verification,
                 whatif=book.whatif or None).sources(
            [r.model_dump() for r in book.sources], titles)
    if not ruleset.books:
        later = ", ".join(f"{b.id} ({b.in_force})" for b in ruleset.upcoming) or "none"
        node.add("rulebook", "none", f"no rulebook in force yet; later: {later}")
    return node


def _field(spell: Any, key: str, default: Any = None) -> Any:
    """A spell field, whether the spell is a registry row or its plain dict (the prebuilt
    index answers with dicts)."""
    if isinstance(spell, dict):
        return spell.get(key, default)
    return getattr(spell, key, default)


def spell_node(parent: Node, spell: Any, titles: dict[str, str] | None = None) -> Node:
    """A spell read from the registry: who held what, from when to when, from which
    dataset, citing which sources; its dated events as facts with their own sources."""
    org, actor, status, start = (_field(spell, k) for k in ("org", "actor", "status", "start"))
    kind = _field(spell, "kind", "standing")
    node = parent.add(
        "spell", f"{org}:{actor}:{status}:{start}",
        f"{_field(spell, 'name', actor)} {status} in {org} ({kind})",
        start=start, end=_field(spell, "end"), version=_field(spell, "dataset"),
        precision=_field(spell, "precision"), note=_field(spell, "note"),
    )
    node.sources(_field(spell, "sources", []), titles)
    for event in _field(spell, "events", []) or []:
        when = str(event.get("date") or "")
        node.add("fact", f"{event.get('kind')}:{when}", f"{event.get('kind')} on {when}",
                 start=when or None).sources(event.get("sources"), titles)
    return node


def _concerns(rule: Rule, statuses: set[str]) -> bool:
    if isinstance(rule, RightRule):
        return bool(statuses & set(rule.statuses))
    if isinstance(rule, (StepRule, CriterionRule)):
        return rule.status in statuses
    if isinstance(rule, TransitionRule):
        return rule.source_state in statuses or rule.target_state in statuses
    return False


def status_rules(parent: Node, ruleset: RuleSet, statuses: Iterable[str],
                 titles: dict[str, str] | None = None) -> Node:
    """The rules in force that bear on holders of ``statuses`` (in the rules' names):
    their rights, the procedures and criteria for them, the ways in and out."""
    wanted = set(statuses)
    node = parent.add("step", f"rules-for:{'+'.join(sorted(wanted))}",
                      f"{ruleset.org} rules in force on {ruleset.day.isoformat()} for "
                      f"{', '.join(sorted(wanted))}")
    found = [x for x in ruleset.rules if _concerns(x.rule, wanted)]
    for x in found:
        rule_node(node, x.book, x.rule, titles, ruleset)
    if not found:
        node.add("rule", "none", "no rule in force concerns this status")
    return node


def explain_spells(rows: Iterable[Any], org: str, on: object, question: str,
                   registry: Any = None) -> Node:
    """The trace of a registry answer (``members``, ``status``): the spells it read, with
    their sources and events, and the rules of the organization in force on the day for
    the statuses those spells hold (an observer's rights and the ways in and out, an
    acceding state's admission procedure), with their rulebooks and sources."""
    from scomodel.charter.context import charter_state
    from scomodel.charter.engine import ORGS, day_of, rules_in_force
    from scomodel.trace import new_trace

    rows = list(rows)
    titles = source_titles(registry) if registry is not None else {}
    root = new_trace(question, f"{len(rows)} spell(s) answer it")
    read = root.add("step", "registry", "spells the registry holds for the question")
    for row in rows:
        spell_node(read, row, titles)
    code = str(org).strip().upper()
    if registry is not None:
        try:
            code = registry.resolve_org(org)
        except Exception:  # the answer itself already said what is wrong with ``org``
            code = str(org).strip().upper()
    if code not in ORGS:
        root.add("rule", "none", f"no rulebooks of {code} are modelled (the charter part "
                 f"covers {', '.join(ORGS)}): the answer rests on the spells alone")
        return root
    ruleset = rules_in_force(code, day_of(on))
    rulebooks_node(root, ruleset, titles)
    held = sorted({charter_state(_field(r, 'status')) for r in rows})
    if held:
        status_rules(root, ruleset, held, titles)
    return root
