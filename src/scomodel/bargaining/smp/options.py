"""The SMP's modelling choices, named as in KTAB so a run can be compared with ``smpc``.

Every default is KTAB's default (``SMPModel`` in ``smp.h``); a KTAB CSV run always uses
them, so a scomodel run with ``SMPOptions()`` is the run KTAB's reference files show.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import Enum, StrEnum

from scomodel.errors import InputError

__all__ = [
    "VotingRule",
    "VictoryProbModel",
    "PCEModel",
    "BigRRange",
    "BigRAdjust",
    "ThirdPartyCommit",
    "InterVecBrgn",
    "BargainModel",
    "StateTransitions",
    "SMPOptions",
]


class VotingRule(StrEnum):
    """How a utility difference becomes a vote."""

    BINARY = "Binary"
    PROP_BIN = "PropBin"
    PROP = "Prop"
    PROP_CBC = "PropCbc"
    CUBIC = "Cubic"
    ASYM_PROSP = "ASymProsp"


class VictoryProbModel(StrEnum):
    """How two coalition strengths become the probability that one side wins."""

    LINEAR = "Linear"
    SQUARE = "Square"
    QUARTIC = "Quartic"
    OCTIC = "Octic"
    BINARY = "Binary"


class PCEModel(StrEnum):
    """How pairwise victory probabilities become one probability per option."""

    CONDITIONAL = "Conditional"
    MARKOV_INCENTIVE = "MarkovIncentive"
    MARKOV_UNIFORM = "MarkovUniform"


class BigRRange(StrEnum):
    """The range the win probabilities are rescaled into to give risk attitudes."""

    MIN = "Min"
    MID = "Mid"
    MAX = "Max"


class BigRAdjust(StrEnum):
    """How much an actor anchors on its own risk attitude when estimating another's."""

    FULL = "Full"
    TWO_THIRDS = "TwoThirds"
    HALF = "Half"
    ONE_THIRD = "OneThird"
    NONE = "None"


class ThirdPartyCommit(StrEnum):
    """How far a third party that joins a side shares that side's fate."""

    FULL = "FullCommit"
    SEMI = "SemiCommit"
    NO = "NoCommit"


class InterVecBrgn(StrEnum):
    """How a bargain's positions are interpolated between the two sides."""

    S1P1 = "S1P1"
    S2P2 = "S2P2"
    S2PMAX = "S2PMax"


class BargainModel(StrEnum):
    """Whose view of the challenge the bargain is built from."""

    INIT_ONLY = "InitOnlyInterp"
    INIT_RCVR = "InitRcvrInterp"
    PW_COMP = "PWCompInterp"


class StateTransitions(StrEnum):
    """Whether each actor adopts the most probable bargain or draws one."""

    DETERMINISTIC = "Deterministic"
    STOCHASTIC = "Stochastic"


@dataclass(frozen=True)
class SMPOptions:
    """KTAB's model parameters plus its stopping rule; defaults reproduce ``smpc --csv``."""

    voting_rule: VotingRule = VotingRule.PROP
    victory_prob: VictoryProbModel = VictoryProbModel.LINEAR
    pce: PCEModel = PCEModel.CONDITIONAL
    transitions: StateTransitions = StateTransitions.DETERMINISTIC
    big_r_range: BigRRange = BigRRange.MID
    big_r_adjust: BigRAdjust = BigRAdjust.ONE_THIRD
    third_party: ThirdPartyCommit = ThirdPartyCommit.SEMI
    interpolation: InterVecBrgn = InterVecBrgn.S2P2
    bargain_model: BargainModel = BargainModel.INIT_ONLY
    min_turns: int = 2
    max_turns: int = 100
    min_delta_ratio: float = 0.02
    min_sig_delta: float = 1e-4
    #: two positions closer than this (on the 0-1 scale) count as one option
    pos_tol: float = 1e-3

    def __post_init__(self) -> None:
        """Numbers at the door: finite and in range, so no run starts on a NaN tolerance."""
        from scomodel.inputs import check_number
        from scomodel.limits import TURNS

        check_number(self.min_turns, field="options.min_turns", low=0, high=TURNS,
                     integer=True)
        check_number(self.max_turns, field="options.max_turns", low=1, high=TURNS,
                     integer=True)
        if self.max_turns < self.min_turns:
            raise InputError(
                f"max_turns ({self.max_turns}) must be at least min_turns ({self.min_turns})",
                field="options.max_turns",
            )
        check_number(self.min_delta_ratio, field="options.min_delta_ratio", low=0.0)
        check_number(self.min_sig_delta, field="options.min_sig_delta", low=0.0)
        check_number(self.pos_tol, field="options.pos_tol", low=0.0, high=1.0)

    @classmethod
    def from_mapping(cls, data: dict[str, object], *, file: str | None = None) -> SMPOptions:
        """Build options from a YAML ``options:`` block, naming the bad key if any."""
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, object] = {}
        for key, value in data.items():
            if key not in known:
                raise InputError(
                    f"unknown SMP option {key!r}; expected one of {sorted(known)}",
                    file=file,
                    field=f"options.{key}",
                )
            ftype = _FIELD_TYPES.get(key)
            try:
                if ftype is not None:
                    kwargs[key] = ftype(str(value))
                elif key in ("min_turns", "max_turns"):
                    kwargs[key] = int(str(value))
                else:
                    kwargs[key] = float(str(value))
            except ValueError:
                choices = [m.value for m in ftype] if ftype is not None else "a number"
                raise InputError(
                    f"bad value {value!r} for {key}; expected {choices}",
                    file=file,
                    field=f"options.{key}",
                ) from None
        return cls(**kwargs)  # type: ignore[arg-type]

    def to_mapping(self) -> dict[str, object]:
        """The options that differ from KTAB's defaults, as plain YAML-ready data."""
        default = SMPOptions()
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value != getattr(default, f.name):
                out[f.name] = value.value if isinstance(value, Enum) else value
        return out


_FIELD_TYPES: dict[str, type[Enum]] = {
    "voting_rule": VotingRule,
    "victory_prob": VictoryProbModel,
    "pce": PCEModel,
    "transitions": StateTransitions,
    "big_r_range": BigRRange,
    "big_r_adjust": BigRAdjust,
    "third_party": ThirdPartyCommit,
    "interpolation": InterVecBrgn,
    "bargain_model": BargainModel,
}
