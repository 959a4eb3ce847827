"""The PCE and vote kernels against the numbers KTAB's documentation gives."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scomodel.bargaining.smp import kernels as K
from scomodel.bargaining.smp.options import (
    BigRRange,
    PCEModel,
    VictoryProbModel,
    VotingRule,
)


@pytest.mark.parametrize(
    ("model", "p"),
    [
        (VictoryProbModel.LINEAR, 2 / 3),
        (VictoryProbModel.SQUARE, 4 / 5),
        (VictoryProbModel.QUARTIC, 16 / 17),
        (VictoryProbModel.OCTIC, 256 / 257),
        (VictoryProbModel.BINARY, 1.0 / (1.0 + 1e-6)),
    ],
)
def test_two_to_one_coalition(model: VictoryProbModel, p: float):
    c = np.array([[1e-8, 2.0], [1.0, 1e-8]])
    pv = K.victory_probabilities(c, model)
    assert pv[0, 1] == pytest.approx(p)
    assert pv[0, 1] + pv[1, 0] == pytest.approx(1.0)
    assert pv[0, 0] == 0.5


def test_conditional_pce_by_hand():
    # KTAB's scalarPCE log for actor 2's two bargains in turn 1 of dummyData_3Dim
    c = np.array([[1e-8, 19.138], [11.016, 1e-8]])
    p = K.pce(c, VictoryProbModel.LINEAR, PCEModel.CONDITIONAL)
    np.testing.assert_allclose(p, [0.6347, 0.3653], atol=5e-5)


def test_votes():
    du = np.array([-0.3, 0.0, 0.3])
    np.testing.assert_allclose(K.vote(VotingRule.PROP, 2.0, du), [-0.6, 0, 0.6])
    np.testing.assert_allclose(K.vote(VotingRule.BINARY, 2.0, du), [-2, 0, 2])
    np.testing.assert_allclose(K.vote(VotingRule.ASYM_PROSP, 3.0, du), [-0.9, 0, 0.6])
    np.testing.assert_allclose(K.vote(VotingRule.CUBIC, 1.0, du), du**3)


def test_risk_range_mid():
    r = K.risk_from_probabilities(np.array([0.1, 0.2, 0.7]), BigRRange.MID)
    assert r[2] == pytest.approx(1.0) and r[0] == pytest.approx(-0.5)


@settings(max_examples=30, deadline=None)
@given(
    arrays(np.float64, (5, 4), elements=st.floats(0, 1)),
    arrays(np.float64, (5,), elements=st.floats(0.1, 100)),
    st.sampled_from(list(PCEModel)),
    st.sampled_from(list(VictoryProbModel)),
)
def test_pce_is_a_distribution(u, w, pcem, vpm):
    p = K.scalar_pce(w, u, VotingRule.PROP, vpm, pcem)
    assert p.shape == (4,)
    assert (p >= 0).all()
    assert p.sum() == pytest.approx(1.0, abs=1e-6)


def test_coalitions_are_chunked_without_changing_the_result(monkeypatch):
    rng = np.random.default_rng(3)
    u, w = rng.random((30, 12)), rng.random(30) + 0.1
    whole = K.coalitions(w, u, VotingRule.PROP)
    monkeypatch.setattr(K, "CHUNK_ELEMENTS", 1)
    np.testing.assert_allclose(K.coalitions(w, u, VotingRule.PROP), whole, rtol=1e-12)
