"""Our authority scores beside the published MIA-Authority rows, year by year.

The dataset (``shared/data/mia/mia_dp_2021-05.csv``, key ``mia-2017``) is read only
here, only to compare: :mod:`scomodel.charter.authority` never sees it. Each difference
larger than the tolerance is listed with the cells that make it and the reason we give
(``REASONS``: a rule MIA reads differently, a body classified differently, a year).
"""

from __future__ import annotations

import csv
import functools
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scomodel.charter.authority import authority
from scomodel.charter.model import MIA_AREAS, Rulebook
from scomodel.errors import InputError, NotFoundError

__all__ = ["MIA_NAMES", "REASONS", "compare_mia", "mia_rows", "mia_path"]

#: How MIA spells the organizations (CSTO and EAEU are not in MIA v2).
MIA_NAMES = {"SCO": "SCO", "CIS": "CIS/SNG", "OSCE": "OSCE"}
_AREA_COLS = {
    "accession": "access",
    "suspension": "suspens",
    "constitutional": "constit",
    "budget": "budget",
    "compliance": "compliance",
    "policy": "policy",
}
TOLERANCE = 0.05
#: A cell that differs by less than this is rounding (MIA stores 0.33 for a third).
CELL_TOLERANCE = 0.015

#: Why our reading differs from MIA's, by (org, area or measure, first year, last year).
#: Each reason is also argued in docs/charter.md ("Compared with MIA").
REASONS: list[tuple[str, str, int, int, str]] = [
    ("SCO", "*", 2002, 2002, "year: MIA codes the Charter from its signature (2002-06-07); we "
     "apply it from its entry into force (2003-09-19), so 2002 has only the guest scheme, "
     "which assigns no competences (not scored)"),
    ("CIS", "suspension", 1994, 2019, "rule: we read the CIS Charter (Art. 10, unverified) as "
     "providing no suspension of membership; MIA scores a suspension procedure"),
    ("CIS", "policy", 1992, 2019, "rule: we read Art. 1 (no supranational powers) and Art. 23 "
     "(a member may declare non-interest) as making policy decisions opt-out or non-binding, "
     "and agenda setting as open to any member; MIA scores a council agenda and binding "
     "decisions"),
    ("CIS", "budget", 1994, 2019, "rule: we find no body that drafts the budget (agenda: any "
     "member) and read budget decisions as binding with opt-out"),
    ("CIS", "delegation", 2000, 2019, "body: MIA gives the Executive Committee (1999) agenda "
     "powers on budget and policy; no rulebook here encodes the 1999 reform"),
    ("OSCE", "accession", 1973, 1989, "rule: we apply admission by consensus of the Conference "
     "from 1973; MIA scores accession only from the Charter of Paris (1990)"),
    ("CIS", "constitutional", 1992, 2019, "rule: we read amendments as non-binding political "
     "acts that need ratification (Art. 1); MIA scores them as binding with opt-out"),
    ("OSCE", "accession", 1990, 2019, "rule: MIA gives a state body the agenda on admission "
     "(consensus); we read the applicant's own request as the agenda (any state alone)"),
    ("OSCE", "compliance", 1993, 2019, "rule: MIA scores financial non-compliance from 1993; no "
     "rule on arrears was found in a retrieved text"),
    ("OSCE", "policy", 1973, 2019, "rule: MIA gives agenda setting on policy to a state body "
     "deciding by consensus; we read it as open to any participating state or shared with "
     "non-state institutions"),
    ("OSCE", "suspension", 1992, 2019, "rule: we score the consensus-minus-one decisions "
     "(Prague 1992) as politically, not legally, binding"),
]


def mia_path() -> Path:
    """The MIA file: ``$SCOMODEL_MIA`` or ``shared/data/mia/`` beside the work tree."""
    env = os.environ.get("SCOMODEL_MIA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent.parent / "shared" / "data" / "mia" / "mia_dp_2021-05.csv"
        if cand.exists():
            return cand
    return Path("/work/shared/data/mia/mia_dp_2021-05.csv")


@functools.lru_cache(maxsize=4)
def _read(path: str) -> tuple[dict[str, str], ...]:
    with open(path, newline="", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


def mia_rows(org: str) -> dict[int, dict[str, float]]:
    """MIA's published scores of ``org`` by year (delegation, pooling and area columns)."""
    code = org.strip().upper()
    name = MIA_NAMES.get(code)
    if name is None:
        raise NotFoundError(
            f"MIA-Authority v2 has no row for {org!r}: it covers {', '.join(MIA_NAMES)} of the "
            "organizations with rulebooks here",
            field="org",
        )
    path = mia_path()
    if not path.exists():
        raise NotFoundError(f"the MIA file is not at {path} (set SCOMODEL_MIA)", field="mia")
    out: dict[int, dict[str, float]] = {}
    for row in _read(str(path)):
        if row["acronym"] != name:
            continue
        vals = {"delegation": float(row["delegation"]), "pooling": float(row["pooling"])}
        for area, col in _AREA_COLS.items():
            vals[f"pool_{area}"] = float(row[f"pool{col}"])
            vals[f"del_{area}"] = float(row[f"del{col}"])
        out[int(row["year"])] = vals
    return out


def _reason(org: str, key: str, year: int) -> str | None:
    for o, what, a, b, why in REASONS:
        if o == org and a <= year <= b and (what == "*" or what == key):
            return why
    return None


def compare_mia(
    org: str,
    start: int | None = None,
    end: int | None = None,
    *,
    rules: Iterable[Rulebook] = (),
    tolerance: float = TOLERANCE,
) -> list[dict[str, Any]]:
    """Year by year: our delegation and pooling, MIA's, the gap and, where it exceeds
    ``tolerance``, the area cells behind it with the reason we give (``None``: a gap we
    cannot explain, which the test suite refuses)."""
    if tolerance <= 0:
        raise InputError("tolerance must be positive", field="tolerance")
    published = mia_rows(org)
    years = sorted(published)
    lo = start if start is not None else years[0]
    hi = end if end is not None else years[-1]
    ours = {r.year: r for r in authority(org, lo, hi, rules=rules)}
    rows = []
    for year in range(lo, hi + 1):
        if year not in published:
            continue
        mia, our = published[year], ours[year]
        row: dict[str, Any] = {"org": org.upper(), "year": year}
        problems: list[dict[str, Any]] = []
        for measure in ("delegation", "pooling"):
            value = getattr(our, measure)
            row[measure] = None if value is None else round(value, 4)
            row[f"mia_{measure}"] = round(mia[measure], 4)
            gap = None if value is None else round(value - mia[measure], 4)
            row[f"gap_{measure}"] = gap
            if gap is not None and abs(gap) <= tolerance:
                continue
            cells = []
            for area in MIA_AREAS:
                mine = our.areas.get(area, {}).get(measure) if our.areas else None
                theirs = mia[f"{'pool' if measure == 'pooling' else 'del'}_{area}"]
                if mine is None or abs(mine - theirs) > CELL_TOLERANCE:
                    cells.append(
                        {
                            "area": area,
                            "ours": None if mine is None else round(mine, 4),
                            "mia": round(theirs, 4),
                            "reason": _reason(our.org, area, year)
                            or _reason(our.org, measure, year)
                            or _reason(our.org, "*", year),
                        }
                    )
            problems.append(
                {
                    "measure": measure,
                    "gap": gap,
                    "cells": cells,
                    "reason": _reason(our.org, "*", year) or _reason(our.org, measure, year),
                }
            )
        row["within"] = not problems
        row["differences"] = problems
        row["explained"] = all(
            p["reason"] or (p["cells"] and all(c["reason"] for c in p["cells"]))
            for p in problems
        )
        rows.append(row)
    return rows
