"""Declared coverage: an answer past the days a dataset speaks for says so.

COW IGO v3 stops in 2014: after it, a COW organization is "not covered", never "no
status". Curated organizations speak from their founding to their ``checked`` day.
Also the lossless COW export (extended codes, NA outside coverage, --strict-cow).
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from scomodel.cli import app
from scomodel.registry import Registry
from scomodel.registry.codes import EXTENDED_CODES
from scomodel.registry.cow import import_cow_igo
from scomodel.registry.cow_export import export_cow_igo, strict_note, to_cow_csv

COW_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "cow_igo_v3"
NOTE = "COW data end in 2014; these organizations are not covered after it"
runner = CliRunner()


@pytest.fixture(scope="module")
def cow_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A store with the package's curated data and COW imported (not the session store)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cowreal') / 'store.sqlite'}"
    import_cow_igo(COW_DIR, url)
    yield {"SCOMODEL_DB": url}


def run(env: dict[str, str], *args: str) -> str:
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def run_json(env: dict[str, str], *args: str) -> list[dict]:
    return json.loads(run(env, *args, "--format", "json"))


def test_shared_past_cow_says_not_covered(cow_env: dict[str, str]) -> None:
    before = run_json(cow_env, "shared", "KAZ", "UZB", "--on", "2014-06-01")
    after = run_json(cow_env, "shared", "KAZ", "UZB", "--on", "2016-06-01")
    cow_2014 = {r["org"] for r in before if r["coverage"]["dataset"] == "cow_igo_v3"}
    assert len(cow_2014) > 30
    assert all(r["covered"] for r in before if r["org"] in cow_2014)
    from_cow = [r for r in after if r["coverage"]["dataset"] == "cow_igo_v3"]
    assert from_cow and not any(r["covered"] for r in from_cow)
    assert {r["coverage"]["last"] for r in from_cow} == {"2014"}
    assert {r["org"] for r in from_cow} == cow_2014  # none "left": all still there, uncovered
    assert "SCO" in {r["org"] for r in after if r["covered"]}
    assert NOTE in run(cow_env, "shared", "KAZ", "UZB", "--on", "2016-06-01")
    assert NOTE not in run(cow_env, "shared", "KAZ", "UZB", "--on", "2014-06-01")


def _cow_only_org(env: dict[str, str], actor: str, on: str) -> str:
    """An organization ``actor`` was in on ``on`` by COW alone (none curated)."""
    rows = run_json(env, "orgs", actor, "--on", on)
    return sorted(r["org"] for r in rows if r["coverage"]["dataset"] == "cow_igo_v3")[0]


def test_orgs_past_cow_names_its_end(cow_env: dict[str, str]) -> None:
    org = _cow_only_org(cow_env, "IND", "2014-06-01")
    rows = run_json(cow_env, "orgs", "IND", "--on", "2020-01-01")
    (cut,) = [r for r in rows if r["org"] == org]
    assert (cut["covered"], cut["end_reason"], cut["end"]) == (False, "coverage", "2015")
    assert (cut["coverage"]["dataset"], cut["coverage"]["last"],
            cut["coverage"]["precision"]) == ("cow_igo_v3", "2014", "year")
    sco = next(r for r in rows if r["org"] == "SCO")
    assert sco["covered"] and sco["coverage"]["dataset"] == "curated"
    table = run(cow_env, "orgs", "IND", "--on", "2020-01-01")
    assert NOTE in table and org in table.split(NOTE)[1]


def test_spells_cut_by_coverage_are_not_exits(cow_env: dict[str, str]) -> None:
    org = _cow_only_org(cow_env, "IND", "2014-06-01")
    spells = run_json(cow_env, "timeline", "IND", "--org", org)
    assert spells[-1]["end"] == "2015" and spells[-1]["end_reason"] == "coverage"
    changes = run_json(cow_env, "diff", org, "2010-01-01", "2016-01-01")
    assert changes and "left" not in {c["change"] for c in changes}
    assert "not_covered" in {c["change"] for c in changes}
    ended = run_json(cow_env, "diff", "SCO", "2016-06-01", "2017-07-01")
    assert "not_covered" not in {c["change"] for c in ended}


def test_every_dataset_declares_its_coverage(cow_env: dict[str, str]) -> None:
    reg = Registry.open(cow_env["SCOMODEL_DB"])
    datasets = {d["dataset"]: d for d in reg.datasets()}
    assert (datasets["cow_igo_v3"]["first"], datasets["cow_igo_v3"]["last"],
            datasets["cow_igo_v3"]["precision"]) == ("1816", "2014", "year")
    assert datasets["curated"]["precision"] == "day"
    sco = reg.coverage("SCO")
    assert (sco["first"], sco["last"]) == ("2001-06-15", "2026-12-01")
    for org in reg.organizations():
        assert reg.coverage(org)["last"], org


def test_curated_answers_past_checked_say_so(cow_env: dict[str, str]) -> None:
    assert all(r["covered"] for r in run_json(cow_env, "members", "SCO", "--on", "2026-01-01"))
    late = run_json(cow_env, "members", "SCO", "--on", "2027-06-01")
    assert late and not any(r["covered"] for r in late)
    assert "not checked after 2026-12-01" in run(cow_env, "members", "SCO", "--on", "2027-06-01")


def _export(env: dict[str, str], *extra: str) -> tuple[pd.DataFrame, str]:
    result = runner.invoke(app, ["export", "cow-igo", "--org", "SCO", *extra], env=env)
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    return frame, result.stderr


CCODE = {"China": 710, "India": 750, "Iran": 630, "Mongolia": 712, "Sri Lanka": 780}


def _cell(frame: pd.DataFrame, state: str, year: int) -> str:
    column = frame.columns[-1]
    hit = frame[(frame["ccode"] == CCODE[state]) & (frame["year"] == year)]
    return str(hit[column].iloc[0])


def test_export_keeps_every_status(cow_env: dict[str, str]) -> None:
    frame, _ = _export(cow_env)
    assert _cell(frame, "India", 2016) == "3"  # observer while acceding
    assert _cell(frame, "Iran", 2022) == "3"
    assert _cell(frame, "India", 2017) == "1"
    assert _cell(frame, "Mongolia", 2026) == str(EXTENDED_CODES["partner"])
    assert _cell(frame, "Sri Lanka", 2012) == str(EXTENDED_CODES["dialogue_partner"])
    strict, note = _export(cow_env, "--strict-cow")
    assert _cell(strict, "Mongolia", 2026) == "0"
    assert _cell(strict, "India", 2016) == "3"
    assert "partner" in note and "dialogue_partner" in note and "0" in note
    values = set(strict[strict.columns[-1]].astype(str))
    assert values <= {"0", "1", "2", "3", "-9", "-1"}


def _tiny_cow(directory: Path) -> Path:
    """COW's two tables in COW's layout, cut to the SCO and four states (a fast import)."""
    states = {"china": 710, "kazakhstan": 705, "india": 750, "uzbekistan": 704}
    years = range(2001, 2015)
    igo = pd.DataFrame([{"ioname": "SCO", "orgname": "Shanghai Cooperation Organization",
                         "year": y, "sdate": 2001,
                         **{s: (1 if s in ("china", "kazakhstan", "uzbekistan") else 0)
                            for s in states}} for y in years])
    system = pd.DataFrame([{"ccode": c, "year": y, "state": s, "sco": int(igo.loc[0, s])}
                           for s, c in states.items() for y in years])
    directory.mkdir()
    igo.to_csv(directory / "igo_year_format3.csv", index=False)
    system.to_csv(directory / "state_year_format3.csv", index=False)
    return directory


def test_export_writes_na_outside_coverage(sqlite_url: str, good_data: Path,
                                           tmp_path: Path) -> None:
    """Without a ``checked`` day an organization's data speak only to their last date."""
    data = tmp_path / "data"
    shutil.copytree(good_data, data)
    orgs = data / "organizations.yaml"
    orgs.write_text(orgs.read_text().replace('    checked: "2026-12-01"\n', ""))
    import_cow_igo(_tiny_cow(tmp_path / "cow"), sqlite_url, data_dir=data)
    reg = Registry.open(sqlite_url, data_dir=data)
    assert reg.coverage("SCO")["last"] == "2017-06-09"
    frame = export_cow_igo(reg, "SCO")
    column = frame.columns[-1]
    china = frame[frame["ccode"] == CCODE["China"]].set_index("year")[column]
    assert china[2017] == 1 and pd.isna(china[2019])
    assert "\n710,2019,china,NA" in to_cow_csv(frame)
    strict = export_cow_igo(reg, "SCO", strict=True)
    assert strict[strict["ccode"] == 710].set_index("year")[column][2019] == -9
    assert "NA (outside coverage) -> -9" in (strict_note(strict) or "")


def test_timeline_plot_says_where_data_end(cow_env: dict[str, str], tmp_path: Path) -> None:
    from scomodel.registry.plots import COVERAGE_LABEL, legend_labels, plot_spells

    reg = Registry.open(cow_env["SCOMODEL_DB"])
    rows = reg.timeline("IND")
    assert COVERAGE_LABEL in legend_labels(rows)
    assert "acceding (track)" in legend_labels(reg.timeline("IND", "SCO"))
    assert COVERAGE_LABEL not in legend_labels(reg.timeline("IND", "SCO"))
    assert plot_spells(rows, tmp_path / "ind.png", title="India").stat().st_size > 10_000
