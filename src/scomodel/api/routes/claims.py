"""The claims ledger over HTTP: the same JSON as ``scomodel claims --format json``.

``GET /api/claims?as_of=`` lists every claim with its computed verdict;
``GET /api/claims/{id}?as_of=&explain=1`` evaluates one and, with ``explain``, returns
the queries it ran and the rows and figures they gave.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from scomodel.api.deps import WhatIfName, check_whatif_name, get_provider
from scomodel.api.problems import PROBLEM_RESPONSES
from scomodel.output import to_plain

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["claims"], responses=PROBLEM_RESPONSES)

AsOf = Annotated[str | None, Query(description="only data dated on or before this day "
                                               "(YYYY, YYYY-MM, YYYY-MM-DD)", max_length=40)]


@router.get("/claims", summary="The seeds' claims with verdicts computed as of a date")
def claims(request: Request, as_of: AsOf = None, registry: WhatIfName = None,
           seed: Annotated[str | None, Query(description="zhao2004 or masuda2011",
                                             max_length=20)] = None) -> Any:
    from scomodel.claims.ledger import ledger

    reg = get_provider(request).get(check_whatif_name(registry))
    return to_plain(ledger(as_of, registry=reg, seed=seed))


@router.get("/claims/{claim_id}", summary="One claim evaluated, with its steps on request")
def claim(request: Request, claim_id: str, as_of: AsOf = None, registry: WhatIfName = None,
          explain: Annotated[bool, Query(description="include the queries run and their "
                                                     "rows")] = False) -> Any:
    from scomodel.claims.ledger import explain as run

    reg = get_provider(request).get(check_whatif_name(registry))
    return to_plain(run(claim_id, as_of, registry=reg, steps=explain))
