"""Citations: how to cite scomodel and its data, and the sources behind any answer.

Like peacesciencer's ``ps_cite()``, ``scomodel cite --for QUERY`` gives the entries for
exactly the sources behind an answer's rows, in BibTeX, CSL-JSON or RIS, built from
``sources.yaml`` (kind, title, author or issuing body, outlet, publication date, URL,
access date). :func:`source_keys` finds the keys in any answer (every row that carries
``sources: [{source: KEY, ...}]``, at any depth).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from scomodel.errors import InputError

__all__ = ["CITE_FORMATS", "source_keys", "render", "project_entry"]

CITE_FORMATS = ("bibtex", "csl-json", "ris")

_BIB_TYPE = {"analysis": "techreport", "official": "misc", "treaty": "misc", "news": "article",
             "dataset": "misc", "reference": "misc", "seed": "article", "scholarly": "article"}
_CSL_TYPE = {"analysis": "report", "official": "document", "treaty": "legislation",
             "news": "article-newspaper", "dataset": "dataset", "reference": "entry",
             "seed": "article-journal", "scholarly": "article-journal"}
_RIS_TYPE = {"analysis": "RPRT", "official": "GOVDOC", "treaty": "STAT", "news": "NEWS",
             "dataset": "DATA", "reference": "ENCYC", "seed": "JOUR", "scholarly": "JOUR"}


def project_entry(provenance: Mapping[str, str]) -> dict[str, Any]:
    """scomodel itself (software and data), as a source-like record."""
    return {
        "key": "scomodel", "kind": "dataset", "title":
        "scomodel: an executable, sourced model of the Shanghai Cooperation Organization",
        "author": "scomodel developers", "year": int(provenance.get("data_checked", "2026")[:4])
        if provenance.get("data_checked", "")[:4].isdigit() else None,
        "note": f"package {provenance.get('package')}, data {provenance.get('data_version')}"
        f" (fingerprint {provenance.get('fingerprint')})",
        "url": None, "outlet": None, "published": None, "accessed": None,
    }


def source_keys(answer: Any) -> list[str]:
    """Every source key cited anywhere in an answer, in first-seen order."""
    seen: dict[str, None] = {}

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            refs = value.get("sources")
            if isinstance(refs, list):
                for ref in refs:
                    if isinstance(ref, Mapping) and isinstance(ref.get("source"), str):
                        seen.setdefault(ref["source"], None)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(answer)
    return list(seen)


def _year(source: Mapping[str, Any]) -> str | None:
    if source.get("published"):
        return str(source["published"])[:4]
    return str(source["year"]) if source.get("year") else None


def _bib_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def _bibtex(source: Mapping[str, Any]) -> str:
    kind = _BIB_TYPE.get(str(source.get("kind")), "misc")
    fields = {
        "title": source.get("title"),
        "author": source.get("author"),
        "journal" if kind == "article" else "howpublished": source.get("outlet"),
        "year": _year(source),
        "date": source.get("published"),
        "url": source.get("url"),
        "urldate": source.get("accessed"),
        "note": source.get("note") if source.get("key") == "scomodel" else
        ("repost of the outlet's text" if source.get("repost") else None),
    }
    body = ",\n".join(f"  {k} = {{{_bib_escape(str(v))}}}" for k, v in fields.items() if v)
    return f"@{kind}{{{source['key']},\n{body}\n}}\n"


def _csl(source: Mapping[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"id": source["key"],
                            "type": _CSL_TYPE.get(str(source.get("kind")), "document"),
                            "title": source.get("title")}
    if source.get("author"):
        item["author"] = [{"literal": source["author"]}]
    if source.get("outlet"):
        item["container-title"] = source["outlet"]
    year = _year(source)
    if source.get("published") or year:
        parts = [int(p) for p in str(source.get("published") or year).split("-")]
        item["issued"] = {"date-parts": [parts]}
    if source.get("url"):
        item["URL"] = source["url"]
    if source.get("accessed"):
        item["accessed"] = {"date-parts": [[int(p) for p in str(source["accessed"]).split("-")]]}
    return item


def _ris(source: Mapping[str, Any]) -> str:
    lines = [f"TY  - {_RIS_TYPE.get(str(source.get('kind')), 'GEN')}",
             f"ID  - {source['key']}", f"TI  - {source.get('title')}"]
    for tag, value in (("AU", source.get("author")), ("T2", source.get("outlet")),
                       ("PY", _year(source)), ("DA", source.get("published")),
                       ("UR", source.get("url")), ("Y2", source.get("accessed"))):
        if value:
            lines.append(f"{tag}  - {value}")
    return "\n".join([*lines, "ER  - "]) + "\n"


def render(sources: Iterable[Mapping[str, Any]], fmt: str = "bibtex") -> str:
    """The entries of ``sources`` in ``fmt`` (bibtex, csl-json or ris)."""
    if fmt not in CITE_FORMATS:
        raise InputError(f"unknown citation format {fmt!r}: expected one of "
                         f"{', '.join(CITE_FORMATS)}", field="format")
    items = list(sources)
    if fmt == "csl-json":
        return json.dumps([_csl(s) for s in items], indent=2, ensure_ascii=False) + "\n"
    if fmt == "ris":
        return "\n".join(_ris(s) for s in items)
    return "\n".join(_bibtex(s) for s in items)
