"""Reading the claims ledger: every file in ``data/claims/``, each claim validated, its
query named and its parameters checked, with file and line in every error.

The ledger lives beside the other data (``SCOMODEL_DATA`` moves it too), so a what-if
data folder can carry its own claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scomodel.claims.queries import Params
from scomodel.claims.schema import ClaimEntry, ClaimFile
from scomodel.errors import DataValidationError, NotFoundError
from scomodel.registry.loader import data_dir_in_use
from scomodel.registry.yamlio import line_of, read_yaml, validate

__all__ = ["LoadedClaim", "load_claims", "QUERIES", "claim_by_id"]


def _queries() -> dict[str, tuple[type[Params], Any]]:
    from scomodel.claims.queries import REGISTRY_QUERIES
    from scomodel.claims.queries_parts import PART_QUERIES

    return {**REGISTRY_QUERIES, **PART_QUERIES}


#: query name -> (parameter model, function)
QUERIES: dict[str, tuple[type[Params], Any]] = _queries()


@dataclass(frozen=True)
class LoadedClaim:
    entry: ClaimEntry
    params: Params
    file: str
    line: int | None


def load_claims(data_dir: str | Path | None = None) -> list[LoadedClaim]:
    """Every claim of the ledger, in file order; the first problem raises with its line."""
    folder = data_dir_in_use(data_dir) / "claims"
    out: list[LoadedClaim] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        doc = read_yaml(path)
        parsed = validate(ClaimFile, doc, file=str(path))
        items = doc["claims"]
        for i, entry in enumerate(parsed.claims):
            line = line_of(items, [i])
            if entry.id in seen:
                raise DataValidationError(f"duplicate claim id {entry.id!r} (also in "
                                          f"{seen[entry.id]})", file=str(path), line=line,
                                          field=f"claims.{i}.id")
            seen[entry.id] = str(path)
            out.append(LoadedClaim(entry, _params(entry, items[i], path, i), str(path), line))
    return out


def _params(entry: ClaimEntry, node: Any, path: Path, i: int) -> Params:
    name = entry.operationalization.query
    root = ("claims", i, "operationalization")
    if name not in QUERIES:
        raise DataValidationError(
            f"unknown query {name!r}: expected one of {', '.join(sorted(QUERIES))}",
            file=str(path), line=line_of(node, ["operationalization", "query"]),
            field=".".join(map(str, [*root, "query"])))
    model = QUERIES[name][0]
    params_node = node["operationalization"].get("params", {})
    try:
        return validate(model, params_node if params_node is not None else {},
                        file=str(path), root=(*root, "params"))
    except DataValidationError as exc:
        if exc.line is None:
            exc.line = line_of(node, ["operationalization", "params"])
        raise


def claim_by_id(claims: list[LoadedClaim], claim_id: str) -> LoadedClaim:
    for c in claims:
        if c.entry.id == claim_id:
            return c
    raise NotFoundError(f"no claim {claim_id!r}: expected one of "
                        f"{', '.join(c.entry.id for c in claims)}", field="id")
