"""Completeness of the SCO and the Shanghai Five, and a check that every organization in the
data has such a test.

Counts the sources state (not read back from the data):
- Shanghai Five: five states at the 1996-04-26 Shanghai meeting (zhao2004, fn 1); Uzbekistan
  joined the sixth meeting's declaration, 2001-06-15 (zhao2004, fn 2).
- SCO: six founders on 2001-06-15 (zhao2004, §2; masuda2011, §1(1)); four observers after
  Astana 2005 (Mongolia from 2004; India, Iran and Pakistan from 2005-07-05; masuda2011
  §1(2)); eight members from India's and Pakistan's admission on 2017-06-09, with four
  observers and six dialogue partners the next day (the SCO Secretariat's counts of 2017);
  nine with Iran on 2023-07-04; ten with Belarus on 2024-07-04.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scomodel.cli import app

runner = CliRunner()
HERE = Path(__file__).parent


def count(org: str, on: str, status: str) -> int:
    result = runner.invoke(app, ["members", org, "--on", on, "--status", status,
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    return len(json.loads(result.stdout))


@pytest.mark.parametrize(("org", "on", "status", "expected"), [
    ("SHANGHAI5", "1996-04-26", "member", 5),
    ("SHANGHAI5", "2001-06-14", "member", 6),
    ("SCO", "2001-06-15", "member", 6),
    ("SCO", "2005-07-06", "observer", 4),
    ("SCO", "2017-06-09", "member", 8),
    ("SCO", "2017-06-10", "observer", 4),
    ("SCO", "2017-06-10", "dialogue_partner", 6),
    ("SCO", "2023-07-04", "member", 9),
    ("SCO", "2024-07-04", "member", 10),
])
def test_sco_counts(org, on, status, expected):
    assert count(org, on, status) == expected


def test_every_organization_with_spells_has_a_completeness_test():
    data = Path(__file__).resolve().parents[2] / "src" / "scomodel" / "data" / "spells"
    orgs = {re.search(r"^org: (\S+)", p.read_text(), re.M).group(1)  # type: ignore[union-attr]
            for p in data.glob("*.yaml")}
    tested: set[str] = set()
    for path in HERE.glob("test_completeness_*.py"):
        tested |= set(re.findall(r'\("([A-Z0-9]+)", "\d{4}', path.read_text()))
    missing = sorted(orgs - tested)
    assert not missing, f"no completeness test counts members of {missing}"
