"""Issue 11, the API against its own OpenAPI schema (schemathesis, in-process on the ASGI
app): no request draws a 5xx, and a write answered 4xx stores nothing.

Examples per operation are kept small (CI time); every GET and every write operation of
the schema is covered, the writes with the token set so they pass authentication.
"""

from __future__ import annotations

import sqlite3
import tempfile
import warnings
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from scomodel.api import Settings, create_app
from scomodel.registry import Registry
from tests.reliability.faults import forget_engines

GOOD = Path(__file__).resolve().parents[1] / "registry" / "fixtures" / "good"
TOKEN = "schema-token-7c2e"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TRIED: dict[str, int] = {"requests": 0, "writes stored": 0, "writes refused": 0}


def _app(tmp_path: Path) -> Any:
    path = tmp_path / "store.sqlite"
    Registry.open(f"sqlite:///{path}", whatif="w", data_dir=GOOD)
    forget_engines()
    settings_ = Settings(token=TOKEN, db=f"sqlite:///{path}", data_dir=str(GOOD),
                         refresh_seconds=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return create_app(settings_), path


# the schema is read at collection time (schemathesis' fixture loader does not work
# with this pytest), so the app and its store live in one temporary folder per run
_DIR = Path(tempfile.mkdtemp(prefix="scomodel-schemathesis-"))
APP, STORE = _app(_DIR)
reads = schemathesis.openapi.from_asgi("/openapi.json", APP).include(method="GET")
writes = schemathesis.openapi.from_asgi("/openapi.json", APP).include(
    method=["POST", "PUT", "PATCH", "DELETE"])
for _schema in (reads, writes):  # schemathesis' own setting wins over hypothesis'
    _schema.config.generation.update(max_examples=3, deterministic=True)
FAST = settings(max_examples=3, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def _stored(path: Path) -> int:
    """Rows in what-if copies (spells and facts): what a write adds."""
    with sqlite3.connect(str(path), timeout=60) as conn:
        return sum(conn.execute(f"SELECT count(*) FROM {t} WHERE dataset LIKE 'whatif:%'")
                   .fetchone()[0] for t in ("spells", "facts"))


@reads.parametrize()
@FAST
@pytest.mark.slow
def test_no_read_draws_a_server_error(case: Any) -> None:
    response = case.call()
    TRIED["requests"] += 1
    assert response.status_code < 500, (case.as_curl_command(), response.text[:300])


@writes.parametrize()
@FAST
@pytest.mark.slow
def test_a_refused_write_stores_nothing(case: Any) -> None:
    before = _stored(STORE)
    response = case.call(headers=AUTH)
    TRIED["requests"] += 1
    assert response.status_code < 500, (case.as_curl_command(), response.text[:300])
    if 400 <= response.status_code < 500:
        assert _stored(STORE) == before, (case.as_curl_command(), response.status_code)
        TRIED["writes refused"] += 1
    elif response.status_code in (200, 201) and _stored(STORE) > before:
        TRIED["writes stored"] += 1


def test_zz_counts() -> None:
    """A valid write does add a row (so "nothing stored" above can fail); then print
    what was tried (this runs after the generated tests in this file)."""
    import json

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette asks for httpx2, not installed here
        from fastapi.testclient import TestClient

    spell = {"actor": "USA", "status": "observer", "start": "2031-06-15",
             "sources": [{"source": "masuda2011", "judgement": True}]}
    before = _stored(STORE)
    with TestClient(APP) as client:
        response = client.post("/api/spells", content=json.dumps(
            {"registry": "w", "org": "SCO", "spell": spell}),
            headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 201, response.text
    assert _stored(STORE) == before + 1
    print(f"schemathesis requests: {TRIED['requests']}, writes refused (4xx, nothing "
          f"stored): {TRIED['writes refused']}, writes stored: {TRIED['writes stored']}, "
          "5xx: 0")
