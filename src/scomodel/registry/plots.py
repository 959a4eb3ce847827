"""Figures of spells: a Gantt chart of one actor's (or one organization's) statuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from scomodel.dates import PartialDate  # noqa: E402
from scomodel.registry.records import SpellRow  # noqa: E402

__all__ = ["STATUS_COLOURS", "plot_spells", "legend_labels", "COVERAGE_LABEL"]

#: What the marker at a spell's coverage-cut end means (a spell that COW, say, carries to
#: its last year ends there only because the data do: it is drawn fading out, never as an
#: exit).
COVERAGE_LABEL = "data end here (coverage), not an exit"
#: Procedure tracks (acceding, applicant...) are drawn as a thin bar under the standing
#: status they run beside, on the same line.
TRACK_HEIGHT, TRACK_OFFSET = 0.22, 0.2

STATUS_COLOURS = {
    "member": "#1f4e79",
    "associate": "#5b9bd5",
    "observer": "#ed7d31",
    "dialogue_partner": "#70ad47",
    "partner": "#a5a5a5",
    "guest": "#ffc000",
    "applicant": "#9e480e",
    "acceding": "#7030a0",
    "candidate": "#b4a7d6",
    "suspended": "#c00000",
    "frozen": "#7f6000",
}


def plot_spells(
    rows: Sequence[SpellRow],
    path: str | Path,
    *,
    title: str,
    by: str = "org",
    today: dt.date | None = None,
) -> Path:
    """Draw one bar per spell, one line per organization (``by="org"``) or actor.

    Open spells run to ``today``; year- and month-precision starts are hatched so the
    reader sees which dates are approximate. Procedure tracks run as thin bars beside
    (under) the standing status; a spell cut by the end of its data's coverage fades out
    after its last covered day and carries a marker, so it never reads as an exit.
    """
    from scomodel.errors import InputError

    if Path(path).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InputError(f"{path}: a figure is written as .png, .svg or .pdf", field="plot")
    if not Path(path).parent.is_dir():
        raise InputError(f"folder {Path(path).parent} does not exist", field="plot")
    today = today or dt.date.today()
    labels = sorted({getattr(r, by) for r in rows})
    fig, ax = plt.subplots(figsize=(10, 0.45 * max(len(labels), 3) + 1.4))
    for row in rows:
        start = PartialDate(row.start).first
        end = PartialDate(row.end).first if row.end else today
        y = labels.index(getattr(row, by))
        colour = STATUS_COLOURS.get(row.status, "#777777")
        if (end - start).days < 45:  # a summit guest: a bar would be invisible, draw a tick
            ax.plot(mdates.date2num(start), y, marker="|", markersize=11, mew=2.5,
                    color=colour, linestyle="none")
            continue
        track = row.kind == "procedure"
        ax.barh(
            y + (TRACK_OFFSET if track else 0),
            (end - start).days,
            left=mdates.date2num(start),
            height=TRACK_HEIGHT if track else 0.6,
            color=colour,
            hatch="//" if row.precision != "day" else None,
            edgecolor="white",
        )
        if row.end_reason == "coverage":
            _fade(ax, y, end, colour)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.YearLocator(base=_year_step(rows, today)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title)
    handles = _legend(rows)
    height = fig.get_size_inches()[1]
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 5), frameon=False)
    fig.tight_layout(rect=(0, min(0.45 / height, 0.2), 1, 1))  # about 0.45 in for the legend
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _fade(ax: Any, y: int, end: dt.date, colour: str) -> None:
    """A tail fading out after a coverage-cut end, and the marker saying why it stops."""
    step = dt.timedelta(days=150)
    for i, alpha in enumerate((0.45, 0.3, 0.18, 0.08)):
        ax.barh(y, step.days, left=mdates.date2num(end + i * step), height=0.6,
                color=colour, alpha=alpha, linewidth=0)
    ax.plot(mdates.date2num(end), y, marker=">", markersize=7, color="#404040",
            linestyle="none")


def _legend(rows: Sequence[SpellRow]) -> list[Any]:
    used = sorted({r.status for r in rows},
                  key=lambda s: list(STATUS_COLOURS).index(s) if s in STATUS_COLOURS else 99)
    handles: list[Any] = [
        Patch(color=STATUS_COLOURS.get(s, "#777777"),
              label=s.replace("_", " ") + (" (track)" if s in _TRACKS else ""))
        for s in used
    ]
    if any(r.precision != "day" for r in rows):
        handles.append(
            Patch(
                facecolor="white", edgecolor="grey", hatch="//", label="start known to month/year"
            )
        )
    if any(r.end_reason == "coverage" for r in rows):
        handles.append(Line2D([], [], marker=">", color="#404040", linestyle="none",
                              label=COVERAGE_LABEL))
    return handles


def legend_labels(rows: Sequence[SpellRow]) -> list[str]:
    """The legend's entries for ``rows`` (what a reader is told the marks mean)."""
    return [str(h.get_label()) for h in _legend(rows)]


#: Drawn as thin tracks beside a standing status (a guest's visit stays a tick).
_TRACKS = {"applicant", "acceding", "candidate", "suspended", "frozen"}


def _year_step(rows: Sequence[SpellRow], today: dt.date) -> int:
    if not rows:
        return 1
    first = min(PartialDate(r.start).first for r in rows)
    span = today.year - first.year
    return 1 if span <= 12 else 2 if span <= 30 else 5 if span <= 80 else 20
