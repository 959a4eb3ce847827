"""``scomodel serve``: the API and the explorer on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from scomodel.limits import HEADER_TIMEOUT, KEEP_ALIVE, LIMIT_CONCURRENCY

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
        header_timeout: Annotated[
            float, typer.Option(help="seconds a request's headers may take to arrive")
        ] = HEADER_TIMEOUT,
        limit_concurrency: Annotated[
            int, typer.Option(help="connections served at once per process (more: 503)")
        ] = LIMIT_CONCURRENCY,
        keep_alive: Annotated[
            int, typer.Option(help="seconds an idle keep-alive connection stays open")
        ] = KEEP_ALIVE,
    ) -> None:
        """Serve the REST API (OpenAPI at /docs) and the web explorer (/explorer).

        Hardened (docs/reliability.md): request heads over 16 KB or 100 headers are
        refused, a head must arrive within --header-timeout, idle connections close after
        --keep-alive seconds and at most --limit-concurrency are served at once.
        """
        import os

        import uvicorn

        from scomodel.api.server import server_settings
        from scomodel.limits import check_count

        check_count(port, field="port", low=0, high=65_535)
        check_count(workers, field="workers", low=1, high=64)
        check_count(limit_concurrency, field="limit-concurrency", low=1, high=100_000)
        check_count(keep_alive, field="keep-alive", low=1, high=3_600)
        if not 0 < header_timeout <= 3_600:
            from scomodel.limits import LimitError

            raise LimitError(f"--header-timeout must lie in (0, 3600], got {header_timeout}",
                             field="header-timeout")
        os.environ["SCOMODEL_API_HEADER_TIMEOUT"] = str(header_timeout)  # worker processes
        typer.echo(f"scomodel API on http://{host}:{port}/docs, explorer on "
                   f"http://{host}:{port}/explorer", err=True)
        options = {**server_settings(), "limit_concurrency": limit_concurrency,
                   "timeout_keep_alive": keep_alive}
        uvicorn.run("scomodel.api.app:app_from_env", factory=True, host=host, port=port,
                    workers=workers, log_level="warning", **options)
