"""The registry as a Frictionless Data Package, with schemas from the pydantic models.

Each exported table is described once, by a pydantic model (:mod:`scomodel.registry.tables`),
and both the package's Table Schemas and the codebook are generated from those models, so
the documentation cannot drift from the data. Dates keep the form written in the data
(``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) and add an EDTF column (ISO 8601-2, via the ``edtf``
package) that says the same precision in the standard's own terms.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args, get_origin

from pydantic import BaseModel

from scomodel.errors import InputError
from scomodel.registry import tables
from scomodel.registry.provenance import provenance

if TYPE_CHECKING:
    from scomodel.registry.core import Registry

__all__ = ["table_schema", "write_datapackage", "TABLES"]

TABLES: dict[str, type[BaseModel]] = tables.TABLES


def _field_type(annotation: Any) -> tuple[str, dict[str, Any]]:
    """Frictionless type and constraints of a pydantic annotation."""
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        kind, constraints = _field_type(inner[0])
        return kind, constraints
    if origin is Literal:
        values = list(get_args(annotation))
        kind = "integer" if all(isinstance(v, int) for v in values) else "string"
        return kind, {"enum": values}
    return {int: ("integer", {}), float: ("number", {}), bool: ("boolean", {}),
            str: ("string", {})}.get(annotation, ("string", {}))


def table_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A Frictionless Table Schema for one table, from its model's fields."""
    fields = []
    required = []
    for name, info in model.model_fields.items():
        kind, constraints = _field_type(info.annotation)
        field: dict[str, Any] = {"name": name, "type": kind}
        if info.description:
            field["description"] = info.description
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if "example" in extra:
            field["example"] = extra["example"]
        if "unit" in extra:
            field["unit"] = extra["unit"]
        if info.is_required():
            constraints = {**constraints, "required": True}
            required.append(name)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    keys = getattr(model, "primary_key", None)
    if keys:
        schema["primaryKey"] = list(keys)
    links = getattr(model, "foreign_keys", ())
    if links:
        schema["foreignKeys"] = [
            {"fields": own, "reference": {"resource": table, "fields": there}}
            for own, table, there in links]
    return schema


def _csv(path: Path, model: type[BaseModel], rows: Iterable[dict[str, Any]]) -> int:
    import csv

    names = list(model.model_fields)
    count = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=names)
        writer.writeheader()
        for row in rows:
            record = model.model_validate(row)
            writer.writerow({k: _cell(getattr(record, k)) for k in names})
            count += 1
    return count


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_datapackage(registry: Registry, folder: str | Path,
                      panels: Iterable[str] = ()) -> Path:
    """Write every table (and the chosen panels) with a ``datapackage.json`` into ``folder``.

    Returns the path of ``datapackage.json``.
    """
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} exists and is not a folder", field="dir")
    out.mkdir(parents=True, exist_ok=True)
    info = provenance(registry)
    resources = []
    for name, model in TABLES.items():
        rows = tables.rows(registry, name)
        path = out / f"{name}.csv"
        count = _csv(path, model, rows)
        resources.append({
            "name": name, "path": path.name, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "description": (model.__doc__ or "").strip().splitlines()[0],
            "schema": table_schema(model), "rows": count,
        })
    for unit in panels:
        from scomodel.registry.panel import build_panel
        from scomodel.registry.panel_export import export_panel

        frame = build_panel(registry, unit)
        path = out / f"panel-{unit}.csv"
        export_panel(registry, frame, "csv", path)
        resources.append({"name": f"panel-{unit}", "path": path.name,
                          "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8",
                          "schema": _frame_schema(frame), "rows": len(frame)})
    descriptor = {
        "profile": "tabular-data-package",
        "name": "scomodel",
        "title": "scomodel: statuses in the SCO and the organizations around it, sourced",
        "version": info["data_version"],
        **({"created": f"{info['data_checked']}T00:00:00Z"}
           if len(info["data_checked"]) == 10 else {}),
        "licenses": [{"name": "GPL-3.0-or-later",
                      "path": "https://www.gnu.org/licenses/gpl-3.0.html",
                      "title": "GNU General Public License v3.0 or later"}],
        "scomodel": info,
        "resources": resources,
    }
    target = out / "datapackage.json"
    target.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    return target


def _frame_schema(frame: Any) -> dict[str, Any]:
    fields = []
    for column in frame.columns:
        dtype = str(frame[column].dtype).lower()
        kind = ("integer" if "int" in dtype else "number" if "float" in dtype
                else "date" if "datetime" in dtype else "string")
        fields.append({"name": column, "type": kind})
    return {"fields": fields, "missingValues": [""]}
