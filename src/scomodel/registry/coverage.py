"""Declared coverage: the days each dataset, and each organization in it, speaks for.

A dataset says nothing outside its coverage, so an answer past it must say "not covered",
never "no status" (docs/registry.md, "Coverage").

* COW IGO v3: each IGO from its first year in COW to COW's last year (2014), year
  precision. A spell COW carries to 2014 ends there only because COW does
  (``end_reason: coverage``).
* A curated organization: from its founding (else its first recorded spell) to its
  ``checked`` day in organizations.yaml (the day its data were last checked against the
  sources). An organization without ``checked`` speaks to its dissolution if it was
  dissolved, else only to the latest date its own data record (a spell's start or end, an
  event): nothing vouches for later days. The store's build date is not used: it changes
  on every machine and would make answers depend on when the cache was built.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scomodel.dates import PartialDate

__all__ = ["coverage_of", "dataset_coverage", "COW_DATASET", "CURATED_DATASET"]

COW_DATASET = "cow_igo_v3"
CURATED_DATASET = "curated"


def _latest(rows: list[Any]) -> str | None:
    dates: list[str] = []
    for r in rows:
        dates.append(r["start"])
        if r["end"]:
            dates.append(r["end"])
        dates.extend(e["date"] for e in (r["events"] or []) if e.get("date"))
    return max(dates, key=lambda d: PartialDate(d).last) if dates else None


def _curated(_org: str, rows: list[Any], meta: dict[str, Any]) -> dict[str, Any]:
    attributes = meta.get("attributes") or {}
    first = meta.get("founded") or min((r["start"] for r in rows),
                                       key=lambda d: PartialDate(d).first)
    last = attributes.get("checked") or meta.get("dissolved") or _latest(rows)
    return {"dataset": CURATED_DATASET, "first": first, "last": last,
            "precision": PartialDate(last).precision if last else None}


def coverage_of(
    rows: Iterable[Any],
    org_meta: dict[str, dict[str, Any]],
    cow: tuple[int, int, dict[str, int]] | None,
) -> dict[tuple[bool, str], dict[str, Any]]:
    """Coverage per ``(is COW, organization)`` for the spells in the store.

    ``cow`` is COW's first and last year and each IGO's first year (``None`` if COW is
    not imported).
    """
    curated: dict[str, list[Any]] = {}
    cow_orgs: set[str] = set()
    for r in rows:
        if r["dataset"] == COW_DATASET:
            cow_orgs.add(r["org"])
        elif r["dataset"] == CURATED_DATASET:
            curated.setdefault(r["org"], []).append(r)
    out: dict[tuple[bool, str], dict[str, Any]] = {}
    for org, org_rows in curated.items():
        out[(False, org)] = _curated(org, org_rows, org_meta.get(org, {}))
    if cow is not None:
        first_year, last_year, firsts = cow
        for org in cow_orgs:
            out[(True, org)] = {"dataset": COW_DATASET,
                                "first": str(firsts.get(org, first_year)),
                                "last": str(last_year), "precision": "year"}
    return out


def dataset_coverage(
    coverage: dict[tuple[bool, str], dict[str, Any]], cow: tuple[int, int, Any] | None
) -> list[dict[str, Any]]:
    """One coverage per dataset: the curated organizations' union, and COW's years."""
    out = []
    curated = [c for (is_cow, _), c in coverage.items() if not is_cow]
    if curated:
        out.append({
            "dataset": CURATED_DATASET,
            "first": min((c["first"] for c in curated), key=lambda d: PartialDate(d).first),
            "last": max((c["last"] for c in curated if c["last"]),
                        key=lambda d: PartialDate(d).last),
            "precision": "day",
            "organizations": len(curated),
        })
    if cow is not None:
        out.append({"dataset": COW_DATASET, "first": str(cow[0]), "last": str(cow[1]),
                    "precision": "year",
                    "organizations": sum(1 for is_cow, _ in coverage if is_cow)})
    return out
