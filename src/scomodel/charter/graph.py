"""The status state machine as a graph and a figure.

Nodes are statuses, edges are transition rules labelled with the body that decides;
dashed edges rest on unverified rules. Drawn with fixed positions so that figures for
different dates can be compared side by side.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from scomodel.charter.engine import RuleSet

__all__ = ["state_graph", "draw_state_machine", "POSITIONS"]

POSITIONS: dict[str, tuple[float, float]] = {
    "none": (0.0, 2.0),
    "guest": (-1.3, 3.9),
    "observer": (2.6, 3.4),
    "dialogue_partner": (2.6, 0.6),
    "partner": (5.6, 4.9),
    "applicant": (5.0, 1.8),
    "member": (7.4, 2.0),
    "suspended": (9.6, 3.2),
    "expelled": (11.6, 3.2),
    "withdrawn": (9.6, 0.6),
}
#: Bends chosen by hand so that labels do not collide.
_RAD = {
    ("dialogue_partner", "partner"): 0.0,
    ("none", "partner"): -0.4,
    ("none", "guest"): -0.3,
    ("guest", "none"): -0.3,
    ("observer", "none"): 0.08,
    ("partner", "applicant"): 0.1,
    ("observer", "partner"): -0.12,
}
_COLOURS = {
    "CHARTER2002": "#1f4e79",
    "GUESTS2002": "#7f7f7f",
    "OBSERVERS2004": "#2e7d32",
    "DIALOGUE2008": "#b26a00",
    "ADMISSION2010": "#8e24aa",
    "MEMORANDUM2014": "#8e24aa",
    "PARTNERS2025": "#c62828",
}


def _side(ox: float, dx: float) -> str:
    """Labels of near-vertical edges sit beside the arc, not across it."""
    if abs(dx) < 1.5 and abs(ox) > 0.05:
        return "right" if ox < 0 else "left"
    return "center"


def state_graph(ruleset: RuleSet) -> nx.MultiDiGraph:
    """Statuses and the transitions in force, each edge carrying its rule and body."""
    g: nx.MultiDiGraph = nx.MultiDiGraph(org=ruleset.org, on=ruleset.day.isoformat())
    g.add_nodes_from(POSITIONS)
    for book, t in ruleset.transitions():
        g.add_edge(
            t.source_state,
            t.target_state,
            key=t.id,
            rule=t.id,
            rulebook=book.id,
            document=book.document,
            decided_by=t.decided_by,
            trigger=t.trigger,
            verification=t.verification,
        )
    return g


def draw_state_machine(g: nx.MultiDiGraph, path: str | Path, title: str | None = None) -> Path:
    """Write the figure (PNG) and return its path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=(15, 7.2), dpi=120)
    used = {n for e in g.edges for n in e[:2]}
    for node, (x, y) in POSITIONS.items():
        active = node in used
        ax.text(
            x,
            y,
            node.replace("_", "\n"),
            ha="center",
            va="center",
            fontsize=11,
            color="black" if active else "#9e9e9e",
            bbox={
                "boxstyle": "round,pad=0.5",
                "fc": "#eef3f8" if active else "white",
                "ec": "#1f4e79" if active else "#cfcfcf",
                "lw": 1.4,
            },
            zorder=3,
        )
    seen: dict[tuple[str, str], int] = {}
    for u, v, data in g.edges(data=True):
        k = seen.get((u, v), 0) + (1 if (v, u) in seen else 0)
        seen[(u, v)] = k + 1
        rad = _RAD.get((u, v), 0.18) + 0.22 * k
        colour = _COLOURS.get(data["rulebook"], "#444444")
        dashed = data["verification"] == "unverified"
        (x1, y1), (x2, y2) = POSITIONS[u], POSITIONS[v]
        ax.annotate(
            "",
            xy=(x2, y2),
            xytext=(x1, y1),
            arrowprops={
                "arrowstyle": "-|>",
                "color": colour,
                "lw": 1.6,
                "ls": "--" if dashed else "-",
                "shrinkA": 30,
                "shrinkB": 30,
                "connectionstyle": f"arc3,rad={rad}",
                "mutation_scale": 16,
            },
            zorder=2,
        )
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        dx, dy = x2 - x1, y2 - y1
        ox, oy = dy * rad * 0.5, -dx * rad * 0.5  # where arc3 passes: half its control offset
        who = data["decided_by"] or "?"
        mark = " ~" if data["verification"] == "secondary" else ""
        ax.text(
            mx + ox,
            my + oy,
            f"{who}{mark}\n{data['rule']}",
            fontsize=8.5,
            ha=_side(ox, dx),
            va="center",
            color=colour,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
            zorder=4,
        )
    books = sorted({d["rulebook"] for _, _, d in g.edges(data=True)}, key=list(_COLOURS).index)
    handles = [Line2D([0], [0], color=_COLOURS.get(b, "#444"), lw=2, label=b) for b in books]
    handles.append(Line2D([0], [0], color="#444", lw=2, ls="--", label="unverified rule"))
    handles.append(Line2D([0], [0], color="white", lw=0, label="~ secondary source only"))
    ax.legend(handles=handles, loc="lower left", fontsize=9, frameon=False, ncol=2)
    ax.set_xlim(-2.3, 12.6)
    ax.set_ylim(-0.4, 5.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(
        title or f"{g.graph.get('org')} status machine on {g.graph.get('on')}", fontsize=13
    )
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
