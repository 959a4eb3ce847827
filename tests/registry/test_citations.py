"""Citations a reader can check (issue 13): the figures over every data file, the warnings
``scomodel sources --check`` prints, ``sources KEY`` and ``sources --stale``.

The measuring tests read the real data; their assertion messages carry the figures, so a
failing run says how far the data are from the goal and which files pull it down.
"""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scomodel.cli import app, main
from scomodel.registry.citations import (
    REPOST_HOSTS,
    SEED_KIND,
    WEB_KINDS,
    is_repost_url,
    iter_citations,
    locator_counts,
    read_sources,
    source_warnings,
    stale_organizations,
)
from scomodel.registry.loader import load_curated

GOAL = 0.95
runner = CliRunner()


@pytest.fixture(scope="module")
def real() -> tuple[list, dict]:
    return list(iter_citations()), read_sources()


def _share(rows: dict[str, dict[str, int]]) -> tuple[int, int, float]:
    have = sum(r["with"] for r in rows.values())
    total = have + sum(r["without"] for r in rows.values())
    return have, total, have / total if total else 1.0


def _figures(counts: dict[str, dict[str, int]]) -> str:
    have, total, share = _share(counts)
    lines = [f"all files: {have}/{total} non-seed citations carry a locator ({share:.1%}); "
             f"seed citations {sum(r['seed'] for r in counts.values())}"]
    for file, r in sorted(counts.items()):
        n = r["with"] + r["without"]
        if n and r["with"] / n < GOAL:
            lines.append(f"  {file}: {r['with']}/{n} ({r['with'] / n:.1%})")
    return "\n".join(lines)


def test_locators_on_95_percent_of_non_seed_citations(real: tuple[list, dict]) -> None:
    citations, sources = real
    counts = locator_counts(citations, sources)
    figures = _figures(counts)
    have, total, share = _share(counts)
    assert total > 1000, figures  # the walk found the data (not a vacuous 100%)
    assert share >= GOAL, f"all files: {have}/{total} ({share:.1%}) < {GOAL:.0%}\n{figures}"


def test_every_web_source_gives_its_url(real: tuple[list, dict]) -> None:
    _, sources = real
    missing = [k for k, s in sources.items() if s.get("kind") in WEB_KINDS and not s.get("url")]
    assert not missing, f"{len(missing)} news/official/reference sources without a url: {missing}"


def test_no_repost_without_the_mark(real: tuple[list, dict]) -> None:
    _, sources = real
    unmarked = [f"{k} ({s['url']})" for k, s in sources.items()
                if s.get("url") and is_repost_url(str(s["url"])) and not s.get("repost")]
    assert not unmarked, f"reposts on {REPOST_HOSTS} without repost: true: {unmarked}"
    reposts = sum(bool(s.get("repost")) for s in sources.values())
    assert reposts >= 5, "the marked reposts should be found"  # a guard on the walk


def test_seeds_have_full_entries(real: tuple[list, dict]) -> None:
    _, sources = real
    seeds = {k: s for k, s in sources.items() if s.get("kind") == SEED_KIND}
    assert set(seeds) == {"masuda2011", "zhao2004"}
    for key, s in seeds.items():
        for field in ("title", "author", "outlet", "published"):
            assert s.get(field), f"{key} lacks {field}"
    assert "Tokyo Foundation" in seeds["masuda2011"]["outlet"]
    assert str(seeds["masuda2011"]["published"]).startswith("2011")
    assert seeds["zhao2004"]["author"] == "ZHAO Huasheng"
    assert seeds["zhao2004"]["title"] == ("Security Building in Central Asia and the Shanghai "
                                          "Cooperation Organization")


def test_walk_finds_inline_and_listed_citations(tmp_path: Path) -> None:
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "a.yaml").write_text(
        "facts:\n  - id: f1\n    sources:\n      - {source: s1, locator: \"p. 4\"}\n"
        "      - {source: s2}\n")
    (tmp_path / "profiles.yaml").write_text(
        "profiles:\n  - actor: KAZ\n    interests:\n      - field: x\n        source: s1\n"
        "        locator: \"§2\"\n")
    found = sorted((c.file, c.line, c.source, c.locator, c.record)
                   for c in iter_citations(tmp_path, None))
    assert found == [("facts/a.yaml", 4, "s1", "p. 4", "f1"),
                     ("facts/a.yaml", 5, "s2", None, "f1"),
                     ("profiles.yaml", 5, "s1", "§2", "KAZ / x")]


def _copy(good_data: Path, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(good_data, data)
    return data


def test_loader_warns_on_a_citation_without_locator(good_data: Path, tmp_path: Path) -> None:
    data = _copy(good_data, tmp_path)
    before = len(load_curated(data).warnings)
    facts = data / "facts" / "summits.yaml"
    text = facts.read_text()
    assert "locator" in text
    facts.write_text(text.replace("locator:", "note:", 1))
    warned = load_curated(data).warnings  # still loads: a warning, not an error
    assert len(warned) == before + 1
    assert any("facts/summits.yaml:" in w and "no locator" in w for w in warned)


def test_source_warnings_name_the_missing_parts(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - key: a\n    kind: news\n    title: T\n"
        "  - key: b\n    kind: news\n    title: T\n    published: \"2008-10-23\"\n"
        "    url: https://armeniandiaspora.com/forum/x\n    accessed: \"2026-12-01\"\n")
    warnings = [str(w) for w in source_warnings(read_sources(tmp_path))]
    assert warnings == ["sources.yaml:2: source 'a' (news) has no url",
                        "sources.yaml:2: source 'a' has no publication date",
                        "sources.yaml:5: source 'b': https://armeniandiaspora.com/forum/x is a "
                        "mirror or forum copy; find the outlet's own page or set repost: true"]


def test_sources_cli_key_check_stale(good_data: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    data = _copy(good_data, tmp_path)
    monkeypatch.setenv("SCOMODEL_DATA", str(data))
    monkeypatch.setenv("SCOMODEL_DB", sqlite_url)
    out = runner.invoke(app, ["sources", "masuda2011", "--format", "json"])
    assert out.exit_code == 0, out.output
    shown = json.loads(out.stdout)
    assert shown["source"]["key"] == "masuda2011"
    cited = {(r["file"], r["record"], r["locator"]) for r in shown["cited_by"]}
    assert ("facts/summits.yaml", "sco-chs-2005-astana", "§2(1)") in cited
    assert any(f.startswith("spells/") for f, _, _ in cited)
    assert all(r["line"] for r in shown["cited_by"])
    monkeypatch.setattr(sys, "argv", ["scomodel", "sources", "nosuch"])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2  # a typed error naming the key

    facts = data / "facts" / "summits.yaml"
    facts.write_text(facts.read_text().replace("locator:", "note:", 1))
    out = runner.invoke(app, ["sources", "--check", "--format", "json"])
    assert out.exit_code == 0, out.output
    lines = [r["warning"] for r in json.loads(out.stdout)]
    assert any(w.startswith("facts/summits.yaml:") and "no locator" in w for w in lines)

    out = runner.invoke(app, ["sources", "--stale", "--format", "json"])
    assert out.exit_code == 0, out.output
    never = {"code": "SHANGHAI5", "name": "Shanghai Five", "checked": None,
             "months_since": None}
    assert json.loads(out.stdout) == [never]  # the fixture's SCO was checked 2026-12-01
    orgs = data / "organizations.yaml"
    orgs.write_text(orgs.read_text().replace('checked: "2026-12-01"', 'checked: "2024-05"', 1))
    stale = stale_organizations(data, today=date(2026, 12, 1))
    assert [(r["code"], r["checked"], r["months_since"]) for r in stale] == [
        ("SHANGHAI5", None, None), ("SCO", "2024-05", 31)]
    assert stale_organizations(data, today=date(2025, 5, 1)) == [never]


def test_an_old_store_gains_the_source_columns(tmp_path: Path) -> None:
    """A store made before outlet/published/accessed/repost existed gets them on open and
    forgets its fingerprint, so the next open refills the sources with their new fields."""
    import sqlite3

    from sqlalchemy import inspect

    from scomodel.registry import store

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE sources (dataset VARCHAR(100), key VARCHAR(200), kind "
                     "VARCHAR(40) NOT NULL, title TEXT NOT NULL, author TEXT, year INTEGER, "
                     "url TEXT, note TEXT, PRIMARY KEY (dataset, key))")
        conn.execute("CREATE TABLE meta (key VARCHAR(200) PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('curated_fingerprint', 'old')")
    engine = store.engine_for(f"sqlite:///{path}")
    columns = {c["name"] for c in inspect(engine).get_columns("sources")}
    assert {"outlet", "published", "accessed", "repost"} <= columns
    assert store.get_meta(engine, "curated_fingerprint") is None
