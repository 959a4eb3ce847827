"""Monte Carlo sensitivity: perturb the codings within their stated uncertainty, rerun.

Each run draws its own generator from ``SeedSequence(seed).spawn(runs)[k]``, so run k gives
the same numbers whether it runs alone, in a pool of local processes or on Ray, and the
same seed always gives the same distribution. Runs are grouped into chunks (one task
each) to keep process overhead small.

A chunk is computed in one vectorised pass (:mod:`.eum_batch`, :mod:`.veto_batch`: runs
as a leading array axis) instead of one model run after another; ``batched=False`` keeps
the one-at-a-time path, which gives the same numbers bit for bit (tested) and is the
baseline of ``benchmarks/bench_bargaining.py``. A task is shipped as the seed and its
run numbers, never as a list of generators: child k of ``SeedSequence(seed)`` is
``SeedSequence(seed, spawn_key=(k,))``, rebuilt where it runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from scomodel.bargaining import seeding
from scomodel.bargaining.eum import run_eum
from scomodel.bargaining.eum_options import EUMOptions
from scomodel.bargaining.veto import win_set
from scomodel.errors import InputError

#: Runs per vectorised pass, as elements of one (runs, n, n) array: a pass holds about
#: fifteen such temporaries, and at 2**13 (64 KiB each) they stay in a core's L2 cache.
#: Measured at n = 10 (``benchmarks/bench_montecarlo.py``, one process): 10-11k runs/s
#: at 2**13, 8k at 2**14 and at the earlier 2**17, 6.8k at 2**11 (Python overhead).
BATCH_ELEMENTS = 2**13

__all__ = ["MCInput", "MCResult", "monte_carlo", "perturb", "QUANTILES"]

Backend = Literal["local", "ray", "serial"]
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class MCInput:
    """Everything a run needs, picklable: one issue's numbers, uncertainty and the rule."""

    model: str  # "eum" or "veto"
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray  # 0-100
    scale: tuple[float, float]
    status_quo: float | None
    veto_index: tuple[int, ...]  # actors whose ideal points bound the win-set
    needed: int  # how many of them must prefer a change
    sd_position: float
    sd_salience: float
    sd_capability: float
    options: EUMOptions = EUMOptions()


@dataclass(frozen=True)
class MCResult:
    runs: int
    seed: int
    outcomes: np.ndarray  # the forecast (eum) or win-set size (veto) of each run
    consensus: np.ndarray  # bool: forecast in the win-set (eum) / win-set not empty (veto)
    backend: str
    workers: int

    def to_dict(self) -> dict[str, Any]:
        q = np.quantile(self.outcomes, QUANTILES)
        return {
            "runs": self.runs,
            "seed": self.seed,
            "backend": self.backend,
            "workers": self.workers,
            "quantiles": {
                f"p{int(p * 100):02d}": float(v) for p, v in zip(QUANTILES, q, strict=True)
            },
            "mean": float(self.outcomes.mean()),
            "std": float(self.outcomes.std()),
            "p_consensus": float(self.consensus.mean()),
        }


def perturb(inp: MCInput, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One draw: normal noise on positions (clipped to the scale) and salience (clipped to
    0-100), log-normal noise on capability."""
    n = len(inp.position)
    lo, hi = inp.scale
    x = np.clip(inp.position + rng.normal(0.0, inp.sd_position, n), lo, hi)
    s = np.clip(inp.salience + rng.normal(0.0, inp.sd_salience, n), 0.0, 100.0)
    c = inp.capability * np.exp(rng.normal(0.0, inp.sd_capability, n))
    return c, x, s


def _draws(inp: MCInput, seed: int, lo: int, hi: int) -> tuple[np.ndarray, ...]:
    """The draws of runs lo..hi-1 as ``(runs, n)`` arrays, each exactly :func:`perturb`'s.

    One ``standard_normal(3n)`` per run consumes the generator as perturb's three
    ``normal`` calls do, and ``0.0 + sd * z`` is what ``normal(0.0, sd)`` computes.
    The generators' states come from :func:`.seeding.pcg64_states` for the whole chunk
    (the same integers as ``SeedSequence(seed, spawn_key=(k,))``, a third of the cost).
    """
    n, runs = len(inp.position), hi - lo
    z = np.empty((runs, 3, n))
    if seeding.supported(seed, hi):  # the same states, seeded for the chunk at once
        bg = np.random.PCG64(0)
        gen = np.random.Generator(bg)
        for r, (state, inc) in enumerate(seeding.pcg64_states(seed, lo, hi)):
            bg.state = {"bit_generator": "PCG64", "state": {"state": state, "inc": inc},
                        "has_uint32": 0, "uinteger": 0}
            z[r] = gen.standard_normal(3 * n).reshape(3, n)
    else:
        for r in range(runs):
            # default_rng(seq) is Generator(PCG64(seq)), without its argument checks
            rng = np.random.Generator(np.random.PCG64(
                np.random.SeedSequence(seed, spawn_key=(lo + r,))))
            z[r] = rng.standard_normal(3 * n).reshape(3, n)
    lo_s, hi_s = inp.scale
    x = np.clip(inp.position + (0.0 + inp.sd_position * z[:, 0]), lo_s, hi_s)
    s = np.clip(inp.salience + (0.0 + inp.sd_salience * z[:, 1]), 0.0, 100.0)
    c = inp.capability * np.exp(0.0 + inp.sd_capability * z[:, 2])
    return c, x, s


def _batch(inp: MCInput, seed: int, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """Outcomes and consensus of runs lo..hi-1 in vectorised passes."""
    from scomodel.bargaining.eum_batch import forecasts
    from scomodel.bargaining.veto_batch import win_sets

    step = max(1, BATCH_ELEMENTS // len(inp.position) ** 2)
    outcomes, consensus = np.empty(hi - lo), np.zeros(hi - lo, dtype=bool)
    lo_s, hi_s = inp.scale
    veto = list(inp.veto_index)
    for start in range(lo, hi, step):
        stop = min(hi, start + step)
        c, x, s = _draws(inp, seed, start, stop)
        part = slice(start - lo, stop - lo)
        if inp.model == "veto":
            if inp.status_quo is None:
                raise InputError("the veto model needs a status quo")
            ws = win_sets(x[:, veto], inp.status_quo, inp.needed, lo_s, hi_s)
            outcomes[part] = ws.size
            consensus[part] = outcomes[part] > 0
            continue
        outcomes[part] = forecasts(c, x, s, inp.options.with_(salience_scale=100.0))
        if inp.status_quo is not None and veto:
            ws = win_sets(x[:, veto], inp.status_quo, inp.needed, lo_s, hi_s)
            consensus[part] = ws.contains(outcomes[part])
    return outcomes, consensus


def _one(inp: MCInput, seq: np.random.SeedSequence) -> tuple[float, bool]:
    rng = np.random.default_rng(seq)
    c, x, s = perturb(inp, rng)
    lo, hi = inp.scale
    vx = x[list(inp.veto_index)]
    if inp.model == "veto":
        if inp.status_quo is None:
            raise InputError("the veto model needs a status quo")
        ws = win_set(vx, inp.status_quo, inp.needed, lo, hi)
        size = sum(b - a for a, b in ws)
        return float(size), size > 0
    if x.max() == x.min():
        forecast = float(x[0])
    else:
        res = run_eum(c, x, s, options=inp.options.with_(salience_scale=100.0))
        forecast = res.forecast
    if inp.status_quo is None or not inp.veto_index:
        return forecast, False
    ok = any(a < forecast < b for a, b in win_set(vx, inp.status_quo, inp.needed, lo, hi))
    return forecast, ok


def _chunk(inp: MCInput, seed: int, lo: int, hi: int, batched: bool = True
           ) -> tuple[np.ndarray, np.ndarray]:
    """Runs lo..hi-1: one task of any backend."""
    if batched:
        return _batch(inp, seed, lo, hi)
    out = [_one(inp, np.random.SeedSequence(seed, spawn_key=(k,))) for k in range(lo, hi)]
    return np.array([o[0] for o in out]), np.array([o[1] for o in out], dtype=bool)


def _chunks(n: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(n, i + size)) for i in range(0, n, size)]


def monte_carlo(
    inp: MCInput,
    runs: int,
    seed: int = 0,
    backend: Backend | str = "local",
    workers: int | None = None,
    chunk: int | None = None,
    progress: bool = False,
    on_chunk: Callable[[int], None] | None = None,
    batched: bool = True,
    address: str | None = None,
) -> MCResult:
    """``runs`` perturbed runs; identical results for a seed whatever the backend.

    ``address`` (Ray only; default ``RAY_ADDRESS``) joins a running cluster (``HOST:PORT``
    or ``auto``) instead of starting a local instance; ``batched=False`` runs the models
    one at a time.
    """
    from scomodel.limits import check_monte_carlo

    runs, seed, workers = check_monte_carlo(runs, seed, workers)
    if backend not in ("local", "ray", "serial"):
        raise InputError(f"unknown backend {backend!r}: expected local or ray", field="backend")
    workers = workers or min(2, os.cpu_count() or 1)
    # batched: a few large tasks per worker (each is one vectorised pass or a few), so
    # that shipping and scheduling stay small next to the work; else chunks of <= 50 runs
    per_task = -(-runs // (4 * workers)) if batched else min(50, runs // (4 * workers) or 1)
    size = chunk or max(1, per_task)
    parts = _chunks(runs, size)
    outcomes = np.empty(runs)
    consensus = np.empty(runs, dtype=bool)

    bar, task = _progress(progress, runs)
    try:

        def done(lo: int, hi: int, res: tuple[np.ndarray, np.ndarray]) -> None:
            outcomes[lo:hi], consensus[lo:hi] = res
            if bar is not None:
                bar.advance(task, hi - lo)
            if on_chunk is not None:
                on_chunk(hi - lo)

        if backend == "serial" or (backend == "local" and workers == 1):
            for lo, hi in parts:
                done(lo, hi, _chunk(inp, seed, lo, hi, batched))
        elif backend == "local":
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futs = {pool.submit(_chunk, inp, seed, lo, hi, batched): (lo, hi)
                        for lo, hi in parts}
                for fut in as_completed(futs):
                    lo, hi = futs[fut]
                    done(lo, hi, fut.result())
        else:
            _run_ray(inp, seed, parts, workers, done, batched, address)
    finally:
        if bar is not None:
            bar.stop()
    return MCResult(runs, seed, outcomes, consensus, backend, workers if backend != "serial" else 1)


def _progress(enabled: bool, total: int) -> tuple[Any, Any]:
    if not enabled:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "Monte Carlo", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True
    )
    task = bar.add_task("runs", total=total)
    bar.start()
    return bar, task


def _run_ray(
    inp: MCInput,
    seed: int,
    parts: list[tuple[int, int]],
    workers: int,
    done: Callable[[int, int, tuple[np.ndarray, np.ndarray]], None],
    batched: bool = True,
    address: str | None = None,
) -> None:
    """Tasks of (seed, first run, last run) on Ray; the scenario goes once to the store."""
    try:
        import ray
    except ImportError:  # pragma: no cover
        raise InputError(
            "the ray backend needs the [ray] extra (pip install 'scomodel[ray]')", field="backend"
        ) from None
    started = False
    address = address or os.environ.get("RAY_ADDRESS") or None
    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False,
                     ignore_reinit_error=True)
        started = True
    try:
        remote = ray.remote(_chunk)
        ref_inp = ray.put(inp)
        refs = {remote.remote(ref_inp, seed, lo, hi, batched): (lo, hi) for lo, hi in parts}
        pending = list(refs)
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            for r in ready:
                lo, hi = refs[r]
                done(lo, hi, ray.get(r))
    finally:
        if started:
            ray.shutdown()
