"""Which status a recorded change came from, when an actor holds several at once.

An actor holds one standing status in an organization and any procedure tracks beside
it (India was an observer and acceding from 2015 to 2017). A change is checked from the
status it was reached from: the spell that ended that day, or, for a track that starts
beside a standing status, that status where a rule leads from it (an observer may
accede: T-applicant). A spell that another status takes over on its last day did not
end on its own (an observer admitted as a member did not withdraw).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from scomodel.charter.context import charter_state
from scomodel.charter.engine import rules_in_force
from scomodel.charter.model import Rulebook
from scomodel.dates import PartialDate
from scomodel.errors import NotFoundError
from scomodel.registry import SpellRow

__all__ = ["in_rules_terms", "predecessor", "followed"]


def in_rules_terms(spell: SpellRow) -> SpellRow:
    """The spell with its status in the rulebooks' words (the registry's ``acceding`` is
    the rules' ``applicant``)."""
    name = charter_state(spell.status)
    return spell if name == spell.status else replace(spell, status=name)


def _day(text: str) -> dt.date:
    return PartialDate(text).first


def predecessor(
    spell: SpellRow, spells: list[SpellRow], org: str, extra: list[Rulebook]
) -> SpellRow | None:
    """The status ``spell`` was reached from: a spell ending the day it starts, or, for a
    procedure track, the standing status it runs beside (an observer's accession).

    Several spells can end that day (India's observer status and its acceding track both
    end on admission): the one a transition in force leads from wins. A standing status
    beside a procedure counts only where a rule leads from it (T-applicant: an observer
    may accede), so a guest invitation of an observer stays ``none -> guest``.
    """
    start = _day(spell.start)
    ended = [p for p in spells if p is not spell and p.end and _day(p.end) == start]
    ended.sort(key=lambda p: p.kind == "standing")  # procedure tracks first
    beside = [p for p in spells if p is not spell and spell.kind != "standing"
              and p.kind == "standing" and _day(p.start) < start
              and (p.end is None or _day(p.end) > start)]
    candidates = ended + beside
    if not candidates:
        return None
    try:
        ruleset = rules_in_force(org, start, extra=extra)
    except NotFoundError:
        return ended[0] if ended else None
    leads = {(t.source_state, t.target_state) for _, t in ruleset.transitions()}
    for p in candidates:
        if (p.status, spell.status) in leads:
            return p
    standing = [p for p in ended if p.kind == "standing"]
    found = standing or ended
    return found[0] if found else None


def followed(spell: SpellRow, spells: list[SpellRow], org: str, extra: list[Rulebook]) -> bool:
    """Whether another status takes over the day ``spell`` ends (then its end is that
    change, checked as the other spell's entry, not an exit)."""
    assert spell.end is not None
    end = _day(spell.end)
    return any(
        p is not spell and _day(p.start) == end
        and (p.kind == "standing" or predecessor(p, spells, org, extra) is spell)
        for p in spells
    )
