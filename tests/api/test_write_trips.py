"""A write suspends its request's task at most twice (to the writer thread and back).

Under read load the event loop runs every busy connection between two steps of a task, so
each suspension costs a write about 25 ms at 64 connections (docs/reliability.md). With a
sync dependency and a sync route in FastAPI's thread pool a write took 10 steps and
answered in 450 ms under load. This counts the steps, not the time: it fails when a new
thread hop or a blocking await is added to the write path.
"""

from __future__ import annotations

import asyncio
import collections.abc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from scomodel.api import Settings, create_app
from tests.api.conftest import TOKEN


class _Counted(collections.abc.Coroutine):  # type: ignore[type-arg]
    """A coroutine that counts how often the event loop resumes it."""

    def __init__(self, coro: Any) -> None:
        self.coro, self.steps = coro, 0

    def send(self, value: Any) -> Any:
        self.steps += 1
        return self.coro.send(value)

    def throw(self, *args: Any) -> Any:
        self.steps += 1
        return self.coro.throw(*args)

    def close(self) -> None:
        self.coro.close()

    def __await__(self) -> Any:
        return self


def _steps(app: Any, request: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]
           ) -> tuple[int, int]:
    """Status and suspensions of the second of two calls of ``request`` (the first fills
    the caches and creates what a first write creates)."""
    async def run() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            await request(client)
            counted = _Counted(request(client))
            response = await asyncio.get_running_loop().create_task(counted)
            return response.status_code, counted.steps

    return asyncio.run(run())


def _spell(year: int, org: str = "SCO") -> dict[str, Any]:
    return {"registry": "trips", "org": org,
            "spell": {"actor": "USA", "status": "guest", "start": str(year),
                      "end": str(year + 1), "sources": [{"source": "zhao2004"}]}}


def test_a_write_crosses_to_a_thread_once(fixture_env: str, good_data: Path) -> None:
    app = create_app(Settings(token=TOKEN, db=fixture_env, data_dir=str(good_data),
                              refresh_seconds=1.0))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    years = iter(range(2100, 2200, 2))

    status, steps = _steps(app, lambda c: c.post("/api/spells", json=_spell(next(years)),
                                                 headers=auth))
    assert status == 201
    assert steps <= 2, f"a write now suspends {steps} times"
    # a refused write costs no more (its error is raised in the writer thread)
    status, steps = _steps(app, lambda c: c.post("/api/spells", json=_spell(2300, "NOPE"),
                                                 headers=auth))
    assert status == 404 and steps <= 2
    # a read answered from the cached registry does not suspend beyond the call
    status, steps = _steps(app, lambda c: c.get("/api/members/SCO?on=2005"))
    assert status == 200 and steps <= 1


def test_server_builds_pause_the_collector_and_freeze_what_they_built(
        fixture_env: str, good_data: Path, monkeypatch: Any) -> None:
    """In the server process (``FREEZE_AFTER_BUILD``) a registry is built with the
    collector off, so none of its full passes stops the loop mid-build, and frozen
    afterwards; elsewhere the collector is left alone."""
    import gc

    from scomodel.api import deps
    from scomodel.registry import views

    seen: list[bool] = []
    build = views.build

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return build(*args, **kwargs)

    monkeypatch.setattr(views, "build", spy)
    settings = Settings(token=TOKEN, db=fixture_env, data_dir=str(good_data),
                        refresh_seconds=0.0)
    views.clear_base()
    deps.RegistryProvider(settings).get()
    assert seen == [True] and gc.isenabled()
    monkeypatch.setattr(deps, "FREEZE_AFTER_BUILD", True)
    frozen = gc.get_freeze_count()
    from scomodel.registry import store

    with store.engine_for(fixture_env).begin() as conn:
        store.bump_revision(conn)  # a new revision: the next get builds
    try:
        deps.RegistryProvider(settings).get()
        assert seen == [True, False] and gc.isenabled()
        assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()
