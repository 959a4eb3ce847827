"""Long runs as jobs: one worker thread, a bounded queue, results kept for a while.

A scenario request with many Monte Carlo runs answers 202 with a job id at once; the
client polls ``GET /api/jobs/{id}``. One job runs at a time (the machine's cores are the
limit anyway), at most ``max_jobs`` are remembered, and a full queue answers 429.
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

from scomodel.errors import InputError, NotFoundError

__all__ = ["Job", "JobQueue", "QueueFull"]

#: jobs waiting or running at once; more answer 429
MAX_PENDING = 4


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
    def __init__(self, max_jobs: int = 100) -> None:
        self.max_jobs = max_jobs
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scomodel-job")

    def submit(self, kind: str, request: dict[str, Any], fn: Callable[[], Any]) -> Job:
        with self._lock:
            pending = sum(j.status in ("queued", "running") for j in self._jobs.values())
            if pending >= MAX_PENDING:
                raise QueueFull(f"{pending} jobs are waiting or running; try again later")
            job = Job(uuid.uuid4().hex, kind, request)
            self._jobs[job.id] = job
            self._forget_old()
        self._pool.submit(self._run, job, fn)
        return job

    def _run(self, job: Job, fn: Callable[[], Any]) -> None:
        job.status, job.started = "running", time.time()
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

    def _forget_old(self) -> None:
        while len(self._jobs) > self.max_jobs:
            oldest = next((k for k, j in self._jobs.items() if j.status in ("done", "failed")),
                          None)
            if oldest is None:
                return
            del self._jobs[oldest]

    def get(self, job_id: str) -> Job:
        job = self._jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"no job {job_id[:40]!r} (jobs are kept in memory, "
                                f"the last {self.max_jobs})", field="id")
        return job

    def wait(self, job_id: str, timeout: float) -> Job:
        """For tests and scripts: poll until the job ends or ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        job = self.get(job_id)
        while job.status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.02)
        return job
