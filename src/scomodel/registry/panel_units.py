"""The units of :func:`scomodel.registry.panel.build_panel`, each shaped from one grid.

Kept apart from the grid so each unit's layout (which columns, which counts, which rule)
reads in one place; column names follow COW's files where COW has them (``ccode``,
``stateabb``, ``sum_igo_full``..., ``dyadigos``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from scomodel.registry.codes import STATUS_CODE
from scomodel.registry.panel import _NA, BIT, PARTIAL, Grid, procedure_mask

__all__ = ["state_panel", "org_year", "dyad_year"]


def _when(grid: Grid, step: str) -> dict[str, np.ndarray]:
    days = [dt.date.fromordinal(int(d)) for d in grid.firsts]
    if step == "year":
        return {"year": np.array([d.year for d in days])}
    if step == "month":
        return {"year": np.array([d.year for d in days]),
                "month": np.array([d.month for d in days])}
    return {"date": np.array(days, dtype="datetime64[D]")}


def _blocked(grid: Grid) -> np.ndarray:
    """bool [period]: some chosen organization existed but is not covered then."""
    return (~grid.covered & grid.exists).any(axis=0) | (~grid.covered).all(axis=0)


def _counts(codes: np.ndarray, grid: Grid) -> dict[str, np.ndarray]:
    """COW's state-level sums over the chosen organizations, NA where one is not covered."""
    i32 = np.int32  # counts of at most a few hundred organizations; half int64's memory
    sums = {
        "sum_igo_full": (codes == 1).sum(axis=0, dtype=i32),
        "sum_igo_associate": (codes == 2).sum(axis=0, dtype=i32),
        "sum_igo_observer": (codes == 3).sum(axis=0, dtype=i32),
        "sum_igo_anytype": ((codes >= 1) & (codes <= 3)).sum(axis=0, dtype=i32),
        "sum_any_status": ((codes > 0) & (codes != _NA)).sum(axis=0, dtype=i32),
    }
    blocked = _blocked(grid)
    if blocked.any():
        for arr in sums.values():
            arr[:, blocked] = -1  # in place: the periods some organization does not cover
    return sums


def _state_columns(grid: Grid, system: str) -> dict[str, list[object]]:
    key = "ccode" if system == "cow" else "gwcode"
    return {
        key: [s.code for s in grid.states],
        "stateabb": [s.abb for s in grid.states],
        "iso3": [s.actor if not s.actor.startswith("COW") else None for s in grid.states],
        **({"ccode": [s.ccode for s in grid.states]} if system == "gw" else {}),
    }


def _masked(values: np.ndarray, missing: np.ndarray, dtype: str) -> Any:
    """A nullable integer column built straight from values and a mask (no copies via NA)."""
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(dtype.lower()), missing)


def _repeated(values: np.ndarray, index: np.ndarray) -> Any:
    """``values[index]`` (a few texts repeated over millions of rows) as the column pandas
    would infer, built by Arrow's ``take`` instead of converting each Python string (a
    state-day panel's text columns took a quarter of its time that way)."""
    dtype = pd.Series(values).dtype  # what pandas makes of these values
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        import pyarrow as pa

        taken = pa.array(values, type=pa.large_string()).take(pa.array(index))
        return pd.array(taken, dtype=dtype)
    return values[index]


def state_panel(grid: Grid, system: str, step: str) -> pd.DataFrame:
    """One row per state and period while the state belongs to the system."""
    codes = grid.codes()
    sums = _counts(codes, grid)
    rows_state, rows_period = np.nonzero(grid.in_system)
    columns: dict[str, object] = {}
    for k, v in _state_columns(grid, system).items():
        if k in ("ccode", "gwcode"):
            values = np.array([-1 if x is None else x for x in v], dtype=np.int32)[rows_state]
            columns[k] = _masked(values, values == -1, "Int32")
        else:
            columns[k] = _repeated(np.asarray(v, dtype=object), rows_state)
    for k, when in _when(grid, step).items():
        columns[k] = when[rows_period]
    proc = np.uint16(procedure_mask())
    names = {b: s for s, b in BIT.items()}
    for o in range(len(grid.orgs)):
        cells = codes[o][rows_state, rows_period]
        columns[grid.columns[o]] = _masked(cells, cells == _NA, "Int16")
        procedures = grid.bits[o] & proc
        if procedures.any():
            masks, inverse = np.unique(procedures[rows_state, rows_period], return_inverse=True)
            labels = np.array(["+".join(names[b] for b in names if int(m) & b)
                               for m in masks], dtype=object)
            columns[f"{grid.columns[o]}_procedures"] = _repeated(labels, inverse.reshape(-1))
    for name, arr in sums.items():
        cells = arr[rows_state, rows_period]
        columns[name] = _masked(cells, cells == -1, "Int32")
    return pd.DataFrame(columns)


def org_year(grid: Grid) -> pd.DataFrame:
    """One row per organization and year: how many states held each status."""
    codes = grid.codes()
    out = []
    for o, org in enumerate(grid.orgs):
        for p, first in enumerate(grid.firsts):
            row: dict[str, object] = {"org": org, "year": dt.date.fromordinal(int(first)).year,
                                      "exists": bool(grid.exists[o, p]),
                                      "covered": bool(grid.covered[o, p])}
            cells = codes[o, grid.in_system[:, p], p]
            held = grid.bits[o, grid.in_system[:, p], p]
            for status, bit in BIT.items():
                count = int(((held & bit) != 0).sum())
                row[f"n_{status}"] = count if grid.covered[o, p] else None
            row["n_missing"] = int((cells == -9).sum()) if grid.covered[o, p] else None
            out.append(row)
    frame = pd.DataFrame(out)
    for column in [c for c in frame.columns if c.startswith("n_")]:
        frame[column] = pd.array(frame[column].tolist(), dtype="Int32")
    return frame


def _packed(matrix: np.ndarray) -> np.ndarray:
    """Each state's column of an organizations × states boolean matrix as uint64 words."""
    packed = np.packbits(matrix.T, axis=1)
    pad = (-packed.shape[1]) % 8
    if pad:
        packed = np.pad(packed, ((0, 0), (0, pad)))
    return np.ascontiguousarray(packed).view(np.uint64)


def _pair_counts(a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """``a.T @ b`` for boolean matrices, by popcount of packed bits (states × states).

    Exact integer counts, and several times faster than a float matrix product on
    machines whose BLAS runs in a compatibility mode.
    """
    pa = _packed(a)
    pb = pa if b is None else _packed(b)
    return np.bitwise_count(pa[:, None, :] & pb[None, :, :]).sum(axis=2, dtype=np.int32)


def dyad_year(grid: Grid, system: str, *, directed: bool = False) -> pd.DataFrame:
    """One row per pair of system states and year, with the named dyadic counts.

    ``dyadigos``: organizations both were full members of (COW's rule);
    ``shared_any``: both held any status; ``shared_partial``: both held a status and at
    least one a standing status short of membership. NA where a chosen organization that
    existed is not covered that year.
    """
    codes = grid.codes()
    partial = np.uint16(sum(BIT[s] for s in PARTIAL))
    blocked = _blocked(grid)
    key = "ccode" if system == "cow" else "gwcode"
    numbers = np.array([s.code for s in grid.states])
    order = np.argsort(numbers)
    # period-major copies, so each year's slice is contiguous
    codes_t = np.ascontiguousarray(codes.transpose(2, 0, 1))
    bits_t = np.ascontiguousarray(grid.bits.transpose(2, 0, 1))
    parts = []
    for p in range(len(grid.firsts)):
        inside = order[grid.in_system[order, p]]
        if len(inside) < 2:
            continue
        bits = bits_t[p][:, inside] * grid.covered[:, p, None]
        active = bits.any(axis=1)  # only organizations someone holds a status in
        bits = bits[active]
        full = codes_t[p][active][:, inside] == STATUS_CODE["member"]
        held = bits != 0
        joint = _pair_counts(full)
        shared = _pair_counts(held)
        if (bits & partial).any():
            part = (bits & partial) != 0
            # pairs where both hold a status and at least one a partial one
            shared_partial = _pair_counts(part, held) + _pair_counts(held, part) \
                - _pair_counts(part)
        else:
            shared_partial = np.zeros_like(joint)
        i, j = (np.nonzero(~np.eye(len(inside), dtype=bool)) if directed
                else np.triu_indices(len(inside), k=1))
        year = dt.date.fromordinal(int(grid.firsts[p])).year
        block = {
            f"{key}1": numbers[inside][i], f"{key}2": numbers[inside][j],
            "year": np.full(len(i), year, dtype=np.int32),
            "dyadigos": joint[i, j],
            "shared_any": shared[i, j],
            "shared_partial": shared_partial[i, j],
        }
        parts.append((pd.DataFrame(block), bool(blocked[p])))
    if not parts:
        return pd.DataFrame(columns=[f"{key}1", f"{key}2", "year", "dyadigos", "shared_any",
                                     "shared_partial"])
    frames = []
    for frame, is_blocked in parts:
        for column in ("dyadigos", "shared_any", "shared_partial"):
            frame[column] = pd.array(frame[column], dtype="Int32")
            if is_blocked:
                frame[column] = pd.NA
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values([f"{key}1", f"{key}2", "year"], kind="stable").reset_index(drop=True)
