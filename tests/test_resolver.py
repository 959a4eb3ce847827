"""Every actor or organization a user names goes through one resolver (issue 10).

Each entry point is tried with a name, an ISO3 code and a COW code (they must give the
same answer) and with a made-up code (exit 2 naming the field and the value). The answers
checked are ones a silent drop would change: Pakistan's objection blocks a 2018 decision
only if "Pakistan" is understood as the member PAK.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scomodel.actors import resolve, resolve_codes
from scomodel.errors import InputError, NotFoundError
from tests.clirun import invoke

SPELLINGS = {"PAK": ("Pakistan", "PAK", "770", "pak"), "UZB": ("Uzbekistan", "UZB", "704")}


def _json(*args: str) -> Any:
    result = invoke(*args, "--format", "json")
    assert result.code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


# -- the resolver itself -------------------------------------------------------------------


@pytest.mark.parametrize("text", SPELLINGS["PAK"])
def test_names_iso3_and_cow_codes_resolve_alike(text: str) -> None:
    assert resolve(text, field="objections").code == "PAK"


def test_organizations_resolve_by_acronym_and_name() -> None:
    assert resolve("sco", kind="organization", field="org").code == "SCO"
    assert resolve("Shanghai Cooperation Organisation", kind="organization").code == "SCO"


@pytest.mark.parametrize("text", ["XYZ", "Atlantis", "999", ""])
def test_unknown_names_are_errors_naming_field_and_value(text: str) -> None:
    with pytest.raises(NotFoundError) as info:
        resolve(text, field="objections")
    assert info.value.field == "objections"
    assert repr(text.strip()) in str(info.value) or not text


def test_a_state_is_not_an_organization() -> None:
    with pytest.raises(NotFoundError, match="KAZ.*not an organization") as info:
        resolve("Kazakhstan", kind="organization", field="org")
    assert info.value.field == "org"


def test_an_unknown_organization_is_called_one() -> None:
    with pytest.raises(NotFoundError, match="unknown organization 'NOPE'"):
        resolve("NOPE", kind="organization", field="org")


def test_the_same_actor_twice_is_an_error() -> None:
    with pytest.raises(InputError, match="PAK.*twice") as info:
        resolve_codes(["PAK", "Pakistan"], field="objections")
    assert info.value.field == "objections"
    assert resolve_codes(["Pakistan", "704"], field="objections") == ["PAK", "UZB"]


# -- CLI entry points ---------------------------------------------------------------------


def test_reproducer_decide_pakistan_objection_blocks() -> None:
    """Issue 10's reproducer: answered "counted": [], "passes": true before the fix."""
    out = _json("decide", "SCO", "--on", "2018-01-01", "--objections", "Pakistan")
    assert out["objections"] == ["PAK"]
    assert out["counted"] == ["PAK"] and out["passes"] is False


def _decide_objection(text: str) -> Any:
    out = _json("decide", "SCO", "--on", "2018-01-01", "--objections", text)
    return out["counted"], out["passes"]


def _decide_target(text: str) -> Any:
    # the member concerned does not count under consensus minus the target: UZB objecting
    # to its own suspension must not block it, whatever UZB is called
    out = _json("decide", "SCO", "--on", "2018-01-01", "--matter", "suspend",
                "--objections", "UZB", "--target", text)
    return out["counted"], out["passes"], out["target"]


def _eligible(text: str) -> Any:
    out = _json("eligible", text, "SCO", "--status", "dialogue_partner", "--on", "2009-06-01")
    return out["actor"], out["eligible"]


def _rights(text: str) -> Any:
    rows = _json("rights", text, "SCO", "--on", "2018-01-01")
    return sorted({r["status"] for r in rows})


def _profile(text: str) -> Any:
    return _json("profile", text)["actor"]


def _members_option(text: str) -> Any:
    out = _json("bargain", "india-pakistan-2017", "--model", "veto", "--issue",
                "terrorism-naming", "--members", f"CHN+RUS+{text}")
    row = out["memberships"][0]
    return row["members"], row["n"], row["uncoded"]


CLI_ENTRY_POINTS: dict[str, tuple[Callable[[str], Any], str]] = {
    "decide --objections": (_decide_objection, "PAK"),
    "decide --target": (_decide_target, "UZB"),
    "eligible ACTOR": (_eligible, "PAK"),
    "rights ACTOR": (_rights, "PAK"),
    "profile ACTOR": (_profile, "PAK"),
    "bargain --members": (_members_option, "PAK"),
}


@pytest.mark.parametrize("entry", sorted(CLI_ENTRY_POINTS))
def test_cli_entry_points_resolve_every_spelling(entry: str) -> None:
    call, code = CLI_ENTRY_POINTS[entry]
    answers = [call(text) for text in SPELLINGS[code][:3]]
    assert answers[0] == answers[1] == answers[2], answers


def test_the_answers_are_the_right_ones() -> None:
    assert _decide_objection("770") == (["PAK"], False)
    assert _decide_target("Uzbekistan") == ([], True, "UZB")
    assert _rights("Pakistan") == ["member"]
    assert _profile("770") == "PAK"
    assert _members_option("Pakistan") == ("CHN+RUS+PAK", 3, [])


UNKNOWN_CLI: dict[str, tuple[list[str], str]] = {
    "decide --objections": (["decide", "SCO", "--on", "2018", "--objections", "PAK,XYZ"],
                            "objections"),
    "decide --target": (["decide", "SCO", "--on", "2018", "--matter", "expel", "--target",
                         "XYZ"], "target"),
    "decide ORG": (["decide", "XYZ", "--on", "2018"], "org"),
    "rules ORG": (["rules", "XYZ", "--on", "2018"], "org"),
    "check-history ORG": (["check-history", "XYZ"], "org"),
    "eligible ACTOR": (["eligible", "XYZ", "SCO", "--status", "observer", "--on", "2009"],
                       "actor"),
    "eligible ORG": (["eligible", "USA", "XYZ", "--status", "observer", "--on", "2009"], "org"),
    "rights ACTOR": (["rights", "XYZ", "SCO", "--on", "2009"], "actor"),
    "rights ORG": (["rights", "MNG", "XYZ", "--on", "2009"], "org"),
    "profile ACTOR": (["profile", "XYZ"], "actor"),
    "bargain --members": (["bargain", "india-pakistan-2017", "--model", "veto", "--members",
                           "CHN+XYZ"], "members"),
}


@pytest.mark.parametrize("entry", sorted(UNKNOWN_CLI))
def test_cli_unknown_names_exit_2_naming_field_and_value(entry: str) -> None:
    args, field = UNKNOWN_CLI[entry]
    result = invoke(*args)
    assert result.code == 2, result.stdout
    assert "XYZ" in result.error and f"[{field}]" in result.error, result.error
    assert len(result.error.strip().splitlines()) == 1


def test_organizations_by_name_on_the_cli() -> None:
    by_name = _json("decide", "Shanghai Cooperation Organisation", "--on", "2018-01-01")
    assert by_name["org"] == "SCO" and len(by_name["members"]) == 8


def test_a_state_where_an_organization_is_expected() -> None:
    result = invoke("rules", "KAZ", "--on", "2006")
    assert result.code == 2 and "[org]" in result.error and "not an organization" in result.error


def test_the_same_objector_twice_is_an_error() -> None:
    result = invoke("decide", "SCO", "--on", "2018", "--objections", "PAK,Pakistan")
    assert result.code == 2 and "[objections]" in result.error and "twice" in result.error


# -- proceeding files ---------------------------------------------------------------------


PROCEEDING = """\
org: SCO
applicant: {applicant}
status: dialogue_partner
date: 2010-06-01
steps:
  - letter: {{signed_by: foreign_minister, addressed_to: SG}}
  - recommendation: {{body: CMFA}}
  - decision: {{body: CHS, objections: [{objection}]}}
"""


def _proceeding(tmp_path: Path, objection: str, applicant: str = "USA") -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(PROCEEDING.format(applicant=applicant, objection=objection))
    return path


@pytest.mark.parametrize("text", SPELLINGS["UZB"])
def test_proceeding_objections_resolve(tmp_path: Path, text: str) -> None:
    out = _json("proceed", str(_proceeding(tmp_path, text)))
    assert out["granted"] is False
    decision = out["steps"][-1]
    assert decision["step"] == "decision"
    assert "blocked by the objection of UZB" in decision["reason"]


@pytest.mark.parametrize("applicant", ["United States", "USA", "2"])
def test_proceeding_applicant_resolves(tmp_path: Path, applicant: str) -> None:
    out = _json("proceed", str(_proceeding(tmp_path, "UZB", applicant)))
    assert out["applicant"] == "USA"


def test_proceeding_unknown_objection_names_file_line_and_field(tmp_path: Path) -> None:
    path = _proceeding(tmp_path, "XYZ")
    result = invoke("proceed", str(path))
    assert result.code == 2
    assert f"{path}:8 [steps.2.decision.objections.0]" in result.error and "XYZ" in result.error


# -- scenario files -----------------------------------------------------------------------


def _scenario_with_actor(tmp_path: Path, actor: str) -> Path:
    from scomodel.bargaining.builtin import builtin_path
    from scomodel.registry.yamlio import read_yaml

    source = builtin_path("astana-2005-bases")
    assert source is not None
    node = read_yaml(source)
    node["actors"][1]["actor"] = actor
    out = tmp_path / "sc.yaml"
    from ruamel.yaml import YAML

    with out.open("w") as fh:
        YAML().dump(node, fh)
    return out


def test_scenario_actors_resolve_by_name(tmp_path: Path) -> None:
    from scomodel.bargaining.scenario import load_scenario

    original = load_scenario("astana-2005-bases").actors[1].actor
    from scomodel.actors import resolve as res

    name = res(original).name
    sc = load_scenario(_scenario_with_actor(tmp_path, name))
    assert sc.actors[1].actor == original


def test_scenario_unknown_actor_names_file_line_and_field(tmp_path: Path) -> None:
    path = _scenario_with_actor(tmp_path, "XYZ")
    result = invoke("bargain", str(path))
    assert result.code == 2 and "[actors.1.actor]" in result.error and "XYZ" in result.error
    assert f"{path}:" in result.error


# -- API ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api() -> Iterator[Any]:
    """The API on the package's data and the run's store (the charter opens it too)."""
    from tests.api.conftest import make_client

    with make_client(os.environ["SCOMODEL_DB"], None) as client:
        yield client


def _api_proceeding(objection: str) -> dict[str, Any]:
    return {"proceeding": {
        "org": "SCO", "applicant": "USA", "status": "dialogue_partner", "date": "2010-06-01",
        "steps": [{"letter": {"signed_by": "foreign_minister", "addressed_to": "SG"}},
                  {"recommendation": {"body": "CMFA"}},
                  {"decision": {"body": "CHS", "objections": [objection]}}]}}


@pytest.mark.parametrize("text", SPELLINGS["UZB"])
def test_api_proceeding_objections_resolve(api: Any, text: str) -> None:
    response = api.post("/api/proceedings", json=_api_proceeding(text))
    assert response.status_code == 200, response.text
    assert response.json()["granted"] is False


def test_api_proceeding_unknown_objection_is_422(api: Any) -> None:
    response = api.post("/api/proceedings", json=_api_proceeding("XYZ"))
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == "proceeding.steps.2.decision.objections.0"
    assert "XYZ" in body["detail"]


@pytest.mark.parametrize("text", SPELLINGS["PAK"][:3])
def test_api_rights_and_eligible_resolve(api: Any, text: str) -> None:
    rights = api.get(f"/api/rights/{text}/SCO", params={"on": "2018-01-01"})
    assert {r["status"] for r in rights.json()} == {"member"}
    elig = api.get(f"/api/eligible/{text}/SCO", params={"on": "2009", "status": "observer"})
    assert elig.json()["actor"] == "PAK"


@pytest.mark.parametrize(("method", "url", "kwargs", "field"), [
    ("post", "/api/bargain", {"json": {"scenario": "india-pakistan-2017", "model": "veto",
                                       "members": "CHN+XYZ"}}, "members"),
    ("get", "/api/eligible/USA/XYZ", {"params": {"on": "2009", "status": "observer"}}, "org"),
])
def test_api_unknown_names_in_bodies_and_queries(
    api: Any, method: str, url: str, kwargs: dict[str, Any], field: str
) -> None:
    response = getattr(api, method)(url, **kwargs)
    assert response.status_code in (404, 422), response.text
    assert response.json()["field"] == field and "XYZ" in response.json()["detail"]


def test_api_unknown_actor_in_a_path_is_404(api: Any) -> None:
    response = api.get("/api/rights/XYZ/SCO", params={"on": "2018"})
    assert response.status_code == 404 and response.json()["field"] == "actor"


@pytest.mark.parametrize(("url", "params", "field"), [
    ("/api/rules/SCO", {"on": "2006", "kind": "bogus"}, "kind"),
    ("/api/check-history/SCO", {"verdict": "maybe"}, "verdict"),
    ("/api/eligible/USA/SCO", {"on": "2009", "status": "overlord"}, "status"),
    ("/api/rights/USA/SCO", {"on": "2009", "status": "overlord"}, "status"),
])
def test_api_enumerated_values_are_422_listing_the_accepted(
    api: Any, url: str, params: dict[str, str], field: str
) -> None:
    response = api.get(url, params=params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == field and "expected one of" in body["detail"]


@pytest.mark.parametrize("text", SPELLINGS["PAK"][:3])
def test_api_decide_resolves_objections(api: Any, text: str) -> None:
    """The reproducer through the API: Pakistan's objection blocks a 2018 decision."""
    response = api.get("/api/decide/SCO", params={"on": "2018-01-01", "objections": text})
    assert response.status_code == 200, response.text
    assert (response.json()["counted"], response.json()["passes"]) == (["PAK"], False)


def test_api_decide_unknown_objection_is_422(api: Any) -> None:
    response = api.get("/api/decide/SCO", params={"on": "2018-01-01", "objections": "PAK,XYZ"})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "objections" and "XYZ" in response.json()["detail"]


#: Registry and architecture commands that take an actor or an organization: the same
#: answer for every spelling, and an error naming the field for a made-up one.
REGISTRY_ENTRY_POINTS: dict[str, tuple[list[str], tuple[str, ...], str]] = {
    "status ACTOR": (["status", "{}", "SCO", "--on", "2016-06-01"],
                     ("India", "IND", "750"), "actor"),
    "status ORG": (["status", "IND", "{}", "--on", "2016-06-01"],
                   ("Shanghai Cooperation Organisation", "SCO", "sco"), "org"),
    "orgs ACTOR": (["orgs", "{}", "--on", "2008-01-01"], ("Kazakhstan", "KAZ", "705"), "actor"),
    "timeline ACTOR": (["timeline", "{}", "--org", "SCO"], ("Pakistan", "PAK", "770"), "actor"),
    "members ORG": (["members", "{}", "--on", "2005-07-06"],
                    ("Shanghai Cooperation Organisation", "SCO", "sco"), "org"),
    "shared ACTOR": (["shared", "KAZ", "{}", "--on", "2004-01-01"],
                     ("Uzbekistan", "UZB", "704"), "actor"),
    "facts --about": (["facts", "--about", "{}"], ("Mongolia", "MNG", "712"), "about"),
}


@pytest.mark.parametrize("entry", sorted(REGISTRY_ENTRY_POINTS))
def test_registry_entry_points_use_the_resolver(entry: str) -> None:
    template, spellings, field = REGISTRY_ENTRY_POINTS[entry]
    answers = [_json(*(a.format(s) for a in template)) for s in spellings]
    assert answers[0] == answers[1] == answers[2] and answers[0]
    result = invoke(*(a.format("XYZ") for a in template))
    assert result.code == 2 and "XYZ" in result.error, result.error
    assert "[" in result.error and len(result.error.strip().splitlines()) == 1, field
