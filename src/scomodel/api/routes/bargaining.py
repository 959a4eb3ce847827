"""Bargaining: the built-in scenarios (``scenarios``, ``scenario show``, ``profile``) as GET,
runs (``bargain``) as POST with limits; many Monte Carlo runs become a job.

Runs take built-in scenario names only: the server reads no file a client names. Monte
Carlo runs in one process (``--workers 1``): a seed gives the same numbers on any backend.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from scomodel.api.jobs import JobQueue, QueueFull
from scomodel.api.problems import PROBLEM_RESPONSES, problem
from scomodel.api.ratelimit import client_key
from scomodel.api.settings import Settings
from scomodel.errors import InputError, NotFoundError
from scomodel.limits import OPTIONS, ROUNDS, SEED, LimitError
from scomodel.output import to_plain

__all__ = ["router", "BargainRun"]

router = APIRouter(prefix="/api", tags=["bargaining"], responses=PROBLEM_RESPONSES)


def _builtin(name: str, model: str = "eum") -> str:
    """A built-in scenario name (the SMP has its own multi-dimensional ones)."""
    if model == "smp":
        from scomodel.bargaining.smp.loader import builtin_names
    else:
        from scomodel.bargaining.builtin import builtin_names

    names = builtin_names()
    if name not in names:
        raise NotFoundError(f"no built-in scenario {name[:80]!r}; built-in: {', '.join(names)}",
                            field="scenario")
    return name


@router.get("/scenarios", summary="The built-in scenarios")
def scenarios() -> Any:
    from scomodel.bargaining.builtin import builtin_names
    from scomodel.bargaining.scenario import load_scenario

    rows = []
    for name in builtin_names():
        sc = load_scenario(name)
        rows.append({"name": sc.name, "date": sc.date, "title": sc.title,
                     "issues": sc.issue_ids, "actors": len(sc.actors)})
    return to_plain(rows)


@router.get("/scenario/{name}", summary="One scenario with every coding and its source")
def scenario_show(name: str) -> Any:
    from scomodel.bargaining.scenario import load_scenario

    sc = load_scenario(_builtin(name))
    from scomodel.bargaining.dated import show_scenario

    return to_plain(show_scenario(sc))


@router.get("/profile/{actor}", summary="What an actor wants from the SCO, with sources")
def profile(actor: str) -> Any:
    from scomodel.bargaining.capabilities import profile_cinc
    from scomodel.bargaining.profiles import profile as compute

    p = compute(actor)
    return to_plain({**p.model_dump(mode="json"), "cinc": profile_cinc(p.actor)})


class BargainRun(BaseModel):
    """The options of ``scomodel bargain``, for a built-in scenario."""

    model_config = ConfigDict(extra="forbid")
    scenario: str = Field(max_length=80, description="a built-in scenario name")
    model: str = Field("eum", max_length=20, description="eum, veto or smp")
    issue: str | None = Field(None, max_length=80)
    runs: int = Field(0, ge=0, description="Monte Carlo runs (0: none); many become a job")
    seed: int = Field(0, ge=0, le=SEED)
    reading: str = Field("scholz_code", max_length=40, description="scholz_code or printed")
    options: list[str] = Field(default_factory=list, max_length=OPTIONS,
                               description="NAME=VALUE, as --option")
    rounds: int | None = Field(None, ge=1, le=ROUNDS)
    members: str | None = Field(None, max_length=400,
                                description="SCO-6,SCO-8 or CHN+RUS,... (veto)")
    rule: str | None = Field(None, max_length=80,
                             description="consensus, majority, qualified_majority:0.75")


def _request(body: BargainRun) -> Any:
    """The runner's request for ``body``, every cost and option checked before any run.

    A bad or out-of-range option value is a 422 naming it (``options.noise``), as a bad
    body field is: the run never starts, inline or as a job.
    """
    from scomodel.bargaining.runner import (
        BargainRequest,
        check_request,
        parse_members,
        parse_options,
        parse_rule,
    )

    req = BargainRequest(
        scenario=_builtin(body.scenario, body.model), model=body.model, issue=body.issue,
        runs=body.runs, seed=body.seed, backend="local", workers=1, plot=None, reading=body.reading,
        options=parse_options(body.options), rounds=body.rounds,
        members=parse_members(body.members), rule=parse_rule(body.rule), progress=False,
    )
    try:
        check_request(req)
    except NotFoundError:
        raise
    except InputError as exc:
        field = exc.field or "options"
        if field not in BargainRun.model_fields and not field.startswith("options."):
            field = f"options.{field}"
        raise LimitError(exc.message, field=field) from None
    return req


def _run(req: Any) -> dict[str, Any]:
    from scomodel.bargaining.runner import run_model

    return to_plain(run_model(req))  # type: ignore[no-any-return]


@router.post("/bargain", summary="Forecast a decision (eum) or its win-set (veto)",
             response_model=None, responses={202: {"description": "queued as a job"},
                                             429: {"description": "queue or rate limit"}})
def bargain(request: Request, body: BargainRun) -> Any:
    settings: Settings = request.app.state.settings
    if body.runs > settings.max_runs:
        raise LimitError(f"at most {settings.max_runs} Monte Carlo runs per request",
                         field="runs")
    req = _request(body)
    if body.runs <= settings.job_threshold_runs:
        return _run(req)
    queue: JobQueue = request.app.state.jobs
    try:
        job = queue.submit("bargain", body.model_dump(), lambda: _run(req),
                           client=client_key(request.scope))
    except QueueFull as exc:
        return problem(429, str(exc), field="runs", instance=request.url.path,
                       headers={"Retry-After": "5"})
    return JSONResponse({**job.to_dict(), "href": f"/api/jobs/{job.id}"}, status_code=202,
                        headers={"Location": f"/api/jobs/{job.id}"})


@router.get("/smp-scenarios", summary="The built-in scenarios of the spatial model (SMP)")
def smp_scenarios() -> Any:
    from scomodel.bargaining.smp.loader import builtin_names, load_scenario

    rows = []
    for name in builtin_names():
        sc, _ = load_scenario(name)
        rows.append({"name": name, "description": sc.description, "actors": list(sc.actors),
                     "dimensions": list(sc.dimensions), "sources": sc.sources})
    return to_plain(rows)


@router.get("/jobs/{job_id}", summary="A long run's status, and its result once done")
def job(request: Request, job_id: str) -> Any:
    queue: JobQueue = request.app.state.jobs
    return queue.record(job_id)
