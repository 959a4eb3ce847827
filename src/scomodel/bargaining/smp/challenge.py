"""The challenge pass of an SMP turn (``SMPState::bestChallenge``): whom each actor challenges.

The O(n^3) step of the model (challenger x target x third party). The NumPy path below
mirrors KTAB's loops in chunks; with Numba installed the same numbers come from one
compiled loop (``smp/jit.py``).
"""

from __future__ import annotations

import numpy as np

from scomodel.bargaining.smp import jit
from scomodel.bargaining.smp import kernels as K
from scomodel.bargaining.smp.options import SMPOptions, ThirdPartyCommit
from scomodel.bargaining.smp.state import StateView

__all__ = ["best_challenges", "challenge_terms", "estimator_utils"]

_MIN_SIG_EDU = 1e-5  # SMPState::bestChallenge
_MIN_CONTRIB = 1e-10  # SMPState::probEduChlg


def challenge_terms(
    uh: np.ndarray,
    ii: np.ndarray,
    jj: np.ndarray,
    wsc: np.ndarray,
    ssum: np.ndarray,
    opts: SMPOptions,
) -> tuple[np.ndarray, np.ndarray]:
    """``SMPState::probEduChlg`` with k = i: P(i beats j) and i's expected gain.

    ``uh[m]`` is the utility matrix from estimator m's point of view (``aUtil[h]``),
    ``ii[m]`` the challenger and ``jj[m, :]`` the targets. Returns arrays shaped like jj.
    """
    vr = opts.voting_rule
    m = np.arange(len(uh))[:, None]
    uii = uh[m[:, 0], ii, ii][:, None]
    uij = uh[m, ii[:, None], jj]
    uji = uh[m, jj, ii[:, None]]
    ujj = uh[m, jj, jj]
    c_i = K.vote(vr, wsc[ii][:, None], uii - uij)
    c_j = K.vote(vr, wsc[jj], uji - ujj)
    chij = _MIN_CONTRIB + np.maximum(c_i, 0.0) + np.maximum(c_j, 0.0)
    chji = _MIN_CONTRIB + np.maximum(-c_i, 0.0) + np.maximum(-c_j, 0.0)

    # third parties n, each weighing in on the side it expects to gain from; arrays are
    # (m, n, q) so that the third-party axis n is summed row by row, as KTAB adds them
    tpc = opts.third_party
    if tpc is not ThirdPartyCommit.SEMI:
        # Full and No commitment: the two hypothetical states a third party compares
        # have identical utilities, so its vote is exactly zero (thirdPartyVoteSU)
        return _challenge_result(uii, uij, chij, chji, ssum[jj])
    uni = uh[m[:, 0], :, ii][:, :, None]  # (m, n, 1)
    if jj.shape[1] == uh.shape[1] and (jj == np.arange(uh.shape[1])).all():
        unj = uh  # every target: unj[m, n, j] = uh[m, n, j], no gather
    else:
        unj = np.take_along_axis(uh, jj[:, None, :], axis=2)  # (m, n, q)
    unn = np.diagonal(uh, axis1=1, axis2=2)[:, :, None]
    wn = wsc[None, :, None]
    c_n = K.vote(vr, wn, uni - unj)
    cni = np.maximum(c_n, 0.0)
    cnj = np.subtract(cni, c_n, out=c_n)  # max(-x, 0) == max(x, 0) - x, exactly
    cni += chij[:, None, :]
    cnj += chji[:, None, :]
    pin = np.divide(cni, np.add(cni, cnj, out=cnj), out=cni)
    pjn = 1.0 - pin
    # n's vote on (ik > j) versus (i > jk) under SemiCommit (thirdPartyVoteSU), with
    # KTAB's arithmetic: last digits decide votes that jump near a tie (Binary rules)
    u_ik_j = pin * (uni + uni + unn)
    u_ik_j += pjn * (unj + unj + unj)
    u_i_jk = np.multiply(pin, uni + uni + uni, out=pin)
    u_i_jk += np.multiply(pjn, unj + unj + unn, out=pjn)
    v_n = K.vote(vr, wn, np.subtract(u_ik_j, u_i_jk, out=u_ik_j))
    # only third parties count: zero the principals' own entries
    mm = np.arange(len(uh))
    v_n[mm, ii, :] = 0.0
    qq = np.arange(jj.shape[1])[None, :]
    v_n[mm[:, None], jj, qq] = 0.0
    # add them to the coalitions one by one, in actor order, as KTAB does
    neg = np.maximum(-v_n, 0.0)
    chij = np.concatenate([chij[:, None, :], np.maximum(v_n, 0.0, out=v_n)], axis=1).sum(1)
    chji = np.concatenate([chji[:, None, :], neg], axis=1).sum(axis=1)
    return _challenge_result(uii, uij, chij, chji, ssum[jj])


def _challenge_result(
    uii: np.ndarray, uij: np.ndarray, chij: np.ndarray, chji: np.ndarray, sj: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """P(i beats j) and i's expected gain from challenging j, from the two coalitions."""
    phij = chij / (chij + chji)
    phji = chji / (chij + chji)

    eu_sq = uii + uij
    eu_vict = uii + uii
    eu_lose = uij + uij
    eu_chlg = (1 - sj) * eu_vict + sj * (phij * eu_vict + phji * eu_lose)
    return phij, eu_chlg - eu_sq


def estimator_utils(view: StateView, hh: np.ndarray, opts: SMPOptions) -> np.ndarray:
    """``aUtil[h]`` for each h in ``hh``: utilities with h's estimates of everyone's risk."""
    r_est = K.estimated_risk(view.risk[hh][:, None], view.risk[None, :], opts.big_r_adjust)
    return K.utility(view.d[None, :, :], r_est[:, :, None])


def best_challenges(
    view: StateView, sal: np.ndarray, cap: np.ndarray, opts: SMPOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``SMPState::bestChallenge`` for every actor: target, P(win) and gain (-1 if none)."""
    n = len(cap)
    ssum = K.seq_sum(sal, axis=1)
    wsc = ssum * cap
    if jit.available():  # the same numbers from one compiled loop (smp/jit.py)
        r_est = K.estimated_risk(view.risk[:, None], view.risk[None, :], opts.big_r_adjust)
        phij, edu = jit.challenge_pass(view.d, r_est, wsc, ssum, opts.voting_rule,
                                       semi=opts.third_party is ThirdPartyCommit.SEMI)
        return _pick_best(phij, edu, np.arange(n))
    best_j = np.full(n, -1)
    best_p = np.zeros(n)
    best_eu = np.full(n, -1.0)
    step = max(1, K.CHUNK_ELEMENTS // (n * n))
    # with one challenger per chunk, its (n, n) third-party arrays outgrow the cache from
    # about 180 actors on; targets then go in blocks as well. Each (challenger, target)
    # entry is computed on its own (sums run over third parties only), so blocks change
    # no number: at 250 actors a block of 64 targets makes a challenger about 2.7x faster.
    block = n if step > 1 else max(16, K.CHUNK_ELEMENTS // 2 // n)
    targets = np.arange(n)
    for start in range(0, n, step):
        ii = np.arange(start, min(n, start + step))
        uh = estimator_utils(view, ii, opts)
        parts = [challenge_terms(uh, ii, np.broadcast_to(targets[q:q + block],
                                                          (len(ii), len(targets[q:q + block]))),
                                  wsc, ssum, opts) for q in range(0, n, block)]
        jj = np.broadcast_to(targets, (len(ii), n))
        if len(parts) == 1:
            phij, edu = parts[0]
        else:
            phij = np.concatenate([p[0] for p in parts], axis=1)
            edu = np.concatenate([p[1] for p in parts], axis=1)
        edu = np.where(jj == ii[:, None], -np.inf, edu)
        best_j[ii], best_p[ii], best_eu[ii] = _pick_best(phij, edu, ii)
    return best_j, best_p, best_eu


def _pick_best(phij: np.ndarray, edu: np.ndarray, ii: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each challenger's most profitable target, if its gain is significant (else -1)."""
    ok = edu > _MIN_SIG_EDU
    cand = np.where(ok, edu, -np.inf)
    j = cand.argmax(axis=1)
    has = ok.any(axis=1)
    rows = np.arange(len(ii))
    return (np.where(has, j, -1), np.where(has, phij[rows, j], 0.0),
            np.where(has, edu[rows, j], -1.0))
