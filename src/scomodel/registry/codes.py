"""Status codes for panels and COW-layout exports: COW's own, and extended ones beyond them.

COW IGO v3 codes a state-year 0 (no membership), 1 (full member), 2 (associate member),
3 (observer), -9 (missing) and -1 (state not in the system that year). The registry knows
statuses COW lacks; exporting them as 0 would lose them (a dialogue partner is not a
non-member), so each gets an extended code of its own, documented here and in
docs/registry.md. ``--strict-cow`` folds them back to COW's codes and says what it folded.

A state holds at most one *standing* status at a time and any number of procedure
tracks; a single status cell carries the standing status when there is one, else the
most advanced procedure (acceding before applicant), so India in 2016 is 3 (observer), with
its accession in the separate procedure column.
"""

from __future__ import annotations

__all__ = [
    "COW_CODES", "EXTENDED_CODES", "STATUS_CODE", "NOT_IN_SYSTEM", "MISSING", "NO_STATUS",
    "cell_code", "strict_cow", "CODE_LABELS",
]

NO_STATUS = 0
MISSING = -9
NOT_IN_SYSTEM = -1

#: COW's own codes for the statuses it knows.
COW_CODES: dict[str, int] = {"member": 1, "associate": 2, "observer": 3}

#: Extended codes for statuses COW lacks (never reused for anything else).
EXTENDED_CODES: dict[str, int] = {
    "dialogue_partner": 4,
    "partner": 5,
    "guest": 6,
    "applicant": 7,
    "acceding": 8,
    "candidate": 9,
    "suspended": 10,
    "frozen": 11,
}

STATUS_CODE: dict[str, int] = {**COW_CODES, **EXTENDED_CODES}

#: What each code means, for value labels (Stata) and codebooks.
CODE_LABELS: dict[int, str] = {
    NOT_IN_SYSTEM: "state not in the state system",
    MISSING: "missing",
    NO_STATUS: "no status",
    **{code: status for status, code in STATUS_CODE.items()},
}

#: Which procedure wins a cell when no standing status is held: the further along.
_PROCEDURE_ORDER = ("suspended", "frozen", "acceding", "candidate", "applicant", "guest")

#: What ``--strict-cow`` writes for an extended code: COW's nearest honest code. A
#: suspended member is still a member to COW; every other status folds to 0.
_STRICT: dict[int, int] = {4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 1, 11: 1}


def cell_code(statuses: set[str] | frozenset[str]) -> int:
    """The code of one state-year (or state-day) cell from the statuses held in it.

    >>> cell_code({"observer", "acceding"})
    3
    >>> cell_code({"applicant"})
    7
    >>> cell_code(set())
    0
    """
    for standing in ("member", "associate", "observer", "dialogue_partner", "partner"):
        if standing in statuses:
            return STATUS_CODE[standing]
    for procedure in _PROCEDURE_ORDER:
        if procedure in statuses:
            return STATUS_CODE[procedure]
    return NO_STATUS


def strict_cow(code: int) -> int:
    """COW's own code for ``code`` (extended codes folded as documented in ``_STRICT``).

    >>> strict_cow(4), strict_cow(1), strict_cow(-9)
    (0, 1, -9)
    """
    return _STRICT.get(code, code)
