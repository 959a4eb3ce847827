"""Writers and the SQLite store's one write lock (registry/writes.py, registry/replace.py).

A what-if write that arrived while another process swapped a dataset in waited for the
whole swap, which inserted every row with the lock held, and then up to 100 ms more in
SQLite's busy back-off. These tests check the mechanisms, not times: rows are staged
without the lock, the lock is held for a bounded number of statements whatever the row
count, and a waiting writer polls instead of sleeping in the driver.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from scomodel.errors import StoreError
from scomodel.registry import replace, store, writes
from scomodel.registry.replace import replace_dataset


def _rows(n: int) -> list[dict[str, Any]]:
    day = dt.date(2001, 1, 1)
    return [{"org": f"O{k % 50}", "actor": f"A{k}", "status": "member",
             "start": "2001-01-01", "start_day": day, "precision": "day",
             "sources": [{"source": "s", "locator": "p. 1"}]} for k in range(n)]


def _other_writer_can_lock(path: Path) -> bool:
    """Whether another connection gets the write lock at once (no waiting)."""
    other = sqlite3.connect(str(path), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_rows_are_staged_without_the_lock_and_swapped_in_few_statements(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "store.sqlite"
    engine = store.engine_for(f"sqlite:///{path}")
    locked = {"on": False, "statements": 0, "parameter_sets": 0, "probes": []}

    real_lock = replace.take_write_lock

    def lock(conn: Any, **kw: Any) -> None:
        real_lock(conn, **kw)
        locked["on"] = True

    monkeypatch.setattr(replace, "take_write_lock", lock)

    @event.listens_for(engine, "before_cursor_execute")
    def count(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any,
              many: bool) -> None:
        if locked["on"]:
            locked["statements"] += 1
            locked["parameter_sets"] += len(parameters) if many else 1
        elif statement.startswith('INSERT INTO temp."stage_spells"'):
            locked["probes"].append(_other_writer_can_lock(path))

    replace_dataset(engine, "bench", {store.spells: _rows(3000)}, {"k": "v"}, chunk=500)
    event.remove(engine, "before_cursor_execute", count)

    assert locked["probes"] == [True] * 6  # every staged chunk left the store writable
    assert 0 < locked["statements"] <= 12 and locked["parameter_sets"] <= 12
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(store.spells)
                         .where(store.spells.c.dataset == "bench")).scalar()
        kept = conn.execute(select(store.meta.c.value).where(store.meta.c.key == "k")).scalar()
        temp = conn.execute(text("SELECT count(*) FROM temp.sqlite_master")).scalar()
    assert (n, kept, temp) == (3000, "v", 0)
    # a second swap replaces the rows (no duplicates, ids fresh)
    replace_dataset(engine, "bench", {store.spells: _rows(10)})
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(store.spells)
                            .where(store.spells.c.dataset == "bench")).scalar() == 10


def test_a_writer_waits_for_the_lock_by_polling_and_lands_after_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "store.sqlite"
    engine = store.engine_for(f"sqlite:///{path}")
    holder = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO meta VALUES ('holder', '1')")
    sleeps: list[float] = []
    real_sleep = writes.time.sleep

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 5:  # the holder commits after the writer asked five times
            holder.execute("COMMIT")
        real_sleep(seconds)

    monkeypatch.setattr(writes.time, "sleep", sleep)
    with writes.transaction(engine) as conn:
        conn.execute(store.meta.insert().values(key="writer", value="2"))
    holder.close()
    assert len(sleeps) == 5 and set(sleeps) == {writes.POLL_SECONDS}
    with engine.connect() as conn:
        got = dict(conn.execute(select(store.meta.c.key, store.meta.c.value)).all())
        busy = conn.connection.driver_connection.execute("PRAGMA busy_timeout").fetchone()
    assert got["holder"] == "1" and got["writer"] == "2"
    assert busy == (60000,)  # the engine's own wait is back for everything else


def test_a_lock_held_too_long_is_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    engine = store.engine_for(f"sqlite:///{path}")
    holder = sqlite3.connect(str(path), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as err, writes.transaction(engine, wait=0.05) as conn:
            conn.execute(store.meta.insert().values(key="late", value="x"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked by another writer" in str(err.value) and "\n" not in str(err.value)
    assert str(path) in (err.value.file or "")
    with engine.connect() as conn:
        assert conn.execute(select(store.meta).where(store.meta.c.key == "late")).first() is None


def test_a_failing_block_is_rolled_back(tmp_path: Path) -> None:
    engine = store.engine_for(f"sqlite:///{tmp_path / 'store.sqlite'}")
    with pytest.raises(RuntimeError, match="half-way"), writes.transaction(engine) as conn:
        conn.execute(store.meta.insert().values(key="half", value="x"))
        raise RuntimeError("half-way")
    with engine.connect() as conn:
        assert conn.execute(select(store.meta).where(store.meta.c.key == "half")).first() is None
    with writes.transaction(engine) as conn:  # the connection went back to the pool clean
        conn.execute(store.meta.insert().values(key="after", value="y"))


def test_writers_in_threads_all_land(tmp_path: Path) -> None:
    engine = store.engine_for(f"sqlite:///{tmp_path / 'store.sqlite'}")

    def work(k: int) -> None:
        for j in range(20):
            with writes.transaction(engine) as conn:
                conn.execute(store.meta.insert().values(key=f"t{k}-{j}", value="v"))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with engine.connect() as conn:
        keys = {r[0] for r in conn.execute(select(store.meta.c.key))}
    assert {f"t{k}-{j}" for k in range(4) for j in range(20)} <= keys
