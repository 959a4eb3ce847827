"""The charter commands through the root CLI: JSON contracts and clean errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scomodel.cli import app, main

from .conftest import DATA, EXAMPLES, HERE

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"SCOMODEL_DB": str(tmp_path / "cli.sqlite"), "SCOMODEL_DATA": str(DATA)}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def call(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_rules_json_and_graph(env: dict[str, str], tmp_path: Path) -> None:
    png = tmp_path / "sm.png"
    rows = call("rules", "SCO", "--on", "2006-01-01", "--graph", str(png), "--format", "json")
    ids = {r["rule"] for r in rows}
    assert {"R16", "O1-letter", "O4-decision"} <= ids and "D2-letter" not in ids
    assert png.stat().st_size > 10_000
    marked = [r for r in rows if r["verification"] == "unverified"]
    assert marked and all(r["summary"].startswith("UNVERIFIED") for r in marked)


def test_rights_json(env: dict[str, str]) -> None:
    rows = call("rights", "MNG", "SCO", "--on", "2006-01-01", "--format", "json")
    chs = next(r for r in rows if r["body"] == "CHS")
    assert {k: chs[k] for k in ("attend", "vote")} == {"attend": True, "vote": False}
    assert set(chs) >= {"body", "attend", "speak", "vote", "sign", "rule"}
    rats = next(r for r in rows if r["body"] == "RATS")
    assert rats["attend"] is None


def test_eligible_json(env: dict[str, str]) -> None:
    out = call(
        "eligible",
        "USA",
        "SCO",
        "--status",
        "dialogue_partner",
        "--on",
        "2009-06-01",
        "--format",
        "json",
    )
    assert out["eligible"] is None
    assert {c["rule"] for c in out["criteria"]} >= {"D1-kind", "D1-goals"}
    assert set(out["criteria"][0]) >= {"criterion", "result", "rule", "why"}


def test_proceed_into_then_registry(env: dict[str, str]) -> None:
    granted = EXAMPLES / "examples" / "usa-dialogue-partner-2010-granted.yaml"
    out = call("proceed", str(granted), "--into", "cli-test", "--format", "json")
    assert out["granted"] is True and out["committed"]["registry"] == "cli-test"
    rows = call(
        "rights", "USA", "SCO", "--on", "2011-01-01", "--registry", "cli-test", "--format", "json"
    )
    assert {r["status"] for r in rows} == {"dialogue_partner"}
    curated = call("rights", "USA", "SCO", "--on", "2011-01-01", "--format", "json")
    assert {r["status"] for r in curated} == {"none"}


def test_proceed_refusal_and_whatif_rules(env: dict[str, str], tmp_path: Path) -> None:
    refused = call(
        "proceed", str(EXAMPLES / "examples" / "usa-dialogue-partner-2010.yaml"), "--format", "json"
    )
    assert refused["granted"] is False and refused["steps"][-1]["rule"] == "D3-decision"
    p = tmp_path / "p.yaml"
    p.write_text(
        (EXAMPLES / "examples" / "usa-dialogue-partner-2010-granted.yaml")
        .read_text()
        .replace("2010-06-01", "2018-01-01")
        .replace("objections: []", "objections: [RUS]")
    )
    assert call("proceed", str(p), "--format", "json")["granted"] is False
    qmv = str(EXAMPLES / "whatif" / "qmv-2017.yaml")
    assert call("proceed", str(p), "--rules", qmv, "--format", "json")["granted"] is True


def test_check_history_json(env: dict[str, str]) -> None:
    rows = call("check-history", "SCO", "--format", "json")
    assert len(rows) == 13
    assert {r["verdict"] for r in rows} == {"undecidable", "conforming"}
    only = call("check-history", "SCO", "--verdict", "conforming", "--format", "json")
    assert {r["verdict"] for r in only} == {"conforming"}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["proceed", str(HERE / "fixtures" / "proceedings" / "bad-step.yaml")],
            "bad-step.yaml:7 [steps.1.bribe]",
        ),
        (
            [
                "rules",
                "SCO",
                "--on",
                "2006",
                "--rules",
                str(HERE / "fixtures" / "bad" / "unknown-field.yaml"),
            ],
            "unknown-field.yaml:15",
        ),
        (["eligible", "USA", "SCO", "--status", "overlord", "--on", "2009"], "unknown status"),
        (["rules", "NATO", "--on", "2006"], "no rulebooks"),
        (["rights", "USA", "SCO", "--on", "2006-13"], "not a calendar date"),
    ],
)
def test_errors_are_one_line_and_exit_2(
    env: dict[str, str],
    args: list[str],
    words: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "argv", ["scomodel", *args])
    with pytest.raises(SystemExit) as info:
        main()
    err = capsys.readouterr().err
    assert info.value.code == 2, err
    assert "Traceback" not in err
    assert words in err and err.count("\n") == 1


def test_decide_json(env: dict[str, str]) -> None:
    out = call("decide", "SCO", "--on", "2018-01-01", "--objections", "PAK,USA", "--format", "json")
    assert out["kind"] == "consensus" and out["passes"] is False
    assert out["counted"] == ["PAK"] and len(out["members"]) == 8
    qmv = str(EXAMPLES / "whatif" / "qmv-2017.yaml")
    out = call(
        "decide", "SCO", "--on", "2018-01-01", "--objections", "PAK", "--rules", qmv, "-f", "json"
    )
    assert out["kind"] == "qualified_majority" and out["passes"] is True
    out = call(
        "decide",
        "SCO",
        "--on",
        "2010",
        "--matter",
        "expel",
        "--target",
        "UZB",
        "--objections",
        "UZB",
        "-f",
        "json",
    )
    assert out["kind"] == "consensus_minus_target" and out["passes"] is True
