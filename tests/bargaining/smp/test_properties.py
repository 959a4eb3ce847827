"""Properties of the SMP on random scenarios: it stops, stays on the scale, and the
probabilities it reports are probabilities."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scomodel.bargaining.smp import SMPScenario, run_smp
from scomodel.bargaining.smp.ktabcsv import format_ktab_csv, parse_ktab_csv


@st.composite
def scenarios(draw: st.DrawFn) -> SMPScenario:
    n = draw(st.integers(3, 9))
    d = draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    sal = rng.uniform(1, 100 / d, (n, d)).round(1)
    return SMPScenario(
        name="random",
        description="",
        actors=tuple(f"A{i}" for i in range(n)),
        dimensions=tuple(f"d{k}" for k in range(d)),
        capability=rng.uniform(1, 200, n).round(1),
        position=rng.uniform(0, 100, (n, d)).round(1),
        salience=sal,
    )


@settings(max_examples=25, deadline=None)
@given(scenarios())
def test_runs_stop_on_scale_with_probabilities(sc: SMPScenario):
    res = run_smp(sc)
    pos = res.scaled_positions()
    assert 2 <= res.n_turns <= 100
    assert (pos >= -1e-9).all() and (pos <= 100 + 1e-9).all()
    p = res.probabilities
    assert ((p >= 0) & (p <= 1 + 1e-12)).all()
    # bargains only interpolate: every coordinate stays inside the initial range
    lo, hi = sc.position.min(axis=0), sc.position.max(axis=0)
    assert (pos >= lo - 0.01).all() and (pos <= hi + 0.01).all()


@settings(max_examples=25, deadline=None)
@given(scenarios())
def test_csv_round_trip_gives_the_same_run(sc: SMPScenario):
    back = parse_ktab_csv(format_ktab_csv(sc))
    np.testing.assert_array_equal(run_smp(back).positions, run_smp(sc).positions)
