"""Actors: states by ISO 3166-1 alpha-3, organizations by their usual acronym.

Users type names ("Kyrgyz Republic"), ISO3 codes ("KGZ") or Correlates of War codes
("703"); every output carries the ISO3 code and the COW code. Conversion goes through the
``countrycode`` package, the field's standard, so our codes agree with the R tooling
researchers already use. States COW knows but ISO does not (Czechoslovakia, the GDR...)
get the code ``COW<ccode>`` (e.g. ``COW315``): ISO-like three-letter guesses would clash
with real ISO codes (COW's letter code for Czechoslovakia is ISO's for Czechia).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from countrycode import countrycode as _cc

from scomodel.errors import NotFoundError

__all__ = ["Actor", "ActorDirectory", "state_from_cow", "state"]

ActorKind = Literal["state", "organization"]
#: COW states that countrycode's code list names nowhere.
_COW_ONLY = {260: "German Federal Republic", 730: "Korea"}
_COW_CODE = re.compile(r"^(?:COW)?(\d{1,4})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Actor:
    """A state or an organization, with the codes outputs carry."""

    code: str
    name: str
    kind: ActorKind
    cow: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "kind": self.kind, "cow": self.cow}


@functools.lru_cache(maxsize=4096)
def _one(value: object, origin: str, destination: str) -> object | None:
    result = _cc([value], origin=origin, destination=destination)
    return result[0] if result else None


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, int], dict[int, str], dict[int, str]]:
    """ISO3 -> name, ISO3 -> COW, COW -> ISO3 and COW -> name, read once.

    ``countrycode()`` re-reads its tables on every call (about 20 ms), far too slow for
    importing 217 COW states, so exact-code lookups use its code list directly and only
    fuzzy name matching goes through the function.
    """
    from countrycode import codelist

    iso, names, cown = codelist["iso3c"], codelist["country.name.en"], codelist["cown"]
    iso_name = {i: n for i, n in zip(iso, names, strict=True) if i and n}
    iso_cow = {i: int(c) for i, c in zip(iso, cown, strict=True) if i and c is not None}
    codes = sorted({int(c) for c in cown if c is not None} | set(range(2, 1000)))
    cow_iso = {
        c: i
        for c, i in zip(codes, _cc(codes, origin="cown", destination="iso3c"), strict=True)
        if isinstance(i, str)
    }
    cow_name = {
        int(c): n
        for c, n in zip(codelist["cown"], codelist["cow.name"], strict=True)
        if c is not None and n
    }
    return iso_name, iso_cow, cow_iso, cow_name


@functools.lru_cache(maxsize=4096)
def state_from_cow(ccode: int, fallback_name: str | None = None) -> Actor:
    """The state a COW numeric code denotes (``COW<ccode>`` where ISO has no code)."""
    _, _, cow_iso, cow_name = _tables()
    iso = cow_iso.get(int(ccode))
    if iso:
        return state(iso)
    name = cow_name.get(int(ccode)) or _COW_ONLY.get(int(ccode)) or fallback_name
    name = name or f"COW state {ccode}"
    return Actor(f"COW{int(ccode)}", str(name), "state", int(ccode))


@functools.lru_cache(maxsize=4096)
def state(iso3: str) -> Actor:
    """The state with this ISO3 code; raises :class:`NotFoundError` if ISO has none."""
    code = iso3.strip().upper()
    iso_name, iso_cow, _, _ = _tables()
    if code not in iso_name:
        raise NotFoundError(f"unknown ISO3 code {iso3!r}", field="actor")
    return Actor(code, iso_name[code], "state", iso_cow.get(code))


class ActorDirectory:
    """Resolves what users type to an :class:`Actor`.

    Organizations are known from the curated data; states from ``countrycode``.
    """

    def __init__(self, organizations: Iterable[Actor] = ()) -> None:
        self._orgs = {a.code.upper(): a for a in organizations}
        self._org_names = {a.name.casefold(): a for a in self._orgs.values()}
        self._extra: dict[str, Actor] = {}

    def add(self, actor: Actor) -> None:
        """Register an actor the conversion tables do not know (a COW-only state)."""
        if actor.kind == "organization":
            self._orgs[actor.code.upper()] = actor
            self._org_names[actor.name.casefold()] = actor
        else:
            self._extra[actor.code.upper()] = actor

    @property
    def organizations(self) -> list[Actor]:
        return sorted(self._orgs.values(), key=lambda a: a.code)

    def is_organization(self, code: str) -> bool:
        return code.upper() in self._orgs

    def resolve(self, text: str | int, *, field: str = "actor") -> Actor:
        """Resolve an ISO3 code, an acronym, a name or a COW code.

        Raises:
            NotFoundError: nothing matches; the message says what was tried.
        """
        raw = str(text).strip()
        if not raw:
            raise NotFoundError("an actor code or name is required", field=field)
        key = raw.upper()
        if key in self._orgs:
            return self._orgs[key]
        if key in self._extra:
            return self._extra[key]
        if raw.casefold() in self._org_names:
            return self._org_names[raw.casefold()]
        cow = _COW_CODE.match(raw)
        if cow:
            found = state_from_cow(int(cow.group(1)))
            if found.name.startswith("COW state"):
                raise NotFoundError(f"no state has COW code {cow.group(1)}", field=field)
            return found
        if len(raw) == 3 and raw.isalpha():
            try:
                return state(raw)
            except NotFoundError:
                pass
        iso = _one(raw, "country.name", "iso3c")
        if isinstance(iso, str):
            return state(iso)
        raise NotFoundError(
            f"unknown actor {raw!r}: expected an ISO3 code (KAZ), a country name, a COW code "
            f"(705) or an organization ({', '.join(sorted(self._orgs)[:8])}...)",
            field=field,
        )
