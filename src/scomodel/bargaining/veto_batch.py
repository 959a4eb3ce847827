"""Win-sets of many perturbed runs at once (runs as a leading axis), as :func:`veto.win_set`.

In one dimension the win-set of a status quo q is at most two open intervals, bounded by
the k-th smallest and k-th largest ideal point (reflected through q). With the ideal
points of B runs as a ``(B, m)`` array both bounds are one sort and two gathers; the
sizes and the "forecast inside" test then follow without a Python loop, with the same
arithmetic as the one-run function (``tests/bargaining/test_batch.py`` compares them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scomodel.errors import InputError

__all__ = ["WinSets", "win_sets"]


@dataclass(frozen=True)
class WinSets:
    """``left``..q and q..``right`` for each run; ``has_left``/``has_right`` say which exist."""

    q: float
    left: np.ndarray
    right: np.ndarray
    has_left: np.ndarray
    has_right: np.ndarray

    @property
    def size(self) -> np.ndarray:
        """Total length per run (``sum(b - a for a, b in win_set(...))``, in that order)."""
        left = np.where(self.has_left, self.q - self.left, 0.0)
        right = np.where(self.has_right, self.right - self.q, 0.0)
        return left + right

    def contains(self, value: np.ndarray) -> np.ndarray:
        """Whether each run's ``value`` lies strictly inside one of its intervals."""
        return ((self.has_left & (self.left < value) & (value < self.q))
                | (self.has_right & (self.q < value) & (value < self.right)))


def win_sets(ideal: np.ndarray, q: float, k: int, lo: float, hi: float) -> WinSets:
    """The win-sets of q for every row of ``ideal`` when k supporters are needed."""
    ideal = np.asarray(ideal, dtype=float)
    n = ideal.shape[1]
    if not 1 <= k <= n:
        raise InputError(f"need between 1 and {n} supporters, got {k}")
    asc = np.sort(ideal, axis=1)
    left = np.maximum(lo, 2.0 * asc[:, k - 1] - q)
    right = np.minimum(hi, 2.0 * asc[:, n - k] - q)
    return WinSets(q, left, right, left < q, right > q)
