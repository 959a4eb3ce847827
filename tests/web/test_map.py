"""The map page in a real browser: every colour read off the SVG is the registry's answer.

Nothing is typed in from memory: each expectation is the API's ``/api/members`` answer for
the same organization and day (the registry the CLI reads), turned into colours with
``/api/statuses``. The days are the issue's: India an acceding observer on 2016-06-01 and
a member on 2017-06-10; Iran a member from 2023-07-04 and Belarus from 2024-07-04.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore")]


def _registry(server: str, org: str, on: str) -> dict[str, dict[str, Any]]:
    """Per state: the standing status and the procedures beside it, from the API."""
    orgs = {o["code"] for o in httpx.get(f"{server}/api/organizations").json()}
    out: dict[str, dict[str, Any]] = {}
    for r in httpx.get(f"{server}/api/members/{org}", params={"on": on}).json():
        if r["actor"] in orgs:
            continue
        cell = out.setdefault(r["actor"], {"status": None, "procedures": []})
        if r["kind"] == "standing":
            cell["status"] = r["status"]
        else:
            cell["procedures"].append(r["status"])
    return out


def _shown(ui: Any, org: str | None = None) -> dict[str, dict[str, str]]:
    scope = f"figure[data-org='{org}'] " if org else ""
    return {str(k): v for k, v in ui.eval_on_selector_all(
        f"{scope}path.state[data-iso3]",
        "ps => Object.fromEntries(ps.map(p => [p.dataset.iso3, {fill: p.getAttribute('fill'),"
        " status: p.dataset.status, procedures: p.dataset.procedures}]))").items()}


def _drawn(ui: Any, day: str) -> None:
    ui.wait_for_selector(f"body[data-drawn='{day}']", timeout=20_000)


def test_map_colours_are_the_registry_on_three_days(ui: Any, server: str) -> None:
    colours = {s["status"]: s["colour"] for s in httpx.get(f"{server}/api/statuses").json()}
    world = httpx.get(f"{server}/vendor/world-110m.json").json()
    ui.goto(f"{server}/explorer/map?org=SCO&on=2017-06-10")
    _drawn(ui, "2017-06-10")
    # the done-when day: eight members, four observers, six dialogue partners (per registry)
    expected = _registry(server, "SCO", "2017-06-10")
    shown = _shown(ui)
    counts = Counter(c["status"] for a, c in expected.items() if a in shown)
    assert Counter(c["status"] for c in shown.values() if c["status"]) == counts
    caption = ui.inner_text("figure[data-org='SCO'] figcaption")
    for status, n in counts.items():
        assert f"{n} {status.replace('_', ' ')}" in caption
    assert counts["member"] >= 8 and counts["observer"] >= 1  # the registry's own answer
    for day in ("2017-06-10", "2016-06-01", "2024-07-05"):
        if day != "2017-06-10":
            ui.fill("#on", day)
            _drawn(ui, day)
            shown = _shown(ui)
        expected = _registry(server, "SCO", day)
        for state in ("IND", "IRN", "BLR"):
            status = expected.get(state, {}).get("status")
            fill = colours[status] if status else world["no_status"]
            assert shown[state]["fill"] == fill, (day, state)
            assert shown[state]["status"] == (status or "")
            assert shown[state]["procedures"] == ",".join(
                expected.get(state, {}).get("procedures", []))
        if day == "2016-06-01":  # an acceding observer: the observer colour, hatched
            assert expected["IND"] == {"status": "observer", "procedures": ["acceding"]}
            assert ui.is_visible("path.mark[data-iso3='IND']")
            assert not ui.is_visible("path.mark[data-iso3='MNG']")
            assert "acceding (hatched" in ui.inner_text("#legend")
        if day == "2017-06-10":
            assert expected["IND"]["status"] == "member"
    assert ui.url.endswith("?org=SCO&on=2024-07-05")
    # the legend names every colour on the map
    legend = ui.inner_text("#legend")
    for status in {c["status"] for c in shown.values() if c["status"]}:
        assert status.replace("_", " ") in legend
    assert ui.offsite == [] and ui.console_errors == []


def test_slider_and_play_move_through_the_history(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/map?org=SCO&on=2005-07-06")
    _drawn(ui, "2005-07-06")
    spells = httpx.get(f"{server}/api/spells/SCO").json()
    first = min(s["start"] for s in spells)
    assert ui.get_attribute("#slider", "min") == "0"
    assert first in ui.inner_text("label[for='slider']")
    # the slider to its start: the founding day, the founders only
    ui.eval_on_selector("#slider", "s => { s.value = '0'; s.dispatchEvent(new Event('input')); }")
    day = first if len(first) == 10 else f"{first}-01-01"[:10]
    _drawn(ui, day)
    members = [a for a, c in _registry(server, "SCO", day).items() if c["status"] == "member"]
    assert sorted(a for a, c in _shown(ui).items() if c["status"] == "member") == sorted(members)
    assert ui.url.endswith(f"on={day}")
    # play: the page steps to the next day the registry changes on
    ui.click("#play")
    changes = sorted({s["start"] for s in spells if s["start"] > day} |
                     {s["end"] for s in spells if s["end"] and s["end"] > day})
    ui.wait_for_selector(f"body[data-drawn='{changes[0]}']", timeout=20_000)
    ui.click("#play")  # pause
    ui.wait_for_function(
        "() => document.getElementById('play').getAttribute('aria-pressed') === 'false'",
        timeout=20_000)
    assert ui.offsite == [] and ui.console_errors == []


def test_small_multiples_hover_and_click(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/map?orgs=SCO,CSTO,EAEU,CIS&on=2024-07-05")
    _drawn(ui, "2024-07-05")
    assert ui.eval_on_selector_all("figure.map", "fs => fs.map(f => f.dataset.org)") == [
        "SCO", "CSTO", "EAEU", "CIS"]
    for org in ("CSTO", "EAEU", "CIS"):
        expected = _registry(server, org, "2024-07-05")
        shown = _shown(ui, org)
        assert {a: c["status"] for a, c in shown.items() if c["status"]} == {
            a: c["status"] for a, c in expected.items() if c["status"] and a in shown}
    # hover: status and source; click: the state's timeline in that organization
    ui.hover("figure[data-org='SCO'] path.state[data-iso3='IND']")
    info = ui.inner_text("#info")
    row = next(r for r in httpx.get(f"{server}/api/members/SCO", params={
        "on": "2024-07-05"}).json() if r["actor"] == "IND")
    assert "India" in info and row["status"] in info and row["sources"][0]["source"] in info
    ui.click("figure[data-org='SCO'] path.state[data-iso3='IND']")
    ui.wait_for_url("**/explorer/timeline?actor=IND&org=SCO", timeout=20_000)
    ui.wait_for_selector("body[data-ready='1']", timeout=20_000)
    orgs = set(ui.eval_on_selector_all("#spells tbody tr[data-org]",
                                       "rs => rs.map(r => r.dataset.org)"))
    assert orgs == {"SCO"}
    assert ui.offsite == [] and ui.console_errors == []


def test_map_errors_name_the_field(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/map?org=NOPE&on=2017")
    ui.wait_for_selector("body[data-ready='1']", timeout=20_000)
    assert "[org]" in ui.inner_text("#error") and "NOPE" in ui.inner_text("#error")
    assert ui.input_value("#org") == "NOPE" and ui.locator("figure.map").count() == 0
    ui.select_option("#org", "SCO")
    _drawn(ui, "2017")  # a year, as the CLI reads it
    assert ui.inner_text("#error") == ""
    ui.fill("#on", "2023-02-30")
    ui.wait_for_selector("body[data-drawn='error']", timeout=20_000)
    assert "[on]" in ui.inner_text("#error") and ui.locator("#cells tbody tr").count() == 0
