"""Run the ``scomodel`` CLI in-process the way ``scomodel.cli.main`` does.

CliRunner lets scomodel's own errors escape as exceptions; ``main`` turns them into one
line on stderr and exit status 2. :func:`invoke` does the same, so tests check what a user
sees (status, stdout, the error line) without a subprocess per call.
"""

from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from scomodel.cli import app
from scomodel.errors import ScomodelError

_RUNNER = CliRunner()


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def error(self) -> str:
        """The error line(s) a user reads, Click's usage errors included."""
        return self.stderr


def invoke(*args: str) -> Result:
    """Run ``scomodel ARGS``: exit 2 and ``error: ...`` for scomodel's errors, as ``main``."""
    result = _RUNNER.invoke(app, list(args))
    if isinstance(result.exception, ScomodelError):
        return Result(2, result.stdout, f"error: {result.exception}")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)
