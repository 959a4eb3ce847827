"""KTAB's Spatial Model of Politics, one turn at a time, in NumPy.

A turn: every actor finds the target it gains most from challenging, proposes a bargain
interpolated between the two positions, and then every actor adopts the most probable
bargain among those that involve it (or keeps its position). Turns repeat until a turn
moves positions less than 2 % as much as the first did. The comments name the KTAB
routine each step mirrors (``examples/smp/libsrc/smpbcn.cpp``, ``smp.cpp``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scomodel.bargaining.smp import kernels as K
from scomodel.bargaining.smp.options import (
    BargainModel,
    InterVecBrgn,
    SMPOptions,
    StateTransitions,
    ThirdPartyCommit,
)
from scomodel.bargaining.smp.scenario import SMPScenario

__all__ = ["SMPResult", "StateView", "run_smp", "state_view"]

_MIN_SIG_EDU = 1e-5  # SMPState::bestChallenge
_MIN_CONTRIB = 1e-10  # SMPState::probEduChlg
_MIN_W = 1e-6  # SMPActor::interpBrgn*


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


@dataclass(frozen=True)
class SMPResult:
    """A finished run: one row per state, the initial state first."""

    scenario: SMPScenario
    options: SMPOptions
    positions: np.ndarray  # (states, n, d) on the 0-1 scale
    probabilities: np.ndarray  # (states, n)
    risk: np.ndarray  # (states, n)
    challenges: list[list[tuple[int, int]]]  # per turn: (initiator, target) pairs

    @property
    def n_turns(self) -> int:
        return len(self.positions) - 1

    def scaled_positions(self) -> np.ndarray:
        """Positions on the scenario's own scale, (states, n, d)."""
        return self.scenario.to_scale(self.positions)

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON: ``turns`` (initial state first) and ``final``."""
        names = self.scenario.actors
        pos = self.scaled_positions()
        turns = [
            {
                "positions": {a: [float(x) for x in pos[t, i]] for i, a in enumerate(names)},
                "probabilities": {a: float(self.probabilities[t, i]) for i, a in enumerate(names)},
            }
            for t in range(len(pos))
        ]
        return {
            "model": "smp",
            "scenario": self.scenario.name,
            "dimensions": list(self.scenario.dimensions),
            "actors": list(names),
            "n_turns": self.n_turns,
            "turns": turns,
            "final": turns[-1],
        }


def _unique_options(pos: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """``KBase::ueIndices`` with ``SMPState::equivNdx``: first holder of each option."""
    diff = pos[:, None, :] - pos[None, :, :]
    close = np.sqrt((diff * diff).sum(axis=2)) < tol
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


def _challenge_terms(
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


def _estimator_utils(view: StateView, hh: np.ndarray, opts: SMPOptions) -> np.ndarray:
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
        uh = _estimator_utils(view, ii, opts)
        parts = [_challenge_terms(uh, ii, np.broadcast_to(targets[q:q + block],
                                                          (len(ii), len(targets[q:q + block]))),
                                  wsc, ssum, opts) for q in range(0, n, block)]
        jj = np.broadcast_to(targets, (len(ii), n))
        if len(parts) == 1:
            phij, edu = parts[0]
        else:
            phij = np.concatenate([p[0] for p in parts], axis=1)
            edu = np.concatenate([p[1] for p in parts], axis=1)
        edu = np.where(jj == ii[:, None], -np.inf, edu)
        ok = edu > _MIN_SIG_EDU
        cand = np.where(ok, edu, -np.inf)
        j = cand.argmax(axis=1)
        has = ok.any(axis=1)
        rows = np.arange(len(ii))
        best_j[ii] = np.where(has, j, -1)
        best_p[ii] = np.where(has, phij[rows, j], 0.0)
        best_eu[ii] = np.where(has, edu[rows, j], -1.0)
    return best_j, best_p, best_eu


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
    uh = _estimator_utils(view, jj, opts)
    _, edu_j = _challenge_terms(uh, ii, jj[:, None], ssum * cap, ssum, opts)
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
    """Each actor adopts the winner of a capability-weighted PCE over its bargains."""
    n = len(cap)
    sq, ub = _bargain_utilities(brg, sal, view)
    new = pos.copy()
    order = np.argsort(brg.init, kind="stable")
    for k in range(n):
        mine = order[(brg.init[order] == k) | (brg.rcvr[order] == k)]
        if len(mine) == 0:
            continue
        u = np.column_stack([sq, ub[:, mine]])
        p = K.scalar_pce(cap, u, opts.voting_rule, opts.victory_prob, opts.pce)
        if opts.transitions is StateTransitions.STOCHASTIC and rng is not None:
            pick = int(rng.choice(len(p), p=p / p.sum()))
        else:
            pick = int(np.argmax(p))
        if pick == 0:
            continue
        b = mine[pick - 1]
        new[k] = brg.pos_init[b] if brg.init[b] == k else brg.pos_rcvr[b]
    return new


def step(
    pos: np.ndarray,
    sal: np.ndarray,
    cap: np.ndarray,
    view: StateView,
    opts: SMPOptions,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, _Bargains]:
    """One turn (``SMPState::doBCN``): challenges, bargains, then each actor's choice."""
    brg = propose_bargains(pos, sal, cap, view, opts)
    new = choose_bargains(pos, sal, cap, view, brg, opts, rng)
    return new, brg


def _state_dist(a: np.ndarray, b: np.ndarray) -> float:
    """``SMPModel::stateDist``: summed Euclidean movement of all actors."""
    return float(K.seq_sum(np.sqrt(K.seq_sum((a - b) ** 2, axis=1))))


def run_smp(
    scenario: SMPScenario,
    options: SMPOptions | None = None,
    *,
    seed: int | np.random.SeedSequence | None = None,
) -> SMPResult:
    """Run the SMP until it settles (KTAB's ``smpStopFn``) and return every state.

    ``seed`` only matters with stochastic transitions; deterministic runs ignore it.
    """
    opts = options or SMPOptions()
    rng = np.random.default_rng(seed) if seed is not None else np.random.default_rng(0)
    cap = np.asarray(scenario.capability, dtype=float)
    sal = scenario.unit_saliences()
    pos = scenario.unit_positions()
    states = [pos]
    view = state_view(pos, sal, cap, opts)
    probs, risks = [view.prob], [view.risk]
    challenges: list[list[tuple[int, int]]] = []
    d01 = 0.0
    it = 0
    while True:
        it += 1
        pos, brg = step(pos, sal, cap, view, opts, rng)
        challenges.append(list(zip(brg.init.tolist(), brg.rcvr.tolist(), strict=True)))
        states.append(pos)
        view = state_view(pos, sal, cap, opts)
        probs.append(view.prob)
        risks.append(view.risk)
        if it == 1:
            d01 = _state_dist(states[0], states[1]) + opts.min_sig_delta
        ratio = _state_dist(states[-2], states[-1]) / d01
        if it >= opts.max_turns or (it >= opts.min_turns and ratio < opts.min_delta_ratio):
            break
    return SMPResult(
        scenario=scenario,
        options=opts,
        positions=np.stack(states),
        probabilities=np.stack(probs),
        risk=np.stack(risks),
        challenges=challenges,
    )
