"""Charter queries (``rules``, ``rights``, ``eligible``, ``check-history``) and proceedings.

Same JSON as the CLI. The charter opens the registry itself (``registry=`` names a what-if
copy) on ``SCOMODEL_DB``/``SCOMODEL_DATA``, as the CLI does. What-if rulebooks
(``--rules FILE``) are not offered: the server reads no files a client names.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from scomodel.api.deps import WhatIfName, check_whatif_name, get_provider, require_token
from scomodel.api.problems import PROBLEM_RESPONSES
from scomodel.errors import InputError
from scomodel.output import to_plain

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["charter"], responses=PROBLEM_RESPONSES)

On = Annotated[str, Query(description="YYYY, YYYY-MM or YYYY-MM-DD (a coarse date is its "
                                      "first day)", max_length=40)]


@router.get("/rules/{org}", summary="The rules of an organization in force on a date")
def rules(
    org: str, on: On,
    kind: Annotated[str | None, Query(description="only rules of this kind (step, right...)",
                                      max_length=40)] = None,
) -> Any:
    from scomodel.charter.describe import rule_rows
    from scomodel.charter.engine import rules_in_force
    from scomodel.charter.model import RULE_KINDS
    from scomodel.inputs import check_choice

    if kind is not None:  # an unknown kind would match nothing: say so, as the CLI does
        check_choice(kind, RULE_KINDS, field="kind")
    ruleset = rules_in_force(org, on, extra=[])
    return to_plain([r for r in rule_rows(ruleset) if kind is None or r["kind"] == kind])


@router.get("/rules/{org}/machine", summary="The status machine in force (the --graph figure)")
def machine(org: str, on: On) -> Any:
    from scomodel.charter.engine import rules_in_force
    from scomodel.charter.graph import POSITIONS, state_graph

    ruleset = rules_in_force(org, on, extra=[])
    graph = state_graph(ruleset)
    return to_plain({
        "org": graph.graph["org"], "on": graph.graph["on"],
        "books": [{"id": b.id, "in_force": b.in_force, "document": b.document}
                  for b in ruleset.books],
        "nodes": [{"id": n, "x": POSITIONS[n][0], "y": POSITIONS[n][1]} if n in POSITIONS
                  else {"id": n, "x": None, "y": None} for n in graph.nodes],
        "edges": [{"source": a, "target": b, **d} for a, b, d in graph.edges(data=True)],
    })


@router.get("/rights/{actor}/{org}", summary="What an actor's status entitles it to, by body")
def rights(
    actor: str, org: str, on: On, registry: WhatIfName = None,
    status: Annotated[str | None, Query(description="rights of this status instead",
                                        max_length=40)] = None,
) -> Any:
    from scomodel.charter.rights import rights as compute

    return to_plain(compute(actor, org, on, status=status,
                            registry=check_whatif_name(registry), rules=[]))


@router.get("/eligible/{actor}/{org}", summary="Whether an actor may seek a status, criterion "
                                               "by criterion")
def eligible(
    actor: str, org: str, on: On,
    status: Annotated[str, Query(description="observer, dialogue_partner, applicant, member...",
                                 max_length=40)],
    registry: WhatIfName = None,
) -> Any:
    from scomodel.charter.eligibility import eligible as compute

    result = compute(actor, org, status, on, registry=check_whatif_name(registry), rules=[])
    return to_plain({"eligible": result.eligible, **result.to_dict()})


@router.get("/check-history/{org}", summary="Recorded status changes against the rules")
def check_history(
    org: str, registry: WhatIfName = None,
    verdict: Annotated[str | None, Query(description="conforming, anomalous or undecidable",
                                         max_length=20)] = None,
) -> Any:
    from scomodel.charter.history import VERDICTS
    from scomodel.charter.history import check_history as compute
    from scomodel.inputs import check_choice

    if verdict is not None:
        check_choice(verdict, VERDICTS, field="verdict")
    rows = compute(org, registry=check_whatif_name(registry), rules=[])
    return to_plain([r for r in rows if verdict is None or r.verdict == verdict])


@router.get("/decide/{org}", summary="Would a decision pass on a date, given who objects?")
def decide(
    org: str, on: On, registry: WhatIfName = None,
    objections: Annotated[str, Query(description="comma-separated objectors: codes, names or "
                                     "COW codes", max_length=400)] = "",
    matter: Annotated[str, Query(description="default, expel, suspend, guest, reservation_void",
                                 max_length=40)] = "default",
    target: Annotated[str | None, Query(description="the member concerned (expel, suspend)",
                                        max_length=80)] = None,
) -> Any:
    from scomodel.actors import split_names
    from scomodel.charter.decision import decide as compute

    return to_plain(compute(org, on, split_names(objections), matter=matter, target=target,
                            registry=check_whatif_name(registry), rules=[]))


class ProceedingRun(BaseModel):
    """A proceeding (the fields of a proceeding file) and where to read or commit it."""

    model_config = ConfigDict(extra="forbid")
    proceeding: dict[str, Any] = Field(
        description="org, applicant, status, date and steps, as in a proceeding file")
    registry: str | None = Field(None, max_length=64,
                                 description="a what-if copy to read (--registry)")
    into: str | None = Field(None, max_length=64, description="commit a granted proceeding to "
                             "this what-if copy (--into; needs the bearer token)")


@router.post("/proceedings", summary="Run an application step by step; commit it with `into`")
def proceedings(request: Request, body: ProceedingRun) -> Any:
    from scomodel.charter.proceedings import proceed

    if body.into is not None:
        require_token(request, get_provider(request).settings)
    registry, into = check_whatif_name(body.registry), check_whatif_name(body.into, "into")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "proceeding.yaml"
        path.write_text(_as_yaml(body.proceeding), encoding="utf-8")
        try:
            outcome = proceed(path, registry=registry or into, rules=[], into=into)
        except InputError as exc:
            if exc.file == str(path):  # name the request, not the server's temporary file
                exc.file, exc.line = None, None
                exc.field = f"proceeding.{exc.field}" if exc.field else "proceeding"
            raise
    if outcome.committed:
        get_provider(request).invalidate()
    return to_plain(outcome)


def _as_yaml(data: dict[str, Any]) -> str:
    """JSON is YAML: the charter's own loader reads the body as it reads a file.

    ASCII with escapes, so control characters reach the loader as YAML escapes (the
    reader refuses them raw) and are judged as values.
    """
    import json

    return json.dumps(data, ensure_ascii=True)
