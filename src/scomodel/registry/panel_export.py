"""Panels out to files: labels, provenance, and the one place format choice is applied."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from scomodel.errors import InputError
from scomodel.registry.codes import CODE_LABELS
from scomodel.registry.formats import BINARY, table_text, write_table
from scomodel.registry.provenance import provenance

if TYPE_CHECKING:
    from scomodel.registry.core import Registry

__all__ = ["export_panel", "panel_labels"]

_FIXED = {
    "ccode": "COW state code", "gwcode": "Gleditsch-Ward state code",
    "stateabb": "state abbreviation (of the chosen system)", "iso3": "ISO 3166-1 alpha-3",
    "year": "year", "month": "month", "date": "day",
    "sum_igo_full": "organizations of full membership", "sum_igo_associate":
    "organizations of associate membership", "sum_igo_observer": "organizations as observer",
    "sum_igo_anytype": "organizations as member, associate or observer",
    "sum_any_status": "organizations with any status (extended codes included)",
    "dyadigos": "joint full memberships (COW's rule)",
    "shared_any": "organizations where both held any status",
    "shared_partial": "both held a status, one a status short of membership",
}


def panel_labels(frame: pd.DataFrame) -> tuple[dict[str, dict[int, str]], dict[str, str]]:
    """Stata value labels for status columns and variable labels for every column."""
    values, variables = {}, {}
    for column in frame.columns:
        if column in _FIXED:
            variables[column] = _FIXED[column]
        elif column.endswith("_procedures"):
            variables[column] = f"procedure tracks in {column[:-11].upper()}"
        elif str(frame[column].dtype) == "Int16":
            variables[column] = f"status in {column.upper()} (COW codes, extended)"
            values[column] = dict(CODE_LABELS)
        else:
            variables[column] = column
    return values, variables


def export_panel(registry: Registry, frame: pd.DataFrame, fmt: str,
                 out: str | Path | None) -> str | None:
    """Write ``frame`` to ``out`` (returns None) or return its text when ``out`` is None."""
    if out is None:
        if fmt in BINARY:
            raise InputError(f"{fmt} is a binary format: give --out FILE", field="out")
        return table_text(frame, fmt)
    values, variables = panel_labels(frame)
    write_table(frame, fmt, out, value_labels=values, variable_labels=variables,
                provenance=provenance(registry))
    return None
