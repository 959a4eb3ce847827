"""scomodel's multi-dimensional scenario YAML, read and written.

The format (``docs/smp.md``): a scenario name, a scale, named dimensions, and actors with
a capability and, per dimension, a position and a salience, each actor citing the
passage its coding is read from. Errors name the file, line and field.

A scenario may carry a ``decision_date``; its citations are then dated as the bargaining
part's are (a citation's ``dated:``, else the source's ``published``/``year``; see
``bargaining/dated.py``), and an actor with no ``capability`` gets its CINC for the last
year before the decision (``bargaining/capabilities.py``).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator
from ruamel.yaml import YAML

from scomodel.bargaining.citation import date_text
from scomodel.bargaining.scenario_model import SourceRef
from scomodel.bargaining.smp.options import SMPOptions
from scomodel.bargaining.smp.scenario import MAX_ACTORS, MIN_ACTORS, ActorSource, SMPScenario
from scomodel.errors import DataValidationError, InputError
from scomodel.registry.yamlio import line_of, read_yaml, validate

__all__ = ["read_smp_yaml", "load_smp_yaml", "write_smp_yaml", "format_smp_yaml"]


class _Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str
    locator: str
    judgement: bool = True
    note: str = ""
    dated: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")

    _dated = field_validator("dated", mode="before")(lambda v: date_text(v))


class _Capability(BaseModel):
    """A sourced capability figure (the default, with a decision date, is CINC)."""

    model_config = ConfigDict(extra="forbid")
    value: float = Field(gt=0, le=1e8)
    source: str = Field(min_length=1)
    locator: str = Field(min_length=1)
    judgement: bool = False
    note: str = ""
    dated: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")

    _dated = field_validator("dated", mode="before")(lambda v: date_text(v))


class _Dimension(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    label: str = ""
    low: str = ""
    high: str = ""


class _Actor(BaseModel):
    model_config = ConfigDict(extra="forbid")
    actor: str = Field(min_length=1, max_length=25)
    description: str = ""
    capability: float | _Capability | None = Field(default=None)
    position: dict[str, float]
    salience: dict[str, float]
    sources: list[_Source] = Field(default_factory=list)

    @field_validator("salience")
    @classmethod
    def _salience_range(cls, v: dict[str, float]) -> dict[str, float]:
        for k, s in v.items():
            if not 0 <= s <= 100:
                raise ValueError(f"salience on {k!r} must be in [0, 100], got {s:g}")
        total = sum(v.values())
        if total > 100:
            raise ValueError(f"saliences sum to {total:g}; at most 100 allowed")
        if total <= 0:
            raise ValueError("saliences are all zero; at least one must be above 0")
        return v


class _Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: str = Field(min_length=1)
    decision_date: dt.date | None = None
    description: str = ""
    notes: str = ""
    scale: tuple[float, float] = (0.0, 100.0)
    dimensions: list[_Dimension] = Field(min_length=1)
    actors: list[_Actor] = Field(min_length=MIN_ACTORS, max_length=MAX_ACTORS)
    options: dict[str, Any] = Field(default_factory=dict)
    sources: list[SourceRef] = Field(default_factory=list)


def _capability(
    a: _Actor, date: dt.date | None, node: Any, where: list[str | int], file: str
) -> tuple[float, ActorSource | None]:
    """An actor's capability and its citation: a bare number (uncited), a sourced figure,
    or, when none is given, CINC for the last year before the decision date."""
    cap = a.capability
    if isinstance(cap, _Capability):
        return cap.value, ActorSource(cap.source, cap.locator, cap.judgement, cap.note,
                                      cap.dated)
    if cap is not None:
        if not 0 < cap <= 1e8:
            raise DataValidationError(
                f"capability must be in (0, 1e8], got {cap:g}",
                file=file, line=line_of(node, [*where, "capability"]),
                field=f"{where[0]}.{where[1]}.capability",
            )
        return float(cap), None
    field = f"{where[0]}.{where[1]}.capability"
    if date is None:
        raise DataValidationError(
            "capability is missing: give one, or a decision_date for the CINC default",
            file=file, line=line_of(node, [*where, "actor"]), field=field,
        )
    from scomodel.bargaining.capabilities import default_capability

    try:
        c = default_capability(a.actor, date)
    except InputError as exc:
        raise InputError(exc.message, file=file, line=line_of(node, [*where, "actor"]),
                         field=field) from None
    return float(c["value"]), ActorSource(c["source"], c["locator"], False, c["note"],
                                          c["dated"])


def read_smp_yaml(path: str | Path) -> SMPScenario:
    """Read a scenario YAML file; see :func:`load_smp_yaml` for the options too."""
    return load_smp_yaml(path)[0]


def load_smp_yaml(path: str | Path) -> tuple[SMPScenario, SMPOptions]:
    """Read a scenario YAML file and the SMP options it asks for (KTAB defaults if none)."""
    file = str(path)
    node = read_yaml(path)
    if not isinstance(node, dict):
        raise InputError(
            "an SMP scenario must be a YAML mapping (scenario:, dimensions:, actors:)",
            file=file,
            line=1,
        )
    data = validate(_Scenario, node, file=file)
    dims = [d.id for d in data.dimensions]
    if len(set(dims)) != len(dims):
        raise DataValidationError(
            "dimension ids must be unique",
            file=file,
            line=line_of(node, ["dimensions"]),
            field="dimensions",
        )
    lo, hi = data.scale
    if not hi > lo:
        raise DataValidationError(
            f"scale must be [low, high] with low < high, got {list(data.scale)}",
            file=file,
            line=line_of(node, ["scale"]),
            field="scale",
        )
    n, d = len(data.actors), len(dims)
    cap = np.empty(n)
    pos = np.empty((n, d))
    sal = np.empty((n, d))
    names: list[str] = []
    sources: dict[str, tuple[ActorSource, ...]] = {}
    cap_sources: dict[str, ActorSource] = {}
    for i, a in enumerate(data.actors):
        where: list[str | int] = ["actors", i]
        if a.actor in names:
            raise DataValidationError(
                f"actor {a.actor!r} appears twice",
                file=file,
                line=line_of(node, [*where, "actor"]),
                field=f"actors.{i}.actor",
            )
        names.append(a.actor)
        cap[i], cited = _capability(a, data.decision_date, node, where, file)
        if cited is not None:
            cap_sources[a.actor] = cited
        for part, values, arr in (("position", a.position, pos), ("salience", a.salience, sal)):
            missing = [k for k in dims if k not in values]
            extra = [k for k in values if k not in dims]
            if missing or extra:
                what = f"missing {missing}" if missing else f"unknown dimension(s) {extra}"
                raise DataValidationError(
                    f"{part} must give every dimension {dims}: {what}",
                    file=file,
                    line=line_of(node, [*where, part]),
                    field=f"actors.{i}.{part}",
                )
            for k, dim in enumerate(dims):
                arr[i, k] = values[dim]
        bad = [dim for k, dim in enumerate(dims) if not lo <= pos[i, k] <= hi]
        if bad:
            raise DataValidationError(
                f"position on {bad[0]!r} is outside the scale [{lo:g}, {hi:g}]",
                file=file,
                line=line_of(node, [*where, "position", bad[0]]),
                field=f"actors.{i}.position.{bad[0]}",
            )
        sources[a.actor] = tuple(ActorSource(**s.model_dump()) for s in a.sources)
    opts_node = node.get("options") or {}
    options = SMPOptions.from_mapping(dict(data.options), file=file) if opts_node else SMPOptions()
    scenario = SMPScenario(
        name=data.scenario,
        description=data.description,
        actors=tuple(names),
        dimensions=tuple(dims),
        capability=cap,
        position=pos,
        salience=sal,
        actor_descriptions=tuple(a.description for a in data.actors),
        scale=(float(lo), float(hi)),
        sources=sources,
        notes=data.notes,
        dimension_info={
            d.id: {k: v for k, v in (("label", d.label), ("low", d.low), ("high", d.high)) if v}
            for d in data.dimensions
        },
        decision_date=data.decision_date,
        capability_sources=cap_sources,
        source_dates={
            s.key: str(s.published or s.year) for s in data.sources if s.published or s.year
        },
        declared_sources=tuple(s.model_dump(exclude_none=True) for s in data.sources),
    )
    return scenario, options


def format_smp_yaml(scenario: SMPScenario, options: SMPOptions | None = None) -> str:
    """The scenario as YAML text that :func:`load_smp_yaml` reads back unchanged."""
    out: dict[str, Any] = {
        "scenario": scenario.name,
        **({"decision_date": scenario.decision_date} if scenario.decision_date else {}),
        "description": scenario.description,
        "scale": [float(scenario.scale[0]), float(scenario.scale[1])],
        "dimensions": [
            {"id": d, **scenario.dimension_info.get(d, {})} for d in scenario.dimensions
        ],
        "actors": [],
    }
    if scenario.notes:
        out["notes"] = scenario.notes
    for i, a in enumerate(scenario.actors):
        entry: dict[str, Any] = {"actor": a}
        if scenario.actor_descriptions[i]:
            entry["description"] = scenario.actor_descriptions[i]
        cited = scenario.capability_sources.get(a)
        entry["capability"] = float(scenario.capability[i]) if cited is None else {
            "value": float(scenario.capability[i]), **_source_entry(cited, "source")}
        entry["position"] = {
            d: float(scenario.position[i, k]) for k, d in enumerate(scenario.dimensions)
        }
        entry["salience"] = {
            d: float(scenario.salience[i, k]) for k, d in enumerate(scenario.dimensions)
        }
        srcs = scenario.sources.get(a, ())
        if srcs:
            entry["sources"] = [_source_entry(s, "key") for s in srcs]
        out["actors"].append(entry)
    if scenario.declared_sources:
        out["sources"] = [dict(s) for s in scenario.declared_sources]
    if options is not None and options.to_mapping():
        out["options"] = options.to_mapping()
    yaml = YAML()
    yaml.default_flow_style = None
    buf = io.StringIO()
    yaml.dump(out, buf)
    return buf.getvalue()


def _source_entry(s: ActorSource, key: str) -> dict[str, Any]:
    return {
        key: s.key,
        "locator": s.locator,
        "judgement": s.judgement,
        **({"note": s.note} if s.note else {}),
        **({"dated": s.dated} if s.dated else {}),
    }


def write_smp_yaml(
    scenario: SMPScenario, path: str | Path, options: SMPOptions | None = None
) -> None:
    """Write the scenario (and non-default options) as scomodel scenario YAML."""
    Path(path).write_text(format_smp_yaml(scenario, options), encoding="utf-8")
