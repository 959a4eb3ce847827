"""``scomodel sources KEY | --check | --stale``: one source and what cites it, the data's
citation warnings, and the organizations due for a re-check.

Kept apart from :mod:`scomodel.registry.cli` so the ``sources`` command there only routes
its new options here; the work is done by :mod:`scomodel.registry.citations`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from scomodel.errors import NotFoundError
from scomodel.output import emit

__all__ = ["show_source", "check", "stale", "check_lines"]

_PUBLIC = ("key", "kind", "title", "author", "outlet", "year", "published", "url",
           "accessed", "repost", "note")


def show_source(key: str, fmt: str = "table") -> None:
    """The source's entry, then every record that cites it (file:line, record, locator)."""
    from scomodel.registry.citations import citing, iter_citations, read_sources
    from scomodel.registry.loader import data_dir_in_use

    root = data_dir_in_use()
    entries = read_sources(root)
    if key not in entries:
        raise NotFoundError(f"unknown source {key!r} (see `scomodel sources`)", field="key")
    entry = {k: entries[key].get(k) for k in _PUBLIC if entries[key].get(k) is not None}
    rows = citing(key, list(iter_citations(root, _scenarios(root))))
    if fmt.lower() == "json":
        emit({"source": entry, "cited_by": rows}, fmt)
        return
    if fmt.lower() == "table":
        emit(entry, fmt, title=f"source {key}")
        typer.echo(f"\ncited {len(rows)} times:")
    emit([{**r, "where": f"{r['file']}:{r['line']}"} for r in rows], fmt,
         columns=["where", "record", "locator"], empty=f"No data file cites {key}.")


def _scenarios(root: Path) -> Path | None:
    """The built-in scenarios cite the package's sources: walk them with its data only."""
    from scomodel.registry.citations import SCENARIOS_DIR
    from scomodel.registry.loader import DATA_DIR

    return SCENARIOS_DIR if root.resolve() == DATA_DIR.resolve() else None


def check_lines(data_dir: str | Path | None = None) -> list[str]:
    """Every warning, ``file:line: message``: citations without a locator (the loader's for
    the files it reads, the citation walk's for the rest) and source entries a reader
    could not follow (no URL, an unmarked repost, no access or publication date)."""
    from scomodel.registry.citations import (
        iter_citations,
        locator_warnings,
        read_sources,
        source_warnings,
    )
    from scomodel.registry.loader import data_dir_in_use, load_curated

    root = data_dir_in_use(data_dir)
    loaded = load_curated(root)
    # the loader knows no line for an organization's citation: the walk below does
    read_by_loader = ("spells/", "facts/")
    lines = [w.replace(f"{root}/", "", 1) for w in loaded.warnings]
    lines = [w for w in lines if w.startswith(read_by_loader)]
    rest = [c for c in iter_citations(root, _scenarios(root))
            if not c.file.startswith(read_by_loader)]
    lines += [str(w) for w in locator_warnings(rest)]
    lines += [str(w) for w in source_warnings(read_sources(root))]
    return lines


def check(fmt: str = "table") -> None:
    lines = check_lines()
    if fmt.lower() == "table":
        for line in lines:
            typer.echo(line)
        typer.echo(f"{len(lines)} warnings", err=True)
    else:
        emit([{"warning": line} for line in lines], fmt, columns=["warning"])


def stale(fmt: str = "table", today: date | None = None) -> None:
    """Organizations whose data were not checked in the last 12 months."""
    from scomodel.registry.citations import stale_organizations

    rows = stale_organizations(today=today)
    emit(rows, fmt, columns=["code", "name", "checked", "months_since"],
         empty="Every organization was checked in the last 12 months.")
