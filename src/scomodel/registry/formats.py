"""Writing tables the way analysts read them: CSV, Parquet, Stata, JSON lines, JSON.

Every export takes the same ``--format`` choice. Stata files carry variable labels and, for
status columns, value labels from :data:`scomodel.registry.codes.CODE_LABELS`, so ``3``
reads "observer" in Stata and in ``pandas.read_stata``. Missing values stay missing in every
format (an empty CSV cell, a Parquet null, Stata's ``.``, JSON ``null``): never 0.
Each file records where it came from (package version, data version and fingerprint) in
its metadata where the format has a place for it (Parquet schema metadata, the Stata data
label, a JSON lines header is not used so that every line stays a row).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from scomodel.errors import InputError

__all__ = ["FORMATS", "BINARY", "write_table", "table_text"]

FORMATS = ("csv", "parquet", "dta", "jsonl", "json")
BINARY = ("parquet", "dta")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}",
                         field="format")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    def clean(value: Any) -> Any:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None
        if hasattr(value, "item"):
            return value.item()
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value

    return [{k: clean(v) for k, v in row.items()}
            for row in frame.astype(object).to_dict(orient="records")]


def table_text(frame: pd.DataFrame, fmt: str) -> str:
    """A text format (csv, jsonl, json) as a string."""
    _check_format(fmt)
    if fmt in BINARY:
        raise InputError(f"{fmt} is a binary format: give --out FILE", field="out")
    if fmt == "csv":
        return str(frame.to_csv(index=False, date_format="%Y-%m-%d"))
    rows = _records(frame)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, allow_nan=False) + "\n"
    return "".join(json.dumps(r, ensure_ascii=False, allow_nan=False) + "\n" for r in rows)


def write_table(
    frame: pd.DataFrame,
    fmt: str,
    out: str | Path,
    *,
    value_labels: Mapping[str, Mapping[int, str]] | None = None,
    variable_labels: Mapping[str, str] | None = None,
    provenance: Mapping[str, str] | None = None,
) -> Path:
    """Write ``frame`` to ``out`` in ``fmt``; the parent folder must exist.

    Raises:
        InputError: unknown format, or a path that cannot be written (named, one line).
    """
    _check_format(fmt)
    path = Path(out)
    if path.is_dir():
        raise InputError(f"{path} is a directory: give a file name", field="out")
    if not path.parent.exists():
        raise InputError(f"folder {path.parent} does not exist", field="out")
    try:
        if fmt == "parquet":
            _parquet(frame, path, provenance or {})
        elif fmt == "dta":
            _stata(frame, path, value_labels or {}, variable_labels or {}, provenance or {})
        else:
            path.write_text(table_text(frame, fmt), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}", field="out") from None
    return path


def _parquet(frame: pd.DataFrame, path: Path, provenance: Mapping[str, str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta.update({f"scomodel.{k}".encode(): str(v).encode() for k, v in provenance.items()})
    pq.write_table(table.replace_schema_metadata(meta), path)


def _stata(frame: pd.DataFrame, path: Path, value_labels: Mapping[str, Mapping[int, str]],
           variable_labels: Mapping[str, str], provenance: Mapping[str, str]) -> None:
    out = frame.copy()
    for column in out.columns:
        if len(column) > 32:
            raise InputError(f"column {column!r} is longer than Stata's 32 characters",
                             field="format")
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].fillna("").astype(str)
    labels = {c: dict(v) for c, v in value_labels.items() if c in out.columns}
    note = "; ".join(f"{k} {v}" for k, v in provenance.items())[:80]
    out.to_stata(path, write_index=False, version=118, value_labels=labels or None,
                 variable_labels={k: v[:80] for k, v in variable_labels.items()
                                  if k in out.columns},
                 data_label=note or None)
