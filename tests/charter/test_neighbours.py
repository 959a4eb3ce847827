"""Issue 14: the neighbours' rulebooks, authority scores against MIA, rule tests as data."""

from __future__ import annotations

from pathlib import Path

import pytest

from scomodel.charter.authority import authority, authority_on
from scomodel.charter.decision import decision_rule
from scomodel.charter.engine import rules_in_force
from scomodel.charter.mia import compare_mia, mia_path
from scomodel.charter.ruletests import load_cases, run_case
from scomodel.errors import DataValidationError, InputError

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
ALL = [(p.name, c) for p in CASES for c, _ in load_cases(p)]


def test_at_least_sixty_history_cases_each_citing_its_event() -> None:
    assert len(ALL) >= 60
    assert len({c["id"] for _, c in ALL}) == len(ALL)
    assert all(c["event"] and c["source"] for _, c in ALL)
    assert {c["org"] for _, c in ALL} == {"SCO", "CSTO", "EAEU", "CIS", "OSCE"}


@pytest.mark.parametrize(("file", "case"), ALL, ids=[c["id"] for _, c in ALL])
def test_history_case(file: str, case: dict) -> None:
    result = run_case(case, file)
    assert result.passed, f"{case['event']}: {result.detail}"


@pytest.mark.parametrize(
    ("org", "on", "books"),
    [("CSTO", "2010-01-01", {"CST1992", "CSTO2002"}), ("EAEU", "2020-01-01",
     {"EAEU2014", "EAEU2015ADM", "EAEU2018OBS"}), ("CIS", "2000-01-01", {"CIS1991", "CIS1993"}),
     ("OSCE", "2010-01-01", {"CSCE1973", "CSCE1992PRAGUE", "CSCE1992HELSINKI", "OSCE1995",
                             "OSCE2006ROP"})],
)
def test_rules_in_force_for_each_neighbour(org: str, on: str, books: set[str]) -> None:
    rs = rules_in_force(org, on)
    assert {b.id for b in rs.books} == books
    assert all(x.rule.sources for x in rs.rules)


def test_eaeu_decides_by_body_and_matter() -> None:
    members = ["ARM", "BLR", "KAZ", "KGZ", "RUS"]
    board = decision_rule("EAEU", "2020", body="EEC_BOARD")
    assert board.kind == "qualified_majority" and board.passes(["BLR"], members)
    assert not decision_rule("EAEU", "2020", "sensitive", body="EEC_BOARD").passes(["BLR"], members)
    assert not decision_rule("EAEU", "2020", body="SEEC").passes(["BLR"], members)
    with pytest.raises(InputError, match="unknown body 'CHS'"):
        decision_rule("EAEU", "2020", body="CHS")


def test_cis_opt_out_is_not_an_objection_elsewhere() -> None:
    cis = decision_rule("CIS", "2000", body="CHS")
    assert cis.passes([], ["RUS", "TKM", "UKR"], opt_outs=["TKM"])
    sco = decision_rule("SCO", "2018")
    assert not sco.passes([], ["CHN", "RUS", "KAZ"], opt_outs=["KAZ"])  # counts as objection


def test_authority_cells_name_their_rules_and_scores_follow_the_rules() -> None:
    y = authority_on("SCO", "2004-12-31")
    cell = next(c for c in y.cells if c.area == "budget" and c.stage == "agenda")
    assert cell.delegation == 1.0 and "R-M-budget-agenda-sec" in cell.rules
    assert authority_on("SCO", "2003-12-31").delegation == 0.0  # before the Secretariat opened
    assert authority("SCO", 2002, 2002)[0].pooling is None  # no competence rule: not scored
    with pytest.raises(InputError):
        authority("SCO", 2010, 2002)


@pytest.mark.skipif(not mia_path().exists(), reason="MIA file not available")
@pytest.mark.parametrize("org", ["SCO", "CIS", "OSCE"])
def test_every_year_within_005_of_mia_or_explained(org: str) -> None:
    rows = compare_mia(org)
    assert rows
    assert all(r["within"] or r["explained"] for r in rows), [
        r["year"] for r in rows if not (r["within"] or r["explained"])
    ]
    if org == "SCO":
        assert all(r["within"] for r in rows if r["year"] >= 2003)


def test_bad_case_file_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("cases:\n  - {id: x, org: SCO, date: '2010'}\n")
    with pytest.raises(DataValidationError, match="event"):
        load_cases(bad)
