"""``scomodel report --out DIR``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``report`` to the root app."""

    @app.command("report")
    def report(
        out: Annotated[Path, typer.Option("--out", help="folder to write the report into")] = Path(
            "build/report"
        ),
        org: Annotated[str, typer.Option("--org", help="the organization whose history")] = "SCO",
    ) -> None:
        """Write a self-contained HTML report (figures embedded, PNGs alongside)."""
        from scomodel.report.build import build_report

        index = build_report(out, org=org)
        typer.echo(f"report written to {index.resolve()}")
