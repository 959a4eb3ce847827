"""Every citation in the data files, so a reader can check each one.

A citation is any mapping in a data file with ``source: KEY`` (the ``sources: [{source,
locator}]`` of spells and facts, and the inline ``source:``/``locator:`` pairs of profiles
and scenarios). This module finds them all with their file, line and the record that holds
them, so that ``scomodel sources --check`` can warn on a citation without a locator (a
warning: the data stay loadable), ``scomodel sources KEY`` can list what cites a source,
and the tests can measure how many citations a reader could follow to the passage.

It reads the YAML itself (not the store) because rulebooks, mandates, profiles and
scenarios never reach the store, and a curator wants the line of the citation to fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scomodel.dates import PartialDate
from scomodel.registry.loader import data_dir_in_use
from scomodel.registry.yamlio import read_yaml

__all__ = [
    "Citation", "DataWarning", "SCENARIOS_DIR", "SEED_KIND", "REPOST_HOSTS",
    "iter_citations", "read_sources", "locator_warnings", "source_warnings",
    "citing", "stale_organizations", "locator_counts", "WEB_KINDS", "is_repost_url",
]

SCENARIOS_DIR = Path(__file__).resolve().parent.parent / "scenarios"
#: The kind of the two seed analyses; their citations are counted apart.
SEED_KIND = "seed"
#: Hosts whose pages are reposts of other outlets' texts (forums, document mirrors, pages
#: copied onto unrelated domains): a source read there must say ``repost: true``. A web
#: archive's snapshot of the outlet's own page is not a repost.
REPOST_HOSTS = (
    "armeniandiaspora.com", "sinodefenceforum.com", "studylib.es", "studylib.net",
    "wikileaks.jcvignoli.com", "yibaidns.com", "ccgp-fushun.com", "aigou888.cn",
    "docplayer.net", "docslib.org", "scribd.com", "reddit.com", "freerepublic.com",
    "worldometers.info", "jawawa.id",
)
#: Kinds of source a reader finds on the web: each must give its URL.
WEB_KINDS = frozenset({"news", "official", "reference"})


@dataclass(frozen=True)
class Citation:
    """One ``source: KEY`` in a data file: where it is and what record holds it."""

    file: str
    line: int | None
    source: str
    locator: str | None
    record: str
    judgement: bool = False

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class DataWarning:
    """A problem worth fixing that does not stop the data loading."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


def _roots(data_dir: Path, scenarios_dir: Path | None) -> list[tuple[Path, Path]]:
    """(file, the folder its name is given relative to) for every file that may cite."""
    files = [
        (p, data_dir) for p in sorted(data_dir.rglob("*.yaml"))
        if p.name != "sources.yaml" and p.parent.name != "sources"
    ]
    if scenarios_dir is not None and scenarios_dir.is_dir():
        files += [(p, scenarios_dir.parent) for p in sorted(scenarios_dir.rglob("*.yaml"))]
    return files


def _line(node: Any, key: str) -> int | None:
    lc = getattr(node, "lc", None)
    try:
        return int(lc.key(key)[0]) + 1 if lc is not None else None
    except (KeyError, TypeError):
        return int(lc.line) + 1 if lc is not None and lc.line is not None else None


def _label(item: Any, fallback: str) -> str:
    """A short name for a record: its id, code or key, else actor/status/start."""
    if not isinstance(item, dict):
        return fallback
    for key in ("id", "code", "key", "name"):
        if isinstance(item.get(key), str):
            return str(item[key])
    parts = [str(item[k]) for k in ("org", "actor", "status", "start", "field", "date")
             if isinstance(item.get(k), (str, int))]
    return " ".join(parts) or fallback


def _walk(node: Any, record: str, file: str) -> Iterator[Citation]:
    if isinstance(node, dict):
        source = node.get("source")
        if isinstance(source, str):
            locator = node.get("locator")
            yield Citation(file, _line(node, "source"), source,
                           str(locator).strip() or None if locator is not None else None,
                           record, bool(node.get("judgement")))
        for key, value in node.items():
            if isinstance(value, list):
                for i, item in enumerate(value):
                    yield from _walk(item, _child(record, item, f"{key}[{i}]"), file)
            elif isinstance(value, dict):
                yield from _walk(value, record, file)


_CITATION_KEYS = {"source", "locator", "judgement", "note", "passage"}


def _child(record: str, item: Any, fallback: str) -> str:
    if isinstance(item, dict) and set(item) <= _CITATION_KEYS:
        return record  # a citation in a list of them: the record is its holder
    label = _label(item, fallback)
    return f"{record} / {label}" if record else label


def iter_citations(
    data_dir: str | Path | None = None, scenarios_dir: Path | None = SCENARIOS_DIR
) -> Iterator[Citation]:
    """Every citation in every data file (and the built-in scenarios), in file order."""
    data = data_dir_in_use(data_dir)
    for path, base in _roots(data, scenarios_dir):
        doc = read_yaml(path)
        top = _label(doc, "") if isinstance(doc, dict) and not doc.get("spells") else (
            str(doc.get("org", "")) if isinstance(doc, dict) else "")
        yield from _walk(doc, top, str(path.relative_to(base)))


def read_sources(data_dir: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The source entries as written (``sources.yaml`` and ``sources/*.yaml``), with file
    and line, so checks on them can point at the entry."""
    data = data_dir_in_use(data_dir)
    out: dict[str, dict[str, Any]] = {}
    for path in [data / "sources.yaml", *sorted((data / "sources").glob("*.yaml"))]:
        if not path.exists():
            continue
        items = read_yaml(path).get("sources") or []
        for i, item in enumerate(items):
            entry = {str(k): v for k, v in item.items()}
            entry["_file"] = str(path.relative_to(data))
            entry["_line"] = items.lc.item(i)[0] + 1 if hasattr(items, "lc") else None
            out[str(item["key"])] = entry
    return out


def locator_warnings(citations: list[Citation]) -> list[DataWarning]:
    """A warning for each citation that does not say where in the source to look."""
    return [DataWarning(c.file, c.line, f"citation of {c.source!r} ({c.record}) has no "
                        "locator: add the article, paragraph, page or footnote")
            for c in citations if not c.locator]


def source_warnings(sources: dict[str, dict[str, Any]]) -> list[DataWarning]:
    """Source entries a reader could not follow: a web source without its URL, a mirror's
    URL not marked ``repost``, a source without the publication date or its outlet."""
    out = []
    for key, s in sources.items():
        file, line = s["_file"], s["_line"]
        url = str(s.get("url") or "")
        if s.get("kind") in WEB_KINDS and not url:
            out.append(DataWarning(file, line, f"source {key!r} ({s.get('kind')}) has no url"))
        if url and is_repost_url(url) and not s.get("repost"):
            out.append(DataWarning(file, line, f"source {key!r}: {url} is a mirror or forum "
                                   "copy; find the outlet's own page or set repost: true"))
        if url and not s.get("accessed"):
            out.append(DataWarning(file, line, f"source {key!r} has a url but no accessed date"))
        if not (s.get("published") or s.get("year")):
            out.append(DataWarning(file, line, f"source {key!r} has no publication date"))
    return out


def is_repost_url(url: str) -> bool:
    """Whether ``url`` is on a host known to repost other outlets' texts."""
    host = urlsplit(url).hostname or ""
    return any(host == h or host.endswith("." + h) for h in REPOST_HOSTS)


def citing(key: str, citations: list[Citation]) -> list[dict[str, Any]]:
    """Every record that cites ``key``: file, line, record and locator."""
    return [{"file": c.file, "line": c.line, "record": c.record, "locator": c.locator or "",
             "judgement": c.judgement} for c in citations if c.source == key]


def locator_counts(
    citations: list[Citation], sources: dict[str, dict[str, Any]]
) -> dict[str, dict[str, int]]:
    """Per file: non-seed citations with and without a locator, and seed citations."""
    out: dict[str, dict[str, int]] = {}
    for c in citations:
        row = out.setdefault(c.file, {"with": 0, "without": 0, "seed": 0})
        if sources.get(c.source, {}).get("kind") == SEED_KIND:
            row["seed"] += 1
        else:
            row["with" if c.locator else "without"] += 1
    return out


def stale_organizations(
    data_dir: str | Path | None = None, today: date | None = None, months: int = 12
) -> list[dict[str, Any]]:
    """Organizations whose data were not checked in the last ``months`` months (or never),
    oldest first: the ones a curator should re-read next."""
    today = today or date.today()
    y, m = divmod(today.year * 12 + today.month - 1 - months, 12)
    cutoff = date(y, m + 1, min(today.day, 28))
    doc = read_yaml(data_dir_in_use(data_dir) / "organizations.yaml")
    rows = []
    for org in doc.get("organizations") or []:
        checked = org.get("checked")
        last = PartialDate(str(checked)).last if checked else None
        if last is None or last < cutoff:
            rows.append({"code": org["code"], "name": org.get("name"),
                         "checked": str(checked) if checked else None,
                         "months_since": None if last is None else
                         (today.year - last.year) * 12 + today.month - last.month})
    return sorted(rows, key=lambda r: (r["checked"] is not None, r["checked"] or ""))
