"""The CLI's JSON contract, plots, errors, and Monte Carlo over the SMP."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from scomodel.bargaining.smp import read_ktab_csv
from scomodel.bargaining.smp.cli import register, run_cli
from scomodel.bargaining.smp.montecarlo import run_monte_carlo
from scomodel.errors import InputError

from .conftest import FIXTURES, Reference

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:  # keep "bargain-smp" a sub-command
        pass

    return app


def test_cli_json_reproduces_the_reference(ref_3dim: Reference, tmp_path: Path):
    png = tmp_path / "turns.png"
    result = runner.invoke(_app(), ["bargain-smp", str(FIXTURES / "dummyData_3Dim.csv"),
                                    "--format", "json", "--plot", str(png)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert len(out["turns"]) == ref_3dim.n_states
    first = out["turns"][0]["positions"]
    assert first["SActor-00"] == pytest.approx([75.79, 6.37, 70.45])
    for t, turn in enumerate(out["turns"]):
        for i, actor in enumerate(ref_3dim.actors):
            got = [float(f"{x:5.1f}") for x in turn["positions"][actor]]
            assert got == ref_3dim.positions[t, i].tolist()
            prob = turn["probabilities"][actor]
            assert float(f"{prob:.4f}") == ref_3dim.probabilities[t, i]
    assert out["final"] == out["turns"][-1]
    assert png.stat().st_size > 10_000


def test_cli_table_and_export(tmp_path: Path):
    result = runner.invoke(_app(), ["bargain-smp", "sco-two-wheels-2003", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "actor,security,economy,probability" and len(lines) == 7
    out = tmp_path / "two.csv"
    result = runner.invoke(_app(), ["bargain-smp", "sco-two-wheels-2003", "--export", str(out)])
    assert result.exit_code == 0
    assert read_ktab_csv(out).actors == ("CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB")


def test_bad_csv_raises_an_error_naming_the_line(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    text = (FIXTURES / "dummyData_3Dim.csv").read_text().replace("53.393", "fifty")
    bad.write_text(text)
    with pytest.raises(InputError, match=r"bad.csv:4: capability must be a number"):
        run_cli(bad)


def test_monte_carlo_same_seed_same_result_on_each_backend():
    sc = read_ktab_csv(FIXTURES / "dummyData_3Dim.csv")
    a = run_monte_carlo(sc, runs=6, seed=11, backend="serial")
    b = run_monte_carlo(sc, runs=6, seed=11, backend="process", workers=2)
    np.testing.assert_array_equal(a.final_positions, b.final_positions)
    c = run_monte_carlo(sc, runs=6, seed=12, backend="serial")
    assert not np.array_equal(a.final_positions, c.final_positions)
    s = a.summary()
    assert s["runs"] == 6 and set(s["forecast"]) == {"Pstn1", "Pstn2", "Pstn3"}
    # stochastic runs still end near the deterministic cluster on dimension 1 (75-85)
    assert 70 < s["forecast"]["Pstn1"]["mean"] < 86


def test_monte_carlo_noise_and_errors():
    sc = read_ktab_csv(FIXTURES / "dummyData_3Dim.csv")
    mc = run_monte_carlo(sc, runs=3, seed=1, noise=5.0, backend="serial")
    assert ((mc.final_positions >= 0) & (mc.final_positions <= 100)).all()
    with pytest.raises(InputError, match="backend"):
        run_monte_carlo(sc, runs=2, backend="cloud")
    with pytest.raises(InputError, match="runs"):
        run_monte_carlo(sc, runs=0)


@pytest.mark.ray
def test_monte_carlo_on_ray_matches_serial():
    pytest.importorskip("ray")
    sc = read_ktab_csv(FIXTURES / "dummyData_3Dim.csv")
    a = run_monte_carlo(sc, runs=4, seed=5, backend="serial")
    b = run_monte_carlo(sc, runs=4, seed=5, backend="ray", workers=2)
    np.testing.assert_array_equal(a.final_positions, b.final_positions)


def test_run_cli_with_runs_adds_summary_and_histogram(tmp_path: Path):
    out = run_cli("sco-csto-and-openness-2007", runs=4, seed=3, backend="serial",
                  plot=tmp_path / "p.png")
    assert out["monte_carlo"]["runs"] == 4
    assert Path(out["plot_monte_carlo"]).exists()


def test_run_request_answers_the_bargain_command_request():
    from types import SimpleNamespace

    from scomodel.bargaining.smp.cli import run_request

    req = SimpleNamespace(scenario=str(FIXTURES / "dummyData_3Dim.csv"), runs=0, seed=0,
                          backend="local", workers=None, plot=None, progress=False,
                          options={"max_turns": 3})
    out = run_request(req)
    assert out["n_turns"] == 3 and out["options"]["max_turns"] == 3
    req.options = {"voting_rule": "Sometimes"}
    with pytest.raises(InputError, match="voting_rule"):
        run_request(req)


def test_cli_option_changes_the_run():
    result = runner.invoke(_app(), ["bargain-smp", str(FIXTURES / "SOE-Pol-Comp.csv"),
                                    "--format", "json", "--option", "max_turns=5"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["n_turns"] == 5


def test_root_bargain_command_runs_the_smp(ref_soe: Reference):
    from scomodel.cli import app

    result = runner.invoke(app, ["bargain", str(FIXTURES / "SOE-Pol-Comp.csv"), "--model", "smp",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["model"] == "smp" and len(out["turns"]) == ref_soe.n_states == 28
    xj = out["final"]["positions"]["XJ"]
    assert [float(f"{x:5.1f}") for x in xj] == ref_soe.positions[-1, 0].tolist()


def test_root_cli_bad_scenario_exits_2_with_the_line(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path, capsys):
    import sys

    from scomodel.cli import main

    bad = tmp_path / "bad.csv"
    bad.write_text((FIXTURES / "dummyData_3Dim.csv").read_text().replace("49.53", "49.5x"))
    monkeypatch.setattr(sys, "argv", ["scomodel", "bargain", str(bad), "--model", "smp"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "bad.csv:3" in err and "salience" in err and "Traceback" not in err


def test_deterministic_monte_carlo_without_noise_repeats_the_run():
    sc = read_ktab_csv(FIXTURES / "dummyData_3Dim.csv")
    mc = run_monte_carlo(sc, runs=3, seed=1, stochastic=False, backend="serial")
    from scomodel.bargaining.smp import run_smp

    final = run_smp(sc).scaled_positions()[-1]
    for run in mc.final_positions:
        np.testing.assert_array_equal(run, final)
    noisy = run_monte_carlo(sc, runs=3, seed=1, stochastic=False, noise=3.0, backend="serial")
    assert not np.array_equal(noisy.final_positions[0], final)


def test_run_request_noise_and_stochastic_options():
    from types import SimpleNamespace

    from scomodel.bargaining.smp.cli import run_request

    req = SimpleNamespace(scenario=str(FIXTURES / "dummyData_3Dim.csv"), runs=2, seed=0,
                          backend="serial", workers=None, plot=None, progress=False,
                          options={"stochastic": "false"})
    out = run_request(req)
    assert out["monte_carlo"]["turns"]["sd"] == 0.0  # same deterministic run twice
    req.options = {"stochastic": "false", "noise": 4}
    assert run_request(req)["monte_carlo"]["runs"] == 2
