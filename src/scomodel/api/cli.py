"""``scomodel serve``: the API and the explorer on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the interfaces' commands to the root app: ``serve`` and ``report``."""
    from scomodel.report.cli import register as register_report

    register_report(app)

    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port")] = 8000,
        workers: Annotated[
            int, typer.Option(help="server processes (share one store via SCOMODEL_DB)")
        ] = 1,
    ) -> None:
        """Serve the REST API (OpenAPI at /docs) and the web explorer (/explorer)."""
        import uvicorn

        typer.echo(f"scomodel API on http://{host}:{port}/docs, explorer on "
                   f"http://{host}:{port}/explorer", err=True)
        uvicorn.run("scomodel.api.app:app_from_env", factory=True, host=host, port=port,
                    workers=workers, log_level="warning")
