"""Property tests: the CSV parser, the win-set, and NumPy against pure Python."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scomodel.bargaining.eum import run_eum
from scomodel.bargaining.eum_options import EUMOptions
from scomodel.bargaining.eum_reference import run_eum_reference
from scomodel.bargaining.scenario import read_actor_csv
from scomodel.bargaining.veto import core, win_set
from scomodel.errors import InputError

row = st.tuples(
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8),
    st.floats(0, 10, allow_nan=False),
    st.floats(-50, 50, allow_nan=False),
    st.floats(0, 100, allow_nan=False),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(row, min_size=2, max_size=12, unique_by=lambda r: r[0]))
def test_valid_csv_round_trips(tmp_path, rows):
    text = "actor,capability,position,salience\n" + "".join(
        f"{a},{c!r},{x!r},{s!r}\n" for a, c, x, s in rows
    )
    d = read_actor_csv(tmp_path / "t.csv", text=text).data()
    assert list(d.actors) == [r[0] for r in rows]
    assert np.allclose(d.position, [r[2] for r in rows])
    assert np.allclose(d.salience, [r[3] for r in rows])


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_scenario_or_an_input_error(text):
    try:
        read_actor_csv("fuzz.csv", text="actor,capability,position,salience\n" + text)
    except InputError as err:
        assert err.file == "fuzz.csv"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 100), min_size=1, max_size=9),
    st.integers(0, 100),
    st.data(),
)
def test_win_set_is_exactly_what_k_players_prefer(ideals, q, data):
    x = np.array(ideals, dtype=float)
    k = data.draw(st.integers(1, len(x)))
    ws = win_set(x, float(q), k, 0.0, 100.0)
    for y in np.linspace(0, 100, 401):
        supporters = int((np.abs(y - x) < np.abs(q - x)).sum())
        inside = any(a < y < b for a, b in ws)
        on_edge = any(np.isclose(y, a) or np.isclose(y, b) for a, b in ws)
        if not on_edge:
            assert inside == (supporters >= k), (y, supporters, ws)
    lo, hi = core(x, k)
    if lo <= q <= hi:
        assert ws == []


@settings(max_examples=25, deadline=None)
@given(
    st.integers(2, 9),
    st.integers(0, 10_000),
    st.sampled_from(["target", "challenger"]),
    st.sampled_from(["viewer", "own"]),
    st.sampled_from(["all_pairs", "pair"]),
    st.sampled_from([1.0, 0.5]),
    st.booleans(),
)
def test_numpy_equals_pure_python(n, seed, resist, opp, prob, q, cap):
    rng = np.random.default_rng(seed)
    c, x, s = rng.random(n), rng.integers(0, 20, n).astype(float), rng.random(n)
    if x.min() == x.max():
        x[0] += 1
    opts = EUMOptions(
        resist_salience=resist, opponent_risk=opp, probability=prob, q=q, capitulation=cap, rounds=4
    )
    res = run_eum(c, x, s, options=opts)
    _, _, hist = run_eum_reference(c.tolist(), x.tolist(), s.tolist(), opts)
    assert np.allclose(res.positions(), np.array(hist), atol=1e-9)
