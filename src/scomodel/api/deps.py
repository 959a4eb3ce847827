"""Dependencies shared by the routers: the settings, the registry and the write guard."""

from __future__ import annotations

import contextlib
import gc
import logging
import re
import secrets
import threading
import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from scomodel.api.problems import FieldHTTPException
from scomodel.api.settings import Settings
from scomodel.errors import InputError, NotFoundError
from scomodel.registry import Registry, pace, store
from scomodel.registry.core import whatif_names
from scomodel.registry.lru import BoundedCache, registry_bytes

__all__ = [
    "RegistryProvider",
    "SettingsDep",
    "RegistryDep",
    "WhatIfName",
    "require_token",
    "check_token",
    "WriteGuard",
    "check_whatif_name",
    "get_provider",
    "get_settings",
    "known_whatif",
]

_WHATIF_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


def check_whatif_name(name: str | None, field: str = "registry") -> str | None:
    """What-if names become dataset keys: letters, digits, ``_.-``, at most 64."""
    if name is not None and not _WHATIF_NAME.match(name):
        raise InputError(
            f"bad what-if name {name[:80]!r}: expected 1-64 letters, digits, '_', '.' or '-'",
            field=field,
        )
    return name


#: set by the server process (``app_from_env``): builds run without the collector's full
#: passes, and what they built is frozen out of later ones (see :func:`quiet_collector`)
FREEZE_AFTER_BUILD = False
_COLLECTOR = threading.Lock()
_building = 0


@contextlib.contextmanager
def quiet_collector() -> Iterator[None]:
    """Build a registry without stopping the event loop for the garbage collector.

    A registry with COW is about a million new objects; building one triggered three full
    collections, each a stop-the-world pass over the whole heap (up to 280 ms, holding
    the interpreter, so every connection waited). In the server the collector is paused
    while a build runs and the result is then frozen (``gc.freeze``: moved out of the
    generations later passes scan; it is still freed by reference counting when dropped).
    Elsewhere (tests, the Python API) this does nothing.
    """
    global _building
    if not FREEZE_AFTER_BUILD:
        yield
        return
    with _COLLECTOR:
        _building += 1
        gc.disable()
    try:
        yield
    finally:
        with _COLLECTOR:
            _building -= 1
            if _building == 0:
                gc.freeze()
                gc.enable()


class RegistryProvider:
    """Hands out registries without re-checking the store on every request.

    ``Registry.open`` checks the data files and the store's revision (well under a
    millisecond, but that is most of an as-of query). A process reuses its registry for
    ``refresh_seconds``; writes made through this process invalidate it at once, writes
    made by other processes sharing the store are seen within ``refresh_seconds``.

    Bounded: at most ``registry_cache`` registries and ``registry_cache_mb`` of them by
    estimate, least recently used out first. A what-if name that is not in the store is
    a 404 before anything is built (reads never create a copy; writes do).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._cache: BoundedCache[str | None, tuple[float, Registry]] = BoundedCache(
            settings.registry_cache, settings.registry_cache_mb * 1_000_000,
            lambda hit: registry_bytes(hit[1]))
        self._names: tuple[float, frozenset[str]] | None = None
        self._refreshing: set[str | None] = set()

    def cached(self, whatif: str | None = None) -> Registry | None:
        """The registry if it is cached (no I/O: safe on the event loop).

        Fresh: as is. Older than ``refresh_seconds`` (when that is above 0): still
        answered, while one background thread checks the store and rebuilds if it
        changed (stale-while-revalidate), so a rebuild after an import never makes
        readers wait. ``refresh_seconds=0`` is strict: every read checks first.
        """
        hit = self._cache.get(whatif)
        if hit is None:
            return None
        if time.monotonic() - hit[0] < self.settings.refresh_seconds:
            return hit[1]
        if self.settings.refresh_seconds > 0:
            self._refresh_later(whatif)
            return hit[1]
        return None

    def _refresh_later(self, whatif: str | None) -> None:
        with self._lock:
            if whatif in self._refreshing:
                return
            self._refreshing.add(whatif)
        threading.Thread(target=self._refresh, args=(whatif,), daemon=True,
                         name="scomodel-registry-refresh").start()

    def _refresh(self, whatif: str | None) -> None:
        try:
            now = time.monotonic()
            with quiet_collector(), pace.background():  # nobody waits for this one
                reg = Registry.open(self.settings.db_url, whatif=whatif,
                                    data_dir=self.settings.data_dir)
            self._cache.put(whatif, (now, reg))
        except Exception:  # noqa: BLE001 - the next read retries in the foreground
            logging.getLogger("scomodel.api").exception("registry refresh failed")
            self._cache.pop_where(lambda k: k != whatif)
        finally:
            with self._lock:
                self._refreshing.discard(whatif)

    def get(self, whatif: str | None = None) -> Registry:
        found = self.cached(whatif)
        if found is not None:
            return found
        if whatif is not None:
            self.require_known(whatif)
        with self._lock:  # one build at a time; a second caller then finds it fresh
            found = self.cached(whatif)
            if found is not None:
                return found
            now = time.monotonic()
            with quiet_collector():
                reg = Registry.open(
                    self.settings.db_url, whatif=whatif, data_dir=self.settings.data_dir
                )
            self._cache.put(whatif, (now, reg))
            return reg

    def require_known(self, whatif: str, field: str = "registry") -> None:
        """A 404 naming ``field`` unless the store holds a what-if copy of that name."""
        if whatif in self.known():
            return
        if whatif in self.known(fresh=True):
            return
        raise NotFoundError(f"no what-if copy named {whatif[:64]!r} in the store (a write "
                            "creates one)", field=field)

    def known(self, fresh: bool = False) -> frozenset[str]:
        names = self._names
        if fresh or names is None or time.monotonic() - names[0] >= max(
                self.settings.refresh_seconds, 0.05):
            engine = store.engine_for(self.settings.db_url)
            names = (time.monotonic(), frozenset(whatif_names(engine)))
            self._names = names
        return names[1]

    def invalidate(self, whatif: str | None = None) -> None:
        """After a write through this process: forget the copy written to (``None``:
        every registry), so the next read sees the write at once."""
        with self._lock:
            if whatif is None:
                self._cache.clear()
            else:
                self._cache.pop_where(lambda k: k != whatif)
            self._names = None


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_provider(request: Request) -> RegistryProvider:
    provider: RegistryProvider = request.app.state.registries
    return provider


async def _settings_dep(request: Request) -> Settings:
    return get_settings(request)


async def _provider_dep(request: Request) -> RegistryProvider:
    return get_provider(request)


# As dependencies, the two run as coroutines: FastAPI runs a plain function dependency in
# the thread pool, and that hop cost about a third of an as-of request's time in the app
# (0.28 -> 0.19 ms, measured in-process); routes that call them directly use the functions.
SettingsDep = Annotated[Settings, Depends(_settings_dep)]
ProviderDep = Annotated[RegistryProvider, Depends(_provider_dep)]
WhatIfName = Annotated[
    str | None,
    Query(description="a what-if copy to read instead of the curated history (--registry)"),
]


async def get_registry(provider: ProviderDep, registry: WhatIfName = None) -> Registry:
    """A cache hit is answered on the event loop (microseconds); anything that reads the
    store or builds a registry runs in the thread pool, never blocking other requests."""
    name = check_whatif_name(registry)
    found = provider.cached(name)
    if found is not None:
        return found
    return await run_in_threadpool(provider.get, name)


def known_whatif(request: Request, name: str | None, field: str = "registry") -> str | None:
    """``name`` checked (form, and present in the store) for routes that read a copy."""
    name = check_whatif_name(name, field)
    if name is not None:
        get_provider(request).require_known(name, field)
    return name


RegistryDep = Annotated[Registry, Depends(get_registry)]


def check_token(request: Request, settings: Settings) -> None:
    """Writes need ``Authorization: Bearer <SCOMODEL_TOKEN>``; none configured: no writes.

    Failed attempts are counted per client (``token_failures_per_minute``); past the
    limit every attempt, right or wrong, is a 429 with ``Retry-After`` until the bucket
    refills, so a token cannot be guessed at network speed.
    """
    from scomodel.api.ratelimit import client_key, retry_after

    challenge = {"WWW-Authenticate": 'Bearer realm="scomodel"'}
    if not settings.token:
        raise FieldHTTPException(
            401, "writes are disabled: the operator has not set SCOMODEL_TOKEN",
            "authorization", challenge,
        )
    failures = getattr(request.app.state, "token_failures", None)
    client = client_key(request.scope)
    wait = failures.blocked(client) if failures is not None else 0.0
    if wait > 0:
        raise FieldHTTPException(429, "too many failed token attempts from this client; "
                                 "retry later", "authorization", retry_after(wait))
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        if failures is not None:
            failures.take(client)
        raise FieldHTTPException(
            401, "writes need an 'Authorization: Bearer <token>' header", "authorization",
            challenge,
        )
    if not secrets.compare_digest(given.strip().encode(), settings.token.encode()):
        if failures is not None:
            failures.take(client)
        raise FieldHTTPException(401, "the bearer token does not match", "authorization",
                                 challenge)


async def require_token(request: Request, settings: SettingsDep) -> None:
    """:func:`check_token` as a dependency: a coroutine (it does no I/O), since a plain
    function would cost every write a trip through the thread pool."""
    check_token(request, settings)


WriteGuard = Depends(require_token)
