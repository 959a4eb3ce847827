"""The registry: who held which status in which organization, on which day, says who.

``Registry.open()`` makes sure the store reflects the curated files, then reads the spells
into an interval index. Queries take dates as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a
coarse date means the whole period, so ``on="2017"`` returns India both as observer and as
member. What-if copies (``whatif="name"``) see the curated history plus their own additions
and are the only place writes go: the curated history changes only through its files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, get_args

import pandas as pd
from sqlalchemy import Engine, select

from scomodel.actors import Actor, ActorDirectory, state_from_cow
from scomodel.dates import PartialDate, parse_period
from scomodel.errors import InputError, NotFoundError
from scomodel.limits import REGISTRY_CACHE_BYTES, REGISTRY_CACHE_ENTRIES
from scomodel.registry import store
from scomodel.registry.answers import decorate, past_coverage
from scomodel.registry.build import ensure_curated
from scomodel.registry.coverage import coverage_of, dataset_coverage
from scomodel.registry.index import SpellIndex
from scomodel.registry.loader import data_dir_in_use
from scomodel.registry.lru import BoundedCache, registry_bytes
from scomodel.registry.records import Change, FactRow, SpellRow
from scomodel.registry.schema import STANDING, STATUSES, FactEntry
from scomodel.registry.whatif import WhatIfWrites
from scomodel.registry.whatif_store import revisions

__all__ = ["Registry", "FACT_KINDS"]

#: The kinds a fact can have (the data format's list), for ``facts --kind``.
FACT_KINDS: tuple[str, ...] = get_args(FactEntry.model_fields["kind"].annotation)

#: registries by (store, what-if copy, revisions): bounded by count and memory, since every
#: what-if name a client sends would otherwise keep one (with COW imported, ~35 MB each)
_CACHE: BoundedCache[tuple[str, str | None, str, str], Registry] = BoundedCache(
    REGISTRY_CACHE_ENTRIES, REGISTRY_CACHE_BYTES, registry_bytes)


class Registry(WhatIfWrites):
    """Temporal queries over the store. Build one with :meth:`open`."""

    def __init__(self, engine: Engine, *, whatif: str | None = None) -> None:
        self.engine = engine
        self.whatif = whatif
        self.actors = ActorDirectory()
        self._sources: dict[str, dict[str, Any]] = {}
        self._facts: list[FactRow] = []
        self._reload()

    # -- construction -------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        whatif: str | None = None,
        data_dir: str | Path | None = None,
        refresh: bool = False,
        verified: bool = False,
    ) -> Registry:
        """The registry on ``url`` (default ``SCOMODEL_DB`` or the user cache).

        Rebuilds the curated dataset when the data files (``data_dir``, default
        ``SCOMODEL_DATA`` or the package's own) changed since the last build.
        ``verified=True`` skips that check of the files and of the curated rows (a
        directory walk and a digest of every curated row) on a store that has been built:
        for a caller whose process re-checks them anyway, the API server's writes (its
        readers re-check every ``refresh_seconds``), where the check's thousands of small
        I/O calls made a write ten times slower under read load.
        """
        engine = store.engine_for(url)
        built = verified and store.get_meta(engine, "curated_fingerprint") is not None
        rebuilt = False if built else ensure_curated(engine, data_dir_in_use(data_dir))
        # the store's revision (curated, imported data) and the copy's own: a write to one
        # what-if copy rebuilds that copy only
        key = (str(engine.url), whatif, *revisions(engine, whatif))
        if rebuilt or refresh:
            _BASE.clear()  # read every row again
        found = None if rebuilt or refresh else _CACHE.get(key)
        if found is None:
            _CACHE.pop_where(lambda k: k[:2] != key[:2])
            found = cls(engine, whatif=whatif)
            _CACHE.put(key, found)
        return found

    def _rekey(self) -> None:
        """After a write through this registry: file it under the store's new revisions,
        so the next ``open`` of the copy finds it rather than reading every row again."""
        key = (str(self.engine.url), self.whatif, *revisions(self.engine, self.whatif))
        _CACHE.pop_where(lambda k: k[:2] != key[:2])
        _CACHE.put(key, self)

    def _datasets(self) -> list[str]:
        names = [store.CURATED, store.COW]
        if self.whatif:
            names.append(f"whatif:{self.whatif}")
        return names

    def _reload(self) -> None:
        datasets = self._datasets()
        # the curated and imported rows are shared by every registry of one store revision;
        # a what-if copy reads only its own rows (a write then costs its rows, not COW's)
        actor_rows, source_rows, spell_rows, fact_rows = _base_rows(self.engine)
        if self.whatif:
            with self.engine.connect() as conn:
                own = _fetch(conn, datasets[2:])
            actor_rows, source_rows, spell_rows, fact_rows = (
                actor_rows + own[0], source_rows + own[1], spell_rows + own[2],
                fact_rows + own[3])
        for row in actor_rows:
            kind = row["kind"]
            self.actors.add(Actor(row["code"], row["name"], kind, row["cow"]))
        self._org_meta = {r["code"]: dict(r) for r in actor_rows if r["kind"] == "organization"}
        self._sources = {r["key"]: dict(r) for r in source_rows}
        curated_orgs = {r["org"] for r in spell_rows if r["dataset"] != store.COW}
        # a what-if row with the key of a curated spell shadows it (end_spell writes these)
        shadowed = {_spell_key(r) for r in spell_rows if r["dataset"].startswith("whatif:")}
        kept = [r for r in spell_rows
                if not (r["dataset"] == store.CURATED and _spell_key(r) in shadowed)]
        self._cow_years = self._cow_span(datasets)
        self._coverage = coverage_of(kept, self._org_meta, self._cow_years)
        rows = self._rows(kept)
        effective, cow = [], []
        for r, spell in zip(kept, rows, strict=True):
            item = (spell, r["start_day"], r["end_day"])
            if r["dataset"] == store.COW:
                cow.append(item)
                if r["org"] not in curated_orgs:
                    effective.append(item)
            else:
                effective.append(item)
        self._index = SpellIndex(effective)
        self._cow_index = SpellIndex(cow)
        self._curated_index = SpellIndex([item for item in effective
                                          if item[0].dataset != store.COW])
        # spells cut by coverage, by organization and by actor, per view (few: kept apart
        # so a dated answer adds them without scanning every spell), and the memo of the
        # copies dated answers make of long-lived rows (answers.decorate)
        self._cut = {id(index): _cut_rows(index) for index in
                     (self._index, self._cow_index, self._curated_index)}
        self._memo: dict[Any, Any] = {}
        self._facts = [FactRow(**{k: r[k] for k in FactRow.__slots__}) for r in fact_rows]
        self._facts.sort(key=lambda f: (f.date or "", f.id))

    def _cow_span(self, datasets: list[str]) -> tuple[int, int, dict[str, int]] | None:
        """COW's first and last year, and each IGO's first year (``None``: not imported)."""
        if store.COW not in datasets:
            return None
        c = store.cow_igos.c
        with self.engine.connect() as conn:
            spans = conn.execute(select(c.code, c.first_year, c.last_year)).all()
        if not spans:
            return None
        return (min(s[1] for s in spans), max(s[2] for s in spans),
                {s[0]: int(s[1]) for s in spans})

    def _rows(self, raw: list[Any]) -> list[SpellRow]:
        """Spell rows with their kind, coverage, end reason and the spells beside them."""
        fields = [self._row_fields(r) for r in raw]
        groups: dict[tuple[bool, str, str], list[int]] = {}
        for i, r in enumerate(raw):
            groups.setdefault((r["dataset"] == store.COW, r["org"], r["actor"]), []).append(i)
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
        return [SpellRow(**f) for f in fields]

    def _row_fields(self, r: Any) -> dict[str, Any]:
        actor = self._actor(r["actor"])
        coverage = self._coverage.get((r["dataset"] == store.COW, r["org"]))
        cow_end = str(int(coverage["last"]) + 1) if r["dataset"] == store.COW and coverage \
            else None
        return {
            "org": r["org"], "actor": r["actor"], "name": actor.name, "cow": actor.cow,
            "status": r["status"], "start": r["start"], "end": r["end"],
            "precision": r["precision"], "end_precision": r["end_precision"],
            "sources": list(r["sources"] or []), "note": r["note"], "dataset": r["dataset"],
            "events": list(r["events"] or []), "follows": r["follows"],
            "disputed": list(r["disputed"] or []),
            "kind": "standing" if r["status"] in STANDING else "procedure",
            "end_reason": "coverage" if cow_end is not None and r["end"] == cow_end else None,
            "coverage": coverage,
        }

    def _actor(self, code: str) -> Actor:
        try:
            return self.actors.resolve(code)
        except NotFoundError:
            if code.startswith("COW") and code[3:].isdigit():
                actor = state_from_cow(int(code[3:]))
                self.actors.add(actor)
                return actor
            return Actor(code, code, "state")

    # -- resolution helpers -------------------------------------------------------------

    def resolve_org(self, text: str) -> str:
        """An organization code from what a user typed; says which ones exist if unknown."""
        try:
            actor = self._resolve(text, field="org")
        except NotFoundError:
            raise NotFoundError(
                f"unknown organization {text!r}: expected one of "
                f"{', '.join(self.organizations()[:15])}...",
                field="org",
            ) from None
        if actor.kind != "organization" and not self._index.has_org(actor.code):
            raise NotFoundError(
                f"{text!r} is not an organization in the registry; known: "
                f"{', '.join(self.organizations()[:15])}...",
                field="org",
            )
        return actor.code

    def resolve_actor(self, text: str) -> str:
        return self._resolve(text, field="actor").code

    def _resolve(self, text: str, *, field: str) -> Actor:
        return self.actors.resolve(text, field=field)

    def organizations(self) -> list[str]:
        """Organizations with at least one spell (curated first, then COW-only)."""
        return self._index.organizations

    def _index_for(self, dataset: str) -> SpellIndex:
        if dataset == "auto":
            return self._index
        if dataset == store.CURATED:
            return self._curated_index
        if dataset in ("cow", store.COW):
            return self._cow_index
        raise InputError(
            f"unknown dataset {dataset!r}: expected auto, curated or cow", field="dataset"
        )

    @staticmethod
    def _check_status(status: str | None) -> None:
        if status is not None and status not in STATUSES:
            raise InputError(
                f"unknown status {status!r}: expected one of {', '.join(STATUSES)}",
                field="status",
            )

    # -- queries ------------------------------------------------------------------------
    #
    # A dated query answers every spell running during the period (standing statuses and
    # procedure tracks alike, each with the spells ``beside`` it then), plus the spells
    # that ended only because their data end before the period (marked not covered).

    def members(
        self, org: str, on: object, status: str | None = None, *, dataset: str = "auto"
    ) -> list[SpellRow]:
        """Everyone holding a status in ``org`` at any time during ``on``."""
        self._check_status(status)
        code = self.resolve_org(org)
        period = parse_period(on)
        index = self._index_for(dataset)
        rows = (decorate(index.org_during(code, period.first, period.last), period.first,
                         period.last, self._memo)
                + past_coverage(self._cut[id(index)][0].get(code, []), period.first,
                                self._memo))
        if status:
            rows = [r for r in rows if r.status == status]
        return sorted(rows, key=lambda r: (r.status != "member", r.actor, r.start))

    def status(self, actor: str, org: str, on: object) -> list[SpellRow]:
        """The spells of one actor in one organization during ``on`` (empty: no status)."""
        code, org_code = self.resolve_actor(actor), self.resolve_org(org)
        return self._of_actor_during(code, on, org_code)

    def orgs(self, actor: str, on: object) -> list[SpellRow]:
        """Every organization the actor held a status in during ``on``."""
        code = self.resolve_actor(actor)
        return sorted(self._of_actor_during(code, on), key=lambda r: (r.org, r.start))

    def _of_actor_during(self, code: str, on: object, org: str | None = None) -> list[SpellRow]:
        period = parse_period(on)
        running = self._index.actor_during(code, period.first, period.last)
        cut = self._cut[id(self._index)][1].get(code, [])
        if org is not None:
            running = [r for r in running if r.org == org]
            cut = [r for r in cut if r.org == org]
        return (decorate(running, period.first, period.last, self._memo)
                + past_coverage(cut, period.first, self._memo))

    def timeline(self, actor: str, org: str | None = None) -> list[SpellRow]:
        """All spells of an actor, oldest first."""
        code = self.resolve_actor(actor)
        rows = self._index.of_actor(code)
        if org:
            org_code = self.resolve_org(org)
            rows = [r for r in rows if r.org == org_code]
        return sorted(rows, key=lambda r: (PartialDate(r.start).first, r.org))

    def diff(self, org: str, before: object, after: object) -> list[Change]:
        """Who joined, left or changed status (or started/ended a procedure) between two days.

        A spell that runs on only past its data's coverage is ``not_covered``, not ``left``.
        """
        first, second = parse_date_day(before, "before"), parse_date_day(after, "after")
        if second < first:
            raise InputError(
                f"after ({after}) is earlier than before ({before}): give the earlier day first",
                field="after",
            )
        was, now = _tracks(self.members(org, first)), _tracks(self.members(org, second))
        changes = []
        for key in sorted(set(was) | set(now)):
            a, b = was.get(key), now.get(key)
            track = "standing" if key[1] == "standing" else "procedure"
            if a and b and a.status == b.status:
                if a.covered and not b.covered:
                    changes.append(Change(key[0], a.name, "not_covered", a, b, track))
                continue
            if a is None:
                kind = "joined" if track == "standing" else "started"
            elif b is None:
                kind = "left" if track == "standing" else "ended"
            else:
                kind = "changed"
            changes.append(Change(key[0], (a or b).name, kind, a, b, track))  # type: ignore[union-attr]
        return changes

    def shared(self, a: str, b: str, on: object) -> list[dict[str, Any]]:
        """Organizations both actors held a status in during ``on`` (a dyad).

        ``status_a``/``status_b`` is the standing status (else the procedure) and
        ``beside_a``/``beside_b`` the other statuses held there during ``on``.
        """
        code_a, code_b = self.resolve_actor(a), self.resolve_actor(b)
        if code_a == code_b:
            raise InputError(
                f"the same actor twice ({a!r} and {b!r} are both {code_a}): name two actors",
                field="b",
            )
        left, right = _by_org(self.orgs(code_a, on)), _by_org(self.orgs(code_b, on))
        out = []
        for org in sorted(set(left) & set(right)):
            ra, rb = left[org], right[org]
            out.append({
                "org": org,
                "a": code_a, "status_a": ra[0].status,
                "beside_a": [r.status for r in ra[1:]],
                "b": code_b, "status_b": rb[0].status,
                "beside_b": [r.status for r in rb[1:]],
                "coverage": ra[0].coverage,
                "covered": all(r.covered for r in (*ra, *rb)),
                "sources": [ref for r in (*ra, *rb) for ref in r.sources],
            })
        return out

    def facts(self, about: str | None = None, kind: str | None = None) -> list[FactRow]:
        """Dated facts, optionally about one actor and of one kind."""
        if kind is not None and kind not in FACT_KINDS:
            raise InputError(
                f"unknown fact kind {kind!r}: expected one of {', '.join(FACT_KINDS)}",
                field="kind",
            )
        code = self.resolve_actor(about) if about else None
        return [
            f
            for f in self._facts
            if (code is None or code in f.about) and (kind is None or f.kind == kind)
        ]

    # -- coverage -----------------------------------------------------------------------

    def coverage(self, org: str) -> dict[str, Any]:
        """The days an organization's data speak for (its curated data, else COW's)."""
        code = self.resolve_org(org)
        found = self._coverage.get((False, code)) or self._coverage.get((True, code))
        if found is None:
            raise NotFoundError(f"no data on {code} in the store", field="org")
        return dict(found)

    def datasets(self) -> list[dict[str, Any]]:
        """Each dataset in the store with its coverage (first/last day, precision)."""
        return dataset_coverage(self._coverage, self._cow_years)

    def sources(self) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in s.items() if k != "dataset"}
            for s in sorted(self._sources.values(), key=lambda s: s["key"])
        ]

    def source(self, key: str) -> dict[str, Any]:
        if key not in self._sources:
            raise NotFoundError(f"unknown source {key!r}", field="source")
        return self._sources[key]

    def organization(self, code: str) -> dict[str, Any]:
        """Metadata of an organization (name, founding, COW name)."""
        return dict(self._org_meta.get(self.resolve_org(code), {}))

    def spells_of(self, dataset: str, org: str) -> list[SpellRow]:
        """Every spell of one organization (by code) in one dataset."""
        return self._index_for(dataset).of_org(org)

    def spells(self, *, dataset: str = "auto") -> list[SpellRow]:
        return list(self._index_for(dataset).rows)

    def spells_frame(self, *, dataset: str = "auto") -> pd.DataFrame:
        """All spells as a DataFrame, one row per spell (start/end days as datetimes)."""
        rows = [r.to_dict() for r in self._index_for(dataset).rows]
        frame = pd.DataFrame(rows, columns=list(SpellRow.__slots__))
        frame["start_day"] = pd.to_datetime(
            [PartialDate(s).first for s in frame["start"]] if len(frame) else []
        )
        frame["end_day"] = pd.to_datetime(
            [PartialDate(e).first if isinstance(e, str) else pd.NaT for e in frame["end"]]
            if len(frame)
            else []
        )
        return frame


_Rows = tuple[list[Any], list[Any], list[Any], list[Any]]
#: the curated and COW rows of the latest store revision read (one entry: they are big)
_BASE: dict[tuple[str, str], _Rows] = {}


def _fetch(conn: Any, datasets: list[str]) -> _Rows:
    """Actor, source, spell and fact rows of ``datasets``."""
    return tuple(  # type: ignore[return-value]
        list(conn.execute(select(table).where(table.c.dataset.in_(datasets))).mappings().all())
        for table in (store.actors, store.sources, store.spells, store.facts))


def _base_rows(engine: Engine) -> _Rows:
    key = (str(engine.url), revisions(engine, None)[0])
    found = _BASE.get(key)
    if found is None:
        with engine.connect() as conn:
            found = _fetch(conn, [store.CURATED, store.COW])
        _BASE.clear()
        _BASE[key] = found
    return found


def _beside_entry(fields: dict[str, Any]) -> dict[str, Any]:
    """What a row says about a spell running beside it (enough to date and cite it)."""
    return {k: fields[k] for k in ("status", "kind", "start", "end", "precision", "events",
                                   "follows", "sources")}


def _cut_rows(index: SpellIndex) -> tuple[dict[str, list[SpellRow]], dict[str, list[SpellRow]]]:
    """The spells of ``index`` that end by coverage, by organization and by actor."""
    by_org: dict[str, list[SpellRow]] = {}
    by_actor: dict[str, list[SpellRow]] = {}
    for row in index.rows:
        if row.end_reason == "coverage":
            by_org.setdefault(row.org, []).append(row)
            by_actor.setdefault(row.actor, []).append(row)
    return by_org, by_actor


def _tracks(rows: list[SpellRow]) -> dict[tuple[str, str], SpellRow]:
    """Rows by (actor, lane): one standing lane, one lane per procedure status."""
    out: dict[tuple[str, str], SpellRow] = {}
    for r in rows:
        out.setdefault((r.actor, "standing" if r.kind == "standing" else r.status), r)
    return out


def _by_org(rows: list[SpellRow]) -> dict[str, list[SpellRow]]:
    """Rows by organization, the standing status first."""
    out: dict[str, list[SpellRow]] = {}
    for r in sorted(rows, key=lambda r: r.kind != "standing"):
        out.setdefault(r.org, []).append(r)
    return out


def _spell_key(row: Any) -> tuple[str, str, str, str]:
    return (row["org"], row["actor"], row["status"], row["start"])


def parse_date_day(value: object, field: str) -> dt.date:
    """A single day: coarse dates are taken at their first day for comparisons."""
    return PartialDate.parse(value, field=field).first


def whatif_names(engine: Engine) -> Iterable[str]:
    """The what-if copies holding a spell or a fact (a range scan of the dataset index)."""
    found: set[str] = set()
    with engine.connect() as conn:
        for table in (store.spells, store.facts):
            col = table.c.dataset
            rows = conn.execute(select(col).where((col >= "whatif:") & (col < "whatif;"))
                                .distinct()).scalars()
            found.update(r.split(":", 1)[1] for r in rows)
    return sorted(found)
