"""Monte Carlo: seeds make runs reproducible on every backend."""

from __future__ import annotations

import numpy as np
import pytest

from scomodel.bargaining.montecarlo import MCInput, monte_carlo
from scomodel.bargaining.scenario import read_actor_csv


@pytest.fixture(scope="module")
def inp():
    d = read_actor_csv("/work/shared/data/bdm1994-emissions.csv").data()
    return MCInput(
        model="eum",
        capability=d.capability,
        position=d.position,
        salience=d.salience,
        scale=(4.0, 10.0),
        status_quo=4.0,
        veto_index=tuple(range(10)),
        needed=10,
        sd_position=0.5,
        sd_salience=5.0,
        sd_capability=0.1,
    )


def test_same_seed_same_numbers_serial_and_processes(inp):
    a = monte_carlo(inp, 24, seed=7, backend="serial")
    b = monte_carlo(inp, 24, seed=7, backend="local", workers=2, chunk=5)
    assert np.array_equal(a.outcomes, b.outcomes)
    assert np.array_equal(a.consensus, b.consensus)
    c = monte_carlo(inp, 24, seed=8, backend="serial")
    assert not np.array_equal(a.outcomes, c.outcomes)


def test_run_k_does_not_depend_on_the_total(inp):
    a = monte_carlo(inp, 10, seed=3, backend="serial")
    b = monte_carlo(inp, 20, seed=3, backend="serial")
    assert np.array_equal(a.outcomes, b.outcomes[:10])


def test_zero_uncertainty_gives_the_base_forecast(inp):
    from dataclasses import replace

    fixed = replace(inp, sd_position=0.0, sd_salience=0.0, sd_capability=0.0)
    res = monte_carlo(fixed, 3, seed=1, backend="serial")
    assert np.allclose(res.outcomes, 9.671, atol=1e-3)
    # with every actor a veto player and q = 4 (Germany's ideal), nothing beats q
    assert not res.consensus.any()
    d = res.to_dict()
    assert d["quantiles"]["p50"] == pytest.approx(9.671, abs=1e-3)
    assert d["p_consensus"] == 0.0


def test_veto_model_distribution():
    inp = MCInput(
        model="veto",
        capability=np.ones(3),
        position=np.array([2.0, 5.0, 7.0]),
        salience=np.full(3, 50.0),
        scale=(0.0, 10.0),
        status_quo=0.0,
        veto_index=(0, 1, 2),
        needed=3,
        sd_position=0.0,
        sd_salience=0.0,
        sd_capability=0.0,
    )
    res = monte_carlo(inp, 4, seed=0, backend="serial")
    assert res.outcomes.tolist() == [4.0] * 4
    assert res.consensus.all()


@pytest.mark.ray
def test_ray_backend_matches_local(inp):
    pytest.importorskip("ray")
    a = monte_carlo(inp, 8, seed=11, backend="serial")
    b = monte_carlo(inp, 8, seed=11, backend="ray", workers=2, chunk=4)
    assert np.array_equal(a.outcomes, b.outcomes)
    assert b.backend == "ray"
