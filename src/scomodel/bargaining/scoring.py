"""Scores of a forecast against a recorded outcome, and their summary over cases.

Kept apart from the backtest runner so the arithmetic can be tested on cases whose answer
is known. On an issue's scale with status quo q and outcome o:

- **absolute error** |f − o|, and the same as a share of the scale (cases have different
  scales; all built-in cases run 0-100, so the two agree);
- **right side**: the forecast moves the same way from q as the outcome did (up, down, or
  not at all), where "not at all" means within ``TOL`` (2% of the scale) of q;
- **Brier score** of the forecast probability of change p (the share of Monte Carlo runs
  whose forecast moved off q): (p − y)² with y = 1 if the outcome moved off q.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["TOL", "MODELS_AND_BASELINES", "changed", "side", "score_case", "summarise"]

#: a forecast within this share of the scale of the status quo predicts "no change"
TOL = 0.02
MODELS_AND_BASELINES = ("eum", "smp", "veto", "status_quo", "capability_mean", "weighted_median")
BASELINES = ("status_quo", "capability_mean", "weighted_median")


def side(value: float, q: float, scale: tuple[float, float]) -> int:
    """-1, 0 or +1: where ``value`` lies from the status quo, 0 within the tolerance."""
    tol = TOL * (scale[1] - scale[0])
    if value > q + tol:
        return 1
    if value < q - tol:
        return -1
    return 0


def changed(value: float, q: float, scale: tuple[float, float]) -> bool:
    return side(value, q, scale) != 0


def score_case(forecasts: dict[str, float], outcome: float, q: float,
               scale: tuple[float, float],
               p_change: dict[str, float] | None = None) -> dict[str, dict[str, Any]]:
    """Per model: error, share-of-scale error, right side and (with p_change) Brier."""
    width = scale[1] - scale[0]
    y = 1.0 if changed(outcome, q, scale) else 0.0
    want = side(outcome, q, scale)
    out: dict[str, dict[str, Any]] = {}
    for name, f in forecasts.items():
        err = abs(f - outcome)
        row: dict[str, Any] = {
            "forecast": f,
            "abs_error": err,
            "error_share": err / width,
            "right_side": side(f, q, scale) == want,
        }
        if p_change is not None and name in p_change:
            row["p_change"] = p_change[name]
            row["brier"] = (p_change[name] - y) ** 2
        out[name] = row
    return out


def summarise(cases: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per model and baseline: mean error, right-side rate, mean Brier, cases."""
    rows = []
    for name in MODELS_AND_BASELINES:
        got = [c["scores"][name] for c in cases if name in c["scores"]]
        if not got:
            continue
        briers = [g["brier"] for g in got if "brier" in g]
        rows.append({
            "model": name,
            "kind": "baseline" if name in BASELINES else "model",
            "cases": len(got),
            "mean_abs_error": sum(g["abs_error"] for g in got) / len(got),
            "mean_error_share": sum(g["error_share"] for g in got) / len(got),
            "right_side_rate": sum(bool(g["right_side"]) for g in got) / len(got),
            "mean_brier": sum(briers) / len(briers) if briers else None,
        })
    return rows
