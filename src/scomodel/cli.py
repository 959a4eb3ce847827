"""The ``scomodel`` command: a thin Typer layer over the package's functions.

Each part registers its own commands (``<part>/cli.py``, ``register(app)``); this module
only assembles them and turns :class:`~scomodel.errors.ScomodelError` into a one-line
message and exit status 2, so bad input never shows a traceback.

The parts are loaded lazily: the root group knows every command's name and which part
module defines it (:data:`COMMANDS`), and imports that module only when the command is
invoked (or when ``--help`` lists them all). A registry query therefore never imports
the API, the plots or the bargaining models, and a part whose optional dependencies are
missing (``serve`` without the ``web`` extra) fails with a message naming the extra
instead of breaking every other command.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from scomodel.errors import InputError, ScomodelError

__all__ = ["app", "main", "COMMANDS", "PARTS"]

#: Part module -> the root-level commands (or sub-groups) it registers, in help order.
#: ``tests/test_cli_speed.py`` checks this against what each part really registers.
PARTS: dict[str, tuple[str, ...]] = {
    "scomodel.registry.cli": (
        "members", "status", "orgs", "timeline", "diff", "shared", "facts", "sources",
        "import", "export", "compare",
    ),
    "scomodel.registry.dataset_cli": ("panel", "cite", "version"),
    "scomodel.registry.map_cli": ("map",),
    "scomodel.architecture.cli": ("overlap", "network", "evolution"),
    "scomodel.bargaining.cli": ("bargain", "scenarios", "backtest", "profile", "scenario"),
    "scomodel.report.cli": ("report",),
    "scomodel.api.cli": ("serve",),
    "scomodel.charter.cli": (
        "rules", "rights", "eligible", "proceed", "decide", "check-history",
    ),
    "scomodel.charter.cli_authority": ("authority", "test-rules"),
    "scomodel.claims.cli": ("claims",),
}
COMMANDS: dict[str, str] = {name: module for module, names in PARTS.items() for name in names}

#: Optional dependencies and the extra that installs them (``pip install 'scomodel[X]'``).
EXTRAS: dict[str, str] = {
    "fastapi": "web", "uvicorn": "web", "httptools": "web", "uvloop": "web",
    "plotly": "web", "httpx": "web", "swagger_ui_bundle": "web", "ray": "ray",
    "psycopg": "postgres",
}

_LOADED: dict[str, dict[str, Any]] = {}


def load_part(module: str) -> dict[str, Any]:
    """The Click commands one part registers (imported once per process)."""
    if module not in _LOADED:
        part = typer.Typer()
        importlib.import_module(module).register(part)
        group = typer.main.get_group(part)
        _LOADED[module] = dict(group.commands)
    return _LOADED[module]


def _missing_extra(name: str, exc: ModuleNotFoundError) -> Any:
    """A stand-in command that says which extra installs what ``name`` needs."""
    top = (exc.name or "").split(".")[0]
    extra = EXTRAS.get(top)
    hint = (f"pip install 'scomodel[{extra}]'" if extra
            else f"the package {top!r} is missing")
    message = f"`scomodel {name}` needs the {extra or top} extra ({hint})"

    stub = typer.Typer()

    @stub.command(name, help=f"(not installed: {hint})", add_help_option=False,
                  context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    def _fail() -> None:
        raise InputError(message, field="install")

    return typer.main.get_command(stub)


class LazyGroup(TyperGroup):
    """The root group: command names are known up front, their parts load on use."""

    # Typer >= 0.2x vendors Click (``typer._click``): Any keeps both generations typed.
    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *COMMANDS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return super().get_command(ctx, cmd_name) or _search_parts(cmd_name)
        try:
            return load_part(module).get(cmd_name)
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] in EXTRAS:
                return _missing_extra(cmd_name, exc)
            raise


def _search_parts(name: str) -> Any:
    """A command a part registers but :data:`PARTS` does not list yet (slow: loads all)."""
    for module in PARTS:
        try:
            found = load_part(module).get(name)
        except ModuleNotFoundError:
            continue
        if found is not None:
            return found
    return None


app = typer.Typer(
    name="scomodel",
    cls=LazyGroup,
    help="An executable, sourced model of the SCO and the regional security architecture.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)


@app.callback()
def _root() -> None:
    """An executable, sourced model of the SCO and the regional security architecture."""


def main() -> None:
    """Entry point: Click handles usage errors (exit 2); scomodel's own errors exit 2 too."""
    try:
        app()
    except ScomodelError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
