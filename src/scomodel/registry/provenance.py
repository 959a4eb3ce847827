"""Where an answer comes from: package version, data version, fingerprint, date checked.

``scomodel version`` prints it and every export records it, so a table found on a disk
years later says which release of the data made it.
"""

from __future__ import annotations

from importlib import metadata
from typing import TYPE_CHECKING

from scomodel.registry.loader import data_dir_in_use
from scomodel.registry.yamlio import read_yaml

if TYPE_CHECKING:
    from scomodel.registry.core import Registry

__all__ = ["provenance", "package_version"]


def package_version() -> str:
    try:
        return metadata.version("scomodel")
    except metadata.PackageNotFoundError:  # running from a checkout without install
        return "unknown"


def provenance(registry: Registry | None = None) -> dict[str, str]:
    """``package``, ``data_version``, ``data_checked``, ``fingerprint`` (and ``cow`` if any)."""
    from scomodel.registry import store
    from scomodel.registry.loader import data_fingerprint

    folder = data_dir_in_use()
    path = folder / "version.yaml"
    doc = read_yaml(path) if path.exists() else {}
    out = {
        "package": package_version(),
        "data_version": str(doc.get("data_version", "unversioned")),
        "data_checked": str(doc.get("checked", "unknown")),
        "fingerprint": data_fingerprint(folder)[:16],
    }
    if registry is not None and store.get_meta(registry.engine, "cow_state_columns"):
        out["cow"] = "COW IGO v3.0 imported"
    return out
