"""Issue 11: per-client limits on failed tokens, costly requests and queued jobs."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from scomodel.api import Settings, create_app
from scomodel.api.jobs import JobQueue, QueueFull
from tests.api.conftest import TOKEN


def _client(db: str, data: Path, **kw: Any) -> Any:
    from fastapi.testclient import TestClient

    settings = Settings(token=TOKEN, db=db, data_dir=str(data), refresh_seconds=0.0, **kw)
    return TestClient(create_app(settings), raise_server_exceptions=False)


def test_failed_tokens_are_rate_limited(fixture_env: str, good_data: Path) -> None:
    with _client(fixture_env, good_data, token_failures_per_minute=10.0) as c:
        body = {"registry": "w", "fact": {"id": "x", "kind": "event", "about": ["SCO"],
                                          "title": "t", "sources": [{"source": "zhao2004"}]}}
        codes = [c.post("/api/facts", json=body,
                        headers={"Authorization": f"Bearer guess{k}"}).status_code
                 for k in range(11)]
        assert codes == [401] * 10 + [429]
        # even the right token waits until the bucket refills
        right = c.post("/api/facts", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1
        assert right.json()["field"] == "authorization"


def test_costly_requests_are_rate_limited(fixture_env: str, good_data: Path) -> None:
    with _client(fixture_env, good_data, costly_per_minute=6.0, costly_burst=3) as c:
        codes = [c.post("/api/bargain", json={"scenario": "none"}).status_code
                 for _ in range(4)]
        assert codes == [404, 404, 404, 429]
        limited = c.post("/api/bargain", json={"scenario": "none"})
        assert limited.headers["retry-after"] and limited.json()["field"] == "client"
        # reads are not costly
        assert c.get("/api/members/SCO", params={"on": "2005"}).status_code == 200


def test_jobs_run_side_by_side_with_a_quota_per_client() -> None:
    queue = JobQueue(workers=2, per_client=2, max_pending=10)
    both_running = threading.Barrier(3, timeout=30)
    release = threading.Event()

    def job() -> str:
        both_running.wait()  # two jobs must be running at once to pass
        release.wait(30)
        return "done"

    a = queue.submit("x", {}, job, client="10.0.0.1")
    b = queue.submit("x", {}, job, client="10.0.0.1")
    with pytest.raises(QueueFull, match="this client"):
        queue.submit("x", {}, job, client="10.0.0.1")
    other = queue.submit("x", {}, lambda: "other", client="10.0.0.2")
    both_running.wait()
    release.set()
    assert [queue.wait(j.id, 30).status for j in (a, b, other)] == ["done"] * 3
