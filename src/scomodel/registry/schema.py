"""The shape of the curated data files (see docs/data-format.md).

Pydantic models with ``extra="forbid"``: a mistyped key is an error that names its line,
not a silently ignored fact.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scomodel.dates import PartialDate

__all__ = [
    "STATUSES",
    "STANDING",
    "PROCEDURES",
    "StrictModel",
    "partial_date",
    "SourceRef",
    "SourceEntry",
    "OrganizationEntry",
    "SpellEvent",
    "Disputed",
    "SpellEntry",
    "SpellFile",
    "FactEntry",
]

#: Statuses an actor can hold in an organization. ``associate`` exists for COW's code 2;
#: ``partner`` is the SCO status that merged observers and dialogue partners in 2025.
Status = Literal[
    "member",
    "associate",
    "observer",
    "dialogue_partner",
    "partner",
    "guest",
    "applicant",
    "acceding",
    "candidate",
    "suspended",
    "frozen",
]
STATUSES: tuple[str, ...] = get_args(Status)

#: Standing statuses: an actor holds at most one of them in an organization at a time.
STANDING: frozenset[str] = frozenset({"member", "associate", "observer", "dialogue_partner",
                                      "partner"})
#: Procedure tracks (and one-off guest invitations): they run beside a standing status, so
#: India is an observer *and* acceding from 2015-07-10 to 2017-06-09. ``applicant``: an
#: application lodged and not yet decided; ``acceding``: admission decided, procedure
#: running; ``candidate``: a recognised candidate (the EU's term); ``suspended``: rights
#: suspended by the organization; ``frozen``: participation frozen by the state itself.
PROCEDURES: frozenset[str] = frozenset(STATUSES) - STANDING


class StrictModel(BaseModel):
    """A data-file record: unknown keys are errors, values never change after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def partial_date(value: Any) -> str | None:
    """Validator: a date as written (``YYYY[-MM[-DD]]``), checked; empty means none."""
    if value is None or value == "":
        return None
    return PartialDate.parse(value).value



class SourceRef(StrictModel):
    """A citation: which source, and where in it."""

    source: str
    locator: str | None = None
    judgement: bool = False
    note: str | None = None


class SourceEntry(StrictModel):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")
    #: ``seed``: the two analyses the project is built from (shared/seeds); ``scholarly``:
    #: a journal article or book chapter; ``analysis``: a think-tank or NGO report
    kind: Literal["analysis", "official", "treaty", "news", "dataset", "reference", "seed",
                  "scholarly"]
    title: str
    author: str | None = None
    #: the newspaper, agency, journal, series or site that published it
    outlet: str | None = None
    year: int | None = None
    #: publication date as precise as known (``YYYY[-MM[-DD]]``)
    published: str | None = None
    url: str | None = None
    #: the day the copy we read was accessed (a stored copy's date where read from one)
    accessed: str | None = None
    #: the URL is a repost (forum, mirror) of the outlet's text, not the outlet's own page
    repost: bool = False
    note: str | None = None

    _dates = field_validator("published", "accessed", mode="before")(partial_date)


class OrganizationEntry(StrictModel):
    code: str = Field(pattern=r"^[A-Z][A-Z0-9_\-]*$")
    name: str
    founded: str | None = None
    dissolved: str | None = None
    predecessor: str | None = None
    cow: str | None = None
    #: Wikidata item of the organization (the SCO is Q485207)
    wikidata: str | None = Field(default=None, pattern=r"^Q[0-9]+$")
    #: the day its data were last checked against the sources: the end of its coverage
    checked: str | None = None
    note: str | None = None
    sources: list[SourceRef] = Field(min_length=1)

    _dates = field_validator("founded", "dissolved", "checked", mode="before")(partial_date)


class SpellEvent(StrictModel):
    kind: str
    date: str
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None

    _dates = field_validator("date", mode="before")(partial_date)


class Disputed(StrictModel):
    field: str
    value: Any
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None


class SpellEntry(StrictModel):
    actor: str
    status: Status
    start: str
    end: str | None = None
    sources: list[SourceRef] = Field(min_length=1)
    events: list[SpellEvent] = Field(default_factory=list)
    follows: str | None = None
    note: str | None = None
    disputed: list[Disputed] = Field(default_factory=list)

    _dates = field_validator("start", "end", mode="before")(partial_date)

    @model_validator(mode="after")
    def _check(self) -> SpellEntry:
        if self.events and self.follows not in {e.kind for e in self.events}:
            raise ValueError(
                f"'follows' must name one of the events ({', '.join(e.kind for e in self.events)})"
            )
        return self


class SpellFile(StrictModel):
    org: str
    spells: list[SpellEntry]
    note: str | None = None
    sources: list[SourceRef] = Field(default_factory=list)


class FactEntry(StrictModel):
    id: str
    kind: Literal[
        "summit", "document", "body", "office_term", "agreement", "relation", "event",
        "status_decision",
    ]
    about: list[str] = Field(min_length=1)
    date: str | None = None
    end: str | None = None
    title: str
    attributes: dict[str, Any] = Field(default_factory=dict)
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None
    disputed: list[Disputed] = Field(default_factory=list)

    _dates = field_validator("date", "end", mode="before")(partial_date)
