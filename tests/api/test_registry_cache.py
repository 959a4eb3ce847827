"""Issue 11: unknown ``?registry=`` names build nothing; caches are bounded; building a
registry runs off the event loop."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from scomodel.api import Settings, create_app
from scomodel.registry import Registry, core, pace
from scomodel.registry.lru import BoundedCache
from tests.api.conftest import TOKEN


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 1e6


def test_unknown_names_are_404_and_build_nothing(real_client: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real_client.get("/api/members/SCO", params={"on": "2005"})  # the curated one, cached
    built: list[str | None] = []
    original = Registry.__init__

    def counting(self: Registry, *args: Any, **kwargs: Any) -> None:
        built.append(kwargs.get("whatif"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(Registry, "__init__", counting)
    before = _rss_mb()
    for k in range(20):
        for path in (f"/api/members/SCO?on=2005&registry=ghost{k}",
                     f"/api/rights/MNG/SCO?on=2006&registry=ghost{k}",
                     f"/api/claims?registry=ghost{k}"):
            response = real_client.get(path)
            assert (response.status_code, response.json()["field"]) == (404, "registry"), path
    assert built == []
    assert _rss_mb() - before < 50
    assert not [k for k in core._CACHE if str(k[1]).startswith("ghost")]


def test_a_copy_written_is_then_known(client: Any, auth: dict[str, str]) -> None:
    spell = {"actor": "USA", "status": "observer", "start": "2031-06-15",
             "sources": [{"source": "masuda2011", "judgement": True}]}
    assert client.get("/api/members/SCO?on=2031-07&registry=new").status_code == 404
    assert client.post("/api/spells", json={"registry": "new", "org": "SCO", "spell": spell},
                       headers=auth).status_code == 201
    rows = client.get("/api/members/SCO?on=2031-07&registry=new").json()
    assert "USA" in [r["actor"] for r in rows]


def test_bounded_cache_evicts_by_count_and_bytes() -> None:
    cache: BoundedCache[str, int] = BoundedCache(3, 100, size=lambda v: v)
    for k, size in enumerate([10, 10, 10, 10]):
        cache.put(f"k{k}", size)
    assert cache.keys() == ["k1", "k2", "k3"]  # count: the oldest went
    cache.get("k1")  # used: now the newest
    cache.put("big", 85)  # count drops k2, then bytes (10 + 10 + 85 > 100) drop k3
    assert cache.keys() == ["k1", "big"] and cache.bytes == 95
    cache.put("huge", 500)  # the newest always stays
    assert cache.keys() == ["huge"]


def test_the_registry_cache_is_bounded(good_data: Path, sqlite_url: str) -> None:
    core._CACHE.clear()
    for k in range(core._CACHE.max_entries + 4):
        Registry.open(sqlite_url, whatif=f"copy{k}", data_dir=good_data)
    assert len(core._CACHE) == core._CACHE.max_entries
    assert core._CACHE.evictions >= 4


def test_building_a_registry_does_not_block_other_requests(
    fixture_env: str, good_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow build (1 s here) runs in the thread pool; a cached read answers meanwhile."""
    settings = Settings(token=TOKEN, db=fixture_env, data_dir=str(good_data),
                        refresh_seconds=60.0)
    app = create_app(settings)
    app.state.registries.get(None)
    Registry.open(fixture_env, whatif="slow", data_dir=good_data).add_fact(
        {"id": "f1", "kind": "event", "about": ["SCO"], "title": "t",
         "sources": [{"source": "zhao2004"}]})
    real_open = Registry.open.__func__  # type: ignore[attr-defined]

    def slow_open(cls: type[Registry], *args: Any, **kwargs: Any) -> Registry:
        if kwargs.get("whatif") == "slow":
            time.sleep(1.0)
        return real_open(cls, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Registry, "open", classmethod(slow_open))

    async def run() -> tuple[float, float]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            async def timed(path: str, delay: float = 0.0) -> float:
                await asyncio.sleep(delay)
                start = time.perf_counter()
                assert (await c.get(path)).status_code == 200
                return time.perf_counter() - start

            slow, fast = await asyncio.gather(
                timed("/api/members/SCO?on=2005&registry=slow"),
                timed("/api/members/SCO?on=2005", delay=0.1))
            return slow, fast

    slow, fast = asyncio.run(run())
    assert slow >= 1.0 and fast < 0.5, (slow, fast)


def test_a_stale_registry_is_answered_while_it_is_rebuilt(
    fixture_env: str, good_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With refresh_seconds above 0 a reader never waits for a rebuild (after an import,
    seconds): it gets the cached registry while one background thread refreshes it."""
    from scomodel.api.deps import RegistryProvider

    provider = RegistryProvider(Settings(db=fixture_env, data_dir=str(good_data),
                                         refresh_seconds=0.2))
    old = provider.get(None)
    real_open = Registry.open.__func__  # type: ignore[attr-defined]
    calls: list[float] = []

    def slow_open(cls: type[Registry], *args: Any, **kwargs: Any) -> Registry:
        calls.append(time.monotonic())
        time.sleep(1.0)
        return real_open(cls, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Registry, "open", classmethod(slow_open))
    time.sleep(0.3)
    stale_since = provider._cache.get(None)[0]  # type: ignore[index]
    start = time.perf_counter()
    assert provider.cached(None) is old and provider.cached(None) is old
    assert time.perf_counter() - start < 0.2
    deadline = time.monotonic() + 10
    while provider._refreshing and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(calls) == 1  # one refresh, however many readers
    assert provider._cache.get(None)[0] > stale_since  # type: ignore[index]


def test_only_the_servers_background_refresh_is_paced(
        fixture_env: str, good_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild after an import rests for the event loop (registry/pace.py); a build a
    request waits for does not."""
    from scomodel.api.deps import RegistryProvider

    provider = RegistryProvider(Settings(db=fixture_env, data_dir=str(good_data),
                                         refresh_seconds=0.05))
    real_open = Registry.open.__func__  # type: ignore[attr-defined]
    seen: list[bool] = []

    def recording_open(cls: type[Registry], *args: Any, **kwargs: Any) -> Registry:
        seen.append(bool(getattr(pace._LOCAL, "on", False)))
        return real_open(cls, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Registry, "open", classmethod(recording_open))
    provider.get(None)  # a request waits for this one: not paced
    time.sleep(0.1)
    provider.cached(None)  # stale: refreshed in the background
    deadline = time.monotonic() + 10
    while (len(seen) < 2 or provider._refreshing) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert seen == [False, True]
