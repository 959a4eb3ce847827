"""Delegation and pooling, year by year, computed from the rules in force.

The scheme is Hooghe and Marks's Measure of International Authority (MIA; source key
``mia-2017``): six decision areas (accession, suspension, constitutional reform, budget,
financial non-compliance, policy making), two stages (agenda setting, final decision).

What is taken from the dataset's structure (checked against the published columns, see
docs/charter.md): an area's delegation is the mean of its agenda and final cells and of
dispute settlement, ``del_agenda``/``del_final`` are means over the six areas, and
``delegation = mean(del_agenda, del_final, DS)``; an area's pooling is the mean of its
two cells and ``pooling = mean(poolagenda, poolfinal)``.

What is ours (the codebook's scoring pages were not in a retrieved text, so the cell
scores are a reconstruction, shown as ``SCALE`` and cited by every answer):

* delegation cell = the share of the bodies taking part that are non-state
  (``composition: nonstate`` in the body rule: a secretariat, a court, the EAEU Board);
* pooling cell = the mean, over the member-state bodies taking part, of
  vote x bindingness x ratification, where ``MEMBERS`` (any member alone) scores 0.

No MIA number enters the computation: every cell comes from the competence rules
(``kind: competence``), the bodies' composition and the decision rules in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scomodel.charter.engine import RuleSet, rules_in_force
from scomodel.charter.model import (
    MIA_AREAS,
    BodyRule,
    CompetenceRule,
    DecisionRuleSpec,
    DisputeRule,
    Rulebook,
)
from scomodel.errors import InputError

__all__ = ["SCALE", "AuthorityYear", "Cell", "authority", "authority_on"]

#: The cell scores (our reconstruction of the MIA codebook; docs/charter.md).
SCALE: dict[str, dict[str, float]] = {
    "vote": {"consensus": 1 / 3, "qualified_majority": 2 / 3, "majority": 1.0},
    "binding": {"binding": 1.0, "opt_out": 0.5, "non_binding": 0.25},
    "ratification": {"required": 0.5, "none": 1.0},
}
STAGES = ("agenda", "final")


@dataclass(frozen=True)
class Cell:
    """One decision area at one stage: its scores and the rules they come from."""

    area: str
    stage: str
    delegation: float
    pooling: float
    bodies: list[str]
    rules: list[str]
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "stage": self.stage,
            "delegation": round(self.delegation, 4),
            "pooling": round(self.pooling, 4),
            "bodies": self.bodies,
            "rules": self.rules,
            "why": self.why,
        }


@dataclass(frozen=True)
class AuthorityYear:
    org: str
    year: int
    on: str
    delegation: float | None
    pooling: float | None
    ds: float
    areas: dict[str, dict[str, float]] = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)
    rulebooks: list[str] = field(default_factory=list)
    ds_rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        def r4(v: float | None) -> float | None:
            return None if v is None else round(v, 4)

        return {
            "org": self.org,
            "year": self.year,
            "on": self.on,
            "delegation": r4(self.delegation),
            "pooling": r4(self.pooling),
            "ds": round(self.ds, 4),
            "ds_rule": self.ds_rule,
            "stages": {k: round(v, 4) for k, v in self.stages.items()},
            "areas": {a: {k: round(v, 4) for k, v in d.items()} for a, d in self.areas.items()},
            "cells": [c.to_dict() for c in self.cells],
            "rulebooks": self.rulebooks,
        }


def _vote(spec: DecisionRuleSpec | None) -> tuple[float, str]:
    if spec is None:
        return 0.0, "no decision rule"
    if spec.method == "qualified_majority":
        thr = spec.threshold or 1.0
        key = "majority" if thr <= 0.5 else "qualified_majority"
        return SCALE["vote"][key], f"{spec.id}: {key} ({thr:.2f})"
    if spec.method.startswith("consensus"):
        return SCALE["vote"]["consensus"], f"{spec.id}: {spec.method}"
    return 0.0, f"{spec.id}: {spec.method} (not a way of deciding)"


def _cell(ruleset: RuleSet, rule: CompetenceRule | None, area: str, stage: str) -> Cell:
    if rule is None:
        return Cell(area, stage, 0.0, 0.0, [], [], "no rule in force gives any body this stage")
    kinds = {r.body: r for _, r in ruleset.of(BodyRule)}
    used = [rule.id]
    nonstate = []
    for body in rule.bodies:
        b = kinds.get(body)
        if b is not None:
            used.append(b.id)
        if b is not None and b.composition == "nonstate":
            nonstate.append(body)
    delegation = len(nonstate) / len(rule.bodies)
    state_bodies = [b for b in rule.bodies if b not in nonstate]
    scores, notes = [], []
    bind = sum(SCALE["binding"][x] for x in rule.binding) / len(rule.binding)
    ratif = SCALE["ratification"]["required" if rule.ratification else "none"]
    if stage == "agenda":
        bind, ratif = 1.0, 1.0
    for body in state_bodies:
        if body == "MEMBERS":
            scores.append(0.0)
            notes.append("MEMBERS: any member alone (0)")
            continue
        found = ruleset.decision(rule.matter, body)
        spec = found[1] if found else None
        v, why = _vote(spec)
        if spec is not None:
            used.append(spec.id)
        scores.append(v * bind * ratif)
        notes.append(f"{body}: {why}")
    pooling = sum(scores) / len(scores) if scores else 0.0
    why = (
        f"bodies {', '.join(rule.bodies)}; non-state: {', '.join(nonstate) or 'none'}; "
        + "; ".join(notes)
        + (f"; bindingness {bind:.3g}, ratification x{ratif:g}" if stage == "final" else "")
    )
    return Cell(area, stage, delegation, pooling, list(rule.bodies), sorted(set(used)), why)


def authority_on(
    org: str, on: object, *, rules: Iterable[Rulebook] = (), year: int | None = None
) -> AuthorityYear:
    """The scores of ``org`` from the rules in force on ``on``."""
    ruleset = rules_in_force(org, on, extra=rules)
    comp: dict[tuple[str, str], CompetenceRule] = {}
    for _, r in ruleset.of(CompetenceRule):
        comp[(r.area, r.stage)] = r  # later rulebooks win
    disputes = [r for _, r in ruleset.of(DisputeRule)]
    best = max(disputes, key=lambda r: sum(r.components.values()), default=None)
    ds = sum(best.components.values()) / 7 if best else 0.0
    yr = year if year is not None else ruleset.day.year
    if not ruleset.books or not comp:
        # no rulebook, or none that gives any body a competence: not scored (never 0)
        return AuthorityYear(
            ruleset.org, yr, ruleset.day.isoformat(), None, None, ds,
            rulebooks=[b.id for b in ruleset.books],
        )
    cells = [_cell(ruleset, comp.get((a, s)), a, s) for a in MIA_AREAS for s in STAGES]
    by = {(c.area, c.stage): c for c in cells}
    areas = {
        a: {
            "delegation": (by[(a, "agenda")].delegation + by[(a, "final")].delegation + ds) / 3,
            "pooling": (by[(a, "agenda")].pooling + by[(a, "final")].pooling) / 2,
        }
        for a in MIA_AREAS
    }
    n = len(MIA_AREAS)
    stages = {
        "del_agenda": sum(by[(a, "agenda")].delegation for a in MIA_AREAS) / n,
        "del_final": sum(by[(a, "final")].delegation for a in MIA_AREAS) / n,
        "pool_agenda": sum(by[(a, "agenda")].pooling for a in MIA_AREAS) / n,
        "pool_final": sum(by[(a, "final")].pooling for a in MIA_AREAS) / n,
    }
    return AuthorityYear(
        org=ruleset.org,
        year=yr,
        on=ruleset.day.isoformat(),
        delegation=(stages["del_agenda"] + stages["del_final"] + ds) / 3,
        pooling=(stages["pool_agenda"] + stages["pool_final"]) / 2,
        ds=ds,
        areas=areas,
        stages=stages,
        cells=cells,
        rulebooks=[b.id for b in ruleset.books],
        ds_rule=best.id if best else None,
    )


def authority(
    org: str, start: int, end: int, *, rules: Iterable[Rulebook] = ()
) -> list[AuthorityYear]:
    """One row a year; a year is scored by the rules in force on its last day (MIA codes a
    reform from the year it takes effect). Years before any rulebook have no score."""
    if start > end:
        raise InputError(f"--from {start} is after --to {end}", field="from")
    if start < 1900 or end > 2100:
        raise InputError("years must lie between 1900 and 2100", field="from")
    extra = list(rules)
    return [
        authority_on(org, dt.date(y, 12, 31), rules=extra, year=y) for y in range(start, end + 1)
    ]
