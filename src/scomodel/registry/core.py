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

from scomodel.actors import Actor
from scomodel.dates import PartialDate, parse_period
from scomodel.errors import InputError, NotFoundError
from scomodel.limits import REGISTRY_CACHE_BYTES, REGISTRY_CACHE_ENTRIES
from scomodel.registry import store
from scomodel.registry.answers import decorate, past_coverage
from scomodel.registry.build import ensure_curated
from scomodel.registry.coverage import dataset_coverage
from scomodel.registry.index import SpellIndex
from scomodel.registry.loader import data_dir_in_use
from scomodel.registry.lru import BoundedCache, registry_bytes
from scomodel.registry.records import Change, FactRow, SpellRow
from scomodel.registry.schema import STATUSES, FactEntry
from scomodel.registry.views import View, actor_of, base_view, clear_base, held_base, view_of
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

    def __init__(self, engine: Engine, *, whatif: str | None = None,
                 base: View | None = None) -> None:
        self.engine = engine
        self.whatif = whatif
        self._reload(base)

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
        stale_base: bool = False,
    ) -> Registry:
        """The registry on ``url`` (default ``SCOMODEL_DB`` or the user cache).

        Rebuilds the curated dataset when the data files (``data_dir``, default
        ``SCOMODEL_DATA`` or the package's own) changed since the last build.
        ``verified=True`` skips that check of the files and of the curated rows (a
        directory walk and a digest of every curated row) on a store that has been built:
        for a caller whose process re-checks them anyway, the API server's writes (its
        readers re-check every ``refresh_seconds``), where the check's thousands of small
        I/O calls made a write ten times slower under read load.

        ``stale_base=True`` (a writer to a what-if copy): when another process changed the
        curated or imported rows and this process has not built their new view yet, use
        the view it holds rather than wait about a second (with COW) for the new one; the
        copy's own rows are always read fresh, and the database itself refuses an overlap
        within the copy. The server's writes use it: its readers answer from that view too
        until their background refresh lands.
        """
        engine = store.engine_for(url)
        built = verified and store.get_meta(engine, "curated_fingerprint") is not None
        rebuilt = False if built else ensure_curated(engine, data_dir_in_use(data_dir))
        # the store's revision (curated, imported data) and the copy's own: a write to one
        # what-if copy rebuilds that copy only
        key = (str(engine.url), whatif, *revisions(engine, whatif))
        if rebuilt or refresh:
            clear_base()  # read every row again
        found = None if rebuilt or refresh else _CACHE.get(key)
        base = None
        if found is None and stale_base and not (rebuilt or refresh):
            base = held_base(engine)  # perhaps of an older revision: see above
            if base is not None and base.revision != key[2]:
                key = (key[0], key[1], base.revision, key[3])
                found = _CACHE.get(key)
        if found is None:
            _CACHE.pop_where(lambda k: k[:2] != key[:2])
            found = cls(engine, whatif=whatif, base=base or base_view(engine, key[2]))
            _CACHE.put(key, found)
        return found

    def _rekey(self) -> None:
        """After a write through this registry: file it under the store's new revisions,
        so the next ``open`` of the copy finds it rather than reading every row again."""
        key = (str(self.engine.url), self.whatif, self._base.revision,
               revisions(self.engine, self.whatif)[1])
        _CACHE.pop_where(lambda k: k[:2] != key[:2])
        _CACHE.put(key, self)

    def _reload(self, base: View | None = None) -> None:
        """Read the store into this registry's view (a what-if copy derives from the base
        view every registry of the store's revision shares; ``base``: from that one)."""
        self._base = base_view(self.engine) if base is None else base
        view = view_of(self.engine, self.whatif, self._base)
        self.actors = view.actors
        self._org_meta, self._sources = view.org_meta, view.sources
        self._coverage, self._cow_years = view.coverage, view.cow_years
        self._index, self._cow_index = view.index, view.cow_index
        self._curated_index = view.curated_index
        self._memo: dict[Any, Any] = {}  # copies dated answers make of long-lived rows
        self._facts = view.facts

    def _actor(self, code: str) -> Actor:
        return actor_of(self.actors, code)

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
                + past_coverage(index.cut_of_org(code), period.first,
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
        cut = self._index.cut_of_actor(code)
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
