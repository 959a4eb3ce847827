"""A store that heals or says why: parallel creation, damage, rows changed behind our back."""

from __future__ import annotations

import multiprocessing as mp
import shutil
import sqlite3
from pathlib import Path

import pytest

from scomodel.errors import DataValidationError, StoreError
from scomodel.registry import Registry

GOOD = Path(__file__).resolve().parents[1] / "registry" / "fixtures" / "good"


def _open_and_count(url: str, queue: mp.Queue[object]) -> None:
    try:
        reg = Registry.open(url, data_dir=GOOD)
        queue.put(len(reg.spells()))
    except Exception as exc:  # reported to the parent, which fails the test
        queue.put(f"{type(exc).__name__}: {exc}")


def test_processes_creating_a_fresh_store_at_once_all_succeed(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_open_and_count, args=(url, queue)) for _ in range(4)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert all(isinstance(r, int) and r > 0 for r in results), results
    assert len(set(results)) == 1


def _damage(path: Path, table: str = "spells") -> None:
    """Overwrite the root page of one table (the rest of the file stays readable)."""
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            (table,)).fetchone()[0]
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start + 100 if root == 1 else start: start + page_size] = b"\xab" * (
        page_size - (100 if root == 1 else 0))
    path.write_bytes(bytes(data))


def _fresh_store(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "s.sqlite"
    url = f"sqlite:///{path}"
    Registry.open(url, data_dir=GOOD)
    # a separate process would open it anew: forget this process's engine
    from scomodel.registry import core, store

    store._ENGINES.pop(url, None)
    core._CACHE.clear()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return url, path


def test_a_damaged_curated_only_store_is_rebuilt(tmp_path, capsys):
    url, path = _fresh_store(tmp_path)
    _damage(path, "facts")  # the spells still say which datasets the store holds
    reg = Registry.open(url, data_dir=GOOD)
    assert reg.members("SCO", "2005-07-06")
    assert "damaged" in capsys.readouterr().err
    assert list(tmp_path.glob("s.sqlite.damaged-*"))


def test_a_damaged_store_with_imported_data_stops_with_one_line(tmp_path):
    url, path = _fresh_store(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE spells SET dataset = 'whatif:mine' WHERE rowid = "
                     "(SELECT min(rowid) FROM spells)")
    _damage(path, "facts")
    from scomodel.registry import core, store

    store._ENGINES.pop(url, None)
    core._CACHE.clear()
    with pytest.raises(StoreError) as err:
        Registry.open(url, data_dir=GOOD)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_not_a_database_is_one_line(tmp_path):
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not a database" * 200)
    with pytest.raises(StoreError) as err:
        Registry.open(f"sqlite:///{path}", data_dir=GOOD)
    assert "\n" not in str(err.value)


def test_a_curated_row_changed_in_place_is_noticed_and_rebuilt(tmp_path, capsys):
    url, path = _fresh_store(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE spells SET start = '2999-01-01' WHERE actor = 'MNG' AND "
                     "dataset = 'curated'")
    reg = Registry.open(url, data_dir=GOOD)
    assert reg.status("MNG", "SCO", "2005-01-01")
    assert "rebuilt" in capsys.readouterr().err


def test_a_data_folder_missing_a_part_is_an_error(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(GOOD, folder)
    shutil.rmtree(folder / "spells")
    with pytest.raises(DataValidationError, match="no spells"):
        Registry.open(f"sqlite:///{tmp_path / 'x.sqlite'}", data_dir=folder)
