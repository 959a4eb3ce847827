"""ASEAN's dialogue partners, and India's organizations on 2020-01-01 (issue 12's check).

Counts the sources state: ten dialogue partners before the United Kingdom (Taipei Times,
2020-06-07, on the UK's application), the UK the 11th (akp-2021-uk-asean).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from scomodel.cli import app

runner = CliRunner()


def _json(*args: str) -> list[dict]:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("org", "on", "expected"), [
    ("ASEAN", "2020-06-07", 10), ("ASEAN", "2022-01-01", 11), ("ASEAN", "1975-06-01", 2),
])
def test_asean_dialogue_partners(org, on, expected):
    assert len(_json("members", org, "--on", on, "--status", "dialogue_partner")) == expected


def test_india_on_2020_01_01_with_sources():
    rows = _json("orgs", "IND", "--on", "2020-01-01")
    held = {(r["org"], r["status"]) for r in rows}
    assert {("UN", "member"), ("SCO", "member"), ("ARF", "member"), ("CICA", "member"),
            ("ASEAN", "dialogue_partner")} <= held
    assert all(r["sources"] for r in rows)
