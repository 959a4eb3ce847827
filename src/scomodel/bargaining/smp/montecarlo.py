"""Monte Carlo over the SMP: how robust is the forecast to chance and to coding error?

Each run draws its own generator from one ``SeedSequence`` (so a seed fixes every run,
whatever the backend or order), uses KTAB's stochastic transitions (each actor draws its
bargain by its PCE probability) and, if ``noise`` > 0, perturbs positions by a normal
error of that many scale points (clipped to the scale). Runs go to local processes by
default, or to Ray with ``backend="ray"``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from scomodel.bargaining.smp.model import run_smp
from scomodel.bargaining.smp.options import SMPOptions, StateTransitions
from scomodel.bargaining.smp.scenario import SMPScenario
from scomodel.errors import InputError

__all__ = ["MonteCarloResult", "run_monte_carlo", "BACKENDS", "one_run"]

#: "local" (the expected-utility model's name) and "process" both mean local processes
BACKENDS = ("local", "process", "serial", "ray")


@dataclass(frozen=True)
class MonteCarloResult:
    """Final positions of every run, and the forecast (most probable position) per run."""

    scenario: SMPScenario
    seed: int
    final_positions: np.ndarray  # (runs, n, d) on the scenario's scale
    forecasts: np.ndarray  # (runs, d): the position with the highest final probability
    turns: np.ndarray  # (runs,)

    def summary(self) -> dict[str, object]:
        """Mean, spread and 5-95 % band of the forecast and of each actor's end position."""
        dims = list(self.scenario.dimensions)

        def stats(x: np.ndarray) -> dict[str, float]:
            return {
                "mean": float(np.mean(x)),
                "sd": float(np.std(x, ddof=1)) if len(x) > 1 else 0.0,
                "p05": float(np.quantile(x, 0.05)),
                "p95": float(np.quantile(x, 0.95)),
            }

        return {
            "runs": int(len(self.turns)),
            "seed": self.seed,
            "turns": stats(self.turns.astype(float)),
            "forecast": {d: stats(self.forecasts[:, k]) for k, d in enumerate(dims)},
            "actors": {
                a: {d: stats(self.final_positions[:, i, k]) for k, d in enumerate(dims)}
                for i, a in enumerate(self.scenario.actors)
            },
        }


def _perturbed(scenario: SMPScenario, rng: np.random.Generator, noise: float) -> SMPScenario:
    if noise <= 0:
        return scenario
    lo, hi = scenario.scale
    pos = np.clip(scenario.position + rng.normal(0.0, noise, scenario.position.shape), lo, hi)
    return replace(scenario, position=pos)


def one_run(
    scenario: SMPScenario, options: SMPOptions, seed: np.random.SeedSequence, noise: float
) -> tuple[np.ndarray, np.ndarray, int]:
    """One stochastic run: (final positions, forecast, turns), positions on the scale."""
    rng = np.random.default_rng(seed)
    sc = _perturbed(scenario, rng, noise)
    res = run_smp(sc, options, seed=int(rng.integers(2**63)))
    final = res.scaled_positions()[-1]
    forecast = final[int(np.argmax(res.probabilities[-1]))]
    return final, forecast, res.n_turns


def _run_chunk(
    scenario: SMPScenario,
    options: SMPOptions,
    seeds: list[np.random.SeedSequence],
    noise: float,
) -> list[tuple[np.ndarray, np.ndarray, int]]:
    return [one_run(scenario, options, s, noise) for s in seeds]


def run_monte_carlo(
    scenario: SMPScenario,
    options: SMPOptions | None = None,
    *,
    runs: int = 100,
    seed: int = 0,
    noise: float = 0.0,
    stochastic: bool = True,
    backend: str = "local",
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> MonteCarloResult:
    """``runs`` SMP runs; the same seed gives the same result on any backend.

    With ``stochastic=False`` the runs keep deterministic transitions, so only the
    position noise varies between them (``noise`` must then be above 0 to vary anything).
    """
    from scomodel.limits import check_monte_carlo

    runs, seed, workers = check_monte_carlo(runs, seed, workers)
    if backend not in BACKENDS:
        raise InputError(
            f"unknown backend {backend!r}; expected one of {BACKENDS}", field="backend"
        )
    if noise < 0:
        raise InputError(f"noise must be at least 0, got {noise}", field="noise")
    mode = StateTransitions.STOCHASTIC if stochastic else StateTransitions.DETERMINISTIC
    opts = replace(options or SMPOptions(), transitions=mode)
    seeds = np.random.SeedSequence(seed).spawn(runs)
    n_workers = workers or min(os.cpu_count() or 1, runs)
    size = max(1, min(25, -(-runs // (4 * n_workers))))
    chunks = [seeds[i : i + size] for i in range(0, runs, size)]
    results: list[tuple[np.ndarray, np.ndarray, int]] = []

    def collect(parts: Iterable[list[tuple[np.ndarray, np.ndarray, int]]]) -> None:
        for part in parts:
            results.extend(part)
            if progress is not None:
                progress(len(part))

    if backend == "serial" or n_workers == 1:
        collect(_run_chunk(scenario, opts, c, noise) for c in chunks)
    elif backend in ("local", "process"):
        with ProcessPoolExecutor(max_workers=n_workers) as pool:
            futures = [pool.submit(_run_chunk, scenario, opts, c, noise) for c in chunks]
            collect(f.result() for f in futures)
    else:
        collect(_ray_chunks(scenario, opts, chunks, noise, n_workers))
    return MonteCarloResult(
        scenario=scenario,
        seed=seed,
        final_positions=np.stack([r[0] for r in results]),
        forecasts=np.stack([r[1] for r in results]),
        turns=np.array([r[2] for r in results]),
    )


def _ray_chunks(
    scenario: SMPScenario,
    options: SMPOptions,
    chunks: list[list[np.random.SeedSequence]],
    noise: float,
    n_workers: int,
) -> Iterable[list[tuple[np.ndarray, np.ndarray, int]]]:
    """Run chunks as Ray tasks, in submission order (so results match other backends)."""
    try:
        import ray
    except ImportError:  # pragma: no cover - ray is an optional extra
        raise InputError(
            "backend 'ray' needs the [ray] extra: pip install 'scomodel[ray]'", field="backend"
        ) from None
    started = False
    if not ray.is_initialized():
        ray.init(num_cpus=n_workers, include_dashboard=False, log_to_driver=False)
        started = True
    try:
        task = ray.remote(_run_chunk)
        sc_ref = ray.put(scenario)
        refs = [task.remote(sc_ref, options, c, noise) for c in chunks]
        for ref in refs:
            yield ray.get(ref)
    finally:
        if started:
            ray.shutdown()
