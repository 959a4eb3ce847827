"""KTAB CSV and scenario YAML: round trips, and errors that name the line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scomodel.bargaining.smp import SMPOptions, SMPScenario, parse_ktab_csv, read_ktab_csv
from scomodel.bargaining.smp.ktabcsv import format_ktab_csv
from scomodel.bargaining.smp.loader import builtin_names, load_scenario
from scomodel.bargaining.smp.options import VotingRule
from scomodel.bargaining.smp.yamlio import load_smp_yaml, write_smp_yaml
from scomodel.errors import InputError, NotFoundError

from .conftest import FIXTURES

GOOD = """Toy,"three actors",3,2,
Actor,Description,Power,Sec,SecSal,Eco,EcoSal,
A, first, 10, 10, 50, 20, 40,
B, second, 20, 50, 30, 60, 30,
C, third, 30, 90, 60, 80, 20,
"""


def test_reads_ktab_file_as_ktab_does():
    sc = read_ktab_csv(FIXTURES / "SOE-Pol-Comp.csv")
    assert sc.n_actors == 13 and sc.dimensions == ("Policy Position", "Competitive Position")
    assert sc.actors[4] == "LH" and sc.actor_descriptions[4] == "Liu He - Deputy Director of DRC"
    assert sc.capability[1] == pytest.approx(60.2)
    np.testing.assert_allclose(sc.unit_positions()[1], [0.45, 0.65])
    np.testing.assert_allclose(sc.unit_saliences()[1], [0.447, 0.413])


def test_csv_round_trip():
    sc = read_ktab_csv(FIXTURES / "dummyData_3Dim.csv")
    back = parse_ktab_csv(format_ktab_csv(sc))
    assert back.actors == sc.actors and back.dimensions == sc.dimensions
    np.testing.assert_array_equal(back.position, sc.position)
    np.testing.assert_array_equal(back.salience, sc.salience)
    np.testing.assert_array_equal(back.capability, sc.capability)


@pytest.mark.parametrize(
    ("bad", "line", "words"),
    [
        (GOOD.replace("3,2,", "x,2,", 1), 1, "numActors"),
        (GOOD.replace("3,2,", "2,2,", 1), 1, "3 to 250"),
        (GOOD.replace("B, second, 20,", "B, second, lots,"), 4, "capability must be a number"),
        (GOOD.replace("B, second, 20,", "B, second, -1,"), 4, "capability must be above 0"),
        (GOOD.replace("90, 60, 80, 20", "190, 60, 80, 20"), 5, "in [0, 100]"),
        (GOOD.replace("90, 60, 80, 20", "90, 60, 80, 50"), 5, "sum to 110"),
        (GOOD.replace("C, third, 30, 90, 60, 80, 20,", "C, third, 30, 90, 60,"), 5, "fields"),
        (GOOD.replace("C, third", "A, third"), 5, "appears twice"),
        ("\n".join(GOOD.splitlines()[:4]), 5, "expected 3 actor lines"),
    ],
)
def test_csv_errors_name_the_line(bad: str, line: int, words: str):
    with pytest.raises(InputError) as err:
        parse_ktab_csv(bad, file="toy.csv")
    assert err.value.line == line
    assert err.value.file == "toy.csv"
    assert words in str(err.value)
    assert str(err.value).startswith(f"toy.csv:{line}")


def test_yaml_round_trip_keeps_values_sources_and_options(tmp_path: Path):
    sc, _ = load_scenario("sco-two-wheels-2003")
    opts = SMPOptions(voting_rule=VotingRule.BINARY)
    path = tmp_path / "s.yaml"
    write_smp_yaml(sc, path, opts)
    back, back_opts = load_smp_yaml(path)
    assert back.actors == sc.actors and back.dimensions == sc.dimensions
    np.testing.assert_array_equal(back.position, sc.position)
    np.testing.assert_array_equal(back.salience, sc.salience)
    assert back.sources == sc.sources
    assert back.dimension_info == sc.dimension_info
    assert sc.dimension_info["economy"]["label"] == "weight of economic cooperation"
    assert back_opts == opts


YAML = """scenario: toy
scale: [0, 10]
dimensions:
  - id: sec
  - id: eco
actors:
  - actor: A
    capability: 1
    position: {sec: 1, eco: 2}
    salience: {sec: 50, eco: 40}
  - actor: B
    capability: 2
    position: {sec: 5, eco: 6}
    salience: {sec: 30, eco: 30}
  - actor: C
    capability: 3
    position: {sec: 9, eco: 8}
    salience: {sec: 60, eco: 20}
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "field"),
    [
        ("position: {sec: 5, eco: 6}", "position: {sec: 5, eco: 16}", 13, "actors.1.position.eco"),
        ("position: {sec: 5, eco: 6}", "position: {sec: 5}", 13, "actors.1.position"),
        ("salience: {sec: 60, eco: 20}", "salience: {sec: 60, eco: 50}", 18, "actors.2.salience"),
        ("capability: 2", "capability: -2", 12, "actors.1.capability"),
        ("capability: 2", "capabilty: 2", 12, "actors.1.capabilty"),
        # no capability and no decision_date for the CINC default: the actor's line
        ("    capability: 2\n", "", 11, "actors.1.capability"),
        ("  - actor: C", "  - actor: A", 15, "actors.2.actor"),
    ],
)
def test_yaml_errors_name_line_and_field(tmp_path: Path, old: str, new: str, line: int,
                                         field: str):
    path = tmp_path / "bad.yaml"
    path.write_text(YAML.replace(old, new, 1))
    with pytest.raises(InputError) as err:
        load_smp_yaml(path)
    assert err.value.line == line, str(err.value)
    assert err.value.field == field


def test_yaml_scale_maps_to_unit(tmp_path: Path):
    path = tmp_path / "ok.yaml"
    path.write_text(YAML + "options: {voting_rule: Cubic}\n")
    sc, opts = load_smp_yaml(path)
    np.testing.assert_allclose(sc.unit_positions()[0], [0.1, 0.2])
    assert opts.voting_rule is VotingRule.CUBIC
    path.write_text(YAML + "options: {voting_rule: Sometimes}\n")
    with pytest.raises(InputError, match="voting_rule"):
        load_smp_yaml(path)


def test_unknown_scenario_lists_the_builtins():
    with pytest.raises(NotFoundError) as err:
        load_scenario("no-such-scenario")
    for name in builtin_names():
        assert name in str(err.value)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200))
def test_csv_parser_never_crashes_on_junk(text: str):
    try:
        sc = parse_ktab_csv(text, file="junk.csv")
    except InputError as err:
        assert err.line is not None
    else:
        assert isinstance(sc, SMPScenario)
