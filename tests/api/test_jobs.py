"""The job queue: records in the store, old ones forgotten, failures as problems."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from scomodel.api.jobs import JOBS, JobQueue
from scomodel.errors import InputError, NotFoundError
from scomodel.registry.store import engine_for


def test_records_are_kept_in_the_store_and_pruned(sqlite_url: str) -> None:
    engine = engine_for(sqlite_url)
    queue = JobQueue(max_jobs=2, engine=engine)
    ids = []
    for k in range(3):
        job = queue.submit("sum", {"k": k}, lambda k=k: sum(range(k + 3)))
        ids.append(job.id)
        assert queue.wait(job.id, timeout=30).status == "done"
    assert [queue.record(i)["result"] for i in ids[1:]] == [6, 10]
    with pytest.raises(NotFoundError):
        queue.record(ids[0])
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(JOBS)).scalar() == 2
    # a second queue on the same store sees the two kept, not the pruned first one
    other = JobQueue(max_jobs=2, engine=engine)
    assert other.record(ids[2])["result"] == 10
    with pytest.raises(NotFoundError):
        other.record(ids[0])


def test_failures_are_problems_not_tracebacks(sqlite_url: str) -> None:
    queue = JobQueue(engine=engine_for(sqlite_url))

    def bad_input() -> None:
        raise InputError("no such issue", field="issue")

    def crash() -> None:
        raise RuntimeError("secret internals")

    first = queue.submit("x", {}, bad_input)
    second = queue.submit("x", {}, crash)
    assert queue.wait(first.id, 30).to_dict()["error"] == {
        "status": 400, "detail": "no such issue", "field": "issue"}
    queue.wait(second.id, 30)
    record = queue.record(second.id)
    assert record["status"] == "failed" and "secret" not in str(record)
