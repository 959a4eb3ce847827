"""``scomodel overlap``, ``scomodel network``, ``scomodel evolution``: thin CLI wrappers.

Each command builds plain data with the package's functions and prints it with
:func:`scomodel.output.emit`; bad input raises :class:`~scomodel.errors.InputError`, which
the root CLI turns into a one-line message and exit status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from scomodel.errors import InputError
from scomodel.output import FormatOption, emit

__all__ = ["register"]


def _architecture() -> Any:
    """The architecture of the data in use, unpickled when neither store nor data changed."""
    from scomodel.architecture.model import Architecture
    from scomodel.registry.fastindex import cached

    return cached("architecture", Architecture.load, code=(Path(__file__).parent,))


def _region_name(arch: Any, region: str | None) -> str:
    entry = arch.data.region(region)
    return entry.name if entry else "all regions"


def _check_date(on: str) -> str:
    from scomodel.dates import parse_period

    parse_period(on, field="on")
    return on


def overlap(
    on: str = typer.Option(..., "--on", help="date YYYY[-MM[-DD]] (first day of a coarse date)"),
    region: str | None = typer.Option(None, "--region", help="e.g. central-asia"),
    field: str | None = typer.Option(None, "--field", help="e.g. counter_terrorism"),
    fmt: str = FormatOption,
    plot: Path | None = typer.Option(None, "--plot", help="write a heatmap PNG here"),
) -> None:
    """Membership and functional overlap of every pair of organizations on a date."""
    from scomodel.architecture.overlap import pair_rows, pairs_frame

    arch = _architecture()
    pairs = pair_rows(arch, _check_date(on), region=region, field=field)  # plain: no pandas
    if plot is not None:
        from scomodel.architecture.plots import plot_overlap

        what = f", field {field}" if field else ""
        plot_overlap(pairs_frame(pairs), plot,
                     title=f"Overlap, {_region_name(arch, region)}, {on}{what}")
        typer.echo(f"figure written to {plot}", err=True)
    columns = None if fmt.lower() == "json" else ["a", "b", "jaccard", "n_shared",
                                                  "shared_members", "shared_fields"]
    emit(pairs, fmt, title=f"Overlap on {on}", columns=columns)


def network(
    on: str = typer.Option(..., "--on", help="date YYYY[-MM[-DD]]"),
    region: str | None = typer.Option(None, "--region", help="e.g. central-asia"),
    fmt: str = FormatOption,
    plot: Path | None = typer.Option(None, "--plot", help="write a network PNG here"),
    export: str | None = typer.Option(None, "--export", help="graphml or json (to stdout)"),
) -> None:
    """The actor-organization network: per-state centrality, or the whole graph exported."""
    from scomodel.architecture.ties import network_ties

    if export is not None and export.lower() not in ("graphml", "json"):
        raise InputError(f"unknown export {export!r}: expected graphml or json", field="export")
    arch = _architecture()
    # plain nodes and edges: the centrality table needs neither NetworkX nor pandas
    ties = network_ties(arch, _check_date(on), region=region)
    if plot is not None or export is not None:
        from scomodel.architecture.network import to_graph

        graph = to_graph(ties)
    if plot is not None:
        from scomodel.architecture.plots import plot_network

        plot_network(graph, plot, title=f"Security architecture, {_region_name(arch, region)}, "
                                        f"{on}")
        typer.echo(f"figure written to {plot}", err=True)
    if export is None:
        from scomodel.architecture.centrality import centrality_rows

        emit(centrality_rows(ties), fmt, title=f"Centrality on {on}")
    elif export.lower() == "json":
        from scomodel.architecture.network import network_json

        emit(network_json(graph), "json")
    else:
        import networkx as nx

        from scomodel.architecture.network import graphml_ready

        typer.echo("\n".join(nx.generate_graphml(graphml_ready(graph))))


def evolution(
    first: str = typer.Option("1996", "--from", help="first year"),
    last: str = typer.Option("2025", "--to", help="last year"),
    region: str | None = typer.Option(None, "--region", help="e.g. central-asia"),
    step: str = typer.Option("month", "--step", help="month or day"),
    fmt: str = FormatOption,
    plot: Path | None = typer.Option(None, "--plot", help="write the evolution PNG here"),
    full: bool = typer.Option(
        False, "--full", help="--step day, JSON: also every pair's and state's daily series "
        "(tens of MB; left out by default)"),
) -> None:
    """Overlap and the great powers' ties into a region over time, turning points marked."""
    from scomodel.architecture.evolution import evolution as sweep

    arch = _architecture()
    summary_only = fmt.lower() == "json" and step == "day" and not full and plot is None
    result = sweep(arch, first, last, region=region, step=step, per_pair=not summary_only)
    if plot is not None:
        from scomodel.architecture.plots import plot_evolution

        plot_evolution(result, plot, title=f"{_region_name(arch, region)}: membership overlap "
                                           f"and the powers' ties, {first}-{last}")
        typer.echo(f"figure written to {plot}", err=True)
    if fmt.lower() == "json":
        # the sweep's NumPy columns straight to JSON text: no DataFrame, no pandas import
        from scomodel.output_stream import json_chunks

        tables = dict(result.tables)
        extra: dict[str, Any] = {}
        if step == "day" and not full:
            for name in ("pairs", "actors"):
                tables.pop(name)
            extra["omitted"] = {"series": ["pairs", "actors"], "hint": "--full writes them"}
            typer.echo("day steps: the per-pair and per-state series are left out "
                       "(--full writes them)", err=True)
        for chunk in json_chunks(tables, extra):
            typer.echo(chunk)
        return
    emit(_yearly(result), fmt, title="Evolution (1 January of each year)")


def _yearly(result: Any) -> Any:
    """The summary on 1 January of each year, with each power's ties as extra columns."""
    first = [d.month == 1 and d.day == 1 for d in result.summary["date"]]
    table = result.summary[first].copy()
    powers = result.powers.pivot(index="date", columns="power",
                                 values=["states_via_orgs", "states_via_bilateral"])
    for (measure, power) in powers.columns:
        short = "orgs" if measure == "states_via_orgs" else "bilateral"
        table[f"{power}_{short}"] = table["date"].map(powers[(measure, power)])
    return table


def register(app: typer.Typer) -> None:
    """Add the architecture commands to the root ``scomodel`` app."""
    app.command("overlap")(overlap)
    app.command("network")(network)
    app.command("evolution")(evolution)
