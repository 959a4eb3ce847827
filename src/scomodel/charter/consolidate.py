"""The rulebook in force as a whole, and what changed between two days.

A point-in-time consolidation is what a treaty office publishes: the text as it stood on
one day, every amendment worked in. Here it is the set of rules the engine selects for
that day, each with the rulebook (version) it comes from, its article, the first day it
applied and its source; the difference of two consolidations is what was added, removed
(or replaced, naming the rule that replaced it) and amended (same rule id, another
rulebook or other content) in between.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scomodel.charter.describe import describe
from scomodel.charter.engine import InForce, RuleSet, day_of, rules_in_force
from scomodel.charter.model import Rulebook
from scomodel.errors import InputError

__all__ = ["consolidated", "rule_entry", "diff_rules", "CHANGES"]

#: The kinds of change ``rules --diff`` reports.
CHANGES: tuple[str, ...] = ("added", "removed", "amended")
#: What an amendment may change without being one: bookkeeping, not content.
_NOT_CONTENT = {"sources", "note"}


def rule_entry(x: InForce) -> dict[str, Any]:
    """One rule of a consolidation: where it comes from, since when, what it says."""
    book, rule = x.book, x.rule
    start = max(book.in_force, rule.valid_from or book.in_force)
    return {
        "id": rule.id,
        "kind": rule.kind,  # type: ignore[attr-defined]
        "rulebook": book.id,
        "document": rule.document or book.document,
        "article": rule.article,
        "in_force": start,
        "until": rule.valid_until,
        "verification": rule.verification,
        "whatif": book.whatif,
        "summary": describe(rule),
        "replaces": list(rule.replaces),
        "sources": [r.model_dump(exclude_none=True, exclude_defaults=True) for r in rule.sources],
    }


def consolidated(org: str, on: object, *, rules: Iterable[Rulebook] = ()) -> dict[str, Any]:
    """Every rule of ``org`` in force on ``on``, with the rulebooks they come from."""
    rs = rules_in_force(org, on, extra=list(rules))
    return {
        "org": rs.org,
        "on": rs.day.isoformat(),
        "rulebooks": [
            {"id": b.id, "title": b.title, "document": b.document, "in_force": b.in_force,
             "verification": b.verification, "whatif": b.whatif,
             "sources": [r.model_dump(exclude_none=True, exclude_defaults=True) for r in b.sources]}
            for b in rs.books
        ],
        "rules": [rule_entry(x) for x in rs.rules],
        "replaced": [
            {"id": rid, "rulebook": old.book.id, "replaced_by": new.rule.id,
             "by_rulebook": new.book.id}
            for rid, (old, new) in rs.dropped.items()
        ],
    }


def _content(x: InForce) -> dict[str, Any]:
    dumped = x.rule.model_dump(by_alias=True)
    return {k: v for k, v in dumped.items() if k not in _NOT_CONTENT}


def _removed_why(rid: str, later: RuleSet) -> str:
    if rid in later.dropped:
        _, new = later.dropped[rid]
        return f"replaced by {new.rule.id} ({new.book.id}, in force {new.book.in_force})"
    return f"no longer in force on {later.day.isoformat()}"


def diff_rules(
    org: str, before: object, after: object, *, rules: Iterable[Rulebook] = ()
) -> list[dict[str, Any]]:
    """What changed in ``org``'s rules in force between two days, rule by rule."""
    first, second = day_of(before, "before"), day_of(after, "after")
    if second < first:
        raise InputError(
            f"the second day ({second}) is before the first ({first}): give the earlier first",
            field="diff",
        )
    extra = list(rules)
    a, b = rules_in_force(org, first, extra=extra), rules_in_force(org, second, extra=extra)
    was = {x.rule.id: x for x in a.rules}
    now = {x.rule.id: x for x in b.rules}
    rows: list[dict[str, Any]] = []
    for rid in [*was, *(r for r in now if r not in was)]:
        old, new = was.get(rid), now.get(rid)
        if old is None and new is not None:
            change, why = "added", f"in force from {rule_entry(new)['in_force']} ({new.book.id})"
        elif new is None and old is not None:
            change, why = "removed", _removed_why(rid, b)
        elif old is not None and new is not None and (
            old.book.id != new.book.id or _content(old) != _content(new)
        ):
            fields = sorted(k for k in {*_content(old), *_content(new)}
                            if _content(old).get(k) != _content(new).get(k))
            change = "amended"
            why = f"{old.book.id} -> {new.book.id}" + (f"; changed: {', '.join(fields)}"
                                                       if fields else "")
        else:
            continue
        entry = rule_entry(new or old)  # type: ignore[arg-type]
        rows.append({
            "change": change, "rule": rid, "kind": entry["kind"],
            "before": rule_entry(old)["rulebook"] if old else None,
            "after": rule_entry(new)["rulebook"] if new else None,
            "article": entry["article"], "summary": entry["summary"], "why": why,
            "sources": entry["sources"],
        })
    order = {c: i for i, c in enumerate(CHANGES)}
    return sorted(rows, key=lambda r: (order[r["change"]], r["rule"]))
