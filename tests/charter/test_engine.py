"""The engine picks the rules in force by date, lets later rules replace earlier ones,
and applies what-if rulebooks last."""

from __future__ import annotations

import pytest

from scomodel.charter.engine import rules_in_force, what_if
from scomodel.errors import NotFoundError

from .conftest import EXAMPLES


@pytest.mark.parametrize(
    ("book", "day_before", "day_of"),
    [
        ("GUESTS2002", "2002-11-22", "2002-11-23"),
        ("CHARTER2002", "2003-09-18", "2003-09-19"),
        ("OBSERVERS2004", "2004-06-16", "2004-06-17"),
        ("DIALOGUE2008", "2008-08-27", "2008-08-28"),
        ("ADMISSION2010", "2010-06-10", "2010-06-11"),
        ("MEMORANDUM2014", "2014-09-11", "2014-09-12"),
        ("PARTNERS2025", "2025-08-31", "2025-09-01"),
    ],
)
def test_a_rulebook_is_in_force_from_its_date(book: str, day_before: str, day_of: str) -> None:
    assert book not in [b.id for b in rules_in_force("SCO", day_before).books]
    assert book in [b.id for b in rules_in_force("SCO", day_of).books]


def test_no_rules_before_the_first_rulebook() -> None:
    rs = rules_in_force("SCO", "2002-01-01")
    assert rs.books == [] and rs.rules == []
    assert rs.upcoming[0].id == "GUESTS2002"


def test_member_procedure_changes_with_each_rulebook() -> None:
    steps = {
        d: [r.id for _, r in rules_in_force("SCO", d).steps("member")]
        for d in ("2009", "2011", "2015")
    }
    assert steps["2009"] == ["R13.2-letter", "R13.2-recommendation", "R13.2-decision"]
    assert steps["2011"] == ["A5-decision"]  # the Charter's direct route is replaced
    assert steps["2015"] == ["A4-memorandum", "A5-decision"]


def test_rule_valid_from_inside_a_rulebook() -> None:
    # observers at ministerial meetings: the 2015 Development Strategy, not the 2004 text
    assert rules_in_force("SCO", "2015-07-09").get("O6-ministers") is None
    assert rules_in_force("SCO", "2015-07-10").get("O6-ministers") is not None


def test_partner_merger_ends_observer_and_dp_procedures() -> None:
    before, after = rules_in_force("SCO", "2025-08-31"), rules_in_force("SCO", "2025-09-01")
    assert before.steps("observer") and before.steps("dialogue_partner")
    assert after.steps("observer") == [] and after.steps("dialogue_partner") == []
    assert "O1-letter" in after.dropped and after.dropped["O1-letter"][1].rule.id == "P0-closed"


def test_whatif_rulebook_replaces_a_rule_by_id() -> None:
    extra = what_if([EXAMPLES / "whatif" / "qmv-2017.yaml"])
    assert extra[0].whatif is True
    rs = rules_in_force("SCO", "2018-01-01", extra=extra)
    found = rs.decision()
    assert found is not None
    book, spec = found
    assert book.id == "WHATIF-QMV2017" and spec.method == "qualified_majority"
    # before its date the what-if rulebook does not apply
    found = rules_in_force("SCO", "2016-01-01", extra=extra).decision()
    assert found is not None
    book, spec = found
    assert spec.method == "consensus"


def test_unknown_org_is_refused() -> None:
    with pytest.raises(NotFoundError, match="SCO, CSTO, EAEU, CIS, OSCE only"):
        rules_in_force("NATO", "2010")
