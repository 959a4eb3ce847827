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


def test_missing_cells_of_a_frame_become_null() -> None:
    import pandas as pd

    frame = pd.DataFrame({"end": ["2017-06-09", None], "x": [1.5, float("nan")]})
    assert to_plain(frame) == [{"end": "2017-06-09", "x": 1.5}, {"end": None, "x": None}]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_json_is_strict_and_names_where_a_bad_number_sits(bad: float) -> None:
    """A NaN outside a frame is a bug, not a missing value: never printed as JSON."""
    from scomodel.errors import OutputError
    from scomodel.output import dumps

    with pytest.raises(OutputError, match=r"\$\.rounds\[1\]\.median"):
        dumps({"rounds": [{"median": 1.0}, {"median": bad}]})
    assert dumps({"x": [1.0, None]}, compact=True) == '{"x":[1.0,null]}'
