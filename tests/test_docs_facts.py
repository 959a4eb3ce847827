"""What the docs state about the data is checked against the data (issue 10).

Counts, dates and statuses written in prose drift when the data change; each statement
here is read out of the doc itself (so editing the sentence or the data without the other
fails), recomputed from the data, and compared. A failure prints what the data say.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from scomodel.registry.loader import data_dir_in_use
from scomodel.registry.yamlio import plain, read_yaml

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
STATUS_WORDS = ("observer", "dialogue partner", "applicant", "acceding", "member", "partner",
                "guest", "candidate", "suspended")


def _statuses_in(text: str) -> set[str]:
    found = {w.replace(" ", "_") for w in STATUS_WORDS if re.search(rf"\b{w}s?\b", text)}
    if "dialogue_partner" in found and not re.search(r"(?<!dialogue )\bpartner\b", text):
        found.discard("partner")
    return found


def test_readme_coarse_date_sentence() -> None:
    """README: "(`--on 2017` shows India as ...)": every status India held in 2017."""
    from scomodel.registry import Registry

    match = re.search(r"`--on (\d{4})` shows (India|Pakistan|Iran) as ([^)]+)\)", README)
    assert match, "the README's coarse-date example is gone; update this test"
    year, name, listed = match.groups()
    code = {"India": "IND", "Pakistan": "PAK", "Iran": "IRN"}[name]
    held = {r.status for r in Registry.open().status(code, "SCO", year)}
    assert _statuses_in(listed) == held, f"the data say {name} held {sorted(held)} in {year}"


def test_data_sources_counts() -> None:
    """docs/data-sources.md: "| `spells/sco.yaml` | ... | 87 spells |" for each file row."""
    text = (ROOT / "docs" / "data-sources.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `((?:spells|facts)/[\w.-]+\.yaml)`.*\| (\d+) (spells|facts) \|$",
                      text, flags=re.MULTILINE)
    rows += re.findall(r"`((?:spells|facts)/[\w.-]+\.yaml)` \((\d+) (spells|facts)\)", text)
    assert len(rows) >= 8, "the data-sources table is gone; update this test"
    data = data_dir_in_use()
    wrong = {}
    for name, count, kind in rows:
        entries = plain(read_yaml(data / name)).get(kind) or []
        if len(entries) != int(count):
            wrong[name] = f"doc says {count} {kind}, file has {len(entries)}"
    assert not wrong, wrong


def _check_history_table() -> tuple[int, Counter[tuple[str, str]], str]:
    text = (ROOT / "docs" / "charter.md").read_text(encoding="utf-8")
    total = re.search(r"On the curated record \(.*?, (\d+) changes\):", text)
    assert total, "docs/charter.md's check-history table is gone; update this test"
    start = text.index(total.group(0))
    table = text[start:].split("\n\n", 2)[1]
    stated: Counter[tuple[str, str]] = Counter()
    for line in table.splitlines()[2:]:
        verdict, rules, counts = (c.strip() for c in line.strip("|").split("|")[:3])
        for rule, count in zip(rules.split(", "), counts.split(" + "), strict=True):
            stated[(verdict, "" if rule == "—" else rule)] += int(count)
    return int(total.group(1)), stated, table


def test_charter_check_history_table() -> None:
    """docs/charter.md: the verdicts of check-history on the curated record, by rule."""
    from scomodel.charter.history import check_history

    total, stated, _ = _check_history_table()
    rows = check_history("SCO")
    actual = Counter((r.verdict, r.rule or "") for r in rows)
    shown = "\n".join(f"| {v} | {r or '—'} | {n} |" for (v, r), n in sorted(actual.items()))
    assert (len(rows), actual) == (total, stated), f"the data give ({len(rows)} changes):\n{shown}"


@pytest.mark.parametrize(("doc", "pattern", "command"), [
    ("docs/bargaining.md", r"# the (\w+) built-in scenarios", ["scenarios"]),
])
def test_counted_lists(doc: str, pattern: str, command: list[str]) -> None:
    import json

    from tests.clirun import invoke

    words = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10}
    match = re.search(pattern, (ROOT / doc).read_text(encoding="utf-8"))
    assert match, f"{doc} no longer says it; update this test"
    stated = words.get(match.group(1)) or int(match.group(1))
    result = invoke(*command, "--format", "json")
    assert len(json.loads(result.stdout)) == stated


def test_readme_cow_summary() -> None:
    """README: "(534 organizations, 1816–2014)", read off COW's own IGO-year table."""
    import pandas as pd

    match = re.search(r"IGO data \((\d+) organizations, (\d{4})–(\d{4})\)", README)
    assert match, "the README's COW summary is gone; update this test"
    table = ROOT.parent / "shared" / "data" / "cow_igo_v3" / "igo_year_format3.csv.gz"
    cow = pd.read_csv(table, usecols=["ioname", "year"])
    assert (cow["ioname"].nunique(), cow["year"].min(), cow["year"].max()) == tuple(
        int(g) for g in match.groups()
    )


_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10}


def _number(word: str) -> int:
    return _NUMBERS.get(word.lower()) or int(word)


def _sco_count(on: str, status: str) -> int:
    from scomodel.registry import Registry

    return len({r.actor for r in Registry.open().members("SCO", on, status)})


def _member_since(code: str) -> str:
    from scomodel.registry import Registry

    return min(r.start for r in Registry.open().timeline(code, "SCO") if r.status == "member")


def test_web_caption_counts() -> None:
    """docs/web.md: "The SCO on 2005-07-06: six members, four observers"."""
    text = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    match = re.search(r"The SCO on (\S+): (\w+) members, (\w+) observers", text)
    assert match, "docs/web.md's caption is gone; update this test"
    on, members, observers = match.groups()
    assert (_sco_count(on, "member"), _sco_count(on, "observer")) == (
        _number(members), _number(observers))


def test_charter_founding_and_accession_dates() -> None:
    """docs/charter.md: founded on 2001-06-15 by six states; India and Pakistan 2017-06-09."""
    text = (ROOT / "docs" / "charter.md").read_text(encoding="utf-8")
    founded = re.search(r"founded on (\d{4}-\d\d-\d\d) by (\w+) states", text)
    joined = re.search(r"India and Pakistan (\d{4}-\d\d-\d\d)\)", text)
    assert founded and joined, "docs/charter.md no longer says it; update this test"
    assert _sco_count(founded.group(1), "member") == _number(founded.group(2))
    assert _member_since("IND") == _member_since("PAK") == joined.group(1)


def test_bargaining_cinc_extract() -> None:
    """docs/bargaining.md: "`src/scomodel/data/cinc/cinc.csv`: 200 states, 1990-2022"."""
    import pandas as pd

    text = (ROOT / "docs" / "bargaining.md").read_text(encoding="utf-8")
    match = re.search(r"cinc\.csv`: (\d+) states, (\d{4})-(\d{4})", text)
    assert match, "docs/bargaining.md no longer says it; update this test"
    cinc = pd.read_csv(ROOT / "src" / "scomodel" / "data" / "cinc" / "cinc.csv")
    assert (cinc["actor"].nunique(), cinc["year"].min(), cinc["year"].max()) == tuple(
        int(g) for g in match.groups())
