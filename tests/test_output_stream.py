"""The column-wise JSON writer gives the text ``json`` gives for the same rows."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest

from scomodel.output import to_plain
from scomodel.output_stream import ROWS_PER_LINE, json_chunks, json_rows

ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
N = 2 * ROWS_PER_LINE + 5
DAYS = [dt.date(2001, 1, 1) + dt.timedelta(days=k % 40) for k in range(N)]

#: One column of each kind the writer has a path for, and mixed ones it encodes one by one.
COLUMNS = {
    "date": DAYS,
    "date_objects": np.array(DAYS, dtype=object),
    "when": [dt.datetime(2001, 9, 11, 8, 46) if k % 2 else dt.date(2005, 7, 5)
             for k in range(N)],
    "flag": np.arange(N) % 3 == 0,
    "count": np.arange(N, dtype=np.int64) - 7,
    "small": np.arange(N, dtype=np.uint8),
    "share": np.round(np.linspace(0, 1, N), 4),
    "gaps": np.where(np.arange(N) % 5 == 0, np.nan, np.arange(N) / 3),
    "floats": [0.1 * k if k % 7 else math.nan for k in range(N)],
    "signed": np.resize(np.array([-0.0, 0.0, 1e-300, -1.5, 1e16, 0.1 + 0.2]), N),
    "single": np.linspace(0, 1, N, dtype=np.float32),
    "big": np.resize(np.array([2**62, -(2**40), 0], dtype=np.int64), N),
    "code": np.array(["KAZ", "KGZ", "TJK"] * N)[:N],
    "names": np.resize(np.array(['Côte "d\'Ivoire"', "100%", "Шанхай\t"]), N),
    "text": ['"quoted" 100% «Шанхай»\n', "tab\there", "é"] * (N // 3) + ["x"] * (N % 3),
    "ints": list(range(N)),
    "mixed": [None, True, 3, 2.5, "s", [{"source": "zhao2004"}], {"k": [1]},
              np.float64(0.25), np.int64(4)] * (N // 9) + [None] * (N % 9),
}


def _expected_rows() -> list[dict[str, object]]:
    """The rows as the encoder sees them: NaN is null, dates are ISO text."""
    def plain(v: object) -> object:
        if isinstance(v, float) and math.isnan(v):
            return None
        return to_plain(v)

    cols = {k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in COLUMNS.items()}
    return [{k: plain(cols[k][i]) for k in cols} for i in range(N)]


def test_each_row_is_the_encoders_text() -> None:
    assert json_rows(COLUMNS) == [ENCODER.encode(row) for row in _expected_rows()]


def test_a_document_of_tables_and_extras() -> None:
    text = "\n".join(json_chunks({"rows": COLUMNS, "none": {"a": [], "b": []}},
                                 {"omitted": {"series": ["pairs"], "hint": "--full"}}))
    assert json.loads(text) == {"rows": _expected_rows(), "none": [],
                                "omitted": {"series": ["pairs"], "hint": "--full"}}
    lines = text.split("\n")
    assert lines[0] == "{" and lines[-1] == "}" and '  "none": [],' in lines
    rows = [line for line in lines if line.startswith("    {")]
    assert len(rows) == math.ceil(N / ROWS_PER_LINE)  # ROWS_PER_LINE rows a line
    assert rows[0].count('"date"') == ROWS_PER_LINE


@pytest.mark.parametrize("column", [np.array([1.0, np.inf]), [1.0, -math.inf]])
def test_an_infinity_is_refused_as_by_the_encoder(column: object) -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        json_rows({"x": column})  # type: ignore[dict-item]


def test_columns_of_unequal_length_are_refused() -> None:
    with pytest.raises(ValueError):
        json_rows({"a": [1, 2], "b": [1]})
