"""``scomodel claims``: the seeds' claims with verdicts computed as of a date.

``claims`` lists the ledger, ``claims show ID --explain`` runs one operationalization and
prints its steps, ``claims timeline --plot FILE`` draws claims x time.
"""

from __future__ import annotations

from typing import Annotated

import typer

from scomodel.output import FormatOption, dumps, emit

__all__ = ["register"]

AsOf = Annotated[str | None, typer.Option("--as-of", help="evaluate with only data dated on "
                                          "or before this day (YYYY, YYYY-MM, YYYY-MM-DD; "
                                          "a coarse date is its last day)")]
WhatIf = Annotated[str | None, typer.Option("--registry", help="a what-if copy of the registry")]

claims_app = typer.Typer(help="The seeds' claims checked against the data (docs/claims.md).",
                         invoke_without_command=True, no_args_is_help=False)


@claims_app.callback()
def _list(ctx: typer.Context, as_of: AsOf = None, fmt: str = FormatOption,
          seed: Annotated[str | None, typer.Option(help="zhao2004 or masuda2011")] = None,
          registry: WhatIf = None) -> None:
    """Every claim with its verdict (holds, partly, fails, undecided) as of a date."""
    if ctx.invoked_subcommand is not None:
        return
    from scomodel.claims.ledger import claim_rows, ledger, open_registry

    items = ledger(as_of, registry=open_registry(registry), seed=seed)
    if fmt.lower() == "json":
        emit(items, "json")
        return
    emit(claim_rows(items), fmt, title=f"Claims as of {items[0]['as_of'] if items else as_of}",
         columns=["id", "seed", "locator", "verdict", "deciding", "sources"])


@claims_app.command("show")
def _show(claim_id: Annotated[str, typer.Argument(metavar="ID")], as_of: AsOf = None,
          explain: Annotated[bool, typer.Option("--explain", help="show the queries run and "
                                                "the rows and figures they returned")] = False,
          fmt: str = FormatOption, registry: WhatIf = None) -> None:
    """One claim: its paraphrase, operationalization, verdict and (with --explain) steps."""
    from scomodel.claims.ledger import explain as run
    from scomodel.claims.ledger import open_registry

    out = run(claim_id, as_of, registry=open_registry(registry), steps=explain)
    if fmt.lower() == "json":
        typer.echo(dumps(out))
        return
    if fmt.lower() == "csv":
        emit([{k: v for k, v in out.items() if k not in ("steps",)}], "csv")
        return
    loc = out["locator"]
    typer.echo(f"{out['id']}  ({out['seed']} {loc['section']}"
               f"{' fn ' + loc['footnote'] if loc.get('footnote') else ''}, made {out['made']})")
    typer.echo(f"  claim: {out['paraphrase']}")
    op = out["operationalization"]
    typer.echo(f"  query: {op['query']} {dumps(op['params'], indent=None)}")
    typer.echo(f"         ({op['describe']})")
    typer.echo(f"  verdict as of {out['as_of']}: {out['verdict'].upper()}  ({out['reason']})")
    for c in out["deciding"]:
        target = c.get("value_figure") or c.get("value")
        typer.echo(f"    {c['figure']} {c['op']} {target!r}: actual {c.get('actual')!r} -> "
                   f"{c.get('true')}")
    typer.echo(f"  threshold: {out['threshold']['why']}")
    if out.get("limits"):
        typer.echo(f"  limits: {out['limits']}")
    if explain:
        typer.echo("  steps:")
        for i, s in enumerate(out["steps"], 1):
            typer.echo(f"    {i}. [{s['part']}] {s['call']}")
            typer.echo(f"       -> {dumps(s['result'], indent=None)}")
        typer.echo(f"  figures: {dumps(out['figures'], indent=None)}")
    typer.echo("  sources: " + "; ".join(f"{s['source']} {s.get('locator') or ''}".strip()
                                         for s in out["sources"]))


@claims_app.command("timeline")
def _timeline(fmt: str = FormatOption,
              plot: Annotated[str | None, typer.Option(help="write claims x time as PNG")] = None,
              first: Annotated[int, typer.Option("--from", min=2001, max=2100)] = 2004,
              last: Annotated[int, typer.Option("--to", min=2001, max=2100)] = 2026,
              registry: WhatIf = None) -> None:
    """Each claim's verdict as of 31 December of each year."""
    from scomodel.claims.ledger import open_registry, timeline
    from scomodel.errors import InputError

    if last < first:
        raise InputError(f"--to {last} is before --from {first}", field="to")
    data = timeline(tuple(range(first, last + 1)), registry=open_registry(registry))
    if plot:
        from scomodel.claims.plots import plot_timeline

        plot_timeline(data, plot)
    if fmt.lower() == "json":
        typer.echo(dumps(data))
        return
    rows = [{"id": c["id"], **{d[:4]: v for d, v in zip(data["days"], c["verdicts"],
                                                        strict=True)}}
            for c in data["claims"]]
    emit(rows, fmt, title="Verdicts by year")


def register(app: typer.Typer) -> None:
    app.add_typer(claims_app, name="claims")
