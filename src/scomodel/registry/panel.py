"""Panels: the registry as the tables researchers analyse (state-year, dyad-year...).

One grid underlies every unit: for each organization, state and period, the set of
statuses held at any time in the period (a bit mask), read from the spells. Codes come from
:mod:`scomodel.registry.codes` (COW's 0/1/2/3/-9 plus extended codes). Two values are never
confused: ``-1`` means the organization did not exist (COW's state-year convention), and
``NA`` means the organization's data do not speak for that period (beyond its coverage:
COW after 2014, a curated organization after the day its data were last checked). A count
over several organizations is NA in a period where any of them that existed is not
covered, so a sum never silently drops what is unknown (the bug class peacesciencer users
report most).

Dyadic counts follow named rules: ``dyadigos`` is COW's (joint *full* membership);
``shared_any`` counts organizations where both states held any status; ``shared_partial``
those where both held a status and at least one of them a standing status short of
membership (associate, observer, dialogue partner, partner).

Examples
--------
>>> from scomodel.registry import Registry
>>> panel = build_panel(Registry.open(), "state-year", orgs=["SCO"], start=2016, end=2016)
>>> int(panel.loc[panel.stateabb == "IND", "sco"].iloc[0])  # India, observer in 2016
3
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scomodel.dates import PartialDate
from scomodel.errors import InputError
from scomodel.registry.codes import MISSING, NO_STATUS, STATUS_CODE
from scomodel.registry.schema import PROCEDURES, STATUSES
from scomodel.registry.systems import SystemState, system_states

if TYPE_CHECKING:
    from scomodel.registry.core import Registry

__all__ = ["UNITS", "STEPS", "build_panel", "Grid", "build_grid", "column_name"]

UNITS = ("state-year", "state-month", "state-day", "org-year", "dyad-year",
         "directed-dyad-year")
STEPS = ("year", "month", "day")
COW_END = dt.date(2014, 12, 31)
_NA = np.int16(-32768)
_BIT = {s: 1 << i for i, s in enumerate(STATUSES)}
_PARTIAL = ("associate", "observer", "dialogue_partner", "partner")


def _lut() -> np.ndarray:
    """Cell code for every bit mask of statuses (2**len(STATUSES) entries)."""
    from scomodel.registry.codes import cell_code

    table = np.zeros(1 << len(STATUSES), dtype=np.int16)
    for mask in range(len(table)):
        table[mask] = cell_code({s for s, b in _BIT.items() if mask & b})
    return table


_LUT = _lut()


def column_name(org: str) -> str:
    """An organization's column: lower case, letters, digits and ``_`` (Stata-safe)."""
    name = "".join(c if c.isalnum() else "_" for c in org.lower())
    return name if name[:1].isalpha() else f"o_{name}"


@dataclass
class Grid:
    """Statuses by organization × state × period, with existence and coverage."""

    orgs: list[str]
    states: list[SystemState]
    firsts: np.ndarray  # first day (ordinal) of each period
    lasts: np.ndarray  # last day (ordinal) of each period
    bits: np.ndarray  # uint16 [org, state, period]
    missing: np.ndarray  # bool [org, state, period]: COW's -9
    exists: np.ndarray  # bool [org, period]
    covered: np.ndarray  # bool [org, period]
    in_system: np.ndarray  # bool [state, period]
    forced: np.ndarray  # bool [org, state, period]: a COW state-table cell outside existence
    columns: list[str]  # one column name per organization

    def codes(self) -> np.ndarray:
        """int16 codes [org, state, period]; -1 outside existence, _NA beyond coverage."""
        out = _LUT[self.bits]
        out = np.where(self.missing & (out == NO_STATUS), np.int16(MISSING), out)
        out = np.where(self.exists[:, None, :] | self.forced, out, np.int16(-1))
        return np.where(self.covered[:, None, :], out, _NA).astype(np.int16)


def _periods(start: dt.date, end: dt.date, step: str) -> tuple[np.ndarray, np.ndarray]:
    if step == "day":
        firsts = np.arange(start.toordinal(), end.toordinal() + 1, dtype=np.int64)
        return firsts, firsts.copy()
    if step == "year":
        years = range(start.year, end.year + 1)
        starts = [dt.date(y, 1, 1) for y in years]
        stops = [dt.date(y, 12, 31) for y in years]
    else:
        months = pd.period_range(start, end, freq="M")
        starts = [m.start_time.date() for m in months]
        stops = [m.end_time.date() for m in months]
    return (np.array([d.toordinal() for d in starts], dtype=np.int64),
            np.array([d.toordinal() for d in stops], dtype=np.int64))


def _span(firsts: np.ndarray, lasts: np.ndarray, a: int, b: int) -> slice:
    """Periods overlapping days ``a``..``b`` (inclusive ordinals)."""
    return slice(int(np.searchsorted(lasts, a, "left")), int(np.searchsorted(firsts, b, "right")))


def coverage(registry: Registry, org: str, dataset: str = "auto"
             ) -> tuple[dt.date | None, dt.date | None, dt.date]:
    """(first day it existed, last day it existed or None, last day its data cover).

    Read from COW (its IGO's first and last years, coverage to 2014) when the panel reads
    the COW dataset or the organization has no curated spells; else from the curated
    organization (founded, dissolved, ``checked``).
    """
    meta = registry.organization(org)
    cow_only = dataset == "cow" or (meta.get("cow_ioname")
                                    and not registry.spells_of("curated", org))
    founded = meta.get("founded")
    dissolved = meta.get("dissolved")
    first = PartialDate(str(founded)).first if founded else None
    last = PartialDate(str(dissolved)).first - dt.timedelta(days=1) if dissolved else None
    if cow_only:
        years = _cow_years(registry).get(org)
        if years:
            first = dt.date(years[0], 1, 1)
            last = dt.date(years[1], 12, 31) if years[1] < COW_END.year else None
        return first, last, COW_END
    # the registry's declared coverage (scomodel.registry.coverage): to ``checked``
    declared = registry.coverage(org) if hasattr(registry, "coverage") else {}
    end = declared.get("last") if declared.get("dataset") != "cow_igo_v3" else None
    covered = PartialDate(str(end)).last if end else dt.date.today()
    return first, last, covered


def _cow_years(registry: Registry) -> dict[str, tuple[int, int]]:
    cached = getattr(registry, "_panel_cow_years", None)
    if cached is None:
        from sqlalchemy import select

        from scomodel.registry import store

        with registry.engine.connect() as conn:
            rows = conn.execute(select(store.cow_igos.c.code, store.cow_igos.c.first_year,
                                       store.cow_igos.c.last_year)).all()
        cached = {r[0]: (int(r[1]), int(r[2])) for r in rows}
        registry._panel_cow_years = cached  # type: ignore[attr-defined]
    return cached


def default_orgs(registry: Registry, dataset: str) -> list[str]:
    """Every curated organization (plus COW's when imported), or one dataset's."""
    if dataset == "cow":
        return registry._index_for("cow").organizations
    if dataset == "curated":
        return registry._index_for("curated").organizations
    return registry.organizations()


def build_grid(
    registry: Registry,
    orgs: Sequence[str],
    start: dt.date,
    end: dt.date,
    *,
    step: str = "year",
    system: str = "cow",
    statuses: Sequence[str] | None = None,
    dataset: str = "auto",
    reading: str = "state-year",
) -> Grid:
    """The status grid behind every panel (see the module docstring)."""
    states = list(system_states(system))
    firsts, lasts = _periods(start, end, step)
    by_actor: dict[str, list[int]] = {}
    for i, s in enumerate(states):
        by_actor.setdefault(s.actor, []).append(i)
    in_system = np.zeros((len(states), len(firsts)), dtype=bool)
    for i, s in enumerate(states):
        for a, b in s.spells:
            in_system[i, _span(firsts, lasts, a.toordinal(), b.toordinal())] = True
    keep = set(statuses) if statuses else None
    n = (len(orgs), len(states), len(firsts))
    bits = np.zeros(n, dtype=np.uint16)
    missing = np.zeros(n, dtype=bool)
    forced = np.zeros(n, dtype=bool)
    exists = np.zeros((len(orgs), len(firsts)), dtype=bool)
    covered = np.zeros((len(orgs), len(firsts)), dtype=bool)
    years = np.array([dt.date.fromordinal(int(d)).year for d in firsts])
    for o, org in enumerate(orgs):
        spells = registry.spells_of("cow" if dataset == "cow" else "auto", org)
        for r in spells:
            rows = by_actor.get(r.actor)
            if not rows or (keep is not None and r.status not in keep):
                continue
            lo = PartialDate(r.start).first.toordinal()
            hi = PartialDate(r.end).first.toordinal() - 1 if r.end else dt.date.max.toordinal()
            bits[o, np.asarray(rows), _span(firsts, lasts, lo, hi)] |= np.uint16(_BIT[r.status])
        first, last, cover = coverage(registry, org, dataset)
        exists[o, _span(firsts, lasts, (first or dt.date.min).toordinal(),
                        (last or dt.date.max).toordinal())] = True
        covered[o, : int(np.searchsorted(firsts, cover.toordinal(), "right"))] = True
    if dataset == "cow" or registry._index_for("cow").organizations:
        _paint_missing(registry, orgs, states, years, missing)
        if reading == "state-year":
            _follow_state_table(registry, orgs, states, years, bits, missing, forced)
    columns = [column_name(registry.organization(o).get("cow_ioname") or o)
               if not registry.spells_of("curated", o) else column_name(o) for o in orgs]
    return Grid(list(orgs), states, firsts, lasts, bits, missing, exists, covered, in_system,
                forced, columns)


def _paint_missing(registry: Registry, orgs: Sequence[str], states: list[SystemState],
                   years: np.ndarray, missing: np.ndarray) -> None:
    """COW's -9 cells, kept aside by the importer (``cow_cells``)."""
    from sqlalchemy import select

    from scomodel.registry import store

    ccode_of, row_of, org_of = _cow_cell_context(registry, orgs, states)
    if not ccode_of:
        return
    with registry.engine.connect() as conn:
        cells = conn.execute(select(store.cow_cells).where(store.cow_cells.c.value == MISSING))
        for c in cells.mappings():
            o, i = org_of.get(c["code"]), row_of.get(ccode_of.get(c["column"]))
            if o is None or i is None:
                continue
            missing[o, i, (years >= c["first_year"]) & (years <= c["last_year"])] = True


def _cow_cell_context(registry: Registry, orgs: Sequence[str], states: list[SystemState]
                      ) -> tuple[dict[str, int], dict[int | None, int], dict[str, int]]:
    import json

    from scomodel.registry import store

    columns = json.loads(store.get_meta(registry.engine, "cow_state_columns") or "{}")
    row_of = {s.ccode: i for i, s in enumerate(states)}
    org_of = {org: o for o, org in enumerate(orgs)}
    return columns, row_of, org_of


def _follow_state_table(registry: Registry, orgs: Sequence[str], states: list[SystemState],
                        years: np.ndarray, bits: np.ndarray, missing: np.ndarray,
                        forced: np.ndarray) -> None:
    """Where COW's state-year table reads a cell otherwise, follow it (cow_readings)."""
    import json

    from sqlalchemy import select

    from scomodel.registry import store
    from scomodel.registry.cow import COW_STATUS

    differs = json.loads(store.get_meta(registry.engine, "cow_state_table_differs") or "[]")
    columns, row_of, org_of = _cow_cell_context(registry, orgs, states)
    with registry.engine.connect() as conn:
        code_of = dict(conn.execute(select(store.cow_igos.c.ioname, store.cow_igos.c.code)).all())
    for ioname, column, year, value, _ in differs:
        o, i = org_of.get(code_of.get(ioname, "")), row_of.get(columns.get(column))
        if o is None or i is None:
            continue
        at = years == year
        bits[o, i, at] = np.uint16(_BIT[COW_STATUS[value]]) if value in COW_STATUS else 0
        missing[o, i, at] = value == MISSING
        forced[o, i, at] = value in COW_STATUS or value == MISSING


def _bounds(registry: Registry, orgs: Sequence[str], start: object, end: object,
            step: str) -> tuple[dt.date, dt.date]:
    if start is not None:
        first = PartialDate.parse(str(start), field="from").first
    else:
        founded = [coverage(registry, o)[0] for o in orgs]
        first = min((d for d in founded if d), default=dt.date(1816, 1, 1))
        first = max(first, dt.date(1816, 1, 1))
    if end is not None:
        last = PartialDate.parse(str(end), field="to").last
    else:
        last = max(coverage(registry, o)[2] for o in orgs) if orgs else dt.date.today()
        last = min(last, dt.date.today())
    if last < first:
        raise InputError(f"--to {end} is before --from {start}", field="to")
    if step == "day" and (last - first).days > 80_000:
        raise InputError("a state-day panel spans at most 80,000 days", field="from")
    return first, last


def build_panel(
    registry: Registry,
    unit: str,
    *,
    orgs: Sequence[str] | None = None,
    start: object = None,
    end: object = None,
    statuses: Sequence[str] | None = None,
    system: str = "cow",
    dataset: str = "auto",
    reading: str = "state-year",
) -> pd.DataFrame:
    """A panel as a DataFrame (see the module docstring for codes and rules).

    Parameters
    ----------
    unit : one of :data:`UNITS`
    orgs : organizations (names or codes); default every curated one, plus COW's if imported
    start, end : ``YYYY`` or ``YYYY-MM-DD``; default the organizations' founding and coverage
    statuses : only these statuses count (default all)
    system : ``cow`` or ``gw``, the state system whose members are the rows
    dataset : ``auto``, ``curated`` or ``cow``
    reading : where COW's two tables disagree, follow the ``state-year`` table (as COW's
        own counts do) or the ``igo-year`` table the importer reads
        (:mod:`scomodel.registry.cow_readings`)
    """
    if reading not in ("state-year", "igo-year"):
        raise InputError(f"unknown COW reading {reading!r}: expected state-year or igo-year",
                         field="reading")
    if unit not in UNITS:
        raise InputError(f"unknown panel unit {unit!r}: expected one of {', '.join(UNITS)}",
                         field="unit")
    for s in statuses or ():
        if s not in STATUSES:
            raise InputError(f"unknown status {s!r}: expected one of {', '.join(STATUSES)}",
                             field="status")
    codes = ([registry.resolve_org(o) for o in orgs] if orgs else
             default_orgs(registry, dataset))
    if len(set(codes)) != len(codes):
        raise InputError("an organization is named twice in --orgs", field="orgs")
    if not codes:
        raise InputError("no organizations to build a panel of", field="orgs")
    step = {"state-month": "month", "state-day": "day"}.get(unit, "year")
    first, last = _bounds(registry, codes, start, end, step)
    grid = build_grid(registry, codes, first, last, step=step, system=system,
                      statuses=statuses, dataset=dataset, reading=reading)
    from scomodel.registry import panel_units

    if unit.startswith("state-"):
        return panel_units.state_panel(grid, system, step)
    if unit == "org-year":
        return panel_units.org_year(grid)
    return panel_units.dyad_year(grid, system, directed=unit.startswith("directed"))


def procedure_mask() -> int:
    """The bits of the procedure statuses (for ``<org>_procedures`` columns)."""
    return sum(b for s, b in _BIT.items() if s in PROCEDURES)


BIT = _BIT
PARTIAL = _PARTIAL
STATUS_CODES = STATUS_CODE
