"""The curated SCO record, through the CLI's JSON, against facts checked by hand.

Each expectation was checked against the sources the data cites (docs/data-sources.md):
the founding six (zhao2004 §3), Mongolia's observer status from the 2004 Tashkent summit,
India, Iran and Pakistan as observers from the 2005 Astana summit (masuda2011 §1(2)),
India and Pakistan admitted at Astana on 2017-06-09, Iran at the 2023 virtual summit on
2023-07-04, Belarus at Astana on 2024-07-04.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from scomodel.cli import app

runner = CliRunner()
FOUNDERS = ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"]


def members(on: str, status: str | None = None) -> list[dict]:
    args = ["members", "SCO", "--on", on, "--format", "json"]
    result = runner.invoke(app, [*args, "--status", status] if status else args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_founding_members() -> None:
    assert sorted(r["actor"] for r in members("2001-06-15")) == FOUNDERS
    assert members("2001-06-14") == []


def test_observers_after_astana_2005() -> None:
    rows = members("2005-07-06", "observer")
    assert sorted(r["actor"] for r in rows) == ["IND", "IRN", "MNG", "PAK"]
    mongolia = next(r for r in rows if r["actor"] == "MNG")
    assert (mongolia["start"], mongolia["precision"]) == ("2004-06-17", "day")
    assert all(r["sources"] for r in rows)


def test_enlargements() -> None:
    assert sorted(r["actor"] for r in members("2017-06-09", "member")) == sorted(
        [*FOUNDERS, "IND", "PAK"])
    assert "IRN" not in {r["actor"] for r in members("2023-07-03", "member")}
    assert "IRN" in {r["actor"] for r in members("2023-07-04", "member")}
    assert len(members("2024-07-04", "member")) == 10
    assert "BLR" in {r["actor"] for r in members("2024-07-04", "member")}


def test_observer_spells_end_when_membership_begins() -> None:
    result = runner.invoke(app, ["timeline", "IND", "--org", "SCO", "--format", "json"])
    spells = [s for s in json.loads(result.stdout) if s["kind"] == "standing"]
    assert spells[0]["status"] == "observer" and spells[0]["start"] == "2005-07-05"
    assert spells[-1]["status"] == "member" and spells[-1]["start"] == "2017-06-09"
    for earlier, later in zip(spells, spells[1:], strict=False):
        assert earlier["end"] == later["start"]


def test_status_on_a_date() -> None:
    result = runner.invoke(app, ["status", "IND", "SCO", "--on", "2010-01-01", "--format",
                                 "json"])
    assert [r["status"] for r in json.loads(result.stdout)] == ["observer"]


def test_every_spell_and_fact_cites_a_known_source() -> None:
    keys = {s["key"] for s in json.loads(
        runner.invoke(app, ["sources", "--format", "json"]).stdout)}
    facts = json.loads(runner.invoke(app, ["facts", "--about", "SCO", "--format",
                                           "json"]).stdout)
    assert facts and all(ref["source"] in keys for f in facts for ref in f["sources"])
    summits = [f for f in facts if f["kind"] == "summit" and f["date"] == "2001-06-15"]
    assert summits and summits[0]["attributes"]["city"] == "Shanghai"
