"""Spatial Model of Politics (KTAB's SMP): bargaining over several issues at once.

Reads KTAB's scenario CSV and scomodel's multi-dimensional scenario YAML, runs the model
with KTAB's defaults (which reproduce KTAB's reference runs turn by turn), and runs
Monte Carlo over it. See ``docs/smp.md``.
"""

from scomodel.bargaining.smp.ktabcsv import parse_ktab_csv, read_ktab_csv, write_ktab_csv
from scomodel.bargaining.smp.model import SMPResult, run_smp
from scomodel.bargaining.smp.options import SMPOptions
from scomodel.bargaining.smp.scenario import ActorSource, SMPScenario

__all__ = [
    "ActorSource",
    "SMPOptions",
    "SMPResult",
    "SMPScenario",
    "parse_ktab_csv",
    "read_ktab_csv",
    "run_smp",
    "write_ktab_csv",
]
