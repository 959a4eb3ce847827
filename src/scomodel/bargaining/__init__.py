"""Collective decisions: scenarios, veto players, Bueno de Mesquita's expected-utility
model (as formalised by Scholz, Calbert & Smith 2011) and Monte Carlo sensitivity.

See ``docs/bargaining.md``. The multi-dimensional SMP lives in :mod:`scomodel.bargaining.smp`.
"""

from scomodel.bargaining.eum import EUMResult, run_eum
from scomodel.bargaining.eum_options import READINGS, EUMOptions, reading
from scomodel.bargaining.montecarlo import MCInput, monte_carlo
from scomodel.bargaining.scenario import Scenario, load_scenario, read_actor_csv
from scomodel.bargaining.veto import analyse, compare_memberships, core, win_set

__all__ = [
    "EUMOptions",
    "EUMResult",
    "MCInput",
    "READINGS",
    "Scenario",
    "analyse",
    "compare_memberships",
    "core",
    "load_scenario",
    "monte_carlo",
    "read_actor_csv",
    "reading",
    "run_eum",
    "win_set",
]
