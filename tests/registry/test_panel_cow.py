"""Panels built from the imported COW tables against COW's own derived counts.

COW's state-year sums (``state_year_counts``) are reproduced row for row. COW's dyadic
counts (``dyadic_counts_ndy``) come from COW's separate dyadic file, which counts more joint
memberships than COW's own state-year table in about 35,000 dyad-years; our panel equals
the joint full memberships computed independently (with pandas, below) from that table on
every dyad-year, and so differs from the dyadic file exactly where COW's two files differ
(docs/panels.md lists the difference and its reason).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from scomodel.registry import Registry
from scomodel.registry.cow import import_cow_igo
from scomodel.registry.panel import build_panel

pytestmark = pytest.mark.slow

GOOD = Path(__file__).parent / "fixtures" / "good"
#: the dyad-years of COW's dyadic file no build from COW's tables can match, with their
#: reason (written by scripts/cow_dyadic_differences.py from COW's two files alone)
LISTED = Path(__file__).resolve().parents[2] / "docs" / "data" / "cow-dyadic-differences.csv.gz"


@pytest.fixture(scope="module")
def cow_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "shared" / "data" / "cow_igo_v3"


@pytest.fixture(scope="module")
def cow_registry(tmp_path_factory, cow_dir):
    url = f"sqlite:///{tmp_path_factory.mktemp('panelcow') / 'store.sqlite'}"
    import_cow_igo(cow_dir, url, data_dir=GOOD)
    return Registry.open(url, data_dir=GOOD)


@pytest.fixture(scope="module")
def state_table(cow_dir):
    return pd.read_csv(cow_dir / "state_year_format3.csv.gz")


def test_state_year_reproduces_cow_counts(cow_registry, cow_dir):
    panel = build_panel(cow_registry, "state-year", dataset="cow", start=1816, end=2014)
    ref = pd.read_csv(cow_dir / "state_year_counts.csv.gz")
    merged = panel.merge(ref, on=["ccode", "year"], how="outer", suffixes=("", "_cow"),
                         indicator=True)
    # the only extra rows: states the system list has on days of 1990 that COW's
    # state-year table leaves out (the two Germanys and the two Yemens, unified that year)
    extra = merged[merged["_merge"] != "both"]
    assert set(zip(extra.ccode, extra.year, extra["_merge"], strict=True)) == {
        (260, 1990, "left_only"), (265, 1990, "left_only"),
        (678, 1990, "left_only"), (680, 1990, "left_only")}
    both = merged[merged["_merge"] == "both"]
    assert len(both) == 15_557
    for column in ("sum_igo_full", "sum_igo_associate", "sum_igo_observer", "sum_igo_anytype"):
        assert (both[column].astype(int) == both[f"{column}_cow"].astype(int)).all(), column


def _script() -> Any:
    """scripts/cow_dyadic_differences.py, which counts joint memberships from COW's
    state-year table with pandas alone (no scomodel code) and lists where COW's files differ."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "cow_dyadic_differences.py"
    spec = importlib.util.spec_from_file_location("cow_dyadic_differences", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dyad_year_equals_cow_state_table_and_differs_from_dyadic_file_only_where_cow_does(
    cow_registry, cow_dir, state_table
):
    panel = build_panel(cow_registry, "dyad-year", dataset="cow", start=1816, end=2014)
    ref = pd.read_csv(cow_dir / "dyadic_counts_ndy.csv.gz")
    script = _script()
    table = script.joint_from_state_table(state_table)
    merged = ref.merge(panel, on=["ccode1", "ccode2", "year"], how="left")
    assert len(ref) == 917_695 and merged["dyadigos_y"].notna().all()
    merged = merged.merge(table, on=["ccode1", "ccode2", "year"], how="left")
    ours = merged["dyadigos_y"].astype(int)
    assert (ours == merged["state_table"]).all()
    ours_differ = ours != merged["dyadigos_x"]
    cow_differs = merged["state_table"] != merged["dyadigos_x"]
    assert (ours_differ == cow_differs).all()
    # the dyadic file never counts fewer joint memberships than COW's state-year table
    assert (merged["dyadigos_x"] >= merged["state_table"]).all()
    # the rows we cannot match, listed in docs/data, are exactly where COW's files differ
    listed = pd.read_csv(LISTED)
    assert 30_000 < len(listed) < 40_000 and len(listed) == int(cow_differs.sum())
    pd.testing.assert_frame_equal(listed, script.differences(ref, table))
    # extra panel rows: dyads of the four states unified in 1990 (see above)
    extra = panel.merge(ref, on=["ccode1", "ccode2", "year"], how="left")
    extra = extra[extra["dyadigos_y"].isna()]
    assert set(extra.year) == {1990}
    assert set(extra.ccode1) | set(extra.ccode2) >= {260, 265, 678, 680}
