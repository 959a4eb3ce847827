"""``scomodel map ORG --on DATE --out map.png`` (and ``--from/--to --out anim.gif``).

ORG may name several organizations (``SCO,CSTO,EAEU,CIS``): they are drawn as small
multiples on the same day. The figures come from :mod:`scomodel.registry.map_plots`,
the same cells the explorer's map shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``map`` to the root app."""

    @app.command("map")
    def map_(
        org: Annotated[str, typer.Argument(help="organization(s), e.g. SCO or SCO,CSTO,EAEU,CIS",
                                           metavar="ORG")],
        out: Annotated[Path, typer.Option("--out", help="the PNG (or, with --from/--to, GIF) "
                                                        "to write")],
        on: Annotated[str | None, typer.Option("--on", help="YYYY, YYYY-MM or YYYY-MM-DD")]
        = None,
        start: Annotated[str | None, typer.Option("--from", help="first day of an animation")]
        = None,
        end: Annotated[str | None, typer.Option("--to", help="last day of an animation")]
        = None,
        fps: Annotated[int, typer.Option("--fps", help="animation frames per second",
                                           min=1, max=30)] = 2,
    ) -> None:
        """Draw a world map of every state's status in ORG on a day, or an animation of
        its changes over a range (one frame per day the map changes)."""
        from scomodel.errors import InputError
        from scomodel.registry import Registry
        from scomodel.registry.map_plots import animate_map, draw_grid, draw_map

        reg = Registry.open()
        orgs = [reg.resolve_org(o.strip()) for o in org.split(",") if o.strip()]
        if not orgs:
            raise InputError("name an organization", field="org")
        if start or end:
            if on:
                raise InputError("give either --on or --from/--to, not both", field="on")
            if not (start and end):
                raise InputError("an animation needs both --from and --to",
                                 field="to" if start else "from")
            if len(orgs) > 1:
                raise InputError("an animation shows one organization", field="org")
            path, days = animate_map(reg, orgs[0], start, end, out, fps=fps)
            typer.echo(f"animation of {len(days)} frames ({days[0]} to {days[-1]}) "
                       f"written to {path}")
            return
        if not on:
            raise InputError("give --on (a day, month or year) or --from/--to", field="on")
        if out.suffix.lower() not in {".png", ".svg", ".pdf"}:
            raise InputError(f"a map is written as PNG, SVG or PDF, not {out.name}",
                             field="out")
        path = draw_map(reg, orgs[0], on, out) if len(orgs) == 1 else draw_grid(
            reg, orgs, on, out)
        typer.echo(f"map written to {path}")
