"""Small HTML helpers: escaped tables, embedded figures, the page shell."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

__all__ = ["table", "figure", "page", "cite", "esc"]

CSS = """
body { font-family: "DejaVu Sans", system-ui, sans-serif; max-width: 1100px; margin: 2rem auto;
       padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
h1 { color: #1f4e79; } h2 { border-bottom: 2px solid #1f4e79; padding-bottom: .2rem;
margin-top: 2.5rem; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .6rem 0 1.2rem; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .45rem; text-align: left;
         vertical-align: top; }
th { background: #eef2f7; }
figure { margin: 1rem 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: .85rem; color: #555; }
.note { color: #555; font-size: .9rem; } .judgement { color: #8e24aa; }
nav.toc a { margin-right: 1rem; }
"""


def esc(value: Any) -> str:
    return escape("" if value is None else str(value))


def cite(sources: Iterable[Mapping[str, Any]] | None) -> str:
    """``key locator`` citations; judgements (a coding, not a fact) are marked."""
    parts = []
    for s in sources or []:
        key = s.get("source") or s.get("key") or ""
        text = f"{key} {s.get('locator') or ''}".strip()
        if s.get("judgement"):
            text += " (judgement)"
        parts.append(esc(text))
    return "; ".join(parts)


def _cell(value: Any) -> str:
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        return cite(value)
    if isinstance(value, list):
        return esc(", ".join(map(str, value)))
    if isinstance(value, float):
        return esc(f"{value:.3f}")
    return esc(value)


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    if not rows:
        return '<p class="note">(no rows)</p>'
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(r.get(c))}</td>" for c in columns) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figure(path: Path, caption: str, out: Path) -> str:
    """The PNG embedded (the HTML stands alone) and linked to its file under ``out``."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    rel = path.relative_to(out).as_posix()
    return (f'<figure><a href="{esc(rel)}"><img alt="{esc(caption)}" '
            f'src="data:image/png;base64,{data}"></a>'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def page(title: str, sections: Sequence[tuple[str, str, str]], intro: str) -> str:
    toc = " ".join(f'<a href="#{esc(slug)}">{esc(name)}</a>' for slug, name, _ in sections)
    body = "".join(f'<section id="{esc(slug)}"><h2>{esc(name)}</h2>{html}</section>'
                   for slug, name, html in sections)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)}'
            f"</title><style>{CSS}</style></head><body><h1>{esc(title)}</h1>{intro}"
            f'<nav class="toc">{toc}</nav>{body}</body></html>\n')
