"""The store on SQLite and PostgreSQL: rebuild on change, and loads that are all or nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy.engine import Connection

from scomodel.registry import Registry, store
from scomodel.registry.build import ensure_curated


def copy_data(tmp_path: Path, good_data: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(good_data, target)
    return target


def add_member(data: Path, actor: str) -> None:
    path = data / "spells" / "sco.yaml"
    path.write_text(path.read_text() + f"  - {{actor: {actor}, status: member, start: "
                    "'2001-06-15', sources: [{source: zhao2004, locator: '§3'}]}\n")


def test_same_answers_on_both_backends(store_url: str, good_data: Path) -> None:
    reg = Registry.open(store_url, data_dir=good_data)
    assert sorted(r.actor for r in reg.members("SCO", "2005-07-06")) == [
        "CHN", "IND", "KAZ", "MNG", "UZB"]
    assert reg.facts(about="SCO")[0].attributes["city"] == "Astana"


def test_rebuilds_when_files_change(store_url: str, tmp_path: Path, good_data: Path) -> None:
    data = copy_data(tmp_path, good_data)
    engine = store.engine_for(store_url)
    assert ensure_curated(engine, data) is True
    assert ensure_curated(engine, data) is False  # unchanged: no rebuild
    add_member(data, "RUS")
    reg = Registry.open(store_url, data_dir=data)
    assert "RUS" in {r.actor for r in reg.members("SCO", "2002")}


def test_verified_open_builds_a_new_store_but_skips_the_file_check(
        store_url: str, tmp_path: Path, good_data: Path) -> None:
    # the API's writes open with verified=True: a store never built is still built ...
    data = copy_data(tmp_path, good_data)
    reg = Registry.open(store_url, data_dir=data, verified=True)
    assert "RUS" not in {r.actor for r in reg.members("SCO", "2002")}
    # ... but on a built store the files are not re-checked (the readers do that)
    add_member(data, "RUS")
    again = Registry.open(store_url, data_dir=data, verified=True)
    assert "RUS" not in {r.actor for r in again.members("SCO", "2002")}
    checked = Registry.open(store_url, data_dir=data)
    assert "RUS" in {r.actor for r in checked.members("SCO", "2002")}


#: the insert of the spells into the store: on SQLite the copy from the staged rows under the
#: write lock (registry/replace.py), on PostgreSQL the driver's insert in the transaction
SPELLS_INSERT = ('INSERT INTO main."spells"', "INSERT INTO spells ")


def test_failed_load_keeps_previous_store(store_url: str, tmp_path: Path, good_data: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    data = copy_data(tmp_path, good_data)
    Registry.open(store_url, data_dir=data)
    add_member(data, "RUS")
    calls = {"n": 0}
    real = Connection.exec_driver_sql

    def failing_insert(self, sql, *args, **kwargs):  # the copy of the spells blows up
        if sql.startswith(SPELLS_INSERT):  # under the lock, after the
            calls["n"] += 1  # deletes and the copies of sources and actors
            raise RuntimeError("disk on fire")
        return real(self, sql, *args, **kwargs)

    monkeypatch.setattr(Connection, "exec_driver_sql", failing_insert)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ensure_curated(store.engine_for(store_url), data)
    monkeypatch.undo()
    assert calls["n"] == 1
    engine = store.engine_for(store_url)
    with engine.connect() as conn:
        actors = {r.actor for r in conn.execute(store.spells.select())}
        n_sources = len(conn.execute(store.sources.select()).all())
    assert "RUS" not in actors and {"CHN", "KAZ", "UZB"} <= actors
    assert n_sources == 2


def test_killed_load_keeps_previous_store(store_url: str, tmp_path: Path,
                                          good_data: Path) -> None:
    """A process killed half-way through a load (os._exit) leaves the old data whole."""
    data = copy_data(tmp_path, good_data)
    Registry.open(store_url, data_dir=data)
    add_member(data, "RUS")
    script = textwrap.dedent(f"""
        import os
        from sqlalchemy.engine import Connection
        from scomodel.registry import store
        from scomodel.registry.build import ensure_curated
        real = Connection.exec_driver_sql
        SPELLS_INSERT = {SPELLS_INSERT!r}
        def dying_insert(self, sql, *args, **kwargs):  # under the lock, after the
            if sql.startswith(SPELLS_INSERT):  # deletes and two copies
                os._exit(9)
            return real(self, sql, *args, **kwargs)
        Connection.exec_driver_sql = dying_insert
        ensure_curated(store.engine_for({store_url!r}), {str(data)!r})
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 9, result.stderr
    store._ENGINES.clear()
    engine = store.engine_for(store_url)
    with engine.connect() as conn:
        actors = {r.actor for r in conn.execute(store.spells.select())}
    assert "RUS" not in actors and {"CHN", "KAZ", "UZB"} <= actors
    # and the next open notices the files changed and loads them
    reg = Registry.open(store_url, data_dir=data, refresh=True)
    assert "RUS" in {r.actor for r in reg.members("SCO", "2002")}


def test_default_url_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SCOMODEL_DB", str(tmp_path / "x.sqlite"))
    assert store.default_url() == f"sqlite:///{tmp_path / 'x.sqlite'}"
    monkeypatch.setenv("SCOMODEL_DB", "postgresql://u@h/db")
    assert store.default_url() == "postgresql://u@h/db"
