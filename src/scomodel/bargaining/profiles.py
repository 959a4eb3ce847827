"""Sourced actor profiles: what each actor wants from the SCO (``scomodel profile KAZ``).

Read from ``scomodel/data/profiles.yaml``; built-in scenarios take their capability
codings from here (``profile: KAZ`` on the coding).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from scomodel.bargaining.citation import Citation
from scomodel.errors import InputError, NotFoundError
from scomodel.registry.schema import StrictModel as _Strict
from scomodel.registry.yamlio import line_of, plain, read_yaml

__all__ = ["Profile", "load_profiles", "profile", "PROFILES_PATH"]

PROFILES_PATH = Path(str(resources.files("scomodel") / "data" / "profiles.yaml"))


class Interest(_Strict):
    field: str
    text: str
    source: str = Field(min_length=1)
    locator: str = Field(min_length=1)


class Figure(_Strict):
    name: str
    value: float
    unit: str | None = None
    source: str = Field(min_length=1)
    locator: str = Field(min_length=1)


class Capability(Citation):
    value: float = Field(ge=0, le=100)


class Profile(_Strict):
    actor: str
    interests: list[Interest]
    figures: list[Figure] = []
    capability: Capability


class _File(_Strict):
    profiles: list[Profile]


@lru_cache(maxsize=4)
def load_profiles(path: str | None = None) -> dict[str, Profile]:
    """All profiles by actor code; a bad file names its line and field."""
    file = str(path or PROFILES_PATH)
    node = read_yaml(file)
    try:
        data = _File.model_validate(plain(node))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [p for p in err["loc"] if isinstance(p, (str, int))]
        raise InputError(
            err["msg"].removeprefix("Value error, "),
            file=file,
            line=line_of(node, loc),
            field=".".join(map(str, loc)),
        ) from None
    out: dict[str, Profile] = {}
    for k, p in enumerate(data.profiles):
        if p.actor in out:
            raise InputError(
                f"duplicate profile for {p.actor}",
                file=file,
                line=line_of(node, ["profiles", k, "actor"]),
                field=f"profiles.{k}.actor",
            )
        out[p.actor] = p
    return out


def profile(actor: str) -> Profile:
    """One actor's profile, by registry code, name or COW code."""
    from scomodel.actors import resolve

    profiles = load_profiles()
    code = resolve(actor, field="actor").code  # an unknown name is an error naming it
    if code not in profiles:
        raise NotFoundError(
            f"no profile for {actor!r}: profiles exist for {', '.join(sorted(profiles))}",
            field="actor",
        )
    return profiles[code]


def profile_rows(p: Profile) -> list[dict[str, Any]]:
    """The profile as table rows: interests, figures and the capability coding."""
    rows: list[dict[str, Any]] = [
        {
            "kind": "interest",
            "what": i.field,
            "value": i.text,
            "source": i.source,
            "locator": i.locator,
        }
        for i in p.interests
    ]
    rows += [
        {
            "kind": "figure",
            "what": f.name,
            "value": f"{f.value:g} {f.unit or ''}".strip(),
            "source": f.source,
            "locator": f.locator,
        }
        for f in p.figures
    ]
    c = p.capability
    rows.append(
        {
            "kind": "capability" + (" (judgement)" if c.judgement else ""),
            "what": "capability 0-100",
            "value": f"{c.value:g}",
            "source": c.source,
            "locator": c.locator,
        }
    )
    return rows
