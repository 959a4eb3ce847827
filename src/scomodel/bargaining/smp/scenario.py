"""A multi-dimensional bargaining scenario: what the SMP needs and nothing more.

Positions live on the scenario's own scale (0-100 for KTAB files); the model works on
0-1 and maps back, so outputs are in the units the scenario was coded in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scomodel.errors import InputError

__all__ = ["SMPScenario", "ActorSource", "MIN_ACTORS", "MAX_ACTORS"]

#: KTAB's limits on the number of actors (``Model::minNumActor``/``maxNumActor``)
MIN_ACTORS = 3
MAX_ACTORS = 250


@dataclass(frozen=True)
class ActorSource:
    """Where an actor's coding comes from; ``judgement`` marks a reading, not a fact."""

    key: str
    locator: str
    judgement: bool = True
    note: str = ""
    #: the date of what is cited when it is not the source's own (``bargaining/dated.py``)
    dated: str | None = None


@dataclass(frozen=True)
class SMPScenario:
    """Actors with capability, and a position and salience on each dimension."""

    name: str
    description: str
    actors: tuple[str, ...]
    dimensions: tuple[str, ...]
    capability: np.ndarray  # (n,)
    position: np.ndarray  # (n, d), on [scale_min, scale_max]
    salience: np.ndarray  # (n, d), 0-100, each row sums to at most 100
    actor_descriptions: tuple[str, ...] = ()
    scale: tuple[float, float] = (0.0, 100.0)
    sources: dict[str, tuple[ActorSource, ...]] = field(default_factory=dict)
    notes: str = ""
    #: per dimension id: its label and what the low and high ends mean (YAML only)
    dimension_info: dict[str, dict[str, str]] = field(default_factory=dict)
    #: the decision the scenario forecasts; inputs dated on or after it are hindsight
    decision_date: dt.date | None = None
    #: per actor: where its capability comes from (a CINC default or a sourced figure)
    capability_sources: dict[str, ActorSource] = field(default_factory=dict)
    #: source key -> date as written, for sources the scenario declares itself
    source_dates: dict[str, str] = field(default_factory=dict)
    #: the ``sources:`` entries the scenario file declares, as written (for writing back)
    declared_sources: tuple[dict[str, Any], ...] = ()

    def __post_init__(self) -> None:
        n, d = len(self.actors), len(self.dimensions)
        if not MIN_ACTORS <= n <= MAX_ACTORS:
            raise InputError(f"a scenario needs {MIN_ACTORS} to {MAX_ACTORS} actors, got {n}")
        if d < 1:
            raise InputError("a scenario needs at least one dimension")
        if len(set(self.actors)) != n:
            raise InputError("actor names must be unique")
        shapes = {"capability": (n,), "position": (n, d), "salience": (n, d)}
        for name, shape in shapes.items():
            if np.shape(getattr(self, name)) != shape:
                raise InputError(f"{name} must have shape {shape}", field=name)
        lo, hi = self.scale
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise InputError(f"scale must be finite, got {self.scale}", field="scale")
        if not hi > lo:
            raise InputError(f"scale must run from a lower to a higher value, got {self.scale}")
        # numbers at the door: a NaN or an infinity would surface as NaN in the answer
        for name in shapes:
            if not np.all(np.isfinite(np.asarray(getattr(self, name), dtype=float))):
                raise InputError(f"every {name} must be a finite number", field=name)
        cap = np.asarray(self.capability, dtype=float)
        if np.any(cap < 0) or np.any(cap > 1e8):
            raise InputError("capability must lie in [0, 1e8]", field="capability")
        if not np.any(cap > 0):
            raise InputError("every capability is 0; at least one must be positive",
                             field="capability")
        sal = np.asarray(self.salience, dtype=float)
        if np.any(sal < 0) or np.any(sal > 100):
            raise InputError("salience must lie in [0, 100]", field="salience")
        pos = np.asarray(self.position, dtype=float)
        if np.any(pos < lo) or np.any(pos > hi):
            raise InputError(f"positions must lie on the scale [{lo:g}, {hi:g}]",
                             field="position")
        if not self.actor_descriptions:
            object.__setattr__(self, "actor_descriptions", ("",) * n)

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    @property
    def n_dims(self) -> int:
        return len(self.dimensions)

    def unit_positions(self) -> np.ndarray:
        """Positions mapped onto 0-1, the scale the model computes on."""
        lo, hi = self.scale
        return (np.asarray(self.position, dtype=float) - lo) / (hi - lo)

    def unit_saliences(self) -> np.ndarray:
        """Saliences as fractions (KTAB divides by 100 on input)."""
        return np.asarray(self.salience, dtype=float) / 100.0

    def to_scale(self, unit: np.ndarray) -> np.ndarray:
        """Map 0-1 model positions back onto the scenario's scale."""
        lo, hi = self.scale
        if (lo, hi) == (0.0, 100.0):
            return np.asarray(unit) * 100.0  # KTAB prints p * 100.0; keep the same arithmetic
        return lo + np.asarray(unit) * (hi - lo)
