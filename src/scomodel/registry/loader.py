"""Loading and cross-checking the curated files in ``src/scomodel/data``.

Per-record checks live in :mod:`scomodel.registry.schema`; the checks here need more than
one record (unknown source keys, overlapping spells, an observer spell that runs past the
day membership began), and each still names file, line and field.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scomodel.actors import Actor, ActorDirectory
from scomodel.dates import PartialDate
from scomodel.errors import DataValidationError, InputError
from scomodel.registry.schema import (
    STANDING,
    FactEntry,
    OrganizationEntry,
    SourceEntry,
    SourceRef,
    SpellEntry,
    SpellFile,
)
from scomodel.registry.yamlio import line_of, read_yaml, validate

__all__ = [
    "DATA_DIR", "CuratedData", "LocatedSpell", "load_curated", "data_fingerprint",
    "data_dir_in_use",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir_in_use(data_dir: str | Path | None = None) -> Path:
    """The data folder to read: the one given, else ``SCOMODEL_DATA``, else the package's.

    Every part resolves its default through here, so one environment variable moves the
    registry, the architecture and the charter to a user's own curated files together.
    """
    return Path(data_dir or os.environ.get("SCOMODEL_DATA") or DATA_DIR)
#: Statuses that give way to membership: they must end when membership begins.
_PRE_MEMBER = {"observer", "dialogue_partner", "partner", "applicant", "guest"}


@dataclass(frozen=True)
class LocatedSpell:
    """A spell with the organization it belongs to and where it was written."""

    org: str
    spell: SpellEntry
    file: str
    line: int | None


@dataclass
class CuratedData:
    """Everything in the data folder, validated."""

    sources: dict[str, SourceEntry] = field(default_factory=dict)
    organizations: dict[str, OrganizationEntry] = field(default_factory=dict)
    spells: list[LocatedSpell] = field(default_factory=list)
    facts: list[FactEntry] = field(default_factory=list)
    fact_origins: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    fingerprint: str = ""
    #: problems that do not stop loading ("file:line: message"), e.g. a citation without a
    #: locator; ``scomodel sources --check`` prints them
    warnings: list[str] = field(default_factory=list)

    def directory(self) -> ActorDirectory:
        return ActorDirectory(
            Actor(o.code, o.name, "organization") for o in self.organizations.values()
        )


def data_fingerprint(data_dir: str | Path = DATA_DIR) -> str:
    """A hash of every data file, so the store knows when to rebuild.

    Hashing the contents is remembered per (path, size, mtime) listing, so the check a
    server makes on every request costs a directory walk, not a read of every file.
    """
    data_dir = Path(data_dir)
    paths = sorted(data_dir.rglob("*.y*ml"))
    listing = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths)
    if listing not in _FINGERPRINTS:
        digest = hashlib.sha256()
        for path in paths:
            digest.update(str(path.relative_to(data_dir)).encode())
            digest.update(path.read_bytes())
        _FINGERPRINTS.clear()
        _FINGERPRINTS[listing] = digest.hexdigest()
    return _FINGERPRINTS[listing]


_FINGERPRINTS: dict[tuple[tuple[str, int, int], ...], str] = {}


def load_curated(data_dir: str | Path = DATA_DIR) -> CuratedData:
    """Read and validate the whole data folder.

    Raises:
        DataValidationError: the first problem found, with file, line and field.
    """
    data_dir = Path(data_dir)
    for part in ("sources.yaml", "organizations.yaml", "spells"):
        if not (data_dir / part).exists():  # never an empty dataset for a missing part
            raise DataValidationError(
                f"the data folder has no {part}: is SCOMODEL_DATA pointing at a whole "
                "data folder?", file=str(data_dir))
    data = CuratedData(fingerprint=data_fingerprint(data_dir))
    # Sources may be split: ``sources.yaml`` plus any ``sources/*.yaml`` (one per area of
    # the data), so curators of different organizations never edit one file at once.
    for path in [data_dir / "sources.yaml", *sorted((data_dir / "sources").glob("*.yaml"))]:
        _load_list(path, "sources", SourceEntry, data.sources, "key")
    _load_list(
        data_dir / "organizations.yaml",
        "organizations",
        OrganizationEntry,
        data.organizations,
        "code",
    )
    for path in sorted((data_dir / "spells").glob("*.yaml")):
        data.spells.extend(_load_spell_file(path))
    for path in sorted((data_dir / "facts").glob("*.yaml")):
        _load_facts(path, data)
    _check_references(data)
    _check_spells(data)
    return data


def _load_list(path: Path, key: str, model: Any, into: dict[str, Any], id_field: str) -> None:
    if not path.exists():
        return
    doc = read_yaml(path)
    items = _top_list(doc, key, path)
    for i, node in enumerate(items):
        entry = validate(model, node, file=str(path), root=(key, i))
        ident = getattr(entry, id_field)
        if ident in into:
            raise DataValidationError(
                f"duplicate {id_field} {ident!r}",
                file=str(path),
                line=line_of(items, [i]),
                field=f"{key}.{i}.{id_field}",
            )
        into[ident] = entry


def _top_list(doc: Any, key: str, path: Path) -> list[Any]:
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise DataValidationError(f"expected a top-level list '{key}:'", file=str(path), line=1)
    return list(doc[key]) if not hasattr(doc[key], "lc") else doc[key]


def _load_spell_file(path: Path) -> list[LocatedSpell]:
    doc = read_yaml(path)
    parsed = validate(SpellFile, doc, file=str(path))
    org = parsed.org.upper()
    spells_node = doc["spells"]
    return [
        LocatedSpell(org, spell, str(path), line_of(spells_node, [i]))
        for i, spell in enumerate(parsed.spells)
    ]


def _load_facts(path: Path, data: CuratedData) -> None:
    doc = read_yaml(path)
    items = _top_list(doc, "facts", path)
    for i, node in enumerate(items):
        fact = validate(FactEntry, node, file=str(path), root=("facts", i))
        line = line_of(items, [i])
        if fact.id in data.fact_origins:
            raise DataValidationError(
                f"duplicate fact id {fact.id!r} (also in {data.fact_origins[fact.id][0]})",
                file=str(path),
                line=line,
                field=f"facts.{i}.id",
            )
        data.facts.append(fact)
        data.fact_origins[fact.id] = (str(path), line)


def _check_refs(
    refs: list[SourceRef], data: CuratedData, file: str, line: int | None, where: str
) -> None:
    for ref in refs:
        if ref.source not in data.sources:
            raise DataValidationError(
                f"unknown source key {ref.source!r} (add it to sources.yaml)",
                file=file,
                line=line,
                field=f"{where}.sources",
            )
        if not ref.locator:
            data.warnings.append(f"{file}:{line or '?'}: {where}: citation of {ref.source!r} "
                                 "has no locator")


def _check_actor(
    code: str, data: CuratedData, directory: ActorDirectory, file: str, line: int | None, where: str
) -> None:
    if code in data.organizations:
        return
    try:
        directory.resolve(code, field=where)
    except InputError:
        raise DataValidationError(
            f"unknown actor {code!r}: expected an ISO3 code, COW<ccode> or an organization "
            "listed in organizations.yaml",
            file=file,
            line=line,
            field=where,
        ) from None


def _check_references(data: CuratedData) -> None:
    directory = data.directory()
    orgs_file = str(DATA_DIR / "organizations.yaml")
    for org in data.organizations.values():
        _check_refs(org.sources, data, orgs_file, None, f"organizations.{org.code}")
    for located in data.spells:
        spell, file, line = located.spell, located.file, located.line
        if located.org not in data.organizations:
            raise DataValidationError(
                f"unknown organization {located.org!r} (list it in organizations.yaml)",
                file=file,
                line=1,
                field="org",
            )
        _check_actor(spell.actor, data, directory, file, line, "actor")
        _check_refs(spell.sources, data, file, line, "spell")
        for event in spell.events:
            _check_refs(event.sources, data, file, line, "events")
        if spell.end and PartialDate(spell.end).first <= PartialDate(spell.start).first:
            raise DataValidationError(
                f"end {spell.end} is not after start {spell.start}",
                file=file,
                line=line,
                field="end",
            )
    for fact in data.facts:
        file, line = data.fact_origins[fact.id]
        _check_refs(fact.sources, data, file, line, f"facts.{fact.id}")
        for code in fact.about:
            _check_actor(code, data, directory, file, line, f"facts.{fact.id}.about")


def _check_spells(data: CuratedData) -> None:
    # Standing statuses exclude each other; a procedure track only excludes another
    # track of the same kind (two accessions of one state cannot run at once).
    by_key: dict[tuple[str, str, str], list[LocatedSpell]] = defaultdict(list)
    for located in data.spells:
        status: str = located.spell.status
        lane = "standing" if status in STANDING else status
        by_key[(located.org, located.spell.actor, lane)].append(located)
    for group in by_key.values():
        group.sort(key=lambda s: PartialDate(s.spell.start).first)
        for earlier, later in zip(group, group[1:], strict=False):
            _check_pair(earlier, later)
    for (org, actor, lane), tracks in by_key.items():
        if lane in _TOWARDS_MEMBERSHIP:
            for member in by_key.get((org, actor, "standing"), []):
                if member.spell.status == "member":
                    for track in tracks:
                        _check_track(track, member)


#: Procedures that lead to membership: they end the day membership begins.
_TOWARDS_MEMBERSHIP = {"applicant", "acceding", "candidate"}


def _check_track(track: LocatedSpell, member: LocatedSpell) -> None:
    t, m = track.spell, member.spell
    begins = PartialDate(m.start).first
    if PartialDate(t.start).first >= begins:
        return
    if t.end is None or PartialDate(t.end).first > begins:
        raise DataValidationError(
            f"{t.actor}'s {t.status} track in {track.org} must end when its membership "
            f'begins ({m.start}): set end: "{m.start}"',
            file=track.file, line=track.line, field="end",
        )


def _check_pair(earlier: LocatedSpell, later: LocatedSpell) -> None:
    a, b = earlier.spell, later.spell
    b_start = PartialDate(b.start).first
    a_end = PartialDate(a.end).first if a.end else None
    if a_end is None or a_end > b_start:
        if a.status in _PRE_MEMBER and b.status == "member":
            message = (
                f"{a.actor}'s {a.status} spell must end when its membership begins "
                f'({b.start}): set end: "{b.start}"'
            )
        else:
            message = (
                f"{a.actor} has overlapping spells in {earlier.org}: {a.status} from {a.start} "
                f"to {a.end or 'now'} and {b.status} from {b.start}"
            )
        raise DataValidationError(message, file=earlier.file, line=earlier.line, field="end")
