"""Interval arrays: who was in which organization, and which fields it covered, on any day.

Sweeping 30 years month by month would mean ~360 x (organizations) registry queries, each
a scan of every spell. Instead every spell becomes one row of NumPy arrays (start day, end
day, organization index, actor index) built once; the state on a batch of dates is then a
single broadcast comparison and a matrix product. Days are ``datetime.date.toordinal()``
integers; a spell is active on day ``d`` when ``start <= d < end`` (half-open, as in the
registry). A date written as ``2004`` or ``2004-06`` counts from its first day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from scomodel.dates import PartialDate, parse_period

if TYPE_CHECKING:  # only a type here: a sweep from a pickled architecture never loads pandas
    import pandas as pd

__all__ = ["OPEN_END", "day_number", "IntervalTable", "dates_to_days", "month_starts"]

#: The day number used for "still current".
OPEN_END = dt.date.max.toordinal()


def day_number(text: object) -> int:
    """The first day a written date can mean, as an ordinal (``None`` -> open end)."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return OPEN_END
    return PartialDate.parse(text).first.toordinal()


def dates_to_days(dates: Iterable[object]) -> np.ndarray:
    """Query dates as ordinals; ``2005`` or ``2005-07`` is read as its first day."""
    return np.array([parse_period(d).first.toordinal() for d in dates], dtype=np.int64)


def month_starts(first_year: int, last_year: int) -> list[dt.date]:
    """The first day of every month from January ``first_year`` to December ``last_year``."""
    return [dt.date(y, m, 1) for y in range(first_year, last_year + 1) for m in range(1, 13)]


@dataclass(frozen=True)
class IntervalTable:
    """Rows ``(row_key, col_key, start, end)`` packed into arrays for batch queries.

    ``rows`` are organizations; ``cols`` are actors (membership) or field codes (mandates).
    """

    rows: tuple[str, ...]
    cols: tuple[str, ...]
    row_idx: np.ndarray
    col_idx: np.ndarray
    start: np.ndarray
    end: np.ndarray

    @classmethod
    def build(cls, records: Iterable[tuple[str, str, object, object]],
              rows: Sequence[str] | None = None, cols: Sequence[str] | None = None
              ) -> IntervalTable:
        """Pack ``(row, col, start, end)`` records (dates as written) into arrays."""
        recs = list(records)
        row_keys = tuple(rows) if rows is not None else tuple(sorted({r[0] for r in recs}))
        col_keys = tuple(cols) if cols is not None else tuple(sorted({r[1] for r in recs}))
        rpos = {k: i for i, k in enumerate(row_keys)}
        cpos = {k: i for i, k in enumerate(col_keys)}
        kept = [r for r in recs if r[0] in rpos and r[1] in cpos]
        return cls(
            rows=row_keys,
            cols=col_keys,
            row_idx=np.array([rpos[r[0]] for r in kept], dtype=np.int64),
            col_idx=np.array([cpos[r[1]] for r in kept], dtype=np.int64),
            start=np.array([day_number(r[2]) for r in kept], dtype=np.int64),
            end=np.array([day_number(r[3]) for r in kept], dtype=np.int64),
        )

    @classmethod
    def from_spells(cls, frame: pd.DataFrame, statuses: Iterable[str] = ("member",),
                    rows: Sequence[str] | None = None) -> IntervalTable:
        """Organizations x actors from a registry ``spells_frame()`` (chosen statuses only)."""
        wanted = set(statuses)
        sub = frame[frame["status"].isin(wanted)]
        records = zip(sub["org"], sub["actor"], sub["start"], sub["end"], strict=True)
        return cls.build(records, rows=rows)

    def active(self, days: np.ndarray) -> np.ndarray:
        """Boolean ``(len(days), n_records)``: which records hold on each day."""
        d = np.asarray(days, dtype=np.int64)[:, None]
        return (self.start[None, :] <= d) & (d < self.end[None, :])

    def cube(self, days: np.ndarray) -> np.ndarray:
        """Boolean ``(T, rows, cols)``: row holds col on each day.

        The records of one cell (several spells of one member) are OR-ed together in one
        ``reduceat`` over the records sorted by cell: work in records x days, where a
        product with a one-hot (records x cells) matrix cost records x cells x days.
        """
        act = self.active(days)
        n_r, n_c = len(self.rows), len(self.cols)
        out = np.zeros((len(act), n_r * n_c), dtype=bool)
        if len(self.row_idx):
            cell = self.row_idx * n_c + self.col_idx
            order = np.argsort(cell, kind="stable")
            cells, starts = np.unique(cell[order], return_index=True)
            out[:, cells] = np.logical_or.reduceat(act[:, order], starts, axis=1)
        return out.reshape(len(act), n_r, n_c)

    def on(self, day: dt.date | str) -> np.ndarray:
        """Boolean ``(rows, cols)`` on one date."""
        return self.cube(dates_to_days([day]))[0]
