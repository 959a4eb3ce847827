"""Benchmark: a 30-year sweep of membership overlap, interval arrays vs per-date queries.

Baseline (the naive way): for every month from 1996 to 2025, ask the registry for each
organization's members (``Registry.members(org, on=day, status="member")``) and compute
every pair's Jaccard index in Python. Fast path: ``Architecture`` builds NumPy interval
arrays once and the whole sweep is one broadcast and one matrix product
(``scomodel.architecture.evolution``). Both run in this process on the same data; the
script checks they agree and prints the ratio. Run: ``python -m benchmarks.bench_architecture``
(or ``python benchmarks/bench_architecture.py``).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

REGION = "central-asia"
LABEL = {"month": "monthly", "day": "daily"}


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _naive(reg: Any, orgs: tuple[str, ...], dates: list[Any], inside: set[str]
           ) -> dict[tuple[str, str, str], float]:
    out: dict[tuple[str, str, str], float] = {}
    for day in dates:
        on = day.isoformat()
        sets = {o: {r.actor for r in reg.members(o, on=on, status="member")} & inside
                for o in orgs}
        for a, b in itertools.combinations(orgs, 2):
            if sets[a] and sets[b]:
                out[(on, a, b)] = round(len(sets[a] & sets[b]) / len(sets[a] | sets[b]), 4)
    return out


def main() -> None:
    from scomodel.architecture.evolution import evolution, sweep_dates
    from scomodel.architecture.model import Architecture
    from scomodel.registry import Registry

    t0 = time.perf_counter()
    arch = Architecture.load()
    build = time.perf_counter() - t0
    reg = Registry.open()
    inside = set(arch.data.regions[REGION].members)

    print(f"architecture: {len(arch.orgs)} organizations, {len(arch.spells)} spells, "
          f"region {REGION}; build arrays (incl. registry open) {build:.3f} s")
    for step in ("month", "day"):
        dates = sweep_dates(1996, 2025, step)
        reps = 5 if step == "month" else 2  # best of several runs: the machine is shared
        base_s, expected = _best(lambda d=dates: _naive(reg, arch.orgs, d, inside), reps)
        fast_s, pairs = _best(lambda d=dates: _pairs_only(arch, d), 2 * reps + 1)
        full_s, _ = _best(lambda s=step: evolution(arch, 1996, 2025, region=REGION, step=s),
                          2 * reps + 1)
        got = {(d.isoformat(), a, b): float(j) for d, a, b, j in
               zip(pairs["date"], pairs["a"], pairs["b"], pairs["jaccard"], strict=True)}
        print(f"  {LABEL[step]} sweep 1996-2025 ({len(dates)} dates, "
              f"{len(dates) * len(arch.orgs)} registry queries in the baseline)")
        print(f"    baseline, per-date registry queries + Python sets: {base_s:8.3f} s")
        print(f"    interval arrays, same pairwise Jaccard:            {fast_s:8.3f} s "
              f"-> ratio {base_s / fast_s:6.1f}x, identical results: {got == expected}")
        print(f"    interval arrays, full evolution (all series):      {full_s:8.3f} s "
              f"-> ratio {base_s / full_s:6.1f}x")


def _pairs_only(arch: Any, dates: list[Any]) -> Any:
    from scomodel.architecture.evolution import _pairs_table

    return _pairs_table(arch, dates, arch.member_cube(arch.days(dates), REGION))


if __name__ == "__main__":
    main()
