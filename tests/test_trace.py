"""scomodel.trace: the tree an answer's explanation is, its JSON and its text."""

from __future__ import annotations

import pytest

from scomodel.trace import KINDS, NULL, Node, explained, new_trace


def _tree() -> Node:
    root = new_trace("status IND SCO 2016-06-01", "2 spells")
    spell = root.add("spell", "SCO:IND:observer:2005-07-05", "India observer",
                     start="2005-07-05", end="2017-06-09", version="curated", precision="day")
    spell.sources([{"source": "masuda2011", "locator": "§2(1), fn 24"}, {"source": "tass"}],
                  {"masuda2011": "China's SCO Policy"})
    rule = root.add("rule", "T-applicant", "observer -> applicant", start="2010-06-11",
                    version="ADMISSION2010", verification="verified", article=None)
    rule.sources([{"source": "sco-admission-2014"}])
    return root


def test_nodes_nest_and_are_found_by_kind() -> None:
    root = _tree()
    assert [n.kind for n in root.walk()] == ["answer", "spell", "source", "source", "rule",
                                             "source"]
    assert [n.id for n in root.find("source")] == ["masuda2011", "tass", "sco-admission-2014"]
    assert root.find("rule")[0].detail == {"verification": "verified"}  # None dropped


def test_json_shape_keeps_dates_versions_and_titles() -> None:
    d = _tree().to_dict()
    spell = d["children"][0]
    assert spell["effective"] == {"from": "2005-07-05", "until": "2017-06-09"}
    assert spell["version"] == "curated" and spell["detail"] == {"precision": "day"}
    assert spell["children"][0] == {"kind": "source", "id": "masuda2011",
                                    "label": "§2(1), fn 24",
                                    "detail": {"title": "China's SCO Policy"}, "children": []}
    assert "effective" not in spell["children"][1]  # a source has no dates of its own
    assert d["children"][1]["effective"] == {"from": "2010-06-11", "until": None}


def test_text_is_an_indented_tree() -> None:
    lines = _tree().lines()
    assert lines[0] == "answer status IND SCO 2016-06-01: 2 spells"
    assert lines[1].startswith("  spell SCO:IND:observer:2005-07-05: India observer [")
    assert "2005-07-05 – 2017-06-09; curated" in lines[1]
    assert lines[2] == "    source masuda2011: §2(1), fn 24 [title=China's SCO Policy]"
    assert lines[4].endswith("[2010-06-11 – open; ADMISSION2010; verification=verified]")


def test_null_trace_swallows_everything() -> None:
    child = NULL.add("rule", "R16", "consensus").add("source", "x")
    assert child is NULL and NULL.children == [] and NULL.sources([{"source": "a"}]) is NULL


def test_explained_adds_never_changes() -> None:
    trace = new_trace("q")
    assert explained({"eligible": True}, None) == {"eligible": True}
    assert explained([1, 2], None) == [1, 2]
    assert explained({"eligible": True}, trace) == {"eligible": True, "trace": trace.to_dict()}
    assert explained([1, 2], trace) == {"rows": [1, 2], "trace": trace.to_dict()}


def test_unknown_kind_is_refused() -> None:
    assert "spell" in KINDS
    with pytest.raises(ValueError, match="unknown trace node kind 'rumour'"):
        new_trace("q").add("rumour", "x")
