"""The store: SQLAlchemy Core tables on SQLite (default) or PostgreSQL (``SCOMODEL_DB``).

The curated YAML files are the truth people edit; the store is what queries read. It is
rebuilt from the files whenever their fingerprint changes, and every load replaces one
dataset inside a single transaction, so a load that fails or is killed half-way leaves
the previous store as it was.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    insert,
    inspect,
    select,
    text,
)

from scomodel.errors import StoreError

__all__ = [
    "metadata",
    "meta",
    "sources",
    "actors",
    "spells",
    "facts",
    "cow_igos",
    "cow_cells",
    "default_url",
    "engine_for",
    "get_meta",
    "bump_revision",
    "CURATED",
    "COW",
    "heal_or_refuse",
]

CURATED = "curated"
COW = "cow_igo_v3"

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("dataset", String(100), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("title", Text, nullable=False),
    Column("author", Text),
    Column("year", Integer),
    Column("url", Text),
    Column("note", Text),
    # added with issue 13 (citations a reader can check); _add_missing_columns migrates
    Column("outlet", Text),
    Column("published", String(10)),
    Column("accessed", String(10)),
    Column("repost", Boolean),
)

actors = Table(
    "actors",
    metadata,
    Column("dataset", String(100), primary_key=True),
    Column("code", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("cow", Integer),
    Column("founded", String(10)),
    Column("dissolved", String(10)),
    Column("cow_ioname", String(40)),
    Column("attributes", JSON),
    Column("sources", JSON),
)

spells = Table(
    "spells",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset", String(100), nullable=False),
    Column("org", String(40), nullable=False),
    Column("actor", String(40), nullable=False),
    Column("status", String(30), nullable=False),
    Column("start", String(10), nullable=False),
    Column("end", String(10)),
    Column("start_day", Date, nullable=False),
    Column("end_day", Date),
    Column("precision", String(5), nullable=False),
    Column("end_precision", String(5)),
    Column("sources", JSON, nullable=False),
    Column("events", JSON),
    Column("follows", String(40)),
    Column("note", Text),
    Column("disputed", JSON),
    Index("ix_spells_org", "dataset", "org", "start_day"),
    Index("ix_spells_actor", "dataset", "actor"),
)

facts = Table(
    "facts",
    metadata,
    Column("dataset", String(100), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("date", String(10)),
    Column("end", String(10)),
    Column("title", Text, nullable=False),
    Column("about", JSON, nullable=False),
    Column("attributes", JSON),
    Column("sources", JSON, nullable=False),
    Column("note", Text),
    Column("disputed", JSON),
)

#: COW's IGO-level metadata, kept whole so an export loses nothing.
cow_igos = Table(
    "cow_igos",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("ioname", String(40), nullable=False),
    Column("first_year", Integer, nullable=False),
    Column("last_year", Integer, nullable=False),
    Column("rows", JSON, nullable=False),
)

#: COW cells a spell does not explain, run-length encoded per organization and state:
#: missing data (-9), and cells that break the "empty iff the state is outside the state
#: system" rule (0 where the state was outside it, EMPTY where it was inside).
cow_cells = Table(
    "cow_cells",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("column", String(40), primary_key=True),
    Column("first_year", Integer, primary_key=True),
    Column("last_year", Integer, nullable=False),
    Column("value", Integer, nullable=False),
)


def default_url() -> str:
    """``SCOMODEL_DB`` (a URL or a file path), else an SQLite file in the user cache."""
    configured = os.environ.get("SCOMODEL_DB", "").strip()
    if configured:
        if "://" in configured:
            return configured
        return f"sqlite:///{Path(configured).expanduser().resolve()}"
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "scomodel"
    cache.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{cache / 'registry.sqlite'}"


_ENGINES: dict[str, Engine] = {}


def engine_for(url: str | None = None) -> Engine:
    """One engine per URL per process; the schema is created on first use.

    Creating a store is done under a lock (a file lock beside an SQLite file, an advisory
    lock on PostgreSQL), so processes opening a brand-new store at once do not race. An
    SQLite store is checked (``PRAGMA quick_check``) when first opened in a process; a
    damaged one is handled by :func:`heal_or_refuse`.
    """
    url = url or default_url()
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url not in _ENGINES:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            _ENGINES[url] = _open(url)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the store: {_first_line(exc)}",
                             file=_sqlite_path(url) or _safe(url)) from None
    return _ENGINES[url]


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def _safe(url: str) -> str:
    """A URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "the database URL"


def _sqlite_path(url: str) -> str | None:
    if not url.startswith("sqlite"):
        return None
    path = url.split("///", 1)[1] if "///" in url else ""
    return path if path and path != ":memory:" else None


def _open(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        with _file_lock(path):
            if path:
                heal_or_refuse(path)
            engine = create_engine(url, connect_args={"timeout": 60})
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "handle_error", _one_line_store_error)
            metadata.create_all(engine)
            _add_missing_columns(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    with engine.begin() as conn:  # one creator at a time across processes
        conn.execute(text("SELECT pg_advisory_xact_lock(727201)"))
        metadata.create_all(conn)
    _add_missing_columns(engine)
    return engine


class _file_lock:
    """An exclusive ``flock`` on ``<store>.lock`` (no-op for in-memory stores)."""

    def __init__(self, path: str | None) -> None:
        self.path = f"{path}.lock" if path else None
        self.fh: Any = None

    def __enter__(self) -> _file_lock:
        if self.path:
            import fcntl

            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(self.path, "a")  # noqa: SIM115
            fcntl.flock(self.fh, fcntl.LOCK_EX)
        return self

    def __exit__(self, *_: object) -> None:
        if self.fh is not None:
            import fcntl

            fcntl.flock(self.fh, fcntl.LOCK_UN)
            self.fh.close()


def heal_or_refuse(path: str) -> None:
    """Check an SQLite store; rebuild it if only curated data were in it, else refuse.

    The curated dataset is a copy of the data files, so a damaged store holding nothing
    else is moved aside (``<name>.damaged-<time>``) and rebuilt on this open. Imported
    (COW) and what-if data exist only in the store: a damaged store holding them stops
    with a :class:`StoreError` naming the file and what to do.
    """
    import contextlib
    import sqlite3
    import time

    file = Path(path)
    if not file.exists() or file.stat().st_size == 0:
        return
    problem: str | None = None
    datasets: set[str] = {"unknown"}  # until read: what cannot be read is not rebuilt
    try:
        conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True, timeout=60)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open the store ({exc})", file=str(file)) from None
    try:
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
            if [r[0] for r in rows] != ["ok"]:
                problem = "; ".join(str(r[0]) for r in rows[:3])
        except sqlite3.DatabaseError as exc:
            problem = str(exc)
        if problem is not None:
            with contextlib.suppress(sqlite3.DatabaseError):
                datasets = {r[0] for r in conn.execute("SELECT DISTINCT dataset FROM spells")}
    finally:
        conn.close()
    if problem is None:
        return
    if datasets - {CURATED}:
        raise StoreError(
            f"the store is damaged ({problem}) and holds imported or what-if data that "
            "cannot be rebuilt from files: move it aside (or restore a copy) and import again",
            file=str(file))
    aside = file.with_name(f"{file.name}.damaged-{time.strftime('%Y%m%d%H%M%S')}")
    file.rename(aside)
    for suffix in ("-wal", "-shm"):
        Path(f"{file}{suffix}").unlink(missing_ok=True)
    import sys

    print(f"warning: {file} was damaged ({problem}); moved to {aside.name} and rebuilt "
          "from the data files", file=sys.stderr)


def _add_missing_columns(engine: Engine) -> None:
    """Add columns a newer version declares to a store an older one created (nullable
    columns only), and drop the curated fingerprint so the next open refills them."""
    existing = inspect(engine)
    added = False
    with engine.begin() as conn:
        for table in (sources,):
            have = {c["name"] for c in existing.get_columns(table.name)}
            for column in table.c:
                if column.name not in have:
                    kind = column.type.compile(dialect=engine.dialect)
                    conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" '
                                      f"{kind}"))
                    added = True
        if added:
            conn.execute(delete(meta).where(meta.c.key == "curated_fingerprint"))


def _one_line_store_error(context: Any) -> StoreError | None:
    """A failing disk (I/O error, disk full, locked) is one line naming the store, not a
    driver traceback with the SQL; the transaction it hit is rolled back as usual."""
    from sqlalchemy.exc import OperationalError

    if not isinstance(context.sqlalchemy_exception, OperationalError):
        return None
    url = str(context.engine.url) if context.engine is not None else ""
    return StoreError(f"cannot use the store: {_first_line(context.original_exception)}",
                      file=_sqlite_path(url) or _safe(url))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def get_meta(engine: Engine, key: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar_one_or_none()


def bump_revision(conn: Any) -> None:
    """Mark the store as changed, inside the writer's transaction.

    Every process keeps its registry in memory; the revision lets a server process see
    another process's what-if writes on a shared PostgreSQL store at its next request.
    """
    conn.execute(delete(meta).where(meta.c.key == "revision"))
    conn.execute(insert(meta), [{"key": "revision", "value": uuid.uuid4().hex}])
