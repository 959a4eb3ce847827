"""Dated inputs: which codings of a scenario could have been known before its decision.

A forecast coded from what happened is an illustration, not a forecast. So every input of a
scenario (each status quo, capability, and position with its salience) carries the date of
its source, and an input whose source is dated on or after the scenario's decision date is
``hindsight``. The date of an input is, in order: its own ``dated:`` (a dataset
observation, such as a CINC score, is dated by the year it measures), the source's
``published`` date, the source's ``year``.

Dates carry their precision by their written form (``2004``, ``2004-06``, ``2004-06-17``),
and the comparison is conservative: a source dated ``2017`` is ex-ante for a decision of
2018-01-01 but not for one of 2017-06-08, since nothing shows it came out before June. An
input whose source has no date at all is ``undated`` and counts as hindsight under
``--ex-ante``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from scomodel.bargaining.scenario import Citation, Scenario
from scomodel.errors import InputError

__all__ = [
    "DatedInput",
    "date_bounds",
    "registry_source_dates",
    "audit",
    "hindsight",
    "hindsight_summary",
    "require_ex_ante",
    "status_of",
    "known_dates",
    "refuse_hindsight",
]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def date_bounds(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day a partial date (``YYYY[-MM[-DD]]``) can mean."""
    m = _DATE.match(text.strip())
    if not m:
        raise InputError(f"bad date {text!r}: expected YYYY, YYYY-MM or YYYY-MM-DD", field="dated")
    y, mo, d = int(m[1]), m[2], m[3]
    try:
        if mo is None:
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        if d is None:
            last = calendar.monthrange(y, int(mo))[1]
            return dt.date(y, int(mo), 1), dt.date(y, int(mo), last)
        day = dt.date(y, int(mo), int(d))
    except ValueError:
        raise InputError(f"bad date {text!r}: no such day", field="dated") from None
    return day, day


@lru_cache(maxsize=4)
def _source_dates_in(data_dir: str, stamp: tuple[tuple[str, int], ...]) -> dict[str, str]:
    from scomodel.registry.yamlio import plain, read_yaml

    out: dict[str, str] = {}
    for path, _ in stamp:
        doc = plain(read_yaml(path))
        for s in (doc or {}).get("sources", []) or []:
            when = s.get("published") or s.get("year")
            if isinstance(s, dict) and s.get("key") and when is not None:
                out[str(s["key"])] = str(when)
    return out


def registry_source_dates() -> dict[str, str]:
    """Source key -> its date as written (``published``, else ``year``), from the data folder.

    Read from the YAML files, not the store, because the store keeps only the year.
    """
    from scomodel.registry.loader import DATA_DIR

    root = Path(DATA_DIR)
    paths = [root / "sources.yaml", *sorted((root / "sources").glob("*.yaml"))]
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in paths if p.exists())
    return _source_dates_in(str(root), stamp)


@dataclass(frozen=True)
class DatedInput:
    """One input of a scenario with the date of its source and whether it is ex-ante."""

    field: str  # where it sits in the scenario file, e.g. actors.6.positions.admission
    what: str  # e.g. "admission position/salience", "capability", "bases status quo"
    actor: str
    source: str
    dated: str | None  # as written; None when the source has no date
    status: str  # "ex-ante", "hindsight" or "undated"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def status_of(when: str | None, decision: dt.date) -> str:
    """``ex-ante`` if the whole of ``when`` lies before ``decision``, else ``hindsight``;
    ``undated`` when there is no date. One rule for every scenario format."""
    if when is None:
        return "undated"
    return "ex-ante" if date_bounds(str(when))[1] < decision else "hindsight"


def known_dates(own: dict[str, str], known: dict[str, str] | None = None) -> dict[str, str]:
    """Source key -> date: the registry's sources, overridden by the scenario's own."""
    dates = dict(registry_source_dates() if known is None else known)
    dates.update(own)
    return dates


def _inputs(sc: Scenario) -> list[tuple[str, str, str, Citation]]:
    rows: list[tuple[str, str, str, Citation]] = []
    for i, issue in enumerate(sc.issues):
        rows.append((f"issues.{i}.status_quo", f"{issue.id} status quo", "", issue.status_quo))
    for k, a in enumerate(sc.actors):
        rows.append((f"actors.{k}.capability", "capability", a.actor, a.capability))
        for iid, p in a.positions.items():
            rows.append((f"actors.{k}.positions.{iid}", f"{iid} position/salience", a.actor, p))
    return rows


def audit(sc: Scenario, known: dict[str, str] | None = None) -> list[DatedInput]:
    """Every input of the scenario with its date and status (the scenario's own ``sources:``
    entries date themselves with ``published`` or ``year``)."""
    own = {}
    for s in sc.sources:
        when = getattr(s, "published", None) or s.year
        if when is not None:
            own[s.key] = str(when)
    dates = known_dates(own, known)
    out = []
    for path, what, actor, c in _inputs(sc):
        when = getattr(c, "dated", None) or dates.get(c.source)
        out.append(DatedInput(path, what, actor, c.source, when, status_of(when, sc.date)))
    return out


def hindsight(sc: Scenario, known: dict[str, str] | None = None) -> list[DatedInput]:
    """The inputs that are not ex-ante (hindsight or undated)."""
    return [d for d in audit(sc, known) if d.status != "ex-ante"]


def hindsight_summary(sc: Scenario) -> dict[str, Any]:
    """What every output carries: the decision date, the count and the flagged inputs."""
    rows = hindsight(sc)
    return {
        "decision_date": sc.date.isoformat(),
        "hindsight_inputs": len(rows),
        "hindsight": [r.to_dict() for r in rows],
    }


def require_ex_ante(sc: Scenario, file: str | None = None) -> None:
    """``--ex-ante``: refuse a scenario that has any hindsight or undated input."""
    refuse_hindsight(hindsight(sc), sc.date, file)


def refuse_hindsight(rows: list[DatedInput], decision: dt.date, file: str | None = None) -> None:
    """The ``--ex-ante`` error naming the first flagged input (nothing if there is none)."""
    if not rows:
        return
    r = rows[0]
    who = f"{r.actor} " if r.actor else ""
    when = f"dated {r.dated}" if r.dated else "undated"
    more = f" (and {len(rows) - 1} more)" if len(rows) > 1 else ""
    raise InputError(
        f"hindsight input: {who}{r.what} cites {r.source}, {when}, not before the decision "
        f"date {decision.isoformat()}{more}",
        file=file,
        field=r.field,
    )


def show_scenario(sc: Scenario) -> dict[str, Any]:
    """``scenario show`` as plain data (CLI and API): the scenario, every citation with its
    date and status, and the hindsight summary."""
    dates = {
        (d.actor, d.what.replace(" position/salience", ".position/salience").replace(
            " status quo", ".status_quo")): d
        for d in audit(sc)
    }
    cites = sc.citations()
    for c in cites:
        d = dates.get((c["actor"], c["what"]))
        c["dated"], c["status"] = (d.dated, d.status) if d else (None, "")
    return {**sc.model_dump(mode="json"), "citations": cites, **hindsight_summary(sc)}
