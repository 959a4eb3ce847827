"""Panels, citations and the data version over HTTP (``scomodel panel/cite/version``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from scomodel.api.deps import RegistryDep
from scomodel.api.problems import PROBLEM_RESPONSES
from scomodel.errors import InputError
from scomodel.registry.cite import CITE_FORMATS, render
from scomodel.registry.formats import FORMATS
from scomodel.registry.panel import build_panel
from scomodel.registry.provenance import provenance

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["datasets"], responses=PROBLEM_RESPONSES)

_MEDIA = {"csv": "text/csv", "jsonl": "application/x-ndjson", "json": "application/json",
          "parquet": "application/vnd.apache.parquet", "dta": "application/x-stata-dta"}
#: a panel answered over HTTP is capped (the CLI has no cap): beyond it, use the CLI
MAX_ROWS = 2_000_000


def _split(text: str | None) -> list[str] | None:
    return [t.strip() for t in text.split(",") if t.strip()] if text else None


@router.get("/panel/{unit}", summary="A panel: state-year, state-day, org-year, dyad-year...",
            response_model=None)
def panel(
    reg: RegistryDep,
    unit: str,
    orgs: Annotated[str | None, Query(max_length=2000, description="comma-separated")] = None,
    start: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    status: Annotated[str | None, Query(max_length=200)] = None,
    system: Annotated[str, Query(max_length=3)] = "cow",
    dataset: Annotated[str, Query(max_length=10)] = "auto",
    reading: Annotated[str, Query(max_length=10)] = "state-year",
    format: Annotated[str, Query(max_length=10)] = "csv",
) -> Any:
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r}: expected one of {', '.join(FORMATS)}",
                         field="format")
    frame = build_panel(reg, unit, orgs=_split(orgs), start=start, end=end,
                        statuses=_split(status), system=system, dataset=dataset,
                        reading=reading)
    if len(frame) > MAX_ROWS:
        raise InputError(f"the panel has {len(frame):,} rows, over the API's {MAX_ROWS:,}: "
                         "narrow --orgs or the years, or use `scomodel panel`", field="from")
    import tempfile
    from pathlib import Path

    from scomodel.registry.panel_export import export_panel

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"panel.{format}"
        export_panel(reg, frame, format, path)
        body = path.read_bytes()
    name = f"{unit}.{format}"
    return Response(body, media_type=_MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/version", summary="Package and data version, fingerprint, date checked")
def version(reg: RegistryDep) -> dict[str, str]:
    return provenance(reg)


@router.get("/cite", summary="Entries for sources (by key), or how to cite scomodel",
            response_model=None)
def cite(
    reg: RegistryDep,
    keys: Annotated[str | None, Query(max_length=4000, description="source keys")] = None,
    format: Annotated[str, Query(max_length=10)] = "bibtex",
) -> Any:
    if format not in CITE_FORMATS:
        raise InputError(f"unknown citation format {format!r}: expected one of "
                         f"{', '.join(CITE_FORMATS)}", field="format")
    from scomodel.registry.cite import project_entry

    entries = ([reg.source(k) for k in _split(keys) or []] if keys
               else [project_entry(provenance(reg))])
    media = "application/json" if format == "csl-json" else "text/plain"
    return Response(render(entries, format), media_type=media)
