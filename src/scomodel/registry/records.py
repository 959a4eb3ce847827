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

    ``kind`` says whether ``status`` is a *standing* status (at most one at a time) or a
    *procedure* track (applicant, acceding, guest...) that runs beside one. ``beside``
    lists the other spells of the same actor in the same organization running at the same
    time (an observer's accession, an acceding state's observer status); a dated query
    keeps only those running during the period asked. ``coverage`` is the span the
    spell's dataset speaks for in that organization; ``end_reason`` is ``"coverage"``
    when the spell ends only because its data end there (COW's last year), never an
    exit; ``covered`` is false in an answer whose period lies past ``coverage``.
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
    kind: str = "standing"
    beside: list[dict[str, Any]] = field(default_factory=list)
    end_reason: str | None = None
    coverage: dict[str, Any] | None = None
    covered: bool = True

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
    """How one actor's standing (or one procedure track) differs between two dates.

    ``track`` is ``standing`` (``change``: joined, left, changed) or ``procedure``
    (started, ended, changed); ``not_covered`` means the later date lies past the
    coverage of the data the earlier spell came from: not an exit.
    """

    actor: str
    name: str
    change: str  # joined | left | changed | started | ended | not_covered
    spell_before: SpellRow | None
    spell_after: SpellRow | None
    track: str = "standing"

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
            "track": self.track,
            "change": self.change,
            "before": self.before,
            "after": self.after,
            "covered": all(s.covered for s in spells),
            "coverage": spells[-1].coverage if spells else None,
            "sources": [ref for s in spells for ref in s.sources],
        }
