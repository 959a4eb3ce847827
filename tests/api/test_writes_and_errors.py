"""Writes go to what-if copies behind a bearer token; errors are problem+json, never 500."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import make_client

FACT = {
    "id": "sco-chs-2031-test", "kind": "summit", "about": ["SCO"], "date": "2031-06-15",
    "title": "A hypothetical summit", "sources": [{"source": "masuda2011", "locator": "§2"}],
}
SPELL = {"actor": "USA", "status": "observer", "start": "2031-06-15",
         "sources": [{"source": "masuda2011", "locator": "§1(2)", "judgement": True}]}


def test_writes_without_a_token_are_401(client: Any, auth: dict[str, str]) -> None:
    body = {"registry": "w", "fact": FACT}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"},
                    {"Authorization": auth["Authorization"].replace("Bearer", "Token")}):
        response = client.post("/api/facts", json=body, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["field"] == "authorization"
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert client.post("/api/spells", json={"registry": "w", "org": "SCO", "spell": SPELL}
                       ).status_code == 401
    assert client.delete("/api/whatif/w").status_code == 401
    # nothing was written: there is no copy "w" to read (reads never create one)
    assert client.get("/api/whatif").json() == []
    assert client.get("/api/facts", params={"registry": "w"}).status_code == 404


def test_no_configured_token_means_no_writes(fixture_env: str, good_data: Path) -> None:
    with make_client(fixture_env, good_data, token=None) as c:
        response = c.post("/api/facts", json={"registry": "w", "fact": FACT},
                          headers={"Authorization": "Bearer "})
        assert response.status_code == 401
        assert "SCOMODEL_TOKEN" in response.json()["detail"]


def test_what_if_writes_are_seen_there_only(client: Any, auth: dict[str, str]) -> None:
    added = client.post("/api/facts", json={"registry": "trial", "fact": FACT}, headers=auth)
    assert added.status_code == 201, added.text
    assert added.json()["dataset"] == "whatif:trial"
    spell = client.post("/api/spells", json={"registry": "trial", "org": "SCO", "spell": SPELL},
                        headers=auth)
    assert spell.status_code == 201, spell.text
    assert (spell.json()["actor"], spell.json()["name"]) == ("USA", "United States")
    seen = client.get("/api/members/SCO", params={"on": "2031-07-01", "registry": "trial"}).json()
    assert ("USA", "observer") in [(r["actor"], r["status"]) for r in seen]
    curated = client.get("/api/members/SCO", params={"on": "2031-07-01"}).json()
    assert "USA" not in [r["actor"] for r in curated]
    assert FACT["id"] in [f["id"] for f in client.get(
        "/api/facts", params={"registry": "trial"}).json()]
    assert FACT["id"] not in [f["id"] for f in client.get("/api/facts").json()]
    assert client.get("/api/whatif").json() == ["trial"]
    # a second, overlapping spell is refused and names the field
    clash = client.post("/api/spells", json={"registry": "trial", "org": "SCO", "spell": SPELL},
                        headers=auth)
    assert (clash.status_code, clash.json()["field"]) == (400, "start")
    assert client.delete("/api/whatif/trial", headers=auth).json() == {"dropped": "trial"}
    assert client.get("/api/whatif").json() == []


@pytest.mark.parametrize(("path", "status", "field"), [
    ("/api/members/SCO", 422, "on"),
    ("/api/members/SCO?on=2005-13-01", 400, "on"),
    ("/api/members/SCO?on=yesterday", 400, "on"),
    ("/api/members/SCO?on=2005&status=boss", 400, "status"),
    ("/api/members/SCO?on=2005&dataset=mine", 400, "dataset"),
    ("/api/members/NOPE?on=2005", 404, "org"),
    ("/api/members/SCO?on=2005&registry=../etc", 400, "registry"),
    ("/api/status/XYZ/SCO?on=2005", 404, "actor"),
    ("/api/diff/SCO?before=2004&after=20x4", 400, "after"),
    ("/api/timeline/IND?org=NOPE", 404, "org"),
    ("/api/network?on=2008&export=pdf", 400, "export"),
    ("/api/evolution?from=19x6", 400, "from"),
    ("/api/evolution?from=1996&to=2025&step=day", 400, "step"),
])
def test_bad_input_is_problem_json_with_the_field(
    client: Any, path: str, status: int, field: str
) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["field"] == field
    assert body["title"] and body["detail"] and "Traceback" not in response.text


def test_bad_bodies(client: Any, auth: dict[str, str]) -> None:
    wrong_date = {**FACT, "date": "2031-02-30"}
    response = client.post("/api/facts", json={"registry": "w", "fact": wrong_date}, headers=auth)
    assert (response.status_code, response.json()["field"]) == (422, "fact.date")
    extra = {**FACT, "colour": "red"}
    response = client.post("/api/facts", json={"registry": "w", "fact": extra}, headers=auth)
    assert (response.status_code, response.json()["field"]) == (422, "fact.colour")
    response = client.post("/api/facts", content=b"{not json", headers={
        **auth, "Content-Type": "application/json"})
    assert response.status_code == 422
    unknown_source = {**FACT, "sources": [{"source": "nobody2099"}]}
    response = client.post("/api/facts", json={"registry": "w", "fact": unknown_source},
                           headers=auth)
    assert (response.status_code, response.json()["field"]) == (404, "source")
    response = client.post("/api/facts", json={"registry": "w" * 65, "fact": FACT}, headers=auth)
    assert (response.status_code, response.json()["field"]) == (422, "registry")


def test_oversized_bodies_are_413(client: Any, auth: dict[str, str]) -> None:
    big = {"registry": "w", "fact": {**FACT, "title": "x" * 300_000}}
    response = client.post("/api/facts", json=big, headers=auth)
    assert response.status_code == 413
    assert response.json()["field"] == "body"

    def chunks() -> Any:  # no Content-Length: counted while it arrives
        yield b'{"registry": "w", "fact": {"title": "'
        for _ in range(60):
            yield b"x" * 5_000
        yield b'"}}'

    response = client.post("/api/facts", content=chunks(),
                           headers={**auth, "Content-Type": "application/json"})
    assert (response.status_code, response.json()["field"]) == (413, "body")
    response = client.post("/api/facts", content=b"{}", headers={
        **auth, "Content-Type": "application/json", "Content-Length": "ten"})
    assert (response.status_code, response.json()["field"]) == (400, "content-length")


def test_what_if_reads_answer_as_the_cli(client: Any, auth: dict[str, str]) -> None:
    """After a write through the API, ``--registry NAME`` on the CLI sees the same rows."""
    import json

    from typer.testing import CliRunner

    from scomodel.cli import app

    assert client.post("/api/spells", json={"registry": "cmp", "org": "SCO", "spell": SPELL},
                       headers=auth).status_code == 201
    for args, path in [
        (["members", "SCO", "--on", "2031-07-01", "--registry", "cmp"],
         "/api/members/SCO?on=2031-07-01&registry=cmp"),
        (["timeline", "USA", "--registry", "cmp"], "/api/timeline/USA?registry=cmp"),
        (["orgs", "USA", "--on", "2032", "--registry", "cmp"],
         "/api/orgs/USA?on=2032&registry=cmp"),
    ]:
        result = CliRunner().invoke(app, [*args, "--format", "json"])
        assert result.exit_code == 0, result.output
        assert client.get(path).json() == json.loads(result.stdout) != []


def test_deleting_a_what_if_copy_that_does_not_exist_is_404(client: Any,
                                                           auth: dict[str, str]) -> None:
    answer = client.delete("/api/whatif/never-existed", headers=auth)
    assert answer.status_code == 404
    assert answer.json()["field"] == "name"
