"""A COW import refuses what is incomplete or altered, and leaves the store as it was."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest

from scomodel.errors import InputError
from scomodel.registry import Registry
from scomodel.registry.cow import import_cow_igo

COW_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "cow_igo_v3"
GOOD = Path(__file__).resolve().parents[1] / "registry" / "fixtures" / "good"


def _tiny(directory: Path, igo_value: int = 1) -> Path:
    states = {"china": 710, "kazakhstan": 705}
    igo = pd.DataFrame([{"ioname": "SCO", "orgname": "SCO", "year": y, "sdate": 2001,
                         "china": igo_value, "kazakhstan": 1} for y in range(2001, 2005)])
    system = pd.DataFrame([{"ccode": c, "year": y, "state": s, "sco": 1}
                           for s, c in states.items() for y in range(2001, 2005)])
    directory.mkdir(parents=True, exist_ok=True)
    igo.to_csv(directory / "igo_year_format3.csv", index=False)
    system.to_csv(directory / "state_year_format3.csv", index=False)
    return directory


def _cow_spells(url: str) -> int:
    return len(Registry.open(url, data_dir=GOOD, refresh=True).spells(dataset="cow"))


@pytest.fixture
def url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    summary = import_cow_igo(_tiny(tmp_path / "ok"), url, data_dir=GOOD)
    assert summary["checked"] == "plain CSV: counts not checked"
    return url


def test_plain_csv_cut_mid_row_is_refused_and_the_store_kept(tmp_path, url):
    before = _cow_spells(url)
    bad = _tiny(tmp_path / "cut")
    text = (bad / "igo_year_format3.csv").read_text()
    (bad / "igo_year_format3.csv").write_text(text[: len(text) - 7])
    with pytest.raises(InputError, match="middle of a row"):
        import_cow_igo(bad, url, data_dir=GOOD)
    assert _cow_spells(url) == before


@pytest.mark.parametrize("code", [7, 1e309])
def test_unknown_status_codes_are_refused(tmp_path, url, code):
    bad = _tiny(tmp_path / "codes", igo_value=code)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown COW status code"):
        import_cow_igo(bad, url, data_dir=GOOD)


@pytest.mark.skipif(not COW_DIR.exists(), reason="COW IGO v3 not available")
def test_truncated_or_altered_gzip_is_refused(tmp_path, url):
    cut = tmp_path / "gzcut"
    cut.mkdir()
    shutil.copy(COW_DIR / "state_year_format3.csv.gz", cut)
    raw = (COW_DIR / "igo_year_format3.csv.gz").read_bytes()
    (cut / "igo_year_format3.csv.gz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError, match="truncated or corrupt gzip"):
        import_cow_igo(cut, url, data_dir=GOOD)
    altered = tmp_path / "gzalt"
    altered.mkdir()
    shutil.copy(COW_DIR / "state_year_format3.csv.gz", altered)
    with gzip.open(COW_DIR / "igo_year_format3.csv.gz", "rt") as fh:
        lines = fh.read().splitlines(keepends=True)
    with gzip.open(altered / "igo_year_format3.csv.gz", "wt") as fh:
        fh.writelines(lines[:-100])  # whole rows dropped: still valid gzip and CSV
    with pytest.raises(InputError, match="SHA-256 differs"):
        import_cow_igo(altered, url, data_dir=GOOD)
    assert _cow_spells(url) > 0
