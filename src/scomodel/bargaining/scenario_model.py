"""The scenario's models: actors, issues, status quo, decision rule, date, sources.

The pydantic classes a scenario file is validated into (``docs/bargaining.md`` gives the
format), apart from the readers in :mod:`scomodel.bargaining.scenario` that turn YAML and
CSV into them, so a part that only needs the shapes does not import the readers.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scomodel.bargaining.citation import Citation, date_text
from scomodel.errors import NotFoundError
from scomodel.registry.schema import StrictModel as _Strict

__all__ = ["Coding", "Position", "Scale", "Outcome", "Issue", "ActorCoding", "RuleSpec",
           "Uncertainty", "SourceRef", "Scenario", "IssueData", "MAX_CAPABILITY", "Role"]

Role = Literal["member", "observer", "dialogue_partner", "guest", "applicant", "external"]


#: Capabilities are relative weights; beyond this they overflow the models' products
#: (1e308 gave ``inf``) and swamp every smaller one. Rescale larger measures (GDP in USD).
MAX_CAPABILITY = 1e15


class Coding(Citation):
    """A sourced number (capability, a status quo)."""

    value: float = Field(allow_inf_nan=False)


class Position(Citation):
    """An actor's position and salience on one issue, with their source."""

    position: float = Field(allow_inf_nan=False)
    salience: float = Field(ge=0, le=100, allow_inf_nan=False)


class Scale(_Strict):
    min: float = Field(default=0.0, allow_inf_nan=False)
    max: float = Field(default=100.0, allow_inf_nan=False)
    low: str = Field(min_length=1, description="what the low end of the scale means")
    high: str = Field(min_length=1, description="what the high end of the scale means")

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if not self.max > self.min:
            raise ValueError(f"max ({self.max}) must exceed min ({self.min})")
        return self


class Outcome(_Strict):
    """What actually happened, for comparison with the forecast."""

    value: float | None = None
    summary: str
    source: str
    locator: str


class Issue(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    label: str
    scale: Scale
    status_quo: Coding
    outcome: Outcome | None = None


class ActorCoding(_Strict):
    actor: str
    role: Role
    role_source: Citation | None = None
    capability: Coding
    positions: dict[str, Position]

    @field_validator("capability")
    @classmethod
    def _capability_range(cls, c: Coding) -> Coding:
        if not 0 <= c.value <= MAX_CAPABILITY:
            raise ValueError(
                f"capability must lie in [0, {MAX_CAPABILITY:g}], got {c.value:g} "
                "(capabilities are relative weights: rescale larger measures)"
            )
        return c


class RuleSpec(_Strict):
    """A what-if decision rule; without one the charter's rule on the date applies."""

    kind: Literal["consensus", "unanimity", "qualified_majority", "majority"]
    threshold: float | None = Field(default=None, gt=0, le=1)
    source: Citation | None = None

    @model_validator(mode="after")
    def _threshold(self) -> RuleSpec:
        if self.kind == "qualified_majority" and self.threshold is None:
            raise ValueError("qualified_majority needs a threshold (e.g. 0.75)")
        return self


class Uncertainty(_Strict):
    """Standard deviations for Monte Carlo: positions in scale units, salience in points
    (0-100), capability as a relative (log-normal) spread."""

    position: float = Field(default=5.0, ge=0)
    salience: float = Field(default=10.0, ge=0)
    capability: float = Field(default=0.2, ge=0)


class SourceRef(_Strict):
    """A source the registry does not list, declared by the scenario itself."""

    key: str = Field(min_length=1)
    title: str
    url: str | None = None
    year: int | None = None
    published: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")

    _published = field_validator("published", mode="before")(lambda v: date_text(v))
    note: str | None = None


class Scenario(_Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    date: dt.date
    org: str = "SCO"
    question: str
    issues: list[Issue] = Field(min_length=1)
    actors: list[ActorCoding] = Field(min_length=2)
    decision_rule: RuleSpec | None = None
    veto_players: list[str] | None = None
    uncertainty: Uncertainty = Uncertainty()
    sources: list[SourceRef] = []
    notes: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        return v.isoformat() if isinstance(v, dt.date) else v

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        ids = [i.id for i in self.issues]
        if len(set(ids)) != len(ids):
            raise ValueError(f"issue ids must be unique, got {ids}")
        codes = [a.actor for a in self.actors]
        if len(set(codes)) != len(codes):
            raise ValueError(f"each actor may appear once, got {codes}")
        for issue in self.issues:
            lo, hi = issue.scale.min, issue.scale.max
            if not lo <= issue.status_quo.value <= hi:
                raise ValueError(f"status quo of {issue.id} lies outside [{lo}, {hi}]")
            coded = [a for a in self.actors if issue.id in a.positions]
            if coded and not any(a.capability.value > 0 for a in coded):
                # every weighted mean would be 0/0: the forecast would be NaN
                raise ValueError(
                    f"every actor coded on {issue.id} has capability 0; "
                    "at least one must be positive"
                )
        return self

    @cached_property
    def issue_ids(self) -> list[str]:
        return [i.id for i in self.issues]

    def issue(self, issue_id: str | None = None) -> Issue:
        if issue_id is None:
            return self.issues[0]
        for i in self.issues:
            if i.id == issue_id:
                return i
        raise NotFoundError(
            f"scenario {self.name} has no issue {issue_id!r}: expected one of "
            + ", ".join(self.issue_ids),
            field="issue",
        )

    def data(self, issue_id: str | None = None) -> IssueData:
        """Arrays for one issue: actors coded on it, their c, x, s."""
        issue = self.issue(issue_id)
        rows = [a for a in self.actors if issue.id in a.positions]
        return IssueData(
            actors=tuple(a.actor for a in rows),
            roles=tuple(a.role for a in rows),
            capability=np.array([a.capability.value for a in rows]),
            position=np.array([a.positions[issue.id].position for a in rows]),
            salience=np.array([a.positions[issue.id].salience for a in rows]),
            scale=(issue.scale.min, issue.scale.max),
            status_quo=issue.status_quo.value,
            issue=issue.id,
        )

    def citations(self) -> list[dict[str, Any]]:
        """Every coding with its source, one row each (``scomodel scenario show``)."""
        rows: list[dict[str, Any]] = []

        def add(what: str, actor: str, value: Any, c: Citation) -> None:
            rows.append(
                {
                    "what": what,
                    "actor": actor,
                    "value": value,
                    "source": c.source,
                    "locator": c.locator,
                    "judgement": c.judgement,
                    "passage": c.passage,
                    "profile": c.profile,
                }
            )

        for issue in self.issues:
            add(f"{issue.id}.status_quo", "", issue.status_quo.value, issue.status_quo)
        for a in self.actors:
            if a.role_source is not None:
                add("role", a.actor, a.role, a.role_source)
            add("capability", a.actor, a.capability.value, a.capability)
            for iid, p in a.positions.items():
                add(f"{iid}.position/salience", a.actor, f"{p.position:g} / {p.salience:g}", p)
        if self.decision_rule is not None and self.decision_rule.source is not None:
            add("decision_rule", "", self.decision_rule.kind, self.decision_rule.source)
        return rows


class IssueData(BaseModel):
    """One issue's numbers, ready for a model."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    actors: tuple[str, ...]
    roles: tuple[str, ...]
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    scale: tuple[float, float]
    status_quo: float | None
    issue: str
