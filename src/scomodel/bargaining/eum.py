"""Bueno de Mesquita's expected-utility model, as formalised by Scholz, Calbert & Smith (2011).

One issue, n actors with capability c, position x and salience s. Each round every actor
weighs, against every other actor, the expected utility of challenging it and of being
challenged by it (eqs. 5-7, 25), after setting its risk exponent from how exposed its
position is (eqs. 32-34); it then accepts the best offer it receives (Fig. 6, eqs. 35-36)
and all actors move at once. The forecast is the capability-times-salience weighted median
after each round. Every ambiguity of the paper is a field of :class:`EUMOptions`.

Everything is vectorised over the n x n pairs. The vote mass behind the probability of
success is a sum over voters for every pair (n^3 terms); it is taken from prefix sums over
the voters sorted by position (see :func:`_vote_mass`), so a round costs O(n^2 log n) time
and O(n^2) memory.
See ``docs/bargaining.md`` for the equations and ``eum_reference.py`` for the same model
written as plain loops.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scomodel.bargaining.eum_options import EUMOptions
from scomodel.bargaining.eum_result import (
    EUMResult,
    EUMRound,
    weighted_mean,
    weighted_median,
)
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

class _Pairs:
    """What one round's pair computations share: they depend on the positions only.

    ``adiff[i, j] = |x_i - x_j|``, ``d`` the same over R; ``order`` sorts the actors by
    position; ``below[i, j]`` indexes, in the flattened (n + 1) x n prefix sums of the
    vote sum, the entry [voters strictly below the midpoint of x_i and x_j, column j];
    ``lt[i, j]`` is x_i < x_j and ``neq`` x_i != x_j; ``hm``, ``hp`` are 0.5 -/+ d / 2.
    """

    __slots__ = ("n", "x", "adiff", "d", "order", "below", "lt", "neq", "d_sorted", "hm", "hp")

    def __init__(self, x: np.ndarray, rng: float) -> None:
        n = len(x)
        diff = x[None, :] - x[:, None]  # [i, j] = x_j - x_i
        self.n, self.x = n, x
        self.adiff = np.abs(diff)
        self.d = self.adiff / rng
        self.lt = diff > 0
        self.neq = diff != 0
        self.order = np.argsort(x, kind="stable")
        mid = x[:, None] + x[None, :]
        mid *= 0.5
        below = np.searchsorted(x[self.order], mid, side="left")
        below *= n
        below += np.arange(n)
        self.below = below
        self.d_sorted = self.d[self.order]
        self.hm = 0.5 - 0.5 * self.d  # bases of the utilities of success and failure
        self.hp = 0.5 + 0.5 * self.d


def _vote_mass(g: _Pairs, w: np.ndarray, vr: np.ndarray | None) -> np.ndarray:
    """num[i, j] = sum_k w_k max(0, D[k, j] - D[k, i]) with D[k, a] = (|x_k - x_a| / R) ** r_k.

    D[k, j] > D[k, i] exactly when voter k is nearer x_i than x_j (D grows with distance),
    i.e. for x_i < x_j when x_k lies below their midpoint, and above it for x_i > x_j. So
    with the voters sorted by position and C the (n + 1) x n prefix sums of w_k D[k, a],
    num[i, j] = C[t, j] - C[t, i] for x_i < x_j (t voters below the midpoint) and the rest
    of the column sums otherwise: O(n^2 log n) instead of the n^3 terms.
    """
    n = g.n
    ws = w[g.order]
    dv = g.d_sorted * ws[:, None] if vr is None else g.d_sorted ** vr[g.order][:, None]
    if vr is not None:
        dv *= ws[:, None]
    c = np.empty((n + 1, n))
    c[0] = 0.0
    np.cumsum(dv, axis=0, out=c[1:])
    ge = c.take(g.below)  # [i, j] = C[t_ij, j]
    lower = ge - ge.T  # voters below the midpoint: sum w_k (D[k, j] - D[k, i])
    tot = c[n]
    num = tot[None, :] - tot[:, None]
    num -= lower  # voters above the midpoint (those on it add 0)
    np.copyto(num, lower, where=g.lt)
    np.maximum(num, 0.0, out=num)  # rounding only: every term is >= 0
    return num


def _probabilities(g: _Pairs, w: np.ndarray, vr: np.ndarray | None, opts: EUMOptions) -> np.ndarray:
    num = _vote_mass(g, w, vr)
    if opts.probability == "pair":
        den = num + num.T  # the pair's total |vote|: sum_k w_k |D[k, j] - D[k, i]|
        return np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    # every voter's |vote| over every ordered pair of actors
    total = 2.0 * float(num.sum())
    if total > 0:
        num /= total
        return num
    return np.zeros_like(num)


def probabilities(
    x: np.ndarray, w: np.ndarray, r: np.ndarray, rng: float, opts: EUMOptions
) -> np.ndarray:
    """P[i, j]: the probability that i prevails over j (eq. 31, A3).

    Numerator: the vote weight of voters who prefer x_i to x_j. Denominator: the same
    pair's total |vote| (``pair``) or every voter's |vote| over every ordered pair of
    actors (``all_pairs``, the code's reading, which makes P small).
    """
    vr = np.asarray(r, dtype=float) if opts.vote_risk == "voter" else None
    w = np.asarray(w, dtype=float)
    return _probabilities(_Pairs(np.asarray(x, dtype=float), rng), w, vr, opts)


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
    g = _Pairs(np.asarray(x, dtype=float), rng)
    p = _probabilities(g, w, None, opts)
    t = _t_matrix(g.x, mu, opts) if opts.q < 1.0 else None
    return _risk(g, p, s, np.abs(g.x - mu) / rng, t, opts)


def _risk(
    g: _Pairs,
    p: np.ndarray,
    s: np.ndarray,
    d_mu: np.ndarray,
    t: np.ndarray | None,
    opts: EUMOptions,
) -> np.ndarray:
    """:func:`risk_exponents` from the round's pairs and the probabilities with all r = 1."""
    n = g.n
    if t is None:
        # challenge_eu with every r = 1 (base ** 1 is base, so u = 2 - 4 base) and Q = 1
        us = g.hm * -4.0
        us += 2.0
        uf = g.hp * -4.0
        uf += 2.0
        eu = _challenge(p, us, uf, np.zeros(n), s[None, :], None)
        np.fill_diagonal(eu, 0.0)
        sec = eu.sum(axis=0)  # column i: everyone challenging i
    else:
        ones = np.ones(n)
        eu = challenge_eu(g.d, p, s[None, :], ones[:, None], d_mu[:, None], t, opts.q)
        np.fill_diagonal(eu, 0.0)
        sec = eu.sum(axis=0)  # column i: everyone challenging i
    hi, lo = sec.max(), sec.min()
    big_r = (2.0 * sec - hi - lo) / (hi - lo) if hi > lo else np.zeros(n)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def _choose(
    g: _Pairs, a: np.ndarray, b: np.ndarray, opts: EUMOptions, detail: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Each actor's accepted offer (Fig. 6 octants, eqs. 35-36, A4 and A7), plus, with
    ``detail``, every offer received: its kind (0 none, 1 confrontation, 2 compromise,
    3 capitulation) and position."""
    x, n, valid = g.x, g.n, g.neq
    conf = (b > a) & (a > 0) & valid
    if opts.compromise_minus == "figure":
        comp = (a < 0) & (b > -a) & valid  # a < 0 < b and b > |a|
    else:
        comp = (a < 0) & (b < a) & valid  # a < 0, b < 0 and |b| > |a|
    cap = (a < 0) & (b > 0) & (-a >= b) & valid if opts.capitulation else None

    new = x.copy()
    kind = np.zeros(n, dtype=np.int8)
    partner = np.full(n, -1, dtype=np.int64)
    todo = np.ones(n, dtype=bool)
    for code, mask in ((1, conf), (2, comp), (3, cap)):
        if mask is None:
            continue
        has = mask.any(axis=1)
        has &= todo
        if not has.any():
            continue
        sel = np.flatnonzero(has)
        xi = x[sel]
        if code == 2:
            with np.errstate(divide="ignore", invalid="ignore"):
                aa, bb = np.abs(a[sel]), np.abs(b[sel])
                if opts.offer_selection == "scholz_code":
                    key = (aa * xi[:, None] + bb * x[None, :]) / (aa + bb)
                else:
                    pos = xi[:, None] + (x[None, :] - xi[:, None]) * np.abs(a[sel] / b[sel])
                    key = np.abs(pos - xi[:, None])
        else:
            key = g.adiff[sel]
        j = np.argmin(np.where(mask[sel], key, np.inf), axis=1)
        if code == 2:
            new[sel] = xi + (x[j] - xi) * np.abs(a[sel, j] / b[sel, j])
        else:
            new[sel] = x[j]
        kind[sel] = code
        partner[sel] = j
        todo &= ~has
    if not detail:
        return new, kind, partner, None, None
    xi2, xj2 = x[:, None], x[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        comp_pos = xi2 + (xj2 - xi2) * np.abs(a / b)
    no = np.zeros((n, n), dtype=bool)
    offer_kind = np.where(conf, 1, np.where(comp, 2, np.where(no if cap is None else cap, 3, 0)))
    offer_kind = offer_kind.astype(np.int8)
    offer_pos = np.where(comp & ~conf, comp_pos, np.broadcast_to(xj2, (n, n)))
    return new, kind, partner, offer_kind, np.where(offer_kind > 0, offer_pos, np.nan)


def _challenge(
    p: np.ndarray,
    us: np.ndarray,
    uf: np.ndarray,
    usq: np.ndarray,
    s_resist: np.ndarray,
    tmp: np.ndarray | None,
) -> np.ndarray:
    """:func:`challenge_eu` for Q = 1 from the utilities of success, failure and the status
    quo (``usq`` per row), with the same operations in the same order, in place."""
    out = p * us
    tmp = np.subtract(1.0, p, out=tmp)
    tmp *= uf
    out += tmp
    out *= s_resist
    np.multiply(1.0 - s_resist, us, out=tmp)
    out += tmp
    out -= usq[:, None]
    return out


def _eu_pair(
    g: _Pairs, p: np.ndarray, s: np.ndarray, r: np.ndarray, opts: EUMOptions
) -> tuple[np.ndarray, np.ndarray]:
    """a = E^i(U_ij) and b = E(U_ji) through i's eyes for Q = 1 (eqs. 5-7 / 25).

    The utilities depend on d and the evaluator's r only, so a and b share them when b is
    taken with the viewer's r (A2).
    """

    def utilities(rr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        us = np.power(g.hm, rr)
        us *= -4.0
        us += 2.0
        uf = np.power(g.hp, rr)
        uf *= -4.0
        uf += 2.0
        return us, uf

    usq = 2.0 - 4.0 * np.power(0.5, r)
    us, uf = utilities(r[:, None])
    tmp = np.empty_like(us)
    a = _challenge(p, us, uf, usq, s[None, :], tmp)
    s_b = s[:, None] if opts.resist_salience == "target" else s[None, :]
    if opts.opponent_risk == "viewer":
        b = _challenge(p.T, us, uf, usq, s_b, tmp)
    else:  # j's own r: the utilities transposed, so b is the transposed problem
        b = _challenge(p, us, uf, usq, s_b.T, tmp).T
    return a, b


def step(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    rng: float,
    opts: EUMOptions,
    detail: bool = False,
    mu: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray] | None]:
    """One round: risk exponents, expected utilities, offers and the simultaneous move.

    ``mu`` is the weighted median of ``x`` when the caller has it already.
    """
    w = c * s
    if mu is None:
        mu = weighted_median(x, w, opts.median_tie)
    g = _Pairs(x, rng)
    d_mu = np.abs(x - mu) / rng
    t = _t_matrix(x, mu, opts) if opts.q < 1.0 else None
    p1 = _probabilities(g, w, None, opts)  # every r = 1
    r = _risk(g, p1, s, d_mu, t, opts)
    p = _probabilities(g, w, r, opts) if opts.vote_risk == "voter" else p1
    if t is None:
        a, b = _eu_pair(g, p, s, r, opts)
    else:
        # a[i, j] = E^i(U_ij): i's view of challenging j
        a = challenge_eu(g.d, p, s[None, :], r[:, None], d_mu[:, None], t, opts.q)
        # b[i, j] = E(U_ji): j challenging i, through i's eyes (A1, A2)
        r_b = r[:, None] if opts.opponent_risk == "viewer" else r[None, :]
        s_b = s[:, None] if opts.resist_salience == "target" else s[None, :]
        b = challenge_eu(g.d, p.T, s_b, r_b, d_mu[None, :], t.T, opts.q)
    new, kind, partner, offer_kind, offer_pos = _choose(g, a, b, opts, detail)
    info = None
    if detail:
        assert offer_kind is not None and offer_pos is not None
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
        mu = rounds[-1].median  # the median of x, recorded with the last round
        new, r, kind, partner, info = step(x, c, s, rng, opts, detail, mu)
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
