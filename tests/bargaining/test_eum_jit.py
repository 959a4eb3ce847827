"""The compiled EUM rounds (eum_jit.py) give the NumPy batch path's positions bit for bit."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
import pytest

from scomodel.bargaining import eum_batch, eum_jit
from scomodel.bargaining.eum import run_eum
from scomodel.bargaining.eum_batch import forecasts, run_eum_batch
from scomodel.bargaining.eum_options import READINGS, EUMOptions
from scomodel.bargaining.montecarlo import monte_carlo

pytest.importorskip("numba")

# every compiled switch at least once in each position (q >= 1 readings)
COMPILED = {
    "scholz_code": READINGS["scholz_code"],
    "printed": READINGS["printed"],
    "linear, text, capitulation, current range": EUMOptions(
        vote_risk="linear", compromise_minus="text", capitulation=True, range_rule="current"),
    "pair, own, challenger, least move": EUMOptions(
        probability="pair", opponent_risk="own", resist_salience="challenger",
        offer_selection="least_move", rounds=5),
    "own risk, text": EUMOptions(opponent_risk="own", compromise_minus="text", rounds=10),
    "pair, voter, capitulation, highest": EUMOptions(probability="pair", capitulation=True,
                                                     median_tie="highest"),
}


def _runs(rng: np.random.Generator, runs: int, n: int, ties: bool
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    c = rng.uniform(0.0, 100.0, (runs, n))
    if ties:  # few distinct positions, equal capabilities: ties in sorts, medians, argmins
        x = rng.integers(0, 5, (runs, n)).astype(float) * 25.0
        c = np.round(c, -1)
    else:
        x = rng.uniform(0.0, 100.0, (runs, n))
    s = rng.uniform(0.0, 100.0, (runs, n))
    x[:, 0], x[:, -1] = 0.0, 100.0
    return c, x, s


def _both(monkeypatch: pytest.MonkeyPatch, fn):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SCOMODEL_EUM_JIT", "0")
    assert not eum_jit.available()
    slow = fn()
    monkeypatch.setenv("SCOMODEL_EUM_JIT", "1")
    assert eum_jit.available()
    return slow, fn()


@pytest.mark.parametrize("name", list(COMPILED))
@pytest.mark.parametrize(("n", "ties"), [(2, False), (3, True), (7, True), (8, False),
                                         (10, False), (10, True), (13, True), (40, False)])
def test_compiled_rounds_equal_numpy_batch(monkeypatch, name: str, n: int, ties: bool) -> None:
    opts = COMPILED[name].with_(salience_scale=100.0)
    assert eum_jit.supports(opts)
    c, x, s = _runs(np.random.default_rng(n * 2 + ties), 60 if n < 40 else 8, n, ties)
    slow, fast = _both(monkeypatch, lambda: run_eum_batch(c, x, s, opts))
    assert np.array_equal(slow, fast), name
    slow, fast = _both(monkeypatch, lambda: forecasts(c, x, s, opts))
    assert np.array_equal(slow, fast), name


def test_compiled_rounds_over_random_batches(monkeypatch) -> None:
    """Many small random batches: sizes, option combinations, ties and none."""
    gen = np.random.default_rng(2026)
    combos = list(itertools.product(["voter", "linear"], ["all_pairs", "pair"],
                                    ["target", "challenger"], ["viewer", "own"],
                                    ["figure", "text"], [False, True],
                                    ["scholz_code", "least_move"]))
    for k, (vr, pr, rs, orisk, cm, cap, sel) in enumerate(combos):
        opts = EUMOptions(vote_risk=vr, probability=pr, resist_salience=rs,
                          opponent_risk=orisk, compromise_minus=cm, capitulation=cap,
                          offer_selection=sel, rounds=int(gen.integers(1, 9)),
                          range_rule="current" if k % 3 == 0 else "initial",
                          salience_scale=100.0)
        n = int(gen.integers(2, 25))
        c, x, s = _runs(gen, int(gen.integers(1, 20)), n, ties=k % 2 == 0)
        slow, fast = _both(monkeypatch, lambda: run_eum_batch(c, x, s, opts))  # noqa: B023
        assert np.array_equal(slow, fast), opts


@pytest.mark.parametrize("name", ["scholz_code", "printed"])
def test_compiled_rounds_equal_the_kernel_one_at_a_time(name: str) -> None:
    opts = COMPILED[name].with_(salience_scale=100.0)
    assert eum_jit.available()
    c, x, s = _runs(np.random.default_rng(5), 25, 10, ties=False)
    batch = run_eum_batch(c, x, s, opts)
    for r in range(len(x)):
        assert np.array_equal(batch[r], run_eum(c[r], x[r], s[r], options=opts)
                              .rounds[-1].positions), r


def test_pairwise_sum_is_numpys() -> None:
    gen = np.random.default_rng(3)
    for n in (1, 5, 8, 9, 64, 100, 128, 129, 1600, 10_000):
        a = gen.random(n) * 10.0 ** gen.uniform(-8, 8, n)
        assert eum_jit._pairwise(a, 0, n) == a.sum(), n


def test_uncompiled_readings_take_the_numpy_path(monkeypatch) -> None:
    calls: list[int] = []

    def spy(*args, **kw):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kw)

    real = eum_jit.run_rounds
    monkeypatch.setattr(eum_jit, "run_rounds", spy)
    c, x, s = _runs(np.random.default_rng(1), 4, 6, ties=False)
    run_eum_batch(c, x, s, EUMOptions(q=0.5))
    assert calls == [] and not eum_jit.supports(EUMOptions(q=0.5))
    run_eum_batch(c, x, s, EUMOptions())
    assert calls == [1]
    monkeypatch.setenv("SCOMODEL_EUM_JIT", "0")
    run_eum_batch(c, x, s, EUMOptions())
    assert calls == [1]
    assert eum_batch._jit is eum_jit


def test_monte_carlo_outcomes_are_the_same_on_both_paths(monkeypatch) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    try:
        from benchmarks.bench_montecarlo import scenario
    finally:
        sys.path.pop(0)
    slow, fast = _both(monkeypatch, lambda: monte_carlo(scenario(), 300, seed=4,
                                                          backend="serial"))
    assert np.array_equal(slow.outcomes, fast.outcomes)
    assert np.array_equal(slow.consensus, fast.consensus)


def test_module_example_runs() -> None:
    import doctest

    result = doctest.testmod(eum_jit)
    assert result.attempted >= 4 and result.failed == 0
