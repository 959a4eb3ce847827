"""Long runs as jobs: a few worker threads, a bounded queue, results kept for a while.

A scenario request with many Monte Carlo runs answers 202 with a job id at once; the
client polls ``GET /api/jobs/{id}``. ``workers`` jobs run at once per process (a long one
no longer blocks everyone), at most ``max_pending`` wait or run, and one client (its
address) at most ``per_client`` of them: past either, 429. With an engine, every state
change is also written to the ``api_jobs`` table of the store, so any server process
sharing the store (``--workers N``, PostgreSQL) answers the poll; the table keeps the
last ``max_jobs`` finished jobs.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Column, Engine, Float, MetaData, String, Table, delete, select

from scomodel.errors import InputError, NotFoundError

__all__ = ["Job", "JobQueue", "QueueFull"]

#: jobs waiting or running at once; more answer 429
MAX_PENDING = 4


_META = MetaData()
#: the API's own table in the store (the registry's tables are untouched)
JOBS = Table(
    "api_jobs", _META,
    Column("id", String(32), primary_key=True),
    Column("record", JSON, nullable=False),
    Column("finished", Float),
)


class QueueFull(Exception):
    """Too many jobs waiting."""


@dataclass
class Job:
    id: str
    kind: str
    request: dict[str, Any]
    status: str = "queued"  # queued | running | done | failed
    submitted: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    result: Any = None
    error: dict[str, Any] | None = None
    #: who asked (the client's address): the per-client quota counts by it
    client: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "kind": self.kind, "status": self.status, "request": self.request,
            "submitted": _iso(self.submitted), "started": _iso(self.started),
            "finished": _iso(self.finished),
        }
        if self.status == "done":
            out["result"] = self.result
        if self.status == "failed":
            out["error"] = self.error
        return out


def _iso(t: float | None) -> str | None:
    return None if t is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class JobQueue:
    def __init__(self, max_jobs: int = 100, engine: Engine | None = None, *,
                 workers: int = 2, per_client: int = 2,
                 max_pending: int | None = None) -> None:
        self.max_jobs = max_jobs
        self.engine = engine
        self.workers = max(1, workers)
        self.per_client = max(1, per_client)
        self.max_pending = max_pending or max(MAX_PENDING, 2 * self.workers)
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=self.workers,
                                        thread_name_prefix="scomodel-job")
        if engine is not None:
            _META.create_all(engine)

    def _save(self, job: Job) -> None:
        if self.engine is None:
            return
        with self.engine.begin() as conn:
            conn.execute(delete(JOBS).where(JOBS.c.id == job.id))
            conn.execute(JOBS.insert().values(id=job.id, record=job.to_dict(),
                                              finished=job.finished))
            if job.finished is not None:
                done = select(JOBS.c.id).where(JOBS.c.finished.is_not(None)).order_by(
                    JOBS.c.finished.desc()).offset(self.max_jobs)
                conn.execute(delete(JOBS).where(JOBS.c.id.in_(done)))

    def submit(self, kind: str, request: dict[str, Any], fn: Callable[[], Any],
               client: str | None = None) -> Job:
        with self._lock:
            pending = [j for j in self._jobs.values() if j.status in ("queued", "running")]
            if len(pending) >= self.max_pending:
                raise QueueFull(f"{len(pending)} jobs are waiting or running; try again later")
            mine = sum(j.client == client for j in pending) if client is not None else 0
            if mine >= self.per_client:
                raise QueueFull(f"this client has {mine} jobs waiting or running (at most "
                                f"{self.per_client}); poll them, then try again")
            job = Job(uuid.uuid4().hex, kind, request, client=client)
            self._jobs[job.id] = job
            self._forget_old()
        self._save(job)
        self._pool.submit(self._run, job, fn)
        return job

    def _run(self, job: Job, fn: Callable[[], Any]) -> None:
        job.status, job.started = "running", time.time()
        self._save(job)
        try:
            job.result = fn()
            job.status = "done"
        except InputError as exc:
            job.error = {"status": 404 if isinstance(exc, NotFoundError) else 400,
                         "detail": exc.message, "field": exc.field}
            job.status = "failed"
        except Exception:  # noqa: BLE001 - a job must end, and never leaks a traceback
            job.error = {"status": 500, "detail": "the run failed; the error was logged",
                         "field": None}
            job.status = "failed"
            import logging

            logging.getLogger("scomodel.api").exception("job %s failed", job.id)
        finally:
            job.finished = time.time()
            try:
                self._save(job)
            except Exception:  # noqa: BLE001 - the in-memory record still answers
                import logging

                logging.getLogger("scomodel.api").exception("job %s not saved", job.id)

    def _forget_old(self) -> None:
        while len(self._jobs) > self.max_jobs:
            oldest = next((k for k, j in self._jobs.items() if j.status in ("done", "failed")),
                          None)
            if oldest is None:
                return
            del self._jobs[oldest]

    def record(self, job_id: str) -> dict[str, Any]:
        """The job as plain data: from this process, else from the shared store."""
        job = self._jobs.get(job_id)
        if job is not None:
            return job.to_dict()
        if self.engine is not None:
            with self.engine.connect() as conn:
                found = conn.execute(select(JOBS.c.record).where(JOBS.c.id == job_id)).scalar()
            if found is not None:
                return dict(found)
        return self.get(job_id).to_dict()

    def get(self, job_id: str) -> Job:
        job = self._jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"no job {job_id[:40]!r} (the last {self.max_jobs} finished "
                                f"jobs are kept)", field="id")
        return job

    def wait(self, job_id: str, timeout: float) -> Job:
        """For tests and scripts: poll until the job ends or ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        job = self.get(job_id)
        while job.status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.02)
        return job
