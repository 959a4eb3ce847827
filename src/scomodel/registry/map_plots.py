"""Status maps as static images: one organization, a grid of several, or an animation.

Drawn with matplotlib from :mod:`scomodel.registry.maps` (the cells the explorer's map
shows), in the status colours of :data:`~scomodel.registry.plots.STATUS_COLOURS`; a
procedure beside a standing status (an acceding observer) is hatched over its fill.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from scomodel.errors import InputError  # noqa: E402
from scomodel.registry.maps import (  # noqa: E402
    NO_STATUS,
    NOT_COVERED,
    MapCell,
    change_days,
    map_cells,
    projected,
    shapes,
    svg_shapes,
)
from scomodel.registry.plots import STATUS_COLOURS  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from scomodel.registry.core import Registry

__all__ = ["draw_map", "draw_grid", "animate_map", "status_colour"]

OTHER = "#777777"
HATCH = "////"


def status_colour(status: str | None) -> str:
    """The fill of a standing status; the explorer uses the same table (``/api/statuses``)."""
    return NO_STATUS if status is None else STATUS_COLOURS.get(status, OTHER)


def _fill(cell: MapCell | None) -> str:
    if cell is None:
        return NO_STATUS
    if not cell.covered:
        return NOT_COVERED
    return status_colour(cell.status)


class _MapAxes:
    """One map on one axes; :meth:`show` recolours it for another day's cells."""

    def __init__(self, ax: Axes) -> None:
        self.ax = ax
        self.codes = [s.iso3 for s in shapes()]
        self.polys: list[list[tuple[float, float]]] = []
        self.owner: list[int] = []
        for i, shape in enumerate(shapes()):
            for ring in projected(shape):
                self.polys.append(ring)
                self.owner.append(i)
        self.base = PolyCollection(self.polys, edgecolors="#8a8a8a", linewidths=0.25)
        ax.add_collection(self.base)
        self.hatched: PolyCollection | None = None
        ax.set_xlim(0, svg_shapes()["width"])
        ax.set_ylim(svg_shapes()["height"], 0)
        ax.set_aspect("equal")
        ax.axis("off")

    def show(self, cells: Sequence[MapCell]) -> None:
        by_code = {c.actor: c for c in cells}
        fills = [_fill(by_code.get(self.codes[i] or "")) for i in self.owner]
        self.base.set_facecolor(fills)
        if self.hatched is not None:
            self.hatched.remove()
        marked = [p for p, i in zip(self.polys, self.owner, strict=True)
                  if (c := by_code.get(self.codes[i] or "")) and c.procedures]
        self.hatched = PolyCollection(marked, facecolors="none", edgecolors="#1b1b1b",
                                      linewidths=0.3, hatch=HATCH)
        self.ax.add_collection(self.hatched)


def _legend(ax: Axes, cells: Sequence[MapCell]) -> None:
    used = sorted({c.status for c in cells if c.status and c.covered},
                  key=lambda s: (list(STATUS_COLOURS).index(s) if s in STATUS_COLOURS else 99))
    handles = [Patch(facecolor=status_colour(s), edgecolor="#8a8a8a",
                     label=s.replace("_", " ")) for s in used]
    procedures = sorted({p for c in cells for p in c.procedures})
    if procedures:
        handles.append(Patch(facecolor="white", edgecolor="#1b1b1b", hatch=HATCH,
                             label=" / ".join(procedures) + " (beside a status)"))
    handles.append(Patch(facecolor=NO_STATUS, edgecolor="#8a8a8a", label="no status"))
    if any(not c.covered for c in cells):
        handles.append(Patch(facecolor=NOT_COVERED, edgecolor="#8a8a8a",
                             label="not covered by the data"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=4,
              fontsize=7, frameon=False)


def _undrawn_note(cells: Sequence[MapCell]) -> str:
    small = [f"{c.actor} ({(c.status or '/'.join(c.procedures)).replace('_', ' ')})"
             for c in cells if not c.drawn]
    return ("Too small for the 1:110m shapes: " + ", ".join(small)) if small else ""


def _title(reg: Registry, org: str, on: str, cells: Sequence[MapCell]) -> str:
    code = reg.resolve_org(org)
    counts: dict[str, int] = {}
    for c in cells:
        if c.status and c.covered:
            counts[c.status] = counts.get(c.status, 0) + 1
    tally = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items())
    return f"{code} on {on}: {tally or 'nobody held a status'}"


def _today() -> str:
    return dt.date.today().isoformat()


def draw_map(reg: Registry, org: str, on: str, path: str | Path) -> Path:
    """One organization on one day (``on`` as the CLI reads it: YYYY, YYYY-MM, a day)."""
    cells = map_cells(reg, org, on)
    fig, ax = plt.subplots(figsize=(11, 5.6))
    _MapAxes(ax).show(cells)
    _legend(ax, cells)
    ax.set_title(_title(reg, org, on, cells), fontsize=11)
    note = _undrawn_note(cells)
    fig.text(0.01, 0.01, (note + "\n" if note else "") + svg_shapes()["source"], fontsize=7,
             color="#555555")
    return _save(fig, path)


def draw_grid(reg: Registry, orgs: Sequence[str], on: str, path: str | Path) -> Path:
    """Small multiples: several organizations on the same day, two maps a row."""
    if not orgs:
        raise InputError("name at least one organization", field="orgs")
    rows = (len(orgs) + 1) // 2
    fig, axes = plt.subplots(rows, 2 if len(orgs) > 1 else 1, figsize=(12, 3.4 * rows),
                             squeeze=False)
    for ax, org in zip(axes.flat, orgs, strict=False):
        cells = map_cells(reg, org, on)
        _MapAxes(ax).show(cells)
        _legend(ax, cells)
        ax.set_title(_title(reg, org, on, cells), fontsize=9)
    for ax in list(axes.flat)[len(orgs):]:
        ax.axis("off")
    fig.text(0.01, 0.005, svg_shapes()["source"], fontsize=7, color="#555555")
    return _save(fig, path)


def animate_map(reg: Registry, org: str, first: str, last: str, path: str | Path, *,
                fps: int = 2) -> tuple[Path, list[str]]:
    """An animated GIF with one frame per day the map changes on, from ``first`` to
    ``last`` (days); returns the file and the frame days."""
    from matplotlib.animation import FuncAnimation, PillowWriter

    from scomodel.dates import parse_date

    a = parse_date(first, field="from").first.isoformat()
    b = parse_date(last, field="to").last.isoformat()
    if a > b:
        raise InputError(f"--from {first} is after --to {last}", field="from")
    if str(path).lower().rsplit(".", 1)[-1] != "gif":
        raise InputError(f"an animation is written as GIF, not {path}", field="out")
    code = reg.resolve_org(org)
    days = change_days(reg.spells_of("auto", code), a, b)
    frames = [(day, map_cells(reg, code, day)) for day in days]
    fig, ax = plt.subplots(figsize=(9, 4.6))
    drawn = _MapAxes(ax)
    everyone = [c for _, cells in frames for c in cells]
    _legend(ax, everyone)

    def update(k: int) -> list[Any]:
        day, cells = frames[k]
        drawn.show(cells)
        ax.set_title(_title(reg, code, day, cells), fontsize=10)
        return [drawn.base]

    anim = FuncAnimation(fig, update, frames=len(frames), blit=False)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    anim.save(str(out), writer=PillowWriter(fps=fps), dpi=80)
    plt.close(fig)
    return out, days


def _save(fig: Any, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
