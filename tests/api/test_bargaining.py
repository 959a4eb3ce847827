"""Bargaining endpoints answer as ``scomodel bargain``/``scenarios``/``profile`` do."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from scomodel.api import Settings, create_app
from scomodel.cli import app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore")
runner = CliRunner()


def cli_json(args: list[str]) -> Any:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def small_jobs(monkeypatch: pytest.MonkeyPatch, real_store: str) -> Iterator[TestClient]:
    """Runs above 20 become jobs, at most 200 per request."""
    monkeypatch.delenv("SCOMODEL_DATA", raising=False)
    monkeypatch.setenv("SCOMODEL_DB", real_store)
    settings = Settings(db=real_store, refresh_seconds=0.0, job_threshold_runs=20, max_runs=200)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def test_listing_showing_profiles(real_client: Any) -> None:
    assert real_client.get("/api/scenarios").json() == cli_json(["scenarios"])
    assert real_client.get("/api/scenario/astana-2005-bases").json() == cli_json(
        ["scenario", "show", "astana-2005-bases"])
    assert real_client.get("/api/profile/KAZ").json() == cli_json(["profile", "KAZ"])
    names = [s["name"] for s in real_client.get("/api/scenarios").json()]
    assert {"astana-2005-bases", "india-pakistan-2017"} <= set(names)


@pytest.mark.parametrize(("body", "args"), [
    ({"scenario": "astana-2005-bases"}, ["astana-2005-bases"]),
    ({"scenario": "astana-2005-bases", "runs": 12, "seed": 7},
     ["astana-2005-bases", "--runs", "12", "--seed", "7", "--workers", "1"]),
    ({"scenario": "india-pakistan-2017", "model": "veto", "members": "SCO-6,SCO-8"},
     ["india-pakistan-2017", "--model", "veto", "--members", "SCO-6,SCO-8"]),
    ({"scenario": "astana-2005-bases", "options": ["q=0.5"], "rounds": 4},
     ["astana-2005-bases", "-o", "q=0.5", "--rounds", "4"]),
    ({"scenario": "sco-two-wheels-2003", "model": "smp"},
     ["sco-two-wheels-2003", "--model", "smp"]),
    ({"scenario": "sco-two-wheels-2003", "model": "smp", "runs": 6, "seed": 2},
     ["sco-two-wheels-2003", "--model", "smp", "--runs", "6", "--seed", "2", "--workers", "1"]),
])
def test_bargain_is_the_clis(real_client: Any, body: dict[str, Any], args: list[str]) -> None:
    response = real_client.post("/api/bargain", json=body)
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(["bargain", *args])


def test_astana_forecast_and_win_set(real_client: Any) -> None:
    """The coded Astana scenario: the weighted median sits at China's 80, outside the
    consensus win-set [0, 50] against a status quo of 0, so the rule bounds it at 50."""
    out = real_client.post("/api/bargain", json={"scenario": "astana-2005-bases"}).json()
    assert (out["forecast"], out["win_set"], out["rule_bound_forecast"]) == (80.0, [[0.0, 50.0]],
                                                                            50.0)
    assert out["veto_players"] == ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"]


def test_many_runs_become_a_job_with_the_same_result(small_jobs: Any) -> None:
    body = {"scenario": "astana-2005-bases", "runs": 40, "seed": 3}
    queued = small_jobs.post("/api/bargain", json=body)
    assert queued.status_code == 202
    job_id = queued.json()["id"]
    assert queued.headers["location"] == f"/api/jobs/{job_id}"
    small_jobs.app.state.jobs.wait(job_id, timeout=120)
    done = small_jobs.get(f"/api/jobs/{job_id}").json()
    assert done["status"] == "done", done
    assert done["result"] == cli_json(["bargain", "astana-2005-bases", "--runs", "40", "--seed",
                                       "3", "--workers", "1"])
    assert done["result"]["distribution"]["runs"] == 40


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"scenario": "astana-2005-bases", "runs": 201}, 422, "runs"),
    ({"scenario": "astana-2005-bases", "runs": -1}, 422, "runs"),
    ({"scenario": "../../etc/passwd"}, 404, "scenario"),
    ({"scenario": "astana-2005-bases", "model": "smp"}, 404, "scenario"),
    ({"scenario": "astana-2005-bases", "model": "oracle"}, 400, "model"),
    ({"scenario": "astana-2005-bases", "issue": "nope"}, 404, "issue"),
    ({"scenario": "astana-2005-bases", "rule": "qualified_majority:7"}, 400, "rule"),
    ({"scenario": "astana-2005-bases", "seeds": 1}, 422, "seeds"),
])
def test_bad_runs(small_jobs: Any, body: dict[str, Any], status: int, field: str) -> None:
    response = small_jobs.post("/api/bargain", json=body)
    assert (response.status_code, response.json().get("field")) == (status, field), response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_unknown_job_is_404(small_jobs: Any) -> None:
    response = small_jobs.get("/api/jobs/0123")
    assert (response.status_code, response.json()["field"]) == (404, "id")


def test_another_process_answers_the_poll(small_jobs: Any, real_store: str) -> None:
    """Server processes sharing a store share their jobs' records (``--workers N``)."""
    body = {"scenario": "astana-2005-bases", "runs": 25, "seed": 1}
    job_id = small_jobs.post("/api/bargain", json=body).json()["id"]
    small_jobs.app.state.jobs.wait(job_id, timeout=120)
    settings = Settings(db=real_store, refresh_seconds=0.0, job_threshold_runs=20)
    with TestClient(create_app(settings), raise_server_exceptions=False) as other:
        seen = other.get(f"/api/jobs/{job_id}").json()
        assert seen == small_jobs.get(f"/api/jobs/{job_id}").json()
        assert seen["status"] == "done" and seen["result"]["distribution"]["runs"] == 25
        assert other.get("/api/jobs/" + "0" * 32).status_code == 404
