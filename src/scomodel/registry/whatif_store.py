"""The store's side of what-if writes: the no-overlap rule enforced by the database, and a
revision per what-if copy.

Checking for an overlap in Python and then inserting is a race between processes (two
``serve`` workers, or two scripts, each saw no clash and both inserted). So the database
itself refuses the second standing status (or a second run of the same procedure) of an
actor in an organization within one what-if copy:

- SQLite: a ``BEFORE INSERT`` trigger. SQLite runs one writer at a time and the insert is
  the transaction's first statement, so the trigger sees every committed row;
- PostgreSQL: the same check in SQL under a transaction-level advisory lock keyed by the
  copy's name, taken before the check, so two writers of one copy run one after the other.

The curated history is not written concurrently (it changes only through its files), so
the Python check against it (in :mod:`scomodel.registry.whatif`) needs no lock.

Each copy has its own revision (``revision:whatif:NAME`` in ``meta``): a what-if write no
longer changes the store's revision, so it does not make every process rebuild the
curated registry, only the copy written to.
"""

from __future__ import annotations

import threading
import uuid
import zlib
from typing import Any

from sqlalchemy import Engine, delete, insert, select, text
from sqlalchemy.exc import IntegrityError

from scomodel.errors import InputError
from scomodel.registry import store
from scomodel.registry.schema import STANDING

__all__ = ["OverlapError", "insert_spell", "bump", "revision_key", "ensure_guard"]

_STANDING_SQL = ", ".join(f"'{s}'" for s in sorted(STANDING))
_OVERLAP = f"""
    s.dataset = {{new}}dataset AND s.org = {{new}}org AND s.actor = {{new}}actor
    AND ((s.status IN ({_STANDING_SQL}) AND {{new}}status IN ({_STANDING_SQL}))
         OR s.status = {{new}}status)
    AND s.start_day < COALESCE({{new}}end_day, '9999-12-31')
    AND {{new}}start_day < COALESCE(s.end_day, '9999-12-31')
"""
_MARK = "scomodel: overlapping spell in a what-if copy"
_TRIGGER = f"""
CREATE TRIGGER IF NOT EXISTS spells_whatif_no_overlap
BEFORE INSERT ON spells
WHEN NEW.dataset LIKE 'whatif:%'
BEGIN
    SELECT RAISE(ABORT, '{_MARK}')
    WHERE EXISTS (SELECT 1 FROM spells s WHERE {_OVERLAP.format(new="NEW.")});
END
"""
_GUARDED: set[str] = set()
_LOCK = threading.Lock()


class OverlapError(InputError):
    """A second standing status (or procedure) where one already runs: a conflict."""


def ensure_guard(engine: Engine) -> None:
    """Install the SQLite trigger once per engine (existing stores gain it on open)."""
    key = str(engine.url)
    if key in _GUARDED or engine.dialect.name != "sqlite":
        return
    with _LOCK:
        if key not in _GUARDED:
            with engine.begin() as conn:
                conn.exec_driver_sql(_TRIGGER)
            _GUARDED.add(key)


def insert_spell(conn: Any, row: dict[str, Any]) -> None:
    """Insert one what-if spell row; an overlap within the copy is an :class:`OverlapError`."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                     {"k": zlib.crc32(row["dataset"].encode()) - 2**31})
        params = {k: row[k] for k in ("dataset", "org", "actor", "status", "start_day",
                                      "end_day")}
        sql = f"SELECT s.status, s.start FROM spells s WHERE {_OVERLAP.format(new=':')}"
        sql = sql.replace(":end_day, '9999-12-31'", "CAST(:end_day AS DATE), DATE '9999-12-31'")
        sql = sql.replace("s.end_day, '9999-12-31'", "s.end_day, DATE '9999-12-31'")
        found = conn.execute(text(sql), params).first()
        if found is not None:
            raise _overlap(row, found[0], found[1])
        conn.execute(insert(store.spells), [row])
        return
    try:
        conn.execute(insert(store.spells), [row])
    except IntegrityError as exc:
        if _MARK not in str(exc.orig):
            raise
        raise _overlap(row, None, None) from None


def _overlap(row: dict[str, Any], status: str | None, start: str | None) -> OverlapError:
    held = f" ({status} from {start})" if status else ""
    return OverlapError(
        f"{row['actor']} already holds a status in {row['org']} then in this what-if copy"
        f"{held}, written by another writer; end that spell first", field="start")


def revision_key(whatif: str) -> str:
    return f"revision:whatif:{whatif}"


def bump(conn: Any, dataset: str) -> None:
    """Mark one what-if copy as changed, inside the writer's transaction."""
    key = revision_key(dataset.removeprefix("whatif:"))
    conn.execute(delete(store.meta).where(store.meta.c.key == key))
    conn.execute(insert(store.meta), [{"key": key, "value": uuid.uuid4().hex}])


def revisions(engine: Engine, whatif: str | None) -> tuple[str, str]:
    """The store's revision (curated and imported data) and the copy's own."""
    keys = ["revision"] + ([revision_key(whatif)] if whatif else [])
    with engine.connect() as conn:
        found = dict(conn.execute(select(store.meta.c.key, store.meta.c.value)
                                  .where(store.meta.c.key.in_(keys))).all())
    return found.get("revision", ""), found.get(revision_key(whatif), "") if whatif else ""
