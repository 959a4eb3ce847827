"""Tables of columns written as JSON rows: the text ``json`` would write, built by column.

A monthly sweep (``scomodel evolution --format json``) is 113,000 rows. Making a dict per
row and handing them to the C encoder, 64 rows a call, took 0.3 s; here each column is
turned into JSON text once (``str`` over integers, ``float.__repr__`` over floats, one
encoding per distinct string or date) and each row is one ``%`` of a per-table template:
about 0.06 s for the same bytes. The text is what :class:`json.JSONEncoder` with
``ensure_ascii=False, allow_nan=False`` writes for the rows :func:`~scomodel.output.to_plain`
makes (a missing float, NaN, is ``null``; an infinity raises ``ValueError``); the tests
compare the two on every kind of column.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from scomodel.output import to_plain

__all__ = ["encode_column", "json_lines", "json_rows", "json_chunks", "ROWS_PER_LINE"]

#: Rows per output line: lines stay short enough to page through, few enough to write fast.
ROWS_PER_LINE = 64
#: Lines handed to the writer at once (about 0.4 MB of a sweep's rows).
_LINES_PER_CHUNK = 64

_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
_STRING = json.encoder.encode_basestring  # the C function the encoder uses for str


def _plain(value: Any) -> Any:
    """One cell as plain data: NaN (pandas' missing cell) as null, dates as ISO text."""
    if isinstance(value, float):
        return None if value != value else value
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return to_plain(value)


def _one(value: Any) -> str:
    return _ENCODER.encode(_plain(value))


def encode_column(values: Sequence[Any]) -> list[str]:
    """Each value of a column (a NumPy array or a list) as its JSON text.

    A NumPy column of numbers or strings is encoded by distinct value (a sweep's columns
    hold a few hundred distinct values in 100,000 cells): one text per distinct value and
    one gather, the distinct values found by :func:`numpy.unique` (floats told apart by
    their bits, so ``-0.0`` keeps its sign) or, for integers in a short range, the range
    itself. Lists of strings or dates go through a dict of distinct values; any other
    column value by value.
    """
    kind = getattr(getattr(values, "dtype", None), "kind", "O")
    if kind == "b":
        return ["true" if v else "false" for v in values]
    if kind in "iufU" and getattr(values, "ndim", 0) == 1:
        return _by_distinct(values)
    cells = values.tolist() if hasattr(values, "tolist") else list(values)
    types = set(map(type, cells))
    if types <= {str}:
        texts = {v: _STRING(v) for v in dict.fromkeys(cells)}
    elif types == {dt.date}:
        texts = {v: _STRING(v.isoformat()) for v in dict.fromkeys(cells)}
    elif types == {int}:
        return list(map(str, cells))
    else:
        return [_one(v) for v in cells]
    return list(map(texts.__getitem__, cells))


def _by_distinct(values: Any) -> list[str]:
    import numpy as np

    kind = values.dtype.kind
    if not len(values):
        return []
    if kind in "iu":
        lo, hi = int(values.min()), int(values.max())
        if hi - lo <= len(values):  # counts: a table of every text in range, one gather
            table = np.empty(hi - lo + 1, dtype=object)
            table[:] = [str(v) for v in range(lo, hi + 1)]
            return table[values - lo].tolist()  # type: ignore[no-any-return]
    if kind == "f" and not np.isfinite(values).all():
        return [_one(v) for v in values.tolist()]  # NaN is null; an infinity raises
    keys = values.view(f"i{values.itemsize}") if kind == "f" else values
    distinct, inverse = np.unique(keys, return_inverse=True)
    plain = (distinct.view(values.dtype) if kind == "f" else distinct).tolist()
    encode: Callable[[Any], str] = (float.__repr__ if kind == "f" else _STRING if kind == "U"
                                    else str)
    texts = np.empty(len(plain), dtype=object)
    texts[:] = [encode(v) for v in plain]
    return texts[inverse.reshape(-1)].tolist()  # type: ignore[no-any-return]


def json_lines(columns: Mapping[str, Sequence[Any]], per_line: int = ROWS_PER_LINE
               ) -> list[str]:
    """The rows of a table given as ``{name: column}``, ``per_line`` JSON objects a line.

    Every line is one ``%`` of the row template repeated ``per_line`` times over the
    line's cells: a call per line, not per row.
    """
    names = list(columns)
    encoded = [encode_column(columns[n]) for n in names]
    if not encoded:
        return []
    row = "{" + ", ".join(f"{_STRING(str(n)).replace('%', '%%')}: %s" for n in names) + "}"
    cells = list(itertools.chain.from_iterable(zip(*encoded, strict=True)))
    width, n = len(names), len(encoded[0])
    whole = ", ".join([row] * per_line)
    lines = []
    for lo in range(0, n, per_line):
        hi = min(n, lo + per_line)
        template = whole if hi - lo == per_line else ", ".join([row] * (hi - lo))
        lines.append(template % tuple(cells[lo * width:hi * width]))
    return lines


def json_rows(columns: Mapping[str, Sequence[Any]]) -> list[str]:
    """Each row of a table given as ``{name: column}`` as one JSON object's text."""
    return json_lines(columns, 1)


def json_chunks(tables: Mapping[str, Mapping[str, Sequence[Any]]],
                extra: Mapping[str, Any] | None = None) -> Iterator[str]:
    """``{table: [rows], ...extra}`` as JSON text, a few lines per chunk (no final newline).

    One line per :data:`ROWS_PER_LINE` rows; ``extra`` values (plain data) follow the
    tables on one line each. Chunks are written as they come, so the whole document is
    never one string.
    """
    items: list[tuple[str, Any, bool]] = [(n, t, True) for n, t in tables.items()]
    items += [(n, v, False) for n, v in (extra or {}).items()]
    lines = ["{"]
    for k, (name, value, is_table) in enumerate(items):
        tail = "," if k < len(items) - 1 else ""
        head = f"  {json.dumps(name)}: "
        if not is_table:
            lines.append(f"{head}{_ENCODER.encode(to_plain(value))}{tail}")
            continue
        rows = json_lines(value)
        if not rows:
            lines.append(f"{head}[]{tail}")
            continue
        lines.append(head + "[")
        for k, line in enumerate(rows):
            lines.append(f"    {line}," if k < len(rows) - 1 else f"    {line}")
            if len(lines) >= _LINES_PER_CHUNK:
                yield "\n".join(lines)
                lines = []
        lines.append(f"  ]{tail}")
    lines.append("}")
    yield "\n".join(lines)
