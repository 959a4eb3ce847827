"""The claims ledger: every operationalization runs, verdicts are computed (never typed),
the data and the as-of day move them, and the CLI and the API answer alike.

Figures are checked by hand against the curated files: SCO members admitted after the
founding are India and Pakistan (2017-06-09), Iran (2023-07-04) and Belarus (2024-07-04);
the only US base left in Central Asia after 2005 was Manas, handed back 2014-06-03
(data/bilateral.yaml); Uzbekistan was back in the CSTO from 2006-06-23 and suspended
from 2012-12-19 (spells/csto.yaml).
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest

from scomodel.claims import VERDICTS, claim_by_id, evaluate, explain, ledger, load_claims
from scomodel.claims.loader import QUERIES
from scomodel.errors import DataValidationError
from scomodel.registry import DATA_DIR, Registry
from scomodel.registry.yamlio import plain, read_yaml
from tests.clirun import invoke


@pytest.fixture(scope="module")
def today_ledger() -> list[dict]:
    return ledger()


def test_ledger_size_both_seeds_and_every_query_runs(today_ledger: list[dict]) -> None:
    assert len(today_ledger) >= 25
    seeds = [d["seed"] for d in today_ledger]
    assert seeds.count("zhao2004") >= 12 and seeds.count("masuda2011") >= 12
    for d in today_ledger:
        assert d["verdict"] in VERDICTS
        assert d["locator"]["section"] and d["paraphrase"]
        assert d["sources"][0]["source"] == d["seed"]
        assert d["operationalization"]["query"] in QUERIES
    # every verdict kind occurs: the thresholds discriminate
    assert {d["verdict"] for d in today_ledger} >= {"holds", "partly", "fails"}
    assert len({d["operationalization"]["query"] for d in today_ledger}) >= 10


def test_the_yaml_has_no_verdict_field() -> None:
    def keys(node: object) -> set[str]:
        if isinstance(node, dict):
            return {str(k) for k in node} | {k for v in node.values() for k in keys(v)}
        if isinstance(node, list):
            return {k for v in node for k in keys(v)}
        return set()

    paths = sorted((DATA_DIR / "claims").glob("*.yaml"))
    assert len(paths) == 2
    for path in paths:
        found = keys(plain(read_yaml(path)))
        assert "paraphrase" in found and not {k for k in found if "verdict" in k.lower()}


def _one_claim_dir(tmp_path: Path, extra: str) -> Path:
    src = (DATA_DIR / "claims" / "zhao2004.yaml").read_text(encoding="utf-8")
    head, rest = src.split("  - id: zhao-named-candidates-join", 1)
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "x.yaml").write_text(head + extra, encoding="utf-8")
    return tmp_path


def test_a_typed_verdict_is_refused_with_its_line(tmp_path: Path) -> None:
    folder = _one_claim_dir(tmp_path, "    verdict: holds\n")
    with pytest.raises(DataValidationError) as err:
        load_claims(folder)
    assert "x.yaml:" in str(err.value) and "verdict" in str(err.value)
    assert err.value.line is not None and err.value.line > 5


def test_unknown_query_and_bad_params_name_file_and_line(tmp_path: Path) -> None:
    text = (DATA_DIR / "claims" / "zhao2004.yaml").read_text(encoding="utf-8")
    (tmp_path / "claims").mkdir()
    bad = tmp_path / "claims" / "x.yaml"
    bad.write_text(text.replace("query: count_admissions", "query: count_admission"),
                   encoding="utf-8")
    with pytest.raises(DataValidationError, match="unknown query 'count_admission'") as err:
        load_claims(tmp_path)
    assert err.value.line == text.split("\n").index("      query: count_admissions") + 1
    bad.write_text(text.replace("per_years: 5", "per_year: 5"), encoding="utf-8")
    with pytest.raises(DataValidationError, match="unknown field") as err:
        load_claims(tmp_path)
    assert "per_year" in (err.value.field or "")


def test_hand_checked_figures() -> None:
    claims = load_claims()
    gradual = evaluate(claim_by_id(claims, "zhao-gradual-enlargement"))
    assert gradual.figures["total"] == 4
    windows = {w["from"][:4]: w["actors"] for w in gradual.figures["windows"]}
    assert windows["2016"] == ["IND", "PAK"] and windows["2021"] == ["BLR", "IRN"]
    assert gradual.verdict == "holds"
    veto = evaluate(claim_by_id(claims, "masuda-multipolar-decisions"), as_of="2026-12-01")
    assert veto.figures["counts"] == [6, 10] and veto.verdict == "holds"
    bases = evaluate(claim_by_id(claims, "zhao-us-stays-militarily"), as_of="2010-12-31")
    assert bases.steps[0]["result"] == ["usa-kgz-manas"]


def test_as_of_changes_verdicts_between_2010_and_2020() -> None:
    claims = load_claims()
    us = claim_by_id(claims, "zhao-us-stays-militarily")
    assert evaluate(us, as_of="2010-12-31").verdict == "holds"
    assert evaluate(us, as_of="2020-12-31").verdict == "fails"
    uzb = claim_by_id(claims, "zhao-uzbekistan-avoids-russian-bodies")
    assert evaluate(uzb, as_of="2004-12-31").verdict == "holds"
    assert evaluate(uzb, as_of="2010-12-31").verdict == "fails"   # back in the CSTO
    assert evaluate(uzb, as_of="2020-12-31").verdict == "holds"   # suspended since 2012
    victim = claim_by_id(claims, "zhao-india-pakistan-victim")
    assert evaluate(victim, as_of="2020-12-31").verdict == "undecided"  # before its horizon
    assert evaluate(victim, as_of="2025-12-31").verdict == "holds"      # June 2025
    masuda = claim_by_id(claims, "masuda-multipolar-decisions")
    early = evaluate(masuda, as_of="2010-12-31")
    assert early.verdict == "undecided" and early.made is False


def test_a_what_if_us_dialogue_partnership_flips_the_claim() -> None:
    claim = claim_by_id(load_claims(), "masuda-us-dialogue-partner")
    assert evaluate(claim).verdict == "fails"
    reg = Registry.open(whatif="claims-us-dp")
    try:
        reg.add_spell("SCO", {"actor": "USA", "status": "dialogue_partner",
                              "start": "2015-06-01", "end": "2025-09-01",
                              "sources": [{"source": "masuda2011", "locator": "what-if"}]})
        flipped = evaluate(claim, registry=reg)
        assert flipped.verdict == "holds"
        assert flipped.figures["statuses"] == {"USA": ["dialogue_partner"]}
        assert evaluate(claim, registry=reg, as_of="2014-12-31").verdict == "undecided"
    finally:
        reg.drop_whatif()
    assert evaluate(claim, registry=Registry.open()).verdict == "fails"


def test_explain_shows_steps() -> None:
    out = explain("zhao-uzbekistan-avoids-russian-bodies", "2010")
    assert out["as_of"] == "2010-12-31"  # a coarse date is its last day
    calls = [s["call"] for s in out["steps"]]
    assert any("CSTO" in c for c in calls) and all(s["part"] == "registry" for s in out["steps"])
    assert out["figures"]["groups_of"] == {"UZB": ["russia_led"]}


def test_cli_and_api_answer_alike(today_ledger: list[dict]) -> None:
    result = invoke("claims", "--as-of", "2020", "--format", "json")
    assert result.code == 0, result.error
    cli = json.loads(result.stdout)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from scomodel.api import Settings, create_app

    settings = Settings(token=None, db=os.environ["SCOMODEL_DB"], data_dir=None,
                        refresh_seconds=0.0)
    with TestClient(create_app(settings)) as client:
        api = client.get("/api/claims", params={"as_of": "2020"}).json()
        one = client.get("/api/claims/zhao-us-stays-militarily",
                         params={"as_of": "2010", "explain": 1}).json()
        missing = client.get("/api/claims/no-such-claim")
        bad = client.get("/api/claims", params={"as_of": "20x0"})
        page = client.get("/explorer/claims")
        parts = client.get("/api/parts").json()
    assert [(d["id"], d["verdict"]) for d in api] == [(d["id"], d["verdict"]) for d in cli]
    assert api == cli
    assert one["verdict"] == "holds" and one["steps"]
    assert missing.status_code == 404 and bad.status_code in (400, 422)
    assert "claims" in parts and page.status_code == 200 and "/api/claims" in page.text
    show = invoke("claims", "show", "zhao-us-stays-militarily", "--as-of", "2020", "--explain")
    assert show.code == 0 and "FAILS" in show.stdout and "arrangements_on" in show.stdout


def test_bad_as_of_exits_2() -> None:
    result = invoke("claims", "--as-of", "yesterday")
    assert result.code == 2 and "as_of" in result.error
    assert invoke("claims", "show", "nope").code == 2


def test_the_docs_table_is_the_computed_one() -> None:
    from scomodel.claims.ledger import DOC_AS_OF, markdown_table

    doc = (Path(__file__).parents[2] / "docs" / "claims.md").read_text(encoding="utf-8")
    table = doc.split("<!-- verdicts:start -->\n", 1)[1].split("\n<!-- verdicts:end -->", 1)[0]
    assert table.strip() == markdown_table(ledger(DOC_AS_OF)).strip()
