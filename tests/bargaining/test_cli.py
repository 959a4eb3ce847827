"""The bargaining commands, checked through their JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from scomodel.cli import app, main

CSV = "/work/shared/data/bdm1994-emissions.csv"
runner = CliRunner()


def _json(args: list[str]) -> object:
    res = runner.invoke(app, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_bargain_eum_on_the_bdm_csv():
    out = _json(["bargain", CSV, "--model", "eum"])
    assert out["forecast"] == pytest.approx(9.671, abs=1e-3)
    assert len(out["rounds"]) == 9
    assert out["rounds"][1]["median"] == pytest.approx(8.416, abs=1e-3)
    assert out["rounds"][1]["positions"]["Belgium"] == pytest.approx(8.416, abs=1e-3)
    assert out["options"]["probability"] == "all_pairs"
    assert "win_set" not in out  # a bare actor table has no organization
    astana = _json(["bargain", "astana-2005-bases"])
    assert astana["forecast"] == 80.0 and astana["rule_bound_forecast"] == 50.0


def test_bargain_printed_reading_and_options():
    out = _json(["bargain", CSV, "--reading", "printed", "--rounds", "3"])
    assert out["forecast"] == 7.0 and len(out["rounds"]) == 4
    out = _json(["bargain", CSV, "-o", "q=0.5", "-o", "t_rule=always", "--rounds", "1"])
    assert out["options"]["q"] == 0.5 and out["options"]["t_rule"] == "always"


def test_bargain_with_runs_has_distribution():
    out = _json(
        ["bargain", "economic-cooperation-2003", "--runs", "12", "--seed", "5", "--workers", "1"]
    )
    d = out["distribution"]
    assert d["runs"] == 12 and d["seed"] == 5
    assert set(d["quantiles"]) == {"p05", "p25", "p50", "p75", "p95"}
    assert 0 <= d["p_consensus"] <= 1
    again = _json(
        ["bargain", "economic-cooperation-2003", "--runs", "12", "--seed", "5", "--workers", "2"]
    )
    assert again["distribution"]["quantiles"] == d["quantiles"]


def test_bargain_veto_with_membership_lists():
    out = _json(
        [
            "bargain",
            "india-pakistan-2017",
            "--model",
            "veto",
            "--issue",
            "terrorism-naming",
            "--members",
            "SCO-6,SCO-8",
        ]
    )
    assert [m["members"] for m in out["memberships"]] == ["SCO-6", "SCO-8"]
    assert out["memberships"][0]["gridlock_index"] == pytest.approx(0.4)
    assert out["memberships"][1]["win_set_size"] == 0.0


def test_bargain_what_if_rule():
    out = _json(
        ["bargain", "astana-2005-bases", "--model", "veto", "--rule", "qualified_majority:0.66"]
    )
    assert out["needed"] == 4 and out["win_set"] == [[0.0, 60.0]]


def test_plot_writes_a_png(tmp_path):
    png = tmp_path / "f.png"
    res = runner.invoke(app, ["bargain", "csto-exercises-2007", "--plot", str(png)])
    assert res.exit_code == 0, res.output
    assert png.read_bytes()[:4] == b"\x89PNG"
    png2 = tmp_path / "v.png"
    res = runner.invoke(
        app,
        [
            "bargain",
            "india-pakistan-2017",
            "--model",
            "veto",
            "--members",
            "SCO-6,SCO-8",
            "--plot",
            str(png2),
        ],
    )
    assert res.exit_code == 0 and png2.stat().st_size > 1000


def test_scenarios_and_show():
    rows = _json(["scenarios"])
    assert [r["name"] for r in rows][0] == "astana-2005-bases" and len(rows) == 5
    shown = _json(["scenario", "show", "csto-exercises-2007"])
    assert shown["date"] == "2007-10-05"
    assert any(c["source"] == "zhao2004" and c["actor"] == "CHN" for c in shown["citations"])
    assert shown["hindsight_inputs"] == 0
    assert all(c["status"] == "ex-ante" for c in shown["citations"] if c["what"] != "role")


def test_profile():
    p = _json(["profile", "Kazakhstan"])
    assert p["actor"] == "KAZ"
    gdp = {f["name"]: f["value"] for f in p["figures"]}
    assert gdp["gdp_2002_usd_bn"] == 24.4 and gdp["armed_forces"] == 66000


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["bargain", "nope.yaml"], "nope.yaml: file not found"),
        (["bargain", CSV, "--model", "magic"], "unknown model 'magic'"),
        (["bargain", CSV, "--backend", "dask"], "unknown backend"),
        (["bargain", CSV, "-o", "q=2"], "q must lie in [0, 1]"),
        (["profile", "FRA"], "no profile"),
    ],
)
def test_errors_exit_2_without_traceback(args, needle, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["scomodel", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert needle in err
    assert "Traceback" not in err


def test_entry_point_exits_2_in_a_subprocess():
    res = subprocess.run(
        [sys.executable, "-c", "from scomodel.cli import main; main()", "bargain", "nope.csv"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 2
    assert res.stderr.strip() == "error: nope.csv: file not found"


def test_bargain_detail():
    out = _json(["bargain", CSV, "--rounds", "1", "--detail"])
    r1 = out["rounds"][1]
    assert set(r1) >= {"probability", "eu_challenge", "eu_challenged", "offers"}
    assert r1["offers"]["Belgium"]
