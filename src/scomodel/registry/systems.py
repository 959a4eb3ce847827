"""State systems: which states exist on which days, by COW's list or Gleditsch–Ward's.

A panel has a row for a state only while the state belongs to the chosen system (a
state-year exists when the state was a system member on any day of that year). Both lists
end with their versions (COW 2016-12-31, G–W 2017-12-31); a spell reaching that day is read
as running on to today, since no state of either list has ceased to exist since (a
judgement, documented in docs/panels.md).

The registry codes states by ISO3 (``COW<ccode>`` where ISO has none); each system state is
linked to that code through ``countrycode`` (``cown`` or ``gwn`` to ``iso3c``), the same
tables R's countrycode uses.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from scomodel.errors import InputError

__all__ = ["SystemState", "SYSTEMS", "system_states", "LIST_ENDS"]

SYSTEMS = ("cow", "gw")
_DIR = Path(__file__).resolve().parent.parent / "data" / "systems"
#: the last day each list speaks for (its version's end, not the states')
LIST_ENDS = {"cow": dt.date(2016, 12, 31), "gw": dt.date(2017, 12, 31)}
_OPEN = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class SystemState:
    """One state of a system, with its codes and the days it was a member."""

    code: int  # ccode for COW, gwcode for G–W
    abb: str
    name: str
    actor: str  # the registry's code: ISO3, else COW<ccode>
    ccode: int | None
    gwcode: int | None
    spells: tuple[tuple[dt.date, dt.date], ...]  # inclusive first and last days

    def in_system(self, first: dt.date, last: dt.date) -> bool:
        return any(a <= last and b >= first for a, b in self.spells)


def _open_end(day: dt.date, system: str) -> dt.date:
    return _OPEN if day >= LIST_ENDS[system] else day


@functools.lru_cache(maxsize=2)
def system_states(system: str = "cow") -> tuple[SystemState, ...]:
    """The states of ``system`` (``cow`` or ``gw``), one record per state code."""
    if system not in SYSTEMS:
        raise InputError(f"unknown state system {system!r}: expected cow or gw", field="system")
    from scomodel.actors import state, state_from_cow

    spells: dict[int, list[tuple[dt.date, dt.date]]] = {}
    names: dict[int, tuple[str, str]] = {}
    if system == "cow":
        with open(_DIR / "cow_states_2016.csv", newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                code = int(r["ccode"])
                first = dt.date(int(r["styear"]), int(r["stmonth"]), int(r["stday"]))
                last = dt.date(int(r["endyear"]), int(r["endmonth"]), int(r["endday"]))
                spells.setdefault(code, []).append((first, _open_end(last, system)))
                names[code] = (r["stateabb"], r["statenme"])
    else:
        with open(_DIR / "gw_states_2017.csv", newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                code = int(r["gwcode"])
                first = dt.date.fromisoformat(r["startdate"])
                last = dt.date.fromisoformat(r["enddate"])
                spells.setdefault(code, []).append((first, _open_end(last, system)))
                names[code] = (r["stateabb"], r["statename"])
    gw_iso = _gw_iso() if system == "gw" else {}
    states = []
    ccode: int | None
    for code in sorted(spells):
        abb, name = names[code]
        if system == "cow":
            actor = state_from_cow(code, name)
            ccode, gwcode = code, None
        else:
            iso = gw_iso.get(code)
            actor = state(iso) if iso else state_from_cow(code, name)
            ccode, gwcode = actor.cow, code
        states.append(SystemState(code, abb, name, actor.code, ccode, gwcode,
                                  tuple(sorted(spells[code]))))
    return tuple(states)


@functools.lru_cache(maxsize=1)
def _gw_iso() -> dict[int, str]:
    from countrycode import codelist

    return {
        int(g): i
        for g, i in zip(codelist["gwn"], codelist["iso3c"], strict=True)
        if g is not None and isinstance(i, str)
    }
