"""One exception hierarchy for scomodel.

Every error a user can cause by bad input is an :class:`InputError` that names where the
problem is (file, line, field) and what was expected, so the CLI can print it and exit 2
and the API can answer 4xx instead of showing a traceback.
"""

from __future__ import annotations

__all__ = [
    "ScomodelError",
    "InputError",
    "NotFoundError",
    "UnknownNameError",
    "DataValidationError",
    "OutputError",
    "StoreError",
]


class ScomodelError(Exception):
    """Base of every error scomodel raises on purpose."""


class InputError(ScomodelError, ValueError):
    """Bad input: a file, a CLI argument or an API parameter that cannot be used.

    Args:
        message: what is wrong and what was expected.
        file: the file at fault, if any.
        line: the 1-based line in that file, if known.
        field: the field (dotted path) at fault, if known.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        # one line, always: a parser's own message may carry line breaks (ruamel's does)
        self.message = " ".join(str(message).split())
        self.file = file
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = str(self.file) + (f":{self.line}" if self.line else "")
        if self.field:
            where = f"{where} [{self.field}]" if where else f"[{self.field}]"
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, object]:
        """The error as plain data (used by the API's problem+json answers)."""
        return {"detail": self.message, "file": self.file, "line": self.line, "field": self.field}


class NotFoundError(InputError):
    """A name that does not resolve: an unknown actor, organization, source or scenario."""


class UnknownNameError(NotFoundError):
    """A name a user typed (actor, organization, status...) that the resolver cannot place.

    Kept apart from other lookups so the API can tell a value sent in a query or a body
    (HTTP 422, like any invalid value) from a resource named by the path (HTTP 404).
    ``value`` is what was typed.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        value: object = None,
    ) -> None:
        self.value = value
        super().__init__(message, file=file, line=line, field=field)


class OutputError(ScomodelError):
    """An answer that cannot be written faithfully (a NaN or an infinity bound for JSON).

    Not the user's fault: inputs are checked at the door, so this marks a bug to report,
    raised instead of printing JSON that strict parsers reject.
    """


class DataValidationError(InputError):
    """A curated data file breaks a rule of the data model (see docs/data-format.md)."""


class StoreError(InputError):
    """The store cannot be used as it is (damaged, unreadable, locked): one line naming it.

    Raised instead of a database driver's traceback. The curated part of a store heals
    itself (it is rebuilt from the data files); imported and what-if data cannot be
    rebuilt, so a damaged store holding them stops with this error.
    """
