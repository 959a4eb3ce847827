"""Standard capabilities: the COW National Material Capabilities CINC score.

Why: a capability coded by hand is one more judgement made knowing the outcome. The
field's standard single measure is CINC (each state's average share of the world's
military spending, soldiers, iron and steel, energy use, population and urban population).
By default a state's capability in a scenario is its CINC for the last year before the
decision date, times 100 (percent of the world total, so China 2016 is 23.1 and Kyrgyzstan
0.04), cited as ``cow-nmc-v7`` and dated by the year it measures. A scenario may override
it with a sourced figure on the same scale.

The package ships an extract (``scomodel/data/cinc/cinc.csv``, 1990-2022, built by
``scripts/build_cinc_extract.py``), so this works without ``shared/data``.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from scomodel.errors import InputError, NotFoundError

__all__ = [
    "CINC_PATH",
    "CINC_SOURCE",
    "load_cinc",
    "cinc",
    "cinc_year_for",
    "default_capability",
    "expand_capabilities",
]

CINC_PATH = Path(str(resources.files("scomodel") / "data" / "cinc" / "cinc.csv"))
CINC_SOURCE = "cow-nmc-v7"


@lru_cache(maxsize=2)
def load_cinc(path: str | None = None) -> dict[tuple[str, int], float]:
    """(actor code, year) -> CINC share (0-1), from the shipped extract."""
    out: dict[tuple[str, int], float] = {}
    with open(path or CINC_PATH, newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            out[(rec["actor"], int(rec["year"]))] = float(rec["cinc"])
    return out


def _years() -> tuple[int, int]:
    ys = [y for _, y in load_cinc()]
    return min(ys), max(ys)


def cinc_year_for(date: dt.date) -> int:
    """The last year before ``date`` that the extract covers (an error before it begins)."""
    first, last = _years()
    year = min(date.year - 1, last)
    if year < first:
        raise InputError(
            f"the CINC extract starts in {first}: no default capability for a decision on "
            f"{date.isoformat()}; give a sourced capability",
            field="capability",
        )
    return year


def cinc(actor: str, year: int) -> float:
    """One state's CINC share in one year; an error naming the actor if it has none."""
    value = load_cinc().get((actor, year))
    if value is None:
        raise NotFoundError(
            f"no CINC score for {actor} in {year} (COW NMC v7 covers states only): "
            "give a sourced capability",
            field="capability",
        )
    return value


def default_capability(actor: str, date: dt.date) -> dict[str, Any]:
    """The capability coding a scenario gets when it codes none: CINC x 100, cited."""
    year = cinc_year_for(date)
    value = cinc(actor, year)
    latest = " (the latest year NMC v7 covers)" if year < date.year - 1 else ""
    return {
        "value": round(value * 100.0, 6),
        "source": CINC_SOURCE,
        "locator": f"CINC of {actor}, {year}{latest}",
        "dated": str(year),
        "note": "CINC x 100: percent of the world's material capabilities",
    }


def expand_capabilities(data: dict[str, Any], node: Any, file: str) -> dict[str, Any]:
    """Fill the capability of every actor that codes none with its CINC (a pre-validation step
    of the scenario loader: the error names the actor's line)."""
    from scomodel.registry.yamlio import line_of

    actors = data.get("actors")
    raw_date = data.get("date")
    if not isinstance(actors, list):
        return data
    try:
        date = raw_date if isinstance(raw_date, dt.date) else dt.date.fromisoformat(str(raw_date))
    except ValueError:
        return data  # the model's own validation reports the bad date
    for k, a in enumerate(actors):
        if not isinstance(a, dict) or "capability" in a or not isinstance(a.get("actor"), str):
            continue
        try:
            a["capability"] = default_capability(a["actor"], date)
        except InputError as exc:
            raise InputError(
                exc.message,
                file=file,
                line=line_of(node, ["actors", k, "actor"]),
                field=f"actors.{k}.capability",
            ) from None
    return data


def profile_cinc(actor: str) -> dict[int, float]:
    """CINC x 100 in the seeds' figure year (2002) and after, for ``profile`` (CLI and API),
    beside the profile's own capability judgement (empty for an organization)."""
    table = load_cinc()
    return {y: round(table[(actor, y)] * 100, 4) for y in (2002, 2010, 2016, 2022)
            if (actor, y) in table}
