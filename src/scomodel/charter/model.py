"""The shape of a rulebook: one document's rules, each a typed record with its source.

Rules are data so that an analyst can read, cite, copy and change them (a what-if
rulebook) without touching code; the engine (:mod:`scomodel.charter.engine`) interprets
them. Every rule says which document and article it comes from, how well that was
verified, and where the text was read.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Any, Literal, get_args

from pydantic import ConfigDict, Field, field_validator, model_validator

from scomodel.registry.schema import SourceRef
from scomodel.registry.schema import StrictModel as _Strict
from scomodel.registry.schema import partial_date as _date

__all__ = [
    "Verification",
    "SourceRef",
    "Rule",
    "BodyRule",
    "DecisionRuleSpec",
    "StepRule",
    "CriterionRule",
    "RightRule",
    "TransitionRule",
    "ProvisionRule",
    "CompetenceRule",
    "DisputeRule",
    "MIA_AREAS",
    "Rulebook",
    "STATES",
    "STEP_KINDS",
    "CRITERION_TESTS",
    "RULE_KINDS",
    "RuleKind",
    "StateName",
]

Verification = Literal["verified", "secondary", "unverified"]

#: States of the status machine (brief §7); the registry's ``applicant`` is ``applicant``.
StateName = Literal[
    "none",
    "guest",
    "observer",
    "dialogue_partner",
    "applicant",
    "member",
    "suspended",
    "withdrawn",
    "expelled",
    "partner",
    "associate",  # CIS Charter Art. 8 (Turkmenistan from 2005)
    "candidate",  # EAEU candidate for accession (2015 procedure)
]
STATES: tuple[str, ...] = get_args(StateName)
STEP_KINDS: tuple[str, ...] = (
    "letter",
    "consent",
    "hearing",
    "recommendation",
    "decision",
    "memorandum",
)
#: The kinds of rule a rulebook holds (``rules --kind``).
RuleKind = Literal[
    "body", "decision", "step", "criterion", "right", "transition", "provision", "competence",
    "dispute",
]
RULE_KINDS: tuple[str, ...] = get_args(RuleKind)
#: What a criterion rule can test; the engine knows how to evaluate each one.
CRITERION_TESTS: tuple[str, ...] = (
    "actor_kind",  # params.kinds: the actor is a state / an organization
    "not_holding",  # params.statuses: the actor does not already hold one of these
    "holds_one_of",  # params.statuses: the actor holds one of these on the date
    "no_unsc_sanctions",  # no UN Security Council sanctions regime on the actor
    "judgement",  # left to the deciding body: the registry cannot know it
)


class Rule(_Strict):
    """What every rule carries, whatever it does."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.\-]*$")
    article: str | None = None
    document: str | None = None  # when the rule comes from another document than its book
    verification: Verification
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None  # first day the rule no longer applies
    replaces: list[str] = Field(default_factory=list)

    _dates = field_validator("valid_from", "valid_until", mode="before")(_date)


class BodyRule(Rule):
    """An organ of the organization and what it does.

    ``composition`` says who sits in it: representatives of the member states (``state``)
    or people who do not represent them (``nonstate``: a secretariat, a court, the EAEU
    Commission's Board); the authority measure (charter/authority.py) reads it.
    """

    kind: Literal["body"]
    body: str
    role: str
    composition: Literal["state", "nonstate"] = "state"


#: How far a decision binds the members (the MIA's bindingness).
Bindingness = Literal["binding", "opt_out", "non_binding"]

MIA_AREAS: tuple[str, ...] = (
    "accession", "suspension", "constitutional", "budget", "compliance", "policy"
)


class CompetenceRule(Rule):
    """Which bodies take part in one decision area at one stage (agenda or final).

    The unit the Measure of International Authority codes: ``bodies`` are the bodies that
    take part (``MEMBERS``: any member state alone); at the final stage, ``matter`` names
    the decision rule that applies, ``binding`` how far the outcome binds the members and
    ``ratification`` whether it needs national ratification.
    """

    kind: Literal["competence"]
    area: Literal["accession", "suspension", "constitutional", "budget", "compliance", "policy"]
    stage: Literal["agenda", "final"]
    bodies: list[str] = Field(min_length=1)
    matter: str = "default"
    binding: list[Bindingness] = Field(default_factory=lambda: list[Bindingness](["binding"]))
    ratification: bool = False


class DisputeRule(Rule):
    """A dispute-settlement body scored on the seven MIA components (each 0, 0.5 or 1)."""

    kind: Literal["dispute"]
    body: str
    components: dict[
        Literal[
            "coverage", "thirdparty", "tribunal", "binding", "nonstate", "remedy", "preliminary"
        ],
        float,
    ]


class DecisionRuleSpec(Rule):
    """How a body decides a matter (consensus and its exceptions, or a what-if rule)."""

    kind: Literal["decision"]
    matter: str = "default"
    method: Literal[
        "consensus",
        "consensus_minus_target",
        "consensus_opt_out",  # CIS Charter Art. 23: a member not interested does not block
        "qualified_majority",
        "objection_threshold",
    ]
    threshold: float | None = Field(default=None, gt=0, le=1)
    bodies: list[str] = Field(default_factory=lambda: ["*"])

    @field_validator("threshold", mode="before")
    @classmethod
    def _fraction(cls, value: Any) -> Any:
        """Thresholds may be written as fractions ("2/3"), which floats cannot state exactly."""
        if isinstance(value, str) and "/" in value:
            num, den = value.split("/", 1)
            return float(Fraction(int(num), int(den)))
        return value

    @model_validator(mode="after")
    def _needs_threshold(self) -> DecisionRuleSpec:
        if self.method in ("qualified_majority", "objection_threshold") and self.threshold is None:
            raise ValueError(f"method {self.method!r} needs a threshold between 0 and 1")
        return self


class StepRule(Rule):
    """One step of the procedure that grants a status."""

    kind: Literal["step"]
    status: str
    step: Literal["letter", "consent", "hearing", "recommendation", "decision", "memorandum"]
    order: int
    optional: bool = False
    signed_by: list[str] = Field(default_factory=list)
    addressed_to: list[str] = Field(default_factory=list)
    body: str | None = None
    matter: str | None = None  # which decision rule applies (default when absent)
    requires: list[str] = Field(default_factory=list)  # memorandum: fields that must be true


class CriterionRule(Rule):
    """A condition an applicant must meet for a status."""

    kind: Literal["criterion"]
    status: str
    criterion: str
    test: Literal["actor_kind", "not_holding", "holds_one_of", "no_unsc_sanctions", "judgement"]
    params: dict[str, Any] = Field(default_factory=dict)


class RightRule(Rule):
    """What holders of some statuses may do in some bodies (``None``: the rule is silent)."""

    kind: Literal["right"]
    statuses: list[str] = Field(min_length=1)
    bodies: list[str] = Field(min_length=1)
    attend: bool | None = None
    speak: bool | None = None
    vote: bool | None = None
    sign: bool | None = None
    condition: str | None = None
    memorandum_fields_only: bool = False


class TransitionRule(Rule):
    """An edge of the status machine: who moves an actor from one status to another."""

    kind: Literal["transition"]
    source_state: str = Field(alias="from")
    target_state: str = Field(alias="to")
    decided_by: str | None = None  # a body code, "unilateral", "expiry", or None when unknown
    trigger: str
    #: why a recorded change cannot be checked against this rule (what the record lacks)
    record_gap: str | None = None
    #: the change applies to every holder at once (a merger): no application, no criteria
    automatic: bool = False
    #: months of written notice the change needs (withdrawal): checked against the record
    notice_months: int | None = Field(default=None, ge=0)
    #: who may start the change: ``body`` (a sanction the organization imposes) or
    #: ``member`` (the member itself); a recorded request by the wrong party is an anomaly
    initiated_by: Literal["body", "member"] | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ProvisionRule(Rule):
    """A rule the engine does not execute but shows (and some it consults by flag)."""

    kind: Literal["provision"]
    text: str
    defers_procedure: list[str] = Field(default_factory=list)  # statuses left to a later act


AnyRule = Annotated[
    BodyRule
    | CompetenceRule
    | DisputeRule
    | DecisionRuleSpec
    | StepRule
    | CriterionRule
    | RightRule
    | TransitionRule
    | ProvisionRule,
    Field(discriminator="kind"),
]


class Rulebook(_Strict):
    """One document: its dates, its source and its rules."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.\-]*$")
    org: str
    title: str
    document: str
    adopted: str | None = None
    in_force: str
    decided_by: str | None = None
    verification: Verification
    sources: list[SourceRef] = Field(min_length=1)
    note: str | None = None
    whatif: bool = False
    rules: list[AnyRule] = Field(default_factory=list)

    _dates = field_validator("adopted", "in_force", mode="before")(_date)
