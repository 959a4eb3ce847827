"""Figures of an SMP run: positions turn by turn, one panel per dimension.

A second view for two-dimensional scenarios draws each actor's path in the plane, which
shows bargains pulling actors together across both issues at once.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from scomodel.bargaining.smp.model import SMPResult  # noqa: E402
from scomodel.bargaining.smp.montecarlo import MonteCarloResult  # noqa: E402

__all__ = ["plot_turns", "plot_paths", "plot_monte_carlo", "save_figure"]

_MAX_LABELLED = 16


def _colors(n: int) -> list[tuple[float, float, float, float]]:
    cmap = plt.get_cmap("tab20" if n > 10 else "tab10")
    return [cmap(i % cmap.N) for i in range(n)]


def plot_turns(result: SMPResult, *, title: str | None = None) -> Figure:
    """Each actor's position per turn, one panel per dimension, shared legend."""
    sc = result.scenario
    pos = result.scaled_positions()
    turns = np.arange(len(pos))
    n_dim = sc.n_dims
    fig, axes = plt.subplots(n_dim, 1, figsize=(8.5, 2.6 * n_dim + 1.2), sharex=True, squeeze=False)
    colors = _colors(sc.n_actors)
    label = sc.n_actors <= _MAX_LABELLED
    for k, ax in enumerate(axes[:, 0]):
        for i, name in enumerate(sc.actors):
            ax.plot(
                turns,
                pos[:, i, k],
                marker="o" if label else None,
                ms=3,
                lw=1.4 if label else 0.6,
                color=colors[i],
                label=name if k == 0 else None,
            )
        ax.set_ylabel(sc.dimensions[k])
        ax.set_ylim(*sc.scale)
        ax.grid(alpha=0.3)
    axes[-1, 0].set_xlabel("turn (0 = initial positions)")
    axes[-1, 0].set_xticks(turns if len(turns) <= 30 else turns[:: max(1, len(turns) // 15)])
    fig.suptitle(title or f"{sc.name}: positions turn by turn (SMP, {result.n_turns} turns)")
    if label:
        fig.legend(loc="center right", fontsize=8, frameon=False)
        fig.tight_layout(rect=(0, 0, 0.86, 0.97))
    else:
        fig.tight_layout(rect=(0, 0, 1, 0.97))
    return fig


def plot_paths(
    result: SMPResult, *, dims: tuple[int, int] = (0, 1), title: str | None = None
) -> Figure:
    """Actors' paths in the plane of two dimensions, start (circle) to end (square)."""
    sc = result.scenario
    pos = result.scaled_positions()
    a, b = dims
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    colors = _colors(sc.n_actors)
    starts: dict[tuple[float, float], list[int]] = {}
    for i in range(sc.n_actors):
        ax.plot(pos[:, i, a], pos[:, i, b], "-", color=colors[i], lw=1.2, alpha=0.8)
        ax.plot(pos[0, i, a], pos[0, i, b], "o", color=colors[i], ms=7)
        ax.plot(pos[-1, i, a], pos[-1, i, b], "s", color=colors[i], ms=7, mec="black")
        starts.setdefault((round(pos[0, i, a], 1), round(pos[0, i, b], 1)), []).append(i)
    for (x, y), group in starts.items():  # actors starting together share one label
        label = "/".join(sc.actors[i] for i in group)
        color = colors[group[0]] if len(group) == 1 else "black"
        ax.annotate(label, (x, y), xytext=(4, 4), textcoords="offset points", fontsize=9,
                    color=color)
    lo, hi = sc.scale
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel(sc.dimensions[a])
    ax.set_ylabel(sc.dimensions[b])
    ax.grid(alpha=0.3)
    ax.set_title(title or f"{sc.name}: paths from initial (o) to final (\u25a0) positions")
    fig.tight_layout()
    return fig


def plot_monte_carlo(mc: MonteCarloResult, *, title: str | None = None) -> Figure:
    """Histogram of the forecast position per dimension across Monte Carlo runs."""
    sc = mc.scenario
    fig, axes = plt.subplots(1, sc.n_dims, figsize=(4.5 * sc.n_dims, 3.6), squeeze=False)
    for k, ax in enumerate(axes[0]):
        ax.hist(mc.forecasts[:, k], bins=20, range=sc.scale, color="#4477aa", alpha=0.85)
        ax.axvline(float(np.mean(mc.forecasts[:, k])), color="black", lw=1, ls="--", label="mean")
        ax.set_xlabel(sc.dimensions[k])
        ax.set_ylabel("runs")
        ax.legend(fontsize=8, frameon=False)
    fig.suptitle(title or f"{sc.name}: forecast over {len(mc.turns)} runs (seed {mc.seed})")
    fig.tight_layout()
    return fig


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Save and close; the format follows the file suffix (png, svg, pdf)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
