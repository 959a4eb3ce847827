"""A what-if copy's view derived from the shared base equals a full build of the same rows.

Writes derive the copy's view (only the pairs its rows touch are re-read); these tests
build the same rows from scratch after every write and compare everything a query reads.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from scomodel.registry import store, views
from scomodel.registry.core import Registry
from scomodel.registry.cow import import_cow_igo
from scomodel.registry.index import SpellIndex

SOURCE = [{"source": "zhao2004"}]


def _cow(directory: Path) -> Path:
    """COW's two tables in COW's layout: the SCO and an IGO only COW records."""
    states = {"china": 710, "kazakhstan": 705, "india": 750, "mongolia": 712}
    rows = []
    for name, members in (("SCO", {"china", "kazakhstan"}), ("ASEM", {"china", "india"})):
        rows += [{"ioname": name, "orgname": name, "year": y, "sdate": 1996,
                  **{s: int(s in members) for s in states}} for y in range(2001, 2015)]
    igo = pd.DataFrame(rows)
    system = pd.DataFrame([{"ccode": c, "year": y, "state": s}
                           for s, c in states.items() for y in range(2001, 2015)])
    directory.mkdir()
    igo.to_csv(directory / "igo_year_format3.csv", index=False)
    system.to_csv(directory / "state_year_format3.csv", index=False)
    return directory


@pytest.fixture(params=["checked", "unchecked"])
def store_with_cow(request: pytest.FixtureRequest, sqlite_url: str, good_data: Path,
                   tmp_path: Path) -> tuple[str, Path]:
    """The hand-checked data plus COW; "unchecked": SCO's coverage ends at its last date,
    so shadowing a curated spell can move it."""
    data = tmp_path / "data"
    shutil.copytree(good_data, data)
    if request.param == "unchecked":
        orgs = data / "organizations.yaml"
        orgs.write_text(orgs.read_text().replace('    checked: "2026-12-01"\n', ""))
    import_cow_igo(_cow(tmp_path / "cow"), sqlite_url, data_dir=data)
    return sqlite_url, data


def _index_state(index: SpellIndex) -> dict[str, Any]:
    actors = sorted({r.actor for r in index.rows})
    return {
        "rows": [r.to_dict() for r in index.rows],
        "orgs": {o: [r.to_dict() for r in index.of_org(o)] for o in index.organizations},
        "actors": {a: [r.to_dict() for r in index.of_actor(a)] for a in actors},
        "cut": ({o: [r.to_dict() for r in index.cut_of_org(o)] for o in index.organizations},
                {a: [r.to_dict() for r in index.cut_of_actor(a)] for a in actors}),
        "during": {o: [r.to_dict() for r in index.org_during(
            o, pd.Timestamp("2010-01-01").date(), pd.Timestamp("2021-01-01").date())]
            for o in index.organizations},
    }


def _state(view: views.View) -> dict[str, Any]:
    return {
        "index": _index_state(view.index), "cow": _index_state(view.cow_index),
        "curated": _index_state(view.curated_index), "coverage": view.coverage,
        "facts": [f.to_dict() for f in view.facts], "sources": view.sources,
        "orgs": view.org_meta, "cow_years": view.cow_years,
    }


def _full(reg: Registry) -> views.View:
    with reg.engine.connect() as conn:
        rows = views.fetch_rows(conn, [store.CURATED, store.COW, f"whatif:{reg.whatif}"])
    return views.build(reg.engine, rows)


def _same_as_full(reg: Registry) -> None:
    """What the registry answers from (derived by its writes) equals a full build."""
    assert _state(views.View(
        reg.actors, reg._org_meta, reg._sources, reg._coverage, reg._cow_years, reg._index,
        reg._cow_index, reg._curated_index, reg._facts)) == _state(_full(reg))


def test_each_write_derives_what_a_full_build_gives(store_with_cow: tuple[str, Path]) -> None:
    url, data = store_with_cow
    reg = Registry.open(url, data_dir=data, whatif="derived")
    _same_as_full(reg)
    # beside a curated spell of the same pair, then shadowing one (end_spell)
    reg.add_spell("SCO", {"actor": "USA", "status": "guest", "start": "2011",
                          "end": "2012", "sources": SOURCE})
    _same_as_full(reg)
    reg.end_spell("SCO", "MNG", "observer", "2020-06-01")
    _same_as_full(reg)
    reg.add_spell("SCO", {"actor": "MNG", "status": "member", "start": "2020-06-01",
                          "sources": SOURCE})
    _same_as_full(reg)
    reg.add_fact({"id": "derived-fact", "date": "2019-05-01", "kind": "summit",
                  "about": ["SCO"], "title": "A what-if summit", "sources": SOURCE})
    _same_as_full(reg)
    reg.end_spell("SCO", "IND", "member", "2024-01-01")
    _same_as_full(reg)
    assert [r.status for r in reg.status("MNG", "SCO", "2021")] == ["member"]
    curated = Registry.open(url, data_dir=data)
    assert [r.status for r in curated.status("MNG", "SCO", "2021")] == ["observer"]


def test_a_copy_spell_in_an_org_only_cow_records_drops_cows_rows_of_it(
        store_with_cow: tuple[str, Path]) -> None:
    """The copy's spell makes ASEM a curated organization in the copy: COW's rows of it
    leave the effective view, which a derivation of two pairs cannot see."""
    url, data = store_with_cow
    reg = Registry.open(url, data_dir=data, whatif="asem")
    asem = reg.resolve_org("ASEM")
    assert [r.actor for r in reg.members(asem, "2010")] == ["CHN", "IND"]
    own = {**next(r for r in reg._base.raw if r["org"] == asem and r["actor"] == "CHN"),
           "dataset": "whatif:asem"}
    derived = views.derive(reg.engine, reg._base, ([], [], [own], []))
    # what a derivation of the (ASEM, CHN) pair alone would miss: India's COW row leaves
    # the effective view, and stays in COW's
    assert [(r.actor, r.dataset) for r in derived.index.of_org(asem)] == [
        ("CHN", "whatif:asem")]
    assert [r.actor for r in derived.cow_index.of_org(asem)] == ["CHN", "IND"]
    assert [r.actor for r in derived.curated_index.of_org(asem)] == ["CHN"]


def test_shadowing_the_spells_that_date_coverage_moves_it(
        store_with_cow: tuple[str, Path]) -> None:
    """Without a ``checked`` day, SCO's coverage ends at the last date of its curated rows
    (India's 2017 change); copy rows shadowing both of India's spells move it."""
    url, data = store_with_cow
    reg = Registry.open(url, data_dir=data, whatif="shadow")
    own = [{**r, "dataset": "whatif:shadow", "end": "2024-01-01"}
           for r in reg._base.raw if r["dataset"] == store.CURATED and r["actor"] == "IND"]
    assert len(own) == 2
    rows: views.Rows = ([], [], own, [])
    derived = views.derive(reg.engine, reg._base, rows)
    before = reg._base.coverage[(False, "SCO")]["last"]
    # without ``checked``, the last date left is Sri Lanka's 2010 memorandum; with it,
    # coverage stays and the derivation (no full build) must equal one
    expected = "2010-05-06" if before == "2017-06-09" else before
    assert derived.coverage[(False, "SCO")]["last"] == expected
    full = views.build(reg.engine, tuple(
        b + o for b, o in zip(reg._base.source, rows, strict=True)))  # type: ignore[arg-type]
    assert _state(derived) == _state(full)


def test_a_writer_keeps_its_view_while_another_process_changes_the_store(
        store_with_cow: tuple[str, Path]) -> None:
    """``stale_base``: a newer base (another process's import) is not waited for; the
    write lands, reads back, and a plain open then sees it on the new base."""
    url, data = store_with_cow
    Registry.open(url, data_dir=data, whatif="stale")
    engine = store.engine_for(url)
    held = views.held_base(engine)
    assert held is not None
    with engine.begin() as conn:
        store.bump_revision(conn)  # what an import in another process does
    writer = Registry.open(url, data_dir=data, whatif="stale", verified=True,
                           stale_base=True)
    assert writer._base is held
    row = writer.add_spell("SCO", {"actor": "USA", "status": "guest", "start": "2013",
                                   "end": "2014", "sources": SOURCE})
    assert (row.actor, row.dataset) == ("USA", "whatif:stale")
    assert writer._base is held  # the write did not build the new base
    fresh = Registry.open(url, data_dir=data, whatif="stale")
    assert fresh._base is not held and fresh._base.revision != held.revision
    assert [r.status for r in fresh.status("USA", "SCO", "2013")] == ["guest"]
    _same_as_full(fresh)
