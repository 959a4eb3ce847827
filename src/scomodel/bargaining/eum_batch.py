"""The expected-utility model for many runs at once: runs are a leading array axis.

Monte Carlo runs the same model on thousands of perturbed codings of one scenario. At ten
actors one run is a few hundred tiny NumPy calls (about 1 ms, nearly all call overhead),
so :func:`run_eum_batch` takes B runs as ``(B, n)`` arrays and does each of
:mod:`scomodel.bargaining.eum`'s steps once for all of them.

The arithmetic is the kernel's, operation for operation and in the same order, so every
run's forecast is bit-for-bit the one :func:`~scomodel.bargaining.eum.run_eum` gives
(``tests/bargaining/test_batch.py`` checks it): element-wise steps are the same
element-wise steps; sums run along the same axes in the same order (``cumsum`` over the
voters, column sums over the challengers, one pairwise sum over the n x n vote mass per
run); the count of voters below each midpoint, which the kernel gets from
``searchsorted``, is an exact integer count here. The weighted median is the kernel's rule
on costs from one stacked product (see :func:`weighted_medians`: it picks the same
position; 480,000 random rows with ties agree). Only what the forecast needs is kept (no
per-round records).
"""

from __future__ import annotations

import numpy as np

from scomodel.bargaining import eum_jit as _jit
from scomodel.bargaining.eum import weighted_median
from scomodel.bargaining.eum_options import EUMOptions
from scomodel.errors import InputError

__all__ = ["run_eum_batch", "forecasts", "weighted_medians"]


class _Pairs:
    """:class:`scomodel.bargaining.eum._Pairs` with a leading run axis."""

    __slots__ = ("n", "x", "adiff", "d", "order", "rows", "ge_index", "lt", "neq",
                 "d_sorted", "hm", "hp")

    def __init__(self, x: np.ndarray, rng: np.ndarray) -> None:
        b, n = x.shape
        diff = x[:, None, :] - x[:, :, None]  # [r, i, j] = x_j - x_i
        self.n, self.x = n, x
        self.adiff = np.abs(diff)
        self.d = self.adiff / rng[:, None, None]
        self.lt = diff > 0
        self.neq = diff != 0
        self.order = np.argsort(x, axis=1, kind="stable")
        # rows[r, k]: the flat (run, actor) row of the k-th lowest actor of run r
        self.rows = self.order + (np.arange(b) * n)[:, None]
        mid = x[:, :, None] + x[:, None, :]
        mid *= 0.5
        xs = x.reshape(-1)[self.rows]
        below = _count_below(xs, mid)  # = searchsorted(xs, mid, side="left"), run by run
        # flat index of C[r, below, j] in the (B, n + 1, n) prefix sums
        below *= n
        below += np.arange(n)
        below += (np.arange(b) * (n + 1) * n)[:, None, None]
        self.ge_index = below
        self.d_sorted = self.d.reshape(b * n, n)[self.rows]
        self.hm = 0.5 - 0.5 * self.d
        self.hp = 0.5 + 0.5 * self.d


def _count_below(xs: np.ndarray, mid: np.ndarray) -> np.ndarray:
    """How many of each run's sorted positions lie strictly below each midpoint.

    ``searchsorted`` (the kernel's count) has no batch axis. For small n, adding up the
    n comparisons ``xs[:, k] < mid`` is faster than one call per run; beyond that the
    n^3 comparisons cost more than n^2 log n and the calls win.
    """
    b, n = xs.shape
    if n <= 64:
        out = np.zeros(mid.shape, dtype=np.int64)
        for k in range(n):
            out += xs[:, k, None, None] < mid
        return out
    out = np.empty(mid.shape, dtype=np.int64)
    for r in range(b):
        out[r] = np.searchsorted(xs[r], mid[r], side="left")
    return out


def _vote_mass(g: _Pairs, w: np.ndarray, vr: np.ndarray | None) -> np.ndarray:
    n = g.n
    ws = w.reshape(-1)[g.rows]
    if vr is None:
        dv = g.d_sorted * ws[:, :, None]
    else:
        dv = g.d_sorted ** vr.reshape(-1)[g.rows][:, :, None]
        dv *= ws[:, :, None]
    c = np.empty((len(w), n + 1, n))
    c[:, 0] = 0.0
    np.cumsum(dv, axis=1, out=c[:, 1:])
    ge = c.take(g.ge_index)
    lower = ge - ge.transpose(0, 2, 1)
    tot = c[:, n]
    num = tot[:, None, :] - tot[:, :, None]
    num -= lower
    np.copyto(num, lower, where=g.lt)
    np.maximum(num, 0.0, out=num)
    return num


def _probabilities(g: _Pairs, w: np.ndarray, vr: np.ndarray | None,
                   opts: EUMOptions) -> np.ndarray:
    num = _vote_mass(g, w, vr)
    if opts.probability == "pair":
        den = num + num.transpose(0, 2, 1)
        return np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    b, n = num.shape[0], g.n
    total = 2.0 * num.reshape(b, n * n).sum(axis=1)  # one pairwise sum per run, as .sum()
    pos = total > 0
    np.divide(num, np.where(pos, total, 1.0)[:, None, None], out=num)
    num[~pos] = 0.0
    return num


def _u(base: np.ndarray, r: np.ndarray) -> np.ndarray:
    return 2.0 - 4.0 * np.power(base, r)


def _challenge_eu(d: np.ndarray, p: np.ndarray, s_resist: np.ndarray, r: np.ndarray,
                  d_mu: np.ndarray, better: np.ndarray, q: float) -> np.ndarray:
    us = _u(0.5 - 0.5 * d, r)
    uf = _u(0.5 + 0.5 * d, r)
    usq = 2.0 - 4.0 * np.power(0.5, r)
    challenge = s_resist * (p * us + (1.0 - p) * uf) + (1.0 - s_resist) * us
    if q >= 1.0:
        return challenge - usq
    ub = _u(0.5 - 0.25 * (d_mu + d), r)
    uw = _u(0.5 + 0.25 * (d_mu + d), r)
    return challenge - (q * usq + (1.0 - q) * (better * ub + (1.0 - better) * uw))


def _challenge(p: np.ndarray, us: np.ndarray, uf: np.ndarray, usq: np.ndarray,
               s_resist: np.ndarray, tmp: np.ndarray | None) -> np.ndarray:
    out = p * us
    tmp = np.subtract(1.0, p, out=tmp)
    tmp *= uf
    out += tmp
    out *= s_resist
    np.multiply(1.0 - s_resist, us, out=tmp)
    out += tmp
    out -= usq[:, :, None]
    return out


def _t_matrix(x: np.ndarray, mu: np.ndarray, opts: EUMOptions) -> np.ndarray:
    if opts.t_rule == "always":
        return np.ones((x.shape[0], x.shape[1], x.shape[1]))
    return (np.abs(x - mu[:, None])[:, :, None]
            < np.abs(x[:, :, None] - x[:, None, :])).astype(float)


def _risk(g: _Pairs, p: np.ndarray, s: np.ndarray, d_mu: np.ndarray, t: np.ndarray | None,
          opts: EUMOptions) -> np.ndarray:
    b, n = s.shape
    diag = np.arange(n)
    if t is None:
        us = g.hm * -4.0
        us += 2.0
        uf = g.hp * -4.0
        uf += 2.0
        eu = _challenge(p, us, uf, np.zeros((b, n)), s[:, None, :], None)
    else:
        eu = _challenge_eu(g.d, p, s[:, None, :], np.ones((b, n, 1)), d_mu[:, :, None], t,
                           opts.q)
    eu[:, diag, diag] = 0.0
    sec = eu.sum(axis=1)
    hi, lo = sec.max(axis=1), sec.min(axis=1)
    spread = hi > lo
    big_r = np.zeros((b, n))
    if spread.any():
        num = 2.0 * sec[spread] - hi[spread, None] - lo[spread, None]
        big_r[spread] = num / (hi[spread] - lo[spread])[:, None]
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def _eu_pair(g: _Pairs, p: np.ndarray, s: np.ndarray, r: np.ndarray,
             opts: EUMOptions) -> tuple[np.ndarray, np.ndarray]:
    rr = r[:, :, None]
    us = np.power(g.hm, rr)
    us *= -4.0
    us += 2.0
    uf = np.power(g.hp, rr)
    uf *= -4.0
    uf += 2.0
    usq = 2.0 - 4.0 * np.power(0.5, r)
    tmp = np.empty_like(us)
    a = _challenge(p, us, uf, usq, s[:, None, :], tmp)
    s_b = s[:, :, None] if opts.resist_salience == "target" else s[:, None, :]
    if opts.opponent_risk == "viewer":
        bb = _challenge(p.transpose(0, 2, 1), us, uf, usq, s_b, tmp)
    else:
        bb = _challenge(p, us, uf, usq, s_b.transpose(0, 2, 1), tmp).transpose(0, 2, 1)
    return a, bb


def _choose(g: _Pairs, a: np.ndarray, b: np.ndarray, opts: EUMOptions) -> np.ndarray:
    """The new positions: each actor's accepted offer, as :func:`eum._choose` ranks them."""
    x, valid = g.x, g.neq
    conf = (b > a) & (a > 0) & valid
    if opts.compromise_minus == "figure":
        comp = (a < 0) & (b > -a) & valid
    else:
        comp = (a < 0) & (b < a) & valid
    cap = (a < 0) & (b > 0) & (-a >= b) & valid if opts.capitulation else None
    new = x.copy()
    todo = np.ones(x.shape, dtype=bool)
    xi, xj = x[:, :, None], x[:, None, :]
    b_runs, n = x.shape
    base = (np.arange(b_runs) * n)[:, None]  # flat index of x[r, 0]
    pair = (np.arange(b_runs * n) * n).reshape(b_runs, n)  # flat index of a[r, i, 0]
    for code, mask in ((1, conf), (2, comp), (3, cap)):
        if mask is None:
            continue
        has = mask.any(axis=2)
        has &= todo
        if not has.any():
            continue
        if code == 2:
            with np.errstate(divide="ignore", invalid="ignore"):
                aa, bb = np.abs(a), np.abs(b)
                if opts.offer_selection == "scholz_code":
                    key = (aa * xi + bb * xj) / (aa + bb)
                else:
                    pos = xi + (xj - xi) * np.abs(a / b)
                    key = np.abs(pos - xi)
        else:
            key = g.adiff
        j = np.argmin(np.where(mask, key, np.inf), axis=2)
        xj_sel = x.reshape(-1)[base + j]
        if code == 2:
            at = pair + j
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.abs(a.reshape(-1)[at] / b.reshape(-1)[at])
                moved = x + (xj_sel - x) * ratio
        else:
            moved = xj_sel
        np.copyto(new, moved, where=has)
        todo &= ~has
    return new


def _step(x: np.ndarray, c: np.ndarray, s: np.ndarray, rng: np.ndarray, opts: EUMOptions,
          w: np.ndarray) -> np.ndarray:
    g = _Pairs(x, rng)
    t = d_mu = None
    if opts.q < 1.0:
        mu = np.array([weighted_median(xr, wr, opts.median_tie) for xr, wr in zip(x, w,
                                                                                 strict=True)])
        d_mu = np.abs(x - mu[:, None]) / rng[:, None]
        t = _t_matrix(x, mu, opts)
    p1 = _probabilities(g, w, None, opts)
    r = _risk(g, p1, s, d_mu if d_mu is not None else np.zeros_like(x), t, opts)
    p = _probabilities(g, w, r, opts) if opts.vote_risk == "voter" else p1
    if t is None:
        a, b = _eu_pair(g, p, s, r, opts)
    else:
        assert d_mu is not None
        a = _challenge_eu(g.d, p, s[:, None, :], r[:, :, None], d_mu[:, :, None], t, opts.q)
        r_b = r[:, :, None] if opts.opponent_risk == "viewer" else r[:, None, :]
        s_b = s[:, :, None] if opts.resist_salience == "target" else s[:, None, :]
        b = _challenge_eu(g.d, p.transpose(0, 2, 1), s_b, r_b, d_mu[:, None, :],
                          t.transpose(0, 2, 1), opts.q)
    return _choose(g, a, b, opts)


def run_eum_batch(capability: np.ndarray, position: np.ndarray, salience: np.ndarray,
                  options: EUMOptions | None = None) -> np.ndarray:
    """Final positions ``(B, n)`` of B runs after ``options.rounds`` rounds.

    Each row is one run of :func:`~scomodel.bargaining.eum.run_eum` (same validation,
    same readings). Stopping early once no actor moves changes nothing here: an unmoved
    round leaves the next round the same inputs, so it moves no one either.
    """
    opts = options or EUMOptions()
    c = np.asarray(capability, dtype=float)
    x = np.asarray(position, dtype=float)
    s = np.asarray(salience, dtype=float)
    if not (c.shape == x.shape == s.shape) or c.ndim != 2:
        raise InputError("capability, position and salience must be (runs, actors) arrays")
    if x.shape[1] < 2:
        raise InputError("the expected-utility model needs at least two actors")
    for name, v in (("capability", c), ("position", x), ("salience", s)):
        if not np.all(np.isfinite(v)):
            raise InputError(f"{name} must be finite numbers", field=name)
    if np.any(c < 0) or np.any(s < 0):
        raise InputError("capability and salience must be non-negative")
    if opts.salience_scale:
        s = s / opts.salience_scale
    else:  # the kernel decides per run
        s = s / np.where(s.max(axis=1) > 1.0, 100.0, 1.0)[:, None]
    if s.size and s.max() > 1.0:
        raise InputError("salience above the scale after scaling", field="salience")
    rng = x.max(axis=1) - x.min(axis=1)
    if np.any(rng <= 0):
        raise InputError("all actors hold the same position: nothing to bargain over")
    w = c * s
    if _jit.available() and _jit.supports(opts):  # the same numbers, compiled
        return _jit.run_rounds(x, s, rng, w, opts)
    for _ in range(opts.rounds):
        if opts.range_rule == "current":
            cur = x.max(axis=1) - x.min(axis=1)
            rng = np.where(cur > 0, cur, rng)
        x = _step(x, c, s, rng, opts, w)
    return x


def forecasts(capability: np.ndarray, position: np.ndarray, salience: np.ndarray,
              options: EUMOptions | None = None) -> np.ndarray:
    """Each run's forecast: the weighted median after the last round (``EUMResult.forecast``).

    Runs whose actors all start at one position have nothing to bargain over; their
    forecast is that position (as Monte Carlo has always treated them).
    """
    opts = options or EUMOptions()
    x0 = np.asarray(position, dtype=float)
    out = x0[:, 0].copy()
    live = x0.max(axis=1) != x0.min(axis=1)
    if live.any():
        c = np.asarray(capability, dtype=float)[live]
        s = np.asarray(salience, dtype=float)[live]
        final = run_eum_batch(c, x0[live], s, opts)
        scale = opts.salience_scale or None
        s_used = s / scale if scale else s / np.where(s.max(axis=1) > 1.0, 100.0,
                                                      1.0)[:, None]
        out[live] = weighted_medians(final, c * s_used, opts.median_tie)
    return out


def weighted_medians(x: np.ndarray, w: np.ndarray, tie: str = "lowest") -> np.ndarray:
    """:func:`~scomodel.bargaining.eum.weighted_median` of every row.

    The answer is one of the row's positions: the cheapest, ties within the kernel's
    relative band of 1e-12 broken by ``tie``. The costs come from one stacked product
    instead of one matrix-vector product per row; they may differ from the kernel's in
    the last bit, far inside that band, so the chosen position is the same.
    """
    cand = np.sort(x, axis=1)
    cost = (np.abs(x[:, None, :] - cand[:, :, None]) @ w[:, :, None])[:, :, 0]
    best = cost.min(axis=1, keepdims=True)
    tied = cost <= best + 1e-12 * np.maximum(1.0, np.abs(best))
    pick = tied.argmax(axis=1) if tie == "lowest" else x.shape[1] - 1 - tied[:, ::-1].argmax(
        axis=1)
    return cand[np.arange(len(x)), pick]
