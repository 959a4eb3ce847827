"""Registry commands: members, status, orgs, timeline, diff, shared, facts, sources, COW."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scomodel.output import emit

if TYPE_CHECKING:
    from scomodel.registry.core import Registry

__all__ = ["register"]

Fmt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv")]
On = Annotated[str, typer.Option("--on", help="YYYY, YYYY-MM or YYYY-MM-DD")]
WhatIf = Annotated[
    str | None,
    typer.Option("--registry", help="a what-if copy to read instead of the curated history"),
]

Explain = Annotated[
    bool,
    typer.Option("--explain", help="also print the chain behind the answer: the spells, "
                 "their sources and the rules in force for those statuses (JSON: 'trace')"),
]

DatasetOption = Annotated[
    str, typer.Option("--dataset", help="auto (curated, else COW), curated or cow")
]

SPELL_COLUMNS = ["org", "actor", "name", "status", "start", "end", "precision", "beside",
                 "sources"]
#: The values ``--status`` and ``facts --kind`` accept, for --help (kept here, not imported,
#: so a query need not load the data-format models; tests/registry checks them equal).
STATUS_HELP = ("member, associate, observer, dialogue_partner, partner, guest, applicant, "
               "acceding, candidate, suspended, frozen")
FACT_KIND_HELP = ("summit, document, body, office_term, agreement, relation, event, "
                  "status_decision")


def _short(entry: dict[str, Any]) -> str:
    return f"{entry['status']} {entry['start']}\u2013{entry.get('end') or 'now'}"


def _show(rows: Any, fmt: str, **kwargs: Any) -> None:
    """Emit spell-like rows; tables name the tracks beside a spell briefly and end with a
    coverage footnote when the answer runs past some organization's data."""
    from scomodel.registry.answers import coverage_footnote

    if fmt.lower() == "json" or not isinstance(rows, list):
        emit(rows, fmt, **kwargs)
        return
    from scomodel.output import to_plain

    plain = [to_plain(r) for r in rows]
    for row in plain:
        if isinstance(row.get("beside"), list):
            row["beside"] = "; ".join(_short(b) for b in row["beside"])
        if row.get("covered") is False and "end" in row:
            row["end"] = f"{row['end']} (data end)" if row.get("end_reason") == "coverage" \
                else row["end"]
    emit(plain, fmt, **kwargs)
    note = coverage_footnote(plain)
    if note and fmt.lower() == "table":
        typer.echo(note)


def _trace(explain: bool, rows: Any, org: str, on: str, question: str,
           whatif: str | None) -> Any:
    """``--explain``: the trace the charter part builds for these rows (else ``None``)."""
    if not explain:
        return None
    from scomodel.charter.explain import explain_spells

    return explain_spells(rows, org, on, question, registry=_registry(whatif))


def _explained(rows: Any, trace: Any, fmt: str) -> bool:
    """JSON with the trace beside the rows (``True``: printed); else print the tree after
    the table (on stderr after CSV) and return ``False`` so the caller shows the rows."""
    if trace is None:
        return False
    if fmt.lower() == "json":
        from scomodel.output import to_plain
        from scomodel.trace import explained

        emit(explained(to_plain(rows), trace, "rows"), "json")
        return True
    return False


def _why(trace: Any, fmt: str) -> None:
    if trace is not None:
        typer.echo("\nwhy:\n" + trace.render(), err=fmt.lower() == "csv")


def _registry(whatif: str | None = None) -> Registry:
    from scomodel.registry.core import Registry

    return Registry.open(whatif=whatif)


def _query(whatif: str | None, name: str, *args: Any, **kwargs: Any) -> Any:
    """``Registry.<name>(...)``, answered from the prebuilt index when it is fresh."""
    if whatif is None:
        from scomodel.registry.fastindex import query

        rows = query(name, *args, **kwargs)
        if rows is not None:
            return rows
    return getattr(_registry(whatif), name)(*args, **kwargs)


def register(app: typer.Typer) -> None:
    """Add the registry's commands to the root app."""

    @app.command("members")
    def members(
        org: Annotated[str, typer.Argument(help="organization, e.g. SCO")],
        on: On,
        status: Annotated[
            str | None, typer.Option(help=f"only this status: {STATUS_HELP}")
        ] = None,
        dataset: DatasetOption = "auto",
        registry: WhatIf = None,
        explain: Explain = False,
        format: Fmt = "table",
    ) -> None:
        """Who held which status in ORG on a date (a coarse date means the whole period)."""
        rows = _query(registry, "members", org, on, status, dataset=dataset)
        trace = _trace(explain, rows, org, on, f"members {org} {on}", registry)
        if _explained(rows, trace, format):
            return
        _show(rows, format, title=f"{org.upper()} on {on}", columns=SPELL_COLUMNS[1:],
             empty=f"No one held {'the status ' + status if status else 'a status'} in "
                   f"{org.upper()} on {on}.")
        _why(trace, format)

    @app.command("status")
    def status(
        actor: str, org: str, on: On, registry: WhatIf = None, explain: Explain = False,
        format: Fmt = "table",
    ) -> None:
        """The status of one actor in one organization on a date."""
        rows = _query(registry, "status", actor, org, on)
        trace = _trace(explain, rows, org, on, f"status {actor} {org} {on}", registry)
        if _explained(rows, trace, format):
            return
        _show(rows, format, columns=SPELL_COLUMNS,
             empty=f"{actor} held no status in {org} on {on}.")
        _why(trace, format)

    @app.command("orgs")
    def orgs(actor: str, on: On, registry: WhatIf = None, format: Fmt = "table") -> None:
        """Every organization the actor held a status in on a date."""
        _show(_query(registry, "orgs", actor, on), format, columns=SPELL_COLUMNS,
             empty=f"{actor} held a status in no organization on {on}.")

    @app.command("timeline")
    def timeline(
        actor: str,
        org: Annotated[str | None, typer.Option("--org", help="only this organization")] = None,
        plot: Annotated[
            Path | None, typer.Option("--plot", help="write a Gantt chart (PNG)")
        ] = None,
        registry: WhatIf = None,
        format: Fmt = "table",
    ) -> None:
        """All spells of one actor, oldest first, and optionally a figure."""
        if not plot:
            _show(_query(registry, "timeline", actor, org), format, columns=SPELL_COLUMNS,
                 empty=f"{actor} has no spells{' in ' + org if org else ''}.")
            return
        reg = _registry(registry)
        rows = reg.timeline(actor, org)
        if plot:
            from scomodel.registry.plots import plot_spells

            name = reg.actors.resolve(actor).name
            plot_spells(rows, plot, title=f"{name}: statuses over time")
            typer.echo(f"figure written to {plot}", err=True)
        _show(rows, format, columns=SPELL_COLUMNS)

    @app.command("diff")
    def diff(
        org: str, before: str, after: str, registry: WhatIf = None, format: Fmt = "table"
    ) -> None:
        """What changed in ORG between two dates (standing statuses and procedure tracks)."""
        _show(_registry(registry).diff(org, before, after), format,
              columns=["actor", "name", "track", "change", "before", "after", "sources"])

    @app.command("shared")
    def shared(a: str, b: str, on: On, registry: WhatIf = None, format: Fmt = "table") -> None:
        """Organizations both actors belonged to on a date."""
        _show(_registry(registry).shared(a, b, on), format,
              columns=["org", "a", "status_a", "beside_a", "b", "status_b", "beside_b",
                       "sources"])

    @app.command("facts")
    def facts(
        about: Annotated[str | None, typer.Option("--about", help="an actor code")] = None,
        kind: Annotated[
            str | None, typer.Option("--kind", help=f"only this kind: {FACT_KIND_HELP}")
        ] = None,
        registry: WhatIf = None,
        format: Fmt = "table",
    ) -> None:
        """The dated facts behind the answers, with their citations."""
        rows = _registry(registry).facts(about, kind)
        emit(rows, format, columns=["id", "kind", "date", "end", "title", "about", "sources"])

    @app.command("sources")
    def sources(
        key: Annotated[str | None, typer.Argument(help="one source: its entry and every "
                                                  "record that cites it")] = None,
        check: Annotated[bool, typer.Option(
            "--check", help="warnings: citations without a locator, sources a reader "
            "could not follow (file:line)")] = False,
        stale: Annotated[bool, typer.Option(
            "--stale", help="organizations not checked in the last 12 months")] = False,
        format: Fmt = "table",
    ) -> None:
        """Every source the data cites (or one, or the citation checks)."""
        if key or check or stale:
            from scomodel.registry import sources_cli

            if check:
                sources_cli.check(format)
            elif stale:
                sources_cli.stale(format)
            else:
                sources_cli.show_source(str(key), format)
            return
        emit(
            _registry().sources(), format, columns=["key", "kind", "author", "year", "title", "url"]
        )

    _register_cow(app)


def _register_cow(app: typer.Typer) -> None:
    importer = typer.Typer(help="Load external datasets into the store.", no_args_is_help=True)
    exporter = typer.Typer(help="Write the store in other layouts.", no_args_is_help=True)
    comparer = typer.Typer(
        help="Compare external datasets with the curated data.", no_args_is_help=True
    )
    app.add_typer(importer, name="import")
    app.add_typer(exporter, name="export")
    from scomodel.registry.dataset_cli import add_exports

    add_exports(exporter)
    app.add_typer(comparer, name="compare")

    @importer.command("cow-igo")
    def import_cow(
        directory: Annotated[Path, typer.Argument(help="folder with igo_year_format3.csv(.gz)")],
    ) -> None:
        """Load every COW IGO v3 organization as year-precision spells."""
        from scomodel.registry.cow import import_cow_igo

        summary = import_cow_igo(directory, show_progress=True)
        emit(summary, "table", title="COW IGO v3 imported")

    @exporter.command("cow-igo")
    def export_cow(
        org: Annotated[str, typer.Option("--org", help="organization to export")],
        out: Annotated[Path | None, typer.Option("--out", help="CSV file (default stdout)")] = None,
        layout: Annotated[str, typer.Option(help="state-year or igo-year")] = "state-year",
        dataset: Annotated[str, typer.Option(help="cow (as imported) or curated")] = "curated",
        strict_cow: Annotated[bool, typer.Option(
            "--strict-cow", help="only COW's codes (0/1/2/3/-9/-1): fold the extended codes "
            "and NA, and print what was folded")] = False,
    ) -> None:
        """Write an organization's spells in COW's layout: COW's codes for COW's statuses,
        extended codes for the others (docs/registry.md), NA outside coverage."""
        from scomodel.registry.cow_export import export_cow_igo, strict_note, to_cow_csv

        frame = export_cow_igo(_registry(), org, layout=layout, dataset=dataset,
                               strict=strict_cow)
        text = to_cow_csv(frame)
        if out:
            out.write_text(text)
            typer.echo(f"{len(frame)} rows written to {out}", err=True)
        else:
            typer.echo(text.rstrip("\n"))
        note = strict_note(frame)
        if note:
            typer.echo(note, err=True)

    @comparer.command("mia")
    def compare_mia_cmd(
        org: Annotated[str, typer.Option("--org", help="SCO, CIS or OSCE")],
        format: Annotated[str, typer.Option("--format", "-f")] = "table",
    ) -> None:
        """Our authority scores against MIA's, year by year, with the reason for each gap."""
        from scomodel.charter.mia import compare_mia  # the charter part computes it

        rows = compare_mia(org)
        emit(rows if format == "json" else [
            {k: v for k, v in r.items() if k != "differences"}
            | {"reasons": " | ".join(sorted({c["reason"] or "?" for d in r["differences"]
                                              for c in d["cells"]}))} for r in rows
        ], format, title=f"{org.upper()}: authority against MIA-Authority v2")

    @comparer.command("cow-igo")
    def compare_cow(
        org: Annotated[str, typer.Option("--org")] = "SCO",
        format: Fmt = "table",
    ) -> None:
        """State-years where COW and the curated data disagree, with the reason when known."""
        from scomodel.registry.cow_export import compare_cow_igo

        rows: Any = compare_cow_igo(_registry(), org)
        emit(rows, format, empty=f"COW and the curated data agree on every state-year of "
                                f"{org.upper()} COW covers (to 2014).")
