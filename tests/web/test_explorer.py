"""The explorer in a real browser: load each page, use the date control, read what it shows.

Expectations are hand-checked against the curated CSTO file (src/scomodel/data/spells/
csto.yaml): on 2005-07-06 its members are Armenia, Belarus, Kazakhstan, Kyrgyzstan,
Russia and Tajikistan; Uzbekistan, which left in 1999, is back from 2006-06-23.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore")]

CSTO_2005 = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]


def _ready(ui: Any) -> None:
    ui.wait_for_selector("body[data-ready='1']", timeout=20_000)


def _actors(ui: Any) -> list[str]:
    return [str(a) for a in ui.eval_on_selector_all(
        "#members tbody tr", "rows => rows.map(r => r.dataset.actor)")]


def test_as_of_page_and_its_date_control(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/asof?org=CSTO&on=2005-07-06")
    _ready(ui)
    assert ui.input_value("#org") == "CSTO"
    assert _actors(ui) == CSTO_2005
    assert "6 member" in ui.inner_text("#summary")
    ui.fill("#on", "2008-01-01")  # the date control: Uzbekistan is back
    ui.wait_for_function("() => document.querySelectorAll('#members tbody tr').length === 7")
    assert _actors(ui) == sorted([*CSTO_2005, "UZB"])
    assert ui.url.endswith("?org=CSTO&on=2008-01-01")
    # the Gantt draws one bar per CSTO spell, the same spells the API gives
    spells = httpx.get(f"{server}/api/spells/CSTO").json()
    bars = ui.locator("#gantt .barlayer .point").count()
    assert bars == len(spells) > 10
    # sources are shown with their locators
    assert "wiki-csto-2006 para 1" in ui.inner_text("#members tbody tr:first-child")
    assert ui.offsite == [] and ui.console_errors == []


def test_status_filter(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/asof?org=CSTO&on=2013-01-01")
    _ready(ui)
    ui.select_option("#status", "suspended")
    ui.wait_for_function("() => document.querySelectorAll('#members tbody tr').length === 1")
    assert _actors(ui) == ["UZB"]


def test_timeline_of_an_actor(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/timeline?actor=UZB")
    _ready(ui)
    expected = httpx.get(f"{server}/api/timeline/UZB").json()
    rows = ui.locator("#spells tbody tr[data-org]")  # without the organizations' headings
    assert rows.count() == len(expected) > 3
    # grouped by organization (all curated here: alphabetical), oldest first within each
    grouped = sorted(expected, key=lambda r: r["org"])
    first = rows.nth(0).inner_text().split("\t")
    assert first[:4] == [grouped[0]["org"], "UZB", grouped[0]["status"].replace("_", " "),
                         grouped[0]["start"]]
    assert ui.locator("#gantt .barlayer .point").count() == len(expected)
    # an unknown actor is reported with the field at fault, not a blank ui
    ui.fill("#actor", "Atlantis")
    ui.click("#go")
    ui.wait_for_function("() => document.getElementById('error').textContent.length > 0")
    assert "[actor]" in ui.inner_text("#error") and "Atlantis" in ui.inner_text("#error")
    assert ui.offsite == []


def test_architecture_page(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/architecture?on=2008-01-01&region=central-asia")
    _ready(ui)
    pairs = httpx.get(f"{server}/api/overlap",
                      params={"on": "2008-01-01", "region": "central-asia"}).json()
    shared = [p for p in pairs if p["n_shared"] > 0]
    assert ui.locator("#pairs tbody tr").count() == len(shared) > 0
    assert ui.locator("#heatmap .heatmaplayer").count() == 1
    assert ui.locator("#network .scatterlayer .point").count() > 5
    before = ui.inner_text("#summary")
    ui.fill("#on", "1995-01-01")
    ui.wait_for_function(f"() => document.getElementById('summary').textContent !== {before!r}")
    assert ui.inner_text("#summary").startswith("1995-01-01:")
    assert ui.offsite == [] and ui.console_errors == []


def test_missing_parts_have_no_pages(ui: Any, server: str) -> None:
    parts = httpx.get(f"{server}/api/parts").json()
    ui.goto(f"{server}/explorer/asof")
    _ready(ui)
    links = ui.eval_on_selector_all("header nav a", "as => as.map(a => a.textContent)")
    assert ("Rules in force" in links) == ("charter" in parts)
    assert ("Scenarios" in links) == ("bargaining" in parts)
    assert links[:4] == ["As of a date", "Timeline", "Map", "Architecture"]


def _rule_ids(ui: Any) -> list[str]:
    return [str(r) for r in ui.eval_on_selector_all(
        "#rules tbody tr", "rows => rows.map(r => r.dataset.rule)")]


def test_rules_page_follows_the_date(ui: Any, server: str) -> None:
    if "charter" not in httpx.get(f"{server}/api/parts").json():
        pytest.fail("the charter part is installed but its router was not included")
    ui.goto(f"{server}/explorer/rules?on=2009-01-01")
    _ready(ui)
    expected = {r["rule"] for r in httpx.get(f"{server}/api/rules/SCO",
                                             params={"on": "2009-01-01"}).json()}
    shown = _rule_ids(ui)
    assert len(shown) == len(set(shown)) and set(shown) == expected and len(expected) > 10
    assert "Dialogue Partner Regulations" in ui.inner_text("#books")
    assert "Admission" not in ui.inner_text("#books")
    # the 2010 admission regulations appear once the date passes their entry into force
    ui.fill("#on", "2012-01-01")
    ui.wait_for_function(
        "() => document.getElementById('books').textContent.includes('2012-01-01')")
    later = {r["rule"] for r in httpx.get(f"{server}/api/rules/SCO",
                                          params={"on": "2012-01-01"}).json()}
    ui.wait_for_function(
        f"() => document.querySelectorAll('#rules tbody tr').length === {len(later)}")
    assert set(_rule_ids(ui)) == later and len(later) > len(expected)
    assert "ADMISSION2010" in ui.inner_text("#books")
    machine = httpx.get(f"{server}/api/rules/SCO/machine", params={"on": "2012-01-01"}).json()
    labels = ui.eval_on_selector_all("#machine .annotation-text",
                                     "els => els.map(e => e.textContent)")
    assert {e["rule"] for e in machine["edges"]} <= set(labels)
    assert ui.offsite == [] and ui.console_errors == []


def test_scenario_runner(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/scenarios?scenario=astana-2005-bases")
    _ready(ui)
    shown = httpx.get(f"{server}/api/scenario/astana-2005-bases").json()
    assert ui.locator("#citations tbody tr").count() == len(shown["citations"]) > 5
    ui.fill("#runs", "30")
    ui.fill("#seed", "5")
    ui.click("#run")
    ui.wait_for_selector("body[data-ran='1']", timeout=60_000)
    expected = httpx.post(f"{server}/api/bargain", json={
        "scenario": "astana-2005-bases", "issue": "bases", "model": "eum", "runs": 30,
        "seed": 5}, timeout=60).json()
    text = ui.inner_text("#result")
    assert f"forecast {expected['forecast']:.1f}" in text  # 80.0, China's position
    assert "win-set [[0,50]]" in text and "rule-bound forecast 50.0" in text
    assert f"Monte Carlo p50 {expected['distribution']['quantiles']['p50']:.1f}" in text
    # one line per actor, the median, the outcome star and the Monte Carlo box
    assert ui.locator("#plot .scatterlayer .trace").count() == len(shown["actors"]) + 2
    assert ui.locator("#plot .boxlayer .trace").count() == 1
    # the veto model on the 2017 enlargement compares membership lists
    ui.select_option("#scenario", "india-pakistan-2017")
    ui.wait_for_function("() => document.getElementById('question').textContent.includes('2017')")
    ui.select_option("#model", "veto")
    ui.fill("#runs", "0")
    ui.click("#run")
    ui.wait_for_selector("body[data-ran='1']", timeout=60_000)
    assert ui.locator("#memberships tbody tr").count() == 3
    assert "win-set [[0,80]]" in ui.inner_text("#result")
    assert ui.offsite == [] and ui.console_errors == []


def test_scenario_runner_reports_refusals(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/scenarios")
    _ready(ui)
    ui.fill("#runs", "100000")
    ui.click("#run")
    ui.wait_for_selector("body[data-ran='error']", timeout=30_000)
    assert "[runs]" in ui.inner_text("#error")


def test_long_runs_go_through_a_job(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/scenarios?scenario=astana-2005-bases")
    _ready(ui)
    polled: list[str] = []
    ui.on("request", lambda r: polled.append(r.url) if "/api/jobs/" in r.url else None)
    ui.fill("#runs", "501")  # above the server's 500-run threshold
    ui.click("#run")
    ui.wait_for_selector("body[data-ran='1']", timeout=90_000)
    assert polled, "the page never polled a job"
    job = httpx.get(polled[-1]).json()
    assert job["status"] == "done" and job["request"]["runs"] == 501
    p50 = job["result"]["distribution"]["quantiles"]["p50"]
    assert f"Monte Carlo p50 {p50:.1f}" in ui.inner_text("#result")


def test_as_of_page_reads_a_what_if_copy(ui: Any, server: str) -> None:
    spell = {"actor": "USA", "status": "observer", "start": "2031-06-15",
             "sources": [{"source": "masuda2011", "judgement": True}]}
    added = httpx.post(f"{server}/api/spells", headers={"Authorization": "Bearer web-token"},
                       json={"registry": "browser", "org": "SCO", "spell": spell})
    assert added.status_code == 201, added.text
    ui.goto(f"{server}/explorer/asof?org=SCO&on=2031-07-01")
    _ready(ui)
    assert "USA" not in _actors(ui)
    ui.select_option("#registry", "browser")
    ui.wait_for_function("() => [...document.querySelectorAll('#members tbody tr')]"
                         ".some(r => r.dataset.actor === 'USA')")
    assert ui.url.endswith("&registry=browser")
    seen = httpx.get(f"{server}/api/members/SCO",
                     params={"on": "2031-07-01", "registry": "browser"}).json()
    assert _actors(ui) == [r["actor"] for r in seen]
    assert len(seen) == len(httpx.get(f"{server}/api/members/SCO",
                                      params={"on": "2031-07-01"}).json()) + 1


def test_scenario_runner_spatial_model(ui: Any, server: str) -> None:
    ui.goto(f"{server}/explorer/scenarios?scenario=sco-two-wheels-2003")
    _ready(ui)
    assert ui.input_value("#model") == "smp" and ui.is_disabled("#model")
    ui.click("#run")
    ui.wait_for_selector("body[data-ran='1']", timeout=60_000)
    out = httpx.post(f"{server}/api/bargain", json={"scenario": "sco-two-wheels-2003",
                                                     "model": "smp"}, timeout=60).json()
    text = ui.inner_text("#result")
    assert text.startswith(f"after {out['n_turns']} turns: ")
    china = out["final"]["positions"]["CHN"]
    assert f"CHN ({china[0]:.1f}, {china[1]:.1f})" in text
    # one line per actor and dimension
    assert ui.locator("#plot .scatterlayer .trace").count() == len(out["actors"]) * len(
        out["dimensions"])
    assert ui.locator("#citations tbody tr").count() > len(out["actors"])
    assert ui.console_errors == []


def test_openapi_docs_render_offline(ui: Any, server: str) -> None:
    ui.goto(f"{server}/docs")
    ui.wait_for_selector(".opblock", timeout=30_000)
    paths = httpx.get(f"{server}/openapi.json").json()["paths"]
    operations = sum(len(item) for item in paths.values())
    assert ui.locator(".opblock").count() == operations > 25
    assert ui.offsite == []


def test_eligibility_on_the_rules_page(ui: Any, server: str) -> None:
    """The design's example: could the United States seek dialogue-partner status in 2009?"""
    ui.goto(f"{server}/explorer/rules?on=2009-06-01")
    _ready(ui)
    ui.wait_for_function("() => document.getElementById('verdict').textContent.length > 0")
    out = httpx.get(f"{server}/api/eligible/USA/SCO",
                    params={"on": "2009-06-01", "status": "dialogue_partner"}).json()
    assert ui.locator("#criteria tbody tr").count() == len(out["criteria"]) > 2
    assert ui.inner_text("#verdict").startswith("USA as dialogue partner in SCO on 2009-06-01")
    rules = ui.eval_on_selector_all("#criteria tbody tr td:nth-child(3)",
                                    "tds => tds.map(t => t.textContent)")
    assert rules == [c["rule"] or "" for c in out["criteria"]]
    # before the 2008 regulations there was no dialogue-partner procedure to follow
    ui.fill("#on", "2007-06-01")
    ui.wait_for_function(
        "() => document.getElementById('verdict').textContent.includes('2007-06-01')")
    early = httpx.get(f"{server}/api/eligible/USA/SCO",
                      params={"on": "2007-06-01", "status": "dialogue_partner"}).json()
    assert early["eligible"] is False
    assert ui.inner_text("#verdict").endswith(": no")
