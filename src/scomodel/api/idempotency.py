"""``Idempotency-Key``: a write retried with the same key stores once.

A client that lost the answer to a write (a timeout, a reset) sends it again with the
same key; the server answers what it answered the first time, from the ``api_idempotency``
table of the store (so every server process sharing the store knows the key), and
writes nothing. The key is claimed before the write by inserting its row (the primary
key makes a concurrent second claim fail): a retry arriving while the first is still
running answers 409. A write that fails releases its key, so a corrected request may use
it again; a key sent with a different request is a 422. Keys are kept for a day.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from fastapi import Request
from sqlalchemy import (
    JSON,
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from scomodel.api.problems import FieldHTTPException, StrictJSONResponse
from scomodel.limits import LimitError
from scomodel.output import to_plain
from scomodel.registry.store import engine_for
from scomodel.registry.writes import transaction

__all__ = ["idempotent", "KEYS", "KEEP_SECONDS"]

KEEP_SECONDS = 86_400
_META = MetaData()
KEYS = Table(
    "api_idempotency", _META,
    Column("key", String(200), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer),  # None: the first request is still running
    Column("body", JSON),
    Column("created", Float, nullable=False),
)
_READY: set[str] = set()


def _engine(request: Request) -> Engine:
    engine = engine_for(request.app.state.settings.db_url)
    if str(engine.url) not in _READY:
        _META.create_all(engine)
        _READY.add(str(engine.url))
    return engine


def idempotent(request: Request, payload: Any, write: Callable[[], Any],
               status_code: int = 201) -> Any:
    """Run ``write`` once per ``Idempotency-Key`` (no header: just run it)."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return write()
    if not 1 <= len(key) <= 200 or not key.isprintable():
        raise LimitError("Idempotency-Key must be 1-200 printable characters",
                         field="idempotency-key")
    fingerprint = hashlib.sha256(json.dumps(
        [request.method, request.url.path, to_plain(payload)], sort_keys=True,
        default=str).encode()).hexdigest()
    engine = _engine(request)
    now = time.time()
    try:
        with transaction(engine) as conn:
            conn.execute(delete(KEYS).where(KEYS.c.created < now - KEEP_SECONDS))
            conn.execute(KEYS.insert().values(key=key, fingerprint=fingerprint, created=now))
    except IntegrityError:
        with engine.connect() as conn:
            row = conn.execute(select(KEYS).where(KEYS.c.key == key)).mappings().first()
        if row is None:  # released meanwhile: the first attempt failed; run this one
            return idempotent(request, payload, write, status_code)
        if row["fingerprint"] != fingerprint:
            raise LimitError("this Idempotency-Key was used for a different request",
                             field="idempotency-key") from None
        if row["status"] is None:
            raise FieldHTTPException(409, "a request with this Idempotency-Key is still "
                                     "running; retry in a moment", "idempotency-key",
                                     {"Retry-After": "1"}) from None
        return StrictJSONResponse(row["body"], status_code=row["status"],
                            headers={"Idempotent-Replayed": "true"})
    try:
        result = to_plain(write())
    except BaseException:
        with transaction(engine) as conn:
            conn.execute(delete(KEYS).where(KEYS.c.key == key))
        raise
    with transaction(engine) as conn:
        conn.execute(update(KEYS).where(KEYS.c.key == key).values(status=status_code,
                                                                  body=result))
    return StrictJSONResponse(result, status_code=status_code)
