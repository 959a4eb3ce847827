"""The ledger as the faces show it: one row per claim, one claim explained, claims x time.

The CLI, the API, the explorer and the report all call these, so they answer alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from scomodel.claims.loader import claim_by_id, load_claims
from scomodel.claims.verdict import evaluate, evaluate_all
from scomodel.dates import PartialDate
from scomodel.errors import InputError
from scomodel.registry import Registry

__all__ = ["ledger", "claim_rows", "explain", "timeline", "open_registry", "TIMELINE_YEARS"]

#: Years the claims x time figure evaluates (as of 31 December; the last year as of today).
TIMELINE_YEARS = tuple(range(2004, 2027))


def open_registry(whatif: str | None = None) -> Registry:
    return Registry.open(whatif=whatif or None)


def _as_of(as_of: object) -> object:
    if as_of is None or as_of == "":
        return None
    if isinstance(as_of, dt.date):
        return as_of
    try:  # a coarse date is its last day: what could be said by the end of that period
        return PartialDate.parse(str(as_of), field="as_of").last
    except InputError:
        raise InputError(f"bad --as-of {as_of!r}: expected YYYY, YYYY-MM or YYYY-MM-DD",
                         field="as_of") from None


def ledger(as_of: object = None, *, registry: Registry | None = None,
           seed: str | None = None) -> list[dict[str, Any]]:
    """Every claim with its verdict as of ``as_of`` (JSON-ready dicts)."""
    if seed is not None and seed not in ("zhao2004", "masuda2011"):
        raise InputError(f"unknown seed {seed!r}: expected zhao2004 or masuda2011", field="seed")
    claims = [c for c in load_claims() if seed is None or c.entry.seed == seed]
    return [e.to_dict() for e in evaluate_all(claims, registry=registry or open_registry(),
                                              as_of=_as_of(as_of))]


def explain(claim_id: str, as_of: object = None, *, registry: Registry | None = None,
            steps: bool = True) -> dict[str, Any]:
    """One claim evaluated, with its steps (queries and rows) when ``steps``."""
    claim = claim_by_id(load_claims(), claim_id)
    ev = evaluate(claim, registry=registry or open_registry(), as_of=_as_of(as_of))
    return ev.to_dict(explain=steps)


def claim_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat rows for a table: id, seed, locator, verdict, the deciding figures, sources."""
    rows = []
    for d in items:
        figs = "; ".join(f"{c['figure']}={c.get('actual')!r}" for c in d["deciding"])
        loc = d["locator"]
        rows.append({"id": d["id"], "seed": d["seed"],
                     "locator": loc["section"] + (f" fn {loc['footnote']}"
                                                  if loc.get("footnote") else ""),
                     "verdict": d["verdict"], "as_of": d["as_of"], "deciding": figs,
                     "query": d["operationalization"]["query"],
                     "sources": ", ".join(s["source"] for s in d["sources"][:6])
                     + (" ..." if len(d["sources"]) > 6 else "")})
    return rows


def timeline(years: tuple[int, ...] = TIMELINE_YEARS, *, registry: Registry | None = None
             ) -> dict[str, Any]:
    """Each claim's verdict as of 31 December of each year (today for the current year)."""
    reg = registry or open_registry()
    claims = load_claims()
    now = dt.date.today()
    days = [min(dt.date(y, 12, 31), now) for y in years]
    grid: dict[str, list[str]] = {c.entry.id: [] for c in claims}
    made: dict[str, list[bool]] = {c.entry.id: [] for c in claims}
    for d in days:
        for c in claims:
            ev = evaluate(c, registry=reg, as_of=d)
            grid[c.entry.id].append(ev.verdict)
            made[c.entry.id].append(ev.made)
    return {"days": [d.isoformat() for d in days],
            "claims": [{"id": c.entry.id, "seed": c.entry.seed, "verdicts": grid[c.entry.id],
                        "made": made[c.entry.id]} for c in claims]}


#: The day docs/claims.md's verdict table is computed for (a test recomputes it).
DOC_AS_OF = "2026-12-01"


def markdown_table(items: list[dict[str, Any]]) -> str:
    """The ledger as the Markdown table docs/claims.md carries between its markers."""
    lines = ["| claim | seed, locator | verdict | deciding figures |", "|---|---|---|---|"]
    for d in items:
        loc = d["locator"]["section"] + (f" fn {d['locator']['footnote']}"
                                         if d["locator"].get("footnote") else "")
        figs = "; ".join(f"{c['figure']}={c.get('actual')!r}" for c in d["deciding"]
                         if not isinstance(c.get("actual"), list))
        lines.append(f"| `{d['id']}` | {d['seed']} {loc} | **{d['verdict']}** | {figs} |")
    return "\n".join(lines)
