"""The compiled SMP loops (smp/jit.py) against the NumPy path and KTAB's order of sums.

Numba is an optional extra (``scomodel[fast]``); without it these tests are skipped and
the NumPy path is the one every other SMP test runs.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from scomodel.bargaining.smp import jit, read_ktab_csv
from scomodel.bargaining.smp import kernels as K
from scomodel.bargaining.smp.bargain import _choose, propose_bargains
from scomodel.bargaining.smp.challenge import best_challenges
from scomodel.bargaining.smp.montecarlo import run_monte_carlo
from scomodel.bargaining.smp.options import (
    SMPOptions,
    ThirdPartyCommit,
    VictoryProbModel,
    VotingRule,
)
from scomodel.bargaining.smp.state import state_view

from .conftest import FIXTURES

pytest.importorskip("numba")

RULES = list(VotingRule)


def _state(n: int, seed: int, rule: VotingRule) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    if rule is VotingRule.BINARY:  # coarse positions: many exact ties for the jumps
        pos = np.round(pos, 1)
    return pos, rng.uniform(0.1, 1.0, (n, 2)), rng.uniform(1.0, 100.0, n)


def _both(monkeypatch: pytest.MonkeyPatch, fn):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SCOMODEL_SMP_JIT", "0")
    slow = fn()
    monkeypatch.setenv("SCOMODEL_SMP_JIT", "1")
    assert jit.available()
    return slow, fn()


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("third", [ThirdPartyCommit.SEMI, ThirdPartyCommit.FULL])
@pytest.mark.parametrize("n", [3, 9, 31])
def test_challenge_pass_equals_numpy_bit_for_bit(monkeypatch, rule, third, n) -> None:
    pos, sal, cap = _state(n, n, rule)
    opts = SMPOptions(voting_rule=rule, third_party=third)
    view = state_view(pos, sal, cap, opts)
    slow, fast = _both(monkeypatch, lambda: best_challenges(view, sal, cap, opts))
    for a, b in zip(slow, fast, strict=True):
        np.testing.assert_array_equal(a, b)
    assert (fast[0] >= 0).any()  # some challenge was worth making: not a vacuous check


@pytest.mark.parametrize("rule", RULES)
def test_bargain_sums_equal_numpy_bit_for_bit(monkeypatch, rule) -> None:
    from scomodel.bargaining.smp.bargain import _bargain_utilities

    pos, sal, cap = _state(17, 4, rule)
    opts = SMPOptions(voting_rule=rule)
    view = state_view(pos, sal, cap, opts)
    brg = propose_bargains(pos, sal, cap, view, opts)
    assert len(brg.init) > 0
    slow, fast = _both(monkeypatch, lambda: _bargain_utilities(brg, sal, view))
    np.testing.assert_array_equal(slow[0], fast[0])
    np.testing.assert_array_equal(slow[1], fast[1])


def _ktab_coalitions(w: np.ndarray, u: np.ndarray, rule: VotingRule) -> np.ndarray:
    """KTAB's loops in plain Python: each coalition adds the actors' votes in order."""
    n_act, n_opt = u.shape
    c = np.empty((n_opt, n_opt))
    for i in range(n_opt):
        for j in range(n_opt):
            hi, lo = max(i, j), min(i, j)
            acc = 1e-8
            for k in range(n_act):
                if rule is VotingRule.ASYM_PROSP:
                    v = float(K.vote(rule, w[k], np.array(u[k, hi] - u[k, lo])))
                    part = v if i > j else -v
                else:
                    part = float(K.vote(rule, w[k], np.array(u[k, i] - u[k, j])))
                acc = acc + max(part, 0.0)
            c[i, j] = 1e-8 if (i == j and rule is VotingRule.ASYM_PROSP) else acc
    return c


@pytest.mark.parametrize("rule", RULES)
def test_coalitions_add_in_ktab_order(monkeypatch, rule) -> None:
    rng = np.random.default_rng(7)
    w, u = rng.uniform(1, 50, 12), rng.random((12, 9))
    slow, fast = _both(monkeypatch, lambda: K.coalitions(w, u, rule))
    np.testing.assert_array_equal(fast, _ktab_coalitions(w, u, rule))
    np.testing.assert_allclose(slow, fast, rtol=1e-12)  # NumPy may pair terms differently


@pytest.mark.parametrize("vpm", list(VictoryProbModel))
def test_bargain_pces_are_the_conditional_pce(vpm) -> None:
    rng = np.random.default_rng(3)
    n, n_b = 11, 6
    cap, sq, ub = rng.uniform(1, 9, n), rng.random(n), rng.random((n, n_b))
    init = rng.integers(0, n, n_b)
    rcvr = (init + 1 + rng.integers(0, n - 1, n_b)) % n
    order = np.argsort(init, kind="stable")
    probs, mine, counts, ok = jit.bargain_pces(cap, sq, ub, init, rcvr, order,
                                               VotingRule.PROP, vpm)
    assert counts.sum() == 2 * n_b and ok.all()
    for k in range(n):
        expect = order[(init[order] == k) | (rcvr[order] == k)]
        assert mine[k, : counts[k]].tolist() == expect.tolist()
        if counts[k]:
            u = np.column_stack([sq, ub[:, expect]])
            ref = K.pce(_ktab_coalitions(cap, u, VotingRule.PROP), vpm, SMPOptions().pce)
            np.testing.assert_allclose(probs[k, : counts[k] + 1], ref, rtol=1e-12)


def test_pick_draws_as_generator_choice() -> None:
    gen, a, b = np.random.default_rng(1), np.random.default_rng(5), np.random.default_rng(5)
    for _ in range(5000):
        p = gen.random(int(gen.integers(1, 12))) ** 3 + 1e-300
        assert _choose(p, a.random()) == int(b.choice(len(p), p=p / p.sum()))


def test_monte_carlo_runs_are_the_same_on_both_paths(monkeypatch) -> None:
    sc = read_ktab_csv(FIXTURES / "SOE-Pol-Comp.csv")
    slow, fast = _both(monkeypatch, lambda: run_monte_carlo(sc, runs=12, seed=3, noise=2.0,
                                                             backend="serial"))
    np.testing.assert_array_equal(slow.final_positions, fast.final_positions)
    np.testing.assert_array_equal(slow.turns, fast.turns)


def test_deterministic_binary_run_is_the_same_on_both_paths(monkeypatch) -> None:
    sc = read_ktab_csv(FIXTURES / "dummyData_3Dim.csv")
    opts = replace(SMPOptions(), voting_rule=VotingRule.BINARY)
    from scomodel.bargaining.smp import run_smp

    slow, fast = _both(monkeypatch, lambda: run_smp(sc, opts))
    np.testing.assert_array_equal(slow.positions, fast.positions)
    assert slow.challenges == fast.challenges


def test_module_example_runs() -> None:
    import doctest

    result = doctest.testmod(jit)
    assert result.attempted >= 4 and result.failed == 0


def test_compiled_picks_are_the_python_picks() -> None:
    """picks.picks does _choose's float operations: the same option for every row, over
    lengths around NumPy's pairwise blocks (8, 128, 256) and rows with zeros and ties."""
    from scomodel.bargaining.smp import picks
    from scomodel.bargaining.smp.bargain import _choose

    gen = np.random.default_rng(11)
    lengths = [1, 2, 7, 8, 9, 15, 16, 17, 127, 128, 129, 130, 255, 256, 257, 300, 512, 1000]
    for m in lengths:
        for _ in range(40):
            p = gen.random(m) ** int(gen.integers(1, 6))
            p[gen.random(m) < 0.2] = 0.0
            if gen.random() < 0.3:
                p[:] = np.round(p, 1)  # ties for the deterministic pick
            probs = p[None, :]
            ok, counts = np.ones(1, dtype=bool), np.array([m - 1])
            if m == 1:
                counts = np.array([1])
                probs = np.array([[p[0], 0.0]])
                p = probs[0]
            u = gen.random(1)
            with np.errstate(invalid="ignore"):
                cdf = (p / p.sum()).cumsum()
                cdf /= cdf[-1]
            if gen.random() < 0.5 and np.isfinite(cdf).all():
                u[0] = cdf[int(gen.integers(0, len(cdf)))]  # on a boundary: one ulp counts
            for stochastic in (True, False):
                got = int(picks.picks(probs, counts, ok, u, stochastic)[0])
                with np.errstate(invalid="ignore"):  # rows of zeros: NaN, on both paths
                    want = _choose(p, float(u[0]) if stochastic else None)
                assert got == want, (m, stochastic)


def test_compiled_picks_leave_underflowed_rows_to_python_and_skip_idle_actors() -> None:
    from scomodel.bargaining.smp import picks

    probs = np.zeros((3, 4))
    probs[2] = [0.1, 0.2, 0.3, 0.4]
    counts, ok = np.array([0, 3, 3]), np.array([True, False, True])
    assert picks.picks(probs, counts, ok, np.full(3, 0.5), True).tolist() == [-1, -2, 2]


def test_one_call_of_random_draws_what_separate_calls_draw() -> None:
    a, b = np.random.default_rng(42), np.random.default_rng(42)
    assert np.array_equal(a.random(37), np.array([b.random() for _ in range(37)]))


def test_compiled_first_holders_are_the_python_loops() -> None:
    """Random closeness, not transitive, as positions within the tolerance can be."""
    gen = np.random.default_rng(8)
    for _ in range(300):
        n = int(gen.integers(1, 40))
        close = gen.random((n, n)) < gen.random()
        close = close | close.T
        np.fill_diagonal(close, True)
        uniq: list[int] = []
        for i in range(n):
            if not uniq or not close[i, uniq].any():
                uniq.append(i)
        assert jit.first_holders(close).tolist() == uniq
