"""The SMP on the command line: ``run_cli`` for ``scomodel bargain --model smp`` and a
stand-alone ``bargain-smp`` command with the same options.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from scomodel.bargaining.smp.ktabcsv import write_ktab_csv
from scomodel.bargaining.smp.loader import load_scenario
from scomodel.bargaining.smp.montecarlo import BACKENDS
from scomodel.bargaining.smp.request import run_cli, run_request, table_rows
from scomodel.bargaining.smp.yamlio import write_smp_yaml
from scomodel.errors import InputError
from scomodel.output import FormatOption, emit

__all__ = ["run_cli", "run_request", "table_rows", "register"]


def register(app: typer.Typer) -> None:
    """Add ``bargain-smp`` to the root CLI."""

    @app.command("bargain-smp")
    def bargain_smp(
        scenario: str = typer.Argument(
            ..., help="a KTAB .csv, a scenario .yaml, or a built-in scenario name"
        ),
        fmt: str = FormatOption,
        plot: Path | None = typer.Option(None, "--plot", help="save positions per turn (png)"),
        runs: int = typer.Option(0, "--runs", help="Monte Carlo runs (0: deterministic only)"),
        seed: int = typer.Option(0, "--seed", help="seed of the Monte Carlo runs"),
        backend: str = typer.Option(
            "local", "--backend", help=f"Monte Carlo backend: {', '.join(BACKENDS)}"
        ),
        noise: float = typer.Option(
            0.0, "--noise", help="Monte Carlo: sd of position error, scale points"
        ),
        option: list[str] = typer.Option(
            None, "--option", "-o", help="SMP option NAME=VALUE, e.g. voting_rule=Binary"
        ),
        export: Path | None = typer.Option(
            None, "--export", help="write the scenario as .csv (KTAB) or .yaml and exit"
        ),
    ) -> None:
        """Spatial Model of Politics (KTAB's SMP): bargaining over several issues at once."""
        if export is not None:
            sc, opts = load_scenario(scenario)
            if export.suffix.lower() == ".csv":
                write_ktab_csv(sc, export)
            elif export.suffix.lower() in (".yaml", ".yml"):
                write_smp_yaml(sc, export, opts)
            else:
                raise InputError("export file must end in .csv, .yaml or .yml", field="export")
            typer.echo(str(export))
            return
        overrides: dict[str, Any] = {}
        for item in option or []:
            key, sep, value = item.partition("=")
            if not sep:
                raise InputError(f"bad option {item!r}: expected NAME=VALUE", field="option")
            overrides[key.strip()] = value.strip()
        out = run_cli(
            scenario,
            runs=runs,
            seed=seed,
            backend=backend,
            plot=plot,
            noise=noise,
            progress=fmt.lower() == "table",
            options=overrides,
        )
        if fmt.lower() == "json":
            emit(out, "json")
        else:
            emit(
                table_rows(out),
                fmt,
                title=f"{out['scenario']}: final state after {out['n_turns']} turns",
            )
