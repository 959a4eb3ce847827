"""A registry's in-memory view of the store: spell rows, indexes, coverage, facts.

Building the view of the curated and COW rows costs about a second once COW is imported
(19,000 spell rows, the spells beside each, three indexes). Every registry of one store
revision shares that base view, and a what-if copy's view is the base plus the copy's own
few rows, re-derived only for the (organization, actor) pairs they touch. A write to a
copy then costs its own rows, not COW's: with COW imported a write took 0.8 s in-process
and 3 s under read load when each one rebuilt the whole view (issue 11).

The derived view is the same as a full build of the same rows (tests/registry/
test_views.py compares them); the cases a derivation cannot shortcut (a copy's spell in
an organization only COW records, or a shadowed spell that moves an organization's
coverage) are built in full.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from typing import Any

from sqlalchemy import Engine, select

from scomodel.actors import Actor, ActorDirectory, state_from_cow
from scomodel.errors import NotFoundError
from scomodel.registry import store
from scomodel.registry.coverage import coverage_of
from scomodel.registry.index import SpellIndex
from scomodel.registry.pace import paced
from scomodel.registry.records import FactRow, SpellRow
from scomodel.registry.schema import STANDING
from scomodel.registry.whatif_store import revisions

__all__ = ["View", "view_of", "base_view", "held_base", "fetch_rows", "actor_of", "clear_base"]

Rows = tuple[list[Any], list[Any], list[Any], list[Any]]
Item = tuple[SpellRow, dt.date, dt.date | None]
Group = tuple[bool, str, str]  # (is COW, organization, actor): the rows that see each other


@dataclasses.dataclass(slots=True)
class View:
    """What a registry answers from; never changed once built (a write builds a new one)."""

    actors: ActorDirectory
    org_meta: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    coverage: dict[tuple[bool, str], dict[str, Any]]
    cow_years: tuple[int, int, dict[str, int]] | None
    index: SpellIndex
    cow_index: SpellIndex
    curated_index: SpellIndex
    facts: list[FactRow]
    revision: str = ""
    # kept for deriving a what-if view from this one (a base view only)
    raw: list[Any] = dataclasses.field(default_factory=list)
    rows: list[SpellRow] = dataclasses.field(default_factory=list)
    groups: dict[Group, list[int]] = dataclasses.field(default_factory=dict)
    curated_orgs: frozenset[str] = frozenset()
    source: Rows = ([], [], [], [])  # the rows read, for a full build with a copy's added


def fetch_rows(conn: Any, datasets: list[str]) -> Rows:
    """Actor, source, spell and fact rows of ``datasets``."""
    return tuple(  # type: ignore[return-value]
        list(paced(conn.execute(select(table).where(table.c.dataset.in_(datasets))).mappings()))
        for table in (store.actors, store.sources, store.spells, store.facts))


#: the base view (curated and COW rows) of the latest store revision read; one entry,
#: since it is big, and built under a lock so a writer and a background refresh that
#: need it at once build it once
_BASE: dict[tuple[str, str], View] = {}
_BASE_LOCK = threading.Lock()


def clear_base() -> None:
    """Forget the base view (``Registry.open(refresh=True)``: read every row again)."""
    with _BASE_LOCK:
        _BASE.clear()


def held_base(engine: Engine) -> View | None:
    """The base view this process holds for the store, whatever its revision."""
    url = str(engine.url)
    return next((v for k, v in list(_BASE.items()) if k[0] == url), None)


def base_view(engine: Engine, revision: str | None = None) -> View:
    """The view of the curated and COW rows at the store's current revision."""
    revision = revisions(engine, None)[0] if revision is None else revision
    key = (str(engine.url), revision)
    found = _BASE.get(key)
    if found is not None:
        return found
    with _BASE_LOCK:
        found = _BASE.get(key)
        if found is None:
            with engine.connect() as conn:
                rows = fetch_rows(conn, [store.CURATED, store.COW])
            found = build(engine, rows, revision=revision)
            _BASE.clear()
            _BASE[key] = found
    return found


def view_of(engine: Engine, whatif: str | None, base: View | None = None) -> View:
    """The view of the curated history (``whatif=None``) or of one what-if copy.

    ``base``: derive the copy from this base view rather than the store's current one
    (a writer keeps the base it validated against).
    """
    base = base_view(engine) if base is None else base
    if not whatif:
        return base
    with engine.connect() as conn:
        own = fetch_rows(conn, [f"whatif:{whatif}"])
    return derive(engine, base, own)


def actor_of(actors: ActorDirectory, code: str) -> Actor:
    """The actor of a stored code (a COW-only state is added to the directory)."""
    try:
        return actors.resolve(code)
    except NotFoundError:
        if code.startswith("COW") and code[3:].isdigit():
            actor = state_from_cow(int(code[3:]))
            actors.add(actor)
            return actor
        return Actor(code, code, "state")


def build(engine: Engine, rows: Rows, *, revision: str = "") -> View:
    """A view of these rows from scratch."""
    actor_rows, source_rows, spell_rows, fact_rows = rows
    actors = ActorDirectory()
    for row in actor_rows:
        actors.add(Actor(row["code"], row["name"], row["kind"], row["cow"]))
    org_meta = {r["code"]: dict(r) for r in actor_rows if r["kind"] == "organization"}
    curated_orgs = frozenset(r["org"] for r in spell_rows if r["dataset"] != store.COW)
    # a what-if row with the key of a curated spell shadows it (end_spell writes these)
    shadowed = {_spell_key(r) for r in spell_rows if r["dataset"].startswith("whatif:")}
    kept = [r for r in spell_rows
            if not (r["dataset"] == store.CURATED and _spell_key(r) in shadowed)]
    cow_years = _cow_span(engine)
    coverage = coverage_of(kept, org_meta, cow_years)
    groups = _groups(kept)
    spells = _spell_rows(kept, groups, actors, coverage)
    effective, cow = [], []
    for r, spell in zip(kept, spells, strict=True):
        item = (spell, r["start_day"], r["end_day"])
        if r["dataset"] == store.COW:
            cow.append(item)
            if r["org"] not in curated_orgs:
                effective.append(item)
        else:
            effective.append(item)
    return View(
        actors=actors, org_meta=org_meta, sources={r["key"]: dict(r) for r in source_rows},
        coverage=coverage, cow_years=cow_years, index=SpellIndex(effective),
        cow_index=SpellIndex(cow),
        curated_index=SpellIndex([i for i in effective if i[0].dataset != store.COW]),
        facts=_facts(fact_rows), revision=revision, raw=kept, rows=spells, groups=groups,
        curated_orgs=curated_orgs, source=rows)


def derive(engine: Engine, base: View, own: Rows) -> View:
    """``base`` plus a what-if copy's own rows, re-deriving only the pairs they touch."""
    own_actors, own_sources, own_spells, own_facts = own
    if own_actors or any(r["org"] not in base.curated_orgs for r in own_spells):
        return _full(engine, base, own)
    touched = {(False, r["org"], r["actor"]) for r in own_spells}
    shadowed = {_spell_key(r) for r in own_spells}
    gone = {i for g in touched for i in base.groups.get(g, [])
            if base.raw[i]["dataset"] == store.CURATED and _spell_key(base.raw[i]) in shadowed}
    coverage = base.coverage
    if gone:
        orgs = {base.raw[i]["org"] for i in gone}
        left = [r for i, r in enumerate(base.raw) if r["org"] in orgs and i not in gone]
        moved = coverage_of(left, base.org_meta, base.cow_years)
        if any(moved.get((False, o)) != base.coverage.get((False, o)) for o in orgs):
            return _full(engine, base, own)
    replaced = sorted(i for g in touched for i in base.groups.get(g, []))
    raw = [base.raw[i] for i in replaced if i not in gone] + list(own_spells)
    spells = _spell_rows(raw, _groups(raw), base.actors, coverage)
    drop = [base.rows[i] for i in replaced]
    add = [(s, r["start_day"], r["end_day"]) for r, s in zip(raw, spells, strict=True)]
    sources = {**base.sources, **{r["key"]: dict(r) for r in own_sources}} if own_sources \
        else base.sources
    return View(
        actors=base.actors, org_meta=base.org_meta, sources=sources, coverage=coverage,
        cow_years=base.cow_years, index=base.index.replaced(drop, add),
        cow_index=base.cow_index, curated_index=base.curated_index.replaced(drop, add),
        facts=sorted([*base.facts, *_facts(own_facts, sort=False)], key=_fact_order),
        revision=base.revision)


def _full(engine: Engine, base: View, own: Rows) -> View:
    """A full build of the base's rows and the copy's (where a derivation cannot shortcut)."""
    rows = tuple(b + o for b, o in zip(base.source, own, strict=True))
    return build(engine, rows, revision=base.revision)  # type: ignore[arg-type]


def _groups(raw: list[Any]) -> dict[Group, list[int]]:
    groups: dict[Group, list[int]] = {}
    for i, r in enumerate(paced(raw)):
        groups.setdefault((r["dataset"] == store.COW, r["org"], r["actor"]), []).append(i)
    return groups


def _spell_rows(raw: list[Any], groups: dict[Group, list[int]], actors: ActorDirectory,
                coverage: dict[tuple[bool, str], dict[str, Any]]) -> list[SpellRow]:
    """Spell rows with their kind, coverage, end reason and the spells beside them."""
    fields = [_row_fields(r, actors, coverage) for r in paced(raw)]
    for members in groups.values():
        if len(members) < 2:
            continue
        for i in members:
            first, end = raw[i]["start_day"], raw[i]["end_day"] or dt.date.max
            fields[i]["beside"] = [
                _beside_entry(fields[j]) for j in members
                if j != i and raw[j]["start_day"] < end
                and (raw[j]["end_day"] or dt.date.max) > first
            ]
    return [SpellRow(**f) for f in paced(fields)]


def _row_fields(r: Any, actors: ActorDirectory,
                coverage: dict[tuple[bool, str], dict[str, Any]]) -> dict[str, Any]:
    actor = actor_of(actors, r["actor"])
    cov = coverage.get((r["dataset"] == store.COW, r["org"]))
    cow_end = str(int(cov["last"]) + 1) if r["dataset"] == store.COW and cov else None
    return {
        "org": r["org"], "actor": r["actor"], "name": actor.name, "cow": actor.cow,
        "status": r["status"], "start": r["start"], "end": r["end"],
        "precision": r["precision"], "end_precision": r["end_precision"],
        "sources": list(r["sources"] or []), "note": r["note"], "dataset": r["dataset"],
        "events": list(r["events"] or []), "follows": r["follows"],
        "disputed": list(r["disputed"] or []),
        "kind": "standing" if r["status"] in STANDING else "procedure",
        "end_reason": "coverage" if cow_end is not None and r["end"] == cow_end else None,
        "coverage": cov,
    }


def _beside_entry(fields: dict[str, Any]) -> dict[str, Any]:
    """What a row says about a spell running beside it (enough to date and cite it)."""
    return {k: fields[k] for k in ("status", "kind", "start", "end", "precision", "events",
                                   "follows", "sources")}


def _facts(fact_rows: list[Any], sort: bool = True) -> list[FactRow]:
    facts = [FactRow(**{k: r[k] for k in FactRow.__slots__}) for r in fact_rows]
    return sorted(facts, key=_fact_order) if sort else facts


def _fact_order(f: FactRow) -> tuple[str, str]:
    return (f.date or "", f.id)


def _cow_span(engine: Engine) -> tuple[int, int, dict[str, int]] | None:
    """COW's first and last year, and each IGO's first year (``None``: not imported)."""
    c = store.cow_igos.c
    with engine.connect() as conn:
        spans = conn.execute(select(c.code, c.first_year, c.last_year)).all()
    if not spans:
        return None
    return (min(s[1] for s in spans), max(s[2] for s in spans),
            {s[0]: int(s[1]) for s in spans})


def _spell_key(row: Any) -> tuple[str, str, str, str]:
    return (row["org"], row["actor"], row["status"], row["start"])
