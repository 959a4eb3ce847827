"""The registry's exported tables, each described once by a pydantic model.

The data package (:mod:`scomodel.registry.datapackage`) and the codebook
(:mod:`scomodel.registry.codebook`) are both generated from these models: a field added
here appears in the CSV, the Table Schema and the codebook together. Nested lists in the
data files (sources, events, disputes) become tables of their own, linked by ids, so every
table is flat and every row of every table can be checked against its source.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from scomodel.registry.schema import PROCEDURES, STATUSES

if TYPE_CHECKING:
    from scomodel.registry.core import Registry

__all__ = ["TABLES", "rows", "edtf_of"]

StatusName = Literal[STATUSES]  # type: ignore[valid-type]
_DATE = "a date as the data write it: YYYY, YYYY-MM or YYYY-MM-DD (the form is the precision)"


def _f(description: str, example: Any = None, **extra: Any) -> Any:
    schema_extra = dict(extra)
    if example is not None:
        schema_extra["example"] = example
    return Field(default=None, description=description, json_schema_extra=schema_extra)


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")
    primary_key: ClassVar[tuple[str, ...]] = ()
    #: (field, table, field there): checked by Frictionless when the package validates
    foreign_keys: ClassVar[tuple[tuple[str, str, str], ...]] = ()


class Organization(_Row):
    """Organizations: codes, founding, coverage and identifiers."""

    primary_key: ClassVar[tuple[str, ...]] = ("code",)

    code: str = Field(description="the organization's code (usual acronym)",
                      json_schema_extra={"example": "SCO"})
    name: str = _f("full name", "Shanghai Cooperation Organisation")
    founded: str | None = _f(f"founding day; {_DATE}", "2001-06-15")
    founded_edtf: str | None = _f("the founding date in EDTF (ISO 8601-2)", "2001-06-15")
    dissolved: str | None = _f(f"first day it no longer existed; {_DATE}")
    cow_ioname: str | None = _f("the COW IGO v3 `ioname` it matches", "SCO")
    wikidata: str | None = _f("Wikidata item", "Q485207")
    checked: str | None = _f("the day its data were last checked against the sources: the "
                             "end of its coverage", "2026-12-01")


class Actor(_Row):
    """States and organizations with every code the field uses."""

    primary_key: ClassVar[tuple[str, ...]] = ("code",)

    code: str = Field(description="the registry's code: ISO3, COW<ccode>, or an "
                      "organization's acronym", json_schema_extra={"example": "KAZ"})
    name: str = _f("name", "Kazakhstan")
    kind: Literal["state", "organization"] = Field(description="state or organization")
    ccode: int | None = _f("Correlates of War state code", 705)
    stateabb: str | None = _f("COW state abbreviation", "KZK")
    gwcode: int | None = _f("Gleditsch-Ward state code", 705)
    wikidata: str | None = _f("Wikidata item (data/identifiers)", "Q232")


class Spell(_Row):
    """Spells: one actor holding one status (or running one procedure) in one organization."""

    foreign_keys: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("org", "organizations", "code"), ("actor", "actors", "code"))

    primary_key: ClassVar[tuple[str, ...]] = ("spell_id",)

    spell_id: str = Field(description="org|actor|status|start, unique",
                          json_schema_extra={"example": "SCO|IND|observer|2005-07-05"})
    org: str = _f("organization code", "SCO")
    actor: str = _f("actor code", "IND")
    status: StatusName = Field(description="the status or procedure held")
    status_kind: Literal["standing", "procedure"] = Field(
        description="standing (at most one at a time) or procedure (runs beside one)")
    start: str = Field(description=f"first day; {_DATE}",
                       json_schema_extra={"example": "2005-07-05"})
    start_edtf: str = Field(description="start in EDTF; '?' marks a date sources dispute")
    end: str | None = _f(f"first day no longer held (half-open); empty while current; {_DATE}")
    end_edtf: str | None = _f("end in EDTF; '..' while current")
    end_reason: Literal["ended", "coverage", "current"] | None = _f(
        "ended: the status ended; coverage: the data end there; current: still held")
    follows: str | None = _f("which of the spell's events its start follows", "memorandum")
    note: str | None = _f("a paraphrase of what the sources say")


class Event(_Row):
    """Dated events behind a spell (application, decision, memorandum, grant...)."""

    foreign_keys: ClassVar[tuple[tuple[str, str, str], ...]] = (("spell_id", "spells", "spell_id"),)

    spell_id: str = Field(description="the spell it belongs to")
    kind: str = Field(description="what happened", json_schema_extra={"example": "decision"})
    date: str = Field(description=_DATE)
    date_edtf: str = Field(description="the date in EDTF")
    note: str | None = _f("a paraphrase")


class Fact(_Row):
    """Dated facts: summits, documents, bodies, office terms, agreements, relations, events."""

    primary_key: ClassVar[tuple[str, ...]] = ("id",)

    id: str = Field(description="unique id", json_schema_extra={"example":
                                                                 "sco-summit-2001-shanghai"})
    kind: str = Field(description="summit, document, body, office_term, agreement, "
                      "relation, event, status_decision")
    about: str = Field(description="actor codes it concerns, space-separated")
    date: str | None = _f(_DATE)
    date_edtf: str | None = _f("the date in EDTF")
    end: str | None = _f(f"first day it no longer held; {_DATE}")
    title: str = Field(description="a short title")
    attributes: str = Field(description="kind-specific attributes as a JSON object")
    note: str | None = _f("a paraphrase")


class Source(_Row):
    """Sources: what a reader needs to find each one."""

    primary_key: ClassVar[tuple[str, ...]] = ("key",)

    key: str = Field(description="the key citations use", json_schema_extra={"example":
                                                                              "zhao2004"})
    kind: str = Field(description="analysis, official, treaty, news, dataset, reference, "
                      "seed, scholarly")
    title: str = Field(description="title")
    author: str | None = _f("author or issuing body")
    outlet: str | None = _f("newspaper, agency, journal, series or site")
    year: int | None = _f("year of publication")
    published: str | None = _f(f"publication date; {_DATE}")
    url: str | None = _f("where it can be read")
    accessed: str | None = _f("the day the copy read was accessed")
    repost: bool = Field(default=False, description="the URL reposts the outlet's text")
    note: str | None = _f("what it is, paraphrased")


class Citation(_Row):
    """Citations: which source supports which row, and where in the source."""

    foreign_keys: ClassVar[tuple[tuple[str, str, str], ...]] = (("source", "sources", "key"),)

    cited_type: Literal["organization", "spell", "event", "fact"] = Field(
        description="the kind of row cited for")
    cited_id: str = Field(description="the row's id (code, spell_id, spell_id#n, fact id)")
    source: str = Field(description="a key of the sources table")
    locator: str | None = _f("where in the source: article, paragraph, page, footnote",
                             "§1(2)")
    judgement: bool = Field(default=False, description="the coding is a judgement")
    note: str | None = _f("what was read from the passage")


class Dispute(_Row):
    """Disagreements between sources: the value the data do not follow, and why."""

    cited_type: Literal["spell", "fact"] = Field(description="the kind of row disputed")
    cited_id: str = Field(description="the row's id")
    field: str = Field(description="the field in dispute", json_schema_extra={"example":
                                                                               "start"})
    value: str = Field(description="the other reading, as JSON")
    sources: str = Field(description="source keys of the other reading, space-separated")
    note: str | None = _f("why the data follow the reading they follow")


TABLES: dict[str, type[BaseModel]] = {
    "organizations": Organization, "actors": Actor, "spells": Spell, "events": Event,
    "facts": Fact, "sources": Source, "citations": Citation, "disputes": Dispute,
}


def edtf_of(date: str | None, *, uncertain: bool = False, open_end: bool = False
            ) -> str | None:
    """EDTF for a date as the data write it (its form is its precision).

    >>> edtf_of("2004-06"), edtf_of("2004-06-17", uncertain=True), edtf_of(None, open_end=True)
    ('2004-06', '2004-06-17?', '..')
    """
    if date is None:
        return ".." if open_end else None
    return f"{date}?" if uncertain else date


def _spell_id(r: Any) -> str:
    return f"{r.org}|{r.actor}|{r.status}|{r.start}"


def _citations(kind: str, ident: str, refs: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for ref in refs:
        yield {"cited_type": kind, "cited_id": ident, "source": ref.get("source"),
               "locator": ref.get("locator"), "judgement": bool(ref.get("judgement")),
               "note": ref.get("note")}


def rows(registry: Registry, table: str) -> Iterator[dict[str, Any]]:
    """The rows of one exported table, from the curated dataset."""
    spells = registry.spells(dataset="curated")
    facts = [f for f in registry.facts() if f.dataset == "curated"]
    orgs = sorted({s.org for s in spells} | set(registry._org_meta) - set(
        registry._index_for("cow").organizations if table != "organizations" else ()))
    if table == "organizations":
        for code in orgs:
            meta = registry._org_meta.get(code)
            if not meta or meta.get("dataset", "curated") == "cow_igo_v3":
                continue
            attrs = meta.get("attributes") or {}
            yield {"code": code, "name": meta.get("name") or code,
                   "founded": meta.get("founded"), "founded_edtf": edtf_of(meta.get("founded")),
                   "dissolved": meta.get("dissolved"), "cow_ioname": meta.get("cow_ioname"),
                   "wikidata": attrs.get("wikidata") or meta.get("wikidata"),
                   "checked": attrs.get("checked") or meta.get("checked")}
    elif table == "actors":
        yield from _actors(registry, spells, facts)
    elif table == "spells":
        for r in spells:
            disputed = {d.get("field") for d in r.disputed}
            reason = getattr(r, "end_reason", None) or ("current" if r.end is None else "ended")
            yield {"spell_id": _spell_id(r), "org": r.org, "actor": r.actor, "status": r.status,
                   "status_kind": "procedure" if r.status in PROCEDURES else "standing",
                   "start": r.start, "start_edtf": edtf_of(r.start,
                                                           uncertain="start" in disputed),
                   "end": r.end, "end_edtf": edtf_of(r.end, uncertain="end" in disputed,
                                                     open_end=True),
                   "end_reason": reason, "follows": r.follows, "note": r.note}
    elif table == "events":
        for r in spells:
            for e in r.events:
                yield {"spell_id": _spell_id(r), "kind": e["kind"], "date": e["date"],
                       "date_edtf": edtf_of(e["date"]), "note": e.get("note")}
    elif table == "facts":
        for f in facts:
            yield {"id": f.id, "kind": f.kind, "about": " ".join(f.about), "date": f.date,
                   "date_edtf": edtf_of(f.date, uncertain=any(
                       d.get("field") == "date" for d in f.disputed)),
                   "end": f.end, "title": f.title,
                   "attributes": json.dumps(f.attributes, ensure_ascii=False, sort_keys=True),
                   "note": f.note}
    elif table == "sources":
        cited = {ref["source"] for t in ("citations",) for ref in rows(registry, t)}
        for s in registry.sources():
            if s["key"] not in cited:
                continue
            yield {k: s.get(k) for k in ("key", "kind", "title", "author", "outlet", "year",
                                         "published", "url", "accessed", "note")} | {
                "repost": bool(s.get("repost"))}
    elif table == "citations":
        for code in orgs:
            meta = registry._org_meta.get(code) or {}
            if meta.get("dataset", "curated") != "cow_igo_v3":
                yield from _citations("organization", code, list(meta.get("sources") or []))
        for r in spells:
            yield from _citations("spell", _spell_id(r), r.sources)
            for n, e in enumerate(r.events):
                yield from _citations("event", f"{_spell_id(r)}#{n}", e.get("sources") or [])
        for f in facts:
            yield from _citations("fact", f.id, f.sources)
    elif table == "disputes":
        for kind, ident, items in [("spell", _spell_id(r), r.disputed) for r in spells] + [
                ("fact", f.id, f.disputed) for f in facts]:
            for d in items:
                yield {"cited_type": kind, "cited_id": ident, "field": d.get("field"),
                       "value": json.dumps(d.get("value"), ensure_ascii=False),
                       "sources": " ".join(s.get("source", "") for s in d.get("sources") or []),
                       "note": d.get("note")}


def _actors(registry: Registry, spells: list[Any], facts: list[Any]) -> Iterator[dict[str, Any]]:
    from scomodel.registry.systems import system_states
    from scomodel.registry.wikidata import state_items

    items = state_items()
    cow = {s.actor: s for s in system_states("cow")}
    gw = {s.actor: s for s in system_states("gw")}
    codes = {s.actor for s in spells} | {a for f in facts for a in f.about}
    for code in sorted(codes):
        actor = registry._actor(code)
        yield {"code": code, "name": actor.name, "kind": actor.kind,
               "ccode": actor.cow if actor.kind == "state" else None,
               "stateabb": cow[code].abb if code in cow else None,
               "gwcode": gw[code].code if code in gw else None,
               "wikidata": items.get(code) if actor.kind == "state" else (
                   (registry._org_meta.get(code) or {}).get("attributes") or {}).get("wikidata")}
