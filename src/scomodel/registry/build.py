"""Turning validated curated data into store rows, and loading them atomically."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from scomodel.dates import PartialDate
from scomodel.registry import store
from scomodel.registry.loader import DATA_DIR, CuratedData, data_fingerprint, load_curated
from scomodel.registry.replace import replace_dataset
from scomodel.registry.schema import FactEntry, SpellEntry

__all__ = ["ensure_curated", "spell_row", "fact_row", "load_into_store"]


def spell_row(org: str, spell: SpellEntry) -> dict[str, Any]:
    """One store row for a spell (days kept alongside the dates as written)."""
    start = PartialDate(spell.start)
    end = PartialDate(spell.end) if spell.end else None
    return {
        "org": org,
        "actor": spell.actor,
        "status": spell.status,
        "start": spell.start,
        "end": spell.end,
        "start_day": start.first,
        "end_day": end.first if end else None,
        "precision": start.precision,
        "end_precision": end.precision if end else None,
        "sources": [r.model_dump(exclude_defaults=True) for r in spell.sources],
        "events": [e.model_dump(exclude_defaults=True) for e in spell.events],
        "follows": spell.follows,
        "note": spell.note,
        "disputed": [d.model_dump(exclude_defaults=True) for d in spell.disputed],
    }


def _spell_rows(data: CuratedData) -> Iterator[dict[str, Any]]:
    for located in data.spells:
        yield spell_row(located.org, located.spell)


def _org_rows(data: CuratedData) -> Iterator[dict[str, Any]]:
    for org in data.organizations.values():
        yield {
            "code": org.code,
            "name": org.name,
            "kind": "organization",
            "cow": None,
            "founded": org.founded,
            "dissolved": org.dissolved,
            "cow_ioname": org.cow,
            "attributes": {"predecessor": org.predecessor, "note": org.note,
                           "checked": org.checked, "wikidata": org.wikidata},
            "sources": [r.model_dump(exclude_defaults=True) for r in org.sources],
        }


def fact_row(fact: FactEntry) -> dict[str, Any]:
    """One store row for a fact (attributes made JSON-safe)."""
    return {
        "id": fact.id,
        "kind": fact.kind,
        "date": fact.date,
        "end": fact.end,
        "title": fact.title,
        "about": fact.about,
        "attributes": _jsonable(fact.attributes),
        "sources": [r.model_dump(exclude_defaults=True) for r in fact.sources],
        "note": fact.note,
        "disputed": [_jsonable(d.model_dump(exclude_defaults=True)) for d in fact.disputed],
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def load_into_store(engine: Engine, data: CuratedData) -> None:
    """Replace the curated dataset in one transaction."""
    source_rows = [s.model_dump() for s in data.sources.values()]
    replace_dataset(
        engine,
        store.CURATED,
        {
            store.sources: source_rows,
            store.actors: list(_org_rows(data)),
            store.spells: list(_spell_rows(data)),
            store.facts: [fact_row(f) for f in data.facts],
        },
        {"curated_fingerprint": data.fingerprint},
        after=lambda conn: {"curated_rows_digest": _digest_rows(conn)},
    )


def ensure_curated(
    engine: Engine, data_dir: str | Path = DATA_DIR, *, force: bool = False
) -> bool:
    """Rebuild the curated dataset if the files changed; returns whether it rebuilt."""
    data_dir = Path(data_dir)
    fingerprint = data_fingerprint(data_dir)
    if not force and store.get_meta(engine, "curated_fingerprint") == fingerprint:
        if store.get_meta(engine, "curated_rows_digest") in (None, _rows_digest(engine)):
            return False
        import sys

        print("warning: the store's curated rows differ from what was loaded (a damaged "
              "store?); rebuilt from the data files", file=sys.stderr)
    load_into_store(engine, load_curated(data_dir))
    return True


def _rows_digest(engine: Engine) -> str:
    """A digest of the curated spells as stored, to notice rows changed behind our back
    (a page of the file altered in place passes SQLite's own check)."""
    with engine.connect() as conn:
        return _digest_rows(conn)


def _digest_rows(conn: Any) -> str:
    import hashlib

    from sqlalchemy import select

    c = store.spells.c
    digest = hashlib.sha256()
    rows = conn.execute(
        select(c.org, c.actor, c.status, c.start, c.end, c.start_day, c.end_day)
        .where(c.dataset == store.CURATED)
        .order_by(c.org, c.actor, c.status, c.start)
    )
    for row in rows:
        digest.update(repr(tuple(str(v) for v in row)).encode())
    return digest.hexdigest()
