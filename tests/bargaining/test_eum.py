"""The expected-utility model against Scholz, Calbert & Smith (2011), Table 2, and by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scomodel.bargaining.eum import probabilities, risk_exponents, run_eum, weighted_median
from scomodel.bargaining.eum_options import READINGS, EUMOptions, reading
from scomodel.bargaining.eum_reference import run_eum_reference
from scomodel.bargaining.scenario import read_actor_csv
from scomodel.errors import InputError

CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "bdm1994-emissions.csv"
if not CSV.exists():  # the repository's own copy of the shared data
    CSV = Path("/work/shared/data/bdm1994-emissions.csv")

# Scholz et al. (2011), Table 2, p. 28 (Q = 1): rounds 1..8, printed to one decimal.
TABLE2_MEDIAN = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6]
TABLE2_MEAN = [7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6]
# What the scholz_code reading gives, to 3 decimals (rounds 0..8).
OURS_MEDIAN = [7.0, 8.416, 9.611, 9.962, 9.962, 9.962, 7.472, 8.825, 9.671]
OURS_MEAN = [7.390, 7.461, 7.553, 7.590, 7.358, 7.349, 7.415, 7.510, 7.572]


@pytest.fixture(scope="module")
def bdm():
    sc = read_actor_csv(CSV)
    return sc.data()


@pytest.fixture(scope="module")
def code_run(bdm):
    return run_eum(bdm.capability, bdm.position, bdm.salience, bdm.actors, READINGS["scholz_code"])


def _trunc(v: np.ndarray) -> np.ndarray:
    return np.floor(np.asarray(v) * 10 + 1e-9) / 10


def test_initial_median_is_the_knife_edge_seven(bdm):
    w = bdm.capability * bdm.salience / 100
    assert weighted_median(bdm.position, w) == 7.0
    # weight at positions <= 7 is 0.341 of 0.677: 7 beats 10 by a hair
    assert w[bdm.position <= 7].sum() == pytest.approx(0.341)
    assert w.sum() == pytest.approx(0.677)


def test_scholz_code_trajectory(code_run):
    assert np.round(code_run.medians, 3).tolist() == OURS_MEDIAN
    assert np.allclose(code_run.means, OURS_MEAN, atol=5e-4)


def test_table2_medians_reproduce_to_the_printed_digit_except_round_2(code_run):
    got = _trunc(code_run.medians[1:])
    for rnd, (g, t) in enumerate(zip(got, TABLE2_MEDIAN, strict=True), start=1):
        if rnd == 2:
            # Table 2 prints 9.9; the model gives 9.611 (Belgium's second compromise). Forcing
            # Belgium to 9.9 in round 2 breaks rounds 5-8 instead, so we keep the model.
            assert g == pytest.approx(9.6)
        else:
            assert g == pytest.approx(t), f"round {rnd}"


def test_table2_means_within_printed_precision(code_run):
    got = code_run.means[1:]
    assert np.all(np.abs(got - np.array(TABLE2_MEAN)) < 0.065)
    # truncated to one decimal, six of the eight rounds are equal (3 and 8 read 7.5, not 7.6)
    assert int((np.abs(_trunc(got) - TABLE2_MEAN) < 1e-9).sum()) == 6


def test_belgium_moves_as_the_replications_describe(code_run):
    # round 1: Belgium (7) compromises towards France (10) to 8.416
    assert code_run.rounds[1].positions[1] == pytest.approx(8.416, abs=1e-3)
    # round 4: Belgium compromises with the Netherlands, to a low position (jmckib's remark)
    assert code_run.rounds[4].positions[1] == pytest.approx(4.801, abs=1e-3)


def test_printed_reading_collapses_to_seven(bdm):
    res = run_eum(bdm.capability, bdm.position, bdm.salience, bdm.actors, READINGS["printed"])
    assert res.rounds[3].positions.tolist() == [7.0] * 10
    assert res.forecast == 7.0


@pytest.mark.parametrize(
    "opts",
    [
        READINGS["scholz_code"],
        READINGS["printed"],
        EUMOptions(q=0.5),
        EUMOptions(q=0.5, t_rule="always"),
        EUMOptions(compromise_minus="text", offer_selection="least_move"),
        EUMOptions(opponent_risk="own", resist_salience="challenger", capitulation=True),
        EUMOptions(probability="pair", vote_risk="linear", range_rule="current"),
    ],
)
def test_vectorised_equals_pure_python_on_table1(bdm, opts):
    res = run_eum(bdm.capability, bdm.position, bdm.salience, bdm.actors, opts)
    med, mean, hist = run_eum_reference(
        bdm.capability.tolist(), bdm.position.tolist(), bdm.salience.tolist(), opts
    )
    assert np.allclose(res.medians, med, atol=1e-9)
    assert np.allclose(res.means, mean, atol=1e-9)
    assert np.allclose(res.positions(), np.array(hist), atol=1e-9)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_equals_pure_python_on_random_actors(seed):
    rng = np.random.default_rng(seed)
    n = 12
    c, x, s = rng.random(n), rng.integers(0, 100, n).astype(float), rng.random(n)
    opts = EUMOptions(q=[1.0, 0.5, 0.8][seed - 1], rounds=5)
    res = run_eum(c, x, s, options=opts)
    _, _, hist = run_eum_reference(c.tolist(), x.tolist(), s.tolist(), opts)
    assert np.allclose(res.positions(), np.array(hist), atol=1e-9)


def test_probability_by_hand():
    # three voters at 0, 1, 2 (R = 2), weights 1, 1, 2, linear votes
    x = np.array([0.0, 1.0, 2.0])
    w = np.array([1.0, 1.0, 2.0])
    r = np.ones(3)
    p_pair = probabilities(x, w, r, 2.0, EUMOptions(probability="pair", vote_risk="linear"))
    # 0 vs 2: voter 0 (w1) prefers 0 by 1, voter 1 indifferent, voter 2 (w2) prefers 2 by 1
    assert p_pair[0, 2] == pytest.approx(1 / 3)
    assert p_pair[2, 0] == pytest.approx(2 / 3)
    assert p_pair[0, 2] + p_pair[2, 0] == pytest.approx(1.0)
    # all_pairs: denominator sums |votes| over every ordered pair: per voter the distances
    # (0, .5, 1), (.5, 0, .5), (1, .5, 0) give sum |d_b - d_a| = 4, 2, 4 -> 1*4 + 1*2 + 2*4 = 14
    p_all = probabilities(x, w, r, 2.0, EUMOptions(probability="all_pairs", vote_risk="linear"))
    assert p_all[0, 2] == pytest.approx(1.0 / 14)
    assert p_all[2, 0] == pytest.approx(2.0 / 14)
    assert np.all(np.diag(p_all) == 0)


def test_risk_exponents_span_half_to_two(bdm):
    s = bdm.salience / 100
    r = risk_exponents(bdm.position, s, bdm.capability * s, 6.0, 7.0, EUMOptions())
    assert r.min() == pytest.approx(0.5)
    assert r.max() == pytest.approx(2.0)


def test_options_are_validated():
    with pytest.raises(InputError, match="probability"):
        EUMOptions(probability="pairs")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown option"):
        reading("scholz_code", nonsense=1)
    with pytest.raises(InputError, match="unknown reading"):
        reading("literal")
    with pytest.raises(InputError, match="same position"):
        run_eum([1, 1], [3, 3], [50, 50])


def test_stop_when_stable():
    res = run_eum([1, 1, 1], [0, 0, 10], [50, 50, 50], options=EUMOptions(stop_when_stable=True))
    assert len(res.rounds) < 9
    assert not res.rounds[-1].move.any()


def test_no_combination_of_readings_fits_table2_better(bdm):
    """Search A1-A4 (64 combinations): scholz_code's 13 of 16 cells is the best.

    A6 and A8 change nothing on these data: the range stays 4-10 and no median ties.
    """
    import itertools

    grid = {
        "resist_salience": ["target", "challenger"],
        "opponent_risk": ["viewer", "own"],
        "probability": ["all_pairs", "pair"],
        "vote_risk": ["voter", "linear"],
        "offer_selection": ["scholz_code", "least_move"],
        "capitulation": [False, True],
    }
    best = 0
    for combo in itertools.product(*grid.values()):
        opts = EUMOptions(**dict(zip(grid, combo, strict=True)))
        res = run_eum(bdm.capability, bdm.position, bdm.salience, options=opts)
        score = int((np.abs(_trunc(res.medians[1:]) - TABLE2_MEDIAN) < 1e-9).sum())
        score += int((np.abs(_trunc(res.means[1:]) - TABLE2_MEAN) < 1e-9).sum())
        best = max(best, score)
    assert best == 13


def test_fig7_belgiums_view_supports_the_target_salience_reading(bdm):
    """Scholz et al. Fig. 7: in round 1 every other actor's challenge to Belgium sits at
    E(U_ji) = 0.24 through Belgium's eyes. Only resistance by the target (Belgium, s = 0.4)
    puts them all at one height (A1); the printed s_j spreads them out."""
    from scomodel.bargaining.eum import challenge_eu

    x, s = bdm.position, bdm.salience / 100
    w = bdm.capability * s
    opts = EUMOptions()
    r = risk_exponents(x, s, w, 6.0, 7.0, opts)
    d = np.abs(x[:, None] - x[None, :]) / 6.0
    p = probabilities(x, w, r, 6.0, opts)
    others = [j for j in range(10) if x[j] != x[1]]
    target = challenge_eu(d, p.T, s[:, None], r[:, None], 0.0, 1.0, 1.0)[1, others]
    assert np.allclose(target, 0.242, atol=0.002)
    printed = challenge_eu(d, p.T, s[None, :], r[:, None], 0.0, 1.0, 1.0)[1, others]
    assert np.ptp(printed) > 0.3


def test_detail_records_probabilities_eus_and_offers(bdm):
    res = run_eum(
        bdm.capability, bdm.position, bdm.salience, bdm.actors, EUMOptions(rounds=1), detail=True
    )
    r1 = res.rounds[1].to_dict(bdm.actors)
    # Fig. 7 again, through the JSON: Netherlands challenging Belgium, seen by Belgium
    assert r1["eu_challenged"]["Belgium"]["Netherlands"] == pytest.approx(0.242, abs=0.002)
    assert r1["eu_challenge"]["Belgium"]["Denmark"] == pytest.approx(-0.832, abs=0.002)
    p = r1["probability"]
    assert 0 < p["France"]["Belgium"] < 0.1  # the all-pairs denominator makes P small
    # Belgium's accepted move is one of the offers it received, the compromise with France
    offers = r1["offers"]["Belgium"]
    assert {"from": "France", "kind": "compromise"}.items() <= next(
        o for o in offers if o["from"] == "France"
    ).items()
    chosen = next(o for o in offers if o["from"] == r1["moves"]["Belgium"]["towards"])
    assert chosen["position"] == pytest.approx(r1["positions"]["Belgium"])
    assert "probability" not in res.rounds[0].to_dict(bdm.actors)
