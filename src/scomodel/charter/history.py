"""Every recorded status change checked against the rules in force on its date.

Verdicts: ``conforming`` (a rule in force provides the change and no sourced criterion
fails), ``anomalous`` (a rule in force is broken, or the change happened before any rule
provided for it, while the Charter said one was needed), ``undecidable`` (no rulebook
yet, a date too coarse to know which rulebook applied, or a fact the record lacks).
Criteria about the applicant are read on the day before the change, with the rules in
force on the day of the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal, get_args

from scomodel.charter.context import Context, open_context
from scomodel.charter.eligibility import Criterion, assess
from scomodel.charter.engine import ORGS, RuleSet, rules_in_force
from scomodel.charter.lanes import followed, in_rules_terms, predecessor
from scomodel.charter.model import STATES, Rulebook
from scomodel.charter.notice import entry_breach, exit_breach
from scomodel.dates import PartialDate
from scomodel.errors import NotFoundError
from scomodel.registry import SpellRow
from scomodel.trace import Node

__all__ = ["Check", "check_history", "VERDICTS", "Verdict"]

Verdict = Literal["conforming", "anomalous", "undecidable"]
#: The verdicts a check can reach (``check-history --verdict``).
VERDICTS: tuple[str, ...] = get_args(Verdict)

_RANK = {"verified": 0, "secondary": 1, "unverified": 2}


@dataclass(frozen=True)
class Check:
    actor: str
    name: str
    change: str
    date: str
    precision: str
    verdict: str
    rule: str | None
    why: str
    verification: str | None
    sources: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "name": self.name,
            "change": self.change,
            "date": self.date,
            "precision": self.precision,
            "verdict": self.verdict,
            "rule": self.rule,
            "why": self.why,
            "verification": self.verification,
            "sources": self.sources,
        }


def _weakest(marks: Iterable[str | None]) -> str | None:
    found = [m for m in marks if m]
    return max(found, key=lambda m: _RANK.get(m, 3)) if found else None


def _relevant(ruleset: RuleSet, status: str) -> set[str]:
    """The rules that decide whether a change into ``status`` conforms."""
    ids = {r.id for _, r in ruleset.steps(status)} | {r.id for _, r in ruleset.criteria(status)}
    ids |= {t.id for _, t in ruleset.transitions() if t.target_state == status}
    return ids


def _straddle(org: str, date: PartialDate, status: str, extra: list[Rulebook]) -> str | None:
    """A coarse date is a problem only if the rules for ``status`` changed within it."""
    if date.precision == "day":
        return None
    a = rules_in_force(org, date.first, extra=extra)
    b = rules_in_force(org, date.last, extra=extra)
    if _relevant(a, status) == _relevant(b, status):
        return None
    new = [x for x in b.books if x.id not in {y.id for y in a.books}]
    if new:
        return (
            f"the date is known only to the {date.precision}, and the {new[0].document} "
            f"took effect on {new[0].in_force}, within it"
        )
    return None


def _procedure_started(spell: SpellRow) -> bool:
    return any(
        "procedure" in str(e.get("kind", "")) or "applicant" in str(e.get("kind", ""))
        for e in spell.events
    )


def _criteria_verdict(
    criteria: list[Criterion], spell: SpellRow
) -> tuple[str, Criterion | None, list[Criterion]]:
    fails = [c for c in criteria if c.result is False and c.verification != "unverified"]
    if fails:
        return "anomalous", fails[0], []
    missing = [
        c
        for c in criteria
        if c.result is None
        and c.verification != "unverified"
        and "judgement" not in c.why
        and not (c.rule == "A5-applicant" and _procedure_started(spell))
    ]
    if missing:
        return "undecidable", missing[0], missing
    return "conforming", None, []


def _reporter(spell: SpellRow, change: str, day: str, precision: str) -> Callable[..., Check]:
    """A function that turns a verdict on one change of ``spell`` into its Check row."""

    def out(verdict: str, rule: str | None, why: str, mark: str | None = None) -> Check:
        return Check(spell.actor, spell.name, change, day, precision, verdict, rule, why, mark,
                     spell.sources)

    return out


def _entry(spell: SpellRow, before: str, ctx: Context, org: str, extra: list[Rulebook]) -> Check:
    date = PartialDate(spell.start)
    change = f"{before} -> {spell.status}"

    out = _reporter(spell, change, spell.start, date.precision)

    if spell.status not in STATES:
        return out("undecidable", None, f"the rulebooks know no status {spell.status!r}")
    ruleset = rules_in_force(org, date.first, extra=extra)
    if not ruleset.books:
        nxt = ruleset.upcoming[0] if ruleset.upcoming else None
        why = f"no {org} rulebook was in force on {spell.start}"
        if nxt:
            why += f" (the first, the {nxt.document}, dates from {nxt.in_force})"
        if spell.status == "member":
            why += (
                "; founding membership rests on the 2001 founding declaration, "
                "which no rulebook here encodes"
            )
        return out("undecidable", None, why)
    straddle = _straddle(org, date, spell.status, extra)
    if straddle:
        return out("undecidable", None, straddle)
    transitions = [
        (b, t)
        for b, t in ruleset.transitions()
        if t.source_state == before and t.target_state == spell.status
    ]
    if transitions and transitions[0][1].record_gap:
        t = transitions[0][1]
        return out("undecidable", t.id, f"{t.id}: {t.record_gap}", t.verification)
    if transitions and transitions[0][1].decided_by is None:
        t = transitions[0][1]
        return out(
            "undecidable",
            t.id,
            f"who decides this change is not known ({t.id}: {t.trigger})",
            t.verification,
        )
    if not transitions and not ruleset.steps(spell.status):
        return _no_procedure(ruleset, spell, out)
    if transitions and transitions[0][1].automatic:
        t = transitions[0][1]
        return out(
            "conforming", t.id, f"{t.id}: {t.trigger}, decided by {t.decided_by}", t.verification
        )
    event_problem, event_notes = _check_events(spell, org, extra)
    if event_problem:
        rule, why, mark = event_problem
        return out("anomalous", rule, why, mark)
    eve = date.first - dt.timedelta(days=1)
    criteria = assess(replace(ruleset, day=eve), ctx, spell.actor, spell.status)[1:]
    verdict, culprit, missing = _criteria_verdict(criteria, spell)
    basis = transitions[0][1] if transitions else ruleset.steps(spell.status)[-1][1]
    marks = [basis.verification, *(c.verification for c in criteria if c.result is not None)]
    if verdict == "anomalous" and culprit:
        return out(
            "anomalous", culprit.rule, f"{culprit.criterion}: {culprit.why}", culprit.verification
        )
    if verdict == "undecidable" and culprit:
        what = "; ".join(f"{c.criterion} ({c.rule}): {c.why}" for c in missing)
        return out("undecidable", culprit.rule, f"the record lacks: {what}", culprit.verification)
    if transitions:
        how = f"{basis.id}: {basis.trigger}, decided by {basis.decided_by}"  # type: ignore[union-attr]
    else:
        found = ruleset.get(basis.id)
        how = f"{basis.id}: procedure of the {found.book.document if found else '?'}"
    if event_notes:
        how += "; events: " + "; ".join(event_notes)
    return out("conforming", basis.id, how, _weakest(marks))


#: Which procedure step a recorded event is (spell ``events`` kinds, docs/data-format.md).
_EVENT_STEPS = {
    "application": "letter",
    "request": "letter",
    "decision": "decision",
    "memorandum": "memorandum",
}


#: The status a procedure track leads to: an application lodged before the track had
#: its own rules was an application under that status's procedure then in force.
_TRACK_GOAL = {"applicant": "member", "candidate": "member"}


def _check_events(
    spell: SpellRow, org: str, extra: list[Rulebook]
) -> tuple[tuple[str | None, str, str | None] | None, list[str]]:
    """Each dated event of the spell against the procedure in force on its own date.

    A decision taken before any rule provided one is anomalous even if the status began
    later; steps recorded out of the procedure's order are anomalous too.
    """
    notes: list[str] = []
    placed: list[tuple[int, str, str]] = []
    for event in spell.events:
        step = _EVENT_STEPS.get(str(event.get("kind")))
        if step is None or not event.get("date"):
            continue
        when = PartialDate(str(event["date"]))
        ruleset = rules_in_force(org, when.first, extra=extra)
        if _straddle(org, when, spell.status, extra):
            notes.append(f"{event['kind']} {when} (too coarse to check)")
            continue
        steps = [r for _, r in ruleset.steps(spell.status) if r.step == step]
        goal = _TRACK_GOAL.get(spell.status)
        early = [r for _, r in ruleset.steps(goal) if r.step == step] if goal else []
        if not steps and early:  # lodged under the route in force then (Iran, 2008)
            notes.append(f"{event['kind']} {when} ({early[0].id}, the {goal} procedure then "
                         "in force)")
            continue
        if not steps:
            deferred = ruleset.deferral(spell.status)
            rule = deferred[1] if deferred else None
            return (
                rule.id if rule else None,
                f"the {event['kind']} of {when} came before any rule in force provided a "
                f"{step} for {spell.status}",
                rule.verification if rule else None,
            ), notes
        placed.append((steps[0].order, str(event["kind"]), when.value))
        notes.append(f"{event['kind']} {when} ({steps[0].id})")
    ordered = sorted(placed, key=lambda p: PartialDate(p[2]).first)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier[0] > later[0] and PartialDate(earlier[2]).last < PartialDate(later[2]).first:
            return (
                None,
                f"the {earlier[1]} ({earlier[2]}) came before the {later[1]} ({later[2]}), "
                "against the order of the procedure",
                None,
            ), notes
    return None, notes


def _no_procedure(ruleset: RuleSet, spell: SpellRow, out: Any) -> Check:
    deferred = ruleset.deferral(spell.status)
    gone = [
        new
        for old, new in ruleset.dropped.values()
        if getattr(old.rule, "status", None) == spell.status
    ]
    if deferred:
        book, rule = deferred
        later = [
            b
            for b in ruleset.upcoming
            if any(getattr(r, "status", None) == spell.status and r.kind == "step" for r in b.rules)
        ]
        when = f"; the {later[0].document} set one only from {later[0].in_force}" if later else ""
        return out(
            "anomalous",
            rule.id,
            f"{book.document} {rule.article} requires a special agreement on the procedure "
            f"for {spell.status}, and none was in force{when}",
            rule.verification,
        )
    if gone:
        new = gone[0]
        return out(
            "anomalous",
            new.rule.id,
            f"{new.book.document} ({new.rule.id}) had ended the procedure for {spell.status}",
            new.rule.verification,
        )
    return out(
        "anomalous", None, f"no rule in force on {spell.start} provides for becoming {spell.status}"
    )


def _exit(spell: SpellRow, org: str, extra: list[Rulebook]) -> Check:
    assert spell.end is not None
    date = PartialDate(spell.end)
    ruleset = rules_in_force(org, date.first, extra=extra)
    ends = [
        t
        for _, t in ruleset.transitions()
        if t.source_state == spell.status and t.target_state in ("none", "withdrawn", "expelled")
    ]
    change = f"{spell.status} -> ended"

    out = _reporter(spell, change, spell.end or "", date.precision)

    if not ends:
        return out(
            "undecidable",
            None,
            f"no rule in force on {spell.end} says how {spell.status} status ends",
        )
    known = [t for t in ends if t.decided_by is not None]
    if not known:
        return out(
            "undecidable",
            ends[0].id,
            f"who ends it is not known ({ends[0].id}: {ends[0].trigger})",
            ends[0].verification,
        )
    t = known[0]
    return out("conforming", t.id, f"{t.id}: {t.trigger} ({t.decided_by})", t.verification)


def _without_rulebooks(ctx: Context, org: str) -> list[Check]:
    """An organization with no rulebook modelled: every change is undecidable, and says so."""
    why = f"no rulebook of {org} is modelled (the charter part covers {', '.join(ORGS)})"
    rows = []
    for s in ctx.registry.spells():
        if s.org == org:
            date = PartialDate(s.start)
            rows.append(
                Check(
                    s.actor,
                    s.name,
                    f"-> {s.status}",
                    s.start,
                    date.precision,
                    "undecidable",
                    None,
                    why,
                    None,
                    s.sources,
                )
            )
    return sorted(rows, key=lambda c: (PartialDate(c.date).first, c.actor))


def check_history(
    org: str, *, registry: str | Context | None = None, rules: Iterable[Rulebook] = (),
    trace: Node | None = None,
) -> list[Check]:
    """Check every recorded spell start (and every end without a successor) of ``org``;
    ``trace`` is filled with each change, the spell it reads and the rule it cites."""
    ctx = registry if isinstance(registry, Context) else open_context(registry)
    try:
        code = rules_in_force(org, dt.date.today()).org
    except NotFoundError:
        rows = _without_rulebooks(ctx, ctx.registry.resolve_org(org))
        if trace is not None:
            trace.add("rule", "none", rows[0].why if rows else "no rulebook modelled")
        return rows
    extra = list(rules)
    recorded = [s for s in ctx.registry.spells() if s.org == code]
    spells = [in_rules_terms(s) for s in recorded]
    as_recorded = {id(m): o for m, o in zip(spells, recorded, strict=True)}
    by_actor: dict[str, list[SpellRow]] = {}
    for s in sorted(spells, key=lambda s: PartialDate(s.start).first):
        by_actor.setdefault(s.actor, []).append(s)
    out: list[tuple[Check, SpellRow]] = []
    for actor_spells in by_actor.values():
        for s in actor_spells:
            prev = predecessor(s, actor_spells, code, extra)
            before = prev.status if prev else "none"
            breach = entry_breach(s, prev, code, extra)
            if breach:
                row = _reporter(s, f"{before} -> {s.status}", s.start,
                                PartialDate(s.start).precision)
                out.append((row(*breach), s))
            else:
                out.append((_entry(s, before, ctx, code, extra), s))
            if s.end and not followed(s, actor_spells, code, extra):
                gone = exit_breach(s, code, extra)  # notice periods (charter/notice.py)
                if gone:
                    row = _reporter(s, f"{s.status} -> ended", s.end, PartialDate(s.end).precision)
                    out.append((row(*gone), s))
                else:
                    out.append((_exit(s, code, extra), s))
    out.sort(key=lambda cs: (PartialDate(cs[0].date).first, cs[0].actor))
    if trace is not None:
        from scomodel.charter.explain_answers import history_trace

        history_trace(trace, ctx, code, extra, [(c, as_recorded[id(s)]) for c, s in out])
    return [c for c, _ in out]

