"""--explain and ?explain=1: the trace behind an answer, on the curated record.

The trace only adds: every answer is compared with the same command without --explain.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.clirun import invoke

ROOT = Path(__file__).resolve().parents[2]
GRANTED = ROOT / "src/scomodel/data/rulebooks/examples/usa-dialogue-partner-2010-granted.yaml"


def run(*args: str) -> Any:
    result = invoke(*args)
    assert result.code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def nodes(tree: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    found = [tree] if tree["kind"] == kind else []
    for child in tree["children"]:
        found += nodes(child, kind)
    return found


def test_status_of_india_in_2016_names_spells_rules_and_sources() -> None:
    args = ("status", "IND", "SCO", "--on", "2016-06-01", "--format", "json")
    plain = run(*args)
    out = run(*args, "--explain")
    assert out["rows"] == plain  # --explain adds, never changes
    trace = out["trace"]
    spells = {n["id"]: n for n in nodes(trace, "spell")}
    assert set(spells) == {"SCO:IND:observer:2005-07-05", "SCO:IND:acceding:2015-07-10"}
    observer = spells["SCO:IND:observer:2005-07-05"]
    assert observer["effective"] == {"from": "2005-07-05", "until": "2017-06-09"}
    assert "masuda2011" in {s["id"] for s in observer["children"] if s["kind"] == "source"}
    acceding = spells["SCO:IND:acceding:2015-07-10"]
    assert {"decision:2015-07-10", "memorandum_of_obligations:2016-06-24"} <= {
        f["id"] for f in nodes(acceding, "fact")}
    rules = {n["id"]: n for n in nodes(trace, "rule")}
    # observers' rights and ways in and out, and the admission procedure an applicant is in
    assert {"O6-summits", "T-observer", "T-applicant", "A3-decision",
            "T-applicant-member"} <= set(rules)
    assert rules["T-applicant"]["version"] == "ADMISSION2010"
    assert rules["T-applicant"]["effective"]["from"] == "2010-06-11"
    assert rules["O6-ministers"]["effective"]["from"] == "2015-07-10"  # its own valid_from
    assert all(any(c["kind"] == "source" for c in r["children"]) for r in rules.values())
    books = {n["id"] for n in nodes(trace, "rulebook")}
    assert {"CHARTER2002", "OBSERVERS2004", "ADMISSION2010", "MEMORANDUM2014"} <= books
    assert "PARTNERS2025" not in books  # not yet in force in 2016


def test_table_mode_prints_the_tree_after_the_answer() -> None:
    result = invoke("status", "IND", "SCO", "--on", "2016-06-01", "--explain")
    assert result.code == 0
    text = result.stdout
    assert text.index("why:") > text.index("acceding")
    assert "\n  step registry: " in text and "\n    spell SCO:IND:observer:2005-07-05" in text


def test_members_of_an_organization_without_rulebooks_rest_on_spells() -> None:
    out = run("members", "NATO", "--on", "2000-01-01", "--explain", "--format", "json")
    assert len(nodes(out["trace"], "spell")) == len(out["rows"]) == 19
    assert [r["id"] for r in nodes(out["trace"], "rule")] == ["none"]


def test_eligible_trace_has_one_step_per_criterion_and_reads_spells() -> None:
    args = ("eligible", "USA", "SCO", "--status", "dialogue_partner", "--on", "2009-06-01",
            "--format", "json")
    plain, out = run(*args), run(*args, "--explain")
    assert {k: v for k, v in out.items() if k != "trace"} == plain
    steps = [n for n in out["trace"]["children"] if n["kind"] == "step"][1:]
    assert [s["id"] for s in steps] == [c["criterion"] for c in plain["criteria"]]
    held = next(s for s in steps if s["id"].startswith("the applicant is not already"))
    assert held["detail"]["result"] is True
    assert nodes(held, "rule")[0]["id"] == "D1-not-already"
    assert any(n["id"].startswith("registry:USA:SCO:2009-06-01") for n in nodes(held, "step"))


def test_decide_trace_names_the_rule_and_the_members_counted() -> None:
    args = ("decide", "SCO", "--on", "2018-01-01", "--objections", "Pakistan", "-f", "json")
    plain, out = run(*args), run(*args, "--explain")
    assert {k: v for k, v in out.items() if k != "trace"} == plain
    decision = nodes(out["trace"], "decision")[0]
    assert decision["detail"] == {"result": False, "counted": "PAK"}
    assert nodes(decision, "rule")[0]["id"] == "R16"
    assert len(nodes(decision, "spell")) == len(plain["members"]) == 8


def test_rights_proceed_and_check_history_only_add_a_trace() -> None:
    rights = ("rights", "IND", "SCO", "--on", "2016-06-01", "-f", "json")
    out = run(*rights, "--explain")
    assert out["rows"] == run(*rights)
    chs = next(n for n in nodes(out["trace"], "step") if n["id"] == "observer:CHS")
    assert {"R16-others-do-not-decide", "O6-summits"} <= {r["id"] for r in nodes(chs, "rule")}
    proceed = ("proceed", str(GRANTED), "-f", "json")
    out = run(*proceed, "--explain")
    assert {k: v for k, v in out.items() if k != "trace"} == run(*proceed)
    steps = [n["id"] for n in out["trace"]["children"] if n["kind"] == "step"][1:]
    assert steps == [s["step"] for s in out["steps"]]
    history = ("check-history", "CSTO", "--verdict", "anomalous", "-f", "json")
    out = run(*history, "--explain")
    assert out["rows"] == run(*history)
    assert len(out["trace"]["children"]) == len(out["rows"])
    uzb = next(n for n in out["trace"]["children"] if n["id"].startswith("UZB:"))
    assert nodes(uzb, "rule")[0]["id"] == "CSTO-T-suspend"
    assert nodes(uzb, "spell")[0]["id"] == "CSTO:UZB:suspended:2012-12-19"


def test_veto_bargain_explains_rule_players_and_codings() -> None:
    args = ("bargain", "india-pakistan-2017", "--model", "veto", "--format", "json")
    plain, out = run(*args), run(*args, "--explain")
    assert {k: v for k, v in out.items() if k != "trace"} == plain
    decision = nodes(out["trace"], "decision")[0]
    assert nodes(decision, "rule")[0]["id"] == "R16"
    assert {s["id"].split(":")[1] for s in nodes(decision, "spell")} == set(plain["veto_players"])
    facts = {f["id"] for f in nodes(decision, "fact")}
    assert {f"position:{p}:admission" for p in plain["veto_players"]} <= facts
    assert all(f["children"] for f in nodes(decision, "fact"))  # each coding cites a source
    refused = invoke("bargain", "india-pakistan-2017", "--model", "eum", "--explain")
    assert refused.code == 2 and "explain" in refused.error


@pytest.fixture(scope="module")
def api() -> Any:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from scomodel.api import Settings, create_app
    from scomodel.registry.store import engine_for

    settings = Settings(token=None, db=str(engine_for(None).url), data_dir=None,
                        refresh_seconds=0.0)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_api_explain_matches_the_cli(api: Any) -> None:
    got = api.get("/api/status/IND/SCO", params={"on": "2016-06-01", "explain": 1})
    assert got.status_code == 200, got.text
    cli = run("status", "IND", "SCO", "--on", "2016-06-01", "--explain", "--format", "json")
    assert got.json() == cli
    plain = api.get("/api/status/IND/SCO", params={"on": "2016-06-01"}).json()
    assert plain == cli["rows"]
    eligible = api.get("/api/eligible/USA/SCO", params={"on": "2009-06-01", "explain": "true",
                                                        "status": "dialogue_partner"}).json()
    assert eligible["eligible"] is None and eligible["trace"]["kind"] == "answer"
    cis = api.get("/api/decide/CIS", params={"on": "2000-01-01", "body": "CHS",
                                             "opt_outs": "Turkmenistan", "explain": 1}).json()
    assert cis["passes"] is True and cis["opt_outs"] == ["TKM"]
    assert nodes(cis["trace"], "rule")[0]["id"] == "CIS-A23"
    diff = api.get("/api/rules/SCO/diff", params={"before": "2009", "after": "2011"}).json()
    assert {"A3-decision", "T-applicant"} <= {r["rule"] for r in diff if r["change"] == "added"}


def test_a_rule_a_later_rulebook_replaces_ends_that_day() -> None:
    from scomodel.charter.explain import explain_spells
    from scomodel.registry import Registry

    reg = Registry.open()
    trace = explain_spells(reg.status("CHN", "SCO", "2009-06-01"), "SCO", "2009-06-01", "q",
                           registry=reg)
    rules = {n.id: n for n in trace.find("rule")}
    # the Charter's direct route to membership gave way to the 2010 admission rules
    assert rules["T-member"].effective == {"from": "2003-09-19", "until": "2010-06-11"}
    assert rules["T-withdraw"].effective == {"from": "2003-09-19", "until": None}
    later = explain_spells(reg.status("CHN", "SCO", "2011-06-01"), "SCO", "2011-06-01", "q",
                           registry=reg)
    assert "T-member" not in {n.id for n in later.find("rule")}
    assert "T-applicant-member" in {n.id for n in later.find("rule")}
