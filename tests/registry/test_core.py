"""Temporal queries on the hand-checked fixture (tests/registry/fixtures/good)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scomodel.errors import InputError, NotFoundError
from scomodel.registry import Registry


@pytest.fixture
def reg(sqlite_url: str, good_data: Path) -> Registry:
    return Registry.open(sqlite_url, data_dir=good_data)


def codes(rows: list) -> list[tuple[str, str]]:
    return sorted((r.actor, r.status) for r in rows)


def test_members_on_a_day(reg: Registry) -> None:
    rows = reg.members("SCO", on="2005-07-06")
    assert codes(rows) == [("CHN", "member"), ("IND", "observer"), ("KAZ", "member"),
                           ("MNG", "observer"), ("UZB", "member")]
    india = next(r for r in rows if r.actor == "IND")
    assert (india.start, india.end, india.precision, india.cow) == ("2005-07", "2017-06-09",
                                                                  "month", 750)
    assert india.sources == [{"source": "masuda2011", "locator": "§1(2)"}]


def test_members_filtered_by_status(reg: Registry) -> None:
    assert codes(reg.members("SCO", on="2005-07-06", status="observer")) == [
        ("IND", "observer"), ("MNG", "observer")]


def test_half_open_end(reg: Registry) -> None:
    """The observer spell ends the day membership begins: on that day only member holds."""
    assert codes(reg.status("IND", "SCO", "2017-06-08")) == [("IND", "observer")]
    assert codes(reg.status("IND", "SCO", "2017-06-09")) == [("IND", "member")]


def test_coarse_date_is_the_whole_period(reg: Registry) -> None:
    assert codes(reg.status("India", "SCO", "2017")) == [("IND", "member"), ("IND", "observer")]
    assert codes(reg.status("IND", "SCO", "2004")) == []


def test_before_founding_nothing(reg: Registry) -> None:
    assert reg.members("SCO", on="2000-01-01") == []
    assert codes(reg.members("SHANGHAI5", on="2000")) == [("CHN", "member"), ("KAZ", "member")]


def test_orgs_and_shared(reg: Registry) -> None:
    assert [r.org for r in reg.orgs("KAZ", "2001")] == ["SCO", "SHANGHAI5"]
    assert [r.org for r in reg.orgs("KAZ", "2001-06-15")] == ["SCO"]
    assert [s["org"] for s in reg.shared("KAZ", "CHN", "1999")] == ["SHANGHAI5"]
    assert reg.shared("KAZ", "MNG", "2003") == []


def test_timeline_in_order(reg: Registry) -> None:
    assert [(r.org, r.status) for r in reg.timeline("IND")] == [("SCO", "observer"),
                                                                ("SCO", "member")]
    assert [r.org for r in reg.timeline("KAZ", org="SHANGHAI5")] == ["SHANGHAI5"]


def test_diff(reg: Registry) -> None:
    changes = reg.diff("SCO", "2004-01-01", "2006-01-01")
    assert [(c.actor, c.change, c.before, c.after) for c in changes] == [
        ("IND", "joined", None, "observer"), ("MNG", "joined", None, "observer")]
    changes = reg.diff("SCO", "2016-01-01", "2018-01-01")
    assert [(c.actor, c.change, c.before, c.after) for c in changes] == [
        ("IND", "changed", "observer", "member")]


def test_events_and_follows_are_kept(reg: Registry) -> None:
    (lka,) = reg.status("LKA", "SCO", "2011")
    assert lka.follows == "memorandum"
    assert [e["kind"] for e in lka.events] == ["decision", "memorandum"]


def test_facts_and_sources(reg: Registry) -> None:
    assert [f.id for f in reg.facts(about="SCO", kind="summit")] == ["sco-chs-2005-astana"]
    assert reg.facts(about="KAZ") == []
    assert [s["key"] for s in reg.sources()] == ["masuda2011", "zhao2004"]


def test_spells_frame(reg: Registry) -> None:
    frame = reg.spells_frame()
    assert len(frame) == 9
    ind = frame[(frame.actor == "IND") & (frame.status == "observer")].iloc[0]
    assert str(ind.start_day.date()) == "2005-07-01"
    assert str(ind.end_day.date()) == "2017-06-09"


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda r: r.members("SCO", on="2005-13-01"), InputError, "on"),
        (lambda r: r.members("SCO", on="yesterday"), InputError, "on"),
        (lambda r: r.members("ZZZ", on="2005"), NotFoundError, "org"),
        (lambda r: r.members("SCO", on="2005", status="ally"), InputError, "status"),
        (lambda r: r.status("Narnia", "SCO", "2005"), NotFoundError, "actor"),
        (lambda r: r.members("KAZ", on="2005"), NotFoundError, "org"),
    ],
)
def test_bad_input(reg: Registry, call, error, field) -> None:
    with pytest.raises(error) as err:
        call(reg)
    assert err.value.field == field


def test_curated_history_is_read_only(reg: Registry) -> None:
    with pytest.raises(InputError, match="read-only"):
        reg.add_spell("SCO", {"actor": "USA", "status": "observer", "start": "2010",
                              "sources": [{"source": "zhao2004"}]})


def test_whatif_copy_sees_its_additions_only(sqlite_url: str, good_data: Path) -> None:
    whatif = Registry.open(sqlite_url, data_dir=good_data, whatif="usa-partner")
    row = whatif.add_spell("SCO", {"actor": "United States", "status": "dialogue_partner",
                                   "start": "2010-06-11", "sources": [{"source": "zhao2004"}]})
    assert (row.actor, row.dataset) == ("USA", "whatif:usa-partner")
    assert codes(whatif.status("USA", "SCO", "2011")) == [("USA", "dialogue_partner")]
    curated = Registry.open(sqlite_url, data_dir=good_data)
    assert curated.status("USA", "SCO", "2011") == []
    with pytest.raises(InputError, match="already holds"):
        whatif.add_spell("SCO", {"actor": "CHN", "status": "observer", "start": "2010",
                                 "sources": [{"source": "zhao2004"}]})
    whatif.drop_whatif()
    assert whatif.status("USA", "SCO", "2011") == []


def test_writes_by_another_process_are_seen(store_url: str, good_data: Path) -> None:
    """Server processes sharing a store see each other's what-if writes on the next open."""
    import subprocess
    import sys

    before = Registry.open(store_url, data_dir=good_data, whatif="shared")
    assert before.status("USA", "SCO", "2011") == []
    script = (
        "from scomodel.registry import Registry\n"
        f"r = Registry.open({store_url!r}, data_dir={str(good_data)!r}, whatif='shared')\n"
        "r.add_spell('SCO', {'actor': 'USA', 'status': 'guest', 'start': '2011',"
        " 'sources': [{'source': 'zhao2004'}]})\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    after = Registry.open(store_url, data_dir=good_data, whatif="shared")
    assert [r.status for r in after.status("USA", "SCO", "2011")] == ["guest"]


def test_end_spell_in_a_whatif_copy(sqlite_url: str, good_data: Path) -> None:
    """Mongolia moves from observer to member in a copy; the curated record is untouched."""
    whatif = Registry.open(sqlite_url, data_dir=good_data, whatif="mongolia-joins")
    ended = \
        whatif.end_spell("SCO", "MNG", "observer", "2020-06-01")
    assert (ended.end, ended.dataset) == ("2020-06-01", "whatif:mongolia-joins")
    whatif.add_spell("SCO", {"actor": "MNG", "status": "member", "start": "2020-06-01",
                             "sources": [{"source": "zhao2004"}]})
    assert codes(whatif.status("MNG", "SCO", "2020")) == [("MNG", "member"), ("MNG", "observer")]
    assert codes(whatif.status("MNG", "SCO", "2021")) == [("MNG", "member")]
    curated = Registry.open(sqlite_url, data_dir=good_data)
    assert codes(curated.status("MNG", "SCO", "2021")) == [("MNG", "observer")]
    with pytest.raises(InputError, match="no running member spell"):
        whatif.end_spell("SCO", "MNG", "member", "2019-01-01")
    with pytest.raises(InputError, match="read-only"):
        curated.end_spell("SCO", "MNG", "observer", "2020-06-01")


def test_whatif_spell_needs_known_sources(sqlite_url: str, good_data: Path) -> None:
    whatif = Registry.open(sqlite_url, data_dir=good_data, whatif="no-source")
    with pytest.raises(NotFoundError, match="unknown source 'wikipedia'"):
        whatif.add_spell("SCO", {"actor": "USA", "status": "guest", "start": "2011",
                                 "sources": [{"source": "wikipedia"}]})
    assert whatif.status("USA", "SCO", "2011") == []


def test_diff_cites_both_spells_of_a_change(reg: Registry) -> None:
    (change,) = reg.diff("SCO", "2016-01-01", "2018-01-01")
    assert change.to_dict()["sources"] == [{"source": "masuda2011", "locator": "§1(2)"}] * 2
