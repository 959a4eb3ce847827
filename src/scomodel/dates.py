"""Dates with a precision.

Sources date events to the day, the month or only the year. A :class:`PartialDate` keeps
the precision so that a year-level fact is never shown as if it were known to the day,
and a query for ``2005`` means the whole year, not 1 January.

>>> PartialDate.parse("2004-06")
PartialDate(value='2004-06')
>>> PartialDate.parse("2004-06").first, PartialDate.parse("2004-06").last
(datetime.date(2004, 6, 1), datetime.date(2004, 6, 30))
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from scomodel.errors import InputError

__all__ = ["Precision", "PartialDate", "parse_date", "Period", "parse_period"]

Precision = Literal["day", "month", "year"]
_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A calendar date known to the day, the month or the year (``YYYY[-MM[-DD]]``)."""

    value: str

    @classmethod
    def parse(cls, text: object, *, field: str | None = None) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a ``date`` is taken as a day)."""
        if isinstance(text, dt.datetime):
            text = text.date()
        if isinstance(text, dt.date):
            return cls(text.isoformat())
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            raise InputError(
                f"expected a date YYYY, YYYY-MM or YYYY-MM-DD, got {text!r}", field=field
            )
        text = text.strip()
        match = _PATTERN.match(text)
        if not match:
            raise InputError(
                f"expected a date YYYY, YYYY-MM or YYYY-MM-DD, got {text!r}", field=field
            )
        year, month, day = match.groups()
        try:
            dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError as exc:
            raise InputError(f"{text!r} is not a calendar date ({exc})", field=field) from None
        return cls(text)

    @property
    def precision(self) -> Precision:
        """How much of the date the source gives."""
        return ("year", "month", "day")[self.value.count("-")]  # type: ignore[return-value]

    @property
    def first(self) -> dt.date:
        """The first day the date can mean."""
        parts = [int(p) for p in self.value.split("-")]
        return dt.date(
            parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
        )

    @property
    def last(self) -> dt.date:
        """The last day the date can mean."""
        parts = [int(p) for p in self.value.split("-")]
        if len(parts) == 3:
            return dt.date(*parts)
        if len(parts) == 2:
            return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
        return dt.date(parts[0], 12, 31)

    def __str__(self) -> str:
        return self.value


def parse_date(text: object, *, field: str | None = None) -> PartialDate:
    """Shorthand for :meth:`PartialDate.parse`."""
    return PartialDate.parse(text, field=field)


@dataclass(frozen=True, slots=True)
class Period:
    """A closed range of days; a query date of month or year precision is such a period."""

    first: dt.date
    last: dt.date

    @property
    def is_day(self) -> bool:
        return self.first == self.last


def parse_period(text: object, *, field: str | None = "on") -> Period:
    """The days a query date covers: ``2005`` is all of 2005, ``2005-07-06`` one day."""
    date = parse_date(text, field=field)
    return Period(date.first, date.last)
