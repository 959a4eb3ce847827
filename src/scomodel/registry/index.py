"""An in-memory interval index over spells, for as-of queries in microseconds.

The store answers with an indexed SQL query in about a millisecond; researchers sweep
thousands of dates, so the registry keeps, per organization and per actor, NumPy arrays of
start and end days and answers "who held what on day d" with two vectorised comparisons.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from scomodel.registry.records import SpellRow

__all__ = ["SpellIndex", "OPEN_END"]

#: Ordinal used for spells that are still running.
OPEN_END = dt.date.max.toordinal()


class _Bucket:
    __slots__ = ("rows", "starts", "ends")

    def __init__(self, rows: list[SpellRow], starts: list[int], ends: list[int]) -> None:
        self.rows = rows
        self.starts = np.asarray(starts, dtype=np.int64)
        self.ends = np.asarray(ends, dtype=np.int64)

    def overlapping(self, first: int, last: int) -> list[SpellRow]:
        hits = np.flatnonzero((self.starts <= last) & (self.ends > first))
        return [self.rows[i] for i in hits]


class SpellIndex:
    """Spells grouped by organization and by actor, with day ordinals as arrays."""

    def __init__(self, rows: Sequence[tuple[SpellRow, dt.date, dt.date | None]]) -> None:
        by_org: dict[str, tuple[list[SpellRow], list[int], list[int]]] = defaultdict(
            lambda: ([], [], [])
        )
        by_actor: dict[str, tuple[list[SpellRow], list[int], list[int]]] = defaultdict(
            lambda: ([], [], [])
        )
        ordered = sorted(rows, key=lambda r: (r[0].org, r[0].actor, r[1]))
        for row, start_day, end_day in ordered:
            end = end_day.toordinal() if end_day else OPEN_END
            for group in (by_org[row.org], by_actor[row.actor]):
                group[0].append(row)
                group[1].append(start_day.toordinal())
                group[2].append(end)
        self._orgs = {k: _Bucket(*v) for k, v in by_org.items()}
        self._actors = {k: _Bucket(*v) for k, v in by_actor.items()}
        self.rows = [r[0] for r in ordered]

    @property
    def organizations(self) -> list[str]:
        return sorted(self._orgs)

    def has_org(self, org: str) -> bool:
        return org in self._orgs

    def of_org(self, org: str) -> list[SpellRow]:
        bucket = self._orgs.get(org)
        return list(bucket.rows) if bucket else []

    def of_actor(self, actor: str) -> list[SpellRow]:
        bucket = self._actors.get(actor)
        return list(bucket.rows) if bucket else []

    def org_during(self, org: str, first: dt.date, last: dt.date) -> list[SpellRow]:
        bucket = self._orgs.get(org)
        return bucket.overlapping(first.toordinal(), last.toordinal()) if bucket else []

    def actor_during(self, actor: str, first: dt.date, last: dt.date) -> list[SpellRow]:
        bucket = self._actors.get(actor)
        return bucket.overlapping(first.toordinal(), last.toordinal()) if bucket else []
