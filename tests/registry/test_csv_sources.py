"""Every row of every CSV the package ships names a source the registry knows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scomodel.registry import Registry

DATA = Path(__file__).resolve().parents[2] / "src" / "scomodel" / "data"


@pytest.mark.parametrize("path", sorted(DATA.rglob("*.csv")), ids=lambda p: p.name)
def test_csv_rows_cite_known_sources(path: Path) -> None:
    known = {s["key"] for s in Registry.open().sources()}
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and "source" in rows[0], f"{path.name} has no source column"
    assert {r["source"] for r in rows} <= known


def test_a_figure_with_a_format_matplotlib_lacks_is_one_line(tmp_path: Path) -> None:
    from tests.clirun import invoke

    result = invoke("timeline", "IND", "--org", "SCO", "--plot", str(tmp_path / "x.txt"))
    assert result.code == 2 and "plot" in result.error and "\n" not in result.error.strip()
