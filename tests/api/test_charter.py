"""Charter endpoints answer as the charter's CLI commands; proceedings run and commit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from scomodel.cli import app

pytestmark = pytest.mark.filterwarnings("ignore")
runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "src/scomodel/data/rulebooks/examples"

SAME_QUERIES = [
    (["rules", "SCO", "--on", "2009-01-01"], "/api/rules/SCO?on=2009-01-01"),
    (["rules", "SCO", "--on", "2017", "--kind", "step"], "/api/rules/SCO?on=2017&kind=step"),
    (["rights", "IND", "SCO", "--on", "2010-01-01"], "/api/rights/IND/SCO?on=2010-01-01"),
    (["rights", "IND", "SCO", "--on", "2010", "--status", "member"],
     "/api/rights/IND/SCO?on=2010&status=member"),
    (["eligible", "USA", "SCO", "--status", "dialogue_partner", "--on", "2009-06-01"],
     "/api/eligible/USA/SCO?status=dialogue_partner&on=2009-06-01"),
    (["check-history", "SCO"], "/api/check-history/SCO"),
    (["check-history", "SCO", "--verdict", "undecidable"],
     "/api/check-history/SCO?verdict=undecidable"),
]


def cli_json(args: list[str]) -> Any:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("args", "path"), SAME_QUERIES, ids=[" ".join(q[0]) for q in SAME_QUERIES])
def test_charter_answers_as_the_cli(real_client: Any, args: list[str], path: str) -> None:
    response = real_client.get(path)
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(args)


def test_state_machine_has_the_rules_transitions(real_client: Any) -> None:
    rules = real_client.get("/api/rules/SCO", params={"on": "2009-01-01"}).json()
    machine = real_client.get("/api/rules/SCO/machine", params={"on": "2009-01-01"}).json()
    transitions = {r["rule"] for r in rules if r["kind"] == "transition"}
    assert {e["rule"] for e in machine["edges"]} == transitions != set()
    assert {"observer", "member", "dialogue_partner"} <= {n["id"] for n in machine["nodes"]}
    # the 2008 dialogue-partner regulations are in force on 2009-01-01, the 2010 ones not yet
    books = [b["id"] for b in machine["books"]]
    assert "DIALOGUE2008" in books and "ADMISSION2010" not in books


def _example(name: str) -> dict[str, Any]:
    data = YAML(typ="safe").load((EXAMPLES / name).read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=str))


def test_proceeding_is_the_clis_and_refusal_cites_the_rule(real_client: Any) -> None:
    path = EXAMPLES / "usa-dialogue-partner-2010.yaml"
    response = real_client.post("/api/proceedings",
                                json={"proceeding": _example(path.name)})
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(["proceed", str(path)])
    last = response.json()["steps"][-1]
    assert (last["step"], last["ok"], last["rule"]) == ("decision", False, "D3-decision")
    assert response.json()["granted"] is False


def test_committing_needs_the_token_and_lands_in_the_what_if(
    real_client: Any, auth: dict[str, str]
) -> None:
    body = {"proceeding": _example("usa-dialogue-partner-2010-granted.yaml"), "into": "dp"}
    assert real_client.post("/api/proceedings", json=body).status_code == 401
    response = real_client.post("/api/proceedings", json=body, headers=auth)
    assert response.status_code == 200, response.text
    assert response.json()["granted"] is True and response.json()["committed"]
    seen = real_client.get("/api/status/USA/SCO", params={"on": "2011", "registry": "dp"}).json()
    assert [r["status"] for r in seen] == ["dialogue_partner"]
    assert real_client.get("/api/status/USA/SCO", params={"on": "2011"}).json() == []


def test_bad_proceedings_name_the_field(real_client: Any) -> None:
    bad = {**_example("usa-dialogue-partner-2010.yaml"), "status": "overlord"}
    response = real_client.post("/api/proceedings", json={"proceeding": bad})
    assert response.status_code == 400
    assert response.json()["field"] == "proceeding.status"
    assert "file" not in response.json() and "/tmp" not in response.text


def test_control_characters_in_a_proceeding_are_refused_not_a_500(real_client: Any) -> None:
    """Found by the fuzz test: a raw DEL character made the YAML reader raise."""
    bad = {**_example("usa-dialogue-partner-2010.yaml"), "applicant": "US\x7fA"}
    response = real_client.post("/api/proceedings", json={"proceeding": bad})
    assert response.status_code == 200, response.text
    # the actor resolver reads past the control character, as it does on the CLI
    assert response.json()["applicant"] == "USA"
    bad_date = {**bad, "date": "2010-06-0\x7f"}
    response = real_client.post("/api/proceedings", json={"proceeding": bad_date})
    assert (response.status_code, response.json()["field"]) == (400, "proceeding.date")
