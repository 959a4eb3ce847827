"""Queries of the other parts: veto players (charter + registry), overlap and bases
(architecture), eligibility (charter) and gridlock (bargaining).

Same contract as :mod:`scomodel.claims.queries`: parameters as a strict model, plain
figures back, every call logged with what it returned. Days asked past ``as_of`` are
answered for ``as_of``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import Field

from scomodel.claims.context import Context
from scomodel.claims.queries import Params

__all__ = ["PART_QUERIES"]


def _series(values: list[Any]) -> dict[str, Any]:
    return {"first": values[0], "last": values[-1], "max": max(values), "min": min(values),
            "change": values[-1] - values[0]}


# -- veto_players -----------------------------------------------------------------------


class VetoPlayers(Params):
    org: str = "SCO"
    body: str | None = "CHS"
    matter: str = "default"
    at: list[str] = Field(min_length=1)


def veto_players(ctx: Context, p: VetoPlayers) -> dict[str, Any]:
    """Members who can block a decision of ``body``: all members under consensus."""
    from scomodel.charter import decision_rule

    days = sorted({ctx.clamp(a, "at") for a in p.at})
    counts, kinds = [], []
    for d in days:
        rule = decision_rule(p.org, d.isoformat(), p.matter, body=p.body)
        members = sorted({r.actor for r in ctx.registry.members(p.org, d.isoformat(),
                                                                 status="member")})
        # a veto player is a member whose objection alone blocks, by the rule's own test
        n = sum(1 for m in members if not rule.passes([m], members)) if members else 0
        counts.append(n)
        kinds.append(rule.kind)
        if rule.rule:
            ctx.cite([{"source": s.get("source"), "locator": s.get("locator")}
                      for s in rule.rule.get("sources", []) if isinstance(s, dict)])
        ctx.log("charter", f"decision_rule({p.org!r}, {d}, {p.matter!r}, body={p.body!r})",
                {"kind": rule.kind, "threshold": rule.threshold})
        ctx.log("registry", f"members({p.org!r}, on={d}, status='member')", members)
    return {"days": [d.isoformat() for d in days], "counts": counts, "rule_kinds": kinds,
            **_series(counts)}


# -- functional_overlap -----------------------------------------------------------------


class FunctionalOverlap(Params):
    a: str
    b: str
    at: list[str] = Field(min_length=1)
    region: str | None = None


def functional_overlap(ctx: Context, p: FunctionalOverlap) -> dict[str, Any]:
    """Shared fields (mandates) and shared members of two organizations on each day."""
    days = sorted({ctx.clamp(a, "at") for a in p.at})
    fj: list[float] = []
    mj: list[float] = []
    shared: list[list[str]] = []
    for d in days:
        pairs = ctx.overlap(d, p.region)
        row = pairs[((pairs["a"] == p.a) & (pairs["b"] == p.b))
                    | ((pairs["a"] == p.b) & (pairs["b"] == p.a))]
        if row.empty:
            fj.append(0.0)
            mj.append(0.0)
            shared.append([])
        else:
            r = row.iloc[0]
            fj.append(float(r["fields_jaccard"]))
            mj.append(float(r["jaccard"]))
            shared.append(list(r["shared_fields"]))
        ctx.log("architecture", f"overlap_pairs(on={d}, region={p.region!r}) row {p.a}-{p.b}",
                {"fields_jaccard": fj[-1], "jaccard": mj[-1], "shared_fields": shared[-1]})
    _cite_mandates(ctx, [p.a, p.b], days)
    return {"days": [d.isoformat() for d in days], "fields_jaccard": fj, "jaccard": mj,
            "fields_jaccard_first": fj[0], "fields_jaccard_last": fj[-1],
            "jaccard_first": mj[0], "jaccard_last": mj[-1],
            "shared_fields_first": shared[0], "shared_fields_last": shared[-1],
            "n_shared_fields_first": len(shared[0]), "n_shared_fields_last": len(shared[-1])}


def _cite_mandates(ctx: Context, orgs: list[str], days: list[Any]) -> None:
    """The sources of the mandate entries in force for ``orgs`` on any of ``days``."""
    from scomodel.dates import PartialDate

    for m in ctx.architecture().data.mandates:
        if m.kind != "organization" or m.subject not in orgs:
            continue
        start = PartialDate(m.start).first
        end = PartialDate(m.end).first if m.end else None
        if any(start <= d and (end is None or d < end) for d in days):
            ctx.cite([{"source": s.source, "locator": s.locator} for s in m.sources])


# -- mechanisms_present / bases ---------------------------------------------------------


class Mechanisms(Params):
    orgs: list[str] = Field(default_factory=list)
    powers: list[str] = Field(default_factory=list)
    field: str | None = None
    region: str = "central-asia"
    at: list[str] = Field(min_length=1)


def _ties_of(arch: Any, d: Any, power: str, region: set[str]) -> list[Any]:
    num = int(arch.days([d])[0])
    return [a for a in arch.arrangements_on(num)
            if power in a.parties and set(a.parties) & region and power not in region]


def mechanisms_present(ctx: Context, p: Mechanisms) -> dict[str, Any]:
    """Security mechanisms with a stake in the region on each day: organizations with a
    member there (whose mandate covers ``field``, if given) plus powers with an
    arrangement (base, alliance, treaty) with a state of the region."""
    arch = ctx.architecture()
    region = set(arch.data.region(p.region).members)
    days = sorted({ctx.clamp(a, "at") for a in p.at})
    counts, orgs_n, powers_n, named = [], [], [], []
    for d in days:
        pairs = ctx.overlap(d, p.region, p.field)
        present = sorted(set(pairs["a"]) | set(pairs["b"]))
        if p.orgs:
            present = [o for o in present if o in p.orgs]
        powers = []
        for power in p.powers:
            ties = _ties_of(arch, d, power, region)
            for t in ties:
                ctx.cite([{"source": s.source, "locator": s.locator} for s in t.sources])
            if ties:
                powers.append(f"{power}: {', '.join(t.id for t in ties)}")
        counts.append(len(present) + len(powers))
        orgs_n.append(len(present))
        powers_n.append(len(powers))
        named.append([*present, *powers])
        ctx.log("architecture", f"overlap_pairs(on={d}, region={p.region!r}, field={p.field!r})"
                f" organizations{' in ' + str(p.orgs) if p.orgs else ''}; arrangements of "
                f"{p.powers} with the region", named[-1])
    return {"days": [d.isoformat() for d in days], "counts": counts, "orgs": orgs_n,
            "powers_with_ties": powers_n, "present": named, **_series(counts),
            "powers_last": powers_n[-1], "powers_first": powers_n[0]}


class Arrangements(Params):
    power: str
    region: str = "central-asia"
    kinds: list[str] = Field(default_factory=lambda: ["basing", "access"])
    at: list[str] = Field(min_length=1)


def arrangements_count(ctx: Context, p: Arrangements) -> dict[str, Any]:
    """A power's arrangements of the given kinds (bases, access) with the region's states."""
    arch = ctx.architecture()
    region = set(arch.data.region(p.region).members)
    days = sorted({ctx.clamp(a, "at") for a in p.at})
    counts = []
    for d in days:
        ties = [t for t in _ties_of(arch, d, p.power, region) if t.kind in p.kinds]
        for t in ties:
            ctx.cite([{"source": s.source, "locator": s.locator} for s in t.sources])
        counts.append(len(ties))
        ctx.log("architecture", f"arrangements_on({d}) of {p.power} ({p.kinds}) in {p.region}",
                [t.id for t in ties])
    return {"days": [d.isoformat() for d in days], "counts": counts, **_series(counts)}


# -- eligibility ------------------------------------------------------------------------


class Eligible(Params):
    actor: str
    org: str = "SCO"
    status: str
    on: str


def eligibility(ctx: Context, p: Eligible) -> dict[str, Any]:
    """Whether the rules in force let ``actor`` seek ``status`` (charter)."""
    from scomodel.charter import eligible
    from scomodel.charter.context import open_context

    on = ctx.clamp(p.on, "on")
    result = eligible(p.actor, p.org, p.status, on.isoformat(),
                      registry=open_context(ctx.registry))
    data = result.to_dict()
    criteria = data.get("criteria", [])
    failing = [c.get("criterion") for c in criteria if c.get("result") is False]
    ctx.log("charter", f"eligible({p.actor!r}, {p.org!r}, {p.status!r}, {on})",
            {"eligible": data.get("eligible"), "failing": failing,
             "criteria": [c.get("criterion") for c in criteria]})
    return {"on": on.isoformat(), "eligible": data.get("eligible"),
            "not_barred": data.get("eligible") is not False, "n_criteria": len(criteria),
            "failing": failing}


# -- gridlock_change --------------------------------------------------------------------


class Gridlock(Params):
    scenario: str
    issue: str
    org: str = "SCO"
    before: str
    after: str


def gridlock_change(ctx: Context, p: Gridlock) -> dict[str, Any]:
    """Gridlock (veto-player core width) for the members on two days (bargaining)."""
    from scomodel.bargaining import compare_memberships, load_scenario

    scenario = load_scenario(p.scenario)
    lists: dict[str, Sequence[str]] = {}
    for name, when in (("before", p.before), ("after", p.after)):
        d = ctx.clamp(when, name)
        lists[f"{name} ({d})"] = sorted({r.actor for r in ctx.registry.members(
            p.org, d.isoformat(), status="member")})
    rows = compare_memberships(scenario, lists, p.issue)
    ctx.log("bargaining", f"compare_memberships({p.scenario!r}, issue={p.issue!r})",
            [{"members": r["members"], "n": r["n"], "gridlock_index": r["gridlock_index"],
              "win_set_size": r["win_set_size"]} for r in rows])
    ctx.cite([{"source": "scenario:" + p.scenario, "locator": p.issue}])
    g0, g1 = rows[0]["gridlock_index"], rows[-1]["gridlock_index"]
    return {"gridlock_before": round(g0, 4), "gridlock_after": round(g1, 4),
            "gridlock_increase": round(g1 - g0, 4),
            "win_set_before": rows[0]["win_set_size"], "win_set_after": rows[-1]["win_set_size"],
            "n_before": rows[0]["n"], "n_after": rows[-1]["n"]}


PART_QUERIES: dict[str, tuple[type[Params], Any]] = {
    "veto_players": (VetoPlayers, veto_players),
    "functional_overlap": (FunctionalOverlap, functional_overlap),
    "mechanisms_present": (Mechanisms, mechanisms_present),
    "arrangements_count": (Arrangements, arrangements_count),
    "eligibility": (Eligible, eligibility),
    "gridlock_change": (Gridlock, gridlock_change),
}
