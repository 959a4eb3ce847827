"""The registry's statuses as Wikidata statements (QuickStatements), to compare or contribute.

Each spell becomes ``STATE P463 ORG`` ("member of") with ``P580``/``P582`` (start and end
time at the spell's precision: day 11, month 10, year 9) and a reference: ``S854``
(reference URL) and ``S813`` (retrieved) from the spell's first source with a URL. A
non-member status is the same statement qualified with ``P2868`` (subject has role) and
the role's item; the registry records no item for a role unless one is listed in
``ROLE_ITEMS``, and spells it cannot express are counted in the summary, never guessed.
Procedure tracks (applying, acceding...) have no Wikidata equivalent and are left out.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scomodel.dates import PartialDate
from scomodel.registry.schema import PROCEDURES

if TYPE_CHECKING:
    from scomodel.registry.core import Registry

__all__ = ["quickstatements", "WikidataExport", "state_items", "ROLE_ITEMS"]

_FILE = Path(__file__).resolve().parent.parent / "data" / "identifiers" / "wikidata_states.csv"
_PRECISION = {"day": 11, "month": 10, "year": 9}
#: Wikidata items for non-member roles, filled only where checked (none yet).
ROLE_ITEMS: dict[str, str] = {}


@functools.lru_cache(maxsize=1)
def state_items() -> dict[str, str]:
    """ISO3 -> Wikidata item, from data/identifiers/wikidata_states.csv."""
    with _FILE.open(newline="", encoding="utf-8") as fh:
        return {row["iso3"]: row["wikidata"] for row in csv.DictReader(fh)}


def _time(text: str) -> str:
    date = PartialDate(text)
    first = date.first
    return f"+{first.isoformat()}T00:00:00Z/{_PRECISION[date.precision]}"


@dataclass
class WikidataExport:
    lines: list[str] = field(default_factory=list)
    written: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def quickstatements(registry: Registry, org: str | None = None) -> WikidataExport:
    """QuickStatements (V1, tab-separated) for the curated spells (of one organization)."""
    out = WikidataExport()
    states = state_items()
    codes = [registry.resolve_org(org)] if org else sorted(
        {r.org for r in registry.spells(dataset="curated")})
    sources = {s["key"]: s for s in registry.sources()}
    for code in codes:
        org_item = (registry.organization(code).get("attributes") or {}).get("wikidata")
        for r in registry.spells_of("curated", code):
            if r.status in PROCEDURES:
                out.skip("procedure track (no Wikidata equivalent)")
                continue
            if not org_item:
                out.skip(f"{code} has no Wikidata item in organizations.yaml")
                continue
            item = states.get(r.actor)
            if item is None:
                out.skip("state without a Wikidata item")
                continue
            parts = [item, "P463", org_item, "P580", _time(r.start)]
            if r.end:
                parts += ["P582", _time(r.end)]
            if r.status != "member":
                role = ROLE_ITEMS.get(r.status)
                if role is None:
                    out.skip(f"{r.status} (no checked item for the role)")
                    continue
                parts += ["P2868", role]
            ref = next((sources[s["source"]] for s in r.sources
                        if sources.get(s["source"], {}).get("url")), None)
            if ref is not None:
                parts += ["S854", f'"{ref["url"]}"']
                if ref.get("accessed"):
                    parts += ["S813", _time(str(ref["accessed"]))]
            out.lines.append("\t".join(parts))
            out.written += 1
    return out
