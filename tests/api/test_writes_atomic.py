"""Issue 11: a write is checked whole before its one transaction; the database refuses
overlaps another writer committed; an Idempotency-Key stores a retried write once."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from scomodel.errors import InputError
from scomodel.registry import Registry, core, store
from scomodel.registry.whatif_store import OverlapError

SPELL = {"actor": "USA", "status": "observer", "start": "2031-06-15",
         "sources": [{"source": "masuda2011", "judgement": True}]}


def _post(client: Any, auth: dict[str, str], spell: dict[str, Any], registry: str = "w",
          **headers: str) -> Any:
    return client.post("/api/spells", content=json.dumps(
        {"registry": registry, "org": "SCO", "spell": spell}),
        headers={**auth, "Content-Type": "application/json", **headers})


@pytest.mark.parametrize(("change", "field"), [
    ({"end": "2030-01-01"}, "spell.end"),
    ({"end": "2031-06-15"}, "spell.end"),
    ({"start": "9999-12-31"}, "spell.start"),
    ({"disputed": [{"field": "start", "value": float("inf"),
                    "sources": [{"source": "masuda2011"}]}]}, "spell.disputed.0.value"),
])
def test_a_refused_write_stores_nothing_however_often_retried(
    client: Any, auth: dict[str, str], change: dict[str, Any], field: str
) -> None:
    for _ in range(3):
        response = _post(client, auth, {**SPELL, **change})
        assert (response.status_code, response.json()["field"]) == (422, field), response.text
    assert client.get("/api/whatif").json() == []
    assert "USA" not in [r["actor"] for r in client.get("/api/spells/SCO").json()]


def test_a_fact_with_infinity_is_refused(client: Any, auth: dict[str, str]) -> None:
    fact = {"id": "x", "kind": "event", "about": ["SCO"], "title": "t",
            "sources": [{"source": "zhao2004"}], "attributes": {"size": float("inf")}}
    response = client.post("/api/facts", content=json.dumps({"registry": "w", "fact": fact}),
                           headers={**auth, "Content-Type": "application/json"})
    assert (response.status_code, response.json()["field"]) == (422, "fact.attributes.size")
    assert client.get("/api/whatif").json() == []


def test_the_python_api_checks_end_after_start(good_data: Path, sqlite_url: str) -> None:
    reg = Registry.open(sqlite_url, whatif="py", data_dir=good_data)
    with pytest.raises(InputError) as err:
        reg.add_spell("SCO", {**SPELL, "end": "2031-01-01"})
    assert err.value.field == "end"
    assert reg.timeline("USA") == []


def test_the_database_refuses_an_overlap_a_stale_writer_missed(good_data: Path,
                                                               sqlite_url: str) -> None:
    """Two writers that each saw no clash (two processes, two server workers): the second
    insert is refused by the database, not stored beside the first."""
    first = Registry.open(sqlite_url, whatif="race", data_dir=good_data)
    second = Registry(first.engine, whatif="race")  # its own view, read before the write
    first.add_spell("SCO", SPELL)
    with pytest.raises(OverlapError) as err:
        second.add_spell("SCO", {**SPELL, "start": "2031-07-01", "status": "dialogue_partner"})
    assert err.value.field == "start"
    assert len(Registry.open(sqlite_url, whatif="race", data_dir=good_data).timeline("USA")) == 1


def _writer(url: str, data: str, copy: str, start: str, gate: Any, out: Any) -> None:
    store._ENGINES.clear()
    core._CACHE.clear()
    reg = Registry.open(url, whatif=copy, data_dir=data)
    gate.wait(timeout=60)
    try:
        reg.add_spell("SCO", {**SPELL, "start": start})
        out.put("ok")
    except OverlapError:
        out.put("refused")


def test_two_processes_adding_overlapping_spells_one_wins(good_data: Path,
                                                          sqlite_url: str) -> None:
    Registry.open(sqlite_url, data_dir=good_data)  # the store exists before the race
    ctx = multiprocessing.get_context("fork")
    for pair in range(5):
        gate, out = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_writer, args=(sqlite_url, str(good_data), f"p{pair}",
                                                   start, gate, out))
                 for start in ("2031-06-15", "2031-09-01")]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=120)
        results = sorted(out.get(timeout=10) for _ in procs)
        assert results == ["ok", "refused"], (pair, results)
        rows = Registry.open(sqlite_url, whatif=f"p{pair}", data_dir=good_data).timeline("USA")
        assert len(rows) == 1


def test_an_idempotency_key_stores_a_retried_write_once(client: Any,
                                                        auth: dict[str, str]) -> None:
    first = _post(client, auth, SPELL, **{"Idempotency-Key": "k-1"})
    again = _post(client, auth, SPELL, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("idempotent-replayed") == "true"
    timeline = client.get("/api/timeline/USA", params={"registry": "w"}).json()
    assert len(timeline) == 1
    other = _post(client, auth, {**SPELL, "start": "2040-01-01"}, **{"Idempotency-Key": "k-1"})
    assert (other.status_code, other.json()["field"]) == (422, "idempotency-key")
    # without a key a second identical write is the overlap it is
    assert _post(client, auth, SPELL).status_code == 400
    # a failed write releases its key: the corrected request may use it
    bad = _post(client, auth, {**SPELL, "start": "2041-01-01", "end": "2040-01-01"},
                registry="v", **{"Idempotency-Key": "k-2"})
    assert bad.status_code == 422
    good = _post(client, auth, {**SPELL, "start": "2041-01-01"}, registry="v",
                 **{"Idempotency-Key": "k-2"})
    assert good.status_code == 201
