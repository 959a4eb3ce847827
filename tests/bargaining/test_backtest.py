"""Dated inputs, CINC capabilities, the backtest's scoring and several issues at once."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from scomodel.bargaining.backtest import backtest, run_case, weighted_median
from scomodel.bargaining.builtin import builtin_names
from scomodel.bargaining.capabilities import CINC_PATH, cinc, default_capability
from scomodel.bargaining.dated import audit, date_bounds, hindsight
from scomodel.bargaining.scenario import load_scenario
from scomodel.bargaining.scoring import score_case, side, summarise
from scomodel.cli import app

runner = CliRunner()
NMC = Path(__file__).resolve().parents[3] / "shared" / "data" / "cow_nmc" / "nmc_v7.csv"


def _case(tmp_path: Path, *, source: str = "zhao2004", outcome: float = 80,
          at: tuple[int, int, int] = (80, 80, 80)) -> Path:
    """Three veto players (by default all at 80) on a 0-100 scale whose status quo is 0."""
    actors = "".join(
        f"""
  - actor: {a}
    role: member
    positions:
      x: {{position: {x}, salience: 50, source: {source}, locator: "§7"}}"""
        for a, x in zip(("CHN", "RUS", "KAZ"), at, strict=True)
    )
    text = f"""name: known
title: a constructed case
date: 2010-06-11
org: SCO
question: does the scoring add up?
issues:
  - id: x
    label: x
    scale: {{min: 0, max: 100, low: none, high: all}}
    status_quo: {{value: 0, source: zhao2004, locator: "§7"}}
    outcome: {{value: {outcome}, summary: known, source: zhao2004, locator: "§7"}}
veto_players: [CHN, RUS, KAZ]
actors:{actors}
sources:
  - {{key: later-2011, title: a report after the decision, year: 2011}}
"""
    path = tmp_path / "known.yaml"
    path.write_text(text)
    return path


def test_partial_dates_are_compared_conservatively():
    assert date_bounds("2017") == (date_bounds("2017-01-01")[0], date_bounds("2017-12-31")[1])
    assert date_bounds("2016-02")[1].day == 29
    sc = load_scenario("india-pakistan-2017")  # 2017-06-08
    dates = {d.source: d for d in audit(sc, {"zhao2004": "2017", "masuda2011": "2016"})}
    assert dates["zhao2004"].status == "hindsight"  # same year: not shown to be earlier
    assert dates["masuda2011"].status == "ex-ante"


@pytest.mark.parametrize("name", builtin_names())
def test_every_builtin_is_ex_ante_and_cites_nmc(name):
    sc = load_scenario(name)
    assert hindsight(sc) == []
    caps = [a.capability for a in sc.actors]
    assert all(c.source == "cow-nmc-v7" for c in caps)
    year = sc.date.year - 1
    assert all(c.dated == str(min(year, 2022)) for c in caps)
    res = runner.invoke(app, ["bargain", name, "--ex-ante", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["hindsight_inputs"] == 0


def _every_builtin_and_model() -> list[tuple[str, str]]:
    """Every built-in scenario with every model that reads it, from the two listings."""
    from scomodel.bargaining.smp.loader import builtin_names as smp_names

    pairs = [(n, m) for n in builtin_names() for m in ("eum", "veto", "smp")]
    return pairs + [(n, "smp") for n in smp_names()]


def test_the_builtin_listing_covers_both_formats():
    models = {m for _, m in _every_builtin_and_model()}
    names = {n for n, _ in _every_builtin_and_model()}
    assert models == {"eum", "veto", "smp"}
    assert {"sco-two-wheels-2003", "india-pakistan-2017"} <= names


@pytest.mark.parametrize(("name", "model"), _every_builtin_and_model())
def test_every_builtin_has_no_hindsight_input_under_ex_ante(name, model):
    res = runner.invoke(app, ["bargain", name, "--model", model, "--ex-ante", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["hindsight_inputs"] == 0 and out["hindsight"] == []
    assert out["decision_date"]


def test_ex_ante_refuses_a_hindsight_input_naming_it(tmp_path):
    path = _case(tmp_path, source="later-2011", at=(70, 80, 90))
    sc = load_scenario(path)
    assert [d.field for d in hindsight(sc)] == [f"actors.{k}.positions.x" for k in range(3)]
    plain = runner.invoke(app, ["bargain", str(path), "--format", "json"])
    assert json.loads(plain.stdout)["hindsight_inputs"] == 3  # shown, not refused
    res = subprocess.run(
        [sys.executable, "-c", "from scomodel.cli import main; main()", "bargain", str(path),
         "--ex-ante"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    assert "[actors.0.positions.x]" in res.stderr and "later-2011" in res.stderr


def test_cinc_default_is_last_year_before_the_decision():
    c = default_capability("CHN", load_scenario("india-pakistan-2017").date)
    assert c["dated"] == "2016" and c["value"] == pytest.approx(cinc("CHN", 2016) * 100)
    assert cinc("KGZ", 2016) < cinc("KAZ", 2016) < cinc("RUS", 2016) < cinc("CHN", 2016)
    assert CINC_PATH.stat().st_size < 400_000


@pytest.mark.skipif(not NMC.exists(), reason="shared/data not beside the clone")
def test_the_shipped_extract_matches_the_full_nmc_data():
    full = {}
    with NMC.open(newline="") as fh:
        for r in csv.DictReader(fh):
            if 1990 <= int(r["year"]) <= 2022 and r["cinc"]:
                full[(int(r["ccode"]), int(r["year"]))] = float(r["cinc"])
    with CINC_PATH.open(newline="") as fh:
        shipped = {(int(r["ccode"]), int(r["year"])): float(r["cinc"]) for r in csv.DictReader(fh)}
    assert shipped == full
    assert shipped[(710, 2017)] == pytest.approx(0.222, abs=5e-4)  # the README's check value


def test_scoring_on_a_constructed_case_with_known_answers(tmp_path):
    out = run_case(_case(tmp_path), runs=8, seed=3)
    s = out["scores"]
    for name in ("eum", "smp", "capability_mean", "weighted_median"):
        assert s[name]["forecast"] == pytest.approx(80, abs=1e-6)
        assert s[name]["abs_error"] == pytest.approx(0, abs=1e-6) and s[name]["right_side"]
    # the win-set of 0 with every veto player at 80 is (0, 100): its middle is 50
    assert s["veto"]["forecast"] == 50 and s["veto"]["abs_error"] == 30
    assert s["status_quo"]["abs_error"] == 80 and not s["status_quo"]["right_side"]
    assert s["status_quo"]["brier"] == 1.0  # p(change) 0, and it changed
    assert s["eum"]["brier"] == pytest.approx(0.0) and s["veto"]["brier"] == pytest.approx(0.0)
    rows = {r["model"]: r for r in summarise([out])}
    assert rows["status_quo"]["right_side_rate"] == 0.0 and rows["eum"]["mean_abs_error"] < 1e-6


def test_score_arithmetic():
    s = score_case({"m": 70.0, "flat": 1.0}, outcome=80, q=0, scale=(0, 100),
                   p_change={"m": 0.75, "flat": 0.1})
    assert s["m"]["abs_error"] == 10 and s["m"]["right_side"] and s["m"]["brier"] == 0.0625
    assert not s["flat"]["right_side"]  # within 2% of the scale: predicts no change
    assert s["flat"]["brier"] == pytest.approx(0.81)
    assert side(0.0, 0.0, (0, 100)) == 0 and side(-5.0, 0.0, (-50, 50)) == -1
    assert weighted_median(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 5.0])) == 3.0


def test_backtest_json_has_at_least_twelve_ex_ante_cases():
    res = runner.invoke(app, ["backtest", "--runs", "3", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert len(out["cases"]) >= 12
    assert {r["model"] for r in out["summary"]} == {
        "eum", "smp", "veto", "status_quo", "capability_mean", "weighted_median"}
    for c in out["cases"]:
        assert c["hindsight_inputs"] == 0 and c["outcome_source"]
        assert set(c["scores"]) >= {"eum", "smp", "veto", "status_quo"}


def test_backtest_refuses_a_hindsight_case(tmp_path):
    _case(tmp_path, source="later-2011")
    with pytest.raises(Exception, match="hindsight input"):
        backtest(tmp_path, runs=0)


def test_several_issues_run_together_with_a_joint_monte_carlo():
    args = ["bargain", "india-pakistan-2017", "--runs", "12", "--seed", "4", "--workers", "1",
            "--format", "json"]
    out = json.loads(runner.invoke(app, args).stdout)
    assert [i["issue"] for i in out["issues"]] == ["admission", "terrorism-naming"]
    joint = out["joint"]
    ps = [joint["issues"][k]["p_consensus"] for k in joint["issues"]]
    assert joint["p_all_in_win_set"] <= min(ps)
    assert out["distribution"]["quantiles"] == joint["issues"]["admission"]["quantiles"]
    again = json.loads(runner.invoke(app, args).stdout)
    assert again["joint"]["issues"] == joint["issues"]
    one = json.loads(runner.invoke(app, [*args[:2], "--issue", "admission", "--format",
                                         "json"]).stdout)
    assert "issues" not in one and one["forecast"] == out["issues"][0]["forecast"]


def test_profile_shows_cinc():
    out = json.loads(runner.invoke(app, ["profile", "KAZ", "--format", "json"]).stdout)
    assert out["cinc"]["2016"] == pytest.approx(cinc("KAZ", 2016) * 100, abs=1e-4)
