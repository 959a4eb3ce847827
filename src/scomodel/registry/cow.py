"""Correlates of War IGO v3: import as spells (export and compare: :mod:`cow_export`).

COW is the field's reference for IGO membership, but it is year-level, stops in 2014 and
knows only full/associate/observer. Importing it as year-precision spells puts all 534
IGOs beside the curated, day-precision SCO history, and loses nothing, so an export in
COW's own layouts and codes round-trips exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.progress import Progress

from scomodel.actors import state_from_cow
from scomodel.dates import PartialDate
from scomodel.errors import InputError
from scomodel.registry import store
from scomodel.registry.core import Registry
from scomodel.registry.cow_readings import state_table_differences
from scomodel.registry.replace import replace_dataset

__all__ = ["import_cow_igo", "read_cow_tables", "COW_STATUS", "STATUS_COW", "META_COLUMNS",
           "EMPTY"]

META_COLUMNS = [
    "ioname",
    "orgname",
    "year",
    "sdate",
    "deaddate",
    "dead",
    "integrated",
    "replaced",
    "longorgname",
    "ionum",
    "igocode",
    "version",
    "accuracyofpre1965membershipdates",
    "sourcesandnotes",
    "imputed",
    "political",
    "social",
    "economic",
]
#: COW status codes and the registry status each becomes.
COW_STATUS = {1: "member", 2: "associate", 3: "observer"}
STATUS_COW = {v: k for k, v in COW_STATUS.items()}
EMPTY = -99  # marks an empty cell where the rule predicts a 0
SOURCE = {
    "key": "cow_igo_v3",
    "kind": "dataset",
    "title": "Correlates of War Intergovernmental Organizations data, version 3.0",
    "author": "Pevehouse, Nordstrom, McManus and Jamison",
    "year": 2020,
    "url": "https://correlatesofwar.org/data-sets/IGOs/",
    "note": "J. Peace Research 57(3):492-503, doi:10.1177/0022343319881175; read from the "
    "igoR package's tables (shared/data/cow_igo_v3).",
}


def _find(directory: Path, stem: str) -> Path:
    for name in (f"{stem}.csv.gz", f"{stem}.csv"):
        if (directory / name).exists():
            return directory / name
    raise InputError(f"{stem}.csv(.gz) not found in {directory}", file=str(directory))


def read_cow_tables(directory: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The IGO-year table and the state system (ccode, year, state) from COW's files."""
    directory = Path(directory)
    from scomodel.registry.cow_checks import check_codes, read_checked

    igo_path = _find(directory, "igo_year_format3")
    igo = read_checked(igo_path, "igo_year_format3", low_memory=False)
    system_path = _find(directory, "state_year_format3")
    system = read_checked(system_path, "state_year_format3",
                          usecols=lambda c: c in ("ccode", "year", "state"))
    missing = [c for c in ("ioname", "year") if c not in igo.columns]
    missing += [c for c in ("ccode", "year", "state") if c not in system.columns]
    if missing:
        raise InputError(
            f"not a COW table: no column {missing[0]!r}",
            file=str(directory),
            field=missing[0],
        )
    check_codes(igo, [c for c in igo.columns if c not in META_COLUMNS], igo_path)
    return igo, system


def _runs(years: np.ndarray, values: np.ndarray) -> Iterator[tuple[int, int, int]]:
    """(first_year, last_year, value) for each run of equal values in consecutive years."""
    start = 0
    for i in range(1, len(years) + 1):
        if i == len(years) or values[i] != values[start] or years[i] != years[i - 1] + 1:
            yield int(years[start]), int(years[i - 1]), int(values[start])
            start = i


def _org_codes(igo: pd.DataFrame, curated: dict[str, str]) -> dict[str, str]:
    """Registry code per COW ioname: the curated organization's where linked, else ioname."""
    codes = {}
    for ioname in igo["ioname"].unique():
        code = curated.get(ioname, ioname.upper().replace(" ", ""))
        if len(code) == 3 and code.isalpha():
            try:
                from scomodel.actors import state

                state(code)
                code = f"IGO-{code}"
            except InputError:
                pass
        codes[ioname] = code
    return codes


def import_cow_igo(
    directory: str | Path,
    url: str | None = None,
    *,
    data_dir: str | Path | None = None,
    show_progress: bool = False,
) -> dict[str, Any]:
    """Load every COW IGO into the store as the ``cow_igo_v3`` dataset (atomically)."""
    igo, system = read_cow_tables(directory)
    engine = store.engine_for(url)
    registry = Registry.open(url, data_dir=data_dir)
    curated = {
        m["cow_ioname"]: code for code, m in registry._org_meta.items() if m.get("cow_ioname")
    }
    codes = _org_codes(igo, curated)
    states = [c for c in igo.columns if c not in META_COLUMNS]
    ccodes = dict(system.drop_duplicates("state")[["state", "ccode"]].itertuples(index=False))
    in_system = {s: g["year"].to_numpy() for s, g in system.groupby("state")}
    first_year = int(min(igo["year"].min(), system["year"].min()))
    n_years = int(max(igo["year"].max(), system["year"].max())) - first_year + 1
    inside_all = np.zeros((n_years, len(states)), dtype=bool)
    for j, column in enumerate(states):
        inside_all[in_system.get(column, np.empty(0, dtype=int)) - first_year, j] = True
    column_actors = {c: state_from_cow(int(ccodes[c]), c) for c in states}
    actors = {
        a.code: _state_actor(a, c) for c, a in column_actors.items() if a.code.startswith("COW")
    }
    spells, cells, igos = [], [], []
    with Progress(disable=not show_progress, transient=True) as progress:
        task = progress.add_task("reading COW IGOs", total=igo["ioname"].nunique())
        for ioname, rows in igo.sort_values("year").groupby("ioname", sort=True):
            code = codes[ioname]
            years = rows["year"].to_numpy()
            igos.append(_igo_row(code, ioname, rows))
            actors[code] = _org_actor(code, ioname, rows)
            raw = rows[states].to_numpy(dtype=float)
            values = np.where(np.isnan(raw), EMPTY, np.nan_to_num(raw)).astype(int)
            expected = np.where(inside_all[years - first_year], 0, EMPTY)
            held = np.isin(values, list(COW_STATUS))
            odd = (values != expected) & ~held
            for j in np.flatnonzero(held.any(axis=0) | odd.any(axis=0)).tolist():
                column = states[j]
                found = _column_spells(
                    code, ioname, column, column_actors[column].code, years, values[:, j], odd[:, j]
                )
                spells.extend(found[0])
                cells.extend(found[1])
            progress.advance(task)
    meta_values = {
        "cow_state_columns": json.dumps({s: int(ccodes[s]) for s in states}),
        "cow_system": json.dumps({s: sorted(int(y) for y in ys) for s, ys in in_system.items()}),
        "cow_column_order": json.dumps(list(igo.columns)),
        # COW's state-year table reads some cells otherwise; its derived counts follow it
        "cow_state_table_differs": json.dumps(state_table_differences(
            _find(Path(directory), "state_year_format3"), igo, states)),
    }
    replace_dataset(
        engine,
        store.COW,
        {
            store.sources: [SOURCE],
            store.actors: list(actors.values()),
            store.spells: spells,
            store.cow_igos: igos,
            store.cow_cells: cells,
        },
        meta_values,
    )
    # no eager rebuild here: every process's next ``Registry.open`` sees the new revision
    # and rebuilds then (this one's rebuild took 1.5 s of CPU from a server on the same
    # machine, for a command about to exit)
    return {
        "organizations": len(igos),
        "spells": len(spells),
        "cells_kept": len(cells),
        "state_years": int(len(system)),
        "checked": "SHA-256 and counts of COW IGO v3" if str(_find(Path(directory),
            "igo_year_format3")).endswith(".gz") else "plain CSV: counts not checked",
    }


def _igo_row(code: str, ioname: str, rows: pd.DataFrame) -> dict[str, Any]:
    meta = rows[[c for c in META_COLUMNS if c in rows.columns]]
    records = json.loads(meta.to_json(orient="records"))
    return {
        "code": code,
        "ioname": ioname,
        "first_year": int(rows["year"].min()),
        "last_year": int(rows["year"].max()),
        "rows": records,
    }


def _org_actor(code: str, ioname: str, rows: pd.DataFrame) -> dict[str, Any]:
    first = rows.iloc[0]
    return {
        "code": code,
        "name": str(first.get("orgname", ioname)),
        "kind": "organization",
        "cow": None,
        "founded": str(int(first["sdate"])) if pd.notna(first.get("sdate")) else None,
        "dissolved": None,
        "cow_ioname": ioname,
        "attributes": {"longorgname": first.get("longorgname")},
        "sources": [{"source": "cow_igo_v3", "locator": f"igo_year_format3, ioname={ioname}"}],
    }


def _state_actor(actor: Any, column: str) -> dict[str, Any]:
    """An actor row for a state ISO does not code (so the directory can resolve it)."""
    return {
        "code": actor.code,
        "name": actor.name,
        "kind": "state",
        "cow": actor.cow,
        "founded": None,
        "dissolved": None,
        "cow_ioname": None,
        "attributes": {"cow_column": column},
        "sources": [{"source": "cow_igo_v3", "locator": f"column={column}"}],
    }


def _column_spells(
    code: str,
    ioname: str,
    column: str,
    actor: str,
    years: np.ndarray,
    values: np.ndarray,
    odd: np.ndarray,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Spells for the status runs of one state in one IGO, and the cells kept aside."""
    spells, cells = [], []
    last_year = int(years.max())
    for first, last, value in _runs(years, values):
        if value in COW_STATUS:
            spells.append(
                {
                    "org": code,
                    "actor": actor,
                    "status": COW_STATUS[value],
                    "start": str(first),
                    "end": str(last + 1),
                    "start_day": PartialDate(str(first)).first,
                    "end_day": PartialDate(str(last + 1)).first,
                    "precision": "year",
                    "end_precision": "year",
                    "sources": [
                        {
                            "source": "cow_igo_v3",
                            "locator": f"igo_year_format3, ioname={ioname}, column={column}",
                        }
                    ],
                    "events": [],
                    "follows": None,
                    "disputed": [],
                    "note": "COW records this status through the last year it covers"
                    if last == last_year
                    else None,
                }
            )
    if odd.any():
        for first, last, value in _runs(years[odd], values[odd]):
            cells.append(
                {
                    "code": code,
                    "column": column,
                    "first_year": first,
                    "last_year": last,
                    "value": value,
                }
            )
    return spells, cells
