"""COW IGO v3 queries (``compare cow-igo``, ``export cow-igo``) as the CLI answers them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scomodel.cli import app
from scomodel.registry.cow import import_cow_igo
from tests.api.conftest import make_client

pytestmark = pytest.mark.filterwarnings("ignore")
COW_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "cow_igo_v3"
GOOD = Path(__file__).resolve().parents[1] / "registry" / "fixtures" / "good"


@pytest.fixture(scope="module")
def cow_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not COW_DIR.exists():
        pytest.skip(f"COW IGO v3 is not at {COW_DIR}")
    url = f"sqlite:///{tmp_path_factory.mktemp('cow') / 'store.sqlite'}"
    import_cow_igo(COW_DIR, url, data_dir=GOOD)
    return url


@pytest.fixture
def cow_client(monkeypatch: pytest.MonkeyPatch, cow_url: str) -> Iterator[Any]:
    monkeypatch.setenv("SCOMODEL_DB", cow_url)
    monkeypatch.setenv("SCOMODEL_DATA", str(GOOD))
    with make_client(cow_url, GOOD) as c:
        yield c


def test_compare_is_the_clis(cow_client: Any) -> None:
    result = CliRunner().invoke(app, ["compare", "cow-igo", "--org", "SCO", "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = cow_client.get("/api/compare/cow-igo", params={"org": "SCO"})
    assert answer.status_code == 200
    assert answer.json() == json.loads(result.stdout) != []


@pytest.mark.parametrize("args", [
    ["--org", "SCO"], ["--org", "SCO", "--dataset", "cow", "--layout", "igo-year"]])
def test_export_is_the_clis(cow_client: Any, args: list[str]) -> None:
    result = CliRunner().invoke(app, ["export", "cow-igo", *args])
    assert result.exit_code == 0, result.output
    params = dict(zip([a.lstrip("-") for a in args[::2]], args[1::2], strict=True))
    answer = cow_client.get("/api/export/cow-igo", params=params)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.text.rstrip("\n") == result.stdout.rstrip("\n")


def test_without_cow_in_the_store_the_field_is_named(client: Any) -> None:
    answer = client.get("/api/compare/cow-igo", params={"org": "SCO"})
    assert (answer.status_code, answer.json()["field"]) == (400, "dataset")
