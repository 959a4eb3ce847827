"""Find a scenario by path or built-in name, whatever its format.

``.csv`` files are KTAB scenarios; ``.yaml``/``.yml`` files are SMP scenarios or the
bargaining part's scenarios (``issues:``), whose issues become the SMP's dimensions. A
bare name is looked up among the SMP's built-in scenarios (``scomodel/scenarios/smp/``),
then among the bargaining part's (``scomodel/scenarios/``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from scomodel.bargaining.smp.ktabcsv import read_ktab_csv
from scomodel.bargaining.smp.options import SMPOptions
from scomodel.bargaining.smp.scenario import ActorSource, SMPScenario
from scomodel.bargaining.smp.yamlio import load_smp_yaml
from scomodel.errors import InputError, NotFoundError

__all__ = [
    "BUILTIN_DIR",
    "builtin_names",
    "builtin_path",
    "from_bargaining_scenario",
    "load_scenario",
]

BUILTIN_DIR = Path(__file__).resolve().parents[2] / "scenarios" / "smp"


def builtin_names() -> list[str]:
    """Names of the built-in SMP scenarios (file stems)."""
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def builtin_path(name: str) -> Path:
    """The file of a built-in SMP scenario; a NotFoundError lists the known names."""
    path = BUILTIN_DIR / f"{name}.yaml"
    if not path.is_file():
        raise NotFoundError(
            f"no SMP scenario file or built-in scenario named {name!r}; "
            f"built-in: {', '.join(builtin_names()) or 'none'}"
        )
    return path


def _is_bargaining_yaml(path: Path) -> bool:
    from scomodel.registry.yamlio import read_yaml

    node = read_yaml(path)
    return isinstance(node, dict) and "issues" in node


def from_bargaining_scenario(sc: Any) -> SMPScenario:
    """A bargaining-part scenario (``scomodel.bargaining.scenario.Scenario``) for the SMP.

    Each issue is a dimension. An actor not coded on an issue gets salience 0 there and
    the issue's status quo as its position, so it neither cares about nor pulls on it.
    Every issue must use the same scale. The decision date and every citation's date come
    along, so the SMP's hindsight audit sees what the bargaining part's does.
    """
    scales = {(i.scale.min, i.scale.max) for i in sc.issues}
    if len(scales) != 1:
        raise InputError(
            f"the SMP needs one scale for all issues of {sc.name}, got {sorted(scales)}",
            field="issues",
        )
    dims = [i.id for i in sc.issues]
    sq = {i.id: i.status_quo.value for i in sc.issues}
    n, d = len(sc.actors), len(dims)
    cap = np.empty(n)
    pos = np.empty((n, d))
    sal = np.zeros((n, d))
    sources: dict[str, tuple[ActorSource, ...]] = {}
    cap_sources: dict[str, ActorSource] = {}
    for a_idx, a in enumerate(sc.actors):
        cap[a_idx] = a.capability.value
        c = a.capability
        cap_sources[a.actor] = ActorSource(c.source, c.locator, c.judgement, c.note or "",
                                           c.dated)
        cites = []
        for k, dim in enumerate(dims):
            coded = a.positions.get(dim)
            if coded is None:
                pos[a_idx, k] = sq[dim]
                continue
            pos[a_idx, k] = coded.position
            sal[a_idx, k] = coded.salience
            cites.append(
                ActorSource(
                    coded.source,
                    coded.locator,
                    coded.judgement,
                    coded.passage or coded.note or "",
                    coded.dated,
                )
            )
        total = sal[a_idx].sum()
        if total > 100:  # one 0-100 salience per issue; the SMP wants them to share 100
            sal[a_idx] *= 100.0 / total
        if sal[a_idx].sum() <= 0:
            raise InputError(
                f"{a.actor} has no positive salience on any issue of {sc.name}",
                field=f"actors.{a_idx}",
            )
        sources[a.actor] = tuple(cites)
    return SMPScenario(
        name=sc.name,
        description=sc.title,
        actors=tuple(a.actor for a in sc.actors),
        dimensions=tuple(dims),
        capability=cap,
        position=pos,
        salience=sal,
        scale=next(iter(scales)),
        sources=sources,
        notes=sc.question,
        dimension_info={
            i.id: {"label": i.label, "low": i.scale.low, "high": i.scale.high} for i in sc.issues
        },
        decision_date=sc.date,
        capability_sources=cap_sources,
        source_dates={
            s.key: str(s.published or s.year) for s in sc.sources if s.published or s.year
        },
        declared_sources=tuple(s.model_dump(exclude_none=True) for s in sc.sources),
    )


def _bargaining(source: str | Path) -> tuple[SMPScenario, SMPOptions]:
    from scomodel.bargaining.scenario import load_scenario as load_bargaining

    return from_bargaining_scenario(load_bargaining(source)), SMPOptions()


def load_scenario(source: str | Path) -> tuple[SMPScenario, SMPOptions]:
    """Read a scenario and the options it asks for (KTAB CSV files use KTAB's defaults)."""
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".yaml", ".yml"):
        if not path.is_file():
            raise InputError("scenario file not found", file=str(path))
        if suffix == ".csv":
            return read_ktab_csv(path), SMPOptions()
        if _is_bargaining_yaml(path):
            return _bargaining(path)
        return load_smp_yaml(path)
    if (BUILTIN_DIR / f"{source}.yaml").is_file():
        return load_smp_yaml(builtin_path(str(source)))
    from scomodel.bargaining.builtin import builtin_names as bargaining_names

    if str(source) in bargaining_names():
        return _bargaining(str(source))
    raise NotFoundError(
        f"no SMP scenario file or built-in scenario named {source!r}; built-in: "
        f"{', '.join(builtin_names() + bargaining_names())}",
        field="scenario",
    )
