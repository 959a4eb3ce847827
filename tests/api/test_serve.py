"""``scomodel serve`` starts uvicorn on the given loopback port and answers the API."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.filterwarnings("ignore")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_and_stops(good_data: Path, sqlite_url: str) -> None:
    port = _free_port()
    env = {**os.environ, "SCOMODEL_DATA": str(good_data), "SCOMODEL_DB": sqlite_url,
           "SCOMODEL_TOKEN": "serve-token"}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from scomodel.cli import main; main()", "serve", "--port",
         str(port)], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/members/SCO",
                                     params={"on": "2005-07-06", "status": "observer"})
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "scomodel serve did not start"
                time.sleep(0.2)
        assert [r["actor"] for r in response.json()] == ["IND", "MNG"]
        # the token comes from SCOMODEL_TOKEN
        fact = {"registry": "s", "fact": {"id": "x", "kind": "event", "about": ["SCO"],
                                          "title": "t", "sources": [{"source": "zhao2004"}]}}
        url = f"http://127.0.0.1:{port}/api/facts"
        assert httpx.post(url, json=fact).status_code == 401
        assert httpx.post(url, json=fact, headers={
            "Authorization": "Bearer serve-token"}).status_code == 201
        docs = httpx.get(f"http://127.0.0.1:{port}/docs").text
        assert "/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    assert proc.stderr is not None
    assert f"http://127.0.0.1:{port}/docs" in proc.stderr.read()
