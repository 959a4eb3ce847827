"""Proceeding files: who applies for what, on which day, and what each step looked like.

Read and validated here, so that every error names its file, line and field before any
rule is applied (:mod:`scomodel.charter.proceedings` runs them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError, field_validator

from scomodel.charter.eligibility import check_status
from scomodel.charter.loader import is_body_code
from scomodel.charter.model import STEP_KINDS
from scomodel.dates import PartialDate
from scomodel.errors import DataValidationError, InputError
from scomodel.registry.schema import StrictModel as _Strict
from scomodel.registry.yamlio import line_of, plain, read_yaml

__all__ = ["LetterStep", "BodyStep", "MemorandumStep", "Proceeding", "load_proceeding"]


class LetterStep(_Strict):
    signed_by: str
    addressed_to: str | None = None
    via: str | None = None


def _code_text(value: Any) -> Any:
    """A COW code written bare in YAML (``objections: [704]``) is a name like any other."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return [_code_text(v) for v in value]
    return value


class BodyStep(_Strict):
    body: str
    objections: list[str] = []

    _codes = field_validator("objections", mode="before")(_code_text)

    @field_validator("body")
    @classmethod
    def _body(cls, value: str) -> str:
        if not is_body_code(value):
            raise ValueError(
                "unknown body: expected CHS, CHG, CMFA, CNC, RATS, SECRETARIAT, SG or MIN_<FIELD>"
            )
        return value


class MemorandumStep(_Strict):
    signed_by: str | None = None
    signed: bool = True
    fulfilled: bool | None = None
    fields: list[str] | None = None


_STEP_MODELS: dict[str, type[_Strict]] = {
    "letter": LetterStep,
    "consent": BodyStep,
    "hearing": BodyStep,
    "recommendation": BodyStep,
    "decision": BodyStep,
    "memorandum": MemorandumStep,
}


class _Header(_Strict):
    org: str
    applicant: str
    status: str
    date: str
    steps: list[Any]

    _codes = field_validator("applicant", mode="before")(_code_text)

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> str:
        return PartialDate.parse(value, field="date").value


@dataclass(frozen=True)
class Proceeding:
    """A validated proceeding file."""

    org: str
    applicant: str
    status: str
    date: str
    steps: list[tuple[str, Any]]
    file: str | None = None
    lines: dict[str, int | None] = field(default_factory=dict)

    def error(self, exc: InputError, key: str) -> InputError:
        """The same error, pointing at the file and line of ``key``."""
        return type(exc)(exc.message, file=self.file, line=self.lines.get(key), field=key)


def _error(node: Any, file: str, loc: list[str | int], message: str) -> DataValidationError:
    return DataValidationError(
        message, file=file, line=line_of(node, loc), field=".".join(map(str, loc)) or None
    )


def _from_pydantic(
    exc: ValidationError, node: Any, file: str, root: list[str | int]
) -> DataValidationError:
    err = exc.errors()[0]
    loc = [*root, *[p for p in err["loc"] if isinstance(p, (str, int))]]
    message = {"missing": "required field is missing", "extra_forbidden": "unknown field"}.get(
        err["type"], err["msg"]
    )
    return _error(node, file, loc, message)


def load_proceeding(path: str | Path) -> Proceeding:
    """Read and validate a proceeding file; every error names its file, line and field."""
    file = str(path)
    node = read_yaml(path)
    if not isinstance(node, dict):
        raise DataValidationError(
            "a proceeding file must be a mapping (org, applicant, status, date, steps)",
            file=file,
            line=1,
        )
    try:
        head = _Header.model_validate(plain(node))
    except ValidationError as exc:
        raise _from_pydantic(exc, node, file, []) from None
    except InputError as exc:
        raise _error(node, file, ["date"], exc.message) from None
    try:
        check_status(head.status)
    except InputError as exc:
        raise _error(node, file, ["status"], exc.message) from None
    steps: list[tuple[str, Any]] = []
    for i, item in enumerate(node["steps"]):
        if not isinstance(item, dict) or len(item) != 1:
            raise _error(
                node,
                file,
                ["steps", i],
                f"each step is one mapping such as 'letter: {{...}}' ({', '.join(STEP_KINDS)})",
            )
        kind = str(next(iter(item)))
        if kind not in _STEP_MODELS:
            raise _error(
                node,
                file,
                ["steps", i, kind],
                f"unknown step {kind!r}: expected one of {', '.join(STEP_KINDS)}",
            )
        try:
            steps.append((kind, _STEP_MODELS[kind].model_validate(plain(item[kind]) or {})))
        except ValidationError as exc:
            raise _from_pydantic(exc, node, file, ["steps", i, kind]) from None
    lines = {key: line_of(node, [key]) for key in ("org", "applicant", "status", "date")}
    for i, (kind, data) in enumerate(steps):
        for j, _ in enumerate(getattr(data, "objections", [])):
            lines[f"steps.{i}.{kind}.objections.{j}"] = line_of(
                node, ["steps", i, kind, "objections", j]
            )
    return Proceeding(head.org, head.applicant, head.status, head.date, steps, file, lines)
