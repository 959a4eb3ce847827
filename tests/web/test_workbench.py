"""The explorer as a workbench: links that keep their state, the API's errors, the rest of
the CLI (proceedings, panels, citations), readable timelines and networks, accessibility.

Every expectation is read from the API's answer to the same question, so the tests check
that the page shows what the registry, the charter and the models say.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from scomodel.web import PAGES
from tests.web.conftest import AXE

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore")]


def _ready(ui: Any) -> None:
    ui.wait_for_selector("body[data-ready='1']", timeout=30_000)


def _error(ui: Any) -> str:
    ui.wait_for_function("() => document.getElementById('error').textContent.length > 0",
                         timeout=20_000)
    return str(ui.inner_text("#error"))


def _actors(ui: Any) -> list[str]:
    return [str(a) for a in ui.eval_on_selector_all(
        "#members tbody tr", "rows => rows.map(r => r.dataset.actor)")]


#: The issue's reproducers, and every explorer URL docs/web.md shows: each must survive a
#: reload with its state.
DOCS = Path(__file__).resolve().parents[2] / "docs" / "web.md"
RELOADED = sorted({
    "/explorer/asof?org=SCO&on=2017&status=observer",
    "/explorer/timeline?actor=IND&org=SCO",
    "/explorer/architecture?on=2008&region=central-asia&tie=member&focus=KGZ",
    "/explorer/rules?on=2009&actor=USA&status=dialogue_partner",
    "/explorer/panel?unit=org-year&orgs=SCO&from=2001&to=2003&format=csv",
    *re.findall(r"`(/explorer/[^`\s]*)`", DOCS.read_text(encoding="utf-8")),
})


def test_the_docs_show_explorer_links() -> None:
    assert sum(u.startswith("/explorer/map") for u in RELOADED) >= 2 and len(RELOADED) >= 12


@pytest.mark.parametrize("path", RELOADED)
def test_a_link_and_a_reload_keep_the_view(ui: Any, server: str, path: str) -> None:
    ui.goto(server + path)
    _ready(ui)
    assert ui.inner_text("#error") == ""
    url, main = ui.url, ui.inner_text("main")
    asked, kept = urlsplit(server + path), urlsplit(url)
    assert kept.path == asked.path  # every parameter asked for is kept (defaults may join)
    assert set(parse_qsl(asked.query)) <= set(parse_qsl(kept.query))
    ui.reload()
    _ready(ui)
    assert ui.url == url and ui.inner_text("main") == main
    assert ui.offsite == [] and ui.console_errors == []


def test_partial_dates_and_the_status_filter(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/asof?org=SCO&on=2017&status=observer")
    _ready(ui)
    expected = httpx.get(f"{server}/api/members/SCO",
                         params={"on": "2017", "status": "observer"}).json()
    assert _actors(ui) == [r["actor"] for r in expected] and expected
    assert ui.input_value("#status") == "observer"
    ui.select_option("#status", "member")  # choosing a status changes the URL
    ui.wait_for_function("() => location.search.includes('status=member')")
    members = httpx.get(f"{server}/api/members/SCO", params={"on": "2017", "status": "member"})
    ui.wait_for_function(f"() => document.querySelectorAll('#members tbody tr').length === "
                         f"{len(members.json())}")
    assert _actors(ui) == [r["actor"] for r in members.json()]
    ui.goto(f"{server}/explorer/architecture?on=2008")
    _ready(ui)
    assert ui.inner_text("#summary").startswith("2008:") and ui.inner_text("#error") == ""
    ui.goto(f"{server}/explorer/rules?on=2009")
    _ready(ui)
    rules = {r["rule"] for r in httpx.get(f"{server}/api/rules/SCO", params={"on": "2009"}).json()}
    shown = ui.eval_on_selector_all("#rules tbody tr", "rs => rs.map(r => r.dataset.rule)")
    assert set(shown) == rules and ui.inner_text("#error") == ""


@pytest.mark.parametrize(("path", "field", "value", "emptied"), [
    ("/explorer/asof?org=NOPE&on=2017", "[org]", "NOPE", "#members tbody tr"),
    ("/explorer/asof?org=SCO&on=2023-02-30", "[on]", "2023-02-30", "#members tbody tr"),
    ("/explorer/asof?org=SCO&on=2017&status=boss", "[status]", "boss", "#members tbody tr"),
    ("/explorer/timeline?actor=IND&org=NOPE", "[org]", "NOPE", "#spells tbody tr"),
    ("/explorer/architecture?on=2008&region=atlantis", "[region]", "atlantis", "#pairs tbody tr"),
])
def test_bad_links_show_the_api_error(ui: Any, server: str, path: str, field: str, value: str,
                                      emptied: str) -> None:
    ui.goto(server + path)
    _ready(ui)
    message = _error(ui)
    assert field in message and value in message
    assert ui.locator(emptied).count() == 0  # no silent fallback to another answer


def test_rules_page_clears_a_stale_verdict(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/rules?on=2009-06-01")
    _ready(ui)
    ui.wait_for_function("() => document.getElementById('verdict').textContent.length > 0")
    ui.fill("#actor", "Atlantis")
    ui.click("#check")
    assert "[actor]" in _error(ui)
    assert ui.inner_text("#verdict") == "" and ui.locator("#criteria tbody tr").count() == 0


def test_timeline_grouped_and_filtered(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/timeline?actor=IND&org=SCO")
    _ready(ui)
    only = httpx.get(f"{server}/api/timeline/IND", params={"org": "SCO"}).json()
    rows = ui.eval_on_selector_all("#spells tbody tr[data-org]", "rs => rs.map(r => r.dataset.org)")
    assert rows == ["SCO"] * len(only) and only
    ui.select_option("#org", "")  # every organization, grouped
    ui.wait_for_function("() => !location.search.includes('org=')")
    every = httpx.get(f"{server}/api/timeline/IND").json()
    ui.wait_for_function("() => document.querySelectorAll('#spells tbody tr[data-org]')"
                         f".length === {len(every)}")
    orgs = ui.eval_on_selector_all("#spells tbody tr[data-org]", "rs => rs.map(r => r.dataset.org)")
    groups = ui.eval_on_selector_all("#spells tbody tr.group", "rs => rs.length")
    assert groups == len({r["org"] for r in every}) > 1
    assert orgs == sorted(orgs, key=orgs.index)  # each organization's rows together
    # a spell that ends where its data end is marked "data end", not drawn as an exit
    cow = {**every[0], "end": "2014", "end_reason": "coverage", "dataset": "cow"}
    marks = ui.evaluate("rows => { SCO.gantt('gantt', rows, 'org', null); return "
                        "document.getElementById('gantt').data.filter(t => t.name && "
                        "t.name.startsWith('data end')).map(t => t.x.length); }", [cow, every[1]])
    assert marks == [1]


def test_network_legend_filters_and_highlight(ui: Any, server: str) -> None:
    on, region = "2008-01-01", "central-asia"
    ui.goto(f"{server}/explorer/architecture?on={on}&region={region}")
    _ready(ui)
    graph = httpx.get(f"{server}/api/network",
                      params={"on": on, "region": region, "export": "json"}).json()
    legend = ui.eval_on_selector_all("#network .legendtext", "ts => ts.map(t => t.textContent)")
    kinds = {e["status"] if e["kind"] == "membership" else e["kind"] for e in graph["edges"]}
    for kind in kinds:  # every colour and line style is named
        assert any(t.startswith(kind.replace("_", " ")) for t in legend), kind
    assert any(t.startswith("organization, ") for t in legend) and "state" in legend
    ui.select_option("#net-org", "SCO")
    members = {e["a"] for e in graph["edges"] if e["kind"] == "membership" and e["b"] == "SCO"}
    kept = [e for e in graph["edges"] if (e["b"] == "SCO" if e["kind"] == "membership"
                                          else e["a"] in members and e["b"] in members)]
    ui.wait_for_function(
        f"() => document.getElementById('network').dataset.edges === '{len(kept)}'")
    nodes = {x for e in kept for x in (e["a"], e["b"])}
    assert ui.get_attribute("#network", "data-nodes") == str(len(nodes))
    assert "tie_org=SCO" in ui.url
    ui.select_option("#focus", "KGZ")
    ties = [e for e in kept if "KGZ" in (e["a"], e["b"])]
    focus = ui.evaluate("document.getElementById('network').data.filter(t => t.meta === 'focus')"
                        ".length")
    assert focus == len(ties) > 0 and "focus=KGZ" in ui.url
    assert ui.offsite == [] and ui.console_errors == []


def test_proceeding_form_step_by_step(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/proceedings")
    _ready(ui)
    steps = ui.locator("#steps tbody tr")
    assert steps.count() == 3  # the example: letter, recommendation, decision
    ui.click("#add")
    assert steps.count() == 4
    ui.click("#steps tbody tr:nth-child(4) button")  # remove it again
    assert steps.count() == 3
    ui.click("#run")
    ui.wait_for_selector("body[data-ran='1']", timeout=30_000)
    proceeding = {"org": "SCO", "applicant": "USA", "status": "dialogue_partner",
                  "date": "2010-06-01", "steps": [
                      {"letter": {"signed_by": "foreign_minister", "addressed_to": "SG"}},
                      {"recommendation": {"body": "CMFA"}},
                      {"decision": {"body": "CHS", "objections": ["UZB"]}}]}
    out = httpx.post(f"{server}/api/proceedings", json={"proceeding": proceeding},
                     timeout=60).json()
    cells = ui.eval_on_selector_all("#answer tbody tr", "rs => rs.map(r => [...r.cells].map("
                                    "c => c.textContent))")
    assert [c[0] for c in cells] == [s["step"] for s in out["steps"]]
    assert [c[2] for c in cells] == [s["rule"] or "" for s in out["steps"]]
    refused = [c for c, s in zip(cells, out["steps"], strict=True) if not s["ok"]]
    assert refused and all(c[1] == "refused" for c in refused)  # each names its rule
    assert ui.inner_text("#verdict").endswith(
        ("granted" if out["granted"] else "refused") + f" (rulebooks in force: "
        f"{', '.join(out['rulebooks'])})")
    # the objection withdrawn: the page and the API agree again, and the URL keeps the form
    ui.fill("#steps tbody tr:nth-child(3) td:nth-child(5) input", "")
    ui.click("#run")
    ui.wait_for_selector("body[data-ran='1']", timeout=30_000)
    proceeding["steps"][2] = {"decision": {"body": "CHS"}}
    again = httpx.post(f"{server}/api/proceedings", json={"proceeding": proceeding},
                       timeout=60).json()
    assert ("granted" if again["granted"] else "refused") in ui.inner_text("#verdict")
    results = ui.eval_on_selector_all("#answer tbody tr", "rs => rs.map(r => r.dataset.ok)")
    assert results == [str(s["ok"]).lower() for s in again["steps"]]
    assert [s["ok"] for s in again["steps"]] != [s["ok"] for s in out["steps"]]
    ui.reload()
    _ready(ui)
    ui.wait_for_selector("body[data-ran='1']", timeout=30_000)
    assert ui.locator("#answer tbody tr").count() == len(again["steps"])
    # an unknown applicant: the API's error, no old answer left
    ui.fill("#applicant", "Atlantis")
    ui.click("#run")
    ui.wait_for_selector("body[data-ran='error']", timeout=30_000)
    assert "Atlantis" in ui.inner_text("#error") and ui.locator("#answer tbody tr").count() == 0


def test_panel_download_and_cite(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/panel")
    _ready(ui)
    ui.select_option("#unit", "org-year")
    ui.fill("#orgs", "SCO")
    ui.fill("#from", "2001")
    ui.fill("#to", "2005")
    with ui.expect_download() as info:
        ui.click("#download")
    path = info.value.path()
    expected = httpx.get(f"{server}/api/panel/org-year",
                         params={"orgs": "SCO", "from": "2001", "to": "2005", "format": "csv"})
    assert path is not None and path.read_bytes() == expected.content
    assert info.value.suggested_filename == "org-year.csv"
    assert ui.locator("#preview tbody tr").count() == len(expected.text.strip().splitlines()) - 1
    ui.click("#cite button")
    ui.wait_for_function("() => document.querySelector('#cite pre').textContent.length > 0")
    shown = ui.inner_text("#cite pre")
    project = httpx.get(f"{server}/api/cite").text  # scomodel and its data version
    spells = httpx.get(f"{server}/api/spells/SCO", params={"cite": 1}).text
    for entry in [*project.split("\n@"), *spells.split("\n@")]:
        assert entry.strip().lstrip("@").split("\n")[0] in shown
    ui.fill("#from", "20x1")
    ui.click("#download")
    ui.wait_for_selector("body[data-done='error']", timeout=20_000)
    assert "[from]" in ui.inner_text("#error")


def test_cite_button_on_a_result(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/asof?org=SCO&on=2005-07-06")
    _ready(ui)
    ui.click("#cite button")
    ui.wait_for_function("() => document.querySelector('#cite pre').textContent.length > 0")
    bib = httpx.get(f"{server}/api/members/SCO", params={"on": "2005-07-06", "cite": 1}).text
    assert ui.inner_text("#cite pre").strip() == bib.strip()
    assert "masuda2011" in bib  # the Astana observers' source (masuda2011 §2(1), fn 24)


def test_veto_view_warns_of_uncoded_members(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/scenarios?scenario=india-pakistan-2017&model=veto")
    _ready(ui)
    assert ui.input_value("#model") == "veto"
    ui.click("#run")
    ui.wait_for_selector("body[data-ran='1']", timeout=60_000)
    out = httpx.post(f"{server}/api/bargain", json={
        "scenario": "india-pakistan-2017", "issue": ui.input_value("#issue"), "model": "veto",
        "members": "SCO-6,SCO-8,SCO-10"}, timeout=60).json()
    for m in out["memberships"]:
        cell = ui.inner_text(f"#memberships tr[data-members='{m['members']}'] td.warning")
        if m["uncoded"]:
            assert all(a in cell for a in m["uncoded"])
            assert f"{m['n']} of {m['n'] + len(m['uncoded'])}" in cell
        else:
            assert cell == ""
    assert any(m["uncoded"] for m in out["memberships"])  # SCO-10: Iran and Belarus


def test_accessibility_of_every_page(ui: Any, server: str) -> None:
    """axe-core (installed by ``make axe``) finds no serious or critical violation."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make axe` installs axe-core from the npm registry")
    parts = httpx.get(f"{server}/api/parts").json()
    found = {}
    for slug, (_, part) in PAGES.items():
        if part not in parts:
            continue
        ui.goto(f"{server}/explorer/{slug}")
        _ready(ui)
        ui.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the CSP refuses those
        found[slug] = ui.evaluate(
            "async () => (await axe.run(document)).violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3)}`)")
    assert len(found) >= 7
    assert {slug: v for slug, v in found.items() if v} == {}
