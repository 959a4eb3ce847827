"""Every page runs under its Content-Security-Policy in a real browser, and says so."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from scomodel.web import PAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_runs_under_its_csp(ui: Any, server: str, page: str) -> None:
    answer = httpx.get(f"{server}/explorer/{page}")
    if answer.status_code == 404:  # a part missing from this installation
        pytest.skip(f"{page} not served")
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1] \
        .split(";")[0]
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    ui.goto(f"{server}/explorer/{page}")
    ui.wait_for_load_state("load")
    ui.wait_for_timeout(1500)  # the page's own scripts run (and would be refused here)
    refused = [e for e in ui.console_errors if "Content Security Policy" in e]
    assert not refused, refused


def test_api_docs_run_under_their_csp(ui: Any, server: str) -> None:
    ui.goto(f"{server}/docs")
    ui.wait_for_selector(".opblock", timeout=20_000)
    assert not [e for e in ui.console_errors if "Content Security Policy" in e]
