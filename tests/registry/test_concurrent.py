"""Concurrent statuses: a procedure track runs beside the one standing status.

The SCO Secretariat kept calling acceding states observers until they became members, so
India and Pakistan are observers *and* acceding from 2015-07-10 to 2017-06-09, Iran from
2021-09-17 to 2023-07-04 and Belarus from 2022-09-16 to 2024-07-04 (spells/sco.yaml).
Every query shows the standing status and the tracks beside it (``beside``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scomodel.cli import app
from scomodel.errors import DataValidationError, InputError
from scomodel.registry import Registry
from scomodel.registry.loader import load_curated

runner = CliRunner()
ACCESSIONS = {"IND": "2015-07-10", "PAK": "2015-07-10", "IRN": "2021-09-17",
              "BLR": "2022-09-16"}
MEMBERSHIP = {"IND": "2017-06-09", "PAK": "2017-06-09", "IRN": "2023-07-04",
              "BLR": "2024-07-04"}


def run_json(*args: str) -> list[dict]:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("on", "observers"), [
    ("2016-06-01", ["AFG", "BLR", "IND", "IRN", "MNG", "PAK"]),
    ("2023-01-01", ["AFG", "BLR", "IRN", "MNG"]),
])
def test_acceding_states_stay_observers(on: str, observers: list[str]) -> None:
    rows = run_json("members", "SCO", "--on", on, "--status", "observer")
    assert sorted(r["actor"] for r in rows) == observers
    assert {r["kind"] for r in rows} == {"standing"}
    for row in rows:
        beside = [b["status"] for b in row["beside"]]
        acceding = row["actor"] in ACCESSIONS and ACCESSIONS[row["actor"]] <= on < MEMBERSHIP[
            row["actor"]]
        assert beside == (["acceding"] if acceding else []), row["actor"]


def test_status_acceding_finds_the_tracks() -> None:
    rows = run_json("members", "SCO", "--on", "2016-06-01", "--status", "acceding")
    assert sorted(r["actor"] for r in rows) == ["IND", "PAK"]
    for row in rows:
        assert row["kind"] == "procedure"
        assert [b["status"] for b in row["beside"]] == ["observer"]
    unfiltered = run_json("members", "SCO", "--on", "2023-01-01")
    iran = sorted(r["status"] for r in unfiltered if r["actor"] == "IRN")
    assert iran == ["acceding", "observer"]


@pytest.mark.parametrize("actor", sorted(ACCESSIONS))
def test_every_accession_carries_the_same_sourced_events(actor: str) -> None:
    spells = run_json("timeline", actor, "--org", "SCO")
    (track,) = [s for s in spells if s["status"] == "acceding"]
    assert (track["start"], track["end"]) == (ACCESSIONS[actor], MEMBERSHIP[actor])
    kinds = [e["kind"] for e in track["events"]]
    assert kinds == ["application", "decision", "memorandum_of_obligations", "grant"]
    assert all(e["sources"] for e in track["events"])
    grant = track["events"][-1]
    assert grant["date"] == MEMBERSHIP[actor]
    (observer,) = [s for s in spells if s["status"] == "observer"]
    assert observer["end"] == MEMBERSHIP[actor]
    assert [b["status"] for b in observer["beside"]] == ["acceding"]
    standing = [s for s in spells if s["kind"] == "standing"]
    for earlier, later in zip(standing, standing[1:], strict=False):
        assert earlier["end"] == later["start"]


def test_status_and_orgs_show_the_track_beside() -> None:
    rows = run_json("status", "IRN", "SCO", "--on", "2022-10-01")
    assert sorted(r["status"] for r in rows) == ["acceding", "observer"]
    assert all(len(r["beside"]) == 1 for r in rows)
    table = runner.invoke(app, ["status", "IRN", "SCO", "--on", "2022-10-01"])
    assert table.exit_code == 0 and "beside" in table.stdout


def test_diff_reports_tracks_separately_from_standing() -> None:
    rows = run_json("diff", "SCO", "2015-01-01", "2016-06-01")
    india = [r for r in rows if r["actor"] == "IND"]
    assert india == [{**india[0], "track": "procedure", "change": "started",
                      "before": None, "after": "acceding"}]
    rows = run_json("diff", "SCO", "2016-06-01", "2017-07-01")
    india = sorted((r["track"], r["change"], r["before"], r["after"])
                   for r in rows if r["actor"] == "IND")
    assert india == [("procedure", "ended", "acceding", None),
                     ("standing", "changed", "observer", "member")]


def _write(tmp: Path, good: Path, spells: str) -> Path:
    data = tmp / "data"
    (data / "spells").mkdir(parents=True)
    for name in ("sources.yaml", "organizations.yaml"):
        (data / name).write_text((good / name).read_text())
    (data / "spells" / "sco.yaml").write_text("org: SCO\nspells:\n" + spells)
    return data


SRC = '[{source: masuda2011, locator: "x"}]'


def test_a_track_beside_a_standing_status_loads(tmp_path: Path, good_data: Path) -> None:
    data = _write(tmp_path, good_data,
                  f'  - {{actor: IND, status: observer, start: "2005-07-05", '
                  f'end: "2017-06-09", sources: {SRC}}}\n'
                  f'  - {{actor: IND, status: acceding, start: "2015-07-10", '
                  f'end: "2017-06-09", sources: {SRC}}}\n')
    assert len(load_curated(data).spells) == 2


def test_overlapping_standing_statuses_are_rejected(tmp_path: Path, good_data: Path) -> None:
    data = _write(tmp_path, good_data,
                  f'  - {{actor: IND, status: observer, start: "2005-07-05", sources: {SRC}}}\n'
                  f'  - {{actor: IND, status: dialogue_partner, start: "2010-01-01", '
                  f'sources: {SRC}}}\n')
    with pytest.raises(DataValidationError) as err:
        load_curated(data)
    assert err.value.file and err.value.file.endswith("sco.yaml")
    assert (err.value.line, err.value.field) == (3, "end")


def test_a_track_past_membership_is_rejected(tmp_path: Path, good_data: Path) -> None:
    data = _write(tmp_path, good_data,
                  f'  - {{actor: IND, status: acceding, start: "2015-07-10", sources: {SRC}}}\n'
                  f'  - {{actor: IND, status: member, start: "2017-06-09", sources: {SRC}}}\n')
    with pytest.raises(DataValidationError) as err:
        load_curated(data)
    assert (err.value.line, err.value.field) == (3, "end")
    assert "2017-06-09" in str(err.value)


def test_whatif_track_beside_observer(sqlite_url: str, good_data: Path) -> None:
    reg = Registry.open(sqlite_url, data_dir=good_data, whatif="t")
    row = reg.add_spell("SCO", {"actor": "MNG", "status": "applicant", "start": "2020-01-01",
                                "sources": [{"source": "masuda2011", "locator": "x"}]})
    assert row.kind == "procedure"
    rows = reg.members("SCO", "2021-01-01", "observer")
    mng = next(r for r in rows if r.actor == "MNG")
    assert [b["status"] for b in mng.beside] == ["applicant"]
    with pytest.raises(InputError):  # a second standing status still clashes
        reg.add_spell("SCO", {"actor": "MNG", "status": "dialogue_partner",
                              "start": "2020-01-01",
                              "sources": [{"source": "masuda2011", "locator": "x"}]})
    reg.drop_whatif()


def test_api_rows_carry_the_tracks_as_the_cli(tmp_path: Path) -> None:
    """GET /api/members and /api/diff answer what the CLI's JSON says (package data)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from scomodel.api import Settings, create_app

    url = f"sqlite:///{tmp_path / 'api.sqlite'}"
    settings = Settings(token=None, db=url, data_dir=None, refresh_seconds=0.0)
    with TestClient(create_app(settings)) as client:
        got = client.get("/api/members/SCO", params={"on": "2023-01-01", "status": "observer"})
        assert got.status_code == 200
        rows = got.json()
        assert sorted(r["actor"] for r in rows) == ["AFG", "BLR", "IRN", "MNG"]
        assert rows == run_json("members", "SCO", "--on", "2023-01-01", "--status", "observer")
        assert {r["actor"]: [b["status"] for b in r["beside"]] for r in rows}["IRN"] == [
            "acceding"]
        bad = client.get("/api/diff/SCO", params={"before": "2006-01-01", "after": "2004-01-01"})
        assert bad.status_code in (400, 422) and "after" in bad.text
