"""With KTAB's defaults the SMP reproduces KTAB's own reference runs turn by turn."""

from __future__ import annotations

import numpy as np
import pytest

from scomodel.bargaining.smp import SMPOptions, read_ktab_csv, run_smp
from scomodel.bargaining.smp.model import state_view

from .conftest import FIXTURES, Reference


def _printed(x: np.ndarray, fmt: str) -> np.ndarray:
    """Values as KTAB prints them (printf rounding), so comparisons are exact."""
    return np.vectorize(lambda v: float(fmt % v))(x)


@pytest.mark.parametrize("path", ["numpy", "compiled"])
@pytest.mark.parametrize(
    ("csv", "ref_name"), [("dummyData_3Dim.csv", "ref_3dim"), ("SOE-Pol-Comp.csv", "ref_soe")]
)
def test_reference_run_turn_by_turn(csv: str, ref_name: str, path: str,
                                    request: pytest.FixtureRequest,
                                    monkeypatch: pytest.MonkeyPatch):
    # both paths of the model (NumPy, and Numba's compiled loops) must reproduce KTAB
    if path == "compiled":
        pytest.importorskip("numba")
    monkeypatch.setenv("SCOMODEL_SMP_JIT", "1" if path == "compiled" else "0")
    ref: Reference = request.getfixturevalue(ref_name)
    sc = read_ktab_csv(FIXTURES / csv)
    assert list(sc.actors) == ref.actors
    res = run_smp(sc)
    assert len(res.positions) == ref.n_states  # same number of turns
    np.testing.assert_array_equal(_printed(res.scaled_positions(), "%5.1f"), ref.positions)
    np.testing.assert_array_equal(_printed(res.probabilities, "%.4f"), ref.probabilities)


def test_reference_counts(ref_3dim: Reference, ref_soe: Reference):
    assert ref_3dim.n_states == 11 and ref_3dim.positions.shape == (11, 7, 3)
    assert ref_soe.n_states == 28 and ref_soe.positions.shape == (28, 13, 2)


def test_first_turn_risk_attitudes_match_ktab_log():
    # "Inferred risk attitudes" printed in the reference log for the initial state
    sc = read_ktab_csv(FIXTURES / "dummyData_3Dim.csv")
    view = state_view(sc.unit_positions(), sc.unit_saliences(), sc.capability, SMPOptions())
    expected = [-0.500, -0.459, -0.499, -0.274, 1.000, -0.232, -0.430]
    np.testing.assert_array_equal(np.round(view.risk, 3), expected)
    # the risk-neutral value of actor 0 for actor 1's position, printed as +0.903
    assert round(1 - view.d[0, 1], 3) == 0.903


def test_first_bargain_matches_ktab_log():
    # "Bargain [1006, 0:6] from 0's perspective": 0 proposes 75.610 24.780 71.950
    from scomodel.bargaining.smp.model import best_challenges, propose_bargains

    sc = read_ktab_csv(FIXTURES / "dummyData_3Dim.csv")
    pos, sal, cap = sc.unit_positions(), sc.unit_saliences(), sc.capability
    opts = SMPOptions()
    view = state_view(pos, sal, cap, opts)
    best_j, best_p, best_eu = best_challenges(view, sal, cap, opts)
    assert best_j[0] == 6
    assert round(best_p[0], 4) == 0.7643
    assert round(best_eu[0], 4) == 0.0947
    assert best_j.tolist() == [6, 0, 6, 0, 0, 1, 1]
    brg = propose_bargains(pos, sal, cap, view, opts)
    k = brg.init.tolist().index(0)
    np.testing.assert_allclose(brg.pos_init[k] * 100, [75.61, 24.78, 71.95], atol=1e-9)
    np.testing.assert_allclose(brg.pos_rcvr[k] * 100, [75.61, 24.79, 71.95], atol=1e-9)


def test_stochastic_runs_depend_only_on_the_seed():
    from scomodel.bargaining.smp.options import StateTransitions

    sc = read_ktab_csv(FIXTURES / "dummyData_3Dim.csv")
    opts = SMPOptions(transitions=StateTransitions.STOCHASTIC)
    a = run_smp(sc, opts, seed=7)
    b = run_smp(sc, opts, seed=7)
    np.testing.assert_array_equal(a.positions, b.positions)


@pytest.mark.parametrize(
    "change",
    [
        {"voting_rule": "Binary"},
        {"voting_rule": "PropCbc"},
        {"voting_rule": "ASymProsp"},
        {"victory_prob": "Square"},
        {"victory_prob": "Binary"},
        {"pce": "MarkovIncentive"},
        {"pce": "MarkovUniform"},
        {"big_r_range": "Max"},
        {"big_r_adjust": "Full"},
        {"third_party": "NoCommit"},
        {"interpolation": "S2PMax"},
        {"bargain_model": "InitRcvrInterp"},
        {"bargain_model": "PWCompInterp"},
    ],
)
def test_every_named_option_runs_and_keeps_positions_on_scale(change: dict[str, str]):
    sc = read_ktab_csv(FIXTURES / "dummyData_3Dim.csv")
    res = run_smp(sc, SMPOptions.from_mapping(dict(change)))
    p = res.scaled_positions()
    assert 2 <= res.n_turns <= 100
    assert np.isfinite(p).all()
    assert np.isfinite(res.probabilities).all()


@pytest.mark.parametrize(
    "name", ["SOE-Policy", "SOE-Competitive", "dummyData-a040", "dummyData-a080", "dummyData_6Dim"]
)
def test_matches_locally_built_ktab(name: str):
    from .conftest import parse_reference

    path = FIXTURES / f"ktab-3b5b063-{name}.history.txt"
    if not path.exists():
        pytest.skip(f"no KTAB run recorded for {name}")
    ref = parse_reference(path)
    res = run_smp(read_ktab_csv(FIXTURES / f"{name}.csv"))
    assert len(res.positions) == ref.n_states
    np.testing.assert_array_equal(_printed(res.scaled_positions(), "%5.1f"), ref.positions)
    np.testing.assert_array_equal(_printed(res.probabilities, "%.4f"), ref.probabilities)


# KTAB runs with non-default parameters (XML input to the locally built smpc, see
# fixtures/README.md). Binary and PropBin votes jump within 1e-8 of a tie, so they match
# only because the model adds in KTAB's order. Known divergences (docs/smp.md):
_DIVERGES = {
    # ASymProsp makes a PCE depend on the order of options, which in KTAB is the order in
    # which its threads finish
    ("voting_rule=ASymProsp", "dummyData_3Dim"): "KTAB's option order is thread timing",
    ("voting_rule=ASymProsp", "SOE-Pol-Comp"): "KTAB's option order is thread timing",
}
_OPTION_RUNS = sorted((FIXTURES / "ktab-options").glob("*.history.txt"))


@pytest.mark.parametrize("path", _OPTION_RUNS, ids=[p.name.split(".")[0] for p in _OPTION_RUNS])
def test_named_options_match_ktab(path, request: pytest.FixtureRequest):
    from .conftest import parse_reference

    option, scenario = path.name.removesuffix(".history.txt").split("--")
    if (option, scenario) in _DIVERGES:
        request.applymarker(pytest.mark.xfail(reason=_DIVERGES[(option, scenario)]))
    key, value = option.split("=")
    ref = parse_reference(path)
    res = run_smp(read_ktab_csv(FIXTURES / f"{scenario}.csv"),
                  SMPOptions.from_mapping({key: value}))
    assert len(res.positions) == ref.n_states
    np.testing.assert_array_equal(_printed(res.scaled_positions(), "%5.1f"), ref.positions)
    np.testing.assert_array_equal(_printed(res.probabilities, "%.4f"), ref.probabilities)


def test_every_option_value_was_checked_against_ktab():
    checked = {p.name.split("--")[0] for p in _OPTION_RUNS}
    # every non-default value of every KTAB parameter except BigRAdjust=Full, which KTAB
    # itself refuses to run (its sanity check on utility estimates throws)
    assert len(checked) == 22 and "big_r_adjust=Full" not in checked
