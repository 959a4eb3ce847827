"""Loading ``fields.yaml``, ``mandates.yaml``, ``bilateral.yaml`` and ``regions.yaml``.

The files are validated with the same YAML reader as the registry (ruamel.yaml keeps line
numbers), and cross-checked: every field code, source key, organization and region must
exist, so a typo fails loudly with file, line and field rather than quietly dropping a tie
from the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from scomodel.architecture.schema import (
    ArrangementEntry,
    FieldEntry,
    MandateEntry,
    RegionEntry,
    Tier,
    TierEntry,
)
from scomodel.errors import DataValidationError, NotFoundError
from scomodel.registry.loader import data_dir_in_use
from scomodel.registry.schema import SourceRef
from scomodel.registry.yamlio import line_of, read_yaml, validate

__all__ = ["ArchitectureData", "load_architecture"]

M = TypeVar("M", bound=BaseModel)
_STATE = re.compile(r"^(?:[A-Z]{3}|COW\d{1,4})$")


@dataclass
class ArchitectureData:
    """The architecture files, validated; where each entry was written is kept for errors."""

    fields: dict[str, FieldEntry] = field(default_factory=dict)
    tiers: dict[str, Tier] = field(default_factory=dict)
    mandates: list[MandateEntry] = field(default_factory=list)
    arrangements: list[ArrangementEntry] = field(default_factory=list)
    regions: dict[str, RegionEntry] = field(default_factory=dict)
    organizations: set[str] = field(default_factory=set)
    origins: dict[str, tuple[str, int | None]] = field(default_factory=dict)

    def region(self, code: str | None) -> RegionEntry | None:
        """The region a ``--region`` option names (``None`` means no filter)."""
        if code is None:
            return None
        key = code.strip().lower().replace("_", "-").replace(" ", "-")
        if key not in self.regions:
            raise NotFoundError(
                f"unknown region {code!r}: expected one of {', '.join(sorted(self.regions))}",
                field="region",
            )
        return self.regions[key]

    def check_field(self, code: str | None) -> str | None:
        """Validate a ``--field`` option against the shared vocabulary."""
        if code is None:
            return None
        key = code.strip().lower().replace("-", "_")
        if key not in self.fields:
            raise NotFoundError(
                f"unknown field {code!r}: expected one of {', '.join(sorted(self.fields))}",
                field="field",
            )
        return key


def load_architecture(data_dir: str | Path | None = None) -> ArchitectureData:
    """Read and cross-check the four architecture files in ``data_dir``.

    Raises:
        DataValidationError: the first problem, with file, line and field.
    """
    data_dir = data_dir_in_use(data_dir)
    data = ArchitectureData()
    data.fields = {f.code: f for f in _entries(data_dir / "fields.yaml", "fields",
                                                FieldEntry, data)}
    data.tiers = {t.org: t.tier for t in _entries(data_dir / "mandates.yaml", "tiers",
                                                  TierEntry, data)}
    data.mandates = _entries(data_dir / "mandates.yaml", "mandates", MandateEntry, data)
    data.arrangements = _entries(data_dir / "bilateral.yaml", "arrangements",
                                 ArrangementEntry, data)
    data.regions = {r.code: r for r in _entries(data_dir / "regions.yaml", "regions",
                                                RegionEntry, data)}
    orgs = _keys(data_dir / "organizations.yaml", "organizations", "code")
    data.organizations = set(orgs or ())
    # Sources may be split into sources/*.yaml beside sources.yaml, as the registry reads them.
    keys = _keys(data_dir / "sources.yaml", "sources", "key")
    for path in sorted((data_dir / "sources").glob("*.yaml")):
        keys = (keys or set()) | (_keys(path, "sources", "key") or set())
    _cross_check(data, keys, orgs)
    return data


def _entries(path: Path, key: str, model: type[M], data: ArchitectureData) -> list[M]:
    doc = read_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise DataValidationError(f"expected a top-level list '{key}:'", file=str(path), line=1)
    out: list[M] = []
    for i, node in enumerate(doc[key]):
        entry = validate(model, node, file=str(path), root=(key, i))
        line = line_of(doc[key], [i])
        ident = str(getattr(entry, "id", None) or getattr(entry, "code", None)
                    or getattr(entry, "org", ""))
        where = f"{key}:{ident}"
        if where in data.origins:
            raise DataValidationError(f"duplicate entry {ident!r}", file=str(path), line=line,
                                      field=f"{key}.{i}")
        data.origins[where] = (str(path), line)
        out.append(entry)
    return out


def _keys(path: Path, key: str, id_field: str) -> set[str] | None:
    """The ids listed in a registry file, or ``None`` if the file is not there yet."""
    if not path.exists():
        return None
    doc = read_yaml(path)
    items: list[Any] = doc.get(key) or [] if isinstance(doc, dict) else []
    return {str(item.get(id_field)) for item in items if isinstance(item, dict)}


def _fail(data: ArchitectureData, where: str, message: str, field_name: str) -> None:
    file, line = data.origins[where]
    raise DataValidationError(message, file=file, line=line, field=field_name)


def _check_sources(data: ArchitectureData, where: str, refs: list[SourceRef],
                   sources: set[str] | None) -> None:
    for ref in refs:
        if sources is not None and ref.source not in sources:
            _fail(data, where, f"unknown source key {ref.source!r} (add it to sources.yaml)",
                  "sources")


def _check_fields(data: ArchitectureData, where: str, codes: list[str]) -> None:
    for code in codes:
        if code not in data.fields:
            _fail(data, where, f"unknown field {code!r} (add it to fields.yaml)", "fields")


def _check_state(data: ArchitectureData, where: str, code: str, orgs: set[str] | None) -> None:
    if _STATE.match(code) or (orgs is not None and code in orgs):
        return
    _fail(data, where, f"unknown actor {code!r}: expected an ISO3 code or an organization",
          "parties")


def _cross_check(data: ArchitectureData, sources: set[str] | None, orgs: set[str] | None) -> None:
    for code, entry in data.fields.items():
        _check_sources(data, f"fields:{code}", entry.sources, sources)
    for org in data.tiers:
        if orgs is not None and org not in orgs:
            _fail(data, f"tiers:{org}", f"unknown organization {org!r} (organizations.yaml)", "org")
    for mandate in data.mandates:
        where = f"mandates:{mandate.id}"
        _check_sources(data, where, mandate.sources, sources)
        _check_fields(data, where, mandate.fields)
        if mandate.kind == "organization" and orgs is not None and mandate.subject not in orgs:
            _fail(data, where, f"unknown organization {mandate.subject!r} (organizations.yaml)",
                  "subject")
        for party in mandate.parties:
            _check_state(data, where, party, orgs)
    for arrangement in data.arrangements:
        where = f"arrangements:{arrangement.id}"
        _check_sources(data, where, arrangement.sources, sources)
        _check_fields(data, where, arrangement.fields)
        for party in arrangement.parties:
            _check_state(data, where, party, orgs)
    for code, region in data.regions.items():
        _check_sources(data, f"regions:{code}", region.sources, sources)
        for member in region.members:
            _check_state(data, f"regions:{code}", member, orgs)
