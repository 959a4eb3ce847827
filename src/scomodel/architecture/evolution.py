"""How overlap and the great powers' ties into a region change over time.

zhao2004 (§4) describes a "fragile balance" of Russia, the United States and China in
Central Asia before 11 September 2001 and its reversal after it; masuda2011 (§2) follows
the SCO's turn against US bases (Astana, 2005) and its later openings. The sweep below
measures both, month by month (or day by day) from precomputed interval arrays: the
membership Jaccard of every pair of organizations, and for each great power the number
of the region's states it is tied to through a shared membership or a bilateral
arrangement.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scomodel.architecture.intervals import IntervalTable, month_starts
from scomodel.architecture.model import Architecture
from scomodel.architecture.overlap import pair_arrays
from scomodel.errors import InputError
from scomodel.registry.loader import data_dir_in_use

__all__ = ["Evolution", "evolution", "sweep_dates", "turning_points", "POWERS"]

#: The powers whose balance in Central Asia zhao2004 §4 follows.
POWERS = ("CHN", "RUS", "USA")


@dataclass
class Evolution:
    """The result of a sweep: plain DataFrames, one row per date (and pair or power)."""

    summary: pd.DataFrame
    pairs: pd.DataFrame
    powers: pd.DataFrame
    turning_points: pd.DataFrame = field(default_factory=pd.DataFrame)
    actors: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_dict(self) -> dict[str, object]:
        return {"summary": self.summary, "pairs": self.pairs, "powers": self.powers,
                "actors": self.actors, "turning_points": self.turning_points}


def sweep_dates(first: int | str, last: int | str, step: str = "month") -> list[dt.date]:
    """Month starts (or every day) from January of ``first`` to December of ``last``."""
    try:
        y0, y1 = int(str(first)[:4]), int(str(last)[:4])
    except ValueError:
        raise InputError(f"expected years, got {first!r} and {last!r}", field="from") from None
    if y1 < y0:
        raise InputError(f"--to {y1} is before --from {y0}", field="to")
    if step == "month":
        return month_starts(y0, y1)
    if step == "day":
        start = dt.date(y0, 1, 1)
        return [start + dt.timedelta(days=i) for i in range((dt.date(y1, 12, 31) - start).days + 1)]
    raise InputError(f"unknown step {step!r}: expected month or day", field="step")


def turning_points(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The dates the seeds treat as turning points (``facts/turning_points.yaml``)."""
    path = data_dir_in_use(data_dir) / "facts" / "turning_points.yaml"
    if not path.exists():
        return pd.DataFrame(columns=["date", "id", "label", "sources"])
    if data_dir is None:  # the data in use: parsed once, kept beside the store
        from scomodel.registry.fastindex import cached

        return cached("turning-points", lambda: _read_points(str(path), path.stat().st_mtime_ns),
                      code=(Path(__file__).parent,)).copy()
    return _read_points(str(path), path.stat().st_mtime_ns).copy()


@functools.lru_cache(maxsize=8)
def _read_points(path: str, mtime_ns: int) -> pd.DataFrame:
    """Parsed once per file version: YAML parsing costs more than a whole monthly sweep."""
    from scomodel.registry.schema import FactEntry
    from scomodel.registry.yamlio import read_yaml, validate

    cols = ["date", "id", "label", "sources"]
    doc = read_yaml(path)
    rows = []
    for i, node in enumerate(doc.get("facts") or []):
        fact = validate(FactEntry, node, file=path, root=("facts", i))
        rows.append({"date": fact.date, "id": fact.id,
                     "label": str(fact.attributes.get("label", fact.title)),
                     "sources": [s.model_dump(exclude_defaults=True) for s in fact.sources]})
    return pd.DataFrame(rows, columns=cols).sort_values("date", ignore_index=True)


def _pairs_frame(arch: Architecture, dates: list[dt.date], members: np.ndarray,
                 fields: np.ndarray | None = None) -> pd.DataFrame:
    shared, sizes, jac = pair_arrays(members)
    i, j = np.triu_indices(len(arch.orgs), k=1)
    t_idx, p_idx = np.nonzero((sizes[:, i] > 0) & (sizes[:, j] > 0))
    a_idx, b_idx = i[p_idx], j[p_idx]
    orgs = np.array(arch.orgs)
    frame = pd.DataFrame({
        "date": np.array(dates, dtype=object)[t_idx],
        "a": orgs[a_idx], "b": orgs[b_idx],
        "n_shared": shared[t_idx, a_idx, b_idx].astype(int),
        "jaccard": np.round(jac[t_idx, a_idx, b_idx], 4),
    })
    if fields is not None:
        fjac = pair_arrays(fields)[2]
        frame["fields_jaccard"] = np.round(fjac[t_idx, a_idx, b_idx], 4)
    return frame


@dataclass(frozen=True)
class _Cubes:
    """The sweep's boolean arrays, computed once and shared by every series."""

    members: np.ndarray
    arrangements: np.ndarray
    arrangement_actors: list[str]
    bilateral: np.ndarray  # which arrangement rows are two-party (bilateral tier)

    @classmethod
    def build(cls, arch: Architecture, days: np.ndarray) -> _Cubes:
        arr, actors = _arrangement_cube(arch, days)
        two = np.array([a.tier == "bilateral" for a in arch.data.arrangements], dtype=bool)
        return cls(arch.members.cube(days), arr, actors, two)


def _arrangement_cube(arch: Architecture, days: np.ndarray) -> tuple[np.ndarray, list[str]]:
    ids = [a.id for a in arch.data.arrangements]
    actors = sorted({p for a in arch.data.arrangements for p in a.parties}
                    | set(arch.members.cols))
    table = IntervalTable.build(
        ((a.id, p, a.start, a.end) for a in arch.data.arrangements for p in a.parties),
        rows=ids, cols=actors)
    return table.cube(days), actors


def _partners(arr: np.ndarray, actors: list[str], code: str) -> np.ndarray:
    """``(T, actors)``: who shares an arrangement in force with ``code`` on each day."""
    if code not in actors:
        return np.zeros(arr.shape[::2], dtype=bool)
    q = actors.index(code)
    linked = (arr[:, :, q][:, :, None] & arr).any(axis=1)
    linked[:, q] = False
    return linked


def _powers_frame(arch: Architecture, dates: list[dt.date], cubes: _Cubes,
                  region: str | None, powers: tuple[str, ...]) -> pd.DataFrame:
    full = cubes.members
    inside = arch.actor_mask(region)
    # zhao2004's balance is about each power's own ties (bases, alliances, treaties): only
    # two-party arrangements count here, not the Shanghai Five's five-party agreements
    arr, arr_actors = cubes.arrangements[:, cubes.bilateral, :], cubes.arrangement_actors
    entry = arch.data.region(region)
    keep = set(entry.members) if entry else None
    in_arr = np.array([keep is None or a in keep for a in arr_actors], dtype=bool)
    rows = []
    for power in powers:
        via_org = np.zeros((len(dates), len(arch.members.cols)), dtype=bool)
        if power in arch.members.cols:
            p = arch.members.cols.index(power)
            via_org = np.einsum("to,toa->ta", full[:, :, p].astype(np.float32),
                                full.astype(np.float32)) > 0
            via_org[:, p] = False
        states_org = (via_org & inside[None, :]).sum(axis=1)
        bil = (_partners(arr, arr_actors, power) & in_arr[None, :]).sum(axis=1)
        rows.append(pd.DataFrame({"date": dates, "power": power,
                                  "states_via_orgs": states_org.astype(int),
                                  "states_via_bilateral": np.asarray(bil, dtype=int)}))
    cols = ["date", "power", "states_via_orgs", "states_via_bilateral"]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols)


def _actors_frame(arch: Architecture, dates: list[dt.date], cubes: _Cubes,
                  region: str | None) -> pd.DataFrame:
    """Degree of each of the region's states over time: memberships plus arrangement partners.

    The same count as the ``degree`` column of :func:`~.network.centrality` restricted to
    full memberships and arrangements, computed for every date at once.
    """
    members = cubes.members
    arr, arr_actors = cubes.arrangements, cubes.arrangement_actors
    entry = arch.data.region(region)
    states = [a for a in arch.members.cols if entry is None or a in set(entry.members)]
    rows = []
    for actor in states:
        n_orgs = members[:, :, arch.members.cols.index(actor)].sum(axis=1)
        partners = _partners(arr, arr_actors, actor).sum(axis=1)
        rows.append(pd.DataFrame({"date": dates, "actor": actor,
                                  "memberships": n_orgs.astype(int),
                                  "arrangement_partners": partners.astype(int),
                                  "degree": (n_orgs + partners).astype(int)}))
    cols = ["date", "actor", "memberships", "arrangement_partners", "degree"]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols)


def evolution(arch: Architecture, first: int | str = 1996, last: int | str = 2025, *,
              region: str | None = None, step: str = "month",
              powers: tuple[str, ...] = POWERS, data_dir: str | Path | None = None,
              per_pair: bool = True) -> Evolution:
    """Sweep ``first``..``last``: pairwise membership overlap, and the powers' ties.

    One broadcast per table for the whole sweep: the work grows with the number of
    dates times spells, with no per-date registry query. ``per_pair=False`` leaves the
    per-pair and per-state series empty (the summary and the powers stay whole): what a
    day-by-day summary needs, at a third of the cost.
    """
    arch.data.region(region)
    dates = sweep_dates(first, last, step)
    days = arch.days(dates)
    cubes = _Cubes.build(arch, days)
    members = cubes.members & arch.actor_mask(region)[None, None, :]
    pairs = (_pairs_frame(arch, dates, members, arch.field_cube(days)) if per_pair
             else pd.DataFrame(columns=["date", "a", "b", "n_shared", "jaccard",
                                        "fields_jaccard"]))
    shared, sizes, jac = pair_arrays(members)
    i, j = np.triu_indices(len(arch.orgs), k=1)
    active = np.asarray((sizes[:, i] > 0) & (sizes[:, j] > 0))
    jac_pairs = np.where(active, jac[:, i, j], 0.0)
    mean = jac_pairs.sum(axis=1) / np.maximum(active.sum(axis=1), 1)
    summary = pd.DataFrame({
        "date": dates,
        "organizations": (sizes > 0).sum(axis=1),
        "overlapping_pairs": ((jac_pairs > 0) & active).sum(axis=1),
        "mean_jaccard": np.round(mean, 4),
    })
    return Evolution(summary=summary, pairs=pairs,
                     powers=_powers_frame(arch, dates, cubes, region, powers),
                     actors=(_actors_frame(arch, dates, cubes, region) if per_pair else
                             pd.DataFrame(columns=["date", "actor", "memberships",
                                                   "arrangement_partners", "degree"])),
                     turning_points=turning_points(data_dir))
