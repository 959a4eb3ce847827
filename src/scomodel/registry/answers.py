"""What a dated answer adds to its spells: the tracks beside them and whether it is covered.

Two readers answer the same queries: :class:`~scomodel.registry.core.Registry` (rows as
:class:`~scomodel.registry.records.SpellRow`) and the CLI's prebuilt index
(:mod:`scomodel.registry.fastindex`, rows as the JSON dicts of ``SpellRow.to_dict()``).
Both call these functions, which read and copy either kind of row, so the two can never
tell a different story about concurrent statuses or coverage.

* ``beside`` is stored on each spell as every other spell of the same actor in the same
  organization that overlaps it; a dated answer keeps only those running during the
  period asked (India's observer row on 2016-06-01 shows its accession; on 2010-01-01 not).
* ``covered`` is false when the period asked runs past the spell's ``coverage`` (COW's
  last year, a curated organization's ``checked`` day).
* spells that end only because their data end (``end_reason: coverage``) are answered
  for any later period too, marked ``covered: false``: "not covered", never "no status".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from scomodel.dates import PartialDate

__all__ = ["decorate", "past_coverage", "coverage_last_day", "coverage_footnote",
           "spell_days"]

Row = TypeVar("Row")


def _get(row: Any, name: str) -> Any:
    return row.get(name) if isinstance(row, dict) else getattr(row, name)


def _with(row: Row, memo: dict[Any, Any] | None, key: Any, **changes: Any) -> Row:
    """A copy of ``row`` with ``changes``; ``memo`` (keyed by the row's id and ``key``) keeps
    copies of long-lived rows, so repeated queries reuse them instead of copying again."""
    if isinstance(row, dict):
        return {**row, **changes}  # type: ignore[return-value]
    if memo is None:
        return dataclasses.replace(row, **changes)  # type: ignore[type-var]
    hit = memo.get((id(row), key))
    if hit is None or hit[0] is not row:
        hit = memo[(id(row), key)] = (row, dataclasses.replace(row, **changes))  # type: ignore[type-var]
    return hit[1]  # type: ignore[no-any-return]


@lru_cache(maxsize=4096)
def _first(text: str) -> dt.date:
    return PartialDate(text).first


def spell_days(start: str, end: str | None) -> tuple[dt.date, dt.date]:
    """First day and first day after (``date.max`` while open) of a half-open spell."""
    return _first(start), (_first(end) if end else dt.date.max)


@lru_cache(maxsize=1024)
def _last(text: str) -> dt.date:
    return PartialDate(text).last


def coverage_last_day(coverage: dict[str, Any] | None) -> dt.date | None:
    """The last day a coverage speaks for (the whole last year for COW's ``2014``)."""
    if not coverage or not coverage.get("last"):
        return None
    return _last(str(coverage["last"]))


def _running(entry: Any, first: dt.date, last: dt.date) -> bool:
    start, end = spell_days(_get(entry, "start"), _get(entry, "end"))
    return start <= last and end > first


def decorate(rows: Iterable[Row], first: dt.date, last: dt.date,
             memo: dict[Any, Any] | None = None) -> list[Row]:
    """Rows of a dated answer: ``beside`` cut to the period, ``covered`` set.

    A row is copied only when something changes, so most rows stay the shared objects.
    """
    out = []
    ends: dict[int, dt.date | None] = {}  # rows of one organization share one coverage
    for row in rows:
        if isinstance(row, dict):
            beside, coverage = row.get("beside") or [], row.get("coverage")
        else:
            beside, coverage = row.beside, row.coverage  # type: ignore[attr-defined]
        key = id(coverage)
        if key not in ends:
            ends[key] = coverage_last_day(coverage)
        end = ends[key]
        uncovered = end is not None and last > end
        if not beside and not uncovered:
            out.append(row)
            continue
        changes: dict[str, Any] = {}
        kept: tuple[int, ...] = ()
        if beside:
            kept = tuple(i for i, b in enumerate(beside) if _running(b, first, last))
            if len(kept) != len(beside):
                changes["beside"] = [beside[i] for i in kept]
        if uncovered:
            changes["covered"] = False
        out.append(_with(row, memo, ("d", kept, uncovered), **changes) if changes else row)
    return out


def past_coverage(rows: Iterable[Row], first: dt.date,
                  memo: dict[Any, Any] | None = None) -> list[Row]:
    """Spells cut by the end of their coverage before ``first``: answered as not covered."""
    out = []
    for row in rows:
        if _get(row, "end_reason") == "coverage" and spell_days(
            _get(row, "start"), _get(row, "end")
        )[1] <= first:
            out.append(_with(row, memo, "past", covered=False, beside=[]))
    return out


def coverage_footnote(rows: Sequence[Any]) -> str | None:
    """The note under a table whose answer runs past some organization's coverage."""
    cut: dict[tuple[str, str, str], set[str]] = {}
    for row in rows:
        if _get(row, "covered") is False:
            cov = _get(row, "coverage") or {}
            key = (str(cov.get("dataset")), str(cov.get("last")), str(cov.get("precision")))
            cut.setdefault(key, set()).add(str(_get(row, "org")))
    if not cut:
        return None
    lines = []
    for (dataset, last, _precision), orgs in sorted(cut.items()):
        names = ", ".join(sorted(orgs))
        if dataset == "cow_igo_v3":
            lines.append(f"COW data end in {last}; these organizations are not covered after "
                         f"it: {names}")
        else:
            lines.append(f"{names}: data not checked after {last}; later days are not "
                         "covered")
    return "\n".join(lines)
