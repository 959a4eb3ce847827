"""What one SMP state implies: distances, risk attitudes, utilities, win probabilities.

Kept apart from the turn (``challenge``, ``bargain``) because every step of a turn reads
it and the run records part of it for each state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scomodel.bargaining.smp import jit
from scomodel.bargaining.smp import kernels as K
from scomodel.bargaining.smp.options import SMPOptions

__all__ = ["StateView", "state_view"]


@dataclass(frozen=True)
class StateView:
    """What one state implies: distances, risk attitudes, utilities, win probabilities."""

    ideal: np.ndarray  # (n, d): ideal points, equal to positions (identity accommodation)
    d: np.ndarray  # d[i, j]: distance from i's ideal to j's position
    risk: np.ndarray  # r_i, from the PCE over all positions
    own_util: np.ndarray  # own_util[i, j]: i's risk-aware utility of j's position
    prob: np.ndarray  # per actor: the PCE probability of the option it holds
    unique: np.ndarray  # index of the first actor holding each distinct option
    equiv: np.ndarray  # equiv[i]: which distinct option actor i holds


def _unique_options(pos: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """``KBase::ueIndices`` with ``SMPState::equivNdx``: first holder of each option."""
    diff = pos[:, None, :] - pos[None, :, :]
    close = np.sqrt((diff * diff).sum(axis=2)) < tol
    if jit.available():
        u = jit.first_holders(close)
    else:
        uniq: list[int] = []
        for i in range(len(pos)):
            if not uniq or not close[i, uniq].any():
                uniq.append(i)
        u = np.array(uniq, dtype=int)
    # KTAB's State::posProb keeps the *last* matching option, which differs from the
    # first only when closeness is not transitive; take the last to agree then too.
    hits = close[:, u]
    equiv = len(u) - 1 - np.argmax(hits[:, ::-1], axis=1)
    return u, equiv


def state_view(pos: np.ndarray, sal: np.ndarray, cap: np.ndarray, opts: SMPOptions) -> StateView:
    """``SMPState::setAllAUtil`` and ``pDist(-1)`` for a state whose ideals are its positions."""
    d = K.distances(pos, pos, sal)
    rn_util = K.utility(d, np.zeros((len(pos), 1)))
    c = K.coalitions(cap, rn_util, opts.voting_rule)
    p_all = K.pce(c, opts.victory_prob, opts.pce)
    risk = K.risk_from_probabilities(p_all, opts.big_r_range)
    r_own = K.estimated_risk(risk, risk, opts.big_r_adjust)
    own_util = K.utility(d, r_own[:, None])
    unique, equiv = _unique_options(pos, opts.pos_tol)
    p_unique = K.scalar_pce(cap, own_util[:, unique], opts.voting_rule, opts.victory_prob, opts.pce)
    return StateView(pos, d, risk, own_util, p_unique[equiv], unique, equiv)
