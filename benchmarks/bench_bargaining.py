"""Expected-utility model: vectorised NumPy against the pure-Python baseline, memory at
n = 200, and Monte Carlo throughput on 1 and 2 local processes and on Ray with 2 workers.

Both implementations run the same equations (scholz_code reading, 8 rounds) on the same
random actors in the same process, and the script checks they give the same positions.
The pure-Python run at n = 200 is O(n^3) per round and takes minutes, so by default it runs
one round and is scaled by 8 (set BENCH_FULL=1 to run all 8).
"""

from __future__ import annotations

import os
import time
import tracemalloc

import numpy as np

from scomodel.bargaining.eum import run_eum
from scomodel.bargaining.eum_options import EUMOptions
from scomodel.bargaining.eum_reference import run_eum_reference
from scomodel.bargaining.montecarlo import MCInput, monte_carlo


def _actors(
    n: int, seed: int = 0, distinct: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random actors on a 0-100 scale: integer positions (ties, as in coded scenarios) or
    all-distinct real positions (as in Monte Carlo draws)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 100, n) if distinct else rng.integers(0, 101, n).astype(float)
    return rng.random(n), x, rng.integers(10, 101, n) * 1.0


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bench_eum() -> None:
    full = os.environ.get("BENCH_FULL") == "1"
    print("one full run (8 rounds), scholz_code reading, best of repeats")
    print(f"{'n':>5} {'numpy s':>10} {'python s':>10} {'ratio':>8}  note")
    for n, distinct in ((10, False), (50, False), (50, True), (200, False), (200, True)):
        c, x, s = _actors(n, distinct=distinct)
        opts = EUMOptions(rounds=8)
        t_np = _best(lambda c=c, x=x, s=s, o=opts: run_eum(c, x, s, options=o), 5 if n < 200 else 3)
        py_rounds = 8 if (n < 200 or full) else 1
        py_opts = EUMOptions(rounds=py_rounds)
        hist: list[list[float]] = []

        def py(c=c, x=x, s=s, o=py_opts, hist=hist) -> None:
            hist[:] = run_eum_reference(c.tolist(), x.tolist(), s.tolist(), o)[2]

        t_py = _best(py, 3 if n <= 50 else 1) * (8 / py_rounds)
        ref = run_eum(c, x, s, options=py_opts).positions()
        same = np.allclose(ref, np.array(hist), atol=1e-9)
        note = ("distinct positions, " if distinct else "integer positions, ") + (
            "identical" if same else "DIFFERENT"
        )
        if py_rounds != 8:
            note += f", python ran {py_rounds} round x 8"
        print(f"{n:>5} {t_np:>10.4f} {t_py:>10.3f} {t_py / t_np:>7.0f}x  {note}", flush=True)


def bench_memory() -> None:
    c, x, s = _actors(200)
    run_eum(c, x, s, options=EUMOptions(rounds=1))
    tracemalloc.start()
    run_eum(c, x, s, options=EUMOptions(rounds=8))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n2 = 200 * 200 * 8
    print(
        f"peak memory of one 8-round run at n = 200: {peak / 2**20:.1f} MiB "
        f"({peak / n2:.0f} n x n float64 matrices)"
    )


def bench_mc() -> None:
    c, x, s = _actors(10, seed=1)
    inp = MCInput(
        model="eum",
        capability=c,
        position=x,
        salience=s,
        scale=(0.0, 100.0),
        status_quo=0.0,
        veto_index=tuple(range(5)),
        needed=5,
        sd_position=5.0,
        sd_salience=10.0,
        sd_capability=0.2,
    )
    runs = 2000
    print(f"Monte Carlo, n = 10 actors, 8 rounds per run, {runs} runs, seed 0")
    base = None
    for label, backend, workers in (
        ("1 local process", "serial", 1),
        ("2 local processes", "local", 2),
        ("Ray, 2 workers", "ray", 2),
    ):
        if backend == "ray":
            try:
                import ray
            except ImportError:
                print(f"{label:>20}: ray not installed")
                continue
            t = time.perf_counter()
            ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
            print(f"{'(ray.init)':>20}: {time.perf_counter() - t:.1f} s, not counted")
        t = time.perf_counter()
        res = monte_carlo(inp, runs, seed=0, backend=backend, workers=workers, chunk=100)
        dt = time.perf_counter() - t
        if backend == "ray":
            ray.shutdown()
        base = base if base is not None else res.outcomes
        same = "identical" if np.array_equal(base, res.outcomes) else "DIFFERENT"
        print(f"{label:>20}: {runs / dt:8.0f} runs/s ({dt:.2f} s, {same} outcomes)", flush=True)


def main() -> None:
    bench_eum()
    bench_memory()
    # Monte Carlo throughput (batched, processes, Ray, a cluster): bench_montecarlo.py;
    # bench_mc() is the old one-at-a-time measurement, kept for reference


if __name__ == "__main__":
    main()
