"""Citations of scenario and profile codings: where a number comes from, and when.

Kept apart from :mod:`scomodel.bargaining.scenario` so that actor profiles
(:mod:`scomodel.bargaining.profiles`) can cite the same way without importing the
scenario format, which itself reads profiles: no import circle.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, field_validator, model_validator

from scomodel.registry.schema import StrictModel as _Strict

__all__ = ["Citation", "date_text"]


def date_text(v: Any) -> Any:
    """A YAML date or year (``2017-06-02``, ``2016``) as the text the pattern checks."""
    return v.isoformat() if isinstance(v, dt.date) else str(v) if isinstance(v, int) else v



class Citation(_Strict):
    """Where a coding comes from. ``judgement: true`` needs the ``passage`` it reads."""

    source: str = Field(min_length=1)
    locator: str = Field(min_length=1)
    judgement: bool = False
    passage: str | None = None
    profile: str | None = None  # an actor profile this coding rests on (``scomodel profile``)
    note: str | None = None
    #: the date of what is cited, when it is not the source's own (``YYYY[-MM[-DD]]``; a
    #: dataset observation is dated by the year it measures); see ``bargaining/dated.py``
    dated: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")

    _dated = field_validator("dated", mode="before")(lambda v: date_text(v))

    @model_validator(mode="after")
    def _judgement_has_passage(self) -> Citation:
        if self.judgement and not (self.passage and self.passage.strip()):
            raise ValueError("a judgement coding must name the passage it is read from (passage:)")
        return self
