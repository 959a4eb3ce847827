"""Which rules are in force on a date: the one place that picks rules by time.

A rule applies from the day its rulebook took effect (or its own ``valid_from``) until
its ``valid_until``; when two in-force rules share an id, the later rulebook wins, and a
rule listed in another in-force rule's ``replaces`` drops out. What-if rulebooks are
applied last, so copying a rulebook and changing one rule is enough to change an answer.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from scomodel.charter.loader import load_rulebook, load_rulebooks
from scomodel.charter.model import (
    BodyRule,
    CriterionRule,
    DecisionRuleSpec,
    ProvisionRule,
    RightRule,
    Rule,
    Rulebook,
    StepRule,
    TransitionRule,
)
from scomodel.dates import PartialDate
from scomodel.errors import NotFoundError

__all__ = ["InForce", "RuleSet", "rules_in_force", "cite", "day_of", "what_if", "ORGS"]

#: Organizations with rulebooks (the SCO's in data/rulebooks/, the others' in a
#: sub-folder named after them, see loader.ORG_FOLDERS).
ORGS = ("SCO", "CSTO", "EAEU", "CIS", "OSCE")
R = TypeVar("R", bound=Rule)


@functools.lru_cache(maxsize=4096)
def _day_of_text(text: str, field: str) -> dt.date:
    return PartialDate.parse(text, field=field).first


def day_of(on: object, field: str = "on") -> dt.date:
    """The day a query date stands for: a coarse date (2004, 2004-06) is its first day."""
    if isinstance(on, str):
        return _day_of_text(on, field)
    return PartialDate.parse(on, field=field).first


def _first(value: str | None) -> dt.date | None:
    return PartialDate(value).first if value else None


@dataclass(frozen=True)
class InForce:
    """A rule with the rulebook it comes from."""

    book: Rulebook
    rule: Rule

    @property
    def id(self) -> str:
        return self.rule.id

    def cite(self) -> dict[str, Any]:
        return cite(self.book, self.rule)


def cite(book: Rulebook, rule: Rule) -> dict[str, Any]:
    """How outputs name a rule: id, document, article, verification and sources."""
    return {
        "id": rule.id,
        "rulebook": book.id,
        "document": rule.document or book.document,
        "article": rule.article,
        "verification": rule.verification,
        "sources": [r.model_dump() for r in rule.sources],
    }


def _applies(book: Rulebook, rule: Rule, day: dt.date) -> bool:
    start = max(PartialDate(book.in_force).first, _first(rule.valid_from) or dt.date.min)
    end = _first(rule.valid_until) or dt.date.max
    return start <= day < end


@dataclass(frozen=True)
class RuleSet:
    """The rules of one organization in force on one day."""

    org: str
    day: dt.date
    books: list[Rulebook]
    rules: list[InForce]
    upcoming: list[Rulebook] = field(default_factory=list)
    dropped: dict[str, tuple[InForce, InForce]] = field(default_factory=dict)

    def _decisions(self) -> list[tuple[Rulebook, DecisionRuleSpec]]:
        cached: list[tuple[Rulebook, DecisionRuleSpec]] | None = self.__dict__.get("_dec")
        if cached is None:
            cached = self.of(DecisionRuleSpec)
            object.__setattr__(self, "_dec", cached)
        return cached

    def of(self, kind: type[R]) -> list[tuple[Rulebook, R]]:
        return [(x.book, x.rule) for x in self.rules if isinstance(x.rule, kind)]

    def get(self, rule_id: str) -> InForce | None:
        return next((x for x in self.rules if x.rule.id == rule_id), None)

    def steps(self, status: str) -> list[tuple[Rulebook, StepRule]]:
        found = [(b, r) for b, r in self.of(StepRule) if r.status == status]
        return sorted(found, key=lambda br: br[1].order)

    def criteria(self, status: str) -> list[tuple[Rulebook, CriterionRule]]:
        return [(b, r) for b, r in self.of(CriterionRule) if r.status == status]

    def rights(self) -> list[tuple[Rulebook, RightRule]]:
        return self.of(RightRule)

    def transitions(self) -> list[tuple[Rulebook, TransitionRule]]:
        return self.of(TransitionRule)

    def deferral(self, status: str) -> tuple[Rulebook, ProvisionRule] | None:
        """The provision that leaves ``status``'s procedure to a later act, if any."""
        for book, rule in self.of(ProvisionRule):
            if status in rule.defers_procedure:
                return book, rule
        return None

    def decision(
        self, matter: str = "default", body: str | None = None
    ) -> tuple[Rulebook, DecisionRuleSpec] | None:
        """The rule ``body`` decides ``matter`` by: a rule naming that body beats one for
        every body (``*``); a matter without its own rule falls back to ``default``."""
        specs = self._decisions()
        for wanted in (matter, "default"):
            found = [(b, r) for b, r in specs if r.matter == wanted]
            if body is not None:
                own = [(b, r) for b, r in found if body in r.bodies]
                found = own or [(b, r) for b, r in found if "*" in r.bodies]
            if found:
                return found[-1]
        return None

    def bodies(self) -> list[str]:
        """The bodies the rules in force set up (``kind: body``), in rulebook order."""
        return [r.body for _, r in self.of(BodyRule)]


def what_if(paths: Sequence[str | Path] | None) -> list[Rulebook]:
    """Load what-if rulebooks given on the command line (flagged as such)."""
    books = []
    for path in paths or []:
        book = load_rulebook(path)
        books.append(book.model_copy(update={"whatif": True}))
    return books


def _check_org(org: str) -> str:
    """The organization's code, through the one resolver unless it is already a code.

    The exact-code path keeps the bargaining model's thousands of calls cheap; anything
    else (a name, a state, a made-up code) is resolved, so the error names what was typed.
    """
    code = org.strip().upper()
    if code in ORGS:
        return code
    from scomodel.actors import resolve

    code = resolve(org, field="org", kind="organization").code
    if code not in ORGS:
        raise NotFoundError(
            f"no rulebooks for {org!r}: the charter part models {', '.join(ORGS)} only", field="org"
        )
    return code


#: Selections already made, keyed by (org, day, ids of the rulebooks considered). The
#: cached RuleSet holds every rulebook of its key, so those ids cannot be reused meanwhile.
_SELECTIONS: dict[tuple[str, dt.date, tuple[int, ...]], RuleSet] = {}
_MAX_CACHED = 4096


def rules_in_force(
    org: str, on: object, *, extra: Iterable[Rulebook] = (), books: Sequence[Rulebook] | None = None
) -> RuleSet:
    """The rules of ``org`` in force on ``on`` (built-in rulebooks plus what-if ones).

    Selections are cached: the bargaining model asks for the same day's decision rule
    thousands of times.
    """
    code = _check_org(org)
    day = on if isinstance(on, dt.date) else day_of(on)
    every = [b for b in (books if books is not None else load_rulebooks()) if b.org == code]
    every += [b for b in extra if b.org == code]
    key = (code, day, tuple(id(b) for b in every))
    found = _SELECTIONS.get(key)
    if found is None:
        if len(_SELECTIONS) >= _MAX_CACHED:
            _SELECTIONS.clear()
        found = _SELECTIONS[key] = select(code, day, every)
    return found


def select(code: str, day: dt.date, every: list[Rulebook]) -> RuleSet:
    """The selection itself, uncached: rulebooks in force, later ids win, replaced ones drop."""
    active = [b for b in every if PartialDate(b.in_force).first <= day]
    upcoming = [b for b in every if PartialDate(b.in_force).first > day]
    active.sort(key=lambda b: (b.whatif, b.in_force, b.id))
    by_id: dict[str, InForce] = {}
    for book in active:
        for rule in book.rules:
            if _applies(book, rule, day):
                by_id.pop(rule.id, None)  # keep the later one, in book order
                by_id[rule.id] = InForce(book, rule)
    replacer = {rid: x for x in by_id.values() for rid in x.rule.replaces}
    rules = [x for rid, x in by_id.items() if rid not in replacer]
    dropped = {rid: (x, replacer[rid]) for rid, x in by_id.items() if rid in replacer}
    return RuleSet(code, day, active, rules, upcoming, dropped)
