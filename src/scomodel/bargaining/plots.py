"""Figures for ``scomodel bargain --plot``: trajectories, win-sets and Monte Carlo spreads."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

__all__ = ["plot_eum", "plot_veto"]


def _scale_labels(ax: Any, scale: tuple[float, float], low: str | None, high: str | None) -> None:
    lo, hi = scale
    if low == f"{lo:g}" and high == f"{hi:g}":
        ax.set_ylabel("position")
    elif low or high:
        ax.set_ylabel(
            f"{lo:g} = {low}\n{hi:g} = {high}" if low and high else "position", fontsize=8
        )


def plot_eum(
    result: dict[str, Any],
    path: str | Path,
    *,
    title: str,
    scale: tuple[float, float],
    low: str | None = None,
    high: str | None = None,
    status_quo: float | None = None,
    outcome: float | None = None,
    distribution: np.ndarray | None = None,
) -> Path:
    """Positions of every actor per round, with the weighted median and mean."""
    rounds = result["rounds"]
    t = [r["round"] for r in rounds]
    actors = list(rounds[0]["positions"])
    ncols = 2 if distribution is not None else 1
    fig, axes = plt.subplots(
        1,
        ncols,
        figsize=(9.5 if ncols == 2 else 7.5, 4.8),
        gridspec_kw={"width_ratios": [3, 1]} if ncols == 2 else None,
        squeeze=False,
    )
    ax = axes[0][0]
    cmap = plt.get_cmap("tab10" if len(actors) <= 10 else "tab20")
    ends: dict[float, list[tuple[str, Any]]] = {}
    lo, hi = scale
    for k, a in enumerate(actors):
        y = [r["positions"][a] for r in rounds]
        color = cmap(k % cmap.N)
        ax.plot(t, y, marker="o", ms=3, lw=1.2, color=color, alpha=0.8)
        near = next((e for e in ends if abs(e - y[-1]) < 0.02 * (hi - lo)), None)
        ends.setdefault(y[-1] if near is None else near, []).append((a, color))
    for v, group in ends.items():
        ax.annotate(
            "/".join(a for a, _ in group),
            (t[-1], v),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=7,
            va="center",
            color=group[0][1] if len(group) == 1 else "dimgray",
        )
    ax.plot(
        t, [r["median"] for r in rounds], color="black", lw=2.6, label="forecast (weighted median)"
    )
    ax.plot(t, [r["mean"] for r in rounds], color="black", lw=1.4, ls="--", label="weighted mean")
    if status_quo is not None:
        ax.axhline(status_quo, color="grey", lw=1, ls=":", label=f"status quo ({status_quo:g})")
    if outcome is not None:
        ax.axhline(outcome, color="crimson", lw=1.4, ls="-.", label=f"what happened ({outcome:g})")
    pad = 0.04 * (hi - lo)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlim(min(t), max(t) + max(1, len(t)) * 0.2)
    ax.set_xticks(t)
    ax.set_xlabel("round")
    _scale_labels(ax, scale, low, high)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=4, frameon=False)
    ax.grid(alpha=0.3)
    if distribution is not None:
        ax2 = axes[0][1]
        ax2.hist(distribution, bins=25, range=(lo, hi), orientation="horizontal", color="steelblue")
        ax2.set_ylim(lo - pad, hi + pad)
        ax2.set_title(f"forecast, {len(distribution)} runs", fontsize=9)
        ax2.set_xlabel("runs")
        ax2.tick_params(labelleft=False)
        ax2.grid(alpha=0.3)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=130, bbox_inches="tight")
    plt.close(fig)
    return out


def plot_veto(
    analyses: Sequence[dict[str, Any]],
    labels: Sequence[str],
    path: str | Path,
    *,
    title: str,
    scale: tuple[float, float],
    low: str | None = None,
    high: str | None = None,
    outcome: float | None = None,
) -> Path:
    """One row per membership list: ideal points, status quo, win-set and core."""
    lo, hi = scale
    fig, ax = plt.subplots(figsize=(8.5, 1.6 + 1.0 * len(analyses)))
    for row, res in enumerate(analyses):
        y = len(analyses) - 1 - row
        c0, c1 = res["core"]
        ax.add_patch(
            plt.Rectangle(
                (c0, y - 0.28),
                max(c1 - c0, 0.002 * (hi - lo)),
                0.56,
                color="lightgrey",
                zorder=1,
                label="core" if row == 0 else None,
            )
        )
        for a, b in res["win_set"]:
            ax.add_patch(
                plt.Rectangle(
                    (a, y - 0.18),
                    b - a,
                    0.36,
                    color="mediumseagreen",
                    alpha=0.8,
                    zorder=2,
                    label="win-set of the status quo" if row == 0 else None,
                )
            )
        ideal = res["ideal_points"]
        ax.scatter(list(ideal.values()), [y] * len(ideal), color="navy", zorder=3, s=18)
        groups: dict[float, list[str]] = {}
        for name, v in sorted(ideal.items(), key=lambda kv: kv[1]):
            near = next((g for g in groups if abs(g - v) < 0.03 * (hi - lo)), None)
            groups.setdefault(v if near is None else near, []).append(name)
        for k, (v, names) in enumerate(sorted(groups.items())):
            ax.annotate(
                "/".join(names),
                (v, y),
                xytext=(0, 7 + 9 * (k % 2)),
                textcoords="offset points",
                fontsize=7,
                ha="center",
            )
        q = res["status_quo"]
        ax.scatter(
            [q],
            [y],
            marker="|",
            s=500,
            color="black",
            zorder=4,
            label="status quo" if row == 0 else None,
        )
        size = res["win_set_size"]
        ax.annotate(
            f"win-set {size:.0f}, gridlock {res['gridlock_index']:.2f}",
            (hi, y - 0.42),
            fontsize=7,
            ha="right",
            color="dimgray",
        )
    if outcome is not None:
        ax.axvline(outcome, color="crimson", ls="-.", lw=1.2, label=f"what happened ({outcome:g})")
    ax.set_yticks(range(len(analyses)))
    ax.set_yticklabels(list(reversed(labels)), fontsize=8)
    ax.set_ylim(-0.7, len(analyses) - 0.1 + 0.35)
    pad = 0.03 * (hi - lo)
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_xlabel(
        f"{lo:g} = {low}    |    {hi:g} = {high}" if low and high else "position", fontsize=8
    )
    ax.set_title(title, fontsize=10)
    ax.legend(
        fontsize=7,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.3 / len(analyses)),
        ncol=4,
        frameon=False,
    )
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=130, bbox_inches="tight")
    plt.close(fig)
    return out
