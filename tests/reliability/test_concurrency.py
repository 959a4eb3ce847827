"""Issue 11, concurrency: reads while ``import cow-igo`` runs in another process see the
old dataset or the new one, never an error or half of it.

(N processes creating a fresh store: tests/reliability/test_store_heals.py; N writers
adding overlapping spells: tests/api/test_writes_atomic.py.)
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scomodel.registry import Registry
from scomodel.registry.cow import import_cow_igo
from tests.reliability.faults import copy_store, forget_engines, tiny_cow

GOOD = Path(__file__).resolve().parents[1] / "registry" / "fixtures" / "good"


def _answer(url: str) -> tuple[int, frozenset[tuple[str, str, str]]]:
    """What a reader of the COW dataset sees: its spells, as (actor, status, start)."""
    reg = Registry.open(url, data_dir=GOOD)
    rows = reg.spells(dataset="cow")
    return len(rows), frozenset((r.actor, r.status, str(r.start)) for r in rows)


def _import(url: str, table: str, rounds: int) -> None:
    for _ in range(rounds):
        import_cow_igo(table, url, data_dir=str(GOOD))


@pytest.mark.slow
def test_reads_during_imports_see_the_old_or_the_new_dataset(tmp_path: Path) -> None:
    old_table = tiny_cow(tmp_path / "cow_old")
    new_table = tiny_cow(tmp_path / "cow_new", years=6, igos=40, value=2)
    base = tmp_path / "base.sqlite"
    import_cow_igo(old_table, f"sqlite:///{base}", data_dir=GOOD)
    forget_engines()
    done = tmp_path / "done.sqlite"
    import_cow_igo(new_table, copy_store(base, done), data_dir=GOOD)
    new = _answer(f"sqlite:///{done}")
    forget_engines()
    url = f"sqlite:///{base}"
    old = _answer(url)
    assert old != new
    # the importer: a separate process, as a user's `scomodel import cow-igo` is
    ctx = multiprocessing.get_context("spawn")
    writer = ctx.Process(target=_import, args=(url, str(new_table), 2))
    writer.start()
    reads, seen = 0, set()
    deadline = time.monotonic() + 90
    while writer.is_alive() and time.monotonic() < deadline:
        answer = _answer(url)  # must not raise (locked, half-written)
        assert answer in (old, new), f"read {reads}: {answer[0]} spells, neither old nor new"
        seen.add(answer == new)
        reads += 1
    writer.join(timeout=30)
    assert writer.exitcode == 0
    assert _answer(url) == new
    print(f"reads during imports: {reads}, old or new: {reads}, errors: 0")
    assert reads > 0


@pytest.mark.slow
def test_cli_members_during_a_cli_import_is_old_or_new(tmp_path: Path) -> None:
    """The same through the CLI: ``members`` in a loop while ``import cow-igo`` runs."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    import_cow_igo(tiny_cow(tmp_path / "cow_old"), url, data_dir=GOOD)
    forget_engines()
    table = tiny_cow(tmp_path / "cow_new", years=6, igos=40, value=2)
    env = {"SCOMODEL_DB": url, "SCOMODEL_DATA": str(GOOD), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    scomodel = str(Path(sys.executable).with_name("scomodel"))
    members = [scomodel, "members", "SCO", "--on", "2003", "--dataset", "cow"]

    def read() -> str:
        done = subprocess.run(members, env=env, capture_output=True, text=True, timeout=60,
                              check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    old = read()
    importer = subprocess.Popen([scomodel, "import", "cow-igo", str(table)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    answers = []
    while importer.poll() is None or not answers:
        answers.append(read())
    assert importer.wait(timeout=60) == 0, importer.stderr.read() if importer.stderr else ""
    new = read()
    assert old != new
    assert set(answers) <= {old, new}
    print(f"CLI reads during an import: {len(answers)}, old or new: {len(answers)}, errors: 0")
