"""The status machine: transitions in force, each with its deciding body."""

from __future__ import annotations

from pathlib import Path

from scomodel.charter.engine import rules_in_force
from scomodel.charter.graph import draw_state_machine, state_graph


def edges(on: str) -> dict[tuple[str, str, str], str | None]:
    g = state_graph(rules_in_force("SCO", on))
    return {(u, v, k): d["decided_by"] for u, v, k, d in g.edges(keys=True, data=True)}


def test_transitions_by_date() -> None:
    e2003 = edges("2003-10-01")
    assert e2003[("none", "member", "T-member")] == "CHS"
    assert not any(v == "observer" for _, v, _ in e2003)
    e2011 = edges("2011-01-01")
    assert e2011[("none", "observer", "T-observer")] == "CHS"
    assert e2011[("applicant", "member", "T-applicant-member")] == "CHS"
    assert ("none", "member", "T-member") not in e2011  # replaced by the 2010 regulations
    assert e2011[("dialogue_partner", "none", "T-dp-ends")] is None  # unknown, not guessed
    e2025 = edges("2025-10-01")
    assert e2025[("observer", "partner", "P0-merge-observer")] == "CHS"
    assert ("none", "observer", "T-observer") not in e2025


def test_figure_is_written(tmp_path: Path) -> None:
    path = draw_state_machine(state_graph(rules_in_force("SCO", "2011-01-01")), tmp_path / "x.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
