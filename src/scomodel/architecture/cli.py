"""``scomodel overlap``, ``scomodel network``, ``scomodel evolution``: thin CLI wrappers.

Each command builds plain data with the package's functions and prints it with
:func:`scomodel.output.emit`; bad input raises :class:`~scomodel.errors.InputError`, which
the root CLI turns into a one-line message and exit status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import typer

from scomodel.errors import InputError
from scomodel.output import FormatOption, emit

__all__ = ["register"]


def _architecture() -> Any:
    from scomodel.architecture.model import Architecture

    return Architecture.load()


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
    from scomodel.architecture.overlap import overlap_pairs

    arch = _architecture()
    pairs = overlap_pairs(arch, _check_date(on), region=region, field=field)
    if plot is not None:
        from scomodel.architecture.plots import plot_overlap

        what = f", field {field}" if field else ""
        plot_overlap(pairs, plot,
                     title=f"Overlap, {_region_name(arch, region)}, {on}{what}")
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
    from scomodel.architecture.network import build_network, centrality, network_json

    if export is not None and export.lower() not in ("graphml", "json"):
        raise InputError(f"unknown export {export!r}: expected graphml or json", field="export")
    arch = _architecture()
    graph = build_network(arch, _check_date(on), region=region)
    if plot is not None:
        from scomodel.architecture.plots import plot_network

        plot_network(graph, plot, title=f"Security architecture, {_region_name(arch, region)}, "
                                        f"{on}")
    if export is None:
        emit(centrality(graph), fmt, title=f"Centrality on {on}")
    elif export.lower() == "json":
        emit(network_json(graph), "json")
    else:
        typer.echo("\n".join(nx.generate_graphml(_graphml_ready(graph))))


def _graphml_ready(graph: nx.MultiGraph) -> nx.MultiGraph:
    """GraphML holds scalars only: drop ``None`` attributes, stringify the rest."""
    out = nx.MultiGraph()
    for node, attrs in graph.nodes(data=True):
        out.add_node(node, **{k: _scalar(v) for k, v in attrs.items() if v is not None})
    for a, b, key, attrs in graph.edges(keys=True, data=True):
        out.add_edge(a, b, key=key, **{k: _scalar(v) for k, v in attrs.items() if v is not None})
    return out


def _scalar(value: object) -> object:
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def evolution(
    first: str = typer.Option("1996", "--from", help="first year"),
    last: str = typer.Option("2025", "--to", help="last year"),
    region: str | None = typer.Option(None, "--region", help="e.g. central-asia"),
    step: str = typer.Option("month", "--step", help="month or day"),
    fmt: str = FormatOption,
    plot: Path | None = typer.Option(None, "--plot", help="write the evolution PNG here"),
) -> None:
    """Overlap and the great powers' ties into a region over time, turning points marked."""
    from scomodel.architecture.evolution import evolution as sweep

    arch = _architecture()
    result = sweep(arch, first, last, region=region, step=step)
    if plot is not None:
        from scomodel.architecture.plots import plot_evolution

        plot_evolution(result, plot, title=f"{_region_name(arch, region)}: membership overlap "
                                           f"and the powers' ties, {first}-{last}")
    if fmt.lower() == "json":
        emit(result.to_dict(), "json")
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
