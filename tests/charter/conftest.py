"""Charter fixtures: a small hand-checked SCO record in its own store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scomodel.charter.context import Context
from scomodel.registry import Registry

HERE = Path(__file__).parent
DATA = HERE / "fixtures" / "data"
BAD = HERE / "fixtures" / "bad"
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "scomodel" / "data" / "rulebooks"


@pytest.fixture(scope="session")
def charter_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('charter') / 'store.sqlite'}"


@pytest.fixture(scope="session")
def reg(charter_url: str) -> Registry:
    return Registry.open(charter_url, data_dir=DATA)


@pytest.fixture(scope="session")
def ctx(reg: Registry) -> Context:
    return Context(reg)


@pytest.fixture
def whatif(charter_url: str, request: pytest.FixtureRequest) -> Iterator[Context]:
    """A fresh what-if copy of the fixture registry, dropped after the test."""
    name = f"t-{request.node.name}"[:60]
    copy = Registry.open(charter_url, whatif=name, data_dir=DATA)
    copy.drop_whatif()
    yield Context(copy)
    copy.drop_whatif()
