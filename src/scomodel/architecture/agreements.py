"""State-to-state agreements recorded as registry facts, read as architecture ties.

The registry's curated facts hold agreements such as the Shanghai Five's 1996 and 1997
border agreements (``kind: agreement``, ``attributes.parties``, ``attributes.fields``).
They are part of the tiered structure masuda2011 describes, so the network and the sweep
count them next to ``bilateral.yaml``. Agreements with an organization among their
parties are left to ``mandates.yaml``, which codes inter-organization agreements (the
2007 SCO-CSTO memorandum) with their fields; an agreement already in ``bilateral.yaml``
(same parties, same start) is not counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from scomodel.architecture.loader import ArchitectureData
from scomodel.architecture.schema import ArrangementEntry
from scomodel.registry.schema import SourceRef

__all__ = ["arrangements_from_facts"]


def arrangements_from_facts(facts: Iterable[Any], data: ArchitectureData
                            ) -> list[ArrangementEntry]:
    """Registry ``FactRow`` agreements between states, as arrangements (tier by size)."""
    known = {(frozenset(a.parties), a.start) for a in data.arrangements}
    out: list[ArrangementEntry] = []
    for fact in facts:
        entry = _arrangement(fact, data)
        if entry is None or (frozenset(entry.parties), entry.start) in known:
            continue
        known.add((frozenset(entry.parties), entry.start))
        out.append(entry)
    return out


def _arrangement(fact: Any, data: ArchitectureData) -> ArrangementEntry | None:
    attrs = fact.attributes or {}
    parties = [p for p in attrs.get("parties") or [] if isinstance(p, str)]
    if fact.kind != "agreement" or not fact.date or len(set(parties)) < 2:
        return None
    if any(p in data.organizations for p in parties):
        return None
    try:
        return ArrangementEntry(
            id=fact.id, kind="treaty", parties=sorted(set(parties)), title=fact.title,
            start=fact.date, end=fact.end,
            fields=[f for f in attrs.get("fields") or [] if f in data.fields],
            sources=[SourceRef.model_validate(s) for s in fact.sources],
            note="from the registry's facts",
        )
    except ValidationError:
        return None  # the registry validated the fact; an unusable one is not a tie
