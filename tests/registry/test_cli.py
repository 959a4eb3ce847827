"""The registry commands, through the real CLI, checked as JSON against the fixture."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scomodel.cli import app, main

runner = CliRunner()


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch: pytest.MonkeyPatch, good_data: Path, sqlite_url: str) -> None:
    monkeypatch.setenv("SCOMODEL_DATA", str(good_data))
    monkeypatch.setenv("SCOMODEL_DB", sqlite_url)


def run_json(*args: str) -> object:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_members_json_contract() -> None:
    rows = run_json("members", "SCO", "--on", "2005-07-06", "--status", "observer")
    assert [r["actor"] for r in rows] == ["IND", "MNG"]
    for row in rows:
        assert {"actor", "name", "status", "start", "end", "precision", "sources"} <= set(row)
    assert rows[1] == {**rows[1], "name": "Mongolia", "start": "2004-06-17", "end": None,
                       "precision": "day", "cow": 712}


def test_status_orgs_shared() -> None:
    assert [r["status"] for r in run_json("status", "IND", "SCO", "--on", "2010-01-01")] == [
        "observer"]
    assert [r["org"] for r in run_json("orgs", "Kazakhstan", "--on", "1999")] == ["SHANGHAI5"]
    assert [r["org"] for r in run_json("shared", "KAZ", "CHN", "--on", "2004")] == ["SCO"]


def test_timeline_with_plot(tmp_path: Path) -> None:
    png = tmp_path / "ind.png"
    result = runner.invoke(app, ["timeline", "IND", "--org", "SCO", "--plot", str(png),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["status"] for r in json.loads(result.stdout)] == ["observer", "member"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_diff_facts_sources() -> None:
    assert [(c["actor"], c["change"]) for c in run_json("diff", "SCO", "2004-01-01",
                                                         "2006-01-01")] == [
        ("IND", "joined"), ("MNG", "joined")]
    facts = run_json("facts", "--about", "SCO")
    assert facts[0]["sources"] == [{"source": "masuda2011", "locator": "§2(1)"}]
    assert [s["key"] for s in run_json("sources")] == ["masuda2011", "zhao2004"]


def test_csv_and_table_formats() -> None:
    result = runner.invoke(app, ["members", "SCO", "--on", "2005-07-06", "--format", "csv"])
    assert result.stdout.splitlines()[0] == "actor,name,status,start,end,precision,beside,sources"
    assert "IND,India,observer,2005-07,2017-06-09,month,,masuda2011 §1(2)" in result.stdout
    table = runner.invoke(app, ["members", "SCO", "--on", "2005-07-06"])
    assert "Mongolia" in table.stdout and "observer" in table.stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["members", "SCO", "--on", "2005-13-01"], "not a calendar date"),
        (["members", "SCO", "--on", "2005", "--status", "ally"], "unknown status 'ally'"),
        (["status", "Narnia", "SCO", "--on", "2005"], "unknown actor 'Narnia'"),
        (["members", "SCO", "--on", "2005", "--format", "xml"], "unknown format 'xml'"),
        (["members", "SCO"], "Missing option '--on'"),
    ],
)
def test_errors_exit_2_without_traceback(argv: list[str], message: str,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["scomodel", *argv])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
