"""The chunk seeding (seeding.py) gives SeedSequence's PCG64 states and so the same draws."""

from __future__ import annotations

import numpy as np
import pytest

from scomodel.bargaining import montecarlo, seeding
from scomodel.bargaining.montecarlo import MCInput, _draws


@pytest.mark.parametrize("seed", [0, 1, 7, 2**31 - 1, 2**32, 2**40 + 7, 2**127 + 5, 2**200 + 3])
def test_states_are_seedsequences(seed: int) -> None:
    assert seeding.supported(seed, 300)
    lo, hi = (0, 120) if seed % 2 else (1000, 1090)
    states = seeding.pcg64_states(seed, lo, hi)
    for k in range(lo, hi):
        ref = np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(k,))).state["state"]
        assert states[k - lo] == (ref["state"], ref["inc"]), k


def test_unsupported_seeds_take_the_seedsequence_path() -> None:
    assert not seeding.supported(-1, 10)
    assert not seeding.supported(1.5, 10)
    assert not seeding.supported(3, 2**32 + 1)


def test_draws_equal_the_seedsequence_generators(monkeypatch) -> None:
    inp = MCInput(model="eum", capability=np.array([1.0, 2.0, 3.0]),
                  position=np.array([0.0, 50.0, 100.0]), salience=np.array([50.0, 60.0, 70.0]),
                  scale=(0.0, 100.0), status_quo=None, veto_index=(), needed=0,
                  sd_position=5.0, sd_salience=10.0, sd_capability=0.2)
    fast = _draws(inp, 11, 40, 95)
    monkeypatch.setattr(montecarlo.seeding, "supported", lambda seed, hi: False)
    slow = _draws(inp, 11, 40, 95)
    for a, b in zip(fast, slow, strict=True):
        assert np.array_equal(a, b)


def test_module_example_runs() -> None:
    import doctest

    assert doctest.testmod(seeding).failed == 0
