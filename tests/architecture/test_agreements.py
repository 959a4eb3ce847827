"""Registry agreement facts become arrangement ties: states only, no duplicates."""

from __future__ import annotations

from pathlib import Path

from scomodel.architecture.agreements import arrangements_from_facts
from scomodel.architecture.loader import load_architecture
from scomodel.registry.records import FactRow


def _fact(ident: str, parties: list[str], date: str = "1996-04-26", **attrs: object) -> FactRow:
    return FactRow(id=ident, kind="agreement", about=parties, date=date, end=None,
                   title=ident, attributes={"parties": parties, **attrs},
                   sources=[{"source": "src", "locator": "p. 1"}])


def test_state_agreements_become_ties(small_dir: Path) -> None:
    data = load_architecture(small_dir)
    facts = [
        _fact("five", ["XXX", "YYY", "ZZZ", "WWW", "VVV"], fields=["economy", "piracy"]),
        _fact("org-mou", ["AAA", "BBB"]),  # organizations: left to mandates.yaml
        _fact("dup", ["YYY", "XXX"], date="2001-10"),  # the base in bilateral.yaml
        _fact("lonely", ["XXX"]),
    ]
    out = arrangements_from_facts(facts, data)
    assert [a.id for a in out] == ["five"]
    five = out[0]
    assert five.tier == "minilateral" and five.fields == ["economy"]  # unknown field dropped
    assert five.sources[0].locator == "p. 1"
