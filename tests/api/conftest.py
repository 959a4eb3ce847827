"""A TestClient on the hand-checked fixture data, with a token and no read caching."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2, not installed here
    from fastapi.testclient import TestClient

from scomodel.api import Settings, create_app

TOKEN = "test-token-5b1f"


@pytest.fixture
def fixture_env(monkeypatch: pytest.MonkeyPatch, good_data: Path, sqlite_url: str) -> str:
    """CLI and API read the same store and the same data folder."""
    monkeypatch.setenv("SCOMODEL_DATA", str(good_data))
    monkeypatch.setenv("SCOMODEL_DB", sqlite_url)
    return sqlite_url


def make_client(db: str, data_dir: Path | None, token: str | None = TOKEN) -> TestClient:
    settings = Settings(token=token, db=db, data_dir=str(data_dir) if data_dir else None,
                        refresh_seconds=0.0)
    return TestClient(create_app(settings), raise_server_exceptions=False)


@pytest.fixture
def client(fixture_env: str, good_data: Path) -> Iterator[TestClient]:
    with make_client(fixture_env, good_data) as c:
        yield c


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="session")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One store of the package's data for the whole run (building it takes a second).

    Tests on it write only to what-if copies, never to the curated history.
    """
    return f"sqlite:///{tmp_path_factory.mktemp('real') / 'store.sqlite'}"


@pytest.fixture
def real_client(monkeypatch: pytest.MonkeyPatch, real_store: str) -> Iterator[TestClient]:
    """The package's own data (the architecture reads it, in the CLI as in the API)."""
    monkeypatch.delenv("SCOMODEL_DATA", raising=False)
    monkeypatch.setenv("SCOMODEL_DB", real_store)
    with make_client(real_store, None) as c:
        yield c
