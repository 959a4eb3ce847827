"""Charter commands added by issue 14: authority scores and rule tests as data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scomodel.output import emit

__all__ = ["register"]

Fmt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv")]


def _side_by_side(orgs: list[str], start: int, end: int, fmt: str) -> None:
    """Several organizations: JSON one object per organization, a table one row a year."""
    from scomodel.charter.authority import SCALE, authority

    scores = {o.upper(): authority(o, start, end) for o in orgs}
    if fmt == "json":
        emit([{"org": o, "scale": SCALE, "years": [y.to_dict() for y in ys]}
              for o, ys in scores.items()], fmt)
        return
    rows = []
    for i, year in enumerate(range(start, end + 1)):
        row: dict[str, object] = {"year": year}
        for o, ys in scores.items():
            d = ys[i].to_dict()
            row[f"{o} del"], row[f"{o} pool"] = d["delegation"], d["pooling"]
        rows.append(row)
    emit(rows, fmt, title=f"delegation and pooling {start}-{end} ({', '.join(scores)})")


def register(app: typer.Typer) -> None:
    @app.command("authority")
    def authority_cmd(
        orgs: Annotated[list[str], typer.Argument(help="SCO, CSTO, EAEU, CIS or OSCE (several "
                                                   "for a table and figure side by side)")],
        start: Annotated[int, typer.Option("--from", help="first year")],
        end: Annotated[int, typer.Option("--to", help="last year")],
        cells: Annotated[
            bool, typer.Option("--cells", help="one row per area and stage, with its rules")
        ] = False,
        plot: Annotated[
            Path | None,
            typer.Option("--plot", help="draw delegation and pooling over time (PNG), with "
                         "MIA's published scores as dots"),
        ] = None,
        format: Fmt = "table",
    ) -> None:
        """Delegation and pooling of ORG year by year (MIA scheme), from the rules in force."""
        from scomodel.charter.authority import SCALE, authority

        if plot is not None:
            from scomodel.charter.authority_plot import plot_authority

            plot_authority(orgs, start, end, plot)
            typer.echo(f"figure written to {plot}", err=True)
        if len(orgs) > 1:
            _side_by_side(orgs, start, end, format)
            return
        org = orgs[0]
        years = authority(org, start, end)
        if format == "json":
            emit({"org": org.upper(), "scale": SCALE, "years": [y.to_dict() for y in years]},
                 format)
            return
        if cells:
            emit([{"year": y.year, **c.to_dict()} for y in years for c in y.cells], format,
                 title=f"{org.upper()} authority cells {start}-{end}")
            return
        rows = [
            {"year": y.year, "delegation": y.to_dict()["delegation"],
             "pooling": y.to_dict()["pooling"], "ds": round(y.ds, 4),
             **{f"pool_{a}": round(v["pooling"], 3) for a, v in y.areas.items()},
             "rulebooks": ", ".join(y.rulebooks)}
            for y in years
        ]
        emit(rows, format, title=f"{org.upper()} delegation and pooling {start}-{end}")

    @app.command("test-rules")
    def test_rules(
        files: Annotated[list[Path], typer.Argument(help="rule-test YAML files")],
        failed: Annotated[bool, typer.Option("--failed", help="only failing cases")] = False,
        format: Fmt = "table",
    ) -> None:
        """Run rule tests written as data (cases from the real history); exit 1 if any fails."""
        from scomodel.charter.ruletests import run_files

        results = run_files(files)
        rows = [r.to_dict() for r in results if not failed or not r.passed]
        n_ok = sum(r.passed for r in results)
        emit(rows, format, title=f"{n_ok} of {len(results)} rule tests pass")
        if n_ok != len(results):
            raise typer.Exit(1)
