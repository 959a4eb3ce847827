"""The SMP's challenge pass as one compiled loop (Numba), used when Numba is installed.

Why it exists: the challenge pass is the SMP's O(n^3) step (every challenger x target x
third party). In NumPy it walks n x n x block temporaries about twenty-five times, so at
KTAB's limit of 250 actors a run takes tens of seconds. A compiled loop touches each
(challenger, target, third party) once and keeps everything in registers.

It is not a second model: each scalar step is the array step of
``challenge.challenge_terms`` written for one element, in the same order of operations, and
the third parties are added one by one in actor order as KTAB (and the NumPy path) adds
them. ``tests/bargaining/smp/test_jit.py`` checks the challenge pass and the bargains'
sums give the NumPy path's numbers bit for bit on every voting rule. Coalitions and the
conditional PCE add strictly in actor order, as KTAB's loops do, where NumPy's reductions
may pair terms differently in the last digit; both paths reproduce KTAB's reference runs
and give the same Monte Carlo runs for a seed (tested). Without Numba (``pip install
'scomodel[fast]'`` adds it) the NumPy path runs; set ``SCOMODEL_SMP_JIT=0`` to force it.

Examples
--------
Two equal actors half the scale apart: each would win a challenge of the other with
probability 1/2 and gain nothing by it (``edu`` 0; -inf on the diagonal). Needs Numba:

>>> import numpy as np
>>> from scomodel.bargaining.smp import jit
>>> d = np.array([[0.0, 0.5], [0.5, 0.0]])
>>> phij, edu = jit.challenge_pass(d, np.zeros((2, 2)), np.ones(2), np.ones(2), "Prop",
...                                semi=True)
>>> phij.tolist(), edu.tolist()
([[0.5, 0.5], [0.5, 0.5]], [[-inf, 0.0], [0.0, -inf]])
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from scomodel.bargaining.smp.options import VictoryProbModel, VotingRule

__all__ = ["available", "challenge_pass", "coalitions", "bargain_sums", "bargain_pces"]

_VPMS = {
    VictoryProbModel.LINEAR: 1,
    VictoryProbModel.SQUARE: 2,
    VictoryProbModel.QUARTIC: 4,
    VictoryProbModel.OCTIC: 8,
    VictoryProbModel.BINARY: 0,
}

_RULES = {
    VotingRule.PROP: 0,
    VotingRule.BINARY: 1,
    VotingRule.PROP_BIN: 2,
    VotingRule.CUBIC: 3,
    VotingRule.PROP_CBC: 4,
    VotingRule.ASYM_PROSP: 5,
}

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
    """Whether the compiled pass can run (Numba importable and not switched off)."""
    return numba is not None and os.environ.get("SCOMODEL_SMP_JIT", "1") != "0"


@_njit(inline="always")
def _vote(rule: int, w: float, du: float) -> float:
    """``kernels.vote`` for one element (same operations, same order)."""
    if rule == 0:
        return w * du
    if rule == 5:
        if du < 0.0:
            return w * du
        if du > 0.0:
            return (2.0 * w * du) / 3.0
        return 0.0
    binary = min(max(du / 1e-8, -1.0), 1.0)
    if rule == 1:
        return w * binary
    if rule == 2:
        return w * ((1 - 0.2) * du + 0.2 * binary)
    if rule == 3:
        return w * (du * du * du)
    return w * ((1 - 0.5) * du + 0.5 * (du * du * du))


@_njit(inline="always")
def _util(d: float, r: float) -> float:
    """``kernels.utility`` for one element."""
    if d <= 1.0:
        return (1.0 - d) * (1.0 + d * r)
    return (1.0 - d) * (1.0 + r)


@_njit()
def _third_party_votes(rule: int, out: np.ndarray, dj: np.ndarray, r_i: np.ndarray,
                       wsc: np.ndarray, uni: np.ndarray, unn: np.ndarray, a_k: np.ndarray,
                       b_k: np.ndarray, chij: float, chji: float) -> None:
    """Every third party's vote on one challenge (``thirdPartyVoteSU``), into ``out``.

    Written without branches on the data so the compiler can vectorise it; the order of
    operations in each element is the NumPy path's.
    """
    for k in range(len(out)):
        d = dj[k]
        dd = d if d <= 1.0 else 1.0  # util(): (1 - d) * (1 + r) beyond 1, exactly
        u_nj = (1.0 - d) * (1.0 + dd * r_i[k])
        c_n = _vote(rule, wsc[k], uni[k] - u_nj)
        cni = max(c_n, 0.0)
        cnj = cni - c_n
        cni = cni + chij
        cnj = cnj + chji
        pin = cni / (cni + cnj)
        pjn = 1.0 - pin
        a = pin * a_k[k]
        a = a + pjn * (u_nj + u_nj + u_nj)
        b = pin * b_k[k]
        b = b + pjn * (u_nj + u_nj + unn[k])
        out[k] = _vote(rule, wsc[k], a - b)


@_njit()
def _pass(d: np.ndarray, r_est: np.ndarray, wsc: np.ndarray, ssum: np.ndarray,
          rule: int, semi: bool) -> tuple[np.ndarray, np.ndarray]:
    """P(i beats j) and i's expected gain, for every challenger i and target j.

    Estimator h = i (each challenger judges with its own estimates of the others' risk):
    ``u[a, b] = util(d[a, b], r_est[i, a])``.
    """
    n = d.shape[0]
    dt = np.ascontiguousarray(d.T)  # dt[j, k] = d[k, j]: third parties contiguous
    phij = np.empty((n, n))
    edu = np.empty((n, n))
    uni = np.empty(n)
    unn = np.empty(n)
    a_k = np.empty(n)
    b_k = np.empty(n)
    votes = np.empty(n)
    for i in range(n):
        r_i = r_est[i]
        for k in range(n):
            uni[k] = _util(dt[i, k], r_i[k])
            unn[k] = _util(d[k, k], r_i[k])
            a_k[k] = uni[k] + uni[k] + unn[k]
            b_k[k] = uni[k] + uni[k] + uni[k]
        uii = uni[i]
        for j in range(n):
            if j == i:
                phij[i, j] = 0.5
                edu[i, j] = -np.inf
                continue
            uij = _util(d[i, j], r_i[i])
            uji = uni[j]
            ujj = unn[j]
            c_i = _vote(rule, wsc[i], uii - uij)
            c_j = _vote(rule, wsc[j], uji - ujj)
            chij = 1e-10 + max(c_i, 0.0) + max(c_j, 0.0)
            chji = 1e-10 + max(-c_i, 0.0) + max(-c_j, 0.0)
            if semi:
                _third_party_votes(rule, votes, dt[j], r_i, wsc, uni, unn, a_k, b_k,
                                   chij, chji)
                votes[i] = 0.0  # the principals do not vote as third parties
                votes[j] = 0.0
                acc_ij = chij
                acc_ji = chji
                for k in range(n):  # added one by one, in actor order, as KTAB does
                    acc_ij = acc_ij + max(votes[k], 0.0)
                    acc_ji = acc_ji + max(-votes[k], 0.0)
                chij = acc_ij
                chji = acc_ji
            p_ij = chij / (chij + chji)
            p_ji = chji / (chij + chji)
            sj = ssum[j]
            eu_sq = uii + uij
            eu_vict = uii + uii
            eu_lose = uij + uij
            eu_chlg = (1 - sj) * eu_vict + sj * (p_ij * eu_vict + p_ji * eu_lose)
            phij[i, j] = p_ij
            edu[i, j] = eu_chlg - eu_sq
    return phij, edu


def challenge_pass(d: np.ndarray, r_est: np.ndarray, wsc: np.ndarray, ssum: np.ndarray,
                   rule: VotingRule | str, *, semi: bool) -> tuple[np.ndarray, np.ndarray]:
    """``SMPState::bestChallenge``'s inner work for every (challenger, target) pair.

    Parameters
    ----------
    d : (n, n) distances, ``d[a, b]`` from a's ideal to b's position.
    r_est : (n, n) risk estimates, ``r_est[h, a]`` h's estimate of a's risk attitude.
    wsc : (n,) capability times summed salience; ssum : (n,) summed salience.
    rule : the voting rule; semi : whether third parties vote (SemiCommit).

    Returns
    -------
    phij, edu : (n, n) P(i beats j) and i's expected gain; ``edu[i, i]`` is -inf.
    """
    if numba is None:
        raise RuntimeError("the compiled SMP pass needs Numba: pip install 'scomodel[fast]'")
    return _pass(np.ascontiguousarray(d, dtype=float), np.ascontiguousarray(r_est, dtype=float),
                 np.ascontiguousarray(wsc, dtype=float), np.ascontiguousarray(ssum, dtype=float),
                 _RULES[VotingRule(rule)], bool(semi))


@_njit()
def _coalitions(w: np.ndarray, u: np.ndarray, rule: int) -> np.ndarray:
    """``kernels.coalitions`` as loops: each coalition adds the actors' votes in order."""
    n_act, n_opt = u.shape
    ut = np.ascontiguousarray(u.T)  # ut[i, k]: actors contiguous for each option
    c = np.empty((n_opt, n_opt))
    for i in range(n_opt):
        ui = ut[i]
        for j in range(n_opt):
            uj = ut[j]
            if rule != 5:  # odd rules: the support for i over j is the positive part
                acc = 1e-8
                for k in range(n_act):
                    acc = acc + max(_vote(rule, w[k], ui[k] - uj[k]), 0.0)
                c[i, j] = acc
            elif i == j:
                c[i, j] = 1e-8
            else:  # asymmetric: both parts of v_k(hi:lo), the negative one supports lo
                uh, ul = (ui, uj) if i > j else (uj, ui)
                acc = 1e-8
                for k in range(n_act):
                    v = _vote(rule, w[k], uh[k] - ul[k])
                    acc = acc + (max(v, 0.0) if i > j else max(-v, 0.0))
                c[i, j] = acc
    return c


def coalitions(w: np.ndarray, u: np.ndarray, rule: VotingRule | str) -> np.ndarray:
    """``kernels.coalitions`` compiled (same numbers): ``c[i, j]`` backs option i over j."""
    return _coalitions(np.ascontiguousarray(w, dtype=float), np.ascontiguousarray(u, dtype=float),
                       _RULES[VotingRule(rule)])


@_njit()
def _bargain_sums(u_init: np.ndarray, u_rcvr: np.ndarray, own: np.ndarray,
                  init: np.ndarray, rcvr: np.ndarray) -> np.ndarray:
    """``bargain._bargain_utilities``' sums: the two moved positions, then the others in order.

    Loops run actor, column, bargain so that the innermost (over bargains, independent
    sums) vectorises while each sum still adds the columns in order.
    """
    n, n_b = u_init.shape
    acc = u_init + u_rcvr
    for a in range(n):
        row = acc[a]
        for col in range(own.shape[1]):
            x = own[a, col]
            for b in range(n_b):
                if col != init[b] and col != rcvr[b]:
                    row[b] = row[b] + x
    return acc


def bargain_sums(u_init: np.ndarray, u_rcvr: np.ndarray, own: np.ndarray,
                 init: np.ndarray, rcvr: np.ndarray) -> np.ndarray:
    """Each actor's summed utility of the state each bargain would make (compiled)."""
    return _bargain_sums(np.ascontiguousarray(u_init, dtype=float),
                         np.ascontiguousarray(u_rcvr, dtype=float),
                         np.ascontiguousarray(own, dtype=float),
                         np.ascontiguousarray(init, dtype=np.int64),
                         np.ascontiguousarray(rcvr, dtype=np.int64))


@_njit()
def _victory(c: np.ndarray, power: int) -> np.ndarray:
    """``kernels.victory_probabilities`` (power 0 is the Binary model)."""
    m = c.shape[0]
    p = np.empty((m, m))
    for i in range(m):
        for j in range(m):
            if i == j:
                p[i, j] = 0.5
                continue
            cij, cji = c[i, j], c[j, i]
            if power == 0:
                thresh = 1.10
                r12 = cij / (cij + cji)
                mid = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0)
                if cij >= thresh * cji:
                    x1, x2 = 1.0, 1e-6
                elif cji >= thresh * cij:
                    x1, x2 = 1e-6, 1.0
                else:
                    x1, x2 = mid, 1 - mid
            elif power == 1:
                x1, x2 = cij, cji
            elif power == 2:
                x1, x2 = cij * cij, cji * cji
            else:
                x1, x2 = cij ** float(power), cji ** float(power)
            p[i, j] = x1 / (x1 + x2)
    return p


@_njit()
def _bargain_pces(cap: np.ndarray, sq: np.ndarray, ub: np.ndarray, init: np.ndarray,
                  rcvr: np.ndarray, order: np.ndarray, rule: int, power: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every actor's conditional PCE over its options: keep (0) or a bargain it is in."""
    n = len(cap)
    counts = np.zeros(n, dtype=np.int64)
    for b in range(len(init)):
        counts[init[b]] += 1
        counts[rcvr[b]] += 1
    width = 1 + (counts.max() if n else 0)
    probs = np.zeros((n, width))
    mine = np.full((n, max(width - 1, 1)), -1, dtype=np.int64)
    ok = np.ones(n, dtype=np.bool_)
    for k in range(n):
        m = 0
        for t in order:  # the bargains in the NumPy path's order
            if init[t] == k or rcvr[t] == k:
                mine[k, m] = t
                m += 1
        if m == 0:
            continue
        u = np.empty((n, m + 1))
        for a in range(n):
            u[a, 0] = sq[a]
            for q in range(m):
                u[a, q + 1] = ub[a, mine[k, q]]
        pv = _victory(_coalitions(cap, u, rule), power)
        p = np.empty(m + 1)
        total = 0.0
        for i in range(m + 1):
            x = pv[i, 0]
            for j in range(1, m + 1):
                x = x * pv[i, j]
            p[i] = x
            total = total + x
        if total > 0 and np.isfinite(total):
            for i in range(m + 1):
                probs[k, i] = p[i] / total
        else:  # every product underflowed: left to the NumPy path (it works in logs)
            ok[k] = False
    return probs, mine, counts, ok


def bargain_pces(cap: np.ndarray, sq: np.ndarray, ub: np.ndarray, init: np.ndarray,
                 rcvr: np.ndarray, order: np.ndarray, rule: VotingRule | str,
                 vpm: VictoryProbModel | str
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For each actor k: the probabilities of keeping its position and of each bargain.

    Returns ``probs`` (n, 1 + most bargains), ``mine`` (each row's bargain numbers, -1
    padded), ``counts`` (bargains per actor) and ``ok`` (False where the PCE must be
    computed in logs by the NumPy path). Conditional PCE only.
    """
    f, i = (lambda x: np.ascontiguousarray(x, dtype=float),
            lambda x: np.ascontiguousarray(x, dtype=np.int64))
    return _bargain_pces(f(cap), f(sq), f(ub), i(init), i(rcvr), i(order),
                         _RULES[VotingRule(rule)], _VPMS[VictoryProbModel(vpm)])


@_njit()
def _first_holders(close: np.ndarray) -> np.ndarray:
    n = close.shape[0]
    uniq = np.empty(n, dtype=np.int64)
    m = 0
    for i in range(n):
        seen = False
        for q in range(m):
            if close[i, uniq[q]]:
                seen = True
                break
        if not seen:
            uniq[m] = i
            m += 1
    return uniq[:m].copy()


def first_holders(close: np.ndarray) -> np.ndarray:
    """``KBase::ueIndices``: each actor that holds an option no earlier chosen one is close
    to, in actor order (the Python loop of ``state._unique_options``, compiled)."""
    return _first_holders(np.ascontiguousarray(close, dtype=np.bool_))
