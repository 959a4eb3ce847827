"""What the charter asks of the registry: who an actor is and what it holds on a day.

Kept in one module so that the rest of the charter part never depends on how the
registry stores things, and so that tests can pass a registry built from fixtures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scomodel.actors import Actor
from scomodel.charter.loader import charter_facts
from scomodel.dates import PartialDate
from scomodel.registry import Registry

__all__ = ["Context", "open_context", "CHARTER_STATE", "charter_state"]

#: The registry's procedure names the rulebooks call otherwise: a state whose admission
#: the organization has decided and whose procedure runs is ``acceding`` in the registry
#: (docs/data-format.md) and an ``applicant`` in the rules (the SCO's 2010 regulations).
CHARTER_STATE: dict[str, str] = {"acceding": "applicant"}


def charter_state(status: str) -> str:
    """The rulebooks' name for a registry status (most are the same)."""
    return CHARTER_STATE.get(status, status)


@dataclass
class Context:
    """The registry (curated, or a what-if copy) seen from the charter."""

    registry: Registry

    def actor(self, text: str) -> Actor:
        return self.registry.actors.resolve(text, field="actor")

    def statuses(self, actor: str, org: str, day: dt.date) -> list[str]:
        """Statuses ``actor`` holds in ``org`` on ``day`` (empty: none), in the rules' names:
        a standing status and any procedure tracks beside it (observer and applicant)."""
        rows = self.registry.status(actor, org, day.isoformat())
        return sorted({charter_state(r.status) for r in rows})

    def members(self, org: str, day: dt.date) -> list[str]:
        return sorted(r.actor for r in self.registry.members(org, day.isoformat(), "member"))

    def memorandum(self, actor: str, org: str) -> dict[str, Any] | None:
        """The memorandum of a dialogue partner: registry facts first, then charter data."""
        for fact in self.registry.facts(about=actor):
            attrs = fact.attributes or {}
            if org in fact.about and attrs.get("type") == "memorandum" and attrs.get("fields"):
                return {
                    "signed": fact.date,
                    "fields": list(attrs["fields"]),
                    "verification": attrs.get("verification", "verified"),
                    "sources": fact.sources,
                }
        for memo in charter_facts().memoranda:
            if memo.actor == actor:
                return {
                    "signed": memo.signed,
                    "fields": memo.fields,
                    "verification": memo.verification,
                    "sources": memo.sources,
                }
        return None

    def sanctions(self, actor: str, day: dt.date) -> tuple[bool | None, str, dict[str, Any] | None]:
        """Whether a UN Security Council regime applies to ``actor`` on ``day`` (None: unknown)."""
        facts = charter_facts()
        regimes = [s for s in facts.sanctions if s.actor == actor]
        if not regimes and facts.sanctions_complete:
            return (
                False,
                f"{actor} is not among the targets of UN Security Council sanctions regimes "
                f"in the charter data ({facts.sanctions_verification} list)",
                {"verification": facts.sanctions_verification},
            )
        if not regimes:
            return (
                None,
                (
                    f"the charter data records no UN Security Council sanctions on {actor}, "
                    "and its list is not exhaustive"
                ),
                None,
            )
        for s in regimes:
            start = PartialDate(s.start).first
            end = PartialDate(s.end).first if s.end else dt.date.max
            if start <= day < end:
                return (
                    True,
                    f"{s.regime} applies from {s.start} to {s.end or 'now'} ({s.verification})",
                    s.model_dump(),
                )
        s = regimes[0]
        return (
            False,
            f"{s.regime} applies only from {s.start} to {s.end or 'now'} ({s.verification})",
            s.model_dump(),
        )


def open_context(registry: str | Registry | None = None) -> Context:
    """The curated registry, or the what-if copy named ``registry``."""
    if isinstance(registry, Registry):
        return Context(registry)
    return Context(Registry.open(whatif=registry or None))
