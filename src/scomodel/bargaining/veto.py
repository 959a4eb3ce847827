"""Veto players on one issue: the win-set of the status quo, the core and gridlock.

Tsebelis's veto-player logic on a line. Each veto player i has ideal point x_i and prefers
an outcome y to the status quo q when |y - x_i| < |q - x_i|. Under a rule that needs k of
the n veto players (consensus: k = n), the win-set W(q) is every y that at least k of them
prefer to q; the core is every q whose win-set is empty. On a line both are intervals:

    W(q) = (2·z_k − q, q) ∪ (q, 2·y_k − q)        (z ascending, y descending; empty parts dropped)
    core = [x_(n−k+1), x_(k)]                       (order statistics, 1-based)

The gridlock index is the share of the scale covered by the core: the chance that a status
quo drawn uniformly from the scale cannot be changed at all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scomodel.bargaining.scenario import RuleSpec, Scenario
from scomodel.errors import InputError

__all__ = [
    "Rule",
    "VetoResult",
    "resolve_rule",
    "default_veto_players",
    "analyse",
    "win_set",
    "core",
    "compare_memberships",
    "MEMBERSHIP_LISTS",
]

#: named membership lists of the SCO (registry codes), for "how does enlargement change it"
MEMBERSHIP_LISTS: dict[str, tuple[str, ...]] = {
    "SCO-6": ("CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"),
    "SCO-8": ("CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB", "IND", "PAK"),
    "SCO-10": ("CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB", "IND", "PAK", "IRN", "BLR"),
}


@dataclass(frozen=True)
class Rule:
    """How many of the veto players must prefer a change: ``kind`` plus a ``threshold``."""

    kind: str
    threshold: float | None
    origin: str  # "charter", "what-if" or "default"
    citation: dict[str, Any] | None = None
    note: str | None = None

    def needed(self, n: int) -> int:
        if n <= 0:
            raise InputError("no veto players: nobody can decide", field="veto_players")
        if self.kind in ("consensus", "unanimity", "consensus_minus_target"):
            return n
        if self.kind == "majority":
            return n // 2 + 1
        assert self.threshold is not None
        return max(1, min(n, math.ceil(self.threshold * n - 1e-9)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "threshold": self.threshold,
            "origin": self.origin,
            "citation": self.citation,
            "note": self.note,
        }


def resolve_rule(scenario: Scenario, what_if: RuleSpec | None = None) -> Rule:
    """The rule to apply: a what-if, the scenario's own, or the charter's on the date."""
    spec = what_if or scenario.decision_rule
    if spec is not None:
        cite = spec.source.model_dump() if spec.source is not None else None
        return Rule(spec.kind, spec.threshold, "what-if" if what_if else "scenario", cite)
    try:  # the charter part (issue 3), when present
        from scomodel.charter.decision import decision_rule
    except ImportError:
        return Rule(
            "consensus", None, "default", note="charter rules not available; consensus assumed"
        )
    try:
        dr = decision_rule(scenario.org, scenario.date.isoformat())
    except Exception as exc:  # no rulebook in force, or an org the charter does not cover
        return Rule("consensus", None, "default", note=f"charter: {exc}; consensus assumed")
    kind = (
        dr.kind
        if dr.kind in ("consensus", "consensus_minus_target", "qualified_majority")
        else "consensus"
    )
    return Rule(kind, dr.threshold, "charter", dr.rule, dr.note)


def default_veto_players(scenario: Scenario, issue: str | None = None) -> tuple[list[str], str]:
    """The organization's members on the scenario's date, per the registry.

    Members who have no coding on the issue cannot be placed and are left out (and
    reported). If the registry knows no members of the organization on that date, the
    actors the scenario codes with role ``member`` are used instead; the basis says which.
    """
    if scenario.veto_players:
        return list(scenario.veto_players), "scenario"
    coded = set(scenario.data(issue).actors)
    members: list[str] = []
    try:
        from scomodel.registry import Registry

        members = [
            m.actor
            for m in Registry.open().members(
                scenario.org, on=scenario.date.isoformat(), status="member"
            )
        ]
    except Exception:
        members = []
    if members:
        return [m for m in members if m in coded], "registry"
    return [
        a.actor for a in scenario.actors if a.role == "member" and a.actor in coded
    ], "scenario roles"


def win_set(x: np.ndarray, q: float, k: int, lo: float, hi: float) -> list[tuple[float, float]]:
    """Open intervals of outcomes at least k of the ideal points ``x`` prefer to ``q``."""
    n = len(x)
    if not 1 <= k <= n:
        raise InputError(f"need between 1 and {n} supporters, got {k}")
    asc = np.sort(x)
    parts = []
    left = max(lo, 2.0 * asc[k - 1] - q)  # k-th smallest ideal bounds how far left one can go
    if left < q:
        parts.append((float(left), float(q)))
    right = min(hi, 2.0 * asc[n - k] - q)  # k-th largest
    if right > q:
        parts.append((float(q), float(right)))
    return parts


def core(x: np.ndarray, k: int) -> tuple[float, float]:
    """Status quos no k-coalition can move: [x_(n-k+1), x_(k)] in 1-based order statistics."""
    asc = np.sort(x)
    n = len(x)
    return float(asc[n - k]), float(asc[k - 1])


@dataclass(frozen=True)
class VetoResult:
    issue: str
    status_quo: float
    scale: tuple[float, float]
    veto_players: list[str]
    basis: str
    rule: Rule
    needed: int
    ideal_points: dict[str, float]
    win_set: list[tuple[float, float]]
    core: tuple[float, float]
    uncoded_members: list[str]

    @property
    def win_set_size(self) -> float:
        return float(sum(b - a for a, b in self.win_set))

    @property
    def gridlock_index(self) -> float:
        lo, hi = self.scale
        return (self.core[1] - self.core[0]) / (hi - lo)

    def to_dict(self) -> dict[str, Any]:
        lo, hi = self.scale
        return {
            "model": "veto",
            "issue": self.issue,
            "status_quo": self.status_quo,
            "scale": list(self.scale),
            "veto_players": self.veto_players,
            "veto_basis": self.basis,
            "rule": self.rule.to_dict(),
            "needed": self.needed,
            "ideal_points": self.ideal_points,
            "win_set": [list(p) for p in self.win_set],
            "win_set_size": self.win_set_size,
            "win_set_share": self.win_set_size / (hi - lo),
            "status_quo_in_core": self.core[0] <= self.status_quo <= self.core[1],
            "core": list(self.core),
            "gridlock_index": self.gridlock_index,
            "uncoded_members": self.uncoded_members,
        }


def analyse(
    scenario: Scenario,
    issue: str | None = None,
    veto_players: Sequence[str] | None = None,
    rule: Rule | None = None,
    basis: str | None = None,
) -> VetoResult:
    """Win-set, core and gridlock for one issue under the scenario's (or a given) rule."""
    data = scenario.data(issue)
    if data.status_quo is None:
        raise InputError("the veto model needs a status quo", field="status_quo")
    if veto_players is None:
        players, basis = default_veto_players(scenario, issue)
        uncoded: list[str] = []
        if basis == "registry":
            try:
                from scomodel.registry import Registry

                on = scenario.date.isoformat()
                allm = [
                    m.actor for m in Registry.open().members(scenario.org, on=on, status="member")
                ]
                uncoded = [m for m in allm if m not in data.actors]
            except Exception:
                uncoded = []
    else:
        players = list(veto_players)
        basis = basis or "given"
        uncoded = [p for p in players if p not in data.actors]
        players = [p for p in players if p in data.actors]
    if not players:
        raise InputError(
            f"no veto player of {scenario.org} on {scenario.date} is coded on issue {data.issue}",
            field="veto_players",
        )
    rule = rule or resolve_rule(scenario)
    idx = [data.actors.index(p) for p in players]
    x = data.position[idx]
    k = rule.needed(len(players))
    lo, hi = data.scale
    return VetoResult(
        issue=data.issue,
        status_quo=float(data.status_quo),
        scale=(lo, hi),
        veto_players=players,
        basis=basis or "given",
        rule=rule,
        needed=k,
        ideal_points={p: float(v) for p, v in zip(players, x, strict=True)},
        win_set=win_set(x, float(data.status_quo), k, lo, hi),
        core=core(x, k),
        uncoded_members=uncoded,
    )


def compare_memberships(
    scenario: Scenario,
    lists: dict[str, Sequence[str]],
    issue: str | None = None,
    rule: Rule | None = None,
) -> list[dict[str, Any]]:
    """The same issue analysed for several membership lists (SCO-6 -> SCO-8 -> SCO-10)."""
    rows = []
    for name, members in lists.items():
        res = analyse(scenario, issue, members, rule, basis=name)
        d = res.to_dict()
        rows.append(
            {
                "members": name,
                "n": len(res.veto_players),
                "needed": res.needed,
                "win_set": d["win_set"],
                "win_set_size": d["win_set_size"],
                "core": d["core"],
                "gridlock_index": d["gridlock_index"],
                "status_quo_in_core": d["status_quo_in_core"],
                "uncoded": res.uncoded_members,
            }
        )
    return rows


def explain(
    scenario: Scenario, issue: str | None = None, what_if: RuleSpec | None = None,
    trace: Any = None,
) -> Any:
    """The trace of a veto-player answer: the decision rule (the charter's rule in force on
    the scenario's date, with its rulebook and sources, or the scenario's own), the veto
    players (the registry's member spells that day, or the scenario's roles), and each
    ideal point and the status quo with the source it is coded from. Recomputes the same
    deterministic analysis the answer came from."""
    from scomodel.charter.explain import source_titles, spell_node
    from scomodel.registry import Registry
    from scomodel.trace import new_trace

    reg = Registry.open()
    titles = source_titles(reg)
    rule = resolve_rule(scenario, what_if)
    res = analyse(scenario, issue, None, rule)
    root = trace if trace is not None else new_trace(f"bargain {scenario.name} --model veto")
    decided = root.add(
        "decision", f"{scenario.org}:{res.issue}:{scenario.date.isoformat()}",
        f"{rule.kind} needs {res.needed} of {len(res.veto_players)} veto players",
        win_set=str(res.win_set), core=str(res.core), gridlock=round(res.gridlock_index, 4),
    )
    _rule_node(decided, scenario, rule, titles)
    players = decided.add("step", f"veto-players:{res.basis}",
                          f"veto players from {res.basis}: {', '.join(res.veto_players)}",
                          uncoded=", ".join(res.uncoded_members) or None)
    if res.basis == "registry":
        for row in reg.members(scenario.org, scenario.date.isoformat(), "member"):
            if row.actor in res.veto_players:
                spell_node(players, row, titles)
    coded = {a.actor: a for a in scenario.actors}
    for actor in res.veto_players:
        pos = coded[actor].positions[res.issue]
        players.add("fact", f"position:{actor}:{res.issue}",
                    f"{actor} ideal point {pos.position:g} (salience {pos.salience:g})",
                    judgement=pos.judgement or None).sources(
            [{"source": pos.source, "locator": pos.locator}], titles)
    sq = scenario.issue(res.issue).status_quo
    decided.add("fact", f"status_quo:{res.issue}", f"status quo {sq.value:g}").sources(
        [{"source": sq.source, "locator": sq.locator}], titles)
    return root


def _rule_node(parent: Any, scenario: Scenario, rule: Rule, titles: dict[str, str]) -> None:
    """The decision rule as the trace shows it: the charter's rule with its rulebook, or
    the scenario's (what-if) rule with its citation."""
    cite = rule.citation or {}
    if rule.origin == "charter" and cite.get("id"):
        from scomodel.charter.engine import rules_in_force
        from scomodel.charter.explain import cited_rule_node

        rs = rules_in_force(scenario.org, scenario.date)
        cited_rule_node(parent, rs, cite["id"], titles)
        return
    node = parent.add("rule", f"{rule.origin}:{rule.kind}",
                      f"{rule.kind} ({rule.origin})" + (f"; {rule.note}" if rule.note else ""),
                      threshold=rule.threshold)
    if cite.get("source"):
        node.sources([cite], titles)
