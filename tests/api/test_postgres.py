"""The API on a real PostgreSQL store: same answers as the CLI, writes shared by servers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scomodel.cli import app
from tests.api.conftest import TOKEN, make_client

pytestmark = [pytest.mark.postgres, pytest.mark.filterwarnings("ignore")]


def test_api_on_postgres(monkeypatch: pytest.MonkeyPatch, postgres_url: str,
                         good_data: Path) -> None:
    monkeypatch.setenv("SCOMODEL_DB", postgres_url)
    monkeypatch.setenv("SCOMODEL_DATA", str(good_data))
    cli = CliRunner().invoke(app, ["members", "SCO", "--on", "2005-07-06", "--format", "json"])
    assert cli.exit_code == 0, cli.output
    with make_client(postgres_url, good_data) as one, make_client(postgres_url, good_data) as two:
        answer = one.get("/api/members/SCO", params={"on": "2005-07-06"})
        assert answer.status_code == 200
        assert answer.json() == json.loads(cli.stdout)
        assert [r["actor"] for r in answer.json()] == ["CHN", "KAZ", "UZB", "IND", "MNG"]
        # a write through one server is read by another sharing the store
        spell = {"actor": "TUR", "status": "dialogue_partner", "start": "2012-06-07",
                 "sources": [{"source": "masuda2011", "judgement": True}]}
        added = one.post("/api/spells", json={"registry": "pg", "org": "SCO", "spell": spell},
                         headers={"Authorization": f"Bearer {TOKEN}"})
        assert added.status_code == 201, added.text
        seen = two.get("/api/members/SCO", params={"on": "2013", "registry": "pg"}).json()
        assert ("TUR", "dialogue_partner") in [(r["actor"], r["status"]) for r in seen]
        assert "TUR" not in [r["actor"] for r in two.get(
            "/api/members/SCO", params={"on": "2013"}).json()]


def test_every_part_on_postgres(monkeypatch: pytest.MonkeyPatch, postgres_url: str) -> None:
    """The package's data on PostgreSQL: one query per part answers as the CLI does."""
    monkeypatch.setenv("SCOMODEL_DB", postgres_url)
    monkeypatch.delenv("SCOMODEL_DATA", raising=False)
    runner = CliRunner()
    with make_client(postgres_url, None) as client:
        for args, path in [
            (["members", "SCO", "--on", "2005-07-06"], "/api/members/SCO?on=2005-07-06"),
            (["overlap", "--on", "2008-09-01", "--region", "central-asia"],
             "/api/overlap?on=2008-09-01&region=central-asia"),
            (["rights", "MNG", "SCO", "--on", "2006-01-01"], "/api/rights/MNG/SCO?on=2006-01-01"),
        ]:
            cli = runner.invoke(app, [*args, "--format", "json"])
            assert cli.exit_code == 0, cli.output
            answer = client.get(path)
            assert answer.status_code == 200, answer.text
            assert answer.json() == json.loads(cli.stdout) != []
        ran = client.post("/api/bargain", json={"scenario": "astana-2005-bases"})
        assert ran.status_code == 200 and ran.json()["forecast"] == 80.0


def test_the_database_refuses_an_overlap_on_postgres(postgres_url: str,
                                                     good_data: Path) -> None:
    """Issue 11 on PostgreSQL: the check runs under an advisory lock of the copy, so a
    writer whose view is stale is still refused, and a non-overlapping spell passes."""
    from scomodel.registry import Registry
    from scomodel.registry.whatif_store import OverlapError

    spell = {"actor": "USA", "status": "observer", "start": "2031-06-15",
             "sources": [{"source": "masuda2011", "judgement": True}]}
    first = Registry.open(postgres_url, whatif="pgrace", data_dir=good_data)
    second = Registry(first.engine, whatif="pgrace")
    first.add_spell("SCO", {**spell, "end": "2032-01-01"})
    with pytest.raises(OverlapError):
        second.add_spell("SCO", {**spell, "start": "2031-12-01", "status": "partner"})
    second.add_spell("SCO", {**spell, "start": "2032-01-01"})  # half-open: no overlap
    rows = Registry.open(postgres_url, whatif="pgrace", data_dir=good_data).timeline("USA")
    assert [r.start for r in rows] == ["2031-06-15", "2032-01-01"]
