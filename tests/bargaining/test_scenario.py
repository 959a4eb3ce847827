"""Scenario files: the CSV and YAML formats, their errors (file, line, field), built-ins."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scomodel.bargaining.builtin import builtin_names
from scomodel.bargaining.profiles import load_profiles
from scomodel.bargaining.scenario import load_scenario, read_actor_csv
from scomodel.errors import InputError, NotFoundError

BUILTINS = [
    "astana-2005-bases",
    "csto-exercises-2007",
    "economic-cooperation-2003",
    "india-pakistan-2017",
    "us-dialogue-2009",
]

GOOD = textwrap.dedent("""\
    name: test
    title: Test
    date: 2005-07-05
    org: SCO
    question: q
    issues:
      - id: x
        label: X
        scale: {min: 0, max: 100, low: none, high: all}
        status_quo: {value: 0, source: zhao2004, locator: "§1"}
    actors:
      - actor: CHN
        role: member
        capability: {value: 100, source: zhao2004, locator: "§2"}
        positions:
          x: {position: 80, salience: 70, source: zhao2004, locator: "§7"}
      - actor: KAZ
        role: member
        capability: {profile: KAZ}
        positions:
          x: {position: 20, salience: 40, source: zhao2004, locator: "§7",
              judgement: true, passage: "§7 p"}
    """)


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_bdm_csv_loads():
    sc = read_actor_csv("/work/shared/data/bdm1994-emissions.csv")
    d = sc.data()
    assert d.actors[0] == "Netherlands" and len(d.actors) == 10
    assert d.capability.sum() == pytest.approx(1.01)
    assert d.salience.tolist()[-2] == 100


@pytest.mark.parametrize(
    ("text", "line", "field", "match"),
    [
        ("actor,capability,position\nA,1,2\n", 1, "salience", "missing column"),
        ("actor,capability,position,salience\nA,1,2,50\nB,x,3,50\n", 3, "capability", "number"),
        ("actor,capability,position,salience\nA,1,2,50\nB,1,3,150\n", 3, "salience", "0-100"),
        ("actor,capability,position,salience\nA,1,2,50\n", None, None, "two actors"),
    ],
)
def test_bad_csv_names_line_and_field(tmp_path, text, line, field, match):
    p = _write(tmp_path, text, "bad.csv")
    with pytest.raises(InputError, match=match) as err:
        load_scenario(p)
    assert err.value.file == str(p)
    assert err.value.line == line
    assert err.value.field == field


def test_good_yaml_and_profile_shorthand(tmp_path):
    sc = load_scenario(_write(tmp_path, GOOD))
    d = sc.data()
    assert d.actors == ("CHN", "KAZ")
    assert d.capability.tolist() == [100, load_profiles()["KAZ"].capability.value]
    kaz = sc.actors[1].capability
    assert kaz.profile == "KAZ" and kaz.judgement


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "match"),
    [
        ("question: q\n", "", 1, "question", "required"),
        (
            'judgement: true, passage: "§7 p"',
            "judgement: true",
            21,
            "actors.1.positions.x",
            "passage",
        ),
        ("position: 80,", "position: 180,", 16, "actors.0.positions.x.position", "outside"),
        (
            "    positions:\n      x: {position: 80",
            "    positions:\n      y: {position: 80",
            16,
            "actors.0.positions.y",
            "unknown issue",
        ),
        ("- actor: CHN", "- actor: XXX", 12, "actors.0.actor", "unknown actor"),
        (
            'locator: "§2"}',
            'locator: "§2", colour: red}',
            14,
            "actors.0.capability.colour",
            "unknown field",
        ),
        (
            "capability: {profile: KAZ}",
            "capability: {profile: XYZ}",
            19,
            "actors.1.capability.profile",
            "no actor profile",
        ),
        (
            'source: zhao2004, locator: "§2"',
            'source: zhao2005, locator: "§2"',
            14,
            "actors.0.capability.source",
            "unknown source",
        ),
        ("salience: 70", "salience: 170", 16, "actors.0.positions.x.salience", "less than"),
    ],
)
def test_bad_yaml_names_file_line_and_field(tmp_path, old, new, line, field, match):
    assert old in GOOD
    p = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(InputError, match=match) as err:
        load_scenario(p)
    assert err.value.file == str(p)
    assert err.value.line == line
    assert err.value.field == field


def test_yaml_syntax_error_has_line(tmp_path):
    p = _write(tmp_path, GOOD.replace("org: SCO", "org: [SCO"))
    with pytest.raises(InputError, match="invalid YAML") as err:
        load_scenario(p)
    assert err.value.line is not None


def test_unknown_scenario_name():
    with pytest.raises(NotFoundError, match="astana-2005-bases"):
        load_scenario("no-such-scenario")


def test_builtins_are_the_five():
    assert builtin_names() == BUILTINS


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_every_coding_sourced(name):
    sc = load_scenario(name)
    rows = sc.citations()
    assert rows and all(r["source"] and r["locator"] for r in rows)
    assert all(r["passage"] for r in rows if r["judgement"])
    assert all(i.outcome is not None and i.outcome.source for i in sc.issues)
    # every capability is the state's CINC (COW NMC v7) of the year before the decision
    for a in sc.actors:
        assert a.capability.source == "cow-nmc-v7" and a.actor in a.capability.locator


def test_csv_line_numbers_skip_blank_lines(tmp_path):
    p = _write(tmp_path, "actor,capability,position,salience\nA,1,2,50\n\n\nB,1,x,50\n", "b.csv")
    with pytest.raises(InputError) as err:
        load_scenario(p)
    assert err.value.line == 5 and err.value.field == "position"
