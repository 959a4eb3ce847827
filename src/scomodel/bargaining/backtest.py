"""The backtest: the bargaining models on real decisions coded ex-ante, scored.

Why: a model's record can only be judged on forecasts that could have been made. Each case
in ``scomodel/scenarios/backtest/`` is a scenario whose every input is dated before its
decision (refused otherwise, as ``--ex-ante``), with one issue whose ``outcome`` places the
recorded decision on the issue's scale. Each case runs

- the expected-utility model (``eum``: the weighted median after 8 rounds),
- the spatial model (``smp``: KTAB's SMP on the one dimension; the capability x
  salience-weighted mean of the final positions),
- the veto-player analysis (``veto``: members from the registry and the rule from the
  charter on the decision date; the point forecast is the status quo when the win-set is
  empty, else the middle of its largest part),

and three naive baselines computed the same way: the status quo persists; the
capability-weighted mean of the initial positions; their capability x salience-weighted
median (the EUM's round 0). Scores (:mod:`scomodel.bargaining.scoring`): absolute error on
the scale, whether the forecast falls on the right side of the status quo, and with Monte
Carlo runs the Brier score of the forecast probability of change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from scomodel.bargaining.dated import require_ex_ante
from scomodel.bargaining.eum import run_eum
from scomodel.bargaining.eum_options import reading
from scomodel.bargaining.montecarlo import MCInput, perturb
from scomodel.bargaining.scenario import Scenario, load_scenario
from scomodel.bargaining.scoring import MODELS_AND_BASELINES, score_case, summarise
from scomodel.bargaining.veto import analyse, win_set
from scomodel.errors import InputError

__all__ = ["CASES_DIR", "case_paths", "Forecasters", "forecasters", "run_case", "backtest"]

CASES_DIR = Path(str(resources.files("scomodel") / "scenarios" / "backtest"))


def case_paths(folder: str | Path | None = None) -> list[Path]:
    """The cases: by default the built-in scenarios (their first issue) and every file in
    ``scenarios/backtest/``; with ``folder``, that folder's files only."""
    from scomodel.bargaining.builtin import builtin_dir

    if folder is None:
        paths = sorted(builtin_dir().glob("*.yaml")) + sorted(CASES_DIR.glob("*.yaml"))
    else:
        paths = sorted(Path(folder).glob("*.yaml"))
    if not paths:
        raise InputError(f"no backtest cases (*.yaml) in {folder or CASES_DIR}", field="cases")
    return paths


def weighted_median(x: np.ndarray, w: np.ndarray) -> float:
    """The lowest position where the cumulative weight reaches half (the EUM's tie rule)."""
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order])
    return float(x[order][np.searchsorted(cum, cum[-1] / 2.0 - 1e-12)])


def veto_point(ws: Sequence[tuple[float, float]], q: float) -> float:
    """The veto model's point forecast: no change without a win-set, else the middle of its
    largest part (the model says what can pass, not where in it the outcome falls)."""
    if not ws:
        return float(q)
    a, b = max(ws, key=lambda p: p[1] - p[0])
    return float((a + b) / 2.0)


def smp_forecast(c: np.ndarray, x: np.ndarray, s: np.ndarray, scale: tuple[float, float],
                 names: Sequence[str]) -> float:
    """The SMP on one dimension; the c·s-weighted mean of the final positions."""
    from scomodel.bargaining.smp.model import run_smp
    from scomodel.bargaining.smp.scenario import SMPScenario

    sc = SMPScenario(name="case", description="", actors=tuple(names), dimensions=("issue",),
                     capability=np.asarray(c, float), position=np.asarray(x, float)[:, None],
                     salience=np.asarray(s, float)[:, None], scale=scale)
    final = run_smp(sc).scaled_positions()[-1][:, 0]
    w = c * s
    return float((final * w).sum() / w.sum())


@dataclass(frozen=True)
class Forecasters:
    """One case's numbers and what every model and baseline forecasts from them."""

    actors: tuple[str, ...]
    scale: tuple[float, float]
    status_quo: float
    veto_index: tuple[int, ...]
    needed: int

    def all(self, c: np.ndarray, x: np.ndarray, s: np.ndarray,
            with_smp: bool = True) -> dict[str, float]:
        lo, hi = self.scale
        q = self.status_quo
        out = {
            "eum": float(x[0]) if np.ptp(x) == 0 else run_eum(
                c, x, s, self.actors, reading("scholz_code", salience_scale=100.0)).forecast,
            "veto": veto_point(win_set(x[list(self.veto_index)], q, self.needed, lo, hi), q),
            "status_quo": float(q),
            "capability_mean": float((c * x).sum() / c.sum()),
            "weighted_median": weighted_median(x, c * s),
        }
        if with_smp:
            out["smp"] = float(x[0]) if np.ptp(x) == 0 else smp_forecast(
                c, x, s, self.scale, self.actors)
        return out


def forecasters(sc: Scenario) -> tuple[Forecasters, Any]:
    issue = sc.issues[0]
    data = sc.data(issue.id)
    v = analyse(sc, issue.id)  # members and rule in force on the date
    idx = tuple(data.actors.index(p) for p in v.veto_players)
    f = Forecasters(data.actors, data.scale, float(issue.status_quo.value), idx, v.needed)
    return f, v


def run_case(path: str | Path, runs: int = 0, seed: int = 0,
             mc_smp: bool = False) -> dict[str, Any]:
    """One case: the forecasts, the Monte Carlo probability of change, and the scores."""
    sc = load_scenario(path)
    require_ex_ante(sc, str(path))
    issue = sc.issues[0]
    if issue.outcome is None or issue.outcome.value is None:
        raise InputError("a backtest case needs an outcome value on its first issue",
                         file=str(path), field="issues.0.outcome.value")
    data = sc.data(issue.id)
    f, v = forecasters(sc)
    point = f.all(data.capability, data.position, data.salience)
    p_change: dict[str, float] | None = None
    if runs:
        p_change = _probability_of_change(sc, f, data, runs, seed, mc_smp)
    scores = score_case(point, float(issue.outcome.value), f.status_quo, f.scale, p_change)
    return {
        "case": sc.name,
        "title": sc.title,
        "date": sc.date.isoformat(),
        "org": sc.org,
        "issue": issue.id,
        "scale": list(f.scale),
        "low": issue.scale.low,
        "high": issue.scale.high,
        "status_quo": f.status_quo,
        "outcome": float(issue.outcome.value),
        "outcome_summary": issue.outcome.summary,
        "outcome_source": f"{issue.outcome.source}, {issue.outcome.locator}",
        "veto_players": v.veto_players,
        "rule": v.rule.kind,
        "win_set": [list(p) for p in v.win_set],
        "forecasts": point,
        "p_change": p_change,
        "scores": scores,
        "hindsight_inputs": 0,
    }


def _probability_of_change(sc: Scenario, f: Forecasters, data: Any, runs: int, seed: int,
                           mc_smp: bool) -> dict[str, float]:
    """Share of perturbed runs whose forecast moves off the status quo (see scoring.TOL)."""
    from scomodel.bargaining.scoring import changed

    inp = MCInput("eum", data.capability, data.position, data.salience, data.scale,
                  f.status_quo, f.veto_index, f.needed, sc.uncertainty.position,
                  sc.uncertainty.salience, sc.uncertainty.capability)
    counts: dict[str, int] = {}
    for seq in np.random.SeedSequence(seed).spawn(runs):
        c, x, s = perturb(inp, np.random.default_rng(seq))
        for name, value in f.all(c, x, s, with_smp=mc_smp).items():
            counts[name] = counts.get(name, 0) + int(changed(value, f.status_quo, f.scale))
    return {k: n / runs for k, n in counts.items()}


def backtest(folder: str | Path | None = None, runs: int = 100, seed: int = 0,
             mc_smp: bool = False,
             on_case: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Every case in the folder, and the summary per model and baseline."""
    cases = []
    for p in case_paths(folder):
        cases.append(run_case(p, runs, seed, mc_smp))
        if on_case:
            on_case(cases[-1]["case"])
    return {
        "cases": cases,
        "summary": summarise(cases),
        "models": [m for m in MODELS_AND_BASELINES],
        "runs": runs,
        "seed": seed,
    }


def plot_backtest(result: dict[str, Any], path: str | Path) -> None:
    """Two panels: each case's outcome and forecasts on its scale, and the mean error and
    right-side rate of every model and baseline."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cases, summary = result["cases"], result["summary"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 0.45 * len(cases) + 2.5),
                                   gridspec_kw={"width_ratios": [3, 2]})
    marks = {"eum": ("o", "C0"), "smp": ("s", "C1"), "veto": ("^", "C2"),
             "capability_mean": ("x", "C3"), "weighted_median": ("+", "C4")}
    for k, c in enumerate(cases):
        ax1.plot(c["scale"], [k, k], color="0.85", lw=1, zorder=0)
        ax1.plot(c["status_quo"], k, "|", color="0.4", ms=12)
        ax1.plot(c["outcome"], k, "*", color="black", ms=12, zorder=3)
        for name, (m, colour) in marks.items():
            ax1.plot(c["forecasts"][name], k, m, color=colour, ms=7, alpha=0.8,
                     label=name if k == 0 else None)
    ax1.plot([], [], "*", color="black", label="outcome")
    ax1.plot([], [], "|", color="0.4", label="status quo")
    ax1.set_yticks(range(len(cases)), [f"{c['case']} ({c['date'][:4]})" for c in cases])
    ax1.invert_yaxis()
    ax1.set_xlabel("position on the case's scale")
    ax1.legend(fontsize=7, loc="lower right")
    names = [s["model"] for s in summary]
    ax2.barh(names, [s["mean_abs_error"] for s in summary],
             color=["C0" if s["kind"] == "model" else "0.6" for s in summary])
    for i, s in enumerate(summary):
        txt = f"right side {s['right_side_rate']:.0%}"
        if s["mean_brier"] is not None:
            txt += f", Brier {s['mean_brier']:.2f}"
        ax2.text(1, i, txt, va="center", fontsize=8, color="white" if s["mean_abs_error"] > 25
                 else "black")
    ax2.invert_yaxis()
    ax2.set_xlabel("mean absolute error (scale points, 0-100)")
    ax2.set_title(f"{len(cases)} decisions coded ex-ante", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
