"""Background builds rest so a server's event loop keeps the interpreter (registry/pace.py).

Checked without timing: a build inside ``pace.background()`` rests (counted sleeps) and
gives the same view as one outside it; outside it nothing rests. That the server's
background refresh (and only it) is paced is tested in tests/api/test_registry_cache.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scomodel.registry import Registry, pace, store, views


def _rests(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    rests: list[float] = []
    monkeypatch.setattr(pace.time, "sleep", rests.append)
    return rests


def test_paced_gives_every_item_in_order_and_rests_only_in_background(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rests = _rests(monkeypatch)
    items = list(range(5000))
    assert pace.paced(items) is items and rests == []
    clock = iter(range(10**6))  # each reading of the clock is one second later
    monkeypatch.setattr(pace.time, "perf_counter", lambda: float(next(clock)))
    with pace.background():
        assert list(pace.paced(items, every=100)) == items
    assert len(rests) == 50 and set(rests) == {pace.REST_SECONDS}
    assert pace.paced(items) is items  # off again after the block


def test_a_paced_build_rests_and_builds_the_same_view(
        sqlite_url: str, good_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Registry.open(sqlite_url, data_dir=good_data)
    engine = store.engine_for(sqlite_url)
    with engine.connect() as conn:
        rows = views.fetch_rows(conn, [store.CURATED, store.COW])
    plain = views.build(engine, rows)
    rests = _rests(monkeypatch)
    monkeypatch.setattr(pace, "WORK_SECONDS", 0.0)  # rest at every checkpoint
    with pace.background():
        with engine.connect() as conn:
            paced_rows = views.fetch_rows(conn, [store.CURATED, store.COW])
        paced = views.build(engine, paced_rows)
    assert rests, "a background build never rested"
    assert paced.rows == plain.rows and len(plain.rows) >= 9
    assert paced.index.organizations == plain.index.organizations
    assert paced.coverage == plain.coverage
