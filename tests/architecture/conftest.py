"""Fixtures: a small hand-made world (numbers computed by hand) and the real data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scomodel.architecture.loader import load_architecture
from scomodel.architecture.model import Architecture

SMALL_FILES = {
    "sources.yaml": """
sources:
  - {key: src, kind: reference, title: A test source}
""",
    "organizations.yaml": """
organizations:
  - {code: AAA, name: Org A, sources: [{source: src}]}
  - {code: BBB, name: Org B, sources: [{source: src}]}
  - {code: CCC, name: Org C, sources: [{source: src}]}
""",
    "fields.yaml": """
fields:
  - {code: counter_terrorism, label: CT, sources: [{source: src}]}
  - {code: economy, label: Economy, sources: [{source: src}]}
  - {code: narcotics, label: Drugs, sources: [{source: src}]}
""",
    "mandates.yaml": """
tiers:
  - {org: AAA, tier: regional, sources: [{source: src}]}
  - {org: BBB, tier: global, sources: [{source: src}]}
mandates:
  - {id: a1, subject: AAA, kind: organization, document: A, start: "2000",
     fields: [counter_terrorism, narcotics], sources: [{source: src}]}
  - {id: b1, subject: BBB, kind: organization, document: B, start: "2000",
     fields: [counter_terrorism], sources: [{source: src}]}
  - {id: b2, subject: BBB, kind: organization, document: B2, start: "2005-06",
     fields: [narcotics], sources: [{source: src}]}
  - {id: c1, subject: CCC, kind: organization, document: C, start: "2000",
     fields: [economy], sources: [{source: src}]}
  - {id: ab, subject: ab, kind: agreement, parties: [AAA, BBB], document: MoU,
     start: "2007-10-05", fields: [counter_terrorism], sources: [{source: src}]}
""",
    "bilateral.yaml": """
arrangements:
  - {id: x-y-base, kind: basing, parties: [XXX, YYY], host: YYY, title: Base,
     start: "2001-10", end: "2005-11-21", sources: [{source: src}]}
  - {id: x-y-z, kind: treaty, parties: [XXX, YYY, ZZZ], title: Trio,
     start: "1997", sources: [{source: src}]}
""",
    "regions.yaml": """
regions:
  - {code: inner, name: Inner, members: [XXX, YYY], sources: [{source: src}]}
""",
}

#: A: {XXX, YYY, ZZZ}; B: {YYY, ZZZ, WWW}; C: {WWW} from 2003 only; ZZZ leaves A in 2006.
SMALL_SPELLS = pd.DataFrame(
    [
        ("AAA", "XXX", "member", "2000", None),
        ("AAA", "YYY", "member", "2000", None),
        ("AAA", "ZZZ", "member", "2000", "2006-01-01"),
        ("AAA", "WWW", "observer", "2000", None),
        ("BBB", "YYY", "member", "2000", None),
        ("BBB", "ZZZ", "member", "2000", None),
        ("BBB", "WWW", "member", "2000", None),
        ("CCC", "WWW", "member", "2003", None),
    ],
    columns=["org", "actor", "status", "start", "end"],
)


@pytest.fixture()
def small_dir(tmp_path: Path) -> Path:
    for name, text in SMALL_FILES.items():
        (tmp_path / name).write_text(text.lstrip(), encoding="utf-8")
    return tmp_path


@pytest.fixture()
def small(small_dir: Path) -> Architecture:
    return Architecture.build(load_architecture(small_dir), SMALL_SPELLS)


@pytest.fixture(scope="module")
def real() -> Architecture:
    return Architecture.load()
