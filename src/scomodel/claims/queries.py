"""Registry queries a claim can name: admissions, statuses, applications, facts, holders.

Each query takes its parameters as a small pydantic model (unknown keys are errors with
the claim file's line) and returns plain *figures* (numbers, flags, lists) that the
claim's threshold compares. Every call is logged on the context with the rows it used.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from scomodel.claims.context import Context, day
from scomodel.dates import PartialDate
from scomodel.registry.schema import STANDING

__all__ = ["REGISTRY_QUERIES", "Params"]


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _cite_rows(ctx: Context, rows: list[Any]) -> None:
    for r in rows:
        ctx.cite(list(r.sources))


# -- count_admissions -------------------------------------------------------------------


class CountAdmissions(Params):
    org: str = "SCO"
    status: str = "member"
    since: str
    per_years: int = Field(default=5, ge=1, le=50)


def count_admissions(ctx: Context, p: CountAdmissions) -> dict[str, Any]:
    """States granted ``status`` per window of ``per_years`` after ``since`` (to as_of)."""
    org = ctx.registry.resolve_org(p.org)
    first = day(p.since, "since")
    spells = [s for s in ctx.registry.spells() if s.org == org
              and s.status == p.status and first < PartialDate(s.start).first <= ctx.as_of]
    windows = []
    start = first
    while start <= ctx.as_of:
        end = dt.date(start.year + p.per_years, start.month, start.day)
        inside = [s for s in spells if start < PartialDate(s.start).first <= end]
        windows.append({"from": start.isoformat(), "to": min(end, ctx.as_of).isoformat(),
                        "count": len(inside), "actors": sorted(s.actor for s in inside)})
        start = end
    _cite_rows(ctx, spells)
    ctx.log("registry", f"spells() of {org} where status={p.status} and "
            f"{first} < start <= {ctx.as_of}", [f"{s.actor} {s.start}" for s in spells])
    counts: list[int] = [int(w["count"]) for w in windows]  # type: ignore[call-overload]
    return {"windows": windows, "max_per_window": max(counts) if counts else None,
            "total": len(spells), "n_windows": len(windows)}


# -- statuses_of ------------------------------------------------------------------------


class StatusesOf(Params):
    org: str = "SCO"
    actors: list[str] = Field(min_length=1)
    by: str | None = None


def statuses_of(ctx: Context, p: StatusesOf) -> dict[str, Any]:
    """Every status each named actor held in ``org`` at any time up to ``by`` (or as_of)."""
    by = ctx.clamp(p.by, "by") if p.by else ctx.as_of
    held: dict[str, list[str]] = {}
    for name in p.actors:
        code = ctx.registry.resolve_actor(name)
        rows = [r for r in ctx.registry.timeline(code, p.org) if PartialDate(r.start).first <= by]
        _cite_rows(ctx, rows)
        held[code] = sorted({r.status for r in rows})
        ctx.log("registry", f"timeline({code!r}, {p.org!r}) started by {by}",
                [f"{r.status} {r.start}..{r.end or 'now'}" for r in rows])
    n = len(held)
    members = [a for a, s in held.items() if "member" in s]
    standing = [a for a, s in held.items() if STANDING & set(s)]
    return {"by": by.isoformat(), "statuses": held, "n_actors": n,
            "n_member": len(members), "members": members,
            "n_standing": len(standing), "standing": standing,
            "n_none": sum(1 for s in held.values() if not s),
            "n_guest_only": sum(1 for s in held.values() if s and set(s) <= {"guest"}),
            "share_member": round(len(members) / n, 4),
            "share_standing": round(len(standing) / n, 4)}


# -- ever_applied -----------------------------------------------------------------------


class EverApplied(Params):
    org: str = "SCO"
    actor: str
    statuses: list[str] = Field(min_length=1)


def _names(value: Any) -> set[str]:
    if value is None:
        return set()
    return {str(v) for v in value} if isinstance(value, list) else {str(value)}


def ever_applied(ctx: Context, p: EverApplied) -> dict[str, Any]:
    """Applications for (or grants of) a status known by as_of: facts and spells both."""
    code = ctx.registry.resolve_actor(p.actor)
    org = ctx.registry.resolve_org(p.org)
    wanted = set(p.statuses)
    found = []
    for fact, known in ctx.facts_known():
        a = fact.attributes
        who = _names(a.get("actor")) | _names(a.get("applicant"))
        what = _names(a.get("status")) | _names(a.get("status_sought"))
        # an application (or a refusal of one); a status only "considered" is not one
        if (org in fact.about and code in who and what & wanted
                and a.get("type", "application") == "application"):
            found.append((fact, known))
    spells = [r for r in ctx.registry.timeline(code, org)
              if r.status in wanted and PartialDate(r.start).first <= ctx.as_of]
    for fact, _ in found:
        ctx.cite(list(fact.sources))
    _cite_rows(ctx, spells)
    ctx.log("registry", f"facts naming {code} as applicant for {sorted(wanted)} in {org}, "
            f"known by {ctx.as_of}", [f"{f.id} (known {k})" for f, k in found])
    ctx.log("registry", f"timeline({code!r}, {org!r}) with status in {sorted(wanted)}",
            [f"{r.status} {r.start}" for r in spells])
    refused = [f.id for f, _ in found if "refus" in f.id or "refus" in f.title.lower()
               or "turned down" in f.title.lower()]
    return {"applications": len(found), "application_ids": [f.id for f, _ in found],
            "refused": len(refused), "held": len(spells) > 0,
            "statuses_held": sorted({r.status for r in spells})}


# -- facts_matching ---------------------------------------------------------------------


class FactsMatching(Params):
    kinds: list[str] = Field(default_factory=list)
    about_all: list[str] = Field(default_factory=list)
    about_any: list[str] = Field(default_factory=list)
    attributes: dict[str, Any] = Field(default_factory=dict)
    ids: list[str] = Field(default_factory=list)
    since: str | None = None
    until: str | None = None


def _attr_matches(actual: Any, wanted: Any) -> bool:
    if isinstance(wanted, list):
        return any(_attr_matches(actual, w) for w in wanted)
    if isinstance(actual, list):
        return wanted in actual
    return bool(actual == wanted)


def facts_matching(ctx: Context, p: FactsMatching) -> dict[str, Any]:
    """Facts of the given kinds, about the given actors, with the given attributes."""
    since = day(p.since, "since") if p.since else None
    until = ctx.clamp(p.until, "until") if p.until else ctx.as_of
    rows = []
    for fact, known in ctx.facts_known():
        if p.kinds and fact.kind not in p.kinds:
            continue
        if p.ids and fact.id not in p.ids:
            continue
        if not set(p.about_all) <= set(fact.about):
            continue
        if p.about_any and not set(p.about_any) & set(fact.about):
            continue
        if not all(_attr_matches(fact.attributes.get(k), v) for k, v in p.attributes.items()):
            continue
        if (since and known < since) or known > until:
            continue
        rows.append((fact, known))
    rows.sort(key=lambda fk: (fk[1], fk[0].id))
    for fact, _ in rows:
        ctx.cite(list(fact.sources))
    ctx.log("registry", f"facts(kinds={p.kinds or 'any'}, about_all={p.about_all}, "
            f"about_any={p.about_any}, attributes={p.attributes}) known "
            f"{since or 'ever'}..{until}", [f"{f.id} ({k})" for f, k in rows])
    years = sorted({k.year for _, k in rows})
    return {"count": len(rows), "ids": [f.id for f, _ in rows],
            "first": rows[0][1].isoformat() if rows else None,
            "last": rows[-1][1].isoformat() if rows else None,
            "distinct_years": len(years), "years": years}


# -- count_holders ----------------------------------------------------------------------


class CountHolders(Params):
    org: str = "SCO"
    statuses: list[str] = Field(min_length=1)
    at: list[str] = Field(min_length=1)


def count_holders(ctx: Context, p: CountHolders) -> dict[str, Any]:
    """How many actors hold one of ``statuses`` in ``org`` on each day (cut at as_of)."""
    days = sorted({ctx.clamp(a, "at") for a in p.at})
    counts = []
    for d in days:
        rows = [r for r in ctx.registry.members(p.org, d.isoformat()) if r.status in p.statuses]
        _cite_rows(ctx, rows)
        actors = sorted({r.actor for r in rows})
        counts.append(len(actors))
        ctx.log("registry", f"members({p.org!r}, on={d}) with status in {p.statuses}", actors)
    return {"days": [d.isoformat() for d in days], "counts": counts, "first": counts[0],
            "last": counts[-1], "max": max(counts), "change": counts[-1] - counts[0]}


# -- membership_overlap -----------------------------------------------------------------


class MembershipOverlap(Params):
    actors: list[str] = Field(default_factory=list)
    region: str | None = None
    groups: dict[str, list[str]] = Field(min_length=1)
    at: str | None = None


def membership_overlap(ctx: Context, p: MembershipOverlap) -> dict[str, Any]:
    """Which of the actors are members of at least one organization of each group."""
    on = ctx.clamp(p.at, "at") if p.at else ctx.as_of
    actors = [ctx.registry.resolve_actor(a) for a in p.actors]
    if p.region:
        region = ctx.architecture().data.region(p.region)
        actors += [a for a in region.members if a not in actors]
    member_of: dict[str, set[str]] = {}
    for org in sorted({o for orgs in p.groups.values() for o in orgs}):
        rows = [r for r in ctx.registry.members(org, on.isoformat(), status="member")
                if r.actor in actors]
        _cite_rows(ctx, rows)
        member_of[org] = {r.actor for r in rows}
        ctx.log("registry", f"members({org!r}, on={on}, status='member') among {actors}",
                sorted(member_of[org]))
    per_actor = {a: sorted(g for g, orgs in p.groups.items()
                           if any(a in member_of[o] for o in orgs)) for a in actors}
    in_all = [a for a, gs in per_actor.items() if len(gs) == len(p.groups)]
    in_any = [a for a, gs in per_actor.items() if gs]
    return {"on": on.isoformat(), "groups_of": per_actor, "n_actors": len(actors),
            "n_in_all": len(in_all), "in_all": in_all, "n_in_any": len(in_any),
            "n_in_none": len(actors) - len(in_any)}


REGISTRY_QUERIES: dict[str, tuple[type[Params], Any]] = {
    "count_admissions": (CountAdmissions, count_admissions),
    "statuses_of": (StatusesOf, statuses_of),
    "ever_applied": (EverApplied, ever_applied),
    "facts_matching": (FactsMatching, facts_matching),
    "count_holders": (CountHolders, count_holders),
    "membership_overlap": (MembershipOverlap, membership_overlap),
}
