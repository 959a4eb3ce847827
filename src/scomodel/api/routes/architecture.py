"""Architecture queries (``overlap``, ``network``, ``evolution``): same JSON as the CLI."""

from __future__ import annotations

import threading
from typing import Annotated, Any

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from scomodel.api.deps import get_provider
from scomodel.api.problems import PROBLEM_RESPONSES
from scomodel.dates import parse_period
from scomodel.errors import InputError
from scomodel.output import to_plain

__all__ = ["router", "architecture_for"]

router = APIRouter(prefix="/api", tags=["architecture"], responses=PROBLEM_RESPONSES)

On = Annotated[str, Query(description="date YYYY[-MM[-DD]] (first day of a coarse date)",
                          max_length=40)]
Region = Annotated[str | None, Query(description="e.g. central-asia", max_length=80)]
_LOCK = threading.Lock()
#: evolution sweeps at day steps are capped so one request cannot hold a worker for long
MAX_DAY_SWEEP_YEARS = 5
#: and month steps to a span that covers the data (1945 on) with room to spare
MAX_MONTH_SWEEP_YEARS = 100


def architecture_for(request: Request) -> Any:
    """``Architecture.load()``, as the CLI calls it, built again only when the store changes.

    The CLI builds it per command; the server keeps it while the served registry (same
    ``SCOMODEL_DB``, same data folder) is unchanged.
    """
    from scomodel.architecture.model import Architecture

    reg = get_provider(request).get(None)
    cache: dict[str, Any] = request.app.state.cache
    with _LOCK:
        if cache.get("architecture_key") is not reg:
            cache["architecture"] = Architecture.load()
            cache["architecture_key"] = reg
        return cache["architecture"]


@router.get("/overlap", summary="Membership and functional overlap of every pair on a date")
def overlap(
    request: Request, on: On, region: Region = None,
    field: Annotated[str | None, Query(description="e.g. counter_terrorism",
                                       max_length=80)] = None,
) -> Any:
    from scomodel.architecture.overlap import overlap_pairs

    parse_period(on, field="on")
    return to_plain(overlap_pairs(architecture_for(request), on, region=region, field=field))


@router.get("/network", summary="Actor-organization network: centrality, or the whole graph",
            response_model=None)
def network(
    request: Request, on: On, region: Region = None,
    export: Annotated[str | None, Query(description="graphml or json", max_length=20)] = None,
) -> Any:
    from scomodel.architecture.network import (
        build_network,
        centrality,
        graphml_ready,
        network_json,
    )

    if export is not None and export.lower() not in ("graphml", "json"):
        raise InputError(f"unknown export {export!r}: expected graphml or json", field="export")
    parse_period(on, field="on")
    graph = build_network(architecture_for(request), on, region=region)
    if export is None:
        return to_plain(centrality(graph))
    if export.lower() == "json":
        return to_plain(network_json(graph))
    text = "\n".join(nx.generate_graphml(graphml_ready(graph)))
    return Response(text, media_type="application/xml")


@router.get("/evolution", summary="Overlap and the powers' ties over time, turning points")
def evolution(
    request: Request,
    first: Annotated[str, Query(alias="from", description="first year", max_length=10)] = "1996",
    last: Annotated[str, Query(alias="to", description="last year", max_length=10)] = "2025",
    region: Region = None,
    step: Annotated[str, Query(description="month or day", max_length=10)] = "month",
) -> Any:
    from scomodel.architecture.evolution import evolution as sweep

    _check_sweep(first, last, step)
    result = sweep(architecture_for(request), first, last, region=region, step=step)
    return to_plain(result.to_dict())


def _check_sweep(first: str, last: str, step: str) -> None:
    """Bounds the API adds to the CLI's: four-digit years, day steps over a few years."""
    years = []
    for name, value in (("from", first), ("to", last)):
        head = value[:4]
        if not (head.isdigit() and len(head) == 4 and head.isascii()):
            raise InputError(f"expected a year YYYY, got {value!r}", field=name)
        years.append(int(head))
    if years[1] - years[0] >= MAX_MONTH_SWEEP_YEARS:
        raise InputError(
            f"sweeps are limited to {MAX_MONTH_SWEEP_YEARS} years on the API", field="to"
        )
    if step == "day" and years[1] - years[0] >= MAX_DAY_SWEEP_YEARS:
        raise InputError(
            f"day steps are limited to {MAX_DAY_SWEEP_YEARS} years on the API; use step=month",
            field="step",
        )


@router.get("/regions", summary="The regions overlap and network can be limited to")
def regions(request: Request) -> Any:
    data = architecture_for(request).data
    return [{"code": r.code, "name": r.name, "members": list(r.members)}
            for r in data.regions.values()]
