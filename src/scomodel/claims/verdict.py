"""Computing a claim's verdict from the data: run its query as of a day, compare figures.

The verdict is never stored. ``evaluate`` runs the operationalization on the registry
(or a what-if copy) cut at ``as_of``, then applies the threshold in a fixed order:
``holds`` if every holds-condition is true, else ``partly``, else ``fails``, else
``undecided``. A figure the query could not compute (None) makes its conditions
undecidable rather than false. Before the claim was made the answer is ``undecided``
with ``made: false``; before its horizon a claim about the future that is not (yet)
borne out is ``undecided`` too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from scomodel.claims.context import Context, day
from scomodel.claims.loader import QUERIES, LoadedClaim
from scomodel.claims.schema import Condition
from scomodel.errors import InputError
from scomodel.registry import Registry

__all__ = ["Evaluation", "evaluate", "evaluate_all", "VERDICTS", "check", "today"]

VERDICTS = ("holds", "partly", "fails", "undecided")


def today() -> dt.date:
    return dt.date.today()


@dataclass
class Evaluation:
    claim: LoadedClaim
    as_of: dt.date
    verdict: str
    made: bool
    figures: dict[str, Any]
    deciding: list[dict[str, Any]]
    reason: str
    steps: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        e = self.claim.entry
        out: dict[str, Any] = {
            "id": e.id, "seed": e.seed, "locator": e.locator.model_dump(exclude_none=True),
            "made": e.made, "topic": e.topic, "paraphrase": e.paraphrase,
            "as_of": self.as_of.isoformat(), "verdict": self.verdict,
            "claim_made_by_as_of": self.made, "reason": self.reason,
            "operationalization": {"query": e.operationalization.query,
                                   "params": self.claim.params.model_dump(),
                                   "describe": e.operationalization.describe},
            "threshold": e.threshold.model_dump(exclude_none=True),
            "deciding": self.deciding,
            "figures": {k: v for k, v in self.figures.items() if _is_scalar(v)},
            "sources": [{"source": e.seed, "locator": _locator_text(e)}, *self.sources],
            "limits": e.limits,
        }
        if explain:
            out["figures"] = self.figures
            out["steps"] = self.steps
        return out


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, (int, float, str, bool))


def _locator_text(e: Any) -> str:
    loc = e.locator
    return ", ".join(x for x in (loc.section, f"fn {loc.footnote}" if loc.footnote else None,
                                 f"p. {loc.page}" if loc.page else None) if x)


def check(cond: Condition, figures: dict[str, Any]) -> bool | None:
    """One condition on the figures: True, False, or None when a figure is missing."""
    if cond.figure not in figures:
        raise InputError(f"the query gives no figure {cond.figure!r}: it gives "
                         f"{', '.join(sorted(figures))}", field="threshold.figure")
    actual = figures[cond.figure]
    wanted = figures.get(cond.value_figure) if cond.value_figure else cond.value
    if actual is None or wanted is None:
        return None
    op = cond.op
    if op == "contains":
        return wanted in actual
    if op == "not_contains":
        return wanted not in actual
    if op == "==":
        return bool(actual == wanted)
    if op == "!=":
        return bool(actual != wanted)
    try:
        return bool({"<": actual < wanted, "<=": actual <= wanted, ">=": actual >= wanted,
                     ">": actual > wanted}[op])
    except TypeError:
        raise InputError(f"cannot compare {cond.figure}={actual!r} {op} {wanted!r}",
                         field="threshold") from None


def _rule(conds: list[Condition], figures: dict[str, Any]) -> tuple[bool | None, list[dict]]:
    if not conds:
        return False, []
    results = [check(c, figures) for c in conds]
    shown = [{**c.model_dump(exclude_none=True), "actual": figures.get(c.figure),
              "true": r} for c, r in zip(conds, results, strict=True)]
    if any(r is False for r in results):
        return False, shown
    if any(r is None for r in results):
        return None, shown
    return True, shown


def evaluate(claim: LoadedClaim, *, registry: Registry | None = None,
             as_of: object = None) -> Evaluation:
    """The claim's verdict as of ``as_of`` (default today) on ``registry`` (default curated)."""
    reg = registry or Registry.open()
    cut = day(as_of, "as_of") if as_of is not None else today()
    e = claim.entry
    made = day(e.made, "made") <= cut
    ctx = Context(reg, cut, whatif=reg.whatif)
    query = QUERIES[e.operationalization.query][1]
    figures = query(ctx, claim.params)
    verdict, reason, deciding = "undecided", "no rule of the threshold matches", []
    for name in ("holds", "partly", "fails"):
        ok, shown = _rule(getattr(e.threshold, name), figures)
        if ok:
            verdict, deciding, reason = name, shown, f"every {name}-condition is true"
            break
        if ok is None and not deciding:
            deciding, reason = shown, f"a figure the {name}-rule needs is unknown"
    horizon = day(e.threshold.horizon, "horizon") if e.threshold.horizon else None
    if verdict in ("fails", "partly") and horizon and cut < horizon:
        reason = (f"would be '{verdict}', but the claim's horizon ({e.threshold.horizon}) "
                  "has not passed: not yet borne out")
        verdict = "undecided"
    if not made:
        verdict, reason = "undecided", f"the claim was made only in {e.made}"
    return Evaluation(claim, cut, verdict, made, figures, deciding, reason,
                      [s.to_dict() for s in ctx.steps], ctx.sources)


def evaluate_all(claims: list[LoadedClaim], *, registry: Registry | None = None,
                 as_of: object = None) -> list[Evaluation]:
    reg = registry or Registry.open()
    return [evaluate(c, registry=reg, as_of=as_of) for c in claims]
