"""Registry queries (the ``members``/``status``/... commands) and what-if writes.

Each GET answers exactly what ``scomodel <command> --format json`` prints: both go through
:func:`scomodel.output.to_plain`. Options become query parameters, arguments path segments.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from scomodel.api.deps import (
    RegistryDep,
    WriteGuard,
    check_whatif_name,
    get_provider,
)
from scomodel.api.idempotency import idempotent
from scomodel.api.problems import PROBLEM_RESPONSES
from scomodel.api.rows import spell_rows_response
from scomodel.errors import InputError, NotFoundError, StoreError
from scomodel.limits import LimitError
from scomodel.output import to_plain
from scomodel.registry import FactRow, Registry, SpellRow
from scomodel.registry.core import whatif_names
from scomodel.registry.schema import FactEntry, SpellEntry
from scomodel.registry.whatif_store import OverlapError

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["registry"], responses=PROBLEM_RESPONSES)

On = Annotated[str, Query(description="YYYY, YYYY-MM or YYYY-MM-DD", max_length=40)]
Code = Annotated[str, Query(max_length=120)]
Explain = Annotated[bool, Query(description="add the trace: the spells, their sources and the "
                                "rules in force for those statuses ({rows, trace})")]
#: one writer thread per process: writes to the store are serialized (SQLite has one
#: writer anyway), and a write crosses to it and back once. Under read load every await
#: that suspends queues the write behind every busy connection (about 25 ms each at 64
#: connections); FastAPI's thread pool cost a sync route and a sync dependency three such
#: trips each, so a 5 ms write answered in 450 ms (docs/reliability.md).
_WRITER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scomodel-write")


async def _in_writer(fn: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(
        _WRITER, functools.partial(fn, *args))
#: the shape of a list of spells in OpenAPI (documentation only: rows are sent as built)
SPELLS: dict[int | str, dict[str, Any]] = {200: {"model": list[SpellRow]}}


@router.get("/members/{org}", responses=SPELLS,
            summary="Who held which status in an organization on a date",
            response_model=None)
async def members(
    reg: RegistryDep, org: str, on: On,
    status: Annotated[str | None, Query(description="only this status", max_length=40)] = None,
    dataset: Annotated[str, Query(description="auto (curated, else COW) or cow",
                                  max_length=20)] = "auto",
    explain: Explain = False,
) -> Any:
    rows = reg.members(org, on, status, dataset=dataset)
    if explain:
        return _explained(reg, rows, org, on, f"members {org} {on}")
    return spell_rows_response(rows)


@router.get("/status/{actor}/{org}", responses=SPELLS,
            summary="One actor's status in one organization",
            response_model=None)
async def status_of(reg: RegistryDep, actor: str, org: str, on: On,
                    explain: Explain = False) -> Any:
    rows = reg.status(actor, org, on)
    if explain:
        return _explained(reg, rows, org, on, f"status {actor} {org} {on}")
    return spell_rows_response(rows)


def _explained(reg: Registry, rows: list[SpellRow], org: str, on: str, question: str) -> Any:
    """``?explain=1``: the rows and the trace the charter part builds for them."""
    from scomodel.charter.explain import explain_spells
    from scomodel.trace import explained

    trace = explain_spells(rows, org, on, question, registry=reg)
    return explained(to_plain(rows), trace)


@router.get("/orgs/{actor}", responses=SPELLS,
            summary="Every organization an actor held a status in",
            response_model=None)
async def orgs(reg: RegistryDep, actor: str, on: On) -> Any:
    return spell_rows_response(reg.orgs(actor, on))


@router.get("/timeline/{actor}", responses=SPELLS,
            summary="All spells of one actor, oldest first",
            response_model=None)
async def timeline(
    reg: RegistryDep, actor: str,
    org: Annotated[str | None, Query(description="only this organization", max_length=120)] = None,
) -> Any:
    return spell_rows_response(reg.timeline(actor, org))


@router.get("/diff/{org}", summary="Who joined, left or changed status between two dates")
def diff(
    reg: RegistryDep, org: str,
    before: Annotated[str, Query(max_length=40)],
    after: Annotated[str, Query(max_length=40)],
) -> Any:
    return to_plain(reg.diff(org, before, after))


@router.get("/shared/{a}/{b}", summary="Organizations both actors belonged to on a date")
def shared(reg: RegistryDep, a: str, b: str, on: On) -> Any:
    return to_plain(reg.shared(a, b, on))


@router.get("/facts", responses={200: {"model": list[FactRow]}},
            summary="Dated facts with their citations")
def facts(
    reg: RegistryDep,
    about: Annotated[str | None, Query(description="an actor code", max_length=120)] = None,
    kind: Annotated[str | None, Query(description="summit, document, body...",
                                      max_length=40)] = None,
) -> Any:
    return to_plain(reg.facts(about, kind))


@router.get("/sources", summary="Every source the data cites")
def sources(reg: RegistryDep) -> Any:
    return to_plain(reg.sources())


@router.get("/organizations", summary="Organizations with at least one spell (explorer lists)")
def organizations(reg: RegistryDep) -> Any:
    return [
        {"code": code, "name": reg.actors.resolve(code).name} for code in reg.organizations()
    ]


@router.get("/spells/{org}", responses=SPELLS,
            summary="Every spell of one organization (the explorer's Gantt)",
            response_model=None)
def org_spells(reg: RegistryDep, org: str) -> Any:
    code = reg.resolve_org(org)
    rows = sorted(reg.spells_of("auto", code), key=lambda r: (r.start, r.actor))
    return spell_rows_response(rows)


@router.get("/statuses", summary="The statuses and the colours the figures give them")
def statuses() -> Any:
    from scomodel.registry.plots import STATUS_COLOURS
    from scomodel.registry.schema import STATUSES

    return [{"status": s, "colour": STATUS_COLOURS.get(s, "#777777")} for s in STATUSES]


@router.get("/compare/cow-igo", summary="State-years where COW and the curated data disagree")
def compare_cow(
    reg: RegistryDep, org: Annotated[str, Query(max_length=120)] = "SCO",
) -> Any:
    from scomodel.registry.cow_export import compare_cow_igo

    return to_plain(compare_cow_igo(reg, org))


@router.get("/export/cow-igo", summary="An organization's spells in COW's layout (CSV)",
            response_model=None, responses={200: {"content": {"text/csv": {}}}})
def export_cow(
    reg: RegistryDep, org: Annotated[str, Query(max_length=120)],
    layout: Annotated[str, Query(description="state-year or igo-year",
                                 max_length=20)] = "state-year",
    dataset: Annotated[str, Query(description="cow (as imported) or curated",
                                  max_length=20)] = "curated",
    strict_cow: Annotated[bool, Query(description="only COW's codes (extended codes and NA "
                                      "folded; X-Strict-Cow-Folded says what)")] = False,
) -> Response:
    from scomodel.registry.cow_export import export_cow_igo, strict_note, to_cow_csv

    frame = export_cow_igo(reg, org, layout=layout, dataset=dataset, strict=strict_cow)
    note = strict_note(frame)
    return Response(to_cow_csv(frame), media_type="text/csv",
                    headers={"X-Strict-Cow-Folded": note} if note else None)


# -- writes: what-if copies only ----------------------------------------------------------


class FactWrite(BaseModel):
    """A dated fact to add to a what-if copy (same fields as a curated facts file)."""

    model_config = ConfigDict(extra="forbid")
    registry: str = Field(description="the what-if copy to write to", max_length=64)
    fact: FactEntry


class SpellWrite(BaseModel):
    """A spell to add to a what-if copy (same fields as a curated spells file)."""

    model_config = ConfigDict(extra="forbid")
    registry: str = Field(description="the what-if copy to write to", max_length=64)
    org: str = Field(max_length=120)
    spell: SpellEntry


def _writable(request: Request, name: str) -> Registry:
    """The what-if copy to write to, its own rows current. The data files and curated
    rows are not re-checked here, and a newer view of them (another process's import) is
    not waited for: this process's readers check and rebuild every ``refresh_seconds``
    (``Registry.open(verified=True, stale_base=True)``)."""
    provider = get_provider(request)
    settings = provider.settings
    return Registry.open(settings.db_url, whatif=check_whatif_name(name),
                         data_dir=settings.data_dir, verified=True, stale_base=True)


def _checked_write(prefix: str, write: Callable[[], Any]) -> Any:
    """Run a write; a bad value in the body is a 422 naming ``prefix.field`` (an overlap
    stays a 400 on ``start``, an unknown name a 404). Everything is checked before the
    write's one transaction, so a refused write stores nothing."""
    try:
        return write()
    except (NotFoundError, OverlapError, StoreError):  # a failing store is a 503
        raise
    except InputError as exc:
        field = exc.field or prefix
        raise LimitError(exc.message, field=field if field.startswith(prefix)
                         else f"{prefix}.{field}") from None


@router.post("/facts", status_code=status.HTTP_201_CREATED, dependencies=[WriteGuard],
             responses={201: {"model": FactRow}},
             summary="Add a fact to a what-if copy (bearer token; Idempotency-Key)")
async def add_fact(request: Request, body: FactWrite) -> Any:
    def write() -> Any:
        row = _checked_write("fact", lambda: _writable(request, body.registry).add_fact(
            body.fact.model_dump()))
        get_provider(request).invalidate(body.registry)
        return to_plain(row)

    return await _in_writer(idempotent, request, body.model_dump(), write)


@router.post("/spells", status_code=status.HTTP_201_CREATED, dependencies=[WriteGuard],
             responses={201: {"model": SpellRow}},
             summary="Add a spell to a what-if copy (bearer token; Idempotency-Key)")
async def add_spell(request: Request, body: SpellWrite) -> Any:
    def write() -> Any:
        row = _checked_write("spell", lambda: _writable(request, body.registry).add_spell(
            body.org, body.spell))
        get_provider(request).invalidate(body.registry)
        return to_plain(row)

    return await _in_writer(idempotent, request, body.model_dump(), write)


@router.get("/whatif", summary="The what-if copies in the store")
def whatifs(reg: RegistryDep) -> Any:
    return list(whatif_names(reg.engine))


@router.delete("/whatif/{name}", dependencies=[WriteGuard],
               summary="Delete a what-if copy's additions (bearer token)")
async def drop_whatif(request: Request, name: str) -> Any:
    def drop() -> Any:
        reg = _writable(request, name)
        if name not in whatif_names(reg.engine):
            raise NotFoundError(f"no what-if copy named {name!r}", field="name")
        reg.drop_whatif()
        get_provider(request).invalidate(name)
        return {"dropped": name}

    return await _in_writer(drop)
