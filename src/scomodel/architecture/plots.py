"""Figures: the overlap heatmap, the tiered network, and the evolution lines.

matplotlib with the Agg backend, fixed sizes and seeds, so the same data gives the same
PNG in the report and in the docs.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from scomodel.architecture.evolution import Evolution  # noqa: E402

__all__ = ["plot_overlap", "plot_network", "plot_evolution", "TIER_COLOURS"]

TIER_COLOURS = {"bilateral": "#d62728", "minilateral": "#ff7f0e", "regional": "#1f77b4",
                "global": "#2ca02c"}
_POWER_COLOURS = {"CHN": "#d62728", "RUS": "#1f77b4", "USA": "#2ca02c"}


def _square(pairs: pd.DataFrame, orgs: list[str], value: str, count: str | None
            ) -> tuple[np.ndarray, np.ndarray]:
    n, pos = len(orgs), {o: i for i, o in enumerate(orgs)}
    values, counts = np.full((n, n), np.nan), np.zeros((n, n), dtype=int)
    for row in pairs.to_dict(orient="records"):
        i, j = pos[row["a"]], pos[row["b"]]
        values[i, j] = values[j, i] = row[value]
        if count is not None:
            counts[i, j] = counts[j, i] = row[count]
        else:
            counts[i, j] = counts[j, i] = len(row["shared_fields"])
    return values, counts


def _heat(ax: plt.Axes, values: np.ndarray, counts: np.ndarray, orgs: list[str],
          cmap: str, label: str) -> None:
    n = len(orgs)
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=0, vmax=1)
    ax.set_xticks(range(n), orgs, rotation=45, ha="right", fontsize=10)
    ax.set_yticks(range(n), orgs, fontsize=10)
    for i in range(n):
        for j in range(n):
            if i != j and not math.isnan(values[i, j]):
                colour = "white" if values[i, j] > 0.55 else "black"
                ax.text(j, i, f"{values[i, j]:.2f}\n({counts[i, j]})", ha="center",
                        va="center", fontsize=8, color=colour)
    plt.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label=label)


def plot_overlap(pairs: pd.DataFrame, path: str | Path, *, title: str) -> Path:
    """Two heatmaps: membership Jaccard (shared members) and field Jaccard (shared fields)."""
    if pairs.empty:
        return _empty(path, title, "no two organizations have members here on this date")
    orgs = sorted(set(pairs["a"]) | set(pairs["b"]))
    side = 0.6 + 0.75 * max(len(orgs), 3)
    fig, (left, right) = plt.subplots(1, 2, figsize=(2 * side + 1.5, side + 0.6))
    values, counts = _square(pairs, orgs, "jaccard", "n_shared")
    _heat(left, values, counts, orgs, "Blues", "membership Jaccard")
    left.set_title("Members: Jaccard (shared members)", fontsize=10)
    values, counts = _square(pairs, orgs, "fields_jaccard", None)
    _heat(right, values, counts, orgs, "Oranges", "fields Jaccard")
    right.set_title("Fields of cooperation: Jaccard (shared fields)", fontsize=10)
    fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    return _save(fig, path)


def _layout(graph: nx.MultiGraph) -> dict[str, tuple[float, float]]:
    """Organizations on an inner ring, states on an outer ring (stable, alphabetical)."""
    orgs = sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "organization")
    states = sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "state")
    pos: dict[str, tuple[float, float]] = {}
    for ring, nodes, radius in ((0, orgs, 0.45), (1, states, 1.0)):
        for k, node in enumerate(nodes):
            angle = 2 * math.pi * k / max(len(nodes), 1) + ring * 0.3
            pos[node] = (radius * math.cos(angle), radius * math.sin(angle))
    return pos


def plot_network(graph: nx.MultiGraph, path: str | Path, *, title: str) -> Path:
    """Organizations (squares), states (circles), ties coloured by tier."""
    if graph.number_of_nodes() == 0:
        return _empty(path, title, "no tie is in force here on this date")
    pos = _layout(graph)
    fig, ax = plt.subplots(figsize=(10, 10))
    _draw_edges(ax, graph, pos)
    orgs = [n for n, d in graph.nodes(data=True) if d["kind"] == "organization"]
    states = [n for n, d in graph.nodes(data=True) if d["kind"] == "state"]
    outside = [n for n in states if not graph.nodes[n]["in_region"]]
    nx.draw_networkx_nodes(graph, pos, nodelist=orgs, node_shape="s", node_size=2300,
                           node_color="#fdf6e3", edgecolors="#444", ax=ax)
    nx.draw_networkx_nodes(graph, pos, nodelist=[s for s in states if s not in outside],
                           node_size=900, node_color="#e8f1fa", edgecolors="#444", ax=ax)
    nx.draw_networkx_nodes(graph, pos, nodelist=outside, node_size=900,
                           node_color="#eeeeee", edgecolors="#999", ax=ax)
    nx.draw_networkx_labels(graph, pos, font_size=8.5, ax=ax)
    handles = [Line2D([0], [0], color=c, lw=2.5, label=f"{t} tie")
               for t, c in TIER_COLOURS.items()]
    handles += [Line2D([0], [0], color="#666", lw=1, label="membership"),
                Line2D([0], [0], color="#666", lw=1, ls="--",
                       label="observer / partner / associate / suspended"),
                Line2D([0], [0], color="#666", lw=2.6,
                       label="arrangements or agreements (arc; thicker: several)")]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.08), ncol=3,
              fontsize=9, frameon=False)
    ax.set_title(title + "\nsquares: organizations, circles: states (grey: outside the region)",
                 fontsize=11)
    ax.set_xlim(-1.2, 1.2)
    ax.set_ylim(-1.2, 1.2)
    ax.axis("off")
    fig.tight_layout()
    return _save(fig, path)


_DRAW_ORDER = {"global": 0, "regional": 1, "minilateral": 2, "bilateral": 3}


def _draw_edges(ax: plt.Axes, graph: nx.MultiGraph, pos: dict[str, tuple[float, float]]
                ) -> None:
    """Memberships as straight lines; arrangements as arcs, one arc per pair of states and
    tier (thicker when several arrangements link the pair), bilateral ties drawn last so
    that the many minilateral arcs do not hide them."""
    arcs: dict[tuple[str, str, str], int] = {}
    for a, b, d in graph.edges(data=True):
        if d["kind"] == "membership":
            _arc(ax, pos, a, b, TIER_COLOURS[d["tier"]], 1.0, 0.0,
                 "solid" if d.get("status") == "member" else "dashed")
        else:
            key = (*sorted((a, b)), d["tier"])
            arcs[key] = arcs.get(key, 0) + 1  # type: ignore[index]
    for (a, b, tier), count in sorted(arcs.items(), key=lambda kv: _DRAW_ORDER[kv[0][2]]):
        rad = 0.2 if tier == "bilateral" else 0.32
        width = (2.6 if tier == "bilateral" else 1.6) + 0.9 * (count - 1)
        _arc(ax, pos, a, b, TIER_COLOURS[tier], width, rad, "solid")


def _arc(ax: plt.Axes, pos: dict[str, tuple[float, float]], a: str, b: str, colour: str,
         width: float, rad: float, style: str) -> None:
    ax.annotate("", xy=pos[b], xytext=pos[a], arrowprops={
        "arrowstyle": "-", "color": colour, "lw": width, "alpha": 0.8, "linestyle": style,
        "connectionstyle": f"arc3,rad={rad}", "shrinkA": 8, "shrinkB": 8})


def _key_pairs(pairs: pd.DataFrame, limit: int = 8) -> list[tuple[str, str]]:
    """The pairs worth a line: those with the seeds' mechanisms first, then the most varied."""
    if pairs.empty:
        return []
    stats = pairs.groupby(["a", "b"])["jaccard"].agg(["max", "std"]).fillna(0)
    stats = stats[stats["max"] > 0]
    focus = {"SCO", "CSTO", "PFP", "SHANGHAI5"}  # zhao2004 §3 (4): the overlapping mechanisms
    stats["focus"] = [len({a, b} & focus) for a, b in stats.index]
    stats = stats.sort_values(["focus", "std", "max"], ascending=False)
    return list(stats.index[:limit])


def plot_evolution(result: Evolution, path: str | Path, *, title: str) -> Path:
    """Top: membership Jaccard of key pairs. Bottom: the powers' ties into the region."""
    if result.pairs.empty:
        return _empty(path, title, "no two organizations have members here in these years")
    has_actors = not result.actors.empty and result.actors["actor"].nunique() <= 12
    rows = 3 if has_actors else 2
    fig, axes = plt.subplots(rows, 1, figsize=(14, 12 if has_actors else 9), sharex=True,
                             gridspec_kw={"height_ratios": [3, 2, 2][:rows]})
    top, bottom = axes[0], axes[1]
    pairs = result.pairs.copy()
    pairs["date"] = pd.to_datetime(pairs["date"])
    for k, (a, b) in enumerate(_key_pairs(pairs)):
        series = pairs[(pairs["a"] == a) & (pairs["b"] == b)]
        shift = 0.012 * (k - 3.5)  # equal values of different pairs stay visible
        top.step(series["date"], series["jaccard"] + shift, where="post", lw=1.8,
                 label=f"{a}-{b}")
    top.set_ylabel("membership Jaccard")
    top.set_ylim(-0.02, 1.05)
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False,
               title="pair of organizations\n(lines offset slightly)", title_fontsize=9)
    powers = result.powers.copy()
    powers["date"] = pd.to_datetime(powers["date"])
    for k, (power, frame) in enumerate(powers.groupby("power")):
        colour = _POWER_COLOURS.get(str(power))
        shift = 0.07 * (k - 1)  # keeps equal lines of different powers visible
        bottom.step(frame["date"], frame["states_via_orgs"] + shift, where="post", color=colour,
                    lw=1.8, label=f"{power}: shares an organization")
        bottom.step(frame["date"], frame["states_via_bilateral"] + shift, where="post",
                    color=colour, lw=1.8, ls="--", label=f"{power}: bilateral arrangement")
    bottom.set_ylabel("number of the region's states\ntied to each power")
    bottom.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False,
                  title="lines offset slightly", title_fontsize=8)
    if has_actors:
        _plot_actors(axes[2], result.actors)
    _mark_turning_points(top, list(axes[1:]), result.turning_points, pairs["date"])
    top.set_title(title, fontsize=12)
    fig.tight_layout()
    return _save(fig, path)


def _plot_actors(ax: plt.Axes, actors: pd.DataFrame) -> None:
    frame = actors.copy()
    frame["date"] = pd.to_datetime(frame["date"])
    for k, (actor, rows) in enumerate(frame.groupby("actor")):
        ax.step(rows["date"], rows["degree"] + 0.06 * (k - 2), where="post", lw=1.6,
                label=str(actor))
    ax.set_ylabel("ties of each state\n(memberships + arrangement partners)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False,
              title="lines offset slightly", title_fontsize=8)


def _mark_turning_points(top: plt.Axes, others: list[plt.Axes], points: pd.DataFrame,
                         dates: pd.Series) -> None:
    if points.empty or dates.empty:
        return
    lo, hi = dates.min(), dates.max()
    for row in points.itertuples(index=False):
        when = pd.Timestamp(str(row.date))
        if not lo <= when <= hi:
            continue
        for ax in (top, *others):
            ax.axvline(when, color="#888", lw=0.8, ls=":")
        top.text(when, 0.01, " " + str(row.label), fontsize=8, rotation=90, va="bottom",
                 ha="right", color="#444")


def _empty(path: str | Path, title: str, message: str) -> Path:
    """A figure that says there is nothing to draw, rather than an empty or broken one."""
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12)
    ax.set_title(title, fontsize=11)
    ax.axis("off")
    return _save(fig, path)


def _save(fig: plt.Figure, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
