"""Writes to a what-if copy of the registry (the curated history changes only by its files).

A mixin of :class:`~scomodel.registry.core.Registry`: a what-if copy sees the curated
history plus its own additions; ``add_spell`` refuses a second standing status where one
runs (a procedure track beside it is fine, as in the curated files), ``end_spell`` ends a
curated spell in the copy only, by shadowing it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert

from scomodel.dates import PartialDate
from scomodel.errors import InputError
from scomodel.limits import check_day, check_finite
from scomodel.registry import store
from scomodel.registry.build import fact_row, spell_row
from scomodel.registry.records import FactRow, SpellRow
from scomodel.registry.schema import STANDING, FactEntry, SpellEntry
from scomodel.registry.whatif_store import OverlapError, bump, ensure_guard, insert_spell
from scomodel.registry.writes import transaction

if TYPE_CHECKING:
    from scomodel.registry.index import SpellIndex
    from scomodel.registry.views import View

__all__ = ["WhatIfWrites", "OverlapError"]


class WhatIfWrites:
    """The write methods of a what-if :class:`Registry` (``Registry.open(whatif=...)``)."""

    whatif: str | None
    engine: Any
    _index: SpellIndex
    _facts: list[FactRow]
    _base: View

    if TYPE_CHECKING:  # provided by Registry
        def _reload(self, base: View | None = None) -> None: ...
        def _rekey(self) -> None: ...
        def resolve_org(self, text: str) -> str: ...
        def resolve_actor(self, text: str) -> str: ...
        def source(self, key: str) -> dict[str, Any]: ...
        def status(self, actor: str, org: str, on: object) -> list[SpellRow]: ...
        def timeline(self, actor: str, org: str | None = None) -> list[SpellRow]: ...

    def _require_whatif(self) -> str:
        if not self.whatif:
            raise InputError(
                "the curated history is read-only: open a what-if copy "
                "(Registry.open(whatif='name'), --registry NAME) to add facts",
                field="registry",
            )
        return f"whatif:{self.whatif}"

    def add_spell(self, org: str, spell: SpellEntry | dict[str, Any]) -> SpellRow:
        """Add a spell to this what-if copy; refuses overlaps with what it already sees.

        Everything is checked before the one transaction (names, sources, end after
        start, reachable dates, finite values); the database refuses an overlap another
        writer of this copy committed meanwhile (:mod:`~scomodel.registry.whatif_store`).
        """
        dataset = self._require_whatif()
        entry = spell if isinstance(spell, SpellEntry) else SpellEntry.model_validate(spell)
        org_code = self.resolve_org(org)
        actor_code = self.resolve_actor(entry.actor)
        entry = entry.model_copy(update={"actor": actor_code})
        for ref in entry.sources:
            self.source(ref.source)
        start = PartialDate(entry.start)
        check_day(start.first, field="start")
        if entry.end:
            end = PartialDate(entry.end)
            check_day(end.first, field="end")
            if end.first <= start.first:
                raise InputError(f"end {entry.end} is not after start {entry.start}",
                                 field="end")
        row = {**spell_row(org_code, entry), "dataset": dataset}
        check_finite(row["disputed"], field="disputed")
        check_finite(row["events"], field="events")
        # half-open: the spell's last day is the day before its end
        last = PartialDate(entry.end).first - dt.timedelta(days=1) if entry.end else dt.date.max
        lane = STANDING if entry.status in STANDING else {entry.status}
        clash = [
            r for r in self._index.actor_during(actor_code, start.first, last)
            if r.org == org_code and r.status in lane
        ]
        if clash:
            raise OverlapError(
                f"{actor_code} already holds {clash[0].status} in {org_code} from "
                f"{clash[0].start}; end that spell first",
                field="start",
            )
        ensure_guard(self.engine)
        with transaction(self.engine) as conn:
            insert_spell(conn, row)
            bump(conn, dataset)
        self._reload(self._base)  # the base it checked against: see Registry.open
        self._rekey()
        return self._spell_row(actor_code, org_code, entry.status, entry.start)

    def _spell_row(self, actor: str, org: str, status: str, start: str) -> SpellRow:
        for r in self.timeline(actor, org):
            if r.status == status and r.start == start:
                return r
        raise InputError(f"the {status} spell of {actor} in {org} from {start} was stored "
                         "but cannot be read back", field="start")  # pragma: no cover

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
        check_day(end_date.first, field="end")
        if end_date.first <= PartialDate(spell.start).first:
            raise InputError(f"end {end_date} is not after start {spell.start}", field="end")
        entry = SpellEntry.model_validate({
            "actor": spell.actor, "status": spell.status, "start": spell.start,
            "end": end_date.value, "sources": spell.sources, "note": spell.note,
            "events": spell.events, "follows": spell.follows, "disputed": spell.disputed,
        })
        with transaction(self.engine) as conn:
            conn.execute(_whatif_spell(dataset, (org_code, actor_code, status, spell.start)))
            conn.execute(insert(store.spells), [{**spell_row(org_code, entry), "dataset": dataset}])
            bump(conn, dataset)
        self._reload(self._base)  # the base it checked against: see Registry.open
        self._rekey()
        return self._spell_row(actor_code, org_code, status, spell.start)

    def revert_end(self, org: str, actor: str, status: str, start: str) -> None:
        """Undo :meth:`end_spell`: drop this copy's version of a curated spell."""
        dataset = self._require_whatif()
        with transaction(self.engine) as conn:
            conn.execute(_whatif_spell(dataset, (org, actor, status, start)))
            bump(conn, dataset)
        self._reload(self._base)  # the base it checked against: see Registry.open
        self._rekey()

    def add_fact(self, fact: dict[str, Any]) -> FactRow:
        """Add a dated fact to this what-if copy."""
        dataset = self._require_whatif()
        entry = FactEntry.model_validate(fact)
        for ref in entry.sources:
            self.source(ref.source)
        for name in ("date", "end"):
            if getattr(entry, name):
                check_day(PartialDate(getattr(entry, name)).first, field=name)
        if (entry.date and entry.end
                and PartialDate(entry.end).first < PartialDate(entry.date).first):
            raise InputError(f"end {entry.end} is before date {entry.date}", field="end")
        row = fact_row(entry)
        check_finite(row["attributes"], field="attributes")
        check_finite(row["disputed"], field="disputed")
        with transaction(self.engine) as conn:
            conn.execute(
                delete(store.facts).where(
                    (store.facts.c.dataset == dataset) & (store.facts.c.id == entry.id)
                )
            )
            conn.execute(insert(store.facts), [{**row, "dataset": dataset}])
            bump(conn, dataset)
        self._reload(self._base)  # the base it checked against: see Registry.open
        self._rekey()
        return next(f for f in self._facts if f.id == entry.id)

    def drop_whatif(self) -> None:
        """Delete this what-if copy's additions."""
        dataset = self._require_whatif()
        with transaction(self.engine) as conn:
            conn.execute(delete(store.spells).where(store.spells.c.dataset == dataset))
            conn.execute(delete(store.facts).where(store.facts.c.dataset == dataset))
            bump(conn, dataset)
        self._reload(self._base)  # the base it checked against: see Registry.open
        self._rekey()


def _whatif_spell(dataset: str, key: tuple[str, str, str, str]) -> Any:
    """DELETE of one spell, by (org, actor, status, start), from a what-if dataset."""
    org, actor, status, start = key
    c = store.spells.c
    return delete(store.spells).where(
        (c.dataset == dataset) & (c.org == org) & (c.actor == actor) & (c.status == status)
        & (c.start == start)
    )
