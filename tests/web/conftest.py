"""A live server (uvicorn on 127.0.0.1, in a thread) and Debian's chromium via Playwright."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
#: axe-core as `make axe` installs it (the accessibility scan injects it into each page)
AXE = Path(__file__).resolve().parents[2] / ".node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` on a free loopback port until the block ends; yields its base URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing (make system-deps installs Debian's chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The package's own data on a fresh SQLite store (one server for every browser test:
    building the store is most of a module's setup)."""
    from scomodel.api import Settings, create_app

    db = tmp_path_factory.mktemp("web") / "store.sqlite"
    settings = Settings(token="web-token", db=str(db), data_dir=None)
    with live_server(create_app(settings)) as url:
        # build the store, the architecture and the map's shapes once, before any page
        # waits on them (on a loaded machine the first build outlasts a page's timeout)
        import httpx

        for path, params in [("/api/members/SCO", {"on": "2001"}),
                             ("/api/overlap", {"on": "2008"}), ("/vendor/world-110m.json", {})]:
            httpx.get(url + path, params=params, timeout=600)
        yield url


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """Named apart from pytest-playwright's ``browser``: this one is Debian's chromium."""
    with chromium() as b:
        yield b


@pytest.fixture
def ui(chromium_browser: Any, server: str) -> Iterator[Any]:
    """A page that refuses every request off the loopback server (the explorer is offline)."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.offsite = []  # requests the page tried to send elsewhere
    page.console_errors = []

    def route(r: Any) -> None:
        if r.request.url.startswith(server):
            r.continue_()
        else:
            page.offsite.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()
