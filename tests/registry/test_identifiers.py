"""Wikidata items: the state table agrees with COW codes; the QuickStatements export."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from scomodel.actors import state
from scomodel.cli import app
from scomodel.registry import Registry
from scomodel.registry.wikidata import quickstatements, state_items


def test_state_items_agree_with_countrycode_cow_codes():
    import csv

    from scomodel.registry.wikidata import _FILE

    with _FILE.open() as fh:
        rows = list(csv.DictReader(fh))
    checked = 0
    for row in rows:
        if not row["cow_code"]:
            continue
        try:
            actor = state(row["iso3"])
        except Exception:
            continue
        if actor.cow is not None:
            assert actor.cow == int(row["cow_code"]), row
            checked += 1
    assert checked > 180
    items = state_items()
    assert items["CHN"] == "Q148" and items["KAZ"] == "Q232"
    assert all(re.fullmatch(r"Q\d+", q) for q in items.values())


def test_quickstatements_for_the_sco():
    reg = Registry.open()
    result = quickstatements(reg, "SCO")
    members = {r.actor for r in reg.spells_of("curated", "SCO") if r.status == "member"}
    assert result.written == len([r for r in reg.spells_of("curated", "SCO")
                                  if r.status == "member" and r.actor in state_items()])
    assert len(members) >= 10
    for line in result.lines:
        fields = line.split("\t")
        assert re.fullmatch(r"Q\d+", fields[0]) and fields[1:3] == ["P463", "Q485207"]
        assert re.fullmatch(r"\+\d{4}-\d\d-\d\dT00:00:00Z/(9|10|11)", fields[4])
    assert any("procedure" in reason for reason in result.skipped)


def test_cli_export_wikidata_names_what_it_left_out(tmp_path):
    out = tmp_path / "sco.qs"
    result = CliRunner().invoke(app, ["export", "wikidata", "--org", "SCO", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().count("\n") >= 10
    assert "not exported" in result.output
