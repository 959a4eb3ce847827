"""Batched Monte Carlo: many runs in one vectorised pass give the one-at-a-time numbers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from scomodel.bargaining.eum import run_eum
from scomodel.bargaining.eum_batch import forecasts, run_eum_batch
from scomodel.bargaining.eum_options import READINGS, EUMOptions
from scomodel.bargaining.montecarlo import MCInput, _draws, monte_carlo, perturb
from scomodel.bargaining.veto import win_set
from scomodel.bargaining.veto_batch import win_sets
from scomodel.errors import InputError

READING_CASES = {
    "scholz_code": READINGS["scholz_code"],
    "printed": READINGS["printed"],
    "q<1, T always": EUMOptions(q=0.7, t_rule="always"),
    "q<1, current range, least move": EUMOptions(q=0.5, range_rule="current",
                                                 offer_selection="least_move"),
    "linear votes, text compromise, capitulation": EUMOptions(
        vote_risk="linear", compromise_minus="text", capitulation=True, median_tie="highest"),
    "pair P, own risk, challenger salience": EUMOptions(
        probability="pair", opponent_risk="own", resist_salience="challenger", rounds=5),
}


def _random_runs(rng: np.random.Generator, runs: int, n: int, integer: bool
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    c = rng.uniform(1, 100, (runs, n))
    x = rng.integers(0, 6, (runs, n)).astype(float) * 20 if integer else rng.uniform(0, 100,
                                                                                  (runs, n))
    s = rng.uniform(10, 100, (runs, n))
    x[:, 0], x[:, 1] = 0.0, 100.0  # never all at one position
    return c, x, s


@pytest.mark.parametrize("name", list(READING_CASES))
@pytest.mark.parametrize(("n", "integer"), [(2, False), (5, True), (10, False), (12, True)])
def test_batch_positions_equal_the_kernel_bit_for_bit(name: str, n: int, integer: bool) -> None:
    opts = READING_CASES[name].with_(salience_scale=100.0)
    c, x, s = _random_runs(np.random.default_rng(n), 12, n, integer)
    batch = run_eum_batch(c, x, s, opts)
    for r in range(len(x)):
        one = run_eum(c[r], x[r], s[r], options=opts)
        assert np.array_equal(batch[r], one.rounds[-1].positions), (name, r)
    assert np.array_equal(forecasts(c, x, s, opts),
                          [run_eum(c[r], x[r], s[r], options=opts).forecast
                           for r in range(len(x))])


def test_batch_checks_its_input_as_the_kernel() -> None:
    c, x, s = _random_runs(np.random.default_rng(1), 3, 4, False)
    with pytest.raises(InputError, match="same position"):
        run_eum_batch(c, np.zeros_like(x), s)
    with pytest.raises(InputError, match="finite"):
        run_eum_batch(c, np.where(x > 50, np.nan, x), s)
    with pytest.raises(InputError, match="two actors"):
        run_eum_batch(c[:, :1], x[:, :1], s[:, :1])
    # a run with nothing to bargain over forecasts its one position, as Monte Carlo did
    x[1] = 42.0
    assert forecasts(c, x, s)[1] == 42.0


def test_win_sets_equal_the_one_run_function() -> None:
    rng = np.random.default_rng(3)
    ideal = np.round(rng.uniform(0, 10, (200, 5)), 1)
    for q in (0.0, 3.0, 5.0, 10.0):
        for k in range(1, 6):
            ws = win_sets(ideal, q, k, 0.0, 10.0)
            probe = rng.uniform(0, 10, 200)
            for r in range(200):
                parts = win_set(ideal[r], q, k, 0.0, 10.0)
                assert ws.size[r] == sum(b - a for a, b in parts)
                assert ws.contains(probe)[r] == any(a < probe[r] < b for a, b in parts)
    with pytest.raises(InputError):
        win_sets(ideal, 1.0, 6, 0.0, 10.0)


@pytest.fixture
def inp() -> MCInput:
    rng = np.random.default_rng(11)
    return MCInput(model="eum", capability=rng.uniform(1, 50, 10),
                   position=np.round(rng.uniform(0, 100, 10)), salience=rng.uniform(20, 90, 10),
                   scale=(0.0, 100.0), status_quo=30.0, veto_index=(0, 2, 4, 6), needed=3,
                   sd_position=8.0, sd_salience=10.0, sd_capability=0.2)


def test_draws_are_perturbs(inp: MCInput) -> None:
    seqs = np.random.SeedSequence(5).spawn(20)
    c, x, s = _draws(inp, 5, 0, 20)
    for k in range(20):
        one = perturb(inp, np.random.default_rng(seqs[k]))
        assert all(np.array_equal(a, b[k]) for a, b in zip(one, (c, x, s), strict=True))


@pytest.mark.parametrize("model", ["eum", "veto"])
def test_monte_carlo_batched_equals_one_at_a_time(inp: MCInput, model: str) -> None:
    case = replace(inp, model=model)
    one = monte_carlo(case, 150, seed=4, backend="serial", batched=False)
    many = monte_carlo(case, 150, seed=4, backend="serial")
    assert np.array_equal(one.outcomes, many.outcomes)
    assert np.array_equal(one.consensus, many.consensus)
    assert 0 < many.consensus.mean() < 1  # the comparison covers both answers
    two = monte_carlo(case, 150, seed=4, backend="local", workers=2)
    assert np.array_equal(two.outcomes, many.outcomes)


def test_degenerate_draws_and_no_status_quo(inp: MCInput) -> None:
    flat = replace(inp, position=np.full(10, 50.0), sd_position=0.0, status_quo=None)
    res = monte_carlo(flat, 20, seed=1, backend="serial")
    assert np.all(res.outcomes == 50.0) and not res.consensus.any()


@pytest.mark.parametrize("tie", ["lowest", "highest"])
def test_weighted_medians_pick_the_kernels_position(tie: str) -> None:
    from scomodel.bargaining.eum import weighted_median
    from scomodel.bargaining.eum_batch import weighted_medians

    rng = np.random.default_rng(5)
    for n, integer in ((2, True), (5, True), (10, False), (34, True)):
        x = (rng.integers(0, 6, (3000, n)) * 20.0 if integer
             else rng.uniform(0, 100, (3000, n)))
        w = rng.integers(1, 4, (3000, n)) * 0.25 if integer else rng.uniform(0, 1, (3000, n))
        expected = [weighted_median(xr, wr, tie) for xr, wr in zip(x, w, strict=True)]
        assert np.array_equal(weighted_medians(x, w, tie), expected)
