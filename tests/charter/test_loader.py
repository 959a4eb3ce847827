"""Rulebook files: the built-in ones load; bad ones fail with file, line and field."""

from __future__ import annotations

import pytest

from scomodel.charter.loader import load_rulebook, load_rulebooks
from scomodel.charter.model import DecisionRuleSpec
from scomodel.errors import DataValidationError, InputError

from .conftest import BAD, EXAMPLES

#: The documents and the dates they took effect (rules brief §0).
EXPECTED = {
    "GUESTS2002": "2002-11-23",
    "CHARTER2002": "2003-09-19",
    "OBSERVERS2004": "2004-06-17",
    "DIALOGUE2008": "2008-08-28",
    "ADMISSION2010": "2010-06-11",
    "MEMORANDUM2014": "2014-09-12",
    "PARTNERS2025": "2025-09-01",
    # the neighbours (issue 14)
    "CSCE1973": "1973-07-03",
    "CIS1991": "1991-12-08",
    "CSCE1992PRAGUE": "1992-01-30",
    "CST1992": "1992-05-15",
    "CSCE1992HELSINKI": "1992-07-10",
    "CIS1993": "1994-01-22",
    "OSCE1995": "1995-01-01",
    "CSTO2002": "2003-09-18",
    "OSCE2006ROP": "2006-11-01",
    "CSTO2010": "2012-12-19",
    "EAEU2014": "2015-01-01",
    "EAEU2015ADM": "2015-10-16",
    "EAEU2018OBS": "2018-05-14",
}


def test_builtin_rulebooks_and_their_dates() -> None:
    books = load_rulebooks()
    assert {b.id: b.in_force for b in books} == EXPECTED
    assert [b.in_force for b in books] == sorted(EXPECTED.values())


def test_every_rule_has_a_source_and_a_mark() -> None:
    for book in load_rulebooks():
        for rule in book.rules:
            assert rule.sources, rule.id
            assert rule.verification in ("verified", "secondary", "unverified")


def test_partner_rules_are_visibly_unverified_except_the_merger() -> None:
    book = next(b for b in load_rulebooks() if b.id == "PARTNERS2025")
    marks = {r.id: r.verification for r in book.rules}
    assert marks.pop("P0-merge-observer") == "verified"
    assert marks.pop("P0-merge-dp") == "verified"
    assert set(marks.values()) == {"unverified"}


def test_whatif_example_loads() -> None:
    book = load_rulebook(EXAMPLES / "whatif" / "qmv-2017.yaml")
    rule = book.rules[0]
    assert isinstance(rule, DecisionRuleSpec) and rule.method == "qualified_majority"


@pytest.mark.parametrize(
    ("name", "line", "field", "words"),
    [
        ("unknown-field.yaml", 15, "rules.0.atend", "unknown field"),
        ("unknown-source.yaml", 14, "rules.0.sources.1.source", "nosuchsource"),
        ("bad-kind.yaml", 9, "rules.0", "unknown rule kind"),
        ("bad-body.yaml", 16, "rules.0.body", "POLITBURO"),
        ("bad-status.yaml", 14, "rules.0.to", "overlord"),
        ("no-threshold.yaml", 9, "rules.0", "threshold"),
        ("duplicate-id.yaml", 10, "rules.1.id", "used twice"),
    ],
)
def test_bad_rulebooks_name_file_line_and_field(
    name: str, line: int, field: str, words: str
) -> None:
    with pytest.raises(DataValidationError) as info:
        load_rulebook(BAD / name)
    err = info.value
    assert err.file and err.file.endswith(name)
    assert err.line == line
    assert err.field == field
    assert words in str(err)


def test_yaml_syntax_error_names_its_line() -> None:
    with pytest.raises(InputError) as info:
        load_rulebook(BAD / "syntax.yaml")
    assert info.value.line is not None and "invalid YAML" in str(info.value)


def test_missing_file_is_an_input_error() -> None:
    with pytest.raises(InputError, match="file not found"):
        load_rulebook(BAD / "nope.yaml")
