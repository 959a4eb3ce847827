"""Bueno de Mesquita's expected-utility model, as formalised by Scholz, Calbert & Smith (2011).

One issue, n actors with capability c, position x and salience s. Each round every actor
weighs, against every other actor, the expected utility of challenging it and of being
challenged by it (eqs. 5-7, 25), after setting its risk exponent from how exposed its
position is (eqs. 32-34); it then accepts the best offer it receives (Fig. 6, eqs. 35-36)
and all actors move at once. The forecast is the capability-times-salience weighted median
after each round. Every ambiguity of the paper is a field of :class:`EUMOptions`.

Everything is vectorised over the n x n pairs; the only O(n^3) sum (the vote mass behind
the probability of success) is accumulated in chunks of voters so memory stays O(n^2).
See ``docs/bargaining.md`` for the equations and ``eum_reference.py`` for the same model
written as plain loops.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scomodel.bargaining.eum_options import EUMOptions
from scomodel.errors import InputError

__all__ = [
    "EUMRound",
    "EUMResult",
    "run_eum",
    "weighted_median",
    "weighted_mean",
    "probabilities",
    "risk_exponents",
    "challenge_eu",
]

#: offer kinds, in the order an actor prefers to accept them (A4)
MOVE_KINDS = ("none", "confrontation", "compromise", "capitulation")
_CHUNK_ELEMENTS = 1000000  # voters x n x n elements per chunk of the vote sum


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


def _vote_distances(x: np.ndarray, r: np.ndarray, rng: float) -> np.ndarray:
    """D[k, a] = (|x_k - x_a| / R) ** r_k: voter k's loss from outcome x_a."""
    d = np.abs(x[:, None] - x[None, :]) / rng
    return d ** r[:, None]


def probabilities(
    x: np.ndarray, w: np.ndarray, r: np.ndarray, rng: float, opts: EUMOptions
) -> np.ndarray:
    """P[i, j]: the probability that i prevails over j (eq. 31, A3).

    Numerator: the vote weight of voters who prefer x_i to x_j. Denominator: the same
    pair's total |vote| (``pair``) or every voter's |vote| over every ordered pair of
    actors (``all_pairs``, the code's reading, which makes P small).
    """
    n = len(x)
    vr = r if opts.vote_risk == "voter" else np.ones(n)
    dv = _vote_distances(x, vr, rng)
    # P depends on the two positions only: compute it for the distinct ones and expand
    _, first, inv = np.unique(x, return_index=True, return_inverse=True)
    du = dv[:, first]
    m = len(first)
    num = np.zeros((m, m))
    pair_den = np.zeros((m, m)) if opts.probability == "pair" else None
    step = max(1, _CHUNK_ELEMENTS // max(1, m * m))
    buf = np.empty((min(step, n), m, m))
    for k0 in range(0, n, step):
        blk = du[k0 : k0 + step]
        diff = buf[: len(blk)]
        np.subtract(blk[:, None, :], blk[:, :, None], out=diff)  # [k, i, j] = D[k, j] - D[k, i]
        wk = w[k0 : k0 + step]
        if pair_den is not None:
            pair_den += np.einsum("k,kij->ij", wk, np.abs(diff))
        np.maximum(diff, 0.0, out=diff)
        num += np.einsum("k,kij->ij", wk, diff)  # not BLAS: its threads stall on a busy box
    num = num[inv][:, inv]
    if pair_den is not None:
        pair_den = pair_den[inv][:, inv]
    if pair_den is not None:
        den: np.ndarray | float = pair_den
    else:
        ys = np.sort(dv, axis=1)
        coef = 2.0 * np.arange(n) - n + 1.0
        den = float(w @ (2.0 * (ys @ coef)))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(np.asarray(den) > 0, num / den, 0.0)
    p[x[:, None] == x[None, :]] = 0.0
    return np.asarray(p)


def _u(base: np.ndarray, r: np.ndarray) -> np.ndarray:
    """The BDM 1985 transform 2 - 4 * base ** r (eqs. 15, 16, 22-24)."""
    return 2.0 - 4.0 * np.power(base, r)


def challenge_eu(
    d: np.ndarray,
    p: np.ndarray,
    s_resist: np.ndarray,
    r: np.ndarray,
    d_mu: np.ndarray,
    better: np.ndarray,
    q: float,
) -> np.ndarray:
    """E(U) of challenging minus not challenging (eqs. 5-7 / 25) for arrays of pairs.

    ``d`` is the challenger-target distance over R, ``p`` the challenger's probability of
    prevailing, ``s_resist`` the probability the target resists, ``r`` the risk exponent of
    whoever evaluates, ``d_mu`` the challenger's distance to the median over R and
    ``better`` the T indicator. All broadcast together.
    """
    us = _u(0.5 - 0.5 * d, r)
    uf = _u(0.5 + 0.5 * d, r)
    usq = 2.0 - 4.0 * np.power(0.5, r)
    challenge = s_resist * (p * us + (1.0 - p) * uf) + (1.0 - s_resist) * us
    if q >= 1.0:
        return challenge - usq
    ub = _u(0.5 - 0.25 * (d_mu + d), r)
    uw = _u(0.5 + 0.25 * (d_mu + d), r)
    return challenge - (q * usq + (1.0 - q) * (better * ub + (1.0 - better) * uw))


def _t_matrix(x: np.ndarray, mu: float, opts: EUMOptions) -> np.ndarray:
    """T[i, j] = 1 when j moving to the median leaves i better off (A5)."""
    if opts.t_rule == "always":
        return np.ones((len(x), len(x)))
    return (np.abs(x - mu)[:, None] < np.abs(x[:, None] - x[None, :])).astype(float)


def risk_exponents(
    x: np.ndarray, s: np.ndarray, w: np.ndarray, rng: float, mu: float, opts: EUMOptions
) -> np.ndarray:
    """r_i from the security levels (eqs. 32-34), computed in a first pass with all r = 1.

    Sec_i is the sum of what the others expect from challenging i; the most exposed actor
    gets R_i = 1 (r = 0.5, risk acceptant), the safest R_i = -1 (r = 2, risk averse).
    """
    n = len(x)
    ones = np.ones(n)
    d = np.abs(x[:, None] - x[None, :]) / rng
    p = probabilities(x, w, ones, rng, opts)
    eu = challenge_eu(
        d,
        p,
        s[None, :],
        ones[:, None],
        (np.abs(x - mu) / rng)[:, None],
        _t_matrix(x, mu, opts) if opts.q < 1.0 else ones[:, None],
        opts.q,
    )
    np.fill_diagonal(eu, 0.0)
    sec = eu.sum(axis=0)  # column i: everyone challenging i
    hi, lo = sec.max(), sec.min()
    big_r = (2.0 * sec - hi - lo) / (hi - lo) if hi > lo else np.zeros(n)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def _choose(
    x: np.ndarray, a: np.ndarray, b: np.ndarray, opts: EUMOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each actor's accepted offer (Fig. 6 octants, eqs. 35-36, A4 and A7), plus every offer
    received: its kind (0 none, 1 confrontation, 2 compromise, 3 capitulation) and position."""
    n = len(x)
    valid = x[:, None] != x[None, :]
    xi, xj = x[:, None], x[None, :]
    conf = valid & (b > a) & (a > 0)
    if opts.compromise_minus == "figure":
        comp = valid & (b > 0) & (a < 0) & (b > np.abs(a))
    else:
        comp = valid & (b < 0) & (a < 0) & (np.abs(b) > np.abs(a))
    cap = (
        valid & (b > 0) & (a < 0) & (np.abs(a) >= b) if opts.capitulation else np.zeros_like(valid)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        comp_pos = xi + (xj - xi) * np.abs(a / b)
        weighted = (np.abs(a) * xi + np.abs(b) * xj) / (np.abs(a) + np.abs(b))
    full_move = np.abs(xj - xi) + np.zeros((n, n))
    comp_key = weighted if opts.offer_selection == "scholz_code" else np.abs(comp_pos - xi)

    new = x.copy()
    kind = np.zeros(n, dtype=np.int8)
    partner = np.full(n, -1, dtype=np.int64)
    rows = np.arange(n)
    done = np.zeros(n, dtype=bool)
    for code, mask, key, target in (
        (1, conf, full_move, np.broadcast_to(xj, (n, n))),
        (2, comp, comp_key, comp_pos),
        (3, cap, full_move, np.broadcast_to(xj, (n, n))),
    ):
        has = mask.any(axis=1) & ~done
        if not has.any():
            continue
        j = np.argmin(np.where(mask, key, np.inf), axis=1)
        sel = rows[has]
        new[sel] = target[sel, j[sel]]
        kind[sel] = code
        partner[sel] = j[sel]
        done |= has
    offer_kind = np.where(conf, 1, np.where(comp, 2, np.where(cap, 3, 0))).astype(np.int8)
    offer_pos = np.where(comp & ~conf, comp_pos, np.broadcast_to(xj, (n, n)))
    return new, kind, partner, offer_kind, np.where(offer_kind > 0, offer_pos, np.nan)


def step(
    x: np.ndarray, c: np.ndarray, s: np.ndarray, rng: float, opts: EUMOptions, detail: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray] | None]:
    """One round: risk exponents, expected utilities, offers and the simultaneous move."""
    w = c * s
    mu = weighted_median(x, w, opts.median_tie)
    r = risk_exponents(x, s, w, rng, mu, opts)
    d = np.abs(x[:, None] - x[None, :]) / rng
    p = probabilities(x, w, r, rng, opts)
    t = _t_matrix(x, mu, opts) if opts.q < 1.0 else np.ones((1, 1))
    d_mu = np.abs(x - mu) / rng
    # a[i, j] = E^i(U_ij): i's view of challenging j
    a = challenge_eu(d, p, s[None, :], r[:, None], d_mu[:, None], t, opts.q)
    # b[i, j] = E(U_ji): j challenging i, through i's eyes (A1, A2)
    r_b = r[:, None] if opts.opponent_risk == "viewer" else r[None, :]
    s_b = s[:, None] if opts.resist_salience == "target" else s[None, :]
    b = challenge_eu(d, p.T, s_b, r_b, d_mu[None, :], t.T, opts.q)
    new, kind, partner, offer_kind, offer_pos = _choose(x, a, b, opts)
    info = None
    if detail:
        info = {"p": p, "a": a, "b": b, "offer_kind": offer_kind, "offer_position": offer_pos}
    return new, r, kind, partner, info


def _as_arrays(
    capability: Sequence[float] | np.ndarray,
    position: Sequence[float] | np.ndarray,
    salience: Sequence[float] | np.ndarray,
    opts: EUMOptions,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    c = np.asarray(capability, dtype=float)
    x = np.asarray(position, dtype=float)
    s = np.asarray(salience, dtype=float)
    if not (c.shape == x.shape == s.shape) or c.ndim != 1:
        raise InputError("capability, position and salience must be equal-length vectors")
    if len(x) < 2:
        raise InputError("the expected-utility model needs at least two actors")
    for name, v in (("capability", c), ("position", x), ("salience", s)):
        if not np.all(np.isfinite(v)):
            raise InputError(f"{name} must be finite numbers", field=name)
    if np.any(c < 0) or np.any(s < 0):
        raise InputError("capability and salience must be non-negative")
    scale = opts.salience_scale or (100.0 if s.max() > 1.0 else 1.0)
    s = s / scale
    if s.max() > 1.0:
        raise InputError(f"salience above {scale:g} after scaling", field="salience")
    return c, x, s


def run_eum(
    capability: Sequence[float] | np.ndarray,
    position: Sequence[float] | np.ndarray,
    salience: Sequence[float] | np.ndarray,
    actors: Sequence[str] | None = None,
    options: EUMOptions | None = None,
    detail: bool = False,
) -> EUMResult:
    """Run the model for ``options.rounds`` rounds; returns every round (round 0 = input).

    ``detail`` keeps, for each round, the probabilities of success, both expected
    utilities of every pair and every offer each actor received.
    """
    opts = options or EUMOptions()
    c, x, s = _as_arrays(capability, position, salience, opts)
    names = tuple(actors) if actors is not None else tuple(f"A{i + 1}" for i in range(len(x)))
    if len(names) != len(x):
        raise InputError("one name per actor is needed", field="actors")
    w = c * s
    rng0 = float(x.max() - x.min())
    if rng0 <= 0:
        raise InputError("all actors hold the same position: nothing to bargain over")
    n = len(x)
    zeros_i = np.zeros(n, dtype=np.int8)
    rounds = [
        EUMRound(
            0,
            weighted_median(x, w, opts.median_tie),
            weighted_mean(x, w),
            x.copy(),
            np.ones(n),
            zeros_i,
            np.full(n, -1),
        )
    ]
    rng = rng0
    for t in range(1, opts.rounds + 1):
        if opts.range_rule == "current":
            cur = float(x.max() - x.min())
            rng = cur if cur > 0 else rng
        new, r, kind, partner, info = step(x, c, s, rng, opts, detail)
        x = new
        rounds.append(
            EUMRound(
                t,
                weighted_median(x, w, opts.median_tie),
                weighted_mean(x, w),
                x.copy(),
                r,
                kind,
                partner,
                info,
            )
        )
        if opts.stop_when_stable and not kind.any():
            break
    return EUMResult(actors=names, rounds=rounds, options=opts, range=rng0)
