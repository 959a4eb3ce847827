"""The claims x time figure: one row per claim, one column per year, coloured by verdict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["plot_timeline", "COLOURS"]

#: verdict -> colour (colour-blind safe: blue, orange, vermilion, grey); white: not yet made
COLOURS = {"holds": "#0072B2", "partly": "#E69F00", "fails": "#D55E00",
           "undecided": "#BBBBBB", "not made": "#FFFFFF"}


def plot_timeline(data: dict[str, Any], path: str | Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    names = list(COLOURS)
    claims = data["claims"]
    years = [d[:4] for d in data["days"]]
    grid = [[names.index(v if m else "not made") for v, m in zip(c["verdicts"], c["made"],
                                                                 strict=True)]
            for c in claims]
    fig, ax = plt.subplots(figsize=(11, 0.28 * len(claims) + 1.6))
    ax.imshow(grid, aspect="auto", cmap=ListedColormap([COLOURS[n] for n in names]),
              vmin=0, vmax=len(names) - 1, interpolation="nearest")
    ax.set_yticks(range(len(claims)), [c["id"] for c in claims], fontsize=7)
    ax.set_xticks(range(len(years)), years, fontsize=7, rotation=90)
    ax.set_xticks([x - 0.5 for x in range(1, len(years))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(claims))], minor=True)
    ax.grid(which="minor", color="white", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("verdict as of 31 December of each year (the last column: as of today)")
    ax.set_title("The seeds' claims checked against the data, year by year", fontsize=10,
                 pad=22)
    ax.legend(handles=[Patch(facecolor=COLOURS[n], edgecolor="#888", label=n) for n in names],
              loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=5, fontsize=8,
              frameon=False)
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=130, bbox_inches="tight")
    plt.close(fig)
    return out
