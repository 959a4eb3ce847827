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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from scomodel.architecture.intervals import IntervalTable, month_starts
from scomodel.architecture.overlap import pair_arrays
from scomodel.errors import InputError

if TYPE_CHECKING:  # the sweep itself is NumPy: pandas loads when a caller reads a frame
    import pandas as pd

    from scomodel.architecture.model import Architecture

__all__ = ["Evolution", "evolution", "sweep_dates", "turning_points", "POWERS"]

#: The powers whose balance in Central Asia zhao2004 §4 follows.
POWERS = ("CHN", "RUS", "USA")

#: Each table's columns, in the order the DataFrames and the JSON give them.
COLUMNS = {
    "summary": ("date", "organizations", "overlapping_pairs", "mean_jaccard"),
    "pairs": ("date", "a", "b", "n_shared", "jaccard", "fields_jaccard"),
    "powers": ("date", "power", "states_via_orgs", "states_via_bilateral"),
    "actors": ("date", "actor", "memberships", "arrangement_partners", "degree"),
    "turning_points": ("date", "id", "label", "sources"),
}

#: A table as named columns (NumPy arrays or lists of equal length).
Columns = dict[str, Any]


def _empty(table: str) -> Columns:
    return {name: [] for name in COLUMNS[table]}


def _frame(columns: Columns) -> pd.DataFrame:
    """A DataFrame of the columns; a table left empty gets the frame it always had."""
    import pandas as pd

    if all(isinstance(v, list) and not v for v in columns.values()):
        return pd.DataFrame(columns=list(columns))
    return pd.DataFrame(columns)


def _table(name: str) -> functools.cached_property[pd.DataFrame]:
    """One of :attr:`Evolution.tables` as a DataFrame, built on first read and kept."""
    def frame(self: Evolution) -> pd.DataFrame:
        return _frame(self.tables[name])

    frame.__name__ = name
    return functools.cached_property(frame)


@dataclass
class Evolution:
    """The result of a sweep, one row per date (and pair or power), as columns.

    The command line writes :attr:`tables` (NumPy columns) as JSON without loading pandas
    (importing it costs more than the monthly sweep); Python callers read each table as
    a DataFrame (``result.pairs``...), built on first use and kept.
    """

    tables: dict[str, Columns]

    summary = _table("summary")
    pairs = _table("pairs")
    powers = _table("powers")
    actors = _table("actors")
    turning_points = _table("turning_points")

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in COLUMNS}


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
    return _frame(turning_point_table(data_dir))


def turning_point_table(data_dir: str | Path | None = None) -> Columns:
    """The turning points as columns, by date (undated last); a fresh copy per call."""
    from scomodel.registry.loader import data_dir_in_use

    path = data_dir_in_use(data_dir) / "facts" / "turning_points.yaml"
    if not path.exists():
        return _empty("turning_points")
    if data_dir is None:  # the data in use: parsed once, kept beside the store
        from scomodel.registry.fastindex import cached

        table = cached("turning-points", lambda: _read_points(str(path), path.stat().st_mtime_ns),
                       code=(Path(__file__).parent,))
    else:
        table = _read_points(str(path), path.stat().st_mtime_ns)
    return {name: list(values) for name, values in table.items()}


@functools.lru_cache(maxsize=8)
def _read_points(path: str, mtime_ns: int) -> Columns:
    """Parsed once per file version: YAML parsing costs more than a whole monthly sweep."""
    from scomodel.registry.schema import FactEntry
    from scomodel.registry.yamlio import read_yaml, validate

    doc = read_yaml(path)
    rows = []
    for i, node in enumerate(doc.get("facts") or []):
        fact = validate(FactEntry, node, file=path, root=("facts", i))
        rows.append((fact.date, fact.id, str(fact.attributes.get("label", fact.title)),
                     [s.model_dump(exclude_defaults=True) for s in fact.sources]))
    rows.sort(key=lambda r: (r[0] is None, r[0] or ""))
    return {name: [r[k] for r in rows] for k, name in enumerate(COLUMNS["turning_points"])}


def _runs(cube: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which dates start a run of equal slices of ``cube``, and each date's run number.

    Memberships and arrangements change on a few hundred days in 30 years: each measure
    is computed once per run and spread over its dates (a daily sweep has 11,000 dates,
    its memberships a few hundred runs).
    """
    flat = cube.reshape(len(cube), -1)
    first = np.ones(len(flat), dtype=bool)
    first[1:] = (flat[1:] != flat[:-1]).any(axis=1)
    return first, np.cumsum(first) - 1


def _pair_arrays(cube: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`~.overlap.pair_arrays` of a ``(T, orgs, x)`` cube, once per run of dates."""
    first, run = _runs(cube)
    shared, sizes, jac = pair_arrays(cube[first])
    return shared[run], sizes[run], jac[run]


def _pairs_table(arch: Architecture, dates: list[dt.date], members: np.ndarray,
                 fields: np.ndarray | None = None) -> Columns:
    shared, sizes, jac = _pair_arrays(members)
    i, j = np.triu_indices(len(arch.orgs), k=1)
    t_idx, p_idx = np.nonzero((sizes[:, i] > 0) & (sizes[:, j] > 0))
    a_idx, b_idx = i[p_idx], j[p_idx]
    orgs = np.array(arch.orgs)
    table: Columns = {
        "date": np.array(dates, dtype=object)[t_idx],
        "a": orgs[a_idx], "b": orgs[b_idx],
        "n_shared": shared[t_idx, a_idx, b_idx].astype(int),
        "jaccard": np.round(jac[t_idx, a_idx, b_idx], 4),
    }
    if fields is not None:
        fjac = _pair_arrays(fields)[2]
        table["fields_jaccard"] = np.round(fjac[t_idx, a_idx, b_idx], 4)
    return table


@dataclass(frozen=True)
class _Cubes:
    """The sweep's boolean arrays, computed once and shared by every series."""

    members: np.ndarray
    arrangements: np.ndarray
    arrangement_actors: list[str]
    bilateral: np.ndarray  # which arrangement rows are two-party (bilateral tier)
    first: np.ndarray  # the dates whose memberships differ from the date before (_runs)
    run: np.ndarray  # each date's run of equal memberships

    @classmethod
    def build(cls, arch: Architecture, days: np.ndarray) -> _Cubes:
        arr, actors = _arrangement_cube(arch, days)
        two = np.array([a.tier == "bilateral" for a in arch.data.arrangements], dtype=bool)
        members = arch.members.cube(days)
        return cls(members, arr, actors, two, *_runs(members))


def _arrangement_cube(arch: Architecture, days: np.ndarray) -> tuple[np.ndarray, list[str]]:
    ids = [a.id for a in arch.data.arrangements]
    actors = sorted({p for a in arch.data.arrangements for p in a.parties}
                    | set(arch.members.cols))
    table = IntervalTable.build(
        ((a.id, p, a.start, a.end) for a in arch.data.arrangements for p in a.parties),
        rows=ids, cols=actors)
    return table.cube(days), actors


def _partner_counts(arr: np.ndarray, actors: list[str], codes: list[str],
                    keep: np.ndarray | None = None) -> np.ndarray:
    """``(T, codes)``: how many actors (``keep`` ones only) share an arrangement with each.

    Counted once per run of dates with the same arrangements in force (a few dozen runs
    in 30 years), then spread over the dates: one small matrix product instead of a pass
    per code and date.
    """
    out = np.zeros((arr.shape[0], len(codes)), dtype=np.int64)
    where = {a: k for k, a in enumerate(actors)}
    known = [n for n, c in enumerate(codes) if c in where]
    if not known or arr.shape[0] == 0:
        return out
    q = np.array([where[codes[n]] for n in known])
    first, run = _runs(arr)
    cube = arr[first].astype(np.float32)
    linked = (cube[:, :, q].transpose(0, 2, 1) @ cube) > 0  # (runs, codes, actors)
    linked[:, np.arange(len(q)), q] = False
    if keep is not None:
        linked &= keep[None, None, :]
    out[:, known] = linked.sum(axis=2)[run]
    return out


def _powers_table(arch: Architecture, dates: list[dt.date], cubes: _Cubes,
                  region: str | None, powers: tuple[str, ...]) -> Columns:
    if not powers:
        return _empty("powers")
    full = cubes.members[cubes.first].astype(np.float32)  # one slice per run
    inside = arch.actor_mask(region)
    # zhao2004's balance is about each power's own ties (bases, alliances, treaties): only
    # two-party arrangements count here, not the Shanghai Five's five-party agreements
    arr, arr_actors = cubes.arrangements[:, cubes.bilateral, :], cubes.arrangement_actors
    entry = arch.data.region(region)
    keep = set(entry.members) if entry else None
    in_arr = np.array([keep is None or a in keep for a in arr_actors], dtype=bool)
    bilateral = _partner_counts(arr, arr_actors, list(powers), in_arr)
    via_orgs = []
    for power in powers:
        via_org = np.zeros((len(full), len(arch.members.cols)), dtype=bool)
        if power in arch.members.cols:
            p = arch.members.cols.index(power)
            via_org = np.einsum("to,toa->ta", full[:, :, p], full) > 0
            via_org[:, p] = False
        via_orgs.append((via_org & inside[None, :]).sum(axis=1).astype(int)[cubes.run])
    return {"date": np.array(dates * len(powers), dtype=object),
            "power": np.repeat(np.array(powers), len(dates)),
            "states_via_orgs": np.concatenate(via_orgs),
            "states_via_bilateral": bilateral.T.reshape(-1).astype(int)}


def _actors_table(arch: Architecture, dates: list[dt.date], cubes: _Cubes,
                  region: str | None) -> Columns:
    """Degree of each of the region's states over time: memberships plus arrangement partners.

    The same count as the ``degree`` column of :func:`~.network.centrality` restricted to
    full memberships and arrangements, computed for every date and state at once.
    """
    entry = arch.data.region(region)
    states = [a for a in arch.members.cols if entry is None or a in set(entry.members)]
    if not states:
        return _empty("actors")
    cols = [arch.members.cols.index(a) for a in states]
    n_orgs = cubes.members[cubes.first].sum(axis=1)[cubes.run][:, cols]
    n_orgs = n_orgs.T.reshape(-1).astype(int)
    partners = _partner_counts(cubes.arrangements, cubes.arrangement_actors, states)
    partners = partners.T.reshape(-1).astype(int)
    return {"date": np.array(dates * len(states), dtype=object),
            "actor": np.repeat(np.array(states), len(dates)),
            "memberships": n_orgs, "arrangement_partners": partners,
            "degree": n_orgs + partners}


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
    shared, sizes, jac = _pair_arrays(members)
    i, j = np.triu_indices(len(arch.orgs), k=1)
    active = np.asarray((sizes[:, i] > 0) & (sizes[:, j] > 0))
    jac_pairs = np.where(active, jac[:, i, j], 0.0)
    mean = jac_pairs.sum(axis=1) / np.maximum(active.sum(axis=1), 1)
    summary = {
        "date": dates,
        "organizations": (sizes > 0).sum(axis=1),
        "overlapping_pairs": ((jac_pairs > 0) & active).sum(axis=1),
        "mean_jaccard": np.round(mean, 4),
    }
    return Evolution(tables={
        "summary": summary,
        "pairs": (_pairs_table(arch, dates, members, arch.field_cube(days)) if per_pair
                  else _empty("pairs")),
        "powers": _powers_table(arch, dates, cubes, region, powers),
        "actors": _actors_table(arch, dates, cubes, region) if per_pair else _empty("actors"),
        "turning_points": turning_point_table(data_dir),
    })
