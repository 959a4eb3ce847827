"""The architecture pickles with its spells frame packed apart, opened on first use."""

from __future__ import annotations

import pickle

from scomodel.architecture.model import Architecture


def test_pickle_keeps_everything_and_opens_the_spells_when_read(small: Architecture) -> None:
    again = pickle.loads(pickle.dumps(small))
    assert "spells" not in vars(again)  # still packed: unpickling loaded no DataFrame
    twice = pickle.loads(pickle.dumps(again))  # a copy that was never read packs as it came
    for copy in (again, twice):
        assert copy.spells.equals(small.spells)
        assert "spells" in vars(copy) and "_spells_pickle" not in vars(copy)
        assert (copy.spell_start == small.spell_start).all() and copy.orgs == small.orgs
        assert copy.members.cube(small.days(["2005"])).tolist() == \
            small.members.cube(small.days(["2005"])).tolist()
    assert not hasattr(again, "no_such_attribute")
