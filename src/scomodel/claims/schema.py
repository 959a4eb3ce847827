"""The shape of a claim file (``data/claims/*.yaml``), checked field by field.

A claim carries no verdict: the file says what the seed expected, which query answers it
and which figures decide it; the verdict is computed from the data each time
(:mod:`scomodel.claims.verdict`). ``extra="forbid"`` makes a typed-in ``verdict:`` key an
error that names its line, so a verdict cannot be written into the ledger by hand.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scomodel.registry.schema import partial_date

__all__ = ["Condition", "Threshold", "Operationalization", "Locator", "ClaimEntry",
           "ClaimFile", "SEEDS", "OPS"]

#: The two analyses the claims come from (keys of sources.yaml).
SEEDS = ("zhao2004", "masuda2011")
#: Comparisons a condition may make between a figure and a value (or another figure).
OPS = ("<", "<=", "==", "!=", ">=", ">", "contains", "not_contains")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """``figure op value``: ``value`` is a number, text or flag, or ``{figure: NAME}``."""

    figure: str
    op: Literal["<", "<=", "==", "!=", ">=", ">", "contains", "not_contains"]
    value: Any = None
    value_figure: str | None = None


class Threshold(_Strict):
    """Which figures decide. The first rule whose conditions all hold gives the verdict,
    in the order holds, partly, fails; none matching is ``undecided``.

    ``horizon``: the day by which a claim about the future should have come true. Before
    it a claim that would fail or only partly hold is ``undecided`` (not yet borne out).
    """

    holds: list[Condition] = Field(min_length=1)
    partly: list[Condition] = Field(default_factory=list)
    fails: list[Condition] = Field(default_factory=list)
    horizon: str | None = None
    why: str

    _dates = field_validator("horizon", mode="before")(partial_date)


class Operationalization(_Strict):
    """A named query of the parts (see :data:`scomodel.claims.queries.QUERIES`)."""

    query: str
    params: dict[str, Any] = Field(default_factory=dict)
    describe: str


class Locator(_Strict):
    section: str
    footnote: str | None = None
    page: str | None = None


class ClaimEntry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    seed: Literal["zhao2004", "masuda2011"]
    locator: Locator
    #: our own paraphrase of the expectation, never the authors' sentence
    paraphrase: str = Field(min_length=20)
    #: the date the claim was made: the seed's date
    made: str
    topic: str
    operationalization: Operationalization
    threshold: Threshold
    #: what the data cannot say about this claim (its limits)
    limits: str | None = None
    note: str | None = None

    _dates = field_validator("made", mode="before")(partial_date)


class ClaimFile(_Strict):
    claims: list[ClaimEntry] = Field(min_length=1)
    note: str | None = None
    #: the seed the file's claims are read from (each claim's locator says where in it)
    sources: list[dict[str, str]] = Field(default_factory=list)
