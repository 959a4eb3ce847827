"""The as-of endpoint under a bounded load on loopback: requests/s, p50/p99 latency, errors.

``GET /api/members/{org}?on=DAY`` is driven by a small asyncio load generator (raw
HTTP/1.1 keep-alive, a fixed number of connections) that stops after a fixed number of
requests or seconds, whichever comes first. The server is ``scomodel serve``'s app in its
own process on 127.0.0.1 with the package's data on a temporary SQLite store.

Baselines in the same run: the same server with ``SCOMODEL_API_REFRESH=0`` (the registry
re-checked on every request, as ``Registry.open`` per call would do), and the query
called in-process (``Registry.members`` + ``to_plain``), the floor HTTP adds to.
Goal (issue 6): at least 1,000 requests/s, p99 under 50 ms, zero errors.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

#: bounds of one load run: it stops at whichever comes first
MAX_REQUESTS = 20_000
MAX_SECONDS = 20.0
CONNECTIONS = 8
WARMUP = 300
ORGS = ("SCO", "SCO", "SCO", "CSTO", "CIS", "OSCE")  # mostly the SCO, as users ask


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _queries(n: int, seed: int = 6) -> list[str]:
    rng = np.random.default_rng(seed)
    first = dt.date(1996, 1, 1).toordinal()
    days = rng.integers(first, dt.date(2025, 12, 31).toordinal(), size=n)
    orgs = rng.choice(len(ORGS), size=n)
    return [f"/api/members/{ORGS[o]}?on={dt.date.fromordinal(int(d)).isoformat()}"
            for o, d in zip(orgs, days, strict=True)]


class Server:
    """``uvicorn scomodel.api.app:app_from_env`` in a child process, stopped on exit."""

    def __init__(self, db: Path, refresh: str) -> None:
        self.port = _free_port()
        env = {**os.environ, "SCOMODEL_DB": str(db), "SCOMODEL_API_REFRESH": refresh}
        env.pop("SCOMODEL_DATA", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "scomodel.api.app:app_from_env", "--factory",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
             "--no-access-log"], env=env)
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the API server did not start") from None
                time.sleep(0.1)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


async def _connection(port: int, paths: list[str], stop: float, lat: list[int],
                      errors: list[str], budget: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    try:
        while budget[0] > 0 and time.perf_counter() < stop:
            budget[0] -= 1
            path = paths[i % len(paths)]
            i += 1
            t0 = time.perf_counter_ns()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = head[9:12]
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length)
            lat.append(time.perf_counter_ns() - t0)
            if status != b"200" or not body.startswith(b"["):
                errors.append(f"{status.decode()} {path}")
    except (OSError, asyncio.IncompleteReadError) as exc:
        errors.append(repr(exc))
    finally:
        writer.close()


async def _load(port: int, paths: list[str], max_requests: int, max_seconds: float
                ) -> dict[str, float]:
    lat: list[int] = []
    errors: list[str] = []
    budget = [max_requests]
    start = time.perf_counter()
    stop = start + max_seconds
    chunks = [paths[k::CONNECTIONS] for k in range(CONNECTIONS)]
    await asyncio.gather(*(_connection(port, c, stop, lat, errors, budget) for c in chunks))
    elapsed = time.perf_counter() - start
    ms = np.array(lat) / 1e6
    return {"requests": len(lat), "seconds": elapsed, "rps": len(lat) / elapsed,
            "p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99)),
            "max_ms": float(ms.max()), "errors": len(errors)}


def run_load(port: int, max_requests: int = MAX_REQUESTS,
             max_seconds: float = MAX_SECONDS) -> dict[str, float]:
    paths = _queries(max_requests)
    asyncio.run(_load(port, paths[:WARMUP], WARMUP, 30.0))
    return asyncio.run(_load(port, paths, max_requests, max_seconds))


def in_process(db: Path, n: int = 5_000) -> dict[str, float]:
    os.environ["SCOMODEL_DB"] = str(db)
    os.environ.pop("SCOMODEL_DATA", None)
    from scomodel.output import to_plain
    from scomodel.registry import Registry

    reg = Registry.open()
    times = []
    for path in _queries(n):
        org, on = path.removeprefix("/api/members/").split("?on=")
        t0 = time.perf_counter_ns()
        to_plain(reg.members(org, on))
        times.append(time.perf_counter_ns() - t0)
    return {"p50_ms": statistics.median(times) / 1e6,
            "p99_ms": float(np.percentile(times, 99)) / 1e6}


def _line(name: str, r: dict[str, float]) -> str:
    return (f"{name:<34} {r['requests']:>7.0f} req in {r['seconds']:5.1f} s  "
            f"{r['rps']:>7.0f} req/s  p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:6.2f} ms  "
            f"max {r['max_ms']:6.1f} ms  errors {r['errors']:.0f}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.sqlite"
        direct = in_process(db)  # also builds the store the servers will share
        print(f"in-process query (Registry.members + to_plain): p50 {direct['p50_ms']:.3f} ms,"
              f" p99 {direct['p99_ms']:.3f} ms")
        print(f"load: {CONNECTIONS} keep-alive connections, at most {MAX_REQUESTS} requests "
              f"or {MAX_SECONDS:.0f} s per run, {WARMUP} warm-up requests first")
        with Server(db, refresh="0") as server:
            base = run_load(server.port)
        print(_line("baseline (registry re-checked)", base))
        with Server(db, refresh="1") as server:
            cached = run_load(server.port)
        print(_line("scomodel serve (default)", cached))
        print(f"throughput ratio vs baseline: {cached['rps'] / base['rps']:.2f}x; "
              f"p50 over the in-process query: {cached['p50_ms'] / direct['p50_ms']:.0f}x")
        ok = cached["rps"] >= 1000 and cached["p99_ms"] < 50 and cached["errors"] == 0
        print("goal (>= 1,000 req/s, p99 < 50 ms, no errors):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
