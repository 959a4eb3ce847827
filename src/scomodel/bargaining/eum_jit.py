"""The batched expected-utility rounds as compiled loops (Numba), used when Numba is installed.

Why it exists: Monte Carlo runs the model on thousands of perturbed ten-actor codings.
:mod:`.eum_batch` does each step once for a chunk of ~80 runs, but a round is still ~60
NumPy calls on (runs, n, n) arrays of 8,000 elements, so the time goes to call overhead
and to walking a dozen temporaries (~9,000 runs/s on one core). Here one compiled call
per half-round does everything but the powers, run by run, with one pass over the pairs.

It is not a second model: each scalar step is the array step of :mod:`.eum_batch` (and so
of :mod:`.eum`) written for one element, in the same order of operations: the prefix sums
over the sorted voters add in voter order as ``cumsum`` does, the column sums of the
security levels add in challenger order as ``sum(axis=1)`` does, and the total vote mass
of ``all_pairs`` is NumPy's pairwise summation (:func:`_pairwise`, eight accumulators,
halves beyond 128 terms). The powers stay NumPy calls on the whole chunk: NumPy's
``power`` uses SIMD (SVML) routines here that differ from the C library's ``pow`` in the
last bit for ~5% of inputs. So a round is: :func:`_first` (pairs, the probabilities with
every r = 1, the risk exponents), four ``np.power`` calls, :func:`_second` (probabilities
with the voters' r, both expected utilities, the offers and the move). Final positions
are bit for bit the NumPy path's (``tests/bargaining/test_eum_jit.py``). Compiled: every
reading with ``q >= 1`` (the default); ``q < 1`` (the T matrix and weighted medians each
round) runs the NumPy path. ``SCOMODEL_EUM_JIT=0`` forces the NumPy path; without Numba
(``pip install 'scomodel[fast]'``) it runs unchanged.

Examples
--------
Three actors at 0, 40 and 100 (capability 1, 2, 3; salience 0.5, 0.8, 0.6; range 100):
after one round the actor at 0 has accepted the strongest actor's position, as
:func:`~scomodel.bargaining.eum.run_eum` has it. Needs Numba:

>>> import numpy as np
>>> from scomodel.bargaining import eum_jit
>>> from scomodel.bargaining.eum_options import EUMOptions
>>> x = np.array([[0.0, 40.0, 100.0]]); s = np.array([[0.5, 0.8, 0.6]])
>>> w = np.array([[1.0, 2.0, 3.0]]) * s
>>> eum_jit.run_rounds(x, s, np.array([100.0]), w, EUMOptions(rounds=1)).tolist()
[[100.0, 40.0, 100.0]]
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from scomodel.bargaining.eum_options import EUMOptions

__all__ = ["available", "supports", "run_rounds"]

numba: Any
try:  # Numba is an optional extra; the NumPy path is the reference
    import numba
except ImportError:  # pragma: no cover - exercised by the install test without extras
    numba = None

_OPTS: dict[str, Any] = {"cache": True, "error_model": "numpy", "nogil": True}


def _njit(**extra: Any) -> Any:
    """Numba's ``njit`` with the module's options, or the plain function without Numba."""
    if numba is None:  # pragma: no cover
        return lambda fn: fn
    return numba.njit(**_OPTS, **extra)


def available() -> bool:
    """Whether the compiled rounds can run (Numba importable and not switched off)."""
    return numba is not None and os.environ.get("SCOMODEL_EUM_JIT", "1") != "0"


def supports(opts: EUMOptions) -> bool:
    """Whether ``opts`` is a compiled reading (every one with ``q >= 1``)."""
    return opts.q >= 1.0


@_njit()
def _block(a: np.ndarray, lo: int, n: int) -> float:
    """NumPy's ``pairwise_sum`` of ``a[lo:lo + n]`` for n <= 128 (no recursion)."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < n - (n % 8):
        k = lo + i
        r0 += a[k]
        r1 += a[k + 1]
        r2 += a[k + 2]
        r3 += a[k + 3]
        r4 += a[k + 4]
        r5 += a[k + 5]
        r6 += a[k + 6]
        r7 += a[k + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@_njit()
def _pairwise(a: np.ndarray, lo: int, n: int) -> float:
    """``a[lo:lo + n].sum()`` as NumPy adds it (``pairwise_sum``: eight accumulators up to
    128 terms, else the sum of two halves, the first a multiple of 8 long).

    The halves are walked with an explicit stack: Numba's cache cannot reload a
    recursive function (it crashes).
    """
    if n <= 128:
        return _block(a, lo, n)
    s_lo = np.empty(64, dtype=np.int64)
    s_n = np.empty(64, dtype=np.int64)
    s_stage = np.zeros(64, dtype=np.int64)
    vals = np.empty(64)
    s_lo[0], s_n[0], top, nv = lo, n, 1, 0
    while top > 0:
        t = top - 1
        m = s_n[t]
        if m <= 128:
            vals[nv] = _block(a, s_lo[t], m)
            nv += 1
            top -= 1
            continue
        n2 = m // 2
        n2 -= n2 % 8
        if s_stage[t] == 0:  # the first half
            s_stage[t] = 1
            s_lo[top], s_n[top], s_stage[top] = s_lo[t], n2, 0
            top += 1
        elif s_stage[t] == 1:  # the second half
            s_stage[t] = 2
            s_lo[top], s_n[top], s_stage[top] = s_lo[t] + n2, m - n2, 0
            top += 1
        else:  # both done: first + second
            nv -= 1
            vals[nv - 1] = vals[nv - 1] + vals[nv]
            top -= 1
    return vals[0]


@_njit(inline="always")
def _probabilities(dv: np.ndarray, below: np.ndarray, x: np.ndarray, pair: bool,
                   c: np.ndarray, num: np.ndarray, p: np.ndarray) -> None:
    """``eum_batch._probabilities`` of one run into ``p`` from the sorted votes ``dv``.

    ``c`` ((n + 1) x n) and ``num`` (n x n) are scratch.
    """
    n = len(x)
    for a in range(n):
        c[0, a] = 0.0
    for k in range(n):  # cumsum over the voters, in order
        for a in range(n):
            c[k + 1, a] = c[k, a] + dv[k, a]
    for i in range(n):
        for j in range(n):
            lower = c[below[i, j], j] - c[below[j, i], i]
            if x[j] - x[i] > 0:
                v = lower
            else:
                v = c[n, j] - c[n, i]
                v -= lower
            num[i, j] = v if v > 0.0 else 0.0
    if pair:
        for i in range(n):
            for j in range(n):
                den = num[i, j] + num[j, i]
                p[i, j] = num[i, j] / den if den > 0 else 0.0
        return
    total = 2.0 * _pairwise(num.reshape(n * n), 0, n * n)
    if total > 0:
        for i in range(n):
            for j in range(n):
                p[i, j] = num[i, j] / total
    else:
        p[:, :] = 0.0


@_njit()
def _first(x: np.ndarray, rng: np.ndarray, w: np.ndarray, s: np.ndarray, pair: bool
           ) -> tuple[np.ndarray, ...]:
    """Per run: the pairs, the probabilities with every r = 1 and the risk exponents.

    Returns ``hm``, ``hp``, ``d_sorted`` (the bases of the powers), ``r_sorted`` (r by
    sorted voter), ``order``, ``below`` (voters strictly below each midpoint), ``p1`` and
    ``r``.
    """
    b, n = x.shape
    hm = np.empty((b, n, n))
    hp = np.empty((b, n, n))
    d_sorted = np.empty((b, n, n))
    r_sorted = np.empty((b, n))
    order = np.empty((b, n), dtype=np.int64)
    below = np.empty((b, n, n), dtype=np.int64)
    p1 = np.empty((b, n, n))
    r_out = np.empty((b, n))
    d = np.empty((n, n))
    dv = np.empty((n, n))
    c = np.empty((n + 1, n))
    num = np.empty((n, n))
    xs = np.empty(n)
    sec = np.empty(n)
    for q in range(b):
        xr, o = x[q], order[q]
        for i in range(n):  # stable insertion sort = argsort(kind="stable")
            k = i
            while k > 0 and xr[o[k - 1]] > xr[i]:
                o[k] = o[k - 1]
                k -= 1
            o[k] = i
        for k in range(n):
            xs[k] = xr[o[k]]
        for i in range(n):  # |x_j - x_i| and the midpoints are symmetric: i <= j, mirrored
            for j in range(i, n):
                dij = abs(xr[j] - xr[i]) / rng[q]
                d[i, j] = dij
                d[j, i] = dij
                hm[q, i, j] = hm[q, j, i] = 0.5 - 0.5 * dij
                hp[q, i, j] = hp[q, j, i] = 0.5 + 0.5 * dij
        for i in range(n):  # searchsorted(xs, mid, side="left"): the midpoints of i with the
            t = 0  # sorted actors grow with them, so one pointer walks the sorted positions
            for k in range(n):
                j = o[k]
                mid = xr[i] + xr[j]
                mid *= 0.5
                while t < n and xs[t] < mid:
                    t += 1
                below[q, i, j] = t
        for k in range(n):
            for a in range(n):
                d_sorted[q, k, a] = d[o[k], a]
                dv[k, a] = d[o[k], a] * w[q, o[k]]
        _probabilities(dv, below[q], xr, pair, c, num, p1[q])
        p = p1[q]
        for j in range(n):
            sec[j] = 0.0
        for i in range(n):  # eum_batch._risk with t None: _challenge(p, us, uf, 0, s_j)
            for j in range(n):
                if i == j:
                    continue
                us = hm[q, i, j] * -4.0
                us += 2.0
                uf = hp[q, i, j] * -4.0
                uf += 2.0
                out = p[i, j] * us
                out += (1.0 - p[i, j]) * uf
                out *= s[q, j]
                out += (1.0 - s[q, j]) * us
                out -= 0.0
                sec[j] += out  # the column sum over challengers, in order
        hi, lo = sec.max(), sec.min()
        for i in range(n):
            big_r = 0.0
            if hi > lo:
                big_r = (2.0 * sec[i] - hi - lo) / (hi - lo)
            r_out[q, i] = (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
        for k in range(n):
            r_sorted[q, k] = r_out[q, o[k]]
    return hm, hp, d_sorted, r_sorted, order, below, p1, r_out


@_njit(inline="always")
def _eu(p: float, us: float, uf: float, usq: float, sr: float) -> float:
    """``eum_batch._challenge`` for one element."""
    out = p * us
    out += (1.0 - p) * uf
    out *= sr
    out += (1.0 - sr) * us
    out -= usq
    return out


@_njit()
def _second(x: np.ndarray, w: np.ndarray, s: np.ndarray, order: np.ndarray,
            below: np.ndarray, p1: np.ndarray, pwv: np.ndarray, pws: np.ndarray,
            pwf: np.ndarray, pwq: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """Per run: the probabilities with the voters' r (``pwv`` = d_sorted ** r), both
    expected utilities (``pws``, ``pwf``, ``pwq``: hm, hp, 0.5 to the power r) and the
    offers each actor accepts (``eum_batch._choose``); returns the new positions.

    ``flags``: voter, pair, target, viewer, text, capitulation, least_move (0/1).
    """
    voter, pair, target, viewer = flags[0], flags[1], flags[2], flags[3]
    text, capit, least = flags[4], flags[5], flags[6]
    b, n = x.shape
    new = np.empty((b, n))
    dv = np.empty((n, n))
    c = np.empty((n + 1, n))
    num = np.empty((n, n))
    pv = np.empty((n, n))
    us = np.empty((n, n))
    uf = np.empty((n, n))
    usq = np.empty(n)
    ea = np.empty((n, n))
    eb = np.empty((n, n))
    for q in range(b):
        xr = x[q]
        if voter:
            for k in range(n):
                for a in range(n):
                    dv[k, a] = pwv[q, k, a] * w[q, order[q, k]]
            _probabilities(dv, below[q], xr, pair == 1, c, num, pv)
            p = pv
        else:
            p = p1[q]
        for i in range(n):
            usq[i] = 2.0 - 4.0 * pwq[q, i]
            for j in range(n):
                u = pws[q, i, j] * -4.0
                us[i, j] = u + 2.0
                u = pwf[q, i, j] * -4.0
                uf[i, j] = u + 2.0
        for i in range(n):
            for j in range(n):
                ea[i, j] = _eu(p[i, j], us[i, j], uf[i, j], usq[i], s[q, j])
                if viewer:
                    eb[i, j] = _eu(p[j, i], us[i, j], uf[i, j], usq[i],
                                   s[q, i] if target else s[q, j])
                else:  # the transposed problem: j's utilities, s_b transposed
                    eb[i, j] = _eu(p[j, i], us[j, i], uf[j, i], usq[j],
                                   s[q, i] if target else s[q, j])
        for i in range(n):  # confrontation, compromise, capitulation: the first that exists
            xi = xr[i]
            new[q, i] = xi
            for code in range(1, 4):
                if code == 3 and not capit:
                    break
                best, bj = np.inf, -1
                for j in range(n):
                    a, bb = ea[i, j], eb[i, j]
                    if xr[j] - xi == 0:
                        continue
                    if code == 1:
                        ok = (bb > a) and (a > 0)
                    elif code == 2:
                        ok = (a < 0) and ((bb < a) if text else (bb > -a))
                    else:
                        ok = (a < 0) and (bb > 0) and (-a >= bb)
                    if not ok:
                        continue
                    if code != 2:
                        key = abs(xr[j] - xi)
                    elif least:
                        key = abs((xi + (xr[j] - xi) * abs(a / bb)) - xi)
                    else:
                        aa, ab = abs(a), abs(bb)
                        key = (aa * xi + ab * xr[j]) / (aa + ab)
                    if bj < 0 or key < best:
                        best, bj = key, j
                if bj >= 0:
                    if code == 2:
                        new[q, i] = xi + (xr[bj] - xi) * abs(ea[i, bj] / eb[i, bj])
                    else:
                        new[q, i] = xr[bj]
                    break
    return new


def run_rounds(x: np.ndarray, s: np.ndarray, rng: np.ndarray, w: np.ndarray,
               opts: EUMOptions) -> np.ndarray:
    """``eum_batch.run_eum_batch``'s rounds (validated, scaled inputs): final positions.

    ``x``, ``s``, ``w`` are (runs, n), ``rng`` the initial range of each run.
    """
    if numba is None:
        raise RuntimeError("the compiled EUM rounds need Numba: pip install 'scomodel[fast]'")
    x = np.ascontiguousarray(x, dtype=float)
    s = np.ascontiguousarray(s, dtype=float)
    w = np.ascontiguousarray(w, dtype=float)
    rng = np.ascontiguousarray(rng, dtype=float)
    voter = opts.vote_risk == "voter"
    pair = opts.probability == "pair"
    flags = np.array([voter, pair, opts.resist_salience == "target",
                      opts.opponent_risk == "viewer", opts.compromise_minus == "text",
                      opts.capitulation, opts.offer_selection == "least_move"], dtype=np.int64)
    empty = np.empty((0, 0, 0))
    for _ in range(opts.rounds):
        if opts.range_rule == "current":
            cur = x.max(axis=1) - x.min(axis=1)
            rng = np.where(cur > 0, cur, rng)
        hm, hp, d_sorted, r_sorted, order, below, p1, r = _first(x, rng, w, s, pair)
        # the powers as eum_batch takes them: NumPy's power on the same arrays
        pwv = d_sorted ** r_sorted[:, :, None] if voter else empty
        rr = r[:, :, None]
        x = _second(x, w, s, order, below, p1, pwv, np.power(hm, rr), np.power(hp, rr),
                    np.power(0.5, r), flags)
    return x
