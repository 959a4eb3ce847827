"""rules --format yaml (the rules in force, consolidated), rules --diff, decide --body and
--opt-outs on the command line, the authority figure, and test-rules run as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from scomodel.charter.consolidate import consolidated, diff_rules
from scomodel.charter.engine import rules_in_force
from tests.clirun import invoke

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


def run(*args: str) -> Any:
    result = invoke(*args)
    assert result.code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def by_change(rows: list[dict[str, Any]], change: str) -> dict[str, dict[str, Any]]:
    return {r["rule"]: r for r in rows if r["change"] == change}


def test_yaml_is_every_rule_in_force_with_its_book_dates_and_source() -> None:
    result = invoke("rules", "CSTO", "--on", "2010-01-01", "--format", "yaml")
    assert result.code == 0, result.stderr
    doc = YAML(typ="safe").load(result.stdout)
    ruleset = rules_in_force("CSTO", "2010-01-01")
    assert [r["id"] for r in doc["rules"]] == [x.rule.id for x in ruleset.rules]
    assert [b["id"] for b in doc["rulebooks"]] == ["CST1992", "CSTO2002"]
    books = {b["id"]: b["in_force"] for b in doc["rulebooks"]}
    for rule in doc["rules"]:
        assert rule["rulebook"] in books and rule["sources"]
        assert books[rule["rulebook"]] <= rule["in_force"] <= "2010-01-01"
    assert doc == json.loads(json.dumps(consolidated("CSTO", "2010-01-01")))


def test_sco_2009_to_2011_adds_the_admission_rules_and_ends_the_direct_route() -> None:
    rows = diff_rules("SCO", "2009-01-01", "2011-01-01")
    added, removed = by_change(rows, "added"), by_change(rows, "removed")
    assert {"A1-sanctions", "A2-letter", "A3-decision", "A5-decision", "T-applicant",
            "T-applicant-member"} <= set(added)
    assert {r["after"] for r in added.values()} == {"ADMISSION2010"}
    assert "T-member" in removed and "replaced by T-applicant-member" in removed["T-member"]["why"]
    assert not by_change(rows, "amended")
    assert run("rules", "SCO", "--diff", "2009-01-01", "2011-01-01", "-f", "json") == rows


def test_csto_2001_to_2003_adds_the_charter() -> None:
    rows = diff_rules("CSTO", "2001-01-01", "2003-12-31")
    added = by_change(rows, "added")
    assert {"CSTO-A12", "CSTO-T-suspend", "CSTO-T-withdraw", "CSTO-CCS"} <= set(added)
    assert {r["after"] for r in added.values()} == {"CSTO2002"}
    assert not [r for r in rows if r["change"] != "added"]
    assert diff_rules("CSTO", "2004-01-01", "2005-01-01") == []  # nothing took effect in 2004


def test_a_whatif_rule_with_the_same_id_is_an_amendment() -> None:
    qmv = Path(__file__).resolve().parents[2] / "src/scomodel/data/rulebooks/whatif/qmv-2017.yaml"
    from scomodel.charter.engine import what_if

    rows = diff_rules("SCO", "2016-01-01", "2018-01-01", rules=what_if([qmv]))
    amended = by_change(rows, "amended")
    assert "R16" in amended and "method" in amended["R16"]["why"]


def test_diff_and_on_errors_exit_2_naming_the_field() -> None:
    backwards = invoke("rules", "SCO", "--diff", "2011", "2009")
    assert backwards.code == 2 and "[diff]" in backwards.error
    neither = invoke("rules", "SCO")
    assert neither.code == 2 and "--on DATE or --diff" in neither.error
    bad = invoke("rules", "SCO", "--on", "2010", "--format", "xml")
    assert bad.code == 2 and "yaml" in bad.error


def test_decide_body_and_opt_outs_on_the_command_line() -> None:
    cis = run("decide", "CIS", "--on", "2000-01-01", "--body", "chs", "--opt-outs",
              "Turkmenistan,UKR", "-f", "json")
    assert (cis["kind"], cis["body"], cis["passes"]) == ("consensus_opt_out", "CHS", True)
    assert cis["opt_outs"] == ["TKM", "UKR"] and cis["counted"] == []
    # elsewhere no rule provides for opting out: a declaration counts as an objection
    sco = run("decide", "SCO", "--on", "2018-01-01", "--opt-outs", "770", "-f", "json")
    assert sco["passes"] is False and sco["counted"] == ["PAK"] and sco["opt_outs"] == ["PAK"]
    board = run("decide", "EAEU", "--on", "2020-01-01", "--body", "EEC_BOARD",
                "--objections", "BLR", "-f", "json")
    assert board["kind"] == "qualified_majority" and board["passes"] is True
    assert "opt_outs" not in board  # not asked: the answer keeps its keys
    unknown = invoke("decide", "CIS", "--on", "2000", "--opt-outs", "XYZ")
    assert unknown.code == 2 and "opt_outs" in unknown.error and "XYZ" in unknown.error
    body = invoke("decide", "EAEU", "--on", "2020", "--body", "CHS")
    assert body.code == 2 and "[body]" in body.error and "EEC_BOARD" in body.error


def test_authority_figure_and_side_by_side_table(tmp_path: Path) -> None:
    png = tmp_path / "authority.png"
    out = run("authority", "SCO", "CSTO", "EAEU", "CIS", "OSCE", "--from", "1990", "--to",
              "2025", "--plot", str(png), "-f", "json")
    assert png.stat().st_size > 20_000
    assert [o["org"] for o in out] == ["SCO", "CSTO", "EAEU", "CIS", "OSCE"]
    sco = {y["year"]: y for y in out[0]["years"]}
    assert sco[2002]["pooling"] is None and sco[2010]["delegation"] == pytest.approx(0.0833,
                                                                                     abs=1e-4)
    eaeu = {y["year"]: y for y in out[2]["years"]}
    assert eaeu[2014]["delegation"] is None and eaeu[2015]["delegation"] is not None
    single = run("authority", "SCO", "--from", "2004", "--to", "2004", "-f", "json")
    assert single["org"] == "SCO" and single["years"][0] == sco[2004]  # one org: as before


def test_test_rules_command_runs_every_history_case() -> None:
    result = invoke("test-rules", *map(str, CASES), "--format", "json")
    rows = json.loads(result.stdout)
    assert result.code == 0, [r for r in rows if not r["passed"]]
    assert len(rows) >= 60 and all(r["passed"] for r in rows)
    assert {r["id"] for r in rows} >= {"csto-uzb-2012-suspension", "sco-mng-2004-observer"}
