"""Helpers for the fault and concurrency tests: a store digest, a fault injector, copies.

A digest of every row of every table (the random revision markers left out) tells "the
old store" from "the new one" and from anything in between; the injector raises a
driver error at the Nth write step (a write statement or a commit), as a failing disk does.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import event
from sqlalchemy.engine import Engine

from scomodel.registry import core, store

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def is_write(statement: str) -> bool:
    return statement.lstrip().upper().startswith(WRITES)


def digest(path: Path) -> str:
    """All rows of all tables, order-free; the revision markers (random ids) left out."""
    conn = sqlite3.connect(str(path), timeout=60)
    try:
        h = hashlib.sha256()
        for table in store.metadata.sorted_tables:
            rows = sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{table.name}"'))
            if table.name == store.meta.name:
                rows = [r for r in rows if "revision" not in r.split(",")[0]]
            h.update(f"{table.name}:{len(rows)}:".encode())
            for r in rows:
                h.update(r.encode())
        return h.hexdigest()
    finally:
        conn.close()


def copy_store(src: Path, dest: Path) -> str:
    """A consistent copy (WAL included) at ``dest``; returns its URL."""
    dest.unlink(missing_ok=True)
    with sqlite3.connect(str(src)) as a, sqlite3.connect(str(dest)) as b:
        a.backup(b)
    a.close()
    b.close()
    return f"sqlite:///{dest}"


def forget_engines() -> None:
    """Start from nothing cached, as a new process would."""
    for engine in store._ENGINES.values():
        engine.dispose()
    store._ENGINES.clear()
    core._CACHE.clear()


class Fault:
    """Raise ``error`` at write step ``at`` (1-based); ``steps`` counts the steps seen."""

    def __init__(self, at: int, error: Callable[[], BaseException]) -> None:
        self.at, self.error = at, error
        self.steps = 0
        self.fired = False

    def _step(self) -> None:
        self.steps += 1
        if self.steps == self.at:
            self.fired = True
            raise self.error()

    def before_execute(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if is_write(statement):
            self._step()

    def before_commit(self, _conn: Any) -> None:
        self._step()

    def attach(self, engine: Engine) -> Fault:
        event.listen(engine, "before_cursor_execute", self.before_execute)
        event.listen(engine, "commit", self.before_commit)
        return self

    def detach(self, engine: Engine) -> None:
        event.remove(engine, "before_cursor_execute", self.before_execute)
        event.remove(engine, "commit", self.before_commit)


def disk_error(message: str = "disk I/O error") -> Callable[[], BaseException]:
    return lambda: sqlite3.OperationalError(message)


def tiny_cow(directory: Path, *, years: int = 4, igos: int = 1, value: int = 1) -> Path:
    """A COW-layout plain CSV pair: ``igos`` organizations, two states, ``years`` years."""
    states = {"china": 710, "kazakhstan": 705}
    names = ["SCO"] + [f"IGO{i:04d}" for i in range(1, igos)]
    igo = pd.DataFrame([{"ioname": n, "orgname": n, "year": y, "sdate": 2001,
                         "china": value, "kazakhstan": 1}
                        for n in names for y in range(2001, 2001 + years)])
    system = pd.DataFrame([{"ccode": c, "year": y, "state": s, "sco": 1}
                           for s, c in states.items() for y in range(2001, 2001 + years)])
    directory.mkdir(parents=True, exist_ok=True)
    igo.to_csv(directory / "igo_year_format3.csv", index=False)
    system.to_csv(directory / "state_year_format3.csv", index=False)
    return directory
