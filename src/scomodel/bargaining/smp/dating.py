"""Dated inputs of an SMP scenario: which codings could have been known before its decision.

The SMP format cites per actor, not per number: an actor's ``sources`` are where its
positions and saliences on every dimension are read from, and its capability has its own
citation (CINC by default). Each of these is an input, dated and judged by the same rules
as the bargaining part's scenarios (:mod:`scomodel.bargaining.dated`): a citation's own
``dated:``, else the source's ``published``/``year`` (the scenario's ``sources:`` first,
then the registry's), and conservative comparison of partial dates. A scenario with no
``decision_date`` (a KTAB CSV, an undated YAML) cannot be audited, so ``--ex-ante``
refuses it.
"""

from __future__ import annotations

from typing import Any

from scomodel.bargaining.dated import DatedInput, known_dates, refuse_hindsight, status_of
from scomodel.bargaining.smp.scenario import SMPScenario
from scomodel.errors import InputError

__all__ = ["audit_smp", "hindsight_smp", "smp_hindsight_summary", "require_smp_ex_ante"]


def audit_smp(sc: SMPScenario, known: dict[str, str] | None = None) -> list[DatedInput]:
    """Every cited input of a dated SMP scenario with its date and status ([] if undated)."""
    if sc.decision_date is None:
        return []
    dates = known_dates(dict(sc.source_dates), known)
    out: list[DatedInput] = []
    for k, actor in enumerate(sc.actors):
        cap = sc.capability_sources.get(actor)
        if cap is None:  # a bare number: nothing says where it comes from or when
            out.append(DatedInput(f"actors.{k}.capability", "capability", actor, "", None,
                                  "undated"))
        else:
            when = cap.dated or dates.get(cap.key)
            out.append(DatedInput(f"actors.{k}.capability", "capability", actor, cap.key,
                                  when, status_of(when, sc.decision_date)))
        cites = sc.sources.get(actor, ())
        if not cites:
            out.append(DatedInput(f"actors.{k}.sources", "position/salience", actor, "", None,
                                  "undated"))
        for j, s in enumerate(cites):
            when = s.dated or dates.get(s.key)
            out.append(DatedInput(f"actors.{k}.sources.{j}", "position/salience", actor,
                                  s.key, when, status_of(when, sc.decision_date)))
    return out


def hindsight_smp(sc: SMPScenario, known: dict[str, str] | None = None) -> list[DatedInput]:
    """The inputs that are not ex-ante (hindsight or undated)."""
    return [d for d in audit_smp(sc, known) if d.status != "ex-ante"]


def smp_hindsight_summary(sc: SMPScenario) -> dict[str, Any]:
    """What every SMP output carries: decision date (``None`` if the scenario has none),
    the number of flagged inputs (``None`` when there is nothing to audit against) and them."""
    if sc.decision_date is None:
        return {"decision_date": None, "hindsight_inputs": None, "hindsight": []}
    rows = hindsight_smp(sc)
    return {
        "decision_date": sc.decision_date.isoformat(),
        "hindsight_inputs": len(rows),
        "hindsight": [r.to_dict() for r in rows],
    }


def require_smp_ex_ante(sc: SMPScenario, file: str | None = None) -> None:
    """``--ex-ante``: refuse an undated scenario, or one with any hindsight/undated input."""
    if sc.decision_date is None:
        raise InputError(
            f"{sc.name} has no decision_date, so no input can be shown to be ex-ante",
            file=file,
            field="decision_date",
        )
    refuse_hindsight(hindsight_smp(sc), sc.decision_date, file)
