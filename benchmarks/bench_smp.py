"""Benchmark: the SMP on KTAB's scaling files (40/80/160 actors) and SOE scenarios.

Baseline (measured in the same run): one turn computed the way KTAB's C++ does it, one
scalar at a time in nested loops (``SMPState::setAllAUtil``, ``probEduChlg`` for every
challenger, target and third party, ``scalarPCE`` per bargain queue), written here in
plain Python. The fast path is ``scomodel.bargaining.smp``: vectorised NumPy with n x n
(x chunk) arrays, and Numba's compiled loops for the O(n^3) steps where Numba is installed
(``bench_limits`` times both paths). The script checks that both give the same positions
after the turn, then prints the per-turn ratio, whole-run times against KTAB's own
``smpc`` timings, the scaling exponent with the number of actors, and peak memory per turn.

Run: ``python -m benchmarks smp`` (or ``python benchmarks/bench_smp.py``).
"""

from __future__ import annotations

import math
import os
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parents[1] / "tests" / "bargaining" / "smp" / "fixtures"
#: KTAB smpc timings on this kind of machine (../shared/data/ktab/README.md)
KTAB_SECONDS = {"dummyData-a080": 117.0, "SOE-Policy": 2.3, "SOE-Competitive": 9.0}


def _best(fn: Callable[[], Any], repeat: int,
          clock: Callable[[], float] = time.perf_counter) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = clock()
        out = fn()
        best = min(best, clock() - t0)
    return best, out


# ---------------------------------------------------------------- scalar baseline


def _util(d: float, r: float) -> float:
    return (1 - d) * (1 + d * r) if d <= 1 else (1 - d) * (1 + r)


def _cond_pce(w: list[float], u: list[list[float]], n_opt: int) -> list[float]:
    n_act = len(w)
    c = [[1e-8] * n_opt for _ in range(n_opt)]
    for i in range(n_opt):
        for j in range(i):
            cij = cji = 1e-8
            for k in range(n_act):
                v = w[k] * (u[k][i] - u[k][j])
                if v > 0:
                    cij += v
                if v < 0:
                    cji -= v
            c[i][j], c[j][i] = cij, cji
    p = []
    for i in range(n_opt):
        prod = 1.0
        for j in range(n_opt):
            prod *= 0.5 if i == j else c[i][j] / (c[i][j] + c[j][i])
        p.append(prod)
    total = sum(p)
    return [x / total for x in p]


def scalar_turn(pos: list[list[float]], sal: list[list[float]], cap: list[float]
                ) -> list[list[float]]:
    """One SMP turn with KTAB's defaults, element by element (positions on 0-1)."""
    n, dims = len(pos), len(pos[0])
    d = [[math.sqrt(sum((sal[i][k] * (pos[i][k] - pos[j][k])) ** 2 for k in range(dims))
                    / sum(s * s for s in sal[i])) for j in range(n)] for i in range(n)]
    p = _cond_pce(cap, [[1 - x for x in row] for row in d], n)
    lo, hi = min(p), max(p)
    r = [(3 * x - (hi + 2 * lo)) / (2 * (hi - lo)) for x in p]
    ssum = [sum(s) for s in sal]
    wsc = [ssum[i] * cap[i] for i in range(n)]
    bargains = []  # (init, rcvr, pos_init, pos_rcvr)
    for i in range(n):
        uh = [[_util(d[a][x], ((2.0 * r[i]) + r[a]) / 3.0) for x in range(n)] for a in range(n)]
        best = (-1, 0.0, -1.0)
        for j in range(n):
            if j == i:
                continue
            uii, uij, uji, ujj = uh[i][i], uh[i][j], uh[j][i], uh[j][j]
            ci, cj = wsc[i] * (uii - uij), wsc[j] * (uji - ujj)
            chij = 1e-10 + max(ci, 0.0) + max(cj, 0.0)
            chji = 1e-10 + max(-ci, 0.0) + max(-cj, 0.0)
            c0ij, c0ji = chij, chji
            for m in range(n):
                if m in (i, j):
                    continue
                uni, unj, unn = uh[m][i], uh[m][j], uh[m][m]
                cn = wsc[m] * (uni - unj)
                cni = c0ij + (cn if cn > 0 else 0.0)
                cnj = c0ji + (-cn if cn < 0 else 0.0)
                pin = cni / (cni + cnj)
                pjn = 1.0 - pin
                vk = wsc[m] * ((pin * (uni + uni + unn) + pjn * (unj + unj + unj))
                               - (pin * (uni + uni + uni) + pjn * (unj + unj + unn)))
                if vk > 0:
                    chij += vk
                if vk < 0:
                    chji -= vk
            phij, phji = chij / (chij + chji), chji / (chij + chji)
            sj = ssum[j]
            edu = ((1 - sj) * (uii + uii) + sj * (phij * (uii + uii) + phji * (uij + uij))
                   - (uii + uij))
            if edu > 1e-5 and edu > best[2]:
                best = (j, phij, edu)
        j, pij, _ = best
        if j < 0:
            continue
        bi, bj = [], []
        for k in range(dims):
            wi = sal[i][k] ** 2 * pij**2
            wj = sal[j][k] ** 2 * (1 - pij) ** 2
            den = wi + 1e-6 + wj
            bi.append(int(0.5 + ((wi + 1e-6) * pos[i][k] + wj * pos[j][k]) / den * 1e4) / 1e4)
            bj.append(int(0.5 + (wi * pos[i][k] + (1e-6 + wj) * pos[j][k]) / den * 1e4) / 1e4)
        bargains.append((i, j, bi, bj))
    own = [[_util(d[a][x], r[a]) for x in range(n)] for a in range(n)]
    new = [list(p_) for p_ in pos]
    for k in range(n):
        mine = [b for b in bargains if k in (b[0], b[1])]
        if not mine:
            continue
        u = []
        for a in range(n):
            row = [sum(own[a]) / n]
            for bi_, bj_, pi_, pj_ in mine:
                ua = sum(own[a][x] for x in range(n) if x not in (bi_, bj_))
                for q in (pi_, pj_):
                    dq = math.sqrt(sum((sal[a][t] * (pos[a][t] - q[t])) ** 2
                                       for t in range(dims)) / sum(s * s for s in sal[a]))
                    ua += _util(dq, r[a])
                row.append(ua / n)
            u.append(row)
        probs = _cond_pce(cap, u, len(mine) + 1)
        m = max(range(len(probs)), key=lambda x: probs[x])
        if m > 0:
            b = mine[m - 1]
            new[k] = list(b[2] if b[0] == k else b[3])
    return new


# ---------------------------------------------------------------- benchmark


def _load(name: str) -> Any:
    from scomodel.bargaining.smp import read_ktab_csv

    return read_ktab_csv(DATA / f"{name}.csv")


def _fast_turn(sc: Any) -> np.ndarray:
    from scomodel.bargaining.smp.model import SMPOptions, state_view, step

    pos, sal, cap = sc.unit_positions(), sc.unit_saliences(), sc.capability
    view = state_view(pos, sal, cap, SMPOptions())
    return step(pos, sal, cap, view, SMPOptions())[0]


def _peak_turn_mib(sc: Any) -> float:
    tracemalloc.start()
    _fast_turn(sc)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    from scomodel.bargaining.smp import jit, run_smp

    fast_name = "compiled" if jit.available() else "numpy"
    print(f"one turn, KTAB-style scalar loops (baseline) vs scomodel ({fast_name}: NumPy, "
          "with Numba's compiled loops where installed):")
    for name in ("dummyData-a040", "dummyData-a080"):
        sc = _load(name)
        args = (sc.unit_positions().tolist(), sc.unit_saliences().tolist(),
                sc.capability.tolist())
        base_s, base = _best(lambda a=args: scalar_turn(*a), repeat=1)
        fast_s, fast = _best(lambda s=sc: _fast_turn(s), repeat=5)
        same = np.abs(np.array(base) - fast).max() < 1e-9
        print(f"  {name}: {sc.n_actors} actors  scalar {base_s:7.3f} s  {fast_name} "
              f"{fast_s * 1000:7.1f} ms  ratio {base_s / fast_s:6.0f}x  same result: {same}")

    print("\nwhole runs (to KTAB's stopping rule):")
    sizes, per_turn = [], []
    for name in ("dummyData-a040", "dummyData-a080", "dummyData-a160",
                 "SOE-Policy", "SOE-Competitive", "SOE-Pol-Comp"):
        sc = _load(name)
        repeat = 3 if sc.n_actors < 100 else 1
        secs, res = _best(lambda s=sc: run_smp(s), repeat)
        cpu, _ = _best(lambda s=sc: run_smp(s), repeat, time.process_time)
        line = (f"  {name:16s} {sc.n_actors:3d} actors x {sc.n_dims} dim  "
                f"{res.n_turns:3d} turns  wall {secs:6.3f} s  cpu {cpu:6.3f} s  "
                f"({cpu / res.n_turns * 1000:6.1f} ms/turn)")
        if name in KTAB_SECONDS:
            ktab = KTAB_SECONDS[name]
            line += f"  KTAB smpc {ktab:.1f} s -> {ktab / secs:,.0f}x (wall)"
        print(line)
        if name.startswith("dummyData"):
            sizes.append(sc.n_actors)
            per_turn.append(cpu / res.n_turns)
    slope = np.polyfit(np.log(sizes), np.log(per_turn), 1)[0]
    print(f"  cpu time per turn grows as n^{slope:.2f} (40 -> 160 actors; the work is O(n^3))")

    print("\npeak memory of one turn (tracemalloc):")
    peaks = []
    for name in ("dummyData-a040", "dummyData-a080", "dummyData-a160"):
        sc = _load(name)
        peaks.append(_peak_turn_mib(sc))
        n3 = sc.n_actors**3 * 8 / 2**20
        print(f"  {sc.n_actors:3d} actors: {peaks[-1]:6.2f} MiB  (one n^3 array of floats would "
              f"be {n3:6.1f} MiB)")
    print("  temporaries are n x n x chunk with chunk <= max(1, 2^15 / n^2): bounded by a "
          "constant or O(n^2)")
    bench_limits()


def _random_scenario(n: int) -> Any:
    """KTAB's dummyData layout (1 dimension, influence 1-2, positions and saliences 0-100)
    with n actors; KTAB ships no file at its limit of 250 actors."""
    from scomodel.bargaining.smp.scenario import SMPScenario

    rng = np.random.default_rng(n)
    return SMPScenario(name=f"random-a{n:03d}", description="", dimensions=("XYZ",),
                       actors=tuple(f"Act-{1000 + i}" for i in range(n)),
                       capability=np.round(rng.uniform(1, 2, n), 2),
                       position=np.round(rng.uniform(0, 100, (n, 1)), 2),
                       salience=np.round(rng.uniform(10, 90, (n, 1)), 2))


def _path(compiled: bool) -> Any:
    """Run with the compiled loops (Numba) or the NumPy path, whatever the environment."""
    from unittest import mock

    return mock.patch.dict(os.environ, {"SCOMODEL_SMP_JIT": "1" if compiled else "0"})


def bench_limits() -> None:
    """Issue 18's SMP goals: whole runs of 40-250 actors (KTAB's maximum), the NumPy path
    as the baseline in the same run, and SOE-Competitive x ``BENCH_SMP_RUNS`` (default
    1000) perturbed Monte Carlo runs on two local processes (NumPy baseline: a tenth)."""
    from scomodel.bargaining.smp import jit, run_smp
    from scomodel.bargaining.smp.montecarlo import run_monte_carlo

    compiled = jit.available()
    print(f"\nat KTAB's limits (load average {os.getloadavg()[0]:.2f}); compiled loops "
          f"(Numba): {'yes' if compiled else 'no: pip install scomodel[fast]'}")
    if compiled:
        with _path(True):
            run_smp(_random_scenario(12))  # load (or compile) the cached kernels once
    for n in (40, 80, 160, 250):
        sc = _random_scenario(n)
        line = f"  {sc.name}: {n:3d} actors"
        for label, on in (("numpy", False), ("compiled", True)):
            if on and not compiled:
                continue
            with _path(on):
                t, c = time.perf_counter(), time.process_time()
                res = run_smp(sc)
                wall, cpu = time.perf_counter() - t, time.process_time() - c
            line += f", {label} {res.n_turns} turns wall {wall:6.2f} s (cpu {cpu:5.2f})"
            if not on:
                base = wall
        if compiled:
            line += f"  -> {base / wall:4.1f}x"
        print(line + ("  goal < 5 s" if n == 250 else ""), flush=True)
    print(f"  peak of one 250-actor turn: {_peak_turn_mib(_random_scenario(250)):.1f} MiB")
    runs = int(os.environ.get("BENCH_SMP_RUNS", "1000"))
    soe = _load("SOE-Competitive")
    rates = {}
    for label, on, k in (("numpy", False, max(1, runs // 10)), ("compiled", True, runs)):
        if on and not compiled:
            continue
        with _path(on):
            t = time.perf_counter()
            mc = run_monte_carlo(soe, runs=k, seed=0, noise=2.0, backend="local", workers=2)
            wall = time.perf_counter() - t
        rates[label] = k / wall
        print(f"  SOE-Competitive x {k} perturbed runs, 2 processes, {label}: {wall:.1f} s "
              f"({k / wall:.1f} runs/s, {mc.turns.mean():.1f} turns on average)"
              + (f"; {runs} runs take {runs / rates[label]:.1f} s, goal < 20 s" if on else ""),
              flush=True)
    if len(rates) == 2:
        print(f"  compiled / numpy runs per second: {rates['compiled'] / rates['numpy']:.1f}x")


if __name__ == "__main__":
    main()
