"""The bargaining part's built-in scenarios in the report (filled in once it lands)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["bargaining_section"]


def bargaining_section(out: Path, figures: Path) -> str:
    from scomodel.bargaining import builtin  # noqa: F401  (ImportError: not landed)

    raise ImportError("the bargaining part's report section is not written yet")
