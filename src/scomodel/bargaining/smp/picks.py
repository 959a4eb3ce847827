"""Every actor's choice of a turn in one compiled call: keep its position or adopt a bargain.

Why: with the PCEs compiled (:func:`.jit.bargain_pces`), what was left in Python per actor
(:func:`.bargain._choose`: normalise, cumulative sum, search with one uniform draw, about
6 µs) was a fifth of a stochastic SOE-Competitive run. :func:`picks` does the same
floating-point operations in the same order for all actors at once, so a seed picks the
same bargains: the sum is NumPy's pairwise summation of ``p.sum()`` (the EUM rounds'
:func:`~scomodel.bargaining.eum_jit._pairwise`), the cumulative sum runs left to right as
``cumsum`` does, the division by the last element is the same, and the search counts the
elements at or below the draw, which is ``searchsorted(u, side="right")`` on a sorted
array (a NaN counts as above every draw, as NumPy sorts it). Deterministic transitions
take the first largest probability, as ``np.argmax`` does (the first NaN if there is
one). The draws themselves stay NumPy's: ``rng.random(k)`` gives the k uniforms that k
calls of ``rng.random()`` give, in actor order. Rows the compiled PCE could not compute
(``ok`` False) are left to the Python path (pick ``-2``).

Examples
--------
Actor 0 keeps (draw 0.1 below its first cumulative probability 0.2), actor 1 adopts its
second bargain (0.9 is above 0.3 + 0.5), actor 2 is in no bargain. Needs Numba:

>>> import numpy as np
>>> from scomodel.bargaining.smp import picks
>>> probs = np.array([[0.2, 0.8, 0.0], [0.3, 0.5, 0.2], [0.0, 0.0, 0.0]])
>>> ok = np.ones(3, dtype=bool)
>>> picks.picks(probs, np.array([1, 2, 0]), ok, np.array([0.1, 0.9, 0.0]), True).tolist()
[0, 2, -1]
"""

from __future__ import annotations

import numpy as np

from scomodel.bargaining.eum_jit import _pairwise
from scomodel.bargaining.smp.jit import _njit

__all__ = ["picks"]


@_njit()
def _picks(probs: np.ndarray, counts: np.ndarray, ok: np.ndarray, u: np.ndarray,
           stochastic: bool) -> np.ndarray:
    n = len(counts)
    out = np.full(n, -1, dtype=np.int64)
    cdf = np.empty(probs.shape[1])
    for k in range(n):
        if counts[k] == 0:
            continue
        if not ok[k]:
            out[k] = -2
            continue
        m = counts[k] + 1
        p = probs[k]
        if not stochastic:
            best = 0
            for i in range(m):
                if np.isnan(p[i]):
                    best = i
                    break
                if p[i] > p[best]:
                    best = i
            out[k] = best
            continue
        total = _pairwise(p, 0, m)
        acc = 0.0
        for i in range(m):
            acc = acc + p[i] / total
            cdf[i] = acc
        last = cdf[m - 1]
        below = 0
        for i in range(m):
            if cdf[i] / last <= u[k]:
                below += 1
        out[k] = below
    return out


def picks(probs: np.ndarray, counts: np.ndarray, ok: np.ndarray, u: np.ndarray,
          stochastic: bool) -> np.ndarray:
    """Each actor's option: 0 keeps, ``b`` adopts its b-th bargain, -1 is in none, -2 is
    left to the Python path. ``u[k]`` is actor k's uniform draw (stochastic only)."""
    return _picks(np.ascontiguousarray(probs, dtype=float),
                  np.ascontiguousarray(counts, dtype=np.int64),
                  np.ascontiguousarray(ok, dtype=np.bool_),
                  np.ascontiguousarray(u, dtype=float), bool(stochastic))
