"""What registry queries return: plain records that serialise to the JSON contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["SpellRow", "FactRow", "Change"]


@dataclass(frozen=True, slots=True)
class SpellRow:
    """One actor holding one status in one organization over a span of days.

    ``end`` is the first day the status no longer held (``None`` while current);
    ``precision`` is how exactly the sources date ``start`` (day, month or year).
    """

    org: str
    actor: str
    name: str
    cow: int | None
    status: str
    start: str
    end: str | None
    precision: str
    end_precision: str | None
    sources: list[dict[str, Any]]
    note: str | None = None
    dataset: str = "curated"
    events: list[dict[str, Any]] = field(default_factory=list)
    follows: str | None = None
    disputed: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class FactRow:
    """A dated fact (summit, document, body, office term, agreement...)."""

    id: str
    kind: str
    about: list[str]
    date: str | None
    end: str | None
    title: str
    attributes: dict[str, Any]
    sources: list[dict[str, Any]]
    note: str | None = None
    disputed: list[dict[str, Any]] = field(default_factory=list)
    dataset: str = "curated"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Change:
    """How one actor's standing in an organization differs between two dates."""

    actor: str
    name: str
    change: str  # joined | left | changed
    spell_before: SpellRow | None
    spell_after: SpellRow | None

    @property
    def before(self) -> str | None:
        return self.spell_before.status if self.spell_before else None

    @property
    def after(self) -> str | None:
        return self.spell_after.status if self.spell_after else None

    def to_dict(self) -> dict[str, Any]:
        spells = [s for s in (self.spell_before, self.spell_after) if s is not None]
        return {
            "actor": self.actor,
            "name": self.name,
            "change": self.change,
            "before": self.before,
            "after": self.after,
            "sources": [ref for s in spells for ref in s.sources],
        }
