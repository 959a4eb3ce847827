"""YAML reading that keeps line numbers, so every data error can point at its line.

PyYAML forgets where a value came from; ruamel.yaml's round-trip loader remembers, which
is what lets a curator find the bad field in a 600-line file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from scomodel.errors import DataValidationError, InputError

__all__ = ["read_yaml", "line_of", "validate", "plain"]

M = TypeVar("M", bound=BaseModel)


def read_yaml(path: str | Path) -> Any:
    """Parse a YAML file with line information; a syntax error names its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read file ({exc})", file=str(path)) from None
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(f"invalid YAML: {exc.problem}", file=str(path), line=line) from None
    except YAMLError as exc:  # e.g. a control character the reader refuses
        line = text.count("\n", 0, getattr(exc, "position", 0) or 0) + 1
        raise InputError(f"invalid YAML: {exc}", file=str(path), line=line) from None


def line_of(node: Any, path: Sequence[str | int]) -> int | None:
    """The 1-based line of the value at ``path`` inside a ruamel node (nearest known)."""
    line: int | None = _own_line(node)
    for key in path:
        try:
            lc = getattr(node, "lc", None)
            if lc is not None and isinstance(node, dict) and key in node:
                line = lc.key(key)[0] + 1
            elif lc is not None and isinstance(node, list) and isinstance(key, int):
                line = lc.item(key)[0] + 1
            node = node[key]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


def _own_line(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else None


def plain(node: Any) -> Any:
    """Convert ruamel containers to plain dicts/lists (pydantic wants plain data)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


def validate(model: type[M], node: Any, *, file: str, root: Sequence[str | int] = ()) -> M:
    """Validate ``node`` as ``model``; the first error names its file, line and field."""
    try:
        return model.model_validate(plain(node))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [p for p in err["loc"] if isinstance(p, (str, int))]
        field = ".".join(str(p) for p in [*root, *loc]) or None
        message = err["msg"]
        if err["type"] == "missing":
            message = "required field is missing"
        elif err["type"] == "extra_forbidden":
            message = "unknown field (check its spelling against docs/data-format.md)"
        raise DataValidationError(
            message, file=file, line=line_of(node, loc), field=field
        ) from None
