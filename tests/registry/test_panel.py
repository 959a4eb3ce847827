"""Panels from the curated data: codes, procedures, NA beyond coverage, formats, errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from scomodel.cli import app
from scomodel.errors import InputError
from scomodel.registry import Registry
from scomodel.registry.codes import STATUS_CODE
from scomodel.registry.panel import build_panel

runner = CliRunner()


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.open()


def _cell(frame: pd.DataFrame, abb: str, year: int, column: str) -> object:
    row = frame[(frame.stateabb == abb) & (frame.year == year)]
    assert len(row) == 1, (abb, year)
    return row[column].iloc[0]


def test_india_is_an_observer_in_2016_with_its_accession_beside_it(reg):
    frame = build_panel(reg, "state-year", orgs=["SCO"], start=2015, end=2018, system="gw")
    assert _cell(frame, "IND", 2016, "sco") == STATUS_CODE["observer"]
    assert "acceding" in _cell(frame, "IND", 2016, "sco_procedures")
    assert _cell(frame, "IND", 2018, "sco") == STATUS_CODE["member"]
    assert _cell(frame, "USA", 2016, "sco") == 0


def test_codes_before_founding_are_minus_one_and_rows_follow_the_state_system(reg):
    frame = build_panel(reg, "state-year", orgs=["SCO"], start=1999, end=2002)
    assert _cell(frame, "CHN", 2000, "sco") == -1  # the SCO did not exist in 2000
    assert _cell(frame, "CHN", 2001, "sco") == 1
    # South Sudan joined the state system in 2011: no row before it
    assert frame[(frame.stateabb == "SSD")].empty
    later = build_panel(reg, "state-year", orgs=["SCO"], start=2012, end=2012)
    assert not later[later.stateabb == "SSD"].empty


def test_counts_beyond_coverage_are_na_never_zero(tmp_path, good_data):
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(good_data, folder)
    from ruamel.yaml import YAML

    orgs = folder / "organizations.yaml"
    yaml = YAML()
    doc = yaml.load(orgs.read_text())
    sco = next(o for o in doc["organizations"] if o["code"] == "SCO")
    sco["checked"] = "2010-06-30"  # the SCO's data now speak only up to mid-2010
    with orgs.open("w") as fh:
        yaml.dump(doc, fh)
    reg = Registry.open(f"sqlite:///{tmp_path / 's.sqlite'}", data_dir=folder)
    frame = build_panel(reg, "state-year", orgs=["SCO"], start=2009, end=2011)
    china = frame[frame.stateabb == "CHN"].set_index("year")
    assert china.loc[2010, "sco"] == 1
    assert pd.isna(china.loc[2011, "sco"]) and pd.isna(china.loc[2011, "sum_igo_full"])
    dyads = build_panel(reg, "dyad-year", orgs=["SCO"], start=2010, end=2011)
    assert dyads[dyads.year == 2011]["dyadigos"].isna().all()
    assert dyads[dyads.year == 2010]["dyadigos"].notna().all()


def test_dyad_rules_are_named_and_differ_where_statuses_differ(reg):
    frame = build_panel(reg, "dyad-year", orgs=["SCO"], start=2016, end=2016)
    pair = frame[(frame.ccode1 == 710) & (frame.ccode2 == 750)].iloc[0]  # China, India
    assert (pair.dyadigos, pair.shared_any, pair.shared_partial) == (0, 1, 1)
    pair = frame[(frame.ccode1 == 365) & (frame.ccode2 == 710)].iloc[0]  # Russia, China
    assert (pair.dyadigos, pair.shared_any, pair.shared_partial) == (1, 1, 0)
    assert (frame.ccode1 < frame.ccode2).all()
    directed = build_panel(reg, "directed-dyad-year", orgs=["SCO"], start=2016, end=2016)
    assert len(directed) == 2 * len(frame)


def test_org_year_counts_members(reg):
    frame = build_panel(reg, "org-year", orgs=["SCO"], start=2017, end=2017)
    assert int(frame.loc[0, "n_member"]) == 8


def test_state_day_marks_the_day_of_accession(reg):
    frame = build_panel(reg, "state-day", orgs=["SCO"], start="2017-06-08", end="2017-06-09")
    india = frame[frame.stateabb == "IND"].set_index("date")
    assert list(india["sco"]) == [STATUS_CODE["observer"], STATUS_CODE["member"]]


@pytest.mark.parametrize("kwargs,field", [
    ({"unit": "country-year"}, "unit"),
    ({"unit": "state-year", "orgs": ["NOPE"]}, "org"),
    ({"unit": "state-year", "orgs": ["SCO", "SCO"]}, "orgs"),
    ({"unit": "state-year", "start": 2010, "end": 2000}, "to"),
    ({"unit": "state-year", "statuses": ["bogus"]}, "status"),
    ({"unit": "state-year", "system": "iso"}, "system"),
    ({"unit": "state-year", "reading": "both"}, "reading"),
])
def test_bad_input_names_its_field(reg, kwargs, field):
    unit = kwargs.pop("unit")
    with pytest.raises(InputError) as err:
        build_panel(reg, unit, **kwargs)
    assert err.value.field == field


def test_cli_writes_stata_with_labels(tmp_path):
    out = tmp_path / "p.dta"
    result = runner.invoke(app, ["panel", "state-year", "--orgs", "SCO,CSTO", "--system", "gw",
                                 "--format", "dta", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_stata(out)
    india = frame[(frame.stateabb == "IND") & (frame.year == 2016)]
    assert india["sco"].iloc[0] == "observer"
    with pd.io.stata.StataReader(out) as reader:
        assert reader.variable_labels()["sco"].startswith("status in SCO")
        assert reader.value_labels()["sco"][3] == "observer"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json", "parquet"])
def test_every_format_round_trips_missing_as_missing(tmp_path, fmt):
    out = tmp_path / f"p.{fmt}"
    result = runner.invoke(app, ["panel", "org-year", "--orgs", "SCO", "--from", "2000",
                                 "--to", "2002", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = {"csv": pd.read_csv, "parquet": pd.read_parquet,
             "jsonl": lambda p: pd.read_json(p, lines=True),
             "json": pd.read_json}[fmt](out)
    assert list(frame.year) == [2000, 2001, 2002]
    assert int(frame.loc[frame.year == 2001, "n_member"].iloc[0]) == 6


def test_cli_refuses_binary_to_the_terminal_and_a_missing_folder(tmp_path):
    result = runner.invoke(app, ["panel", "org-year", "--orgs", "SCO", "--format", "dta"])
    assert result.exit_code != 0
    result = runner.invoke(app, ["panel", "org-year", "--orgs", "SCO", "--format", "csv",
                                 "--out", str(tmp_path / "nope" / "x.csv")])
    assert result.exit_code != 0


def test_api_panel_answers_as_the_cli(reg):
    from fastapi.testclient import TestClient

    from scomodel.api.app import create_app

    client = TestClient(create_app())
    answer = client.get("/api/panel/org-year", params={"orgs": "SCO", "from": "2017",
                                                       "to": "2017", "format": "jsonl"})
    assert answer.status_code == 200
    assert json.loads(answer.text.splitlines()[0])["n_member"] == 8
    bad = client.get("/api/panel/org-year", params={"orgs": "SCO", "format": "xls"})
    assert bad.status_code in (400, 422) and "format" in bad.text
