"""Actor resolution: ISO3, names, COW codes and organizations, with both codes out."""

from __future__ import annotations

import pytest

from scomodel.actors import Actor, ActorDirectory, state_from_cow
from scomodel.errors import NotFoundError

DIRECTORY = ActorDirectory([Actor("SCO", "Shanghai Cooperation Organisation", "organization")])


@pytest.mark.parametrize(
    ("text", "code", "cow"),
    [("KAZ", "KAZ", 705), ("kgz", "KGZ", 703), ("Kyrgyz Republic", "KGZ", 703),
     ("705", "KAZ", 705), ("365", "RUS", 365), ("Iran", "IRN", 630),
     ("United States", "USA", 2), ("Pakistan", "PAK", 770)],
)
def test_states(text: str, code: str, cow: int) -> None:
    actor = DIRECTORY.resolve(text)
    assert (actor.code, actor.cow, actor.kind) == (code, cow, "state")


def test_organizations_by_code_and_name() -> None:
    assert DIRECTORY.resolve("sco").kind == "organization"
    assert DIRECTORY.resolve("Shanghai Cooperation Organisation").code == "SCO"


def test_cow_only_states_get_cow_codes() -> None:
    assert state_from_cow(315) == Actor("COW315", "Czechoslovakia", "state", 315)
    assert DIRECTORY.resolve("COW265").name == "German Democratic Republic"


@pytest.mark.parametrize("text", ["Narnia", "XQZ", "9999", ""])
def test_unknown(text: str) -> None:
    with pytest.raises(NotFoundError) as err:
        DIRECTORY.resolve(text)
    assert err.value.field == "actor"
