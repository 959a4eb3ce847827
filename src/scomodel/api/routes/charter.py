"""Charter queries (``rules``, ``rights``, ``eligible``, ``check-history``) and proceedings.

Same JSON as the CLI. ``?explain=1`` adds the trace of an answer as ``--explain`` does: a
mapping answer gains a ``trace`` key, a list answer becomes ``{"rows": [...], "trace": ...}``.
The charter opens the registry itself (``registry=`` names a what-if
copy) on ``SCOMODEL_DB``/``SCOMODEL_DATA``, as the CLI does. What-if rulebooks
(``--rules FILE``) are not offered: the server reads no files a client names.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from scomodel.api.deps import (
    WhatIfName,
    check_token,
    check_whatif_name,
    get_provider,
    known_whatif,
)
from scomodel.api.problems import PROBLEM_RESPONSES
from scomodel.errors import InputError
from scomodel.output import to_plain
from scomodel.trace import Node, explained, new_trace

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["charter"], responses=PROBLEM_RESPONSES)

On = Annotated[str, Query(description="YYYY, YYYY-MM or YYYY-MM-DD (a coarse date is its "
                                      "first day)", max_length=40)]
Explain = Annotated[bool, Query(description="add the trace of the answer: spells, facts, rules "
                                "(effective dates, rulebook versions) and sources")]


def _trace(explain: bool, question: str) -> Node | None:
    return new_trace(question) if explain else None


@router.get("/rules/{org}/consolidated", summary="Every rule in force on a day, consolidated "
                                                 "(rules --format yaml)")
def consolidated(org: str, on: On) -> Any:
    from scomodel.charter.consolidate import consolidated as compute

    return to_plain(compute(org, on))


@router.get("/rules/{org}/diff", summary="Rules added, removed and amended between two days")
def rules_diff(org: str, before: Annotated[str, Query(max_length=40)],
               after: Annotated[str, Query(max_length=40)]) -> Any:
    from scomodel.charter.consolidate import diff_rules

    return to_plain(diff_rules(org, before, after))


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
    request: Request, actor: str, org: str, on: On, registry: WhatIfName = None,
    status: Annotated[str | None, Query(description="rights of this status instead",
                                        max_length=40)] = None,
    explain: Explain = False,
) -> Any:
    from scomodel.charter.rights import rights as compute

    trace = _trace(explain, f"rights {actor} {org} {on}")
    return explained(to_plain(compute(actor, org, on, status=status,
                                      registry=known_whatif(request, registry), rules=[],
                                      trace=trace)), trace)


@router.get("/eligible/{actor}/{org}", summary="Whether an actor may seek a status, criterion "
                                               "by criterion")
def eligible(
    request: Request, actor: str, org: str, on: On,
    status: Annotated[str, Query(description="observer, dialogue_partner, applicant, member...",
                                 max_length=40)],
    registry: WhatIfName = None,
    explain: Explain = False,
) -> Any:
    from scomodel.charter.eligibility import eligible as compute

    trace = _trace(explain, f"eligible {actor} {org} {status} {on}")
    result = compute(actor, org, status, on, registry=known_whatif(request, registry), rules=[],
                     trace=trace)
    return explained(to_plain({"eligible": result.eligible, **result.to_dict()}), trace)


@router.get("/check-history/{org}", summary="Recorded status changes against the rules")
def check_history(
    request: Request, org: str, registry: WhatIfName = None,
    verdict: Annotated[str | None, Query(description="conforming, anomalous or undecidable",
                                         max_length=20)] = None,
    explain: Explain = False,
) -> Any:
    from scomodel.charter.history import VERDICTS
    from scomodel.charter.history import check_history as compute
    from scomodel.inputs import check_choice

    if verdict is not None:
        check_choice(verdict, VERDICTS, field="verdict")
    trace = _trace(explain, f"check-history {org}")
    rows = compute(org, registry=known_whatif(request, registry), rules=[], trace=trace)
    if trace is not None and verdict is not None:  # the trace of the rows answered
        trace.children = [c for c in trace.children
                          if c.detail.get("verdict", verdict) == verdict]
    return explained(to_plain([r for r in rows if verdict is None or r.verdict == verdict]),
                     trace)


@router.get("/decide/{org}", summary="Would a decision pass on a date, given who objects?")
def decide(
    request: Request, org: str, on: On, registry: WhatIfName = None,
    objections: Annotated[str, Query(description="comma-separated objectors: codes, names or "
                                     "COW codes", max_length=400)] = "",
    matter: Annotated[str, Query(description="default, expel, suspend, guest, reservation_void",
                                 max_length=40)] = "default",
    target: Annotated[str | None, Query(description="the member concerned (expel, suspend)",
                                        max_length=80)] = None,
    body: Annotated[str | None, Query(description="the deciding body (EEC_BOARD, CHS...)",
                                      max_length=40)] = None,
    opt_outs: Annotated[str, Query(description="comma-separated members declaring no "
                                   "interest (CIS Art. 23)", max_length=400)] = "",
    explain: Explain = False,
) -> Any:
    from scomodel.actors import split_names
    from scomodel.charter.decision import decide as compute

    trace = _trace(explain, f"decide {org} {on} {matter}")
    return explained(to_plain(compute(org, on, split_names(objections), matter=matter,
                                      target=target, registry=known_whatif(request, registry),
                                      rules=[], body=body, opt_outs=split_names(opt_outs),
                                      trace=trace)), trace)


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
def proceedings(request: Request, body: ProceedingRun, explain: Explain = False) -> Any:
    from scomodel.charter.proceedings import proceed

    trace = _trace(explain, "proceed")
    if body.into is not None:
        check_token(request, get_provider(request).settings)
    registry, into = known_whatif(request, body.registry), check_whatif_name(body.into, "into")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "proceeding.yaml"
        path.write_text(_as_yaml(body.proceeding), encoding="utf-8")
        try:
            outcome = proceed(path, registry=registry or into, rules=[], into=into,
                              trace=trace)
        except InputError as exc:
            if exc.file == str(path):  # name the request, not the server's temporary file
                exc.file, exc.line = None, None
                exc.field = f"proceeding.{exc.field}" if exc.field else "proceeding"
            raise
    if outcome.committed:
        get_provider(request).invalidate()
    return explained(to_plain(outcome), trace)


def _as_yaml(data: dict[str, Any]) -> str:
    """JSON is YAML: the charter's own loader reads the body as it reads a file.

    ASCII with escapes, so control characters reach the loader as YAML escapes (the
    reader refuses them raw) and are judged as values.
    """
    import json

    return json.dumps(data, ensure_ascii=True)
