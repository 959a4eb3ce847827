"""Operator settings, read from the environment once per app.

``SCOMODEL_TOKEN`` is the bearer token writes must present (unset: writes answer 401);
``SCOMODEL_DB`` is the store (an SQLite path or a PostgreSQL URL, shared by every server
process); ``SCOMODEL_DATA`` the curated data folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from scomodel.limits import BODY_BYTES, INLINE_RUNS, RUNS

__all__ = ["Settings"]


def _float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    """What the operator configures; tests build one directly."""

    token: str | None = None
    db: str | None = None
    data_dir: str | None = None
    #: seconds a process may answer from its cached registry before checking the store for
    #: other processes' writes (0: check on every request)
    refresh_seconds: float = 1.0
    #: largest request body accepted, in bytes
    max_body_bytes: int = BODY_BYTES
    #: most Monte Carlo runs one scenario request may ask for
    max_runs: int = 10_000
    #: runs above which a scenario request becomes a background job
    job_threshold_runs: int = INLINE_RUNS
    #: jobs kept in memory (oldest finished ones are forgotten first)
    max_jobs: int = 100
    #: threads running jobs, and jobs one client may have waiting or running
    job_workers: int = 2
    jobs_per_client: int = 2
    #: registries one process keeps, and their estimated memory (MB)
    registry_cache: int = 8
    registry_cache_mb: int = 320
    #: costly requests (bargain, panels, proceedings) per client per minute, and the burst
    costly_per_minute: float = 60.0
    costly_burst: int = 20
    #: failed bearer tokens per client per minute before 429
    token_failures_per_minute: float = 10.0

    @property
    def db_url(self) -> str | None:
        """``db`` as a SQLAlchemy URL (a bare path is an SQLite file); None: the default."""
        if not self.db:
            return None
        if "://" in self.db:
            return self.db
        return f"sqlite:///{Path(self.db).expanduser().resolve()}"

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            token=os.environ.get("SCOMODEL_TOKEN") or None,
            db=os.environ.get("SCOMODEL_DB") or None,
            data_dir=os.environ.get("SCOMODEL_DATA") or None,
            refresh_seconds=_float("SCOMODEL_API_REFRESH", 1.0),
            max_body_bytes=_int("SCOMODEL_API_MAX_BODY", 256_000),
            max_runs=min(_int("SCOMODEL_API_MAX_RUNS", 10_000), RUNS),
            job_workers=max(1, _int("SCOMODEL_API_JOB_WORKERS", 2)),
            jobs_per_client=max(1, _int("SCOMODEL_API_JOBS_PER_CLIENT", 2)),
            registry_cache=max(1, _int("SCOMODEL_API_REGISTRY_CACHE", 8)),
            registry_cache_mb=max(1, _int("SCOMODEL_API_REGISTRY_CACHE_MB", 320)),
            costly_per_minute=_float("SCOMODEL_API_COSTLY_PER_MINUTE", 60.0),
            costly_burst=max(1, _int("SCOMODEL_API_COSTLY_BURST", 20)),
            token_failures_per_minute=_float("SCOMODEL_API_TOKEN_FAILURES_PER_MINUTE", 10.0),
        )
