"""The built-in scenarios shipped in ``scomodel/scenarios/`` (``scomodel scenarios``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["builtin_dir", "builtin_names", "builtin_path"]


def builtin_dir() -> Path:
    return Path(str(resources.files("scomodel") / "scenarios"))


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.yaml"))


def builtin_path(name: str) -> Path | None:
    p = builtin_dir() / f"{name}.yaml"
    return p if p.is_file() else None
