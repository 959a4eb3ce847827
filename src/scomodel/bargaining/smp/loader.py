"""Find a scenario by path or built-in name, whatever its format.

``.csv`` files are KTAB scenarios, ``.yaml``/``.yml`` are scomodel's own; a bare name is
looked up among the built-in scenarios in ``scomodel/scenarios/smp/``.
"""

from __future__ import annotations

from pathlib import Path

from scomodel.bargaining.smp.ktabcsv import read_ktab_csv
from scomodel.bargaining.smp.options import SMPOptions
from scomodel.bargaining.smp.scenario import SMPScenario
from scomodel.bargaining.smp.yamlio import load_smp_yaml
from scomodel.errors import InputError, NotFoundError

__all__ = ["BUILTIN_DIR", "builtin_names", "builtin_path", "load_scenario"]

BUILTIN_DIR = Path(__file__).resolve().parents[2] / "scenarios" / "smp"


def builtin_names() -> list[str]:
    """Names of the built-in SMP scenarios (file stems)."""
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def builtin_path(name: str) -> Path:
    """The file of a built-in scenario; a NotFoundError lists the known names."""
    path = BUILTIN_DIR / f"{name}.yaml"
    if not path.is_file():
        raise NotFoundError(
            f"no SMP scenario file or built-in scenario named {name!r}; "
            f"built-in: {', '.join(builtin_names()) or 'none'}"
        )
    return path


def load_scenario(source: str | Path) -> tuple[SMPScenario, SMPOptions]:
    """Read a scenario and the options it asks for (KTAB CSV files use KTAB's defaults)."""
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".yaml", ".yml"):
        if not path.is_file():
            raise InputError("scenario file not found", file=str(path))
        if suffix == ".csv":
            return read_ktab_csv(path), SMPOptions()
        return load_smp_yaml(path)
    return load_smp_yaml(builtin_path(str(source)))
