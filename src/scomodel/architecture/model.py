"""One object holding what the architecture needs: spells, mandates, arrangements, regions.

Built once (``Architecture.load()``), it answers every date from precomputed interval
arrays (:mod:`scomodel.architecture.intervals`), so a 30-year monthly sweep costs a few
matrix products rather than thousands of registry queries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from scomodel.architecture.intervals import IntervalTable, dates_to_days, day_number
from scomodel.architecture.loader import ArchitectureData, load_architecture
from scomodel.architecture.schema import ArrangementEntry, MandateEntry, Tier

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Architecture", "registry_spells", "tier_of"]

#: Member statuses counted as belonging to an organization in overlap measures.
MEMBER_STATUSES = ("member",)


def registry_spells(data_dir: str | Path | None = None, *, include_cow: bool = False
                    ) -> pd.DataFrame:
    """The registry's spells (``Registry.spells_frame()``), curated ones only by default.

    COW IGO rows are left out unless asked for: the architecture compares the mechanisms
    whose founding texts are coded in ``mandates.yaml``, not every IGO in COW.
    """
    from scomodel.registry import Registry

    frame = Registry.open(data_dir=data_dir).spells_frame()
    if not include_cow and "dataset" in frame.columns:
        frame = frame[frame["dataset"] != "cow_igo_v3"]
    return frame.reset_index(drop=True)


def tier_of(org: str, n_members: int, tiers: dict[str, Tier]) -> Tier:
    """The tier the data gives an organization; by size when it gives none (<=5: minilateral)."""
    if org in tiers:
        return tiers[org]
    return "minilateral" if n_members <= 5 else "regional"


@dataclass
class Architecture:
    """Spells and architecture data, packed for fast questions about any date."""

    data: ArchitectureData
    spells: pd.DataFrame
    members: IntervalTable
    mandates: IntervalTable
    orgs: tuple[str, ...] = field(default=())
    spell_start: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    spell_end: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: Each spell's ``(org, actor, status, start)`` as text: the network's ties on a day
    #: come from these, so the command line never opens the pickled spells frame (pandas).
    spell_ties: tuple[tuple[str, str, str, str], ...] = ()

    # -- pickling: the spells frame travels as its own pickle, opened on first use -------
    # The CLI unpickles the whole architecture (registry.fastindex.cached) to sweep its
    # interval arrays; unpickling a DataFrame would import pandas (~0.3 s, more than the
    # monthly sweep itself) for a table only ``spells_on`` (the network) reads.

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if "spells" in state:
            state["_spells_pickle"] = pickle.dumps(state.pop("spells"),
                                                   protocol=pickle.HIGHEST_PROTOCOL)
        return state

    if not TYPE_CHECKING:  # for mypy ``spells`` is the plain field it always reads as
        def __getattr__(self, name: str) -> Any:
            pickled = self.__dict__.get("_spells_pickle")
            if name != "spells" or pickled is None:
                raise AttributeError(f"'Architecture' object has no attribute {name!r}")
            self.spells = pickle.loads(pickled)  # our own pickle, written by __getstate__
            del self.__dict__["_spells_pickle"]
            return self.spells

    @classmethod
    def load(cls, spells: pd.DataFrame | None = None, data_dir: str | Path | None = None
             ) -> Architecture:
        """Build from the registry (or from a given spells frame, e.g. in tests).

        With the registry's spells come its agreement facts between states, added to the
        arrangements of ``bilateral.yaml``.
        """
        data = load_architecture(data_dir)
        if spells is not None:
            return cls.build(data, spells.reset_index(drop=True))
        from scomodel.architecture.agreements import arrangements_from_facts
        from scomodel.registry import Registry

        extra = arrangements_from_facts(Registry.open(data_dir=data_dir).facts(
            kind="agreement"), data)
        data = dataclasses.replace(data, arrangements=[*data.arrangements, *extra])
        return cls.build(data, registry_spells(data_dir))

    @classmethod
    def build(cls, data: ArchitectureData, spells: pd.DataFrame) -> Architecture:
        orgs = tuple(sorted(set(spells["org"])))
        members = IntervalTable.from_spells(spells, MEMBER_STATUSES, rows=orgs)
        records = [
            (m.subject, f, m.start, m.end)
            for m in data.mandates if m.kind == "organization" for f in m.fields
        ]
        mandates = IntervalTable.build(records, rows=orgs, cols=sorted(data.fields))
        ties = tuple(zip(*(map(str, spells[c]) for c in ("org", "actor", "status", "start")),
                         strict=True))
        return cls(data=data, spells=spells, members=members, mandates=mandates, orgs=orgs,
                   spell_start=np.array([day_number(v) for v in spells["start"]], dtype=np.int64),
                   spell_end=np.array([day_number(v) for v in spells["end"]], dtype=np.int64),
                   spell_ties=ties)

    def spells_on(self, day: int) -> pd.DataFrame:
        """The spells (any status) holding on one day."""
        mask = (self.spell_start <= day) & (day < self.spell_end)
        return self.spells[mask]

    def spell_ties_on(self, day: int) -> list[tuple[str, str, str, str]]:
        """``(org, actor, status, start)`` of the spells (any status) holding on one day,
        in the spells frame's order: :meth:`spells_on` without pandas."""
        mask = (self.spell_start <= day) & (day < self.spell_end)
        return [self.spell_ties[i] for i in np.flatnonzero(mask)]

    def arrangements_on(self, day: int) -> list[ArrangementEntry]:
        """The bilateral arrangements in force on one day."""
        return [a for a in self.data.arrangements
                if day_number(a.start) <= day < day_number(a.end)]

    def agreements_on(self, day: int) -> list[MandateEntry]:
        """Agreements between organizations (and states) in force on one day."""
        return [m for m in self.data.mandates if m.kind == "agreement"
                and day_number(m.start) <= day < day_number(m.end)]

    def fields_of(self, org: str, day: int) -> list[str]:
        """The fields an organization's mandate covers on a day."""
        if org not in self.orgs:
            return []
        row = self.mandates.cube(np.array([day]))[0][self.orgs.index(org)]
        return [f for f, on in zip(self.mandates.cols, row, strict=True) if on]

    # -- masks --------------------------------------------------------------------------

    def actor_mask(self, region: str | None) -> np.ndarray:
        """Which actor columns a region keeps (all when ``region`` is ``None``)."""
        entry = self.data.region(region)
        if entry is None:
            return np.ones(len(self.members.cols), dtype=bool)
        keep = set(entry.members)
        return np.array([a in keep for a in self.members.cols], dtype=bool)

    def member_cube(self, days: np.ndarray, region: str | None = None) -> np.ndarray:
        """``(T, orgs, actors)`` membership on each day, restricted to a region's actors."""
        return self.members.cube(days) & self.actor_mask(region)[None, None, :]

    def field_cube(self, days: np.ndarray) -> np.ndarray:
        """``(T, orgs, fields)``: which fields each organization's mandate covers."""
        return self.mandates.cube(days)

    def days(self, dates: list[dt.date] | list[str]) -> np.ndarray:
        return dates_to_days(dates)
