"""The shape of the architecture data files: fields, mandates, bilateral arrangements, regions.

Pydantic models with ``extra="forbid"`` (like the registry's), so a mistyped key in
``mandates.yaml`` is an error naming its line instead of a silently missing field of
cooperation that would make two organizations look less alike than they are.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from scomodel.dates import PartialDate
from scomodel.registry.schema import Disputed, SourceRef, SpellEvent
from scomodel.registry.schema import StrictModel as _Strict
from scomodel.registry.schema import partial_date as _date

__all__ = [
    "TIERS",
    "Tier",
    "FieldEntry",
    "TierEntry",
    "MandateEntry",
    "ArrangementEntry",
    "RegionEntry",
]

#: masuda2011's tiers, from the narrowest tie to the widest.
TIERS: tuple[str, ...] = ("bilateral", "minilateral", "regional", "global")
Tier = Literal["bilateral", "minilateral", "regional", "global"]
_CODE = r"^[a-z][a-z0-9_]*$"


class _Dated(_Strict):
    """An entry in force from ``start`` up to (not including) ``end``."""

    start: str
    end: str | None = None

    _dates = field_validator("start", "end", mode="before")(_date)

    @model_validator(mode="after")
    def _order(self) -> _Dated:
        if self.end and PartialDate(self.end).first <= PartialDate(self.start).first:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        return self


class FieldEntry(_Strict):
    code: str = Field(pattern=_CODE)
    label: str
    note: str | None = None
    sources: list[SourceRef] = Field(min_length=1)


class TierEntry(_Strict):
    org: str = Field(pattern=r"^[A-Z][A-Z0-9_\-]*$")
    tier: Tier
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None


class MandateEntry(_Dated):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")
    subject: str
    kind: Literal["organization", "agreement"]
    parties: list[str] = Field(default_factory=list)
    document: str
    fields: list[str] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None
    disputed: list[Disputed] = Field(default_factory=list)

    @model_validator(mode="after")
    def _parties(self) -> MandateEntry:
        if self.kind == "agreement" and len(self.parties) < 2:
            raise ValueError("an agreement needs at least two parties")
        return self


class ArrangementEntry(_Dated):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")
    kind: Literal["basing", "access", "alliance", "treaty", "partnership"]
    parties: list[str] = Field(min_length=2)
    host: str | None = None
    title: str
    fields: list[str] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1)
    events: list[SpellEvent] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _host(self) -> ArrangementEntry:
        if self.host is not None and self.host not in self.parties:
            raise ValueError(f"host {self.host} is not one of the parties")
        return self

    @property
    def tier(self) -> Tier:
        """Two parties make a bilateral tie; three or more a minilateral one."""
        return "bilateral" if len(self.parties) == 2 else "minilateral"


class RegionEntry(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9\-]*$")
    name: str
    members: list[str] = Field(min_length=1)
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None
