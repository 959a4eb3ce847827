"""Issue 11: every cost parameter has a cap, the same in the CLI and the API (422, exit 2)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scomodel.limits import JSON_DEPTH, ROUNDS, RUNS, TURNS, check_count, json_depth
from tests.clirun import invoke

EUM = "astana-2005-bases"
SMP = "sco-two-wheels-2003"


@pytest.mark.parametrize(("body", "field"), [
    ({"scenario": EUM, "model": "eum", "options": ["rounds=20000"]}, "rounds"),
    ({"scenario": EUM, "options": ["rounds=1e9"]}, "rounds"),
    ({"scenario": EUM, "options": ["salience_scale=nan"]}, "options.salience_scale"),
    ({"scenario": EUM, "rounds": ROUNDS + 1}, "rounds"),
    ({"scenario": SMP, "model": "smp", "options": ["noise=abc"]}, "options.noise"),
    ({"scenario": SMP, "model": "smp", "options": [f"max_turns={TURNS + 1}"]},
     "options.max_turns"),
    ({"scenario": SMP, "model": "smp", "options": ["min_turns=1e9"]}, "options.min_turns"),
    ({"scenario": EUM, "options": ["q=0.5"] * 21}, "options"),
])
def test_bargain_past_a_cap_is_422_naming_the_field(client: Any, body: dict[str, Any],
                                                    field: str) -> None:
    response = client.post("/api/bargain", json=body)
    assert (response.status_code, response.json()["field"]) == (422, field), response.text
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("args", [
    [EUM, "--option", "rounds=abc"],
    [EUM, "--option", "rounds=1e9"],
    [SMP, "--model", "smp", "--option", "noise=abc"],
    [EUM, "--runs", "5", "--workers", "-1"],
    [EUM, "--seed", "-1"],
    [EUM, "--runs", "99999999999999999999999"],
    [EUM, "--runs", "1000000000000"],
    [EUM, "--rounds", "100000000"],
    [SMP, "--model", "smp", "--option", f"max_turns={TURNS + 1}"],
])
def test_cli_past_a_cap_is_one_line_and_exit_2(args: list[str]) -> None:
    result = invoke("bargain", *args, "--format", "json")
    assert result.code == 2, result
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_check_count_refuses_what_would_overflow() -> None:
    assert check_count("1e3", field="runs", high=RUNS) == 1000
    for bad in (True, None, "abc", float("nan"), float("inf"), 1.5, -1, 10**30):
        with pytest.raises(ValueError):
            check_count(bad, field="runs", high=RUNS)


def test_json_depth_counts_brackets_outside_strings() -> None:
    assert json_depth(json.dumps({"a": ["[[{{", {"b": '\\"]]'}]}).encode()) == 3
    assert json_depth(b'{"p":' + b'{"a":' * 450 + b"1" + b"}" * 450 + b"}") == 451


@pytest.mark.parametrize("depth", [300, 500])
def test_a_deeply_nested_body_is_422_before_any_parser(client: Any, depth: int) -> None:
    """A 3 KB proceeding nested 300-500 deep raised RecursionError and reset the next
    request on the connection; it is refused by its depth, and the next request answers."""
    body = '{"proceeding":' + '{"a":' * depth + "1" + "}" * depth + "}"
    response = client.post("/api/proceedings", content=body,
                           headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()["field"]) == (422, "body")
    assert str(JSON_DEPTH) in response.json()["detail"]
    assert client.get("/api/members/SCO", params={"on": "2005"}).status_code == 200


def test_many_headers_are_431(client: Any) -> None:
    headers = {f"x-h{k}": "1" for k in range(150)}
    response = client.get("/api/members/SCO", params={"on": "2005"}, headers=headers)
    assert (response.status_code, response.json()["field"]) == (431, "headers")
