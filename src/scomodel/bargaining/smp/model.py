"""KTAB's Spatial Model of Politics, one turn at a time, in NumPy.

A turn: every actor finds the target it gains most from challenging, proposes a bargain
interpolated between the two positions, and then every actor adopts the most probable
bargain among those that involve it (or keeps its position). Turns repeat until a turn
moves positions less than 2 % as much as the first did. The comments name the KTAB
routine each step mirrors (``examples/smp/libsrc/smpbcn.cpp``, ``smp.cpp``); the state
is in ``state.py``, the challenges in ``challenge.py``, the bargains in ``bargain.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scomodel.bargaining.smp import kernels as K
from scomodel.bargaining.smp.bargain import _Bargains, choose_bargains, propose_bargains
from scomodel.bargaining.smp.challenge import best_challenges
from scomodel.bargaining.smp.options import SMPOptions
from scomodel.bargaining.smp.scenario import SMPScenario
from scomodel.bargaining.smp.state import StateView, state_view

__all__ = ["SMPResult", "StateView", "run_smp", "state_view", "best_challenges",
           "propose_bargains", "step"]


@dataclass(frozen=True)
class SMPResult:
    """A finished run: one row per state, the initial state first."""

    scenario: SMPScenario
    options: SMPOptions
    positions: np.ndarray  # (states, n, d) on the 0-1 scale
    probabilities: np.ndarray  # (states, n)
    risk: np.ndarray  # (states, n)
    challenges: list[list[tuple[int, int]]]  # per turn: (initiator, target) pairs

    @property
    def n_turns(self) -> int:
        return len(self.positions) - 1

    def scaled_positions(self) -> np.ndarray:
        """Positions on the scenario's own scale, (states, n, d)."""
        return self.scenario.to_scale(self.positions)

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON: ``turns`` (initial state first) and ``final``."""
        names = self.scenario.actors
        pos = self.scaled_positions()
        turns = [
            {
                "positions": {a: [float(x) for x in pos[t, i]] for i, a in enumerate(names)},
                "probabilities": {a: float(self.probabilities[t, i]) for i, a in enumerate(names)},
            }
            for t in range(len(pos))
        ]
        return {
            "model": "smp",
            "scenario": self.scenario.name,
            "dimensions": list(self.scenario.dimensions),
            "actors": list(names),
            "n_turns": self.n_turns,
            "turns": turns,
            "final": turns[-1],
        }


def step(
    pos: np.ndarray,
    sal: np.ndarray,
    cap: np.ndarray,
    view: StateView,
    opts: SMPOptions,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, _Bargains]:
    """One turn (``SMPState::doBCN``): challenges, bargains, then each actor's choice."""
    brg = propose_bargains(pos, sal, cap, view, opts)
    new = choose_bargains(pos, sal, cap, view, brg, opts, rng)
    return new, brg


def _state_dist(a: np.ndarray, b: np.ndarray) -> float:
    """``SMPModel::stateDist``: summed Euclidean movement of all actors."""
    return float(K.seq_sum(np.sqrt(K.seq_sum((a - b) ** 2, axis=1))))


def run_smp(
    scenario: SMPScenario,
    options: SMPOptions | None = None,
    *,
    seed: int | np.random.SeedSequence | None = None,
) -> SMPResult:
    """Run the SMP until it settles (KTAB's ``smpStopFn``) and return every state.

    ``seed`` only matters with stochastic transitions; deterministic runs ignore it.
    """
    opts = options or SMPOptions()
    rng = np.random.default_rng(seed) if seed is not None else np.random.default_rng(0)
    cap = np.asarray(scenario.capability, dtype=float)
    sal = scenario.unit_saliences()
    pos = scenario.unit_positions()
    states = [pos]
    view = state_view(pos, sal, cap, opts)
    probs, risks = [view.prob], [view.risk]
    challenges: list[list[tuple[int, int]]] = []
    d01 = 0.0
    it = 0
    while True:
        it += 1
        pos, brg = step(pos, sal, cap, view, opts, rng)
        challenges.append(list(zip(brg.init.tolist(), brg.rcvr.tolist(), strict=True)))
        states.append(pos)
        view = state_view(pos, sal, cap, opts)
        probs.append(view.prob)
        risks.append(view.risk)
        if it == 1:
            d01 = _state_dist(states[0], states[1]) + opts.min_sig_delta
        ratio = _state_dist(states[-2], states[-1]) / d01
        if it >= opts.max_turns or (it >= opts.min_turns and ratio < opts.min_delta_ratio):
            break
    return SMPResult(
        scenario=scenario,
        options=opts,
        positions=np.stack(states),
        probabilities=np.stack(probs),
        risk=np.stack(risks),
        challenges=challenges,
    )
