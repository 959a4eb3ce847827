"""Named readings of the ambiguities in Scholz, Calbert & Smith's (2011) account of BDM.

The paper's equations as printed do not reproduce its own Table 2; the conventions of the
authors' code (as documented by public replications) nearly do. Every place where the two
differ (A1-A9 in ``docs/bargaining.md``) is one field here, so a run says which reading it
used and two readings can be compared on the same data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

from scomodel import limits as _limits
from scomodel.errors import InputError

__all__ = ["EUMOptions", "READINGS", "reading", "MAX_ROUNDS"]

#: More rounds than any published run uses by far; a typo beyond it would only burn time
#: (the one cap of :mod:`scomodel.limits`, the same in the CLI, the API and files).
MAX_ROUNDS = _limits.ROUNDS

ResistSalience = Literal["target", "challenger"]
OpponentRisk = Literal["viewer", "own"]
Probability = Literal["all_pairs", "pair"]
VoteRisk = Literal["voter", "linear"]
OfferSelection = Literal["scholz_code", "least_move"]
TRule = Literal["four_case", "always"]
RangeRule = Literal["initial", "current"]
CompromiseMinus = Literal["figure", "text"]
MedianTie = Literal["lowest", "highest"]


@dataclass(frozen=True)
class EUMOptions:
    """One complete reading of the model (defaults: ``scholz_code``).

    Attributes:
        resist_salience: A1. Whose salience is the chance of resistance in eq. 25b:
            ``target`` (the challenged actor's, by symmetry with eq. 6; the figures agree)
            or ``challenger`` (``s_j`` as printed).
        opponent_risk: A2. The risk exponent used for the opponent's expected utility
            ``E(U_ji)``: ``viewer`` (the deciding actor's own r, the code) or ``own``
            (``r_j``, as the superscript in eq. 25b suggests).
        probability: A3. Denominator of eq. 31: ``all_pairs`` (every voter's |vote| over
            every ordered pair of actors, the code) or ``pair`` (the pair's own vote mass,
            as printed, so that P_i + P_j = 1).
        vote_risk: A3. Votes for P use each voter's risk exponent (``voter``, the code) or
            are linear in distance (``linear``, eq. 28).
        offer_selection: A4. ``scholz_code``: a lost confrontation first (least move), then
            the compromise with the smallest EU-weighted average position, then
            capitulation; ``least_move``: the same ranking but least move inside each rank.
        capitulation: A4. Whether Fig. 6's Compel- octant (a<0<b, |a|>|b|) moves the
            actor; unreachable in the code (``False``).
        t_rule: A5. T (only matters when Q<1): ``four_case`` (T=1 iff |x_i-mu|<|x_i-x_j|)
            or ``always`` (T=1 for every pair, which reproduces Fig. 11).
        range_rule: A6. R in the distances: ``initial`` range (the code) or ``current``.
        compromise_minus: A7. Condition of Compromise-: ``figure`` (a<0<b as in Fig. 6) or
            ``text`` (a<0, b<0 as printed on p. 25; then b<0 and the move is by |a/b|).
        median_tie: A8. Which of two equally supported positions is the median.
        salience_scale: A9. Saliences are divided by this (100 for Table 1's 0-100).
            ``0`` means: divide by 100 if any salience exceeds 1.
        q: probability that a challenged actor stays put (Scholz use 1.0, §7).
        rounds: number of rounds (the paper runs 8; there is no convergence test).
        stop_when_stable: stop early once no actor moves (not in the paper).
    """

    resist_salience: ResistSalience = "target"
    opponent_risk: OpponentRisk = "viewer"
    probability: Probability = "all_pairs"
    vote_risk: VoteRisk = "voter"
    offer_selection: OfferSelection = "scholz_code"
    capitulation: bool = False
    t_rule: TRule = "four_case"
    range_rule: RangeRule = "initial"
    compromise_minus: CompromiseMinus = "figure"
    median_tie: MedianTie = "lowest"
    salience_scale: float = 0.0
    q: float = 1.0
    rounds: int = 8
    stop_when_stable: bool = False

    def __post_init__(self) -> None:
        allowed: dict[str, tuple[object, ...]] = {
            "resist_salience": ("target", "challenger"),
            "opponent_risk": ("viewer", "own"),
            "probability": ("all_pairs", "pair"),
            "vote_risk": ("voter", "linear"),
            "offer_selection": ("scholz_code", "least_move"),
            "t_rule": ("four_case", "always"),
            "range_rule": ("initial", "current"),
            "compromise_minus": ("figure", "text"),
            "median_tie": ("lowest", "highest"),
        }
        for name, values in allowed.items():
            if getattr(self, name) not in values:
                raise InputError(
                    f"{getattr(self, name)!r} is not a reading of {name}: expected one of "
                    + ", ".join(map(str, values)),
                    field=name,
                )
        from scomodel.inputs import check_number

        for name in ("capitulation", "stop_when_stable"):
            if not isinstance(getattr(self, name), bool):
                raise InputError(
                    f"{name} must be true or false, got {getattr(self, name)!r}", field=name
                )
        # numbers at the door: salience_scale=nan would divide every salience into NaN
        check_number(self.salience_scale, field="salience_scale", low=0.0)
        check_number(self.q, field="q", low=0.0, high=1.0)
        check_number(self.rounds, field="rounds", low=0, high=MAX_ROUNDS, integer=True)
        if not isinstance(self.rounds, int):
            object.__setattr__(self, "rounds", int(self.rounds))

    def with_(self, **changes: Any) -> EUMOptions:
        """A copy with some readings changed (unknown names are an InputError)."""
        known = {f.name for f in fields(self)}
        for name in changes:
            if name not in known:
                raise InputError(
                    f"unknown option {name!r}: expected one of {', '.join(sorted(known))}",
                    field=name,
                )
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: The two complete readings. ``scholz_code`` follows the conventions of the authors' own
#: code as documented by public replications; ``printed`` follows the paper's equations
#: literally where they are explicit, and the text's rules where the equations are silent.
READINGS: dict[str, EUMOptions] = {
    "scholz_code": EUMOptions(),
    "printed": EUMOptions(
        resist_salience="challenger",
        opponent_risk="own",
        probability="pair",
        vote_risk="linear",
        offer_selection="least_move",
        capitulation=True,
        t_rule="four_case",
        range_rule="initial",
        compromise_minus="figure",
    ),
}


def reading(name: str, **changes: Any) -> EUMOptions:
    """The named reading (``scholz_code`` or ``printed``), with optional changes."""
    try:
        base = READINGS[name]
    except KeyError:
        raise InputError(
            f"unknown reading {name!r}: expected one of {', '.join(READINGS)}", field="reading"
        ) from None
    return base.with_(**changes) if changes else base
