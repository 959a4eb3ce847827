"""Running an application through the rules in force, step by step.

A proceeding file says who applies for what, on which day, and what each step looked
like (who signed the letter, which body recommended and decided, who objected). Each step
is checked against the rule in force that governs it; the first step that breaks a rule
refuses the application and names that rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scomodel.charter.context import Context, open_context
from scomodel.charter.decision import decision_rule_from
from scomodel.charter.eligibility import assess, verdict
from scomodel.charter.engine import RuleSet, day_of, rules_in_force
from scomodel.charter.model import Rulebook, StepRule
from scomodel.charter.proceeding_file import BodyStep, Proceeding, load_proceeding
from scomodel.dates import PartialDate
from scomodel.errors import InputError
from scomodel.trace import Node

__all__ = ["Proceeding", "StepResult", "Outcome", "load_proceeding", "proceed", "run"]


def _resolved_steps(p: Proceeding, ctx: Context) -> list[tuple[str, Any]]:
    """The steps with every objector resolved (``objections: [Uzbekistan]`` is UZB's).

    An unknown objector is an error at its file, line and field; the same member twice
    is one too (two spellings of one state are almost always a typo for another).
    """
    out: list[tuple[str, Any]] = []
    for i, (kind, data) in enumerate(p.steps):
        if isinstance(data, BodyStep) and data.objections:
            codes: list[str] = []
            for j, text in enumerate(data.objections):
                key = f"steps.{i}.{kind}.objections.{j}"
                try:
                    code = ctx.registry.actors.resolve(text, field=key).code
                except InputError as exc:
                    raise p.error(exc, key) from None
                if code in codes:
                    raise p.error(InputError(f"{code} objects twice ({text!r})"), key)
                codes.append(code)
            data = data.model_copy(update={"objections": codes})
        out.append((kind, data))
    return out


@dataclass(frozen=True)
class StepResult:
    step: str
    ok: bool
    rule: str | None
    reason: str
    verification: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "ok": self.ok,
            "rule": self.rule,
            "reason": self.reason,
            "verification": self.verification,
        }


@dataclass
class Outcome:
    granted: bool
    steps: list[StepResult] = field(default_factory=list)
    applicant: str = ""
    org: str = ""
    status: str = ""
    date: str = ""
    committed: dict[str, Any] | None = None
    rulebooks: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "granted": self.granted,
            "applicant": self.applicant,
            "org": self.org,
            "status": self.status,
            "date": self.date,
            "rulebooks": self.rulebooks,
            "steps": [s.to_dict() for s in self.steps],
            "committed": self.committed,
        }


def _decide(
    ruleset: RuleSet,
    ctx: Context,
    rule: StepRule,
    data: BodyStep,
    target: str | None,
    matter: str | None = None,
) -> tuple[bool, str]:
    dr = decision_rule_from(ruleset, matter or rule.matter or "default")
    members = ctx.members(ruleset.org, ruleset.day)
    if not members:
        raise InputError(
            f"the registry records no members of {ruleset.org} on {ruleset.day}: "
            "cannot apply the decision rule",
            field="date",
        )
    outsiders = sorted({o.upper() for o in data.objections} - set(members))
    counted = dr.blockers(
        data.objections, members, target if dr.kind == "consensus_minus_target" else None
    )
    passed = dr.passes(data.objections, members, target)
    rid = dr.rule["id"] if dr.rule else "?"
    method = dr.kind.replace("_", " ")
    how = f"{data.body} decides by {method} ({rid}, {dr.verification}) among {len(members)} members"
    if outsiders:
        how += f"; objections of non-members ignored: {', '.join(outsiders)}"
    if passed:
        return True, how + (
            "; objections counted: " + ", ".join(counted) if counted else "; no member objected"
        )
    return False, how + f"; blocked by the objection of {', '.join(counted)}"


def _check_step(
    kind: str,
    data: Any,
    rule: StepRule,
    ruleset: RuleSet,
    ctx: Context,
    applicant: str,
    status: str,
) -> tuple[bool, str]:
    if kind == "letter":
        if rule.signed_by and data.signed_by not in rule.signed_by:
            return (
                False,
                f"the letter must be signed by {' or '.join(rule.signed_by)}, not {data.signed_by}",
            )
        if rule.addressed_to and data.addressed_to not in rule.addressed_to:
            return (
                False,
                f"the letter must go to {' or '.join(rule.addressed_to)}, not {data.addressed_to}",
            )
        return (
            True,
            f"signed by {data.signed_by}, addressed to "
            f"{data.addressed_to or 'an addressee the rule leaves open'}",
        )
    if kind == "memorandum":
        if rule.signed_by and data.signed_by is not None and data.signed_by not in rule.signed_by:
            return (
                False,
                f"the memorandum is signed for the SCO by {' or '.join(rule.signed_by)}, "
                f"not {data.signed_by}",
            )
        missing = [r for r in rule.requires if getattr(data, r, None) is not True]
        if missing:
            return (
                False,
                f"the memorandum must be {' and '.join(rule.requires)}; not {', '.join(missing)}",
            )
        fields = f" (fields: {', '.join(data.fields)})" if data.fields else ""
        return True, f"memorandum {' and '.join(rule.requires)}{fields}"
    if rule.body and data.body != rule.body:
        return (
            False,
            f"{data.body} has no competence here: {rule.id} gives this {kind} to {rule.body}",
        )
    if kind == "hearing":
        return True, f"{data.body} heard the applicant's representatives"
    target = applicant if status == "suspended" else None
    return _decide(ruleset, ctx, rule, data, target)


def _walk(p: Proceeding, ruleset: RuleSet, ctx: Context, applicant: str) -> list[StepResult]:
    required = ruleset.steps(p.status)
    out: list[StepResult] = []
    pointer = 0
    for kind, data in p.steps:
        j = next((k for k in range(pointer, len(required)) if required[k][1].step == kind), None)
        if j is None:
            earlier = next((r for _, r in required[:pointer] if r.step == kind), None)
            if earlier is not None:
                out.append(
                    StepResult(
                        kind,
                        False,
                        earlier.id,
                        f"a {kind} step comes before the steps already taken ({earlier.id})",
                        earlier.verification,
                    )
                )
            else:
                out.append(
                    StepResult(
                        kind,
                        False,
                        None,
                        f"no rule in force on {ruleset.day} provides a {kind} step for {p.status}",
                    )
                )
            return out
        skipped = [r for _, r in required[pointer:j] if not r.optional]
        if skipped:
            r = skipped[0]
            out.append(
                StepResult(
                    r.step,
                    False,
                    r.id,
                    f"missing step: {r.id} requires a {r.step} before the {kind}",
                    r.verification,
                )
            )
            return out
        _, rule = required[j]
        ok, reason = _check_step(kind, data, rule, ruleset, ctx, applicant, p.status)
        out.append(StepResult(kind, ok, rule.id, reason, rule.verification))
        if not ok:
            return out
        pointer = j + 1
    for _, r in required[pointer:]:
        if not r.optional:
            out.append(
                StepResult(
                    r.step, False, r.id, f"missing step: {r.id} requires a {r.step}", r.verification
                )
            )
            return out
    return out


def run(
    p: Proceeding, *, registry: str | Context | None = None, rules: Iterable[Rulebook] = ()
) -> Outcome:
    """Check a proceeding against the rules in force on its date."""
    ctx = registry if isinstance(registry, Context) else open_context(registry)
    try:
        applicant = ctx.actor(p.applicant).code
    except InputError as exc:
        raise p.error(exc, "applicant") from None
    p = replace(p, steps=_resolved_steps(p, ctx))
    try:
        ruleset = rules_in_force(p.org, day_of(p.date, "date"), extra=rules)
    except InputError as exc:
        raise p.error(exc, "org") from None
    outcome = Outcome(
        False, [], applicant, ruleset.org, p.status, p.date, None, [b.id for b in ruleset.books]
    )
    criteria = assess(ruleset, ctx, applicant, p.status)
    decided = verdict(criteria)
    failed = [c for c in criteria if c.result is False]
    unknown = [c for c in criteria if c.result is not True]
    if decided is False:
        c = next(c for c in failed if c.verification != "unverified")
        outcome.steps.append(
            StepResult("eligibility", False, c.rule, f"{c.criterion}: {c.why}", c.verification)
        )
        return outcome
    reason = "every criterion in force is met"
    if unknown:
        reason = "no criterion fails; left to the deciding body: " + "; ".join(
            f"{c.criterion} ({c.rule})" for c in unknown
        )
    outcome.steps.append(
        StepResult("eligibility", True, ", ".join(c.rule for c in criteria if c.rule), reason)
    )
    outcome.steps.extend(_walk(p, ruleset, ctx, applicant))
    outcome.granted = all(s.ok for s in outcome.steps)
    return outcome


def _make_room(ctx: Context, org: str, actor: str, status: str, on: str) -> list[Any]:
    """End, in the what-if copy, the statuses the granted one replaces on its first day.

    An observer admitted as a member stops being an observer that day, as the registry's
    own rule for the curated data requires.
    """
    day = PartialDate(on).first
    replaced = [r for r in ctx.registry.status(actor, org, on)
                if r.status != status and PartialDate(r.start).first < day]
    return [ctx.registry.end_spell(org, actor, r.status, on) for r in replaced]


def _commit(outcome: Outcome, p: Proceeding, ctx: Context, rules_used: RuleSet) -> dict[str, Any]:
    """Write the granted status into the what-if copy ``ctx`` (never the curated history)."""
    deciding = next((s for s in reversed(outcome.steps) if s.rule and s.ok), None)
    found = rules_used.get(deciding.rule) if deciding and deciding.rule else None
    ref = found.rule.sources[0].source if found else "masuda2011"
    spell = {
        "actor": outcome.applicant,
        "status": p.status,
        "start": p.date,
        "sources": [{"source": ref, "locator": f"what-if proceeding {p.file or ''}".strip()}],
        "note": "granted by a what-if proceeding ("
        + ", ".join(s.rule or s.step for s in outcome.steps)
        + ")",
    }
    ended = _make_room(ctx, outcome.org, outcome.applicant, p.status, p.date)
    later = [r for r in ctx.registry.timeline(outcome.applicant, outcome.org)
             if PartialDate(r.start).first > PartialDate(p.date).first]
    if later:  # the recorded history after the new status still follows it
        spell["end"] = later[0].start
    try:
        row = ctx.registry.add_spell(outcome.org, spell)
    except InputError:
        for r in ended:  # leave the copy as it was
            ctx.registry.revert_end(r.org, r.actor, r.status, r.start)
        raise
    committed: dict[str, Any] = {"registry": ctx.registry.whatif, "spell": row.to_dict(),
                                 "ended": [r.to_dict() for r in ended]}
    memo = next((d for k, d in p.steps if k == "memorandum" and getattr(d, "fields", None)), None)
    if memo is not None and p.status == "dialogue_partner":
        fact = ctx.registry.add_fact(
            {
                "id": f"whatif-memorandum-{outcome.org}-{outcome.applicant}-{p.date}".lower(),
                "kind": "relation",
                "about": [outcome.org, outcome.applicant],
                "date": p.date,
                "title": f"Dialogue-partner memorandum, {outcome.applicant} (what-if)",
                "attributes": {
                    "a": outcome.org,
                    "b": outcome.applicant,
                    "type": "memorandum",
                    "fields": list(memo.fields),
                },
                "sources": spell["sources"],
            }
        )
        committed["memorandum"] = fact.to_dict()
    return committed


def proceed(
    path: str | Path,
    *,
    registry: str | Context | None = None,
    rules: Iterable[Rulebook] = (),
    into: str | None = None,
    trace: Node | None = None,
) -> Outcome:
    """Load a proceeding file, run it, and commit a granted one to the what-if copy ``into``.

    ``into`` names a what-if copy; queries with ``--registry NAME`` see what it holds.
    """
    p = load_proceeding(path)
    extra = list(rules)
    if into and isinstance(registry, str) and registry != into:
        raise InputError("--into must name the same what-if copy as --registry", field="into")
    ctx = registry if isinstance(registry, Context) else open_context(into or registry)
    if into and ctx.registry.whatif != into:
        raise InputError(
            f"--into {into!r} needs the what-if copy {into!r}, not {ctx.registry.whatif!r}",
            field="into",
        )
    outcome = run(p, registry=ctx, rules=extra)
    ruleset = rules_in_force(p.org, day_of(p.date, "date"), extra=extra)
    if into and outcome.granted:
        outcome.committed = _commit(outcome, p, ctx, ruleset)
    if trace is not None:  # the steps, their rules and the members counted
        from scomodel.charter.explain_answers import outcome_trace

        outcome_trace(trace, ruleset, ctx, outcome)
    return outcome
