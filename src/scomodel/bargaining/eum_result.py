"""What an expected-utility run gives back: the rounds, the forecast, their JSON form.

The records of :func:`scomodel.bargaining.eum.run_eum` and the two summaries of a round
(the weighted median that is the forecast, and the weighted mean), apart from the model's
arithmetic so that the faces and the Monte Carlo layer read results without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scomodel.bargaining.eum_options import EUMOptions

__all__ = ["EUMRound", "EUMResult", "MOVE_KINDS", "weighted_median", "weighted_mean"]

#: offer kinds, in the order an actor prefers to accept them (A4)
MOVE_KINDS = ("none", "confrontation", "compromise", "capitulation")


@dataclass(frozen=True)
class EUMRound:
    """The state after one round (round 0 is the input)."""

    round: int
    median: float
    mean: float
    positions: np.ndarray
    risk: np.ndarray  # exponents r_i used to take this round's decisions (1 for round 0)
    move: np.ndarray  # index into MOVE_KINDS
    partner: np.ndarray  # the actor whose offer was accepted, -1 if none
    detail: dict[str, np.ndarray] | None = None  # P, EUs and offers, when asked for

    def to_dict(self, actors: Sequence[str]) -> dict[str, Any]:
        out = {
            "round": self.round,
            "median": float(self.median),
            "mean": float(self.mean),
            "positions": {a: float(p) for a, p in zip(actors, self.positions, strict=True)},
            "risk": {a: float(r) for a, r in zip(actors, self.risk, strict=True)},
            "moves": {
                a: {"kind": MOVE_KINDS[int(k)], "towards": actors[int(p)]}
                for a, k, p in zip(actors, self.move, self.partner, strict=True)
                if int(k) != 0
            },
        }
        if self.detail is not None:
            out.update(_detail_dict(self.detail, actors))
        return out


def _matrix(m: np.ndarray, actors: Sequence[str]) -> dict[str, dict[str, float]]:
    return {
        a: {b: float(m[i, j]) for j, b in enumerate(actors) if i != j} for i, a in enumerate(actors)
    }


def _detail_dict(d: dict[str, np.ndarray], actors: Sequence[str]) -> dict[str, Any]:
    """Per-pair numbers of one round: P_ij, E^i(U_ij), E(U_ji) and every offer received."""
    kinds, pos = d["offer_kind"], d["offer_position"]
    return {
        "probability": _matrix(d["p"], actors),
        "eu_challenge": _matrix(d["a"], actors),
        "eu_challenged": _matrix(d["b"], actors),
        "offers": {
            a: [
                {
                    "from": actors[j],
                    "kind": MOVE_KINDS[int(kinds[i, j])],
                    "position": float(pos[i, j]),
                }
                for j in range(len(actors))
                if kinds[i, j]
            ]
            for i, a in enumerate(actors)
        },
    }


@dataclass(frozen=True)
class EUMResult:
    """Per-round medians, means and positions; ``forecast`` is the last median."""

    actors: tuple[str, ...]
    rounds: list[EUMRound]
    options: EUMOptions
    range: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def forecast(self) -> float:
        return float(self.rounds[-1].median)

    @property
    def medians(self) -> np.ndarray:
        return np.array([r.median for r in self.rounds])

    @property
    def means(self) -> np.ndarray:
        return np.array([r.mean for r in self.rounds])

    def positions(self) -> np.ndarray:
        """(rounds + 1, n) array of positions, round 0 first."""
        return np.vstack([r.positions for r in self.rounds])

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": "eum",
            "forecast": self.forecast,
            "mean": float(self.rounds[-1].mean),
            "range": self.range,
            "options": self.options.to_dict(),
            "rounds": [r.to_dict(self.actors) for r in self.rounds],
            **self.extra,
        }


def weighted_median(x: np.ndarray, w: np.ndarray, tie: str = "lowest") -> float:
    """The actor position that beats every other in pairwise linear votes (eqs. 26-29).

    With votes linear in distance, the Condorcet winner among the actors' positions is the
    one that minimises sum_k w_k |x_k - x|: the w-weighted median (A8: candidates are the
    actors' positions only; ``tie`` picks among equally supported ones).
    """
    cand = np.sort(x)
    cost = np.abs(x[None, :] - cand[:, None]) @ w
    best = cost.min()
    tied = cand[cost <= best + 1e-12 * max(1.0, abs(best))]
    return float(tied[0] if tie == "lowest" else tied[-1])


def weighted_mean(x: np.ndarray, w: np.ndarray) -> float:
    """The c*s-weighted mean position (the mean row of Table 2)."""
    return float(x @ w / w.sum())
