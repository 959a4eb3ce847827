"""Issue 11, fault injection: a disk error at each write step in turn, and a SIGKILL at
steps of an import, leave the store as it was or as the write makes it, never half; the
error reaches a user of the CLI as one line (exit 2, like every scomodel error).

Each operation is run once without faults on a copy to get the "new" digest, then again
with an error at write step N = 1, 2, ... until it completes; every failed run must leave
the old digest (nothing committed) or the new one (the error came after the commit).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scomodel.errors import StoreError
from scomodel.registry import Registry, store
from scomodel.registry.build import load_into_store
from scomodel.registry.cow import import_cow_igo
from scomodel.registry.loader import load_curated
from tests.clirun import invoke
from tests.reliability.faults import (
    Fault,
    copy_store,
    digest,
    disk_error,
    forget_engines,
    tiny_cow,
)

GOOD = Path(__file__).resolve().parents[1] / "registry" / "fixtures" / "good"
SPELL = {"actor": "USA", "status": "observer", "start": "2031-06-15",
         "sources": [{"source": "masuda2011", "judgement": True}]}


@pytest.fixture
def pristine(tmp_path: Path) -> Path:
    """A store holding the fixture's curated data and a tiny COW import (the old one)."""
    path = tmp_path / "pristine.sqlite"
    import_cow_igo(tiny_cow(tmp_path / "cow_old"), f"sqlite:///{path}", data_dir=GOOD)
    Registry.open(f"sqlite:///{path}", whatif="x", data_dir=GOOD)
    forget_engines()
    return path


def _every_step(tmp_path: Path, pristine: Path, run: Callable[[str], Any],
                message: str = "disk I/O error") -> dict[str, int]:
    """Run ``run(url)`` with an error at each write step in turn; check old-or-new."""
    old = digest(pristine)
    done = tmp_path / "done.sqlite"
    run(copy_store(pristine, done))
    forget_engines()
    new = digest(done)
    assert new != old, "the operation changed nothing: the test would prove nothing"
    faults = 0
    for at in range(1, 500):
        target = tmp_path / f"at{at}.sqlite"
        url = copy_store(pristine, target)
        engine = store.engine_for(url)
        fault = Fault(at, disk_error(message)).attach(engine)
        try:
            run(url)
        except Exception as exc:  # noqa: BLE001 - every failure is checked below
            assert fault.fired, f"step {at}: failed without the fault: {exc!r}"
            assert len(str(exc).splitlines()) == 1, f"step {at}: {exc}"
            faults += 1
        finally:
            fault.detach(engine)
            forget_engines()
        assert digest(target) in (old, new), f"half a store after a fault at step {at}"
        target.unlink()
        if not fault.fired:
            break
    else:
        pytest.fail("the operation never completed")
    print(f"faults injected: {faults}, write steps: {fault.steps}, half stores: 0")
    return {"faults": faults, "steps": fault.steps}


@pytest.mark.slow
def test_a_curated_load_is_old_or_new_after_a_fault_at_every_step(tmp_path, pristine):
    data = load_curated()  # the package's own data replace the fixture's

    def run(url: str) -> None:
        load_into_store(store.engine_for(url), data)

    assert _every_step(tmp_path, pristine, run)["faults"] >= 4


def test_a_cow_import_is_old_or_new_after_a_fault_at_every_step(tmp_path, pristine):
    new_table = tiny_cow(tmp_path / "cow_new", years=6, igos=3, value=2)

    def run(url: str) -> None:
        import_cow_igo(new_table, url, data_dir=GOOD)

    assert _every_step(tmp_path, pristine, run)["faults"] >= 4


def test_a_whatif_write_is_old_or_new_after_a_fault_at_every_step(tmp_path, pristine):
    def run(url: str) -> None:
        Registry.open(url, whatif="x", data_dir=GOOD).add_spell("SCO", SPELL)

    assert _every_step(tmp_path, pristine, run)["faults"] >= 2


@pytest.mark.parametrize("message", ["disk I/O error", "database or disk is full"])
def test_the_cli_shows_a_disk_error_as_one_line(tmp_path, pristine, monkeypatch, message):
    """``import cow-igo`` with the disk failing at its first write: exit 2, one line
    naming the store, and the store as it was."""
    url = copy_store(pristine, tmp_path / "cli.sqlite")
    monkeypatch.setenv("SCOMODEL_DB", url)
    monkeypatch.setenv("SCOMODEL_DATA", str(GOOD))
    old = digest(tmp_path / "cli.sqlite")
    engine = store.engine_for(store.default_url())
    fault = Fault(1, disk_error(message)).attach(engine)
    try:
        result = invoke("import", "cow-igo", str(tiny_cow(tmp_path / "cow_new", value=2)))
    finally:
        fault.detach(engine)
        forget_engines()
    assert fault.fired
    assert result.code == 2, result
    assert len(result.error.strip().splitlines()) == 1, result.error
    assert message in result.error and "cli.sqlite" in result.error, result.error
    assert digest(tmp_path / "cli.sqlite") == old


# -- SIGKILL at steps of an import ------------------------------------------------------

def _killed_import(url: str, table: str, at: int) -> None:
    """In a spawned child: import, killing this process at write step ``at``."""
    def die() -> BaseException:
        os.kill(os.getpid(), signal.SIGKILL)
        return RuntimeError("unreachable")

    Fault(at, die).attach(store.engine_for(url))
    import_cow_igo(table, url, data_dir=str(GOOD))


@pytest.mark.slow
def test_a_sigkill_during_an_import_leaves_the_old_or_the_new_store(tmp_path, pristine):
    table = tiny_cow(tmp_path / "cow_new", years=6, igos=3, value=2)
    old = digest(pristine)
    counter = Fault(0, disk_error())
    done = tmp_path / "done.sqlite"
    url = copy_store(pristine, done)
    counter.attach(store.engine_for(url))
    import_cow_igo(table, url, data_dir=GOOD)
    forget_engines()
    new, steps = digest(done), counter.steps
    points = sorted({1, 2, steps // 2, steps - 1, steps, steps + 1} - {0})
    ctx = multiprocessing.get_context("spawn")
    killed = 0
    for at in points:
        target = tmp_path / f"kill{at}.sqlite"
        url = copy_store(pristine, target)
        child = ctx.Process(target=_killed_import, args=(url, str(table), at))
        child.start()
        child.join(timeout=60)
        assert child.exitcode in (-signal.SIGKILL, 0), (at, child.exitcode)
        killed += child.exitcode == -signal.SIGKILL
        # the parent opens the store as a user would next (check, recovery of the WAL)
        Registry.open(url, data_dir=GOOD)
        forget_engines()
        assert digest(target) in (old, new), f"half a store after a kill at step {at}"
        if at > steps:
            assert digest(target) == new
    print(f"kill points: {len(points)} of {steps} write steps, killed: {killed}, "
          "half stores: 0")
    assert killed == len([p for p in points if p <= steps])


# -- a full disk ------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path: Path) -> Any:
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                              capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        pytest.skip("cannot mount a tmpfs here (the disk-full wrapper test covers it)")
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (the disk-full wrapper test covers it)")
    try:
        yield mount
    finally:
        forget_engines()
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def test_an_import_onto_a_full_disk_is_one_line_and_the_store_kept(tmp_path, pristine,
                                                                   small_disk):
    path = small_disk / "store.sqlite"
    copy_store(pristine, path)
    old = digest(path)
    filler = small_disk / "filler"
    try:  # fill every free block
        with open(filler, "wb") as fh:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
    except OSError:
        pass
    table = tiny_cow(tmp_path / "cow_big", years=20, igos=400, value=2)
    with pytest.raises(StoreError) as err:
        import_cow_igo(table, f"sqlite:///{path}", data_dir=GOOD)
    forget_engines()
    assert len(str(err.value).splitlines()) == 1
    assert "full" in str(err.value) and "store.sqlite" in str(err.value), str(err.value)
    filler.unlink()
    assert digest(path) == old


def test_the_api_answers_a_disk_error_on_a_write_with_503_and_stores_nothing(tmp_path,
                                                                             pristine):
    """A failing disk is the server's trouble (503), not the client's (4xx)."""
    import json
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from scomodel.api import Settings, create_app

    url = copy_store(pristine, tmp_path / "api.sqlite")
    old = digest(tmp_path / "api.sqlite")
    app = create_app(Settings(token="t0k", db=url, data_dir=str(GOOD), refresh_seconds=0.0))
    engine = store.engine_for(url)
    fault = Fault(1, disk_error()).attach(engine)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.post("/api/spells", content=json.dumps(
                {"registry": "x", "org": "SCO", "spell": SPELL}),
                headers={"Authorization": "Bearer t0k", "Content-Type": "application/json"})
    finally:
        fault.detach(engine)
        forget_engines()
    assert fault.fired
    assert response.status_code == 503, response.text
    assert "disk I/O error" in response.json()["detail"]
    assert "api.sqlite" not in response.text
    assert digest(tmp_path / "api.sqlite") == old
