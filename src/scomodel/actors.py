"""Actors: states by ISO 3166-1 alpha-3, organizations by their usual acronym.

Users type names ("Kyrgyz Republic"), ISO3 codes ("KGZ") or Correlates of War codes
("703"); every output carries the ISO3 code and the COW code. Conversion goes through the
``countrycode`` package, the field's standard, so our codes agree with the R tooling
researchers already use. States COW knows but ISO does not (Czechoslovakia, the GDR...)
get the code ``COW<ccode>`` (e.g. ``COW315``): ISO-like three-letter guesses would clash
with real ISO codes (COW's letter code for Czechoslovakia is ISO's for Czechia).

Every name a user types, anywhere (CLI arguments and options, API parameters and bodies,
proceeding and scenario files, member lists), goes through :func:`resolve` or
:func:`resolve_codes`: one resolver, so "Pakistan", "PAK" and "770" mean the same actor
everywhere and a made-up code is an :class:`~scomodel.errors.UnknownNameError` naming the
field and the value, never a silent drop.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from scomodel.errors import InputError, NotFoundError, UnknownNameError

__all__ = [
    "Actor",
    "ActorDirectory",
    "state_from_cow",
    "state",
    "resolve",
    "resolve_codes",
    "split_names",
    "default_directory",
]

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


def _cc(values: list[Any], *, origin: str, destination: str) -> Any:
    """``countrycode.countrycode``, imported on first use.

    ``countrycode`` imports pandas (about 0.3 s): a command that loads the registry's
    code (the architecture's sweep does, for its data folder) but resolves no name
    should not pay for it.
    """
    from countrycode import countrycode

    return countrycode(values, origin=origin, destination=destination)


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

    def resolve(
        self, text: str | int, *, field: str = "actor", kind: ActorKind | None = None
    ) -> Actor:
        """Resolve an ISO3 code, an acronym, a name or a COW code.

        ``kind`` asks for a state or an organization; the other kind is then an error
        (``rules KAZ`` names a state where an organization is expected).

        Raises:
            UnknownNameError: nothing of that kind matches; the message names the value.
        """
        found = self._lookup(text, field=field, kind=kind)
        if kind is not None and found.kind != kind:
            wanted = "an organization" if kind == "organization" else "a state"
            raise UnknownNameError(
                f"{str(text).strip()!r} is {found.code} ({found.name}), not {wanted}",
                field=field,
                value=text,
            )
        return found

    def _lookup(self, text: str | int, *, field: str, kind: ActorKind | None) -> Actor:
        raw = str(text).strip()
        what = "an organization" if kind == "organization" else "an actor"
        if not raw:
            raise UnknownNameError(f"{what} code or name is required", field=field, value=text)
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
                raise UnknownNameError(
                    f"unknown actor {raw!r}: no state has COW code {cow.group(1)}",
                    field=field,
                    value=text,
                )
            return found
        if len(raw) == 3 and raw.isalpha():
            try:
                return state(raw)
            except NotFoundError:
                pass
        iso = _one(raw, "country.name", "iso3c")
        if isinstance(iso, str):
            return state(iso)
        orgs = ", ".join(sorted(self._orgs)[:8]) + ("..." if len(self._orgs) > 8 else "")
        if kind == "organization":
            raise UnknownNameError(
                f"unknown organization {raw!r}: expected an acronym or a name ({orgs})",
                field=field,
                value=text,
            )
        raise UnknownNameError(
            f"unknown actor {raw!r}: expected an ISO3 code (KAZ), a country name, a COW code "
            f"(705) or an organization ({orgs})",
            field=field,
            value=text,
        )


def default_directory() -> ActorDirectory:
    """The registry's directory (curated organizations, imported COW ones, COW-only states).

    Imported lazily: the registry itself builds on this module.
    """
    from scomodel.registry import Registry

    return Registry.open().actors


def resolve(
    text: str | int,
    *,
    field: str = "actor",
    kind: ActorKind | None = None,
    directory: ActorDirectory | None = None,
) -> Actor:
    """The one resolver: what a user typed in ``field``, as an :class:`Actor`.

    ``directory`` is a what-if registry's when the caller has one; the curated registry's
    otherwise.
    """
    return (directory or default_directory()).resolve(text, field=field, kind=kind)


def resolve_codes(
    texts: Iterable[str | int],
    *,
    field: str,
    kind: ActorKind | None = None,
    directory: ActorDirectory | None = None,
    unique: bool = True,
) -> list[str]:
    """Codes of every name in ``texts``, in order; the same actor twice is an error.

    Two spellings of one actor ("PAK" and "Pakistan") count as the same actor twice: a
    list that names it twice is almost always a typo for another actor.
    """
    book = directory or default_directory()
    given = list(texts)
    codes: list[str] = []
    for text in given:
        code = book.resolve(text, field=field, kind=kind).code
        if unique and code in codes:
            raise InputError(
                f"{code} is named twice ({', '.join(map(str, given))}): name each actor once",
                field=field,
            )
        codes.append(code)
    return codes


def split_names(text: str | None, sep: str = ",") -> list[str]:
    """``"PAK, Uzbekistan"`` -> ``["PAK", "Uzbekistan"]`` (empty items dropped)."""
    return [part.strip() for part in (text or "").split(sep) if part.strip()]
