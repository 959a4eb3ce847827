"""Malformed input on every endpoint of the OpenAPI schema: 4xx answers only, never a 500.

The endpoints are read from ``/openapi.json`` so a new route is fuzzed without editing
this file; each draws junk for its path segments and query parameters (and bodies for the
writes) and must answer below 500 with problem+json on every refusal.
"""

from __future__ import annotations

import json
import os
import string
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.filterwarnings("ignore")

#: examples per test; SCOMODEL_FUZZ_EXAMPLES=200 for a longer run (docs/benchmarks.md)
SCALE = int(os.environ.get("SCOMODEL_FUZZ_EXAMPLES", "0") or 0)

JUNK = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=string.digits + "-", min_size=1, max_size=12),  # date-like
    st.sampled_from(["", " ", "0000-00-00", "2005-02-30", "9999-12-31", "-1", "1e309", "NaN",
                     "SCO", "sco", "../..", "%00", "\x00", "' OR 1=1 --", "2005-07-06T00:00",
                     "ＳＣＯ", "x" * 500, "2005-07-06" * 5, "１９９９"]),
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


def _operations(client: Any, method: str) -> list[tuple[str, list[str], list[str]]]:
    spec = client.get("/openapi.json").json()
    ops = []
    for path, item in sorted(spec["paths"].items()):
        if method not in item:
            continue
        params = item[method].get("parameters", [])
        ops.append((path, [p["name"] for p in params if p["in"] == "path"],
                    [p["name"] for p in params if p["in"] == "query"]))
    return ops


def _check(response: Any) -> None:
    assert response.status_code < 500, (response.request.url, response.text)
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == response.status_code and "Traceback" not in response.text


def test_every_get_endpoint_survives_junk(real_client: Any) -> None:
    client = real_client  # the package's data: the architecture reads it too
    operations = _operations(client, "get")
    assert len(operations) >= 15  # the registry's and the architecture's queries at least

    @settings(max_examples=SCALE or 12, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        for path, path_params, query_params in operations:
            url = path
            for name in path_params:
                url = url.replace("{" + name + "}", quote(data.draw(JUNK), safe="") or "x")
            query = {n: data.draw(JUNK) for n in query_params if data.draw(st.booleans())}
            _check(client.get(url, params=query))

    fuzz()


BODY_KEYS = ["registry", "fact", "spell", "org", "proceeding", "into", "scenario", "model",
             "issue", "runs", "seed", "reading", "options", "rounds", "members", "rule", "id",
             "kind", "about", "date", "title", "sources", "actor", "status", "start", "steps",
             "applicant"]


@pytest.fixture
def small_client(monkeypatch: pytest.MonkeyPatch, real_store: str) -> Any:
    """The package's data, with small run limits so junk cannot start long jobs."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from scomodel.api import Settings, create_app
    from tests.api.conftest import TOKEN

    monkeypatch.delenv("SCOMODEL_DATA", raising=False)
    monkeypatch.setenv("SCOMODEL_DB", real_store)
    settings = Settings(token=TOKEN, db=real_store, refresh_seconds=0.0, max_runs=40,
                        job_threshold_runs=10)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def test_every_write_survives_junk(small_client: Any, auth: dict[str, str]) -> None:
    client = small_client
    posts = [p for p, _, _ in _operations(client, "post")]
    assert {"/api/facts", "/api/spells", "/api/proceedings", "/api/bargain"} <= set(posts)
    deletes = [p for p, _, _ in _operations(client, "delete")]

    @settings(max_examples=SCALE or 15, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(body=JSON, shaped=st.dictionaries(st.sampled_from(BODY_KEYS), JSON | JUNK,
                                             max_size=8),
           inner=st.dictionaries(st.sampled_from(BODY_KEYS), JSON | JUNK, max_size=8),
           name=JUNK)
    def fuzz(body: Any, shaped: dict[str, Any], inner: dict[str, Any], name: str) -> None:
        payloads = (body, shaped, {"registry": name, "fact": inner},
                    {"registry": name, "org": name, "spell": inner},
                    {"proceeding": inner}, {"scenario": "astana-2005-bases", **shaped})
        for payload in payloads:
            for path in posts:
                _check(client.post(path, content=json.dumps(payload), headers={
                    **auth, "Content-Type": "application/json"}))
        for path in deletes:
            _check(client.delete(path.replace("{name}", quote(name, safe="") or "x"),
                                 headers=auth))

    fuzz()
