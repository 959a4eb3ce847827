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

__all__ = ["read_yaml", "read_text_safely", "line_of", "validate", "plain"]

M = TypeVar("M", bound=BaseModel)


#: Limits on what one YAML file may cost to read (docs/reliability.md). Curated files are
#: well under 1 MiB; an alias may repeat a block, but the expanded document stays bounded.
MAX_YAML_BYTES = 16 * 1024 * 1024
MAX_YAML_DEPTH = 64
MAX_YAML_NODES = 1_000_000


def _decode(raw: bytes, path: Path) -> str:
    """UTF-8 (a BOM tolerated), or UTF-16 with its BOM; anything else is a one-line error."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(f"not UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8",
                         file=str(path), line=line) from None


def read_text_safely(path: str | Path, *, limit: int = MAX_YAML_BYTES) -> str:
    """A data file's text: regular files only, bounded in size, decoded as above."""
    import stat

    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except OSError as exc:  # a symlink loop, a permission problem
        raise InputError(f"cannot read file ({exc.strerror or exc})", file=str(path)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a folder, not a file", file=str(path))
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file (a pipe, socket or device is never read)",
                         file=str(path))
    if info.st_size > limit:
        raise InputError(f"file is {info.st_size:,} bytes, over the limit of {limit:,}",
                         file=str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", file=str(path)) from None
    return _decode(raw, path)


def _check_shape(yaml: YAML, text: str, path: Path) -> None:
    """Refuse a document nested too deep or whose aliases expand it past the node limit.

    One pass over the parser's events (linear in the text): each node counts once, each
    alias counts the size of the node it repeats.
    """
    from ruamel.yaml import events

    sizes: dict[str, int] = {}
    opened: list[tuple[int, str | None]] = []
    expanded = 0
    for event in yaml.parse(text):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, events.AliasEvent):
            expanded += sizes.get(event.anchor, 1)
        elif isinstance(event, (events.MappingStartEvent, events.SequenceStartEvent)):
            expanded += 1
            opened.append((expanded, event.anchor))
            if len(opened) > MAX_YAML_DEPTH:
                raise InputError(f"nested deeper than {MAX_YAML_DEPTH} levels",
                                 file=str(path), line=line)
        elif isinstance(event, (events.MappingEndEvent, events.SequenceEndEvent)):
            start, anchor = opened.pop()
            if anchor:
                sizes[anchor] = expanded - start + 1
        elif isinstance(event, events.ScalarEvent):
            expanded += 1
            if event.anchor:
                sizes[event.anchor] = 1
        if expanded > MAX_YAML_NODES:
            raise InputError(f"aliases expand the document past {MAX_YAML_NODES:,} values",
                             file=str(path), line=line)


def _yaml() -> YAML:
    """The round-trip loader, with dates kept as the text written (validators check them,
    so ``2010-02-30`` is reported as not a date, with its field and line)."""
    yaml = YAML(typ="rt")
    yaml.constructor.add_constructor(
        "tag:yaml.org,2002:timestamp", yaml.constructor.__class__.construct_yaml_str)
    return yaml


def read_yaml(path: str | Path) -> Any:
    """Parse a YAML file with line information; a syntax error names its line.

    Bounded in cost: regular files only, at most :data:`MAX_YAML_BYTES`, nesting at most
    :data:`MAX_YAML_DEPTH`, aliases expanding to at most :data:`MAX_YAML_NODES` values.
    """
    path = Path(path)
    text = read_text_safely(path)
    yaml = _yaml()
    try:
        _check_shape(yaml, text, path)
        return yaml.load(text)
    except InputError:
        raise
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(f"invalid YAML: {exc.problem}", file=str(path), line=line) from None
    except YAMLError as exc:  # e.g. a control character the reader refuses
        line = text.count("\n", 0, getattr(exc, "position", 0) or 0) + 1
        raise InputError(f"invalid YAML: {exc}", file=str(path), line=line) from None
    except (ValueError, TypeError, RecursionError) as exc:  # a constructor's own refusal
        raise InputError(f"invalid YAML: {exc}", file=str(path)) from None


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
