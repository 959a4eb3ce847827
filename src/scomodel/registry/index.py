"""An in-memory interval index over spells, for as-of queries in microseconds.

The store answers with an indexed SQL query in about a millisecond; researchers sweep
thousands of dates, so the registry keeps, per organization and per actor, NumPy arrays of
start and end days and answers "who held what on day d" with two vectorised comparisons.
A what-if copy's index is its base's with the buckets its rows touch rebuilt
(:meth:`SpellIndex.replaced`), so a write does not re-sort every spell.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from scomodel.registry.pace import paced
from scomodel.registry.records import SpellRow

__all__ = ["SpellIndex", "OPEN_END"]

#: Ordinal used for spells that are still running.
OPEN_END = dt.date.max.toordinal()

_Entry = tuple[SpellRow, int, int]  # a row with its first day and end day as ordinals


class _Bucket:
    __slots__ = ("rows", "starts", "ends", "cut")

    def __init__(self, rows: list[SpellRow], starts: list[int], ends: list[int]) -> None:
        self.rows = rows
        self.starts = np.asarray(starts, dtype=np.int64)
        self.ends = np.asarray(ends, dtype=np.int64)
        # the rows that end only because their data's coverage does (few, kept apart so a
        # dated answer adds them without scanning every row)
        self.cut = [r for r in rows if r.end_reason == "coverage"]

    def entries(self) -> list[_Entry]:
        return list(zip(self.rows, self.starts.tolist(), self.ends.tolist(), strict=True))

    def overlapping(self, first: int, last: int) -> list[SpellRow]:
        hits = np.flatnonzero((self.starts <= last) & (self.ends > first))
        return [self.rows[i] for i in hits]


def _order(entry: _Entry) -> tuple[str, str, int]:
    return (entry[0].org, entry[0].actor, entry[1])


def _bucket(entries: Iterable[_Entry]) -> _Bucket:
    rows, starts, ends = [], [], []
    for row, start, end in entries:
        rows.append(row)
        starts.append(start)
        ends.append(end)
    return _Bucket(rows, starts, ends)


class SpellIndex:
    """Spells grouped by organization and by actor, with day ordinals as arrays."""

    def __init__(self, rows: Sequence[tuple[SpellRow, dt.date, dt.date | None]]) -> None:
        by_org: dict[str, list[_Entry]] = defaultdict(list)
        by_actor: dict[str, list[_Entry]] = defaultdict(list)
        entries = [(row, start.toordinal(), end.toordinal() if end else OPEN_END)
                   for row, start, end in paced(rows)]
        for entry in paced(sorted(entries, key=_order)):
            by_org[entry[0].org].append(entry)
            by_actor[entry[0].actor].append(entry)
        self._orgs = {k: _bucket(v) for k, v in paced(by_org.items(), every=8)}
        self._actors = {k: _bucket(v) for k, v in paced(by_actor.items(), every=8)}
        self._rows: list[SpellRow] | None = None

    def replaced(self, drop: Iterable[SpellRow],
                 add: Sequence[tuple[SpellRow, dt.date, dt.date | None]]) -> SpellIndex:
        """A new index without the rows ``drop`` (by identity) and with ``add``.

        Only the buckets of the organizations and actors concerned are rebuilt; the others
        are shared with this index. The order is the one a full build gives.
        """
        gone = {id(r) for r in drop}
        extra = [(row, start.toordinal(), end.toordinal() if end else OPEN_END)
                 for row, start, end in add]
        new = SpellIndex.__new__(SpellIndex)
        new._rows = None
        new._orgs, new._actors = dict(self._orgs), dict(self._actors)
        for buckets, key_of in ((new._orgs, lambda r: r.org), (new._actors, lambda r: r.actor)):
            keys = {key_of(r) for r in drop} | {key_of(e[0]) for e in extra}
            for key in keys:
                old = buckets.get(key)
                kept = [e for e in old.entries() if id(e[0]) not in gone] if old else []
                entries = sorted(kept + [e for e in extra if key_of(e[0]) == key], key=_order)
                if entries:
                    buckets[key] = _bucket(entries)
                else:
                    buckets.pop(key, None)
        return new

    def __len__(self) -> int:
        """How many rows (without building :attr:`rows`: a write's cache entry asks)."""
        return sum(len(b.rows) for b in self._orgs.values())

    @property
    def rows(self) -> list[SpellRow]:
        """Every row, ordered by organization, actor and first day."""
        if self._rows is None:
            self._rows = [r for org in sorted(self._orgs) for r in self._orgs[org].rows]
        return self._rows

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

    def cut_of_org(self, org: str) -> list[SpellRow]:
        """The organization's rows that end by coverage."""
        bucket = self._orgs.get(org)
        return bucket.cut if bucket else []

    def cut_of_actor(self, actor: str) -> list[SpellRow]:
        """The actor's rows that end by coverage."""
        bucket = self._actors.get(actor)
        return bucket.cut if bucket else []

    def org_during(self, org: str, first: dt.date, last: dt.date) -> list[SpellRow]:
        bucket = self._orgs.get(org)
        return bucket.overlapping(first.toordinal(), last.toordinal()) if bucket else []

    def actor_during(self, actor: str, first: dt.date, last: dt.date) -> list[SpellRow]:
        bucket = self._actors.get(actor)
        return bucket.overlapping(first.toordinal(), last.toordinal()) if bucket else []
