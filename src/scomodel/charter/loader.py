"""Reading rulebooks from YAML, with errors that name the file, the line and the field.

A rulebook is edited by hand (and copied into what-if variants), so a typo must point at
its line instead of raising a traceback, and a rule citing an unknown source is refused:
no rule without a source.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scomodel.charter.model import STATES, Rulebook, StepRule, TransitionRule
from scomodel.errors import DataValidationError, InputError
from scomodel.registry.yamlio import line_of, plain, read_yaml

__all__ = [
    "RULEBOOK_DIR",
    "BODY_CODES",
    "ORG_BODIES",
    "ORG_FOLDERS",
    "load_rulebook",
    "load_rulebooks",
    "charter_facts",
    "charter_sources",
    "CharterFacts",
    "is_body_code",
]

RULEBOOK_DIR = Path(__file__).resolve().parent.parent / "data" / "rulebooks"
BODY_CODES: tuple[str, ...] = ("CHS", "CHG", "CMFA", "CNC", "RATS", "SECRETARIAT", "SG")
#: Body codes of each organization: a rule may only name its own organization's organs,
#: so a typo (or an SCO body in a CSTO rulebook) is refused at load time.
ORG_BODIES: dict[str, tuple[str, ...]] = {
    "SCO": BODY_CODES,
    # Collective Security Council, foreign / defence ministers, security-council
    # secretaries, Permanent Council, Secretariat and its Secretary General, Joint Staff,
    # Parliamentary Assembly
    "CSTO": ("CCS", "CMFA", "CMD", "CSSC", "PERMANENT_COUNCIL", "SECRETARIAT", "SG",
             "JOINT_STAFF", "PA"),
    # Supreme Council, Intergovernmental Council, Commission (Council, Board), Court
    "EAEU": ("SEEC", "EIC", "EEC_COUNCIL", "EEC_BOARD", "COURT"),
    # Councils of Heads of State / Government, foreign and defence ministers, Economic
    # Court, Executive Committee (Executive Secretariat before 1999), Inter-Parliamentary
    # Assembly
    "CIS": ("CHS", "CHG", "CMFA", "CMD", "ECONOMIC_COURT", "EXECUTIVE_COMMITTEE", "IPA"),
    # Summit, Ministerial Council, Senior Council / CSO, Permanent Council, Forum for
    # Security Co-operation, Chairmanship, Secretariat and its Secretary General, ODIHR,
    # High Commissioner on National Minorities, Court of Conciliation and Arbitration
    "OSCE": ("CONFERENCE", "SUMMIT", "MC", "CSO", "PC", "FSC", "CIO", "SECRETARIAT", "SG",
             "ODIHR", "HCNM", "COURT"),
}
#: Sub-folders of RULEBOOK_DIR that hold one organization's rulebooks each.
ORG_FOLDERS: tuple[str, ...] = ("csto", "eaeu", "cis", "osce")
_MIN = re.compile(r"^MIN_(\*|[A-Z][A-Z0-9_]*)$")
_KINDS = {
    "body", "decision", "step", "criterion", "right", "transition", "provision", "competence",
    "dispute",
}


def is_body_code(code: str, *, wildcard: bool = False, org: str | None = None) -> bool:
    """A body of ``org`` (SCO by default: CHS, CHG, CMFA, CNC, RATS, SECRETARIAT, SG) or a
    ministerial meeting MIN_<FIELD>."""
    if wildcard and code == "*":
        return True
    return code in ORG_BODIES.get(org or "SCO", BODY_CODES) or bool(_MIN.match(code))


def _validate(node: Any, path: str) -> Rulebook:
    try:
        return Rulebook.model_validate(plain(node))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [p for p in err["loc"] if isinstance(p, (str, int))]
        # a discriminated union puts the tag ("right", "step"...) in the path: drop it
        loc = [
            p for i, p in enumerate(loc) if not (p in _KINDS and i and isinstance(loc[i - 1], int))
        ]
        message = err["msg"]
        if err["type"] == "missing":
            message = "required field is missing"
        elif err["type"] == "extra_forbidden":
            message = "unknown field (check its spelling against docs/charter.md)"
        elif err["type"] == "union_tag_invalid":
            message = f"unknown rule kind: expected one of {', '.join(sorted(_KINDS))}"
        raise DataValidationError(
            message, file=path, line=line_of(node, loc), field=".".join(map(str, loc)) or None
        ) from None


def _fail(node: Any, path: str, loc: Sequence[str | int], message: str) -> DataValidationError:
    return DataValidationError(
        message, file=path, line=line_of(node, list(loc)), field=".".join(map(str, loc))
    )


def _check(book: Rulebook, node: Any, path: str, sources: set[str]) -> None:
    """Cross-field checks pydantic cannot do alone: sources, ids, states, body codes."""
    for i, ref in enumerate(book.sources):
        if ref.source not in sources:
            raise _fail(node, path, ["sources", i, "source"], f"unknown source key {ref.source!r}")
    seen: set[str] = set()
    for i, rule in enumerate(book.rules):
        where: list[str | int] = ["rules", i]
        if rule.id in seen:
            raise _fail(node, path, [*where, "id"], f"rule id {rule.id!r} is used twice")
        seen.add(rule.id)
        for j, ref in enumerate(rule.sources):
            if ref.source not in sources:
                raise _fail(
                    node,
                    path,
                    [*where, "sources", j, "source"],
                    f"unknown source key {ref.source!r} (add it to data/sources.yaml)",
                )
        for name in ("status", "source_state", "target_state"):
            value = getattr(rule, name, None)
            key = {"source_state": "from", "target_state": "to"}.get(name, name)
            if value is not None and value not in STATES:
                raise _fail(
                    node,
                    path,
                    [*where, key],
                    f"unknown status {value!r}: expected one of {', '.join(STATES)}",
                )
        for status in getattr(rule, "statuses", []):
            if status not in STATES:
                raise _fail(node, path, [*where, "statuses"], f"unknown status {status!r}")
        bodies = [b for b in getattr(rule, "bodies", []) if b != "MEMBERS"]
        if isinstance(rule, StepRule) and rule.body:
            bodies.append(rule.body)
        codes = ORG_BODIES.get(book.org, BODY_CODES)
        for body in bodies:
            if not is_body_code(body, wildcard=True, org=book.org):
                raise _fail(
                    node,
                    path,
                    [*where, "body" if isinstance(rule, StepRule) else "bodies"],
                    f"unknown body {body!r}: expected {', '.join(codes)} or MIN_<FIELD>",
                )
        if (
            isinstance(rule, TransitionRule)
            and rule.decided_by not in (None, "unilateral", "expiry")
            and not is_body_code(rule.decided_by, org=book.org)
        ):
            raise _fail(node, path, [*where, "decided_by"], f"unknown body {rule.decided_by!r}")


def load_rulebook(path: str | Path, *, sources: Iterable[str] | None = None) -> Rulebook:
    """One rulebook file, validated; errors name the file, line and field."""
    path = Path(path)
    node = read_yaml(path)
    if not isinstance(node, dict):
        raise DataValidationError(
            "a rulebook file must be a mapping (id, org, rules...)", file=str(path), line=1
        )
    book = _validate(node, str(path))
    _check(book, node, str(path), set(sources) if sources is not None else set(charter_sources()))
    return book


def _inputs_digest(root: Path) -> str:
    """What the built-in rulebooks are read from: their files, the source lists they are
    checked against, and this part's code (the pickled models' classes)."""
    import hashlib

    data = RULEBOOK_DIR.parent
    files = [*sorted(root.glob("*.yaml")),
             *(p for sub in ORG_FOLDERS for p in sorted((root / sub).glob("*.yaml"))),
             data / "sources.yaml", *sorted((data / "sources").glob("*.yaml")),
             *sorted(Path(__file__).parent.glob("*.py"))]
    digest = hashlib.sha256()
    for path in files:
        st = path.stat()
        digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _cached_books(folder: str) -> tuple[Rulebook, ...]:
    """The built-in rulebooks, unpickled from the user cache when no file they come from
    changed: reading and cross-checking the YAML takes seconds, every charter command
    needs them, and a pickle loads in milliseconds. Any other folder is read afresh."""
    import os
    import pickle
    import tempfile

    root = Path(folder)
    if root != RULEBOOK_DIR:
        return _read_dir(root)
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "scomodel"
    path = cache / "charter-rulebooks.pickle"
    key = _inputs_digest(root).encode()
    try:
        with open(path, "rb") as fh:
            if fh.readline().rstrip(b"\n") == key:
                return pickle.load(fh)  # type: ignore[no-any-return]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    books = _read_dir(root)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(key + b"\n")
            pickle.dump(books, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass
    return books


@functools.lru_cache(maxsize=8)
def _load_dir(folder: str) -> tuple[Rulebook, ...]:
    return _cached_books(folder)


def _read_dir(root: Path) -> tuple[Rulebook, ...]:
    paths = [*sorted(root.glob("*.yaml"))]
    for sub in ORG_FOLDERS:
        paths += sorted((root / sub).glob("*.yaml"))
    books = [load_rulebook(p) for p in paths if not p.name.startswith("_")]
    ids: dict[str, str] = {}
    for book in books:
        if book.id in ids:
            raise InputError(f"rulebook id {book.id!r} also used in {ids[book.id]}", field="id")
        ids[book.id] = book.document
    return tuple(sorted(books, key=lambda b: (b.in_force, b.id)))


def load_rulebooks(folder: str | Path = RULEBOOK_DIR) -> list[Rulebook]:
    """Every built-in rulebook, oldest first (by the date it took effect)."""
    key = str(folder) if folder is RULEBOOK_DIR else str(Path(folder).resolve())
    return list(_load_dir(key))


@functools.lru_cache(maxsize=1)
def charter_sources() -> dict[str, dict[str, Any]]:
    """Source keys a rule may cite: the curated sources.yaml and sources/*.yaml, shared with
    the registry (``sources/rules.yaml`` holds the treaty texts of the other organizations)."""
    out: dict[str, dict[str, Any]] = {}
    data = RULEBOOK_DIR.parent
    for path in [data / "sources.yaml", *sorted((data / "sources").glob("*.yaml"))]:
        for entry in plain(read_yaml(path)).get("sources", []) or []:
            out[str(entry["key"])] = entry
    return out


class _Memorandum(BaseModel):
    model_config = ConfigDict(extra="forbid")
    actor: str
    signed: str
    fields: list[str] | None
    verification: str
    sources: list[dict[str, Any]] = Field(min_length=1)
    note: str | None = None


class _Sanction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    actor: str
    regime: str
    start: str
    end: str | None = None
    verification: str
    sources: list[dict[str, Any]] = Field(min_length=1)
    note: str | None = None


@dataclass(frozen=True)
class CharterFacts:
    """Memoranda fields and UN sanctions the engine consults (not exhaustive)."""

    memoranda: list[_Memorandum] = field(default_factory=list)
    sanctions: list[_Sanction] = field(default_factory=list)
    sanctions_complete: bool = False
    sanctions_verification: str = "unverified"


@functools.lru_cache(maxsize=1)
def charter_facts() -> CharterFacts:
    path = RULEBOOK_DIR / "_facts.yaml"
    node = read_yaml(path)
    data = plain(node)
    try:
        memoranda = [_Memorandum.model_validate(m) for m in data.get("memoranda") or []]
        sanctions = [_Sanction.model_validate(s) for s in data.get("sanctions") or []]
    except ValidationError as exc:
        raise DataValidationError(str(exc.errors()[0]["msg"]), file=str(path)) from None
    complete = bool(data.get("sanctions_complete"))
    mark = str(data.get("sanctions_verification") or "unverified")
    return CharterFacts(memoranda, sanctions, complete, mark)
