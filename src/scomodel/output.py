"""Printing results as a table, JSON or CSV: the one place the CLI formats output.

JSON is the contract the tests and the API use, so every command builds plain data
(lists of dicts) first and only then chooses how to show it.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import enum
import io
import json
import math
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import typer

__all__ = ["Format", "FORMATS", "to_plain", "emit", "FormatOption", "dumps", "non_finite"]

Format = Literal["table", "json", "csv"]
FORMATS: tuple[str, ...] = ("table", "json", "csv")


def _check_format(value: str) -> str:
    """``--format`` at the door: an unknown one fails before any work, listing the three."""
    from scomodel.inputs import check_choice

    return check_choice(str(value).lower(), FORMATS, field="format")


FormatOption = typer.Option(
    "table",
    "--format",
    "-f",
    help="table, json or csv",
    case_sensitive=False,
    callback=_check_format,
    metavar="[table|json|csv]",
)


def non_finite(value: Any, path: str = "$") -> str | None:
    """Where the first NaN or infinity in plain data sits (``$.rounds[3].median``), if any."""
    if isinstance(value, float) and not math.isfinite(value):
        return path
    if isinstance(value, Mapping):
        for k, v in value.items():
            found = non_finite(v, f"{path}.{k}")
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            found = non_finite(v, f"{path}[{i}]")
            if found:
                return found
    return None


def dumps(value: Any, *, indent: int | None = 2, compact: bool = False) -> str:
    """Strict JSON (RFC 8259: no NaN, no Infinity) of ``value`` after :func:`to_plain`.

    Inputs are checked at the door, so a non-finite number here is a bug: it raises
    :class:`~scomodel.errors.OutputError` naming where it sits instead of printing JSON
    that strict parsers (and most languages' standard ones) reject.
    """
    plain = to_plain(value)
    try:
        return json.dumps(
            plain,
            indent=None if compact else indent,
            ensure_ascii=False,
            allow_nan=False,
            separators=(",", ":") if compact else None,
        )
    except ValueError:
        from scomodel.errors import OutputError

        where = non_finite(plain) or "the answer"
        raise OutputError(
            f"the answer holds a number JSON cannot write (NaN or infinity) at {where}; "
            "please report it with the command that produced it"
        ) from None


def to_plain(value: Any) -> Any:
    """Turn dataclasses, pydantic models, dates and DataFrames into JSON-ready data."""
    pydantic = sys.modules.get("pydantic")  # nothing is a model unless pydantic is loaded
    if pydantic is not None and isinstance(value, pydantic.BaseModel):
        return to_plain(value.model_dump(mode="json"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "to_dict"):
            return to_plain(value.to_dict())
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "to_dict") and hasattr(value, "columns"):  # a DataFrame
        # pandas marks a missing cell NaN: that one means null, any other NaN is a bug
        return to_plain(value.astype(object).where(value.notna(), None).to_dict(orient="records"))
    if hasattr(value, "tolist") and hasattr(value, "ndim"):  # a NumPy array
        return to_plain(value.tolist())
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if hasattr(value, "item") and callable(value.item):  # NumPy scalars
        return value.item()
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        if "source" in value:
            return f"{value['source']} {value.get('locator') or ''}".strip()
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return str(value)


def emit(
    data: Any, fmt: str = "table", *, title: str | None = None,
    columns: Sequence[str] | None = None, empty: str | None = None,
) -> None:
    """Print ``data`` (a record, or a list of records) in the chosen format.

    An empty list prints ``empty`` (a sentence saying what is not there) instead of a
    table with no rows; JSON and CSV stay machine-readable (``[]``, the header alone).
    """
    plain = to_plain(data)
    fmt = fmt.lower()
    if fmt == "json":
        typer.echo(dumps(plain))
        return
    rows: list[dict[str, Any]] = plain if isinstance(plain, list) else [plain]
    cols = list(columns or _columns(rows))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=cols, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _cell(row.get(c)) for c in cols})
        typer.echo(buffer.getvalue().rstrip("\n"))
        return
    if fmt != "table":
        from scomodel.errors import InputError

        raise InputError(f"unknown format {fmt!r}: expected table, json or csv", field="format")
    if not rows:
        typer.echo(empty or f"Nothing to show{' for ' + title if title else ''}: the answer "
                            "is empty.")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for c in cols:
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in cols))
    Console(width=table_width()).print(table)


def table_width() -> int | None:
    """The width tables wrap to: the terminal's, else ``COLUMNS``, else 200 when piped.

    ``None`` lets Rich measure the terminal. Output piped to a file or another program
    has no width of its own; 200 columns keeps its rows on one line each.
    """
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    return None if sys.stdout.isatty() else 200


def _columns(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)
