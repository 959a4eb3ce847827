"""Reliability under load (issue 11): the as-of endpoint while writes and an import land.

A real ``scomodel serve`` (the hardened uvicorn settings) on 127.0.0.1 with the package's
data on a temporary SQLite store, driven by an asyncio load generator (raw HTTP/1.1
keep-alive, 64 connections, bounded by time and by request count):

1. as-of queries alone for 30 s: p99 and errors;
2. the same while a what-if write (``POST /api/spells``) lands every second: max read
   latency and each write's latency;
3. the same while ``scomodel import cow-igo`` runs in another process on the same store
   (and the server then rebuilds its registry with COW in the background);
4. 50 requests with distinct unknown ``?registry=`` names: the server's RSS before and
   after, and the p99 of the as-of queries running beside them.

Baseline in the same run: phase 1 is the baseline of phases 2 and 3 (ratios printed).
Goals: p99 < 50 ms with 0 errors; max < 250 ms and each write < 250 ms under writes and
the import; memory growth < 50 MB. The machine's load (``uptime``) is printed before and
after: on a shared machine the figures say more about the neighbours than the server.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np

from benchmarks.bench_api import _connection, _free_port, _queries

CONNECTIONS = 64
SECONDS = 30.0
MAX_REQUESTS = 200_000
IMPORT_CAP_SECONDS = 150.0
TOKEN = "bench-reliability-token"
COW = Path(__file__).resolve().parents[2] / "shared" / "data" / "cow_igo_v3"
SCOMODEL = [sys.executable, "-c", "from scomodel.cli import main; main()"]


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=5
                              ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "uptime unavailable"


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used: load-independent cost."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Server:
    def __init__(self, db: Path) -> None:
        self.port = _free_port()
        env = {**os.environ, "SCOMODEL_DB": str(db), "SCOMODEL_TOKEN": TOKEN,
               "SCOMODEL_API_REFRESH": "1", "SCOMODEL_API_COSTLY_PER_MINUTE": "6000"}
        env.pop("SCOMODEL_DATA", None)
        self.proc = subprocess.Popen([*SCOMODEL, "serve", "--port", str(self.port)], env=env,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
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


async def _load(port: int, seconds: float, until: threading.Event | None = None
                ) -> dict[str, float]:
    lat: list[int] = []
    errors: list[str] = []
    budget = [MAX_REQUESTS]
    paths = _queries(MAX_REQUESTS)
    start = time.perf_counter()
    stop = start + seconds
    chunks = [paths[k::CONNECTIONS] for k in range(CONNECTIONS)]
    tasks = [asyncio.create_task(_connection(port, c, stop, lat, errors, budget))
             for c in chunks]
    if until is not None:  # run past ``seconds`` while the event is unset, to the cap
        while not until.is_set() and time.perf_counter() < start + IMPORT_CAP_SECONDS:
            await asyncio.sleep(0.2)
            if all(t.done() for t in tasks):
                tasks = [asyncio.create_task(_connection(port, c, time.perf_counter() + 5,
                                                         lat, errors, budget))
                         for c in chunks]
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    ms = np.array(lat) / 1e6 if lat else np.array([0.0])
    return {"requests": len(lat), "seconds": elapsed, "rps": len(lat) / elapsed,
            "p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99)),
            "max_ms": float(ms.max()), "errors": len(errors)}


class Writer(threading.Thread):
    """One what-if spell a second (each a year of its own: no overlaps), timed."""

    def __init__(self, port: int, copy: str) -> None:
        super().__init__(daemon=True)
        self.port, self.copy = port, copy
        self.stop = threading.Event()
        self.times: list[float] = []
        self.failures: list[str] = []

    def run(self) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=60,
                          headers={"Authorization": f"Bearer {TOKEN}"}) as client:
            k = 0
            while not self.stop.is_set():
                year = 2100 + k
                spell = {"actor": "USA", "status": "observer", "start": f"{year}-01-01",
                         "end": f"{year}-06-01",
                         "sources": [{"source": "masuda2011", "judgement": True}]}
                t0 = time.perf_counter()
                r = client.post("/api/spells", json={"registry": self.copy, "org": "SCO",
                                                     "spell": spell})
                self.times.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 201:
                    self.failures.append(f"{r.status_code} {r.text[:80]}")
                k += 1
                self.stop.wait(max(0.0, 1.0 - (time.perf_counter() - t0)))


def _line(name: str, r: dict[str, float]) -> str:
    return (f"{name:<28} {r['requests']:>7.0f} req in {r['seconds']:5.1f} s  "
            f"{r['rps']:>6.0f} req/s  p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:7.2f} ms  "
            f"max {r['max_ms']:7.1f} ms  errors {r['errors']:.0f}")


def _writes(w: Writer) -> str:
    t = np.array(w.times) if w.times else np.array([0.0])
    return (f"  writes: {len(w.times)}, p50 {np.percentile(t, 50):.0f} ms, max {t.max():.0f} "
            f"ms, failed {len(w.failures)}" + (f" ({w.failures[0]})" if w.failures else ""))


def main() -> None:
    print(f"machine load before: {_uptime()}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.sqlite"
        env = {**os.environ, "SCOMODEL_DB": str(db)}
        env.pop("SCOMODEL_DATA", None)
        subprocess.run([*SCOMODEL, "members", "SCO", "--on", "2005"], env=env, check=True,
                       capture_output=True)  # builds the store
        with Server(db) as server:
            asyncio.run(_load(server.port, 3.0))  # warm-up
            print(f"load: {CONNECTIONS} keep-alive connections, {SECONDS:.0f} s per phase")
            cpu = _cpu_s(server.proc.pid)
            alone = asyncio.run(_load(server.port, SECONDS))
            print(_line("1. as-of alone", alone))
            per = (_cpu_s(server.proc.pid) - cpu) / max(alone["requests"], 1) * 1000
            print(f"  server CPU per request: {per:.2f} ms (one core would serve about "
                  f"{1000 / per:.0f} req/s; latency beyond that is waiting for a core)")

            writer = Writer(server.port, "bench")
            writer.start()
            cpu = _cpu_s(server.proc.pid)
            with_writes = asyncio.run(_load(server.port, SECONDS))
            writer.stop.set()
            per_w = (_cpu_s(server.proc.pid) - cpu) / max(with_writes["requests"], 1) * 1000
            writer.join(timeout=120)
            print(_line("2. + a write per second", with_writes))
            print(_writes(writer))
            print(f"  server CPU per request (writes included): {per_w:.2f} ms")

            done = threading.Event()
            importer = subprocess.Popen([*SCOMODEL, "import", "cow-igo", str(COW)], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            threading.Thread(target=lambda: (importer.wait(), done.set()), daemon=True).start()
            writer2 = Writer(server.port, "bench2")
            writer2.start()
            t0 = time.perf_counter()
            with_import = asyncio.run(_load(server.port, SECONDS, until=done))
            writer2.stop.set()
            writer2.join(timeout=120)
            import_s = time.perf_counter() - t0
            status = importer.poll()
            print(_line("3. + import cow-igo, writes", with_import))
            print(_writes(writer2))
            print(f"  import: exit {status} after {import_s:.0f} s of load"
                  + ("" if done.is_set() else " (still running at the cap: stopped)"))
            if importer.poll() is None:
                importer.kill()
                importer.wait()

            before = _rss_mb(server.proc.pid)

            async def unknown() -> list[int]:
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}",
                                             timeout=60) as c:
                    codes = []
                    for k in range(50):
                        r = await c.get(f"/api/members/SCO?on=2005&registry=ghost-{k}")
                        codes.append(r.status_code)
                    return codes

            async def both() -> tuple[dict[str, float], list[int]]:
                return await asyncio.gather(_load(server.port, 10.0), unknown())

            beside, codes = asyncio.run(both())
            after = _rss_mb(server.proc.pid)
            print(_line("4. beside 50 unknown names", beside))
            print(f"  unknown ?registry= names: answers {sorted(set(codes))}, server RSS "
                  f"{before:.0f} -> {after:.0f} MB (+{after - before:.1f} MB)")

    ok = {
        "p99 < 50 ms, 0 errors (alone)": alone["p99_ms"] < 50 and alone["errors"] == 0,
        "max < 250 ms under writes": with_writes["max_ms"] < 250,
        "each write < 250 ms": max(writer.times or [0]) < 250,
        "max < 250 ms under the import": with_import["max_ms"] < 250,
        "each write < 250 ms under the import": max(writer2.times or [0]) < 250,
        "memory growth < 50 MB": after - before < 50,
        "no errors": with_writes["errors"] == with_import["errors"] == beside["errors"] == 0,
    }
    print(f"p99 ratio to phase 1: writes {with_writes['p99_ms'] / alone['p99_ms']:.2f}x, "
          f"import {with_import['p99_ms'] / alone['p99_ms']:.2f}x, unknown names "
          f"{beside['p99_ms'] / alone['p99_ms']:.2f}x")
    for goal, met in ok.items():
        print(f"goal {goal}: {'met' if met else 'NOT met'}")
    print(f"machine load after: {_uptime()}")


if __name__ == "__main__":
    main()
