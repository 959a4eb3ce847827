"""KTAB's reference runs, parsed once for the SMP tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Reference:
    """What KTAB printed: positions (states, actors, dims) to 0.1 and probabilities to 1e-4."""

    actors: list[str]
    positions: np.ndarray
    probabilities: np.ndarray
    n_states: int


def parse_reference(path: Path) -> Reference:
    pos: dict[str, list[list[float]]] = {}
    prob: dict[str, list[float]] = {}
    n_states = 0
    for line in path.read_text().splitlines():
        m = re.match(r"There were (\d+) states", line)
        if m:
            n_states = int(m.group(1))
            continue
        m = re.match(r"(\S+), (.+?)\s*:\s+(.*)$", line.strip())
        if not m:
            continue
        actor, what, values = m.groups()
        nums = [float(v) for v in values.split()]
        if what == "prob":
            prob[actor] = nums
        else:
            pos.setdefault(actor, []).append(nums)
    actors = list(pos)
    positions = np.array([pos[a] for a in actors]).transpose(2, 0, 1)
    probabilities = np.array([prob[a] for a in actors]).T
    return Reference(actors, positions, probabilities, n_states)


@pytest.fixture(scope="session")
def ref_3dim() -> Reference:
    return parse_reference(FIXTURES / "20170530_ref-dummyData_3Dim.history.txt")


@pytest.fixture(scope="session")
def ref_soe() -> Reference:
    return parse_reference(FIXTURES / "20170530_ref-SOE-Pol-Comp.history.txt")
