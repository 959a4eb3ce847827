"""Monte Carlo sensitivity: perturb the codings within their stated uncertainty, rerun.

Each run draws its own generator from ``SeedSequence(seed).spawn(runs)[k]``, so run k gives
the same numbers whether it runs alone, in a pool of local processes or on Ray, and the
same seed always gives the same distribution. Runs are grouped into chunks (one task
each) to keep process overhead small.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from scomodel.bargaining.eum import run_eum
from scomodel.bargaining.eum_options import EUMOptions
from scomodel.bargaining.veto import win_set
from scomodel.errors import InputError

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


def _chunk(inp: MCInput, seqs: Sequence[np.random.SeedSequence]) -> tuple[np.ndarray, np.ndarray]:
    out = [_one(inp, s) for s in seqs]
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
) -> MCResult:
    """``runs`` perturbed runs; identical results for a seed whatever the backend."""
    if runs < 1:
        raise InputError(f"runs must be at least 1, got {runs}", field="runs")
    if backend not in ("local", "ray", "serial"):
        raise InputError(f"unknown backend {backend!r}: expected local or ray", field="backend")
    workers = workers or min(2, os.cpu_count() or 1)
    seqs = np.random.SeedSequence(seed).spawn(runs)
    size = chunk or max(1, min(50, runs // (4 * workers) or 1))
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
                done(lo, hi, _chunk(inp, seqs[lo:hi]))
        elif backend == "local":
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futs = {pool.submit(_chunk, inp, seqs[lo:hi]): (lo, hi) for lo, hi in parts}
                for fut in as_completed(futs):
                    lo, hi = futs[fut]
                    done(lo, hi, fut.result())
        else:
            _run_ray(inp, seqs, parts, workers, done)
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
    seqs: list[np.random.SeedSequence],
    parts: list[tuple[int, int]],
    workers: int,
    done: Callable[[int, int, tuple[np.ndarray, np.ndarray]], None],
) -> None:
    try:
        import ray
    except ImportError:  # pragma: no cover
        raise InputError(
            "the ray backend needs the [ray] extra (pip install 'scomodel[ray]')", field="backend"
        ) from None
    started = False
    if not ray.is_initialized():
        ray.init(
            num_cpus=workers, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True
        )
        started = True
    try:
        remote = ray.remote(_chunk)
        ref_inp = ray.put(inp)
        refs = {remote.remote(ref_inp, seqs[lo:hi]): (lo, hi) for lo, hi in parts}
        pending = list(refs)
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            for r in ready:
                lo, hi = refs[r]
                done(lo, hi, ray.get(r))
    finally:
        if started:
            ray.shutdown()
