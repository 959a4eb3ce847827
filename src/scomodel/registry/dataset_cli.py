"""The registry as a research dataset: ``panel``, ``cite`` and ``version``.

``panel`` shapes the spells as the tables researchers analyse; ``cite`` gives the entries for
the sources behind any answer (``cite --for members SCO --on 2005-07-06``); ``version`` says
which release of the package and of the data an answer came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]

_UNITS = "state-year, state-month, state-day, org-year, dyad-year, directed-dyad-year"


def _split(text: str | None) -> list[str] | None:
    if not text:
        return None
    items = [t.strip() for t in text.replace("+", ",").split(",") if t.strip()]
    return items or None


def _query_answer(args: list[str]) -> object:
    """Run a query command of this CLI in-process with ``--format json``; its parsed answer."""
    import json

    from typer.testing import CliRunner

    from scomodel.cli import app as root
    from scomodel.errors import InputError

    if not args:
        raise InputError("--for needs a query, e.g. `cite --for members SCO --on 2005`",
                         field="for")
    if args[0] in ("cite", "panel", "serve", "report"):
        raise InputError(f"cannot cite the output of {args[0]!r}", field="for")
    cleaned, skip = [], False
    for arg in args:  # the query's own --format is replaced by json
        if skip:
            skip = False
            continue
        if arg in ("--format", "-f"):
            skip = True
            continue
        cleaned.append(arg)
    result = CliRunner().invoke(root, [*cleaned, "--format", "json"])
    from scomodel.errors import ScomodelError

    if isinstance(result.exception, ScomodelError):
        raise InputError(f"the query failed: {result.exception}", field="for")
    if result.exit_code != 0:
        message = (result.stderr if hasattr(result, "stderr") else result.output).strip()
        lines = [line.strip("│╭╮╰╯─ ").strip() for line in message.splitlines()]
        lines = [line for line in lines if line and not line.startswith(("Usage", "Try"))]
        last = lines[-1] if lines else f"exit {result.exit_code}"
        raise InputError(f"the query failed: {last}", field="for")
    return json.loads(result.stdout)


def add_exports(exporter: typer.Typer) -> None:
    """``export datapackage`` and ``export codebook`` (the ``export`` group is the registry's)."""

    @exporter.command("datapackage")
    def export_datapackage(
        folder: Annotated[Path, typer.Argument(help="folder to write (created if missing)")],
        panels: Annotated[str | None, typer.Option(
            "--panels", help="panels to add, comma-separated (e.g. state-year,org-year)")] = None,
    ) -> None:
        """Every table as a Frictionless Data Package (schemas from the data models)."""
        from scomodel.registry.core import Registry
        from scomodel.registry.datapackage import write_datapackage

        target = write_datapackage(Registry.open(), folder, _split(panels) or [])
        typer.echo(f"data package written to {target}", err=True)

    @exporter.command("wikidata")
    def export_wikidata(
        org: Annotated[str | None, typer.Option("--org", help="only this organization")] = None,
        out: Annotated[Path | None, typer.Option("--out", help="write to this file")] = None,
    ) -> None:
        """The statuses as Wikidata statements (QuickStatements V1), with references."""
        from scomodel.errors import InputError
        from scomodel.registry.core import Registry
        from scomodel.registry.wikidata import quickstatements

        result = quickstatements(Registry.open(), org)
        text = "".join(line + "\n" for line in result.lines)
        if out is None:
            typer.echo(text, nl=False)
        else:
            if not out.parent.exists() or out.is_dir():
                raise InputError(f"cannot write {out}", field="out")
            out.write_text(text, encoding="utf-8")
            typer.echo(f"{result.written} statements written to {out}", err=True)
        for reason, count in sorted(result.skipped.items()):
            typer.echo(f"not exported: {count} spells: {reason}", err=True)

    @exporter.command("codebook")
    def export_codebook(
        folder: Annotated[Path, typer.Argument(help="folder to write (created if missing)")],
    ) -> None:
        """The codebook (Markdown and HTML, one page per table)."""
        from scomodel.registry.codebook import write_codebook

        written = write_codebook(folder)
        typer.echo(f"{len(written)} codebook pages written to {folder}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``panel``, ``cite`` and ``version`` to the root app."""

    @app.command("version")
    def version(fmt: Annotated[str, typer.Option("--format", "-f",
                                                 help="table or json")] = "table") -> None:
        """The package version, the data version, the data fingerprint and the date checked."""
        from scomodel.output import emit
        from scomodel.registry.provenance import provenance

        info = provenance()
        emit([{"item": k, "value": v} for k, v in info.items()] if fmt != "json" else info,
             fmt)

    @app.command("cite", context_settings={"allow_extra_args": True,
                                           "ignore_unknown_options": True})
    def cite(
        ctx: typer.Context,
        fmt: Annotated[str, typer.Option("--format", "-f",
                                         help="bibtex, csl-json or ris")] = "bibtex",
        query: Annotated[bool, typer.Option(
            "--for", help="cite exactly the sources behind the query that follows")] = False,
    ) -> None:
        """How to cite scomodel and its data; with --for QUERY, that answer's sources."""
        from scomodel.errors import InputError
        from scomodel.registry.cite import project_entry, render, source_keys
        from scomodel.registry.core import Registry
        from scomodel.registry.provenance import provenance

        if ctx.args and not query:
            raise InputError(f"unexpected {ctx.args[0]!r}: put --for before a query",
                             field="for")
        reg = Registry.open()
        if not query:
            entries = [project_entry(provenance(reg))]
            for key in ("masuda2011", "zhao2004"):
                entries.append(reg.source(key))
            typer.echo(render(entries, fmt), nl=False)
            return
        keys = source_keys(_query_answer(list(ctx.args)))
        if not keys:
            typer.echo("that answer cites no sources (it has no rows)", err=True)
            return
        typer.echo(render([reg.source(k) for k in keys], fmt), nl=False)

    @app.command("panel")
    def panel(
        unit: Annotated[str, typer.Argument(help=_UNITS)],
        orgs: Annotated[str | None, typer.Option(
            "--orgs", help="organizations, comma-separated (default: every curated one, "
            "plus COW's when imported)")] = None,
        start: Annotated[str | None, typer.Option("--from", help="YYYY or YYYY-MM-DD")] = None,
        end: Annotated[str | None, typer.Option("--to", help="YYYY or YYYY-MM-DD")] = None,
        status: Annotated[str | None, typer.Option(
            "--status", help="only these statuses count, comma-separated")] = None,
        system: Annotated[str, typer.Option(
            "--system", help="state system of the rows: cow or gw")] = "cow",
        dataset: Annotated[str, typer.Option(
            "--dataset", help="auto (curated, else COW), curated or cow")] = "auto",
        reading: Annotated[str, typer.Option(
            "--cow-reading", help="where COW's tables disagree: state-year (as COW's counts) "
            "or igo-year")] = "state-year",
        step: Annotated[str | None, typer.Option(
            "--step", help="for state panels: year, month or day (overrides the unit's)")] = None,
        fmt: Annotated[str, typer.Option(
            "--format", "-f", help="csv, parquet, dta, jsonl or json")] = "csv",
        out: Annotated[Path | None, typer.Option(
            "--out", help="write to this file (required for parquet and dta)")] = None,
        registry: Annotated[str | None, typer.Option(
            "--registry", help="a what-if copy to read")] = None,
    ) -> None:
        """A panel: one row per state (or dyad, or organization) and period.

        Status cells use COW's codes (0 none, 1 member, 2 associate, 3 observer, -9
        missing, -1 organization not in existence) and extended codes for statuses COW
        lacks (docs/panels.md); an empty cell (NA) means the organization's data do not
        cover that period. Dyadic counts: dyadigos (COW's rule, joint full membership),
        shared_any, shared_partial.
        """
        from scomodel.errors import InputError
        from scomodel.registry.core import Registry
        from scomodel.registry.panel import STEPS, build_panel
        from scomodel.registry.panel_export import export_panel


        if step is not None:
            if step not in STEPS:
                raise InputError(f"unknown step {step!r}: expected year, month or day",
                                 field="step")
            if not unit.startswith("state-"):
                raise InputError("--step applies to state panels only", field="step")
            unit = f"state-{step}"
        reg = Registry.open(whatif=registry)
        frame = build_panel(reg, unit, orgs=_split(orgs), start=start, end=end,
                            statuses=_split(status), system=system, dataset=dataset,
                            reading=reading)
        text = export_panel(reg, frame, fmt, out)
        if text is not None:
            typer.echo(text, nl=False)
        else:
            typer.echo(f"{len(frame):,} rows written to {out}", err=True)
