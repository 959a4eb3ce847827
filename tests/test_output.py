"""One output helper for every table command: JSON is the contract."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest

from scomodel.errors import InputError
from scomodel.output import emit, to_plain


@dataclass
class Row:
    code: str
    day: dt.date
    sources: list[dict[str, str]]


ROWS = [Row("KAZ", dt.date(2001, 6, 15), [{"source": "zhao2004", "locator": "§3"}])]


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    emit(ROWS, "json")
    assert json.loads(capsys.readouterr().out) == [
        {"code": "KAZ", "day": "2001-06-15", "sources": [{"source": "zhao2004", "locator": "§3"}]}]


def test_csv_flattens_sources(capsys: pytest.CaptureFixture[str]) -> None:
    emit(ROWS, "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["code,day,sources", "KAZ,2001-06-15,zhao2004 §3"]


def test_unknown_format() -> None:
    with pytest.raises(InputError, match="table, json or csv"):
        emit(ROWS, "yaml")


def test_nan_becomes_null() -> None:
    assert to_plain({"x": float("nan")}) == {"x": None}
