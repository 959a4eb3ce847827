"""The decision rule in force: consensus and its exceptions, or a what-if rule.

The bargaining model (issue 4) asks "would this pass?" many times; it gets the rule as a
small object with :meth:`DecisionRule.passes`, so a what-if rulebook (say qualified
majority after the 2017 enlargement) changes its answers without changing its code.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from scomodel.charter.engine import RuleSet, cite, rules_in_force
from scomodel.charter.model import DecisionRuleSpec, Rulebook
from scomodel.errors import InputError, NotFoundError

__all__ = ["DecisionRule", "decision_rule", "decision_rule_from", "decide", "MATTERS", "matters"]

#: The matters the built-in rulebooks give a decision rule of their own (or the default).
MATTERS: tuple[str, ...] = ("default", "expel", "suspend", "guest", "reservation_void")


def _count(value: Collection[str] | int) -> int:
    return value if isinstance(value, int) else len(value)


@dataclass(frozen=True)
class DecisionRule:
    """How a decision on ``matter`` is taken; ``kind`` is the method.

    kinds: ``consensus`` (adopted if no member objects), ``consensus_minus_target`` (the
    member concerned is not counted), ``qualified_majority`` (the share of members not
    objecting must reach ``threshold``), ``objection_threshold`` (the objection succeeds
    when the share objecting reaches ``threshold``, e.g. voiding a reservation).
    """

    org: str
    on: str
    matter: str
    kind: str
    threshold: float | None
    rule: dict[str, Any] | None
    note: str | None = None
    whatif: bool = False
    verification: str | None = field(default=None)
    body: str | None = None

    def _objectors(
        self, objections: Collection[str] | int, members: Collection[str] | int, target: str | None
    ) -> tuple[int, int]:
        if isinstance(members, int) or isinstance(objections, int):
            n_obj, n_mem = _count(objections), _count(members)
            if target is not None and self.kind == "consensus_minus_target":
                n_mem -= 1
            return n_obj, n_mem
        voters = {m.upper() for m in members}
        if target is not None and self.kind == "consensus_minus_target":
            voters.discard(target.upper())
        return len({o.upper() for o in objections} & voters), len(voters)

    def passes(
        self,
        objections: Collection[str] | int,
        members: Collection[str] | int,
        target: str | None = None,
        opt_outs: Collection[str] = (),
    ) -> bool:
        """Whether the decision is adopted given who objects (non-members do not count).

        ``objections`` and ``members`` are actor codes, or counts. ``opt_outs`` are
        members declaring they are not interested: under ``consensus_opt_out`` (CIS
        Charter Art. 23) they neither block nor are bound; under any other rule no
        rule provides for it, so a declaration counts as an objection.
        """
        if opt_outs and not isinstance(members, int) and not isinstance(objections, int):
            if self.kind == "consensus_opt_out":
                out = {o.upper() for o in opt_outs}
                members = [m for m in members if m.upper() not in out]
                objections = [o for o in objections if o.upper() not in out]
            else:
                objections = sorted({*objections, *opt_outs})
        n_obj, n_mem = self._objectors(objections, members, target)
        if n_mem <= 0:
            raise InputError(
                "a decision needs at least one member entitled to decide", field="members"
            )
        if self.kind in ("consensus", "consensus_minus_target", "consensus_opt_out"):
            return n_obj == 0
        assert self.threshold is not None
        if self.kind == "qualified_majority":
            return (n_mem - n_obj) >= math.ceil(self.threshold * n_mem - 1e-9)
        return n_obj >= math.ceil(self.threshold * n_mem - 1e-9)

    def blockers(
        self, objections: Iterable[str], members: Iterable[str], target: str | None = None
    ) -> list[str]:
        """Members whose objection counts under this rule, sorted."""
        voters = {m.upper() for m in members}
        if target is not None and self.kind == "consensus_minus_target":
            voters.discard(target.upper())
        return sorted({o.upper() for o in objections} & voters)

    def to_dict(self) -> dict[str, Any]:
        return {
            "org": self.org,
            "on": self.on,
            "matter": self.matter,
            "body": self.body,
            "kind": self.kind,
            "threshold": self.threshold,
            "rule": self.rule,
            "verification": self.verification,
            "whatif": self.whatif,
            "note": self.note,
        }


def matters(ruleset: RuleSet) -> list[str]:
    """Matters a rule set knows: the built-in ones and any a (what-if) rulebook names."""
    named = {
        r.matter
        for b in [*ruleset.books, *ruleset.upcoming]
        for r in b.rules
        if isinstance(r, DecisionRuleSpec)
    }
    return [*MATTERS, *sorted(named - set(MATTERS))]


def decision_rule_from(
    ruleset: RuleSet, matter: str = "default", body: str | None = None
) -> DecisionRule:
    """The decision rule for ``matter`` (in ``body``) in an already computed rule set.

    An unknown matter is an error, not the default rule: ``--matter coup`` would otherwise
    answer as if the question had been asked about an ordinary decision.
    """
    known = matters(ruleset)
    if matter not in known:
        raise InputError(
            f"unknown matter {matter!r}: expected one of {', '.join(known)}", field="matter"
        )
    if body is not None and ruleset.bodies() and body not in ruleset.bodies():
        raise InputError(
            f"unknown body {body!r} of {ruleset.org} on {ruleset.day.isoformat()}: "
            f"expected one of {', '.join(ruleset.bodies())}",
            field="body",
        )
    found = ruleset.decision(matter, body)
    if found is None:
        later = ", ".join(f"{b.document} ({b.in_force})" for b in ruleset.upcoming) or "none"
        raise NotFoundError(
            f"no decision rule of {ruleset.org} is in force on {ruleset.day.isoformat()}; "
            f"rulebooks taking effect later: {later}",
            field="on",
        )
    book, spec = found
    return DecisionRule(
        org=ruleset.org,
        on=ruleset.day.isoformat(),
        matter=matter,
        kind=spec.method,
        threshold=spec.threshold,
        rule=cite(book, spec),
        note=spec.note,
        whatif=book.whatif,
        verification=spec.verification,
        body=body,
    )


def decision_rule(
    org: str,
    on: object,
    matter: str = "default",
    *,
    rules: Iterable[Rulebook] = (),
    body: str | None = None,
) -> DecisionRule:
    """The rule ``org`` decides ``matter`` by on ``on`` (e.g. ``decision_rule("SCO", "2006")``).

    ``matter`` is ``default``, ``expel``, ``suspend``, ``guest`` or ``reservation_void``;
    a matter without its own rule falls back to the default. ``rules`` adds what-if
    rulebooks (see :func:`scomodel.charter.engine.what_if`).
    """
    return decision_rule_from(rules_in_force(org, on, extra=rules), matter, body)


def decide(
    org: str,
    on: object,
    objections: Iterable[str] = (),
    *,
    matter: str = "default",
    target: str | None = None,
    registry: Any = None,
    rules: Iterable[Rulebook] = (),
    body: str | None = None,
    opt_outs: Iterable[str] = (),
    trace: Any = None,
) -> dict[str, Any]:
    """Would a decision of ``org`` on ``matter`` (in ``body``) pass on ``on``, given who
    objects and who declares itself not interested (``opt_outs``, CIS Charter Art. 23)?

    Every objector, opt-out and the target go through the one resolver (names, ISO3 or
    COW codes): an objection typed as "Pakistan" counts as PAK's. Objections of actors
    that are not members that day are listed under ``ignored``, never dropped silently.
    ``trace`` is filled with the rule applied, its rulebook and the members counted.
    """
    from scomodel.actors import resolve_codes
    from scomodel.charter.context import open_context
    from scomodel.charter.engine import day_of

    ruleset = rules_in_force(org, on, extra=rules)
    rule = decision_rule_from(ruleset, matter, body.strip().upper() if body else None)
    ctx = registry if hasattr(registry, "registry") else open_context(registry)
    book = ctx.registry.actors
    objecting = resolve_codes(list(objections), field="objections", directory=book)
    outs = resolve_codes(list(opt_outs), field="opt_outs", directory=book)
    members = ctx.members(rule.org, day_of(on))
    code = None
    if target is not None:
        code = resolve_codes([target], field="target", directory=book)[0]
        if code not in members:
            raise InputError(
                f"target {code} is not a member of {rule.org} on {rule.on}: "
                f"members are {', '.join(members) or 'none'}",
                field="target",
            )
    answer = {
        **rule.to_dict(),
        "members": members,
        "objections": objecting,
        "target": code,
        "counted": rule.blockers(_counted(rule, objecting, outs), members, code),
        "ignored": sorted(set(objecting) - set(members)),
        "passes": rule.passes(objecting, members, code, opt_outs=outs) if members else None,
    }
    if outs:  # only when asked: answers without opt-outs keep their keys
        answer["opt_outs"] = outs
    if trace is not None:
        from scomodel.charter.explain_answers import decision_trace

        decision_trace(trace, ruleset, ctx, answer)
    return answer


def _counted(rule: DecisionRule, objections: list[str], opt_outs: list[str]) -> list[str]:
    """The objections a rule counts once opt-outs are read as it reads them: dropped under
    ``consensus_opt_out``, objections under any other rule (see :meth:`DecisionRule.passes`)."""
    if rule.kind == "consensus_opt_out":
        return [o for o in objections if o not in set(opt_outs)]
    return sorted({*objections, *opt_outs})
