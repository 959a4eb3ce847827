"""The bargains of an SMP turn: each challenger proposes one, each actor adopts one or none.

``SMPActor::interpolateBrgn`` and ``SMPState::doBCN``'s second half. With Numba installed
the actors' choices come from one compiled call (``smp/jit.py``); the draws of stochastic
transitions stay here, in actor order, so a seed gives the same run on both paths.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from scomodel.bargaining.smp import jit, picks
from scomodel.bargaining.smp import kernels as K
from scomodel.bargaining.smp.challenge import best_challenges, challenge_terms, estimator_utils
from scomodel.bargaining.smp.options import (
    BargainModel,
    InterVecBrgn,
    PCEModel,
    SMPOptions,
    StateTransitions,
)
from scomodel.bargaining.smp.state import StateView

__all__ = ["interpolate", "propose_bargains", "choose_bargains"]

_MIN_W = 1e-6  # SMPActor::interpBrgn*


def _round4(x: np.ndarray) -> np.ndarray:
    """KTAB rounds interpolated coordinates to 1e-4 with ``(int)(0.5 + x * 1e4) / 1e4``."""
    return np.trunc(0.5 + x * 10000.0) / 10000.0


def interpolate(
    pi: np.ndarray,
    pj: np.ndarray,
    si: np.ndarray,
    sj: np.ndarray,
    prob_i: np.ndarray,
    prob_j: np.ndarray,
    how: InterVecBrgn,
) -> tuple[np.ndarray, np.ndarray]:
    """``SMPActor::interpolateBrgn``: the two sides' new positions, per dimension."""
    prob_i = prob_i[:, None]
    prob_j = prob_j[:, None]
    if how is InterVecBrgn.S2PMAX:
        di = np.maximum(prob_j - prob_i, 0.0)
        dj = np.maximum(prob_i - prob_j, 0.0)
        si2, sj2 = si * si, sj * sj
        dik = (di * sj2) / ((di * sj2) + _MIN_W + ((1 - di) * si2))
        djk = (dj * si2) / ((dj * si2) + _MIN_W + ((1 - dj) * sj2))
        return pi + dik * (pj - pi), pj + djk * (pi - pj)
    power = 2 if how is InterVecBrgn.S2P2 else 1
    wi = si**power * prob_i**power
    wj = sj**power * prob_j**power
    den = wi + _MIN_W + wj
    bi = _round4(((wi + _MIN_W) * pi + wj * pj) / den)
    bj = _round4((wi * pi + (_MIN_W + wj) * pj) / den)
    return bi, bj


@dataclass(frozen=True)
class _Bargains:
    init: np.ndarray  # (b,)
    rcvr: np.ndarray  # (b,)
    pos_init: np.ndarray  # (b, d)
    pos_rcvr: np.ndarray  # (b, d)


def propose_bargains(
    pos: np.ndarray,
    sal: np.ndarray,
    cap: np.ndarray,
    view: StateView,
    opts: SMPOptions,
) -> _Bargains:
    """``SMPState::doBCN(i)``: each actor with a worthwhile challenge proposes a bargain."""
    best_j, best_p, _ = best_challenges(view, sal, cap, opts)
    ii = np.flatnonzero(best_j >= 0)
    jj = best_j[ii]
    how = opts.interpolation
    bi, bj = interpolate(pos[ii], pos[jj], sal[ii], sal[jj], best_p[ii], 1 - best_p[ii], how)
    if opts.bargain_model is BargainModel.INIT_ONLY or len(ii) == 0:
        return _Bargains(ii, jj, bi, bj)
    # j's estimate of the challenge. KTAB passes the *gain* element of that estimate
    # (get<1>) where its comment says probability; we do the same to stay comparable.
    ssum = K.seq_sum(sal, axis=1)
    uh = estimator_utils(view, jj, opts)
    _, edu_j = challenge_terms(uh, ii, jj[:, None], ssum * cap, ssum, opts)
    pj_est = edu_j[:, 0]
    ci, cj = interpolate(pos[ii], pos[jj], sal[ii], sal[jj], pj_est, 1 - pj_est, how)
    if opts.bargain_model is BargainModel.INIT_RCVR:
        return _Bargains(
            np.concatenate([ii, ii]),
            np.concatenate([jj, jj]),
            np.concatenate([bi, ci]),
            np.concatenate([bj, cj]),
        )
    # PWCompInterp; KTAB weights j's view by c_i * s_j (actInit's capability)
    wi = (cap[ii] * ssum[ii])[:, None]
    wj = (cap[ii] * ssum[jj])[:, None]
    return _Bargains(ii, jj, (wi * bi + wj * ci) / (wi + wj), (wi * bj + wj * cj) / (wi + wj))


def _bargain_utilities(
    brg: _Bargains, sal: np.ndarray, view: StateView
) -> tuple[np.ndarray, np.ndarray]:
    """``updateBestBrgnPositions``' ``brgnUtil``: each actor's mean utility per bargain.

    Returns the status-quo column (n,) and the bargains' columns (n, b).
    """
    n = len(view.risk)
    own = view.own_util
    sq = K.seq_sum(own, axis=1) / n
    n_b = len(brg.init)
    if n_b == 0:
        return sq, np.zeros((n, 0))
    ideal = view.ideal
    u_init = K.utility(K.distances(ideal, brg.pos_init, sal), view.risk[:, None])
    u_rcvr = K.utility(K.distances(ideal, brg.pos_rcvr, sal), view.risk[:, None])
    # KTAB adds the two moved positions first, then the others in actor order
    if jit.available():
        return sq, jit.bargain_sums(u_init, u_rcvr, own, brg.init, brg.rcvr) / n
    acc = u_init + u_rcvr
    for col in range(n):
        unmoved = (brg.init != col) & (brg.rcvr != col)
        np.add(acc, own[:, col : col + 1], out=acc, where=unmoved[None, :])
    return sq, acc / n


def choose_bargains(
    pos: np.ndarray,
    sal: np.ndarray,
    cap: np.ndarray,
    view: StateView,
    brg: _Bargains,
    opts: SMPOptions,
    rng: np.random.Generator | None,
) -> np.ndarray:
    """Each actor adopts the winner of a capability-weighted PCE over its bargains.

    The draws of stochastic transitions are made here, one per actor in some bargain, in
    actor order, whichever path computed the PCEs, so a seed gives the same run on both.
    With Numba and the conditional PCE the PCEs and the picks are two compiled calls
    (:func:`.jit.bargain_pces`, :func:`.picks.picks`); else one actor at a time.
    """
    sq, ub = _bargain_utilities(brg, sal, view)
    new = pos.copy()
    draw = rng if opts.transitions is StateTransitions.STOCHASTIC else None
    if jit.available() and opts.pce is PCEModel.CONDITIONAL:
        actors, bargains = _compiled_choices(cap, brg, sq, ub, opts, draw)
    else:
        options = _actor_options(cap, brg, sq, ub, opts)
        chosen = [(actor, mine[k - 1]) for actor, mine, p in options
                  if (k := _choose(p, None if draw is None else draw.random()))]
        actors = np.array([a for a, _ in chosen], dtype=np.int64)
        bargains = np.array([b for _, b in chosen], dtype=np.int64)
    if len(actors):  # each takes its side of the bargain: the initiator's or the receiver's
        side = (brg.init[bargains] == actors)[:, None]
        new[actors] = np.where(side, brg.pos_init[bargains], brg.pos_rcvr[bargains])
    return new


def _pce(cap: np.ndarray, sq: np.ndarray, ub: np.ndarray, mine: np.ndarray,
         opts: SMPOptions) -> np.ndarray:
    """One actor's PCE over keeping its position (column 0) or taking one of ``mine``."""
    u = np.column_stack([sq, ub[:, mine]])
    return K.scalar_pce(cap, u, opts.voting_rule, opts.victory_prob, opts.pce)


def _compiled_choices(cap: np.ndarray, brg: _Bargains, sq: np.ndarray, ub: np.ndarray,
                      opts: SMPOptions, rng: np.random.Generator | None
                      ) -> tuple[np.ndarray, np.ndarray]:
    """The actors that adopt a bargain and the bargains they adopt, from compiled calls.

    ``rng`` is given for stochastic transitions: one uniform per actor in some bargain,
    drawn in actor order (``rng.random(k)`` is k calls of ``rng.random()``). Rows the
    compiled PCE left (products that underflowed) are computed and picked in Python.
    """
    order = np.argsort(brg.init, kind="stable")
    probs, mine_all, counts, ok = jit.bargain_pces(cap, sq, ub, brg.init, brg.rcvr, order,
                                                   opts.voting_rule, opts.victory_prob)
    u = np.zeros(len(cap))
    if rng is not None:
        active = np.flatnonzero(counts)
        u[active] = rng.random(len(active))
    pk = picks.picks(probs, counts, ok, u, rng is not None)
    for actor in np.flatnonzero(pk == -2).tolist():  # where the products underflowed
        p = _pce(cap, sq, ub, mine_all[actor, : counts[actor]], opts)  # works in logs
        pk[actor] = _choose(p, None if rng is None else float(u[actor]))
    actors = np.flatnonzero(pk > 0)
    return actors, mine_all[actors, pk[actors] - 1]


def _actor_options(cap: np.ndarray, brg: _Bargains, sq: np.ndarray, ub: np.ndarray,
                   opts: SMPOptions) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Each actor in some bargain, in actor order: its bargains (in initiator order) and
    the PCE over keeping its position or taking one of them (the NumPy path)."""
    order = np.argsort(brg.init, kind="stable")
    for actor in range(len(cap)):
        mine = order[(brg.init[order] == actor) | (brg.rcvr[order] == actor)]
        if len(mine):
            yield actor, mine, _pce(cap, sq, ub, mine, opts)


def _choose(p: np.ndarray, u: float | None) -> int:
    """The most probable option (``u`` None), or the one the uniform draw ``u`` falls in.

    The draw is ``rng.choice(len(p), p=p / p.sum())`` done as that method does it (the
    cumulative sum searched with one uniform draw), at a fifth of its cost.
    """
    if u is not None:
        cdf = (p / p.sum()).cumsum()
        cdf /= cdf[-1]
        return int(cdf.searchsorted(u, side="right"))
    return int(np.argmax(p))
