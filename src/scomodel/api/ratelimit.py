"""Per-client rate limits: a token bucket per (client, kind), in this process.

Two kinds: ``costly`` requests (a bargaining run, a panel, a proceeding: each can hold a
core for a while) and ``token`` failures (a wrong bearer token: guessing one must be
slow). A client is its address as the server sees it (behind a proxy, the proxy's: run
one per client address there). Buckets are small and forgotten when full again, so the
table stays bounded by the number of clients active within a minute; past
``MAX_CLIENTS`` the oldest are dropped. Several server processes each keep their own
buckets (the limit is then per process), which is documented, not hidden.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from typing import Any

from scomodel.api.problems import problem

__all__ = ["RateLimiter", "CostlyRequests", "client_key", "COSTLY_PREFIXES"]

#: paths whose requests cost a run: bargaining, the panels, proceedings
COSTLY_PREFIXES = ("/api/bargain", "/api/panel", "/api/proceedings")
MAX_CLIENTS = 10_000


def client_key(scope: Any) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RateLimiter:
    """Token buckets: ``rate`` per second refill, ``burst`` at most, one per key."""

    def __init__(self, per_minute: float, burst: int) -> None:
        self.rate = max(per_minute, 0.0) / 60.0
        self.burst = max(1, burst)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _level(self, key: str, now: float) -> float:
        level, last = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), level + (now - last) * self.rate)

    def take(self, key: str) -> float:
        """Take one token; 0.0 if there was one, else the seconds until there is."""
        now = time.monotonic()
        with self._lock:
            level = self._level(key, now)
            if level >= 1.0:
                self._store(key, level - 1.0, now)
                return 0.0
            self._store(key, level, now)
            return math.inf if self.rate <= 0 else (1.0 - level) / self.rate

    def blocked(self, key: str) -> float:
        """Seconds until ``key`` has a token again (0.0: it has one), taking none."""
        now = time.monotonic()
        with self._lock:
            level = self._level(key, now)
        if level >= 1.0:
            return 0.0
        return math.inf if self.rate <= 0 else (1.0 - level) / self.rate

    def _store(self, key: str, level: float, now: float) -> None:
        self._buckets.pop(key, None)
        self._buckets[key] = (level, now)
        while len(self._buckets) > MAX_CLIENTS:
            self._buckets.popitem(last=False)


def retry_after(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(min(seconds, 3600))))}


class CostlyRequests:
    """ASGI middleware: costly paths take a token from the client's bucket, else 429."""

    def __init__(self, app: Any, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith(COSTLY_PREFIXES):
            wait = self.limiter.take(client_key(scope))
            if wait > 0:
                await problem(
                    429, "too many costly requests from this client; retry later",
                    field="client", instance=scope["path"], headers=retry_after(wait),
                )(scope, receive, send)
                return
        await self.app(scope, receive, send)
