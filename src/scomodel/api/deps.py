"""Dependencies shared by the routers: the settings, the registry and the write guard."""

from __future__ import annotations

import re
import secrets
import threading
import time
from typing import Annotated

from fastapi import Depends, Query, Request

from scomodel.api.problems import FieldHTTPException
from scomodel.api.settings import Settings
from scomodel.errors import InputError
from scomodel.registry import Registry

__all__ = [
    "RegistryProvider",
    "SettingsDep",
    "RegistryDep",
    "WhatIfName",
    "require_token",
    "WriteGuard",
    "check_whatif_name",
    "get_provider",
    "get_settings",
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


class RegistryProvider:
    """Hands out registries without re-checking the store on every request.

    ``Registry.open`` checks the data files and the store's revision (well under a
    millisecond, but that is most of an as-of query). A process reuses its registry for
    ``refresh_seconds``; writes made through this process invalidate it at once, writes
    made by other processes sharing the store are seen within ``refresh_seconds``.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._cache: dict[str | None, tuple[float, Registry]] = {}

    def get(self, whatif: str | None = None) -> Registry:
        now = time.monotonic()
        hit = self._cache.get(whatif)
        if hit is not None and now - hit[0] < self.settings.refresh_seconds:
            return hit[1]
        with self._lock:
            reg = Registry.open(
                self.settings.db_url, whatif=whatif, data_dir=self.settings.data_dir
            )
            self._cache[whatif] = (now, reg)
            return reg

    def invalidate(self) -> None:
        with self._lock:
            self._cache.clear()


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_provider(request: Request) -> RegistryProvider:
    provider: RegistryProvider = request.app.state.registries
    return provider


SettingsDep = Annotated[Settings, Depends(get_settings)]
ProviderDep = Annotated[RegistryProvider, Depends(get_provider)]
WhatIfName = Annotated[
    str | None,
    Query(description="a what-if copy to read instead of the curated history (--registry)"),
]


async def get_registry(provider: ProviderDep, registry: WhatIfName = None) -> Registry:
    """Answered on the event loop: a cache hit costs microseconds, a refresh a millisecond."""
    return provider.get(check_whatif_name(registry))


RegistryDep = Annotated[Registry, Depends(get_registry)]


def require_token(request: Request, settings: SettingsDep) -> None:
    """Writes need ``Authorization: Bearer <SCOMODEL_TOKEN>``; none configured: no writes."""
    challenge = {"WWW-Authenticate": 'Bearer realm="scomodel"'}
    if not settings.token:
        raise FieldHTTPException(
            401, "writes are disabled: the operator has not set SCOMODEL_TOKEN",
            "authorization", challenge,
        )
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise FieldHTTPException(
            401, "writes need an 'Authorization: Bearer <token>' header", "authorization",
            challenge,
        )
    if not secrets.compare_digest(given.strip().encode(), settings.token.encode()):
        raise FieldHTTPException(401, "the bearer token does not match", "authorization",
                                 challenge)


WriteGuard = Depends(require_token)
