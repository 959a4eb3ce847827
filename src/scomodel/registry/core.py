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
from typing import Any

import pandas as pd
from sqlalchemy import Engine, delete, insert, select

from scomodel.actors import Actor, ActorDirectory, state_from_cow
from scomodel.dates import PartialDate, parse_period
from scomodel.errors import InputError, NotFoundError
from scomodel.registry import store
from scomodel.registry.build import ensure_curated, fact_row, spell_row
from scomodel.registry.index import SpellIndex
from scomodel.registry.loader import data_dir_in_use
from scomodel.registry.records import Change, FactRow, SpellRow
from scomodel.registry.schema import STATUSES, FactEntry, SpellEntry

__all__ = ["Registry"]

_CACHE: dict[tuple[str, str | None, str], Registry] = {}


class Registry:
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
    ) -> Registry:
        """The registry on ``url`` (default ``SCOMODEL_DB`` or the user cache).

        Rebuilds the curated dataset when the data files (``data_dir``, default
        ``SCOMODEL_DATA`` or the package's own) changed since the last build.
        """
        engine = store.engine_for(url)
        rebuilt = ensure_curated(engine, data_dir_in_use(data_dir))
        key = (str(engine.url), whatif, store.get_meta(engine, "revision") or "")
        if rebuilt or refresh or key not in _CACHE:
            for old in [k for k in _CACHE if k[:2] == key[:2]]:
                del _CACHE[old]
            _CACHE[key] = cls(engine, whatif=whatif)
        return _CACHE[key]

    def _datasets(self) -> list[str]:
        names = [store.CURATED, store.COW]
        if self.whatif:
            names.append(f"whatif:{self.whatif}")
        return names

    def _reload(self) -> None:
        with self.engine.connect() as conn:
            datasets = self._datasets()
            actor_rows = (
                conn.execute(select(store.actors).where(store.actors.c.dataset.in_(datasets)))
                .mappings()
                .all()
            )
            for row in actor_rows:
                kind = row["kind"]
                self.actors.add(Actor(row["code"], row["name"], kind, row["cow"]))
            self._org_meta = {r["code"]: dict(r) for r in actor_rows if r["kind"] == "organization"}
            self._sources = {
                r["key"]: dict(r)
                for r in conn.execute(
                    select(store.sources).where(store.sources.c.dataset.in_(datasets))
                ).mappings()
            }
            spell_rows = (
                conn.execute(select(store.spells).where(store.spells.c.dataset.in_(datasets)))
                .mappings()
                .all()
            )
            fact_rows = (
                conn.execute(select(store.facts).where(store.facts.c.dataset.in_(datasets)))
                .mappings()
                .all()
            )
        curated_orgs = {r["org"] for r in spell_rows if r["dataset"] != store.COW}
        # a what-if row with the key of a curated spell shadows it (end_spell writes these)
        shadowed = {_spell_key(r) for r in spell_rows if r["dataset"].startswith("whatif:")}
        effective, cow = [], []
        for r in spell_rows:
            if r["dataset"] == store.CURATED and _spell_key(r) in shadowed:
                continue
            item = (self._row(r), r["start_day"], r["end_day"])
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
        self._facts = [FactRow(**{k: r[k] for k in FactRow.__slots__}) for r in fact_rows]
        self._facts.sort(key=lambda f: (f.date or "", f.id))

    def _row(self, r: Any) -> SpellRow:
        actor = self._actor(r["actor"])
        return SpellRow(
            org=r["org"],
            actor=r["actor"],
            name=actor.name,
            cow=actor.cow,
            status=r["status"],
            start=r["start"],
            end=r["end"],
            precision=r["precision"],
            end_precision=r["end_precision"],
            sources=list(r["sources"] or []),
            note=r["note"],
            dataset=r["dataset"],
            events=list(r["events"] or []),
            follows=r["follows"],
            disputed=list(r["disputed"] or []),
        )

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
        actor = self._resolve(text, field="org")
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

    def members(
        self, org: str, on: object, status: str | None = None, *, dataset: str = "auto"
    ) -> list[SpellRow]:
        """Everyone holding a status in ``org`` at any time during ``on``."""
        self._check_status(status)
        code = self.resolve_org(org)
        period = parse_period(on)
        rows = self._index_for(dataset).org_during(code, period.first, period.last)
        if status:
            rows = [r for r in rows if r.status == status]
        return sorted(rows, key=lambda r: (r.status != "member", r.actor, r.start))

    def status(self, actor: str, org: str, on: object) -> list[SpellRow]:
        """The spells of one actor in one organization during ``on`` (empty: no status)."""
        code, org_code = self.resolve_actor(actor), self.resolve_org(org)
        period = parse_period(on)
        return [
            r
            for r in self._index.actor_during(code, period.first, period.last)
            if r.org == org_code
        ]

    def orgs(self, actor: str, on: object) -> list[SpellRow]:
        """Every organization the actor held a status in during ``on``."""
        code = self.resolve_actor(actor)
        period = parse_period(on)
        return sorted(
            self._index.actor_during(code, period.first, period.last),
            key=lambda r: (r.org, r.start),
        )

    def timeline(self, actor: str, org: str | None = None) -> list[SpellRow]:
        """All spells of an actor, oldest first."""
        code = self.resolve_actor(actor)
        rows = self._index.of_actor(code)
        if org:
            org_code = self.resolve_org(org)
            rows = [r for r in rows if r.org == org_code]
        return sorted(rows, key=lambda r: (PartialDate(r.start).first, r.org))

    def diff(self, org: str, before: object, after: object) -> list[Change]:
        """Who joined, left or changed status between two days."""
        first, second = parse_date_day(before, "before"), parse_date_day(after, "after")
        was = {r.actor: r for r in self.members(org, first)}
        now = {r.actor: r for r in self.members(org, second)}
        changes = []
        for code in sorted(set(was) | set(now)):
            a, b = was.get(code), now.get(code)
            if a and b and a.status == b.status:
                continue
            kind = "joined" if a is None else "left" if b is None else "changed"
            name = (a or b).name  # type: ignore[union-attr]
            changes.append(Change(code, name, kind, a, b))
        return changes

    def shared(self, a: str, b: str, on: object) -> list[dict[str, Any]]:
        """Organizations both actors held a status in during ``on`` (a dyad)."""
        left = {r.org: r for r in self.orgs(a, on)}
        right = {r.org: r for r in self.orgs(b, on)}
        return [
            {
                "org": org,
                "a": left[org].actor,
                "status_a": left[org].status,
                "b": right[org].actor,
                "status_b": right[org].status,
                "sources": left[org].sources + right[org].sources,
            }
            for org in sorted(set(left) & set(right))
        ]

    def facts(self, about: str | None = None, kind: str | None = None) -> list[FactRow]:
        """Dated facts, optionally about one actor and of one kind."""
        code = self.resolve_actor(about) if about else None
        return [
            f
            for f in self._facts
            if (code is None or code in f.about) and (kind is None or f.kind == kind)
        ]

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

    # -- what-if copies -----------------------------------------------------------------

    def _require_whatif(self) -> str:
        if not self.whatif:
            raise InputError(
                "the curated history is read-only: open a what-if copy "
                "(Registry.open(whatif='name'), --registry NAME) to add facts",
                field="registry",
            )
        return f"whatif:{self.whatif}"

    def add_spell(self, org: str, spell: SpellEntry | dict[str, Any]) -> SpellRow:
        """Add a spell to this what-if copy; refuses overlaps with what it already sees."""
        dataset = self._require_whatif()
        entry = spell if isinstance(spell, SpellEntry) else SpellEntry.model_validate(spell)
        org_code = self.resolve_org(org)
        actor_code = self.resolve_actor(entry.actor)
        entry = entry.model_copy(update={"actor": actor_code})
        for ref in entry.sources:
            self.source(ref.source)
        start = PartialDate(entry.start)
        # half-open: the spell's last day is the day before its end
        last = PartialDate(entry.end).first - dt.timedelta(days=1) if entry.end else dt.date.max
        clash = [
            r for r in self._index.actor_during(actor_code, start.first, last) if r.org == org_code
        ]
        if clash:
            raise InputError(
                f"{actor_code} already holds {clash[0].status} in {org_code} from "
                f"{clash[0].start}; end that spell first",
                field="start",
            )
        with self.engine.begin() as conn:
            conn.execute(insert(store.spells), [{**spell_row(org_code, entry), "dataset": dataset}])
            store.bump_revision(conn)
        self._reload()
        return next(r for r in self.status(actor_code, org_code, entry.start)
                    if r.status == entry.status and r.start == entry.start)

    def end_spell(self, org: str, actor: str, status: str, end: object) -> SpellRow:
        """End a spell running on ``end`` there, in this what-if copy (the curated row stays).

        The copy keeps its own version of the spell, which shadows the curated one, so a
        what-if proceeding can move an observer on to membership.
        """
        dataset = self._require_whatif()
        org_code, actor_code = self.resolve_org(org), self.resolve_actor(actor)
        end_date = PartialDate.parse(end, field="end")
        running = [r for r in self.status(actor_code, org_code, end_date.value)
                   if r.status == status
                   and (r.end is None or PartialDate(r.end).first > end_date.first)]
        if not running:
            raise InputError(
                f"{actor_code} holds no running {status} spell in {org_code} on {end_date}",
                field="status",
            )
        spell = running[0]
        if end_date.first <= PartialDate(spell.start).first:
            raise InputError(f"end {end_date} is not after start {spell.start}", field="end")
        entry = SpellEntry.model_validate({
            "actor": spell.actor, "status": spell.status, "start": spell.start,
            "end": end_date.value, "sources": spell.sources, "note": spell.note,
            "events": spell.events, "follows": spell.follows, "disputed": spell.disputed,
        })
        with self.engine.begin() as conn:
            conn.execute(_whatif_spell(dataset, (org_code, actor_code, status, spell.start)))
            conn.execute(insert(store.spells), [{**spell_row(org_code, entry), "dataset": dataset}])
            store.bump_revision(conn)
        self._reload()
        return next(r for r in self.timeline(actor_code, org_code) if r.start == spell.start
                    and r.status == status)

    def revert_end(self, org: str, actor: str, status: str, start: str) -> None:
        """Undo :meth:`end_spell`: drop this copy's version of a curated spell."""
        dataset = self._require_whatif()
        with self.engine.begin() as conn:
            conn.execute(_whatif_spell(dataset, (org, actor, status, start)))
            store.bump_revision(conn)
        self._reload()

    def add_fact(self, fact: dict[str, Any]) -> FactRow:
        """Add a dated fact to this what-if copy."""
        dataset = self._require_whatif()
        entry = FactEntry.model_validate(fact)
        for ref in entry.sources:
            self.source(ref.source)
        row = fact_row(entry)
        with self.engine.begin() as conn:
            conn.execute(
                delete(store.facts).where(
                    (store.facts.c.dataset == dataset) & (store.facts.c.id == entry.id)
                )
            )
            conn.execute(insert(store.facts), [{**row, "dataset": dataset}])
            store.bump_revision(conn)
        self._reload()
        return next(f for f in self._facts if f.id == entry.id)

    def drop_whatif(self) -> None:
        """Delete this what-if copy's additions."""
        dataset = self._require_whatif()
        with self.engine.begin() as conn:
            conn.execute(delete(store.spells).where(store.spells.c.dataset == dataset))
            conn.execute(delete(store.facts).where(store.facts.c.dataset == dataset))
            store.bump_revision(conn)
        self._reload()


def _whatif_spell(dataset: str, key: tuple[str, str, str, str]) -> Any:
    """DELETE of one spell, by (org, actor, status, start), from a what-if dataset."""
    org, actor, status, start = key
    c = store.spells.c
    return delete(store.spells).where(
        (c.dataset == dataset) & (c.org == org) & (c.actor == actor) & (c.status == status)
        & (c.start == start)
    )


def _spell_key(row: Any) -> tuple[str, str, str, str]:
    return (row["org"], row["actor"], row["status"], row["start"])


def parse_date_day(value: object, field: str) -> dt.date:
    """A single day: coarse dates are taken at their first day for comparisons."""
    return PartialDate.parse(value, field=field).first


def whatif_names(engine: Engine) -> Iterable[str]:
    with engine.connect() as conn:
        rows = conn.execute(select(store.spells.c.dataset).distinct()).scalars()
        return sorted(r.split(":", 1)[1] for r in rows if r.startswith("whatif:"))
