"""The SMP's challenge pass in blocks of challengers and of targets gives the same numbers.

At KTAB's limit of 250 actors one challenger's third-party arrays are n x n; above about
180 actors ``best_challenges`` splits the targets into blocks to keep them in cache. Each
(challenger, target) entry is computed on its own, so any split must give the same run.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from scomodel.bargaining.smp import kernels as K
from scomodel.bargaining.smp.model import run_smp
from scomodel.bargaining.smp.options import SMPOptions
from scomodel.bargaining.smp.scenario import SMPScenario


def _scenario(n: int) -> SMPScenario:
    rng = np.random.default_rng(n)
    return SMPScenario(name=f"random-{n}", description="", dimensions=("XYZ",),
                       actors=tuple(f"A{i}" for i in range(n)),
                       capability=np.round(rng.uniform(1, 2, n), 2),
                       position=np.round(rng.uniform(0, 100, (n, 1)), 2),
                       salience=np.round(rng.uniform(10, 90, (n, 1)), 2))


def test_blocked_targets_give_the_unblocked_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCOMODEL_SMP_JIT", "0")  # the blocks belong to the NumPy path
    sc = _scenario(200)
    opts = replace(SMPOptions(), max_turns=2, min_turns=1)
    blocked = run_smp(sc, opts)  # one challenger per chunk, targets in blocks of 81
    monkeypatch.setattr(K, "CHUNK_ELEMENTS", 2**17)  # three challengers, all targets
    whole = run_smp(sc, opts)
    assert blocked.n_turns == whole.n_turns == 2
    assert np.array_equal(blocked.positions, whole.positions)
    assert np.array_equal(blocked.probabilities, whole.probabilities)
    assert blocked.challenges == whole.challenges
