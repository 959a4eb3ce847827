"""Every GET answers what ``scomodel <command> --format json`` prints, on the same store."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from scomodel.cli import app

runner = CliRunner()

#: (CLI arguments, API path): the same query both ways
SAME_QUERIES = [
    (["members", "SCO", "--on", "2005-07-06", "--status", "observer"],
     "/api/members/SCO?on=2005-07-06&status=observer"),
    (["members", "SCO", "--on", "2017"], "/api/members/SCO?on=2017"),
    (["members", "sco", "--on", "1999"], "/api/members/sco?on=1999"),
    (["status", "IND", "SCO", "--on", "2010-01-01"], "/api/status/IND/SCO?on=2010-01-01"),
    (["orgs", "Kazakhstan", "--on", "1999"], "/api/orgs/Kazakhstan?on=1999"),
    (["timeline", "IND"], "/api/timeline/IND"),
    (["timeline", "IND", "--org", "SCO"], "/api/timeline/IND?org=SCO"),
    (["diff", "SCO", "2004-01-01", "2018-01-01"],
     "/api/diff/SCO?before=2004-01-01&after=2018-01-01"),
    (["shared", "KAZ", "CHN", "--on", "2004"], "/api/shared/KAZ/CHN?on=2004"),
    (["facts"], "/api/facts"),
    (["facts", "--about", "SCO", "--kind", "summit"], "/api/facts?about=SCO&kind=summit"),
    (["sources"], "/api/sources"),
]
#: the architecture reads the package's data, in the CLI as in the API
ARCHITECTURE_QUERIES = [
    (["overlap", "--on", "2008-01-01"], "/api/overlap?on=2008-01-01"),
    (["overlap", "--on", "2008", "--region", "central-asia", "--field", "narcotics"],
     "/api/overlap?on=2008&region=central-asia&field=narcotics"),
    (["network", "--on", "2004-06-01", "--region", "central-asia"],
     "/api/network?on=2004-06-01&region=central-asia"),
    (["network", "--on", "2004-06-01", "--export", "json"],
     "/api/network?on=2004-06-01&export=json"),
    (["evolution", "--from", "2000", "--to", "2002"], "/api/evolution?from=2000&to=2002"),
]


def cli_json(args: list[str]) -> Any:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("args", "path"), SAME_QUERIES, ids=[" ".join(q[0]) for q in SAME_QUERIES])
def test_api_answers_as_the_cli(client: Any, args: list[str], path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == cli_json(args)


@pytest.mark.parametrize(("args", "path"), ARCHITECTURE_QUERIES,
                         ids=[" ".join(q[0]) for q in ARCHITECTURE_QUERIES])
def test_architecture_answers_as_the_cli(real_client: Any, args: list[str], path: str) -> None:
    response = real_client.get(path)
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(args)


def test_hand_checked_answers(client: Any) -> None:
    """The fixture's SCO on 2005-07-06: three founders, India and Mongolia observing."""
    rows = client.get("/api/members/SCO", params={"on": "2005-07-06"}).json()
    assert [(r["actor"], r["status"]) for r in rows] == [
        ("CHN", "member"), ("KAZ", "member"), ("UZB", "member"),
        ("IND", "observer"), ("MNG", "observer")]
    india = rows[3]
    assert (india["start"], india["end"], india["precision"]) == ("2005-07", "2017-06-09", "month")
    assert india["sources"] == [{"source": "masuda2011", "locator": "§1(2)"}]
    # a coarse date is the whole period: India both observer and member in 2017
    in_2017 = client.get("/api/status/IND/SCO", params={"on": "2017"}).json()
    assert [r["status"] for r in in_2017] == ["observer", "member"]
    changes = client.get("/api/diff/SCO", params={"before": "2004-01-01",
                                                  "after": "2006-01-01"}).json()
    assert [(c["actor"], c["change"], c["after"]) for c in changes] == [
        ("IND", "joined", "observer"), ("MNG", "joined", "observer")]


def test_explorer_helpers(client: Any) -> None:
    orgs = {o["code"]: o["name"] for o in client.get("/api/organizations").json()}
    assert {"SCO", "SHANGHAI5"} <= set(orgs)
    spells = client.get("/api/spells/SCO").json()
    assert sorted({s["actor"] for s in spells}) == ["CHN", "IND", "KAZ", "LKA", "MNG", "UZB"]
    assert len(spells) == 7
    statuses = {s["status"]: s["colour"] for s in client.get("/api/statuses").json()}
    assert statuses["observer"] == "#ed7d31"
    assert client.get("/api/parts").json()[:2] == ["registry", "architecture"]


def test_graphml_export_is_the_clis(real_client: Any) -> None:
    result = runner.invoke(app, ["network", "--on", "2004-06-01", "--export", "graphml"])
    response = real_client.get("/api/network", params={"on": "2004-06-01", "export": "graphml"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert response.text == result.stdout.rstrip("\n")


def test_openapi_lists_every_query(client: Any) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    for _, path in SAME_QUERIES + ARCHITECTURE_QUERIES:
        template = path.split("?")[0]
        assert any(_matches(template, p) for p in paths), template


def _matches(concrete: str, template: str) -> bool:
    a, b = concrete.strip("/").split("/"), template.strip("/").split("/")
    return len(a) == len(b) and all(y.startswith("{") or x == y for x, y in zip(a, b, strict=True))


def test_a_missing_part_leaves_its_routes_out(monkeypatch: pytest.MonkeyPatch,
                                              fixture_env: str) -> None:
    """An installation without the charter still serves the rest (and says so)."""
    import builtins

    from tests.api.conftest import make_client

    real_import = builtins.__import__

    def no_charter(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "scomodel.charter" or name.startswith("scomodel.charter."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_charter)
    monkeypatch.delitem(__import__("sys").modules, "scomodel.charter", raising=False)
    with make_client(fixture_env, None) as c:
        parts = c.get("/api/parts").json()
        assert "charter" not in parts
        assert parts[:3] == ["registry", "architecture", "bargaining"]
        assert c.get("/api/rules/SCO", params={"on": "2009"}).status_code == 404
        assert c.get("/explorer/rules").status_code == 404
        assert c.get("/api/members/SCO", params={"on": "2005"}).status_code == 200
