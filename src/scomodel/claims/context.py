"""What a claim's query sees: the registry (or a what-if copy), the architecture and the
charter, cut at the ``as_of`` day.

"As of" means only data dated on or before that day: a query asked about 2024 with
``as_of=2010`` is answered for 2010, facts dated later are invisible, and an undated fact
counts from the day its earliest source was published (masuda2011 reports the refused
US application without a date; it is known from 2011). Every query records its steps
here, so ``claims show ID --explain`` can print which queries ran on which rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from scomodel.dates import PartialDate
from scomodel.registry import Registry
from scomodel.registry.records import FactRow

__all__ = ["Context", "Step", "day"]

_ARCH: dict[str, Any] = {}
#: overlap tables already computed, by (architecture, day, region, field): a timeline asks
#: the same day again for every later as-of day
_OVERLAP: dict[tuple[int, dt.date, str | None, str | None], Any] = {}


def day(value: object, field: str = "date") -> dt.date:
    """A day from ``YYYY[-MM[-DD]]`` (a coarse date is its first day) or a date."""
    if isinstance(value, dt.date):
        return value
    return PartialDate.parse(value, field=field).first


@dataclass
class Step:
    """One query made: what was asked, of which part, and what came back."""

    part: str
    call: str
    result: Any

    def to_dict(self) -> dict[str, Any]:
        return {"part": self.part, "call": self.call, "result": self.result}


@dataclass
class Context:
    registry: Registry
    as_of: dt.date
    whatif: str | None = None
    steps: list[Step] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)

    def clamp(self, value: object, name: str = "date") -> dt.date:
        """The day asked, or ``as_of`` if that is earlier: nothing later is known."""
        return min(day(value, name), self.as_of)

    def log(self, part: str, call: str, result: Any) -> None:
        self.steps.append(Step(part, call, result))

    def cite(self, refs: list[dict[str, Any]]) -> None:
        for ref in refs:
            item = {"source": ref.get("source"), "locator": ref.get("locator")}
            if item not in self.sources:
                self.sources.append(item)

    def known_from(self, fact: FactRow) -> dt.date | None:
        """The day a fact became known: its date, else its earliest source's publication."""
        if fact.date:
            return PartialDate(fact.date).first
        days = []
        for ref in fact.sources:
            try:
                src = self.registry.source(ref["source"])
            except Exception:  # noqa: BLE001 - an unknown key is the loader's error, not ours
                continue
            published = src.get("published") or (str(src["year"]) if src.get("year") else None)
            if published:
                days.append(PartialDate(str(published)).last)
        return min(days) if days else None

    def facts_known(self, kind: str | None = None) -> list[tuple[FactRow, dt.date]]:
        """Facts (of ``kind``) known on ``as_of``, each with the day it became known."""
        out = []
        for fact in self.registry.facts(kind=kind):
            known = self.known_from(fact)
            if known is not None and known <= self.as_of:
                out.append((fact, known))
        return out

    def overlap(self, on: dt.date, region: str | None = None, field: str | None = None) -> Any:
        """``overlap_pairs`` of the architecture on one day (remembered per process)."""
        from scomodel.architecture import overlap_pairs

        arch = self.architecture()
        key = (id(arch), on, region, field)
        if key not in _OVERLAP:
            if len(_OVERLAP) > 4096:
                _OVERLAP.clear()
            _OVERLAP[key] = overlap_pairs(arch, on, region=region, field=field)
        return _OVERLAP[key]

    def architecture(self) -> Any:
        """The architecture (cached per process for the curated data; rebuilt for a what-if)."""
        from scomodel.architecture import Architecture

        if self.whatif:
            key = f"whatif:{self.whatif}:{len(self.registry.spells())}"
            if key not in _ARCH:
                frame = self.registry.spells_frame()
                frame = frame[frame["dataset"] != "cow_igo_v3"].reset_index(drop=True)
                _ARCH[key] = Architecture.load(spells=frame)
            return _ARCH[key]
        if "curated" not in _ARCH:
            _ARCH["curated"] = Architecture.load()
        return _ARCH["curated"]
