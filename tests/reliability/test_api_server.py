"""Issue 11: ``scomodel serve``'s uvicorn settings on a real server on a loopback port:
a request head that never completes is closed, an oversized head is refused, and the
server keeps answering. Bounded: every socket has a timeout, the server stops itself."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from scomodel.api import Settings, create_app
from scomodel.api.server import HeaderTimeoutH11, HeaderTimeoutHttpTools, server_settings

pytestmark = pytest.mark.filterwarnings("ignore")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=["httptools", "h11"])
def server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, good_data: Path,
           sqlite_url: str) -> Iterator[int]:
    """``scomodel serve``'s settings, with each of its two protocol classes."""
    monkeypatch.setenv("SCOMODEL_API_HEADER_TIMEOUT", "1")
    app = create_app(Settings(db=sqlite_url, data_dir=str(good_data)))
    port = _free_port()
    protocol = HeaderTimeoutHttpTools if request.param == "httptools" else HeaderTimeoutH11
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            **{**server_settings(), "limit_concurrency": 20,
                               "http": protocol})
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield port
    srv.should_exit = True
    thread.join(timeout=10)


def _closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed ``sock`` (None: still open after ``seconds``)."""
    start = time.monotonic()
    sock.settimeout(seconds)
    try:
        while True:
            if sock.recv(4096) == b"":
                return time.monotonic() - start
    except TimeoutError:
        return None
    except ConnectionResetError:
        return time.monotonic() - start


def test_half_a_request_line_is_closed_after_the_header_timeout(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=5) as sock:
        sock.sendall(b"GET /api/members/SCO?on=20")
        took = _closed_within(sock, 6.0)
    assert took is not None and took < 4.0, took
    # a silent connection is closed too, and the server still answers
    with socket.create_connection(("127.0.0.1", server), timeout=5) as sock:
        assert _closed_within(sock, 6.0) is not None
    answer = httpx.get(f"http://127.0.0.1:{server}/api/members/SCO", params={"on": "2005"})
    assert answer.status_code == 200


def test_a_slow_head_after_a_keep_alive_answer_is_closed(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=5) as sock:
        sock.sendall(b"GET /api/parts HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b"200 OK" in sock.recv(65536)
        sock.sendall(b"GET /api/parts HTTP/1.1\r\nHost: x\r\n")  # never finished
        took = _closed_within(sock, 6.0)
    assert took is not None and took < 4.0, took


def test_a_huge_head_is_refused(server: int) -> None:
    big = {"X-Big": "a" * 1_000_000}
    try:
        response = httpx.get(f"http://127.0.0.1:{server}/api/parts", headers=big, timeout=10)
        assert response.status_code in (400, 431)
    except httpx.TransportError:
        pass  # refused by closing the connection: equally a refusal
    # a POST whose body follows its head in the same packets is not a big head
    body = b'{"proceeding": {"a": "' + b"x" * 100_000 + b'"}}'
    response = httpx.post(f"http://127.0.0.1:{server}/api/proceedings", content=body,
                          headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code in (400, 422), response.text
    many = {f"x-h{k}": "1" for k in range(150)}
    response = httpx.get(f"http://127.0.0.1:{server}/api/parts", headers=many, timeout=10)
    assert response.status_code == 431
    assert httpx.get(f"http://127.0.0.1:{server}/api/parts").status_code == 200
