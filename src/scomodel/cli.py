"""The ``scomodel`` command: a thin Typer layer over the package's functions.

Each part registers its own commands (``<part>/cli.py``, ``register(app)``); this module
only assembles them and turns :class:`~scomodel.errors.ScomodelError` into a one-line
message and exit status 2, so bad input never shows a traceback.
"""

from __future__ import annotations

import sys

import typer

from scomodel.errors import ScomodelError

app = typer.Typer(
    name="scomodel",
    help="An executable, sourced model of the SCO and the regional security architecture.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register_parts() -> None:
    from scomodel.registry.cli import register as register_registry

    register_registry(app)
    from scomodel.architecture.cli import register as register_architecture
    register_architecture(app)
    from scomodel.bargaining.cli import register as register_bargaining
    register_bargaining(app)
    from scomodel.api.cli import register as register_api
    register_api(app)
    from scomodel.charter.cli import register as register_charter
    register_charter(app)


_register_parts()


def main() -> None:
    """Entry point: Click handles usage errors (exit 2); scomodel's own errors exit 2 too."""
    try:
        app()
    except ScomodelError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
