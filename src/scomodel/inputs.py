"""Checks at the door: enumerated values, numbers, periods and lists a user gives.

The faces (CLI, API) and the file readers call these before any model runs, so a bad value
is one :class:`~scomodel.errors.InputError` naming the field, the value and what was
accepted, never a NaN in the answer or a filter that silently matches nothing. Names of
actors and organizations have their own resolver (:mod:`scomodel.actors`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from scomodel.errors import InputError, UnknownNameError

__all__ = [
    "check_choice",
    "choice_callback",
    "metavar",
    "check_number",
    "check_numbers",
    "check_distinct",
    "check_period",
]


def check_choice(
    value: Any, accepted: Iterable[str], *, field: str, what: str | None = None
) -> str:
    """``value`` if it is one of ``accepted``; else an error listing them all."""
    allowed = list(accepted)
    if value not in allowed:
        raise UnknownNameError(
            f"unknown {what or field} {value!r}: expected one of {', '.join(allowed)}",
            field=field,
            value=value,
        )
    return str(value)


def choice_callback(
    accepted: Sequence[str], *, field: str, case_sensitive: bool = True
) -> Callable[[Any], Any]:
    """A Typer option callback that refuses anything but ``accepted`` (``None`` passes).

    Raises scomodel's own error rather than Click's, so the CLI prints one line naming the
    field and the accepted values (Click's usage errors are a multi-line box).
    """

    def check(value: Any) -> Any:
        if value is None:
            return None
        text = str(value) if case_sensitive else str(value).lower()
        return check_choice(text, accepted, field=field)

    return check


def metavar(accepted: Sequence[str]) -> str:
    """How ``--help`` shows an enumerated option: ``[a|b|c]``."""
    return "[" + "|".join(accepted) + "]"


def check_number(
    value: Any,
    *,
    field: str,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    integer: bool = False,
    file: str | None = None,
    line: int | None = None,
) -> float:
    """A finite number within [low, high] (``low_open``: strictly above ``low``).

    Booleans are refused: ``rounds=true`` is a typo, not 1.
    """
    where: dict[str, Any] = {"field": field, "file": file, "line": line}
    if isinstance(value, bool) or value is None:
        raise InputError(f"{field} must be a number, got {value!r}", **where)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{field} must be a number, got {value!r}", **where) from None
    if not math.isfinite(number):
        raise InputError(f"{field} must be a finite number, got {value!r}", **where)
    if integer and number != int(number):
        raise InputError(f"{field} must be a whole number, got {value!r}", **where)
    below = low is not None and (number <= low if low_open else number < low)
    above = high is not None and number > high
    if below or above:
        left = "(" if low_open else "["
        span = f"{left}{_g(low)}, {_g(high)}]"
        raise InputError(f"{field} must lie in {span}, got {value!r}", **where)
    return number


def check_numbers(
    values: Sequence[float],
    *,
    field: str,
    low: float | None = None,
    high: float | None = None,
    not_all_zero: bool = False,
    file: str | None = None,
) -> None:
    """Every value finite and in range; ``not_all_zero``: weights that cannot all vanish.

    All-zero capabilities would make every weighted mean 0/0: the forecast would be NaN.
    """
    for k, v in enumerate(values):
        check_number(v, field=f"{field}.{k}", low=low, high=high, file=file)
    if not_all_zero and values and not any(float(v) for v in values):
        raise InputError(
            f"{field}: every value is 0; at least one must be positive", field=field, file=file
        )


def check_distinct(items: Iterable[Any], *, field: str) -> None:
    """No item twice (``shared KAZ KAZ``, ``--members CHN+CHN``)."""
    seen: list[Any] = []
    for item in items:
        if item in seen:
            raise InputError(f"{item} is given twice: name each one once", field=field)
        seen.append(item)


def check_period(first: Any, last: Any, *, field: str = "to", first_field: str = "from") -> None:
    """``first`` must not come after ``last`` (dates, years or anything ordered)."""
    if first is not None and last is not None and last < first:
        raise InputError(f"--{field} {last} is before --{first_field} {first}", field=field)


def _g(value: float | None) -> str:
    return "inf" if value is None else f"{value:g}"
