"""Several issues at once in the expected-utility model.

Bueno de Mesquita's model is one-dimensional: each issue is bargained on its own scale,
with each actor's salience for that issue. A scenario with several issues runs the model
once per issue and reports them together; the Monte Carlo perturbs them *jointly*: in run k
an actor's capability factor is drawn once and used on every issue (a state is not strong
on one issue and weak on the next in the same world), while positions and saliences get
their own draws per issue. So the joint distribution says, for instance, how often every
issue's forecast lies in its win-set in the same run.

This lives at the scenario/runner level on purpose: the kernel (``eum.run_eum``) is called
unchanged, once per issue and run.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from scomodel.bargaining.eum import run_eum
from scomodel.bargaining.eum_options import EUMOptions
from scomodel.bargaining.montecarlo import QUANTILES
from scomodel.bargaining.veto import win_set
from scomodel.errors import InputError

__all__ = ["IssueInput", "JointInput", "joint_monte_carlo", "joint_input"]


@dataclass(frozen=True)
class IssueInput:
    """One issue's codings, with actor indices into the scenario's actor list."""

    issue: str
    actor_index: tuple[int, ...]
    position: np.ndarray
    salience: np.ndarray
    scale: tuple[float, float]
    status_quo: float | None
    veto_index: tuple[int, ...]  # positions within this issue's actors
    needed: int


@dataclass(frozen=True)
class JointInput:
    capability: np.ndarray  # one per scenario actor
    issues: tuple[IssueInput, ...]
    sd_position: float
    sd_salience: float
    sd_capability: float
    options: EUMOptions


def joint_input(sc: Any, setups: Sequence[tuple[str, Sequence[str], int]],
                options: EUMOptions) -> JointInput:
    """Build the joint input from a scenario and, per issue, (id, veto players, needed)."""
    codes = [a.actor for a in sc.actors]
    cap = np.array([a.capability.value for a in sc.actors], dtype=float)
    issues = []
    for iid, players, needed in setups:
        d = sc.data(iid)
        issues.append(IssueInput(
            issue=iid,
            actor_index=tuple(codes.index(a) for a in d.actors),
            position=d.position,
            salience=d.salience,
            scale=d.scale,
            status_quo=d.status_quo,
            veto_index=tuple(d.actors.index(p) for p in players),
            needed=needed,
        ))
    u = sc.uncertainty
    return JointInput(cap, tuple(issues), u.position, u.salience, u.capability, options)


def _one(inp: JointInput, seq: np.random.SeedSequence) -> tuple[list[float], list[bool]]:
    rng = np.random.default_rng(seq)
    cap = inp.capability * np.exp(rng.normal(0.0, inp.sd_capability, len(inp.capability)))
    forecasts, inside = [], []
    opts = inp.options.with_(salience_scale=100.0)
    for iss in inp.issues:
        n = len(iss.actor_index)
        lo, hi = iss.scale
        x = np.clip(iss.position + rng.normal(0.0, inp.sd_position, n), lo, hi)
        s = np.clip(iss.salience + rng.normal(0.0, inp.sd_salience, n), 0.0, 100.0)
        c = cap[list(iss.actor_index)]
        f = float(x[0]) if x.max() == x.min() else run_eum(c, x, s, options=opts).forecast
        ok = False
        if iss.status_quo is not None and iss.veto_index:
            ws = win_set(x[list(iss.veto_index)], iss.status_quo, iss.needed, lo, hi)
            ok = any(a < f < b for a, b in ws)
        forecasts.append(f)
        inside.append(ok)
    return forecasts, inside


def _chunk(
    inp: JointInput, seqs: Sequence[np.random.SeedSequence]
) -> tuple[np.ndarray, np.ndarray]:
    out = [_one(inp, s) for s in seqs]
    return np.array([o[0] for o in out]), np.array([o[1] for o in out], dtype=bool)


def joint_monte_carlo(inp: JointInput, runs: int, seed: int = 0,
                      workers: int | None = None) -> dict[str, Any]:
    """``runs`` joint draws; run k uses ``SeedSequence(seed).spawn(runs)[k]`` whatever the
    number of workers, so results depend on the seed only."""
    if runs < 1:
        raise InputError(f"runs must be at least 1, got {runs}", field="runs")
    workers = workers or min(2, os.cpu_count() or 1)
    seqs = np.random.SeedSequence(seed).spawn(runs)
    if workers == 1 or runs < 20:
        f, ok = _chunk(inp, seqs)
    else:
        size = max(1, runs // (4 * workers))
        parts = [(i, min(runs, i + size)) for i in range(0, runs, size)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            res = list(pool.map(_chunk, [inp] * len(parts), [seqs[a:b] for a, b in parts]))
        f = np.concatenate([r[0] for r in res])
        ok = np.concatenate([r[1] for r in res])
    per_issue = {}
    for j, iss in enumerate(inp.issues):
        q = np.quantile(f[:, j], QUANTILES)
        per_issue[iss.issue] = {
            "runs": runs,
            "seed": seed,
            "quantiles": {
                f"p{int(p * 100):02d}": float(v) for p, v in zip(QUANTILES, q, strict=True)
            },
            "mean": float(f[:, j].mean()),
            "std": float(f[:, j].std()),
            "p_consensus": float(ok[:, j].mean()),
        }
    corr = np.corrcoef(f.T) if len(inp.issues) > 1 and np.all(f.std(axis=0) > 0) else None
    return {
        "runs": runs,
        "seed": seed,
        "workers": workers,
        "issues": per_issue,
        "p_all_in_win_set": float(ok.all(axis=1).mean()),
        "forecast_correlation": corr.round(4).tolist() if corr is not None else None,
        "outcomes": f,
    }
