"""COW's two tables, and where they disagree.

COW IGO v3 ships the same statuses twice: one row per IGO-year (``igo_year_format3``) and
one per state-year (``state_year_format3``). They disagree in a few thousand cells (2,851
status cells in v3.0: a state coded a member in one and not in the other, mostly around
joining and leaving years). The importer reads the IGO-year table; COW's own derived counts
(state-year sums, dyadic counts) were computed from the state-year table. So the importer
records every cell where the state-year table reads otherwise, as the data format records
any disagreement between sources, and panels follow the state-year reading by default
(``reading="state-year"``), which reproduces COW's counts; ``reading="igo-year"`` follows
the imported table alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["state_table_differences"]


def state_table_differences(
    state_year_file: str | Path, igo: pd.DataFrame, states: list[str]
) -> list[list[Any]]:
    """``[ioname, state column, year, state-year value, igo-year value]`` where they differ.

    Only cells where either table holds a status (1, 2, 3) count; an empty IGO-year cell
    is written as ``None``.
    """
    table = pd.read_csv(state_year_file, low_memory=False)
    names = {name.lower(): name for name in igo["ioname"].unique()}
    igo_columns = [c for c in table.columns if c in names]
    sy = (table.set_index(["state", "year"])[igo_columns]
          .rename_axis(columns="io").stack(future_stack=True).rename("sy"))
    keys = pd.MultiIndex.from_arrays([igo["ioname"].str.lower(), igo["year"]],
                                     names=["io", "year"])
    iy = (igo[states].set_axis(keys).rename_axis(columns="state")
          .stack(future_stack=True).rename("iy").reorder_levels(["state", "year", "io"]))
    both = pd.concat([sy, iy], axis=1, join="outer")
    held = both["sy"].isin((1, 2, 3)) | both["iy"].isin((1, 2, 3))
    same = (both["sy"] == both["iy"]) | (both["sy"].isna() & both["iy"].isna())
    differ = both[held & ~same].sort_index()
    return [
        [names[io], state, int(year), _value(r.sy), _value(r.iy)]
        for (state, year, io), r in zip(differ.index, differ.itertuples(), strict=True)
    ]


def _value(x: float) -> int | None:
    return None if np.isnan(x) else int(x)
