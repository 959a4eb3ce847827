"""As-of queries on a store holding every COW IGO plus the curated data.

Baseline: a pandas scan of the same spells (boolean masks over the whole table), measured
in the same run. Reports p50/p99 latency of ``Registry.members`` and the speed-up.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from scomodel.registry import Registry
from scomodel.registry.cow import import_cow_igo

COW_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "cow_igo_v3"


def _pandas_members(frame: pd.DataFrame, org: str, day: pd.Timestamp) -> pd.DataFrame:
    mask = (frame["org"] == org) & (frame["start_day"] <= day) & (
        frame["end_day"].isna() | (frame["end_day"] > day))
    return frame[mask]


def _timed(fn, calls: list) -> list[float]:
    out = []
    for args in calls:
        start = time.perf_counter_ns()
        fn(*args)
        out.append((time.perf_counter_ns() - start) / 1e6)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        start = time.perf_counter()
        summary = import_cow_igo(COW_DIR, url)
        print(f"import cow-igo: {summary['organizations']} IGOs, {summary['spells']} spells "
              f"in {time.perf_counter() - start:.1f} s")
        reg = Registry.open(url, refresh=True)
        frame = reg.spells_frame()
        print(f"store: {len(frame)} spells in {frame['org'].nunique()} organizations")
        rng = np.random.default_rng(20011)
        orgs = frame["org"].unique()
        days = [dt.date(1950, 1, 1) + dt.timedelta(days=int(d))
                for d in rng.integers(0, 27_000, size=2000)]
        picks = rng.choice(orgs, size=2000)
        picks[::4] = "SCO"
        calls = [(str(o), d.isoformat()) for o, d in zip(picks, days, strict=True)]
        for org, day in calls[:50]:  # the same answers, before timing anything
            ours = sorted((r.actor, r.status) for r in reg.members(org, day))
            theirs = sorted(zip(*[_pandas_members(frame, org, pd.Timestamp(day))[c]
                                  for c in ("actor", "status")], strict=True))
            assert ours == theirs, (org, day)
        ours = _timed(lambda o, d: reg.members(o, d), calls)
        scan = _timed(lambda o, d: _pandas_members(frame, o, pd.Timestamp(d)), calls)
        p50, p50_scan = statistics.median(ours), statistics.median(scan)
        p99 = float(np.percentile(ours, 99))
        print(f"Registry.members as-of: p50 {p50 * 1000:.0f} us, p99 {p99 * 1000:.0f} us "
              f"({len(calls)} queries)")
        print(f"pandas scan baseline:   p50 {p50_scan * 1000:.0f} us")
        print(f"speed-up (p50): {p50_scan / p50:.0f}x  (goal: >= 50x, p50 < 2 ms)")
