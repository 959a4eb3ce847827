"""Vectorised building blocks of the SMP: votes, coalitions, PCE, utilities, risk.

Each function is the array form of one KTAB routine (named in its docstring) so the
model can be checked against KTAB piece by piece. Arrays that would be n x n x n are
built in chunks so a turn never holds more than a fixed multiple of n^2 numbers.
"""

from __future__ import annotations

import numpy as np

from scomodel.bargaining.smp import jit
from scomodel.bargaining.smp.options import (
    BigRAdjust,
    BigRRange,
    PCEModel,
    VictoryProbModel,
    VotingRule,
)

__all__ = [
    "vote",
    "coalitions",
    "victory_probabilities",
    "pce",
    "scalar_pce",
    "distances",
    "utility",
    "risk_from_probabilities",
    "estimated_risk",
    "CHUNK_ELEMENTS",
    "seq_sum",
]

#: upper bound on the elements of one temporary n x n x chunk array
CHUNK_ELEMENTS = 1 << 15

_MIN_COALITION = 1e-8


def vote(rule: VotingRule, w: np.ndarray | float, du: np.ndarray) -> np.ndarray:
    """``Model::vote``: a weighted response to a utility difference ``du``."""
    w = np.asarray(w, dtype=float)
    if rule is VotingRule.PROP:
        return w * du
    binary = np.clip(du / 1e-8, -1.0, 1.0)
    if rule is VotingRule.BINARY:
        return w * binary
    if rule is VotingRule.PROP_BIN:
        return w * ((1 - 0.2) * du + 0.2 * binary)
    if rule is VotingRule.CUBIC:
        return w * (du * du * du)
    if rule is VotingRule.PROP_CBC:
        return w * ((1 - 0.5) * du + 0.5 * (du * du * du))
    if rule is VotingRule.ASYM_PROSP:
        return np.where(du < 0.0, w * du, np.where(du > 0.0, (2.0 * w * du) / 3.0, 0.0))
    raise ValueError(f"unknown voting rule {rule}")


def seq_sum(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """A sum in index order, as KTAB's loops add (NumPy's ``sum`` pairs terms up).

    Last-digit differences matter where a vote jumps within 1e-8 of a tie.
    """
    return np.moveaxis(x, axis, 0).sum(axis=0)  # reducing the leading axis is sequential


def coalitions(w: np.ndarray, u: np.ndarray, rule: VotingRule) -> np.ndarray:
    """``Model::coalitions``: ``c[i, j]`` is the strength of all votes for option i over j.

    ``u[k, i]`` is actor k's utility for option i. As in KTAB, each coalition starts at
    1e-8 and adds the actors' positive votes in actor order; only ``v_k(i:j)`` with i > j
    is computed and its negative part supports j, which matters only for asymmetric
    voting rules.
    """
    if jit.available():  # the same sums as one compiled loop
        return jit.coalitions(w, u, rule)
    n_act, n_opt = u.shape
    odd = rule is not VotingRule.ASYM_PROSP  # v_k(j:i) == -v_k(i:j), exactly
    pos = np.full((1, n_opt, n_opt), _MIN_COALITION)
    neg = np.full((1, n_opt, n_opt), _MIN_COALITION)
    step = max(1, CHUNK_ELEMENTS // max(1, n_opt * n_opt))
    for start in range(0, n_act, step):
        uk = u[start : start + step]
        v = vote(rule, w[start : start + step, None, None], uk[:, :, None] - uk[:, None, :])
        if len(v) == 1:  # one actor: add in place (same order, no copy)
            if not odd:
                neg += np.maximum(-v, 0.0)
            pos += np.maximum(v, 0.0, out=v)
            continue
        if not odd:
            neg = np.concatenate([neg, np.maximum(-v, 0.0)]).sum(axis=0, keepdims=True)
        pos = np.concatenate([pos, np.maximum(v, 0.0, out=v)]).sum(axis=0, keepdims=True)
    if odd:  # the support for j over i is then the positive part of v_k(j:i)
        return pos[0]
    lower = np.tril(np.ones((n_opt, n_opt), dtype=bool), -1)
    c = np.where(lower, pos[0], neg[0].T)
    np.fill_diagonal(c, _MIN_COALITION)
    return c


def victory_probabilities(c: np.ndarray, model: VictoryProbModel) -> np.ndarray:
    """``Model::vProb``: ``p[i, j]``, the probability option i beats j; diagonal 1/2."""
    if model is VictoryProbModel.BINARY:
        thresh = 1.10
        cij, cji = c, c.T
        r12 = cij / (cij + cji)
        mid = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0)
        x1 = np.where(cij >= thresh * cji, 1.0, np.where(cji >= thresh * cij, 1e-6, mid))
        x2 = np.where(cij >= thresh * cji, 1e-6, np.where(cji >= thresh * cij, 1.0, 1 - mid))
    else:
        power = {
            VictoryProbModel.LINEAR: 1,
            VictoryProbModel.SQUARE: 2,
            VictoryProbModel.QUARTIC: 4,
            VictoryProbModel.OCTIC: 8,
        }[model]
        x1 = c**power
        x2 = x1.T
    p = x1 / (x1 + x2)
    np.fill_diagonal(p, 0.5)
    return p


def pce(c: np.ndarray, vpm: VictoryProbModel, model: PCEModel) -> np.ndarray:
    """``Model::probCE2``: the probability each option is the Condorcet winner."""
    pv = victory_probabilities(c, vpm)
    if model is PCEModel.CONDITIONAL:
        # KTAB multiplies each row and normalises by the sum; do the same, in the same
        # order. With many options every product can underflow to 0, where KTAB fails;
        # then work in logs.
        p = np.prod(pv, axis=1)
        total = seq_sum(p)
        if total > 0 and np.isfinite(total):
            return p / total
        with np.errstate(divide="ignore"):
            logp = np.log(pv).sum(axis=1)
        top = logp.max()
        if not np.isfinite(top):
            return np.full(len(pv), 1.0 / len(pv))
        p = np.exp(logp - top)
        return p / p.sum()
    if model is PCEModel.MARKOV_UNIFORM:
        return _markov_uniform(pv)
    return _markov_incentive(c, pv)


def _markov_uniform(pv: np.ndarray) -> np.ndarray:
    """``Model::markovUniformPCE``: stationary state of uniform random challenges."""
    n = len(pv)
    p = np.full(n, 1.0 / n)
    for _ in range(1000):
        q = (pv * (p[:, None] + p[None, :])).sum(axis=1) / n
        change = np.abs(q - p).max()
        p = (p + q) / 2.0
        if change <= 1e-6:
            break
    return p


def _markov_incentive(c: np.ndarray, pv: np.ndarray) -> np.ndarray:
    """``Model::markovIncentivePCE``: challenges made in proportion to their incentive."""
    n = len(pv)
    inctv = c * pv + np.eye(n) * 1e-10
    chlg = inctv / inctv.sum(axis=0, keepdims=True)  # P[i challenges j]
    p = np.full(n, 1.0 / n)
    for _ in range(1000):
        ct = p[:, None] * chlg.T  # ct[i, j] = p_i * P[j challenges i]
        q = (pv * (ct + ct.T)).sum(axis=1)
        change = np.abs(q - p).max()
        p = (p + q) / 2.0
        if change <= 1e-8:
            break
    return p


def scalar_pce(
    w: np.ndarray,
    u: np.ndarray,
    rule: VotingRule,
    vpm: VictoryProbModel,
    model: PCEModel,
) -> np.ndarray:
    """``Model::scalarPCE``: option probabilities from actors' utilities for the options."""
    return pce(coalitions(w, u, rule), vpm, model)


def distances(ideal: np.ndarray, pos: np.ndarray, sal: np.ndarray) -> np.ndarray:
    """``SMPModel::bvDiff`` for every pair: ``d[i, j]`` from i's ideal to j's position.

    The distance weights each dimension by i's salience and is normalised, so it lies
    in [0, 1] on the 0-1 scale.
    """
    n, dims = ideal.shape
    num = np.zeros((n, len(pos)))
    for k in range(dims):
        ds = (ideal[:, k, None] - pos[None, :, k]) * sal[:, k, None]
        num += ds * ds
    den = (sal * sal).sum(axis=1)
    return np.sqrt(num / den[:, None])


def utility(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """``SMPModel::bsUtil``: utility of distance ``d`` with risk attitude ``r``."""
    u = (1.0 - d) * (1.0 + d * r)
    if (d > 1.0).any():  # round-off can push d past 1; KTAB then uses r alone
        u = np.where(d <= 1.0, u, (1.0 - d) * (1.0 + r))
    return u


def risk_from_probabilities(p: np.ndarray, rr: BigRRange) -> np.ndarray:
    """``Model::bigRfromProb``: the most likely position is the most risk-averse."""
    p_min, p_max = float(p.min()), float(p.max())
    span = p_max - p_min
    if span <= 0.0:  # every option equally likely (KTAB would divide by zero)
        return np.zeros_like(p)
    if rr is BigRRange.MIN:
        return (p - p_min) / span
    if rr is BigRRange.MID:
        return (3 * p - (p_max + 2 * p_min)) / (2 * span)
    return (2 * p - (p_max + p_min)) / span


def estimated_risk(r_h: np.ndarray, r_i: np.ndarray, ra: BigRAdjust) -> np.ndarray:
    """``Model::estNRA``: h's estimate of i's risk attitude, anchored on h's own."""
    if ra is BigRAdjust.FULL:
        return r_i + 0.0 * r_h
    if ra is BigRAdjust.TWO_THIRDS:
        return (r_h + (2.0 * r_i)) / 3.0
    if ra is BigRAdjust.HALF:
        return (r_h + r_i) / 2
    if ra is BigRAdjust.ONE_THIRD:
        return ((2.0 * r_h) + r_i) / 3.0
    return r_h + 0.0 * r_i
