"""COW IGO v3: import every IGO, export it back exactly, compare with the curated SCO."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scomodel.errors import InputError
from scomodel.registry import Registry
from scomodel.registry.cow import META_COLUMNS, import_cow_igo
from scomodel.registry.cow_export import compare_cow_igo, export_cow_igo

COW_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "cow_igo_v3"


@pytest.fixture(scope="module")
def cow_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    url = f"sqlite:///{tmp_path_factory.mktemp('cow') / 'cow.sqlite'}"
    data = Path(__file__).parent / "fixtures" / "good"
    summary = import_cow_igo(COW_DIR, url, data_dir=data)
    return url, summary


@pytest.fixture(scope="module")
def igo_table() -> pd.DataFrame:
    return pd.read_csv(COW_DIR / "igo_year_format3.csv.gz", low_memory=False)


@pytest.fixture
def reg(cow_store: tuple[str, dict]) -> Registry:
    return Registry.open(cow_store[0], data_dir=Path(__file__).parent / "fixtures" / "good")


def test_every_igo_is_imported(cow_store: tuple[str, dict], igo_table: pd.DataFrame) -> None:
    summary = cow_store[1]
    assert summary["organizations"] == igo_table["ioname"].nunique() == 534
    assert summary["state_years"] == 15557


def test_cow_spells_have_year_precision_and_a_source(reg: Registry) -> None:
    (russia,) = reg.status("RUS", "CSTO", "2010")
    assert (russia.start, russia.precision, russia.dataset) == ("2002", "year", "cow_igo_v3")
    assert russia.sources[0]["source"] == "cow_igo_v3"
    # SCO is curated in the fixture: default queries answer from it, COW stays available
    assert {r.dataset for r in reg.members("SCO", "2005")} == {"curated"}
    cow_sco = reg.members("SCO", "1997", dataset="cow")
    assert sorted(r.actor for r in cow_sco) == ["CHN", "KAZ", "KGZ", "RUS", "TJK"]


def test_igo_year_round_trip_is_exact(reg: Registry, igo_table: pd.DataFrame) -> None:
    """Export reproduces COW's rows cell for cell (status codes, missing, empty, metadata)."""
    states = [c for c in igo_table.columns if c not in META_COLUMNS]
    sample = sorted(igo_table["ioname"].unique())[::9] + ["SCO", "UN", "NATO", "CIS", "CSTO"]
    for ioname in sample:
        original = igo_table[igo_table.ioname == ioname].sort_values("year")
        code = next(c for c, m in reg._org_meta.items() if m.get("cow_ioname") == ioname)
        exported = export_cow_igo(reg, code, layout="igo-year", dataset="cow")
        assert list(exported.columns) == list(igo_table.columns)
        left = original[states].astype("Int64").fillna(-777).to_numpy()
        right = exported[states].astype("Int64").fillna(-777).to_numpy()
        assert (left == right).all(), ioname
        for column in ("orgname", "sdate", "ionum", "version", "political"):
            a, b = original[column].tolist(), exported[column].tolist()
            assert [x if x == x else None for x in a] == [x if x == x else None for x in b]


def test_state_year_export_matches_cow_state_year_table(reg: Registry) -> None:
    original = pd.read_csv(COW_DIR / "state_year_format3.csv.gz",
                           usecols=["ccode", "year", "state", "sco"])
    exported = export_cow_igo(reg, "SCO", dataset="cow")
    merged = original.merge(exported, on=["ccode", "year", "state"], suffixes=("_cow", "_out"))
    assert len(merged) == len(original) == len(exported)
    assert (merged.sco_cow == merged.sco_out).all()


def test_curated_export_carries_past_2014_with_observer_code(reg: Registry) -> None:
    exported = export_cow_igo(reg, "SCO")
    india = exported[exported.ccode == 750].set_index("year")["sco"]
    assert (india[2004], india[2005], india[2016], india[2017]) == (0, 3, 3, 1)
    assert india[1996] == -1  # the SCO did not exist yet


def test_compare_lists_disagreements_with_reasons(reg: Registry) -> None:
    rows = compare_cow_igo(reg, "SCO")
    by_key = {(r["actor"], r["year"]): r for r in rows}
    assert by_key[("RUS", 1997)]["cow"] == 1 and by_key[("RUS", 1997)]["curated"] == -1
    assert "predecessor" in by_key[("RUS", 1997)]["reason"]
    assert by_key[("IND", 2005)]["curated"] == 3
    assert "observer status is not captured" in by_key[("IND", 2005)]["reason"]
    assert ("CHN", 2005) not in by_key  # both say member


def test_bad_inputs(reg: Registry, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        import_cow_igo(tmp_path)
    with pytest.raises(InputError, match="layout"):
        export_cow_igo(reg, "SCO", layout="wide")


def test_cli_export_and_compare(cow_store: tuple[str, dict], tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from scomodel.cli import app

    monkeypatch.setenv("SCOMODEL_DB", cow_store[0])
    monkeypatch.setenv("SCOMODEL_DATA", str(Path(__file__).parent / "fixtures" / "good"))
    runner = CliRunner()
    out = tmp_path / "sco.csv"
    result = runner.invoke(app, ["export", "cow-igo", "--org", "SCO", "--dataset", "cow",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns) == ["ccode", "year", "state", "sco"]
    assert frame[(frame.ccode == 710) & (frame.year == 1996)].sco.item() == 1
    result = runner.invoke(app, ["compare", "cow-igo", "--org", "SCO", "--format", "json"])
    rows = json.loads(result.stdout)
    assert {"actor", "year", "cow", "curated", "reason"} <= set(rows[0])


def test_dataset_choice(reg: Registry) -> None:
    curated = reg.spells_frame(dataset="curated")
    assert set(curated["dataset"]) == {"curated"}
    assert "CSTO" in set(reg.spells_frame()["org"])  # auto: COW fills organizations we lack
    assert "CSTO" not in set(curated["org"])
    with pytest.raises(InputError, match="auto, curated or cow"):
        reg.members("SCO", "2005", dataset="wiki")
