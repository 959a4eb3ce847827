"""The figure of authority over time: delegation and pooling of several organizations.

Two panels (delegation above, pooling below), one step line per organization from the
rules in force on each 31 December (:func:`scomodel.charter.authority.authority`); a year
with no rulebook in force is a gap, never a zero. Where the MIA dataset has the
organization, its published scores are drawn as faint dots, so the figure shows where our
reading of the rules and MIA's part (the reasons are in ``compare mia``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from scomodel.charter.authority import AuthorityYear, authority

__all__ = ["plot_authority", "COLOURS"]

#: One colour per organization, the same in every figure.
COLOURS = {"SCO": "#1f77b4", "CSTO": "#d62728", "EAEU": "#2ca02c", "CIS": "#9467bd",
           "OSCE": "#ff7f0e"}


def _values(years: list[AuthorityYear], measure: str) -> list[float]:
    out = []
    for y in years:
        v = getattr(y, measure)
        out.append(math.nan if v is None else float(v))
    return out


def _mia(org: str) -> dict[int, dict[str, float]]:
    from scomodel.charter.mia import MIA_NAMES, mia_path, mia_rows

    if org not in MIA_NAMES or not mia_path().exists():
        return {}
    return mia_rows(org)


def plot_authority(orgs: Sequence[str], start: int, end: int, path: str | Path,
                   *, with_mia: bool = True) -> dict[str, list[AuthorityYear]]:
    """Draw the figure to ``path`` (PNG) and return the scores it shows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scores = {org.upper(): authority(org, start, end) for org in orgs}
    fig, axes = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    for ax, measure in zip(axes, ("delegation", "pooling"), strict=True):
        for org, years in scores.items():
            colour = COLOURS.get(org, "#555555")
            # the first organization drawn widest and lowest, so equal scores stay visible
            first = org == next(iter(scores))
            ax.step([y.year for y in years], _values(years, measure), where="post",
                    color=colour, linewidth=4.5 if first else 2, zorder=2 if first else 3,
                    label=org)
            published = _mia(org) if with_mia else {}
            pts = [(yr, v[measure]) for yr, v in sorted(published.items()) if start <= yr <= end]
            if pts:
                ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=10, color=colour,
                           alpha=0.35, zorder=1)
        ax.set_ylabel(measure)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[0].legend(ncol=len(scores), loc="upper left", frameon=False)
    axes[0].set_title(f"Authority from the rules in force, {start}-{end} (MIA scheme; "
                      "dots: MIA-Authority v2 where it codes the organization)", fontsize=10)
    axes[1].set_xlabel("year (rules in force on 31 December)")
    axes[1].set_xlim(start, end + 1)
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return scores
