"""COW IGO v3 out of the store: export in COW's layouts and codes, compare with COW.

Exporting writes COW's own state-year and igo-year layouts back from the stored spells
(the import loses nothing, so the round trip is exact; ``strict`` folds the statuses COW
does not know into its codes); comparing lists the state-years where the curated history
and COW disagree, and why.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlalchemy import select

from scomodel.actors import state_from_cow
from scomodel.dates import PartialDate
from scomodel.errors import InputError
from scomodel.registry import store
from scomodel.registry.codes import CODE_LABELS, STATUS_CODE, cell_code, strict_cow
from scomodel.registry.core import Registry
from scomodel.registry.cow import EMPTY, META_COLUMNS

__all__ = ["export_cow_igo", "compare_cow_igo", "to_cow_csv", "strict_note"]

def _load_cow_meta(registry: Registry) -> tuple[dict[str, int], dict[str, list[int]], list[str]]:
    values = {}
    for key in ("cow_state_columns", "cow_system", "cow_column_order"):
        value = store.get_meta(registry.engine, key)
        if value is None:
            raise InputError(
                "the COW IGO data is not in the store: run `scomodel import cow-igo DIR` first",
                field="dataset",
            )
        values[key] = json.loads(value)
    return values["cow_state_columns"], values["cow_system"], values["cow_column_order"]


def export_cow_igo(
    registry: Registry, org: str, *, layout: str = "state-year", dataset: str = "curated",
    strict: bool = False,
) -> pd.DataFrame:
    """An organization's spells as status codes, in COW's state-year or igo-year layout.

    Lossless by default: COW's own codes for the statuses COW knows (0/1/2/3, -9, -1),
    the extended codes of :mod:`scomodel.registry.codes` for the others (dialogue partner
    4, partner 5, guest 6, applicant 7, acceding 8...), and ``NA`` for years past the
    organization's coverage. ``strict=True`` writes only COW's codes (extended codes folded
    as ``codes.strict_cow`` says, NA as -9); ``frame.attrs["folded"]`` then counts the cells
    folded per code, for :func:`strict_note`.
    """
    if layout not in ("state-year", "igo-year"):
        raise InputError(
            f"unknown layout {layout!r}: expected state-year or igo-year", field="layout"
        )
    if dataset not in ("curated", "cow"):
        raise InputError(f"unknown dataset {dataset!r}: expected curated or cow", field="dataset")
    code = registry.resolve_org(org)
    columns, system, order = _load_cow_meta(registry)
    if dataset == "cow":
        grid, years, meta_rows = _cow_grid(registry, code, columns, system)
    else:
        grid, years, meta_rows = _curated_grid(registry, code, columns, system)
    folded: dict[str, int] = {}
    if strict:
        grid = {c: [_strict(v, folded) for v in values] for c, values in grid.items()}
    if layout == "igo-year":
        frame = pd.DataFrame(grid, index=years).reset_index(names="year")
        meta = pd.DataFrame.from_records(meta_rows)
        for key in META_COLUMNS:
            if key != "year":
                frame[key] = meta[key].to_numpy() if key in meta else None
        frame = frame[[c for c in order if c in frame.columns]]
        frame = frame.astype({c: "Int64" for c in columns})
    else:
        frame = _state_year(grid, years, columns, system, meta_rows[0].get("ioname", code))
    frame.attrs["folded"] = folded
    return frame


def _strict(value: Any, folded: dict[str, int]) -> Any:
    """COW's own code for one cell, counting in ``folded`` what was folded into what."""
    if value is pd.NA:
        key = "NA (outside coverage) -> -9"
        folded[key] = folded.get(key, 0) + 1
        return -9
    if value is None:
        return None
    code = strict_cow(int(value))
    if code != value:
        key = f"{CODE_LABELS.get(int(value), value)} ({value}) -> {code}"
        folded[key] = folded.get(key, 0) + 1
    return code


def strict_note(frame: pd.DataFrame) -> str | None:
    """What ``strict=True`` folded into COW's codes, as one line (None: nothing)."""
    folded = frame.attrs.get("folded") or {}
    if not folded:
        return None
    return "--strict-cow folded into COW's codes: " + "; ".join(
        f"{what} in {n} cells" for what, n in sorted(folded.items()))


def to_cow_csv(frame: pd.DataFrame) -> str:
    """The CSV text of an export: ``NA`` marks years outside coverage (never 0)."""
    return str(frame.to_csv(index=False, na_rep="NA"))


def _cow_grid(
    registry: Registry, code: str, columns: dict[str, int], system: dict[str, list[int]]
) -> tuple[dict[str, list[Any]], list[int], list[dict]]:
    with registry.engine.connect() as conn:
        igo = (
            conn.execute(select(store.cow_igos).where(store.cow_igos.c.code == code))
            .mappings()
            .first()
        )
        if igo is None:
            raise InputError(f"{code} is not in the COW IGO data", field="org")
        cells = (
            conn.execute(select(store.cow_cells).where(store.cow_cells.c.code == code))
            .mappings()
            .all()
        )
    years = [int(r["year"]) for r in igo["rows"]]
    grid = _base_grid(columns, system, years)
    _paint_spells(grid, years, registry.spells_of("cow", code), code, columns)
    position = {y: i for i, y in enumerate(years)}
    for cell in cells:
        value = None if cell["value"] == EMPTY else cell["value"]
        for year in range(cell["first_year"], cell["last_year"] + 1):
            if year in position:
                grid[cell["column"]][position[year]] = value
    return grid, years, igo["rows"]


def _curated_grid(
    registry: Registry, code: str, columns: dict[str, int], system: dict[str, list[int]]
) -> tuple[dict[str, list[Any]], list[int], list[dict]]:
    rows = [r for r in registry.spells() if r.org == code]
    if not rows:
        raise InputError(f"no curated spells for {code}", field="org")
    meta = registry.organization(code)
    first = PartialDate(meta.get("founded") or min(r.start for r in rows)).first.year
    last = max(
        (PartialDate(r.end).first.year if r.end else pd.Timestamp.today().year) for r in rows
    )
    years = list(range(first, max(last, first) + 1))
    covered_to = PartialDate(registry.coverage(code)["last"]).first.year
    grid = {
        c: [0 if y in set(system.get(c, [])) or y > 2014 else None for y in years] for c in columns
    }
    _paint_spells(grid, years, rows, code, columns)
    for values in grid.values():  # past the data's coverage: not covered, never "no status"
        for i, y in enumerate(years):
            if y > covered_to and values[i] is not None:
                values[i] = pd.NA
    ioname = meta.get("cow_ioname") or code
    return grid, years, [{"ioname": ioname, "orgname": meta.get("name")} for _ in years]


def _base_grid(columns: dict[str, int], system: dict[str, list[int]], years: list[int],
               after: int | None = None) -> dict[str, list[Any]]:
    """0 where the state was in the state system (or any year past ``after``), else empty."""
    grid = {}
    for column in columns:
        present = set(system.get(column, []))
        grid[column] = [0 if y in present or (after is not None and y > after) else None
                        for y in years]
    return grid


def _paint_spells(
    grid: dict[str, list[Any]],
    years: list[int],
    rows: list[Any],
    code: str,
    columns: dict[str, int],
) -> None:
    """Write into each state-year the code of the statuses held in it (``codes.cell_code``:
    a standing status before a procedure, member before associate before observer)."""
    by_ccode = {v: k for k, v in columns.items()}
    held: dict[tuple[str, int], set[str]] = {}
    for row in rows:
        if row.org != code or row.status not in STATUS_CODE or row.cow not in by_ccode:
            continue
        column = by_ccode[row.cow]
        first = PartialDate(row.start).first.year
        end = PartialDate(row.end).first if row.end else None
        last = (end.year if end.month > 1 or end.day > 1 else end.year - 1) if end else 9999
        for i, y in enumerate(years):
            if first <= y <= last:
                held.setdefault((column, i), set()).add(row.status)
    for (column, i), statuses in held.items():
        grid[column][i] = cell_code(statuses)


def _state_year(
    grid: dict[str, list[Any]],
    years: list[int],
    columns: dict[str, int],
    system: dict[str, list[int]],
    ioname: str,
) -> pd.DataFrame:
    records = []
    span = set(years)
    position = {y: i for i, y in enumerate(years)}
    last_system_year = max((max(ys) for ys in system.values() if ys), default=0)
    later = [y for y in years if y > last_system_year]
    for column, ccode in sorted(columns.items(), key=lambda kv: kv[1]):
        present = system.get(column, [])
        # COW's state system ends in 2014; states alive then are carried forward
        carried = later if present and present[-1] == last_system_year else []
        for year in [*present, *carried]:
            value = grid[column][position[year]] if year in span else -1
            records.append(
                {
                    "ccode": ccode,
                    "year": year,
                    "state": column,
                    ioname.lower(): -9 if value is None else value,
                }
            )
    return pd.DataFrame(records).sort_values(["ccode", "year"]).reset_index(drop=True)


def compare_cow_igo(registry: Registry, org: str = "SCO") -> list[dict[str, Any]]:
    """Every state-year (to 2014) where COW's code and the curated data's differ."""
    cow = export_cow_igo(registry, org, dataset="cow")
    # COW's own codes on both sides: a dialogue partner is "0" to COW, not a disagreement
    ours = export_cow_igo(registry, org, dataset="curated", strict=True)
    col = cow.columns[-1]
    merged = cow.merge(ours, on=["ccode", "year", "state"], how="left", suffixes=("_cow", "_ours"))
    merged = merged[merged["year"] <= 2014]
    merged[f"{col}_ours"] = merged[f"{col}_ours"].fillna(-1).astype(int)
    # "not a member" is the same answer whether COW says 0 or the organization did not exist
    as_member = merged[[f"{col}_cow", f"{col}_ours"]].replace(-1, 0)
    diff = merged[as_member[f"{col}_cow"] != as_member[f"{col}_ours"]]
    out = []
    for row in diff.itertuples(index=False):
        actor = state_from_cow(int(row.ccode))
        cow_code, our_code = int(getattr(row, f"{col}_cow")), int(getattr(row, f"{col}_ours"))
        out.append(
            {
                "actor": actor.code,
                "name": actor.name,
                "ccode": int(row.ccode),
                "year": int(row.year),
                "cow": cow_code,
                "curated": our_code,
                "reason": _reason(registry, org, actor.code, int(row.year), cow_code, our_code),
            }
        )
    return out


def _reason(registry: Registry, org: str, actor: str, year: int, cow: int, ours: int) -> str | None:
    code = registry.resolve_org(org)
    meta = registry.organization(code)
    founded = meta.get("founded")
    if ours == -1 and founded and year < PartialDate(founded).first.year:
        predecessor = (meta.get("attributes") or {}).get("predecessor")
        return (
            f"COW dates {code} from its predecessor {predecessor or ''}; the curated data "
            f"starts {code} on {founded}"
        ).replace("  ", " ")
    if cow == 0 and ours == 3:
        return "COW's SCO rows use only codes 0 and 1: observer status is not captured"
    if cow == 0 and ours == 1:
        return "member in the curated data from a date COW does not record"
    if cow == 1 and ours == 0:
        spells = registry.status(actor, code, str(year))
        if spells:
            return f"curated status {spells[0].status} has no COW code"
        return "COW codes membership where the curated data has none"
    return None
