"""Numbers are checked at the door (issue 10): finite, in range, not all zero.

Before: a scenario whose capabilities were all 0 gave a forecast and wrote ``NaN`` into
the JSON; a capability of 1e308 gave ``inf``; ``-o salience_scale=nan`` crashed with a
traceback. Each case must now exit 2 with one line naming the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from scomodel.bargaining.builtin import builtin_path
from scomodel.errors import InputError
from scomodel.inputs import check_number
from scomodel.registry.yamlio import read_yaml
from tests.clirun import invoke


def _scenario(tmp_path: Path, capabilities: list[Any], **position: Any) -> Path:
    source = builtin_path("astana-2005-bases")
    assert source is not None
    node = read_yaml(source)
    for actor, value in zip(node["actors"], capabilities, strict=False):
        actor["capability"] = {"value": value, "source": "zhao2004", "locator": "§7"}
    for key, value in position.items():
        node["actors"][0]["positions"]["bases"][key] = value
    out = tmp_path / "numbers.yaml"
    with out.open("w") as fh:
        YAML().dump(node, fh)
    return out


def _one_error_line(*args: str) -> str:
    result = invoke(*args)
    assert result.code == 2, result.stdout[-500:]
    assert len(result.error.strip().splitlines()) == 1, result.error
    return result.error


def test_all_zero_capabilities_are_refused(tmp_path: Path) -> None:
    path = _scenario(tmp_path, [0] * 20)
    error = _one_error_line("bargain", str(path), "--format", "json")
    assert "capability 0" in error and str(path) in error


@pytest.mark.parametrize("value", ["1e308", ".inf", ".nan", "-1"])
def test_capabilities_out_of_range_are_refused(tmp_path: Path, value: str) -> None:
    path = _scenario(tmp_path, [float(value.replace(".inf", "inf").replace(".nan", "nan"))])
    error = _one_error_line("bargain", str(path), "--format", "json")
    assert "[actors.0.capability" in error


@pytest.mark.parametrize(("key", "value"), [("position", float("nan")),
                                             ("salience", float("inf")),
                                             ("salience", 101)])
def test_positions_and_saliences_must_be_finite_and_in_range(
    tmp_path: Path, key: str, value: float
) -> None:
    path = _scenario(tmp_path, [], **{key: value})
    error = _one_error_line("bargain", str(path))
    assert f"[actors.0.positions.bases.{key}]" in error


@pytest.mark.parametrize(("rows", "field"), [
    ("a,0,1,50\nb,0,2,50\n", "capability"),
    ("a,1,1,50\nb,nan,2,50\n", "capability"),
    ("a,1,1,50\nb,1e308,2,50\n", "capability"),
    ("a,1,3,50\nb,2,3,50\n", "position"),
    ("a,1,1,50\nb,2,inf,50\n", "position"),
    ("a,1,1,50\nb,2,2,-5\n", "salience"),
])
def test_one_issue_csv_numbers(tmp_path: Path, rows: str, field: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text("actor,capability,position,salience\n" + rows)
    error = _one_error_line("bargain", str(path), "--format", "json")
    assert f"[{field}]" in error and str(path) in error


@pytest.mark.parametrize(("option", "field"), [
    ("salience_scale=nan", "salience_scale"),
    ("salience_scale=-1", "salience_scale"),
    ("q=inf", "q"),
    ("rounds=abc", "rounds"),
    ("rounds=2.5", "rounds"),
    ("rounds=true", "rounds"),
    ("capitulation=maybe", "capitulation"),
])
def test_eum_options(option: str, field: str) -> None:
    error = _one_error_line("bargain", "astana-2005-bases", "-o", option, "--format", "json")
    assert f"[{field}]" in error


@pytest.mark.parametrize(("option", "field"), [
    ("max_turns=nan", "options.max_turns"),
    ("min_delta_ratio=nan", "options.min_delta_ratio"),
    ("pos_tol=inf", "options.pos_tol"),
    ("noise=abc", "noise"),
    ("noise=-1", "noise"),
    ("stochastic=perhaps", "stochastic"),
])
def test_smp_options(option: str, field: str) -> None:
    error = _one_error_line("bargain", "sco-two-wheels-2003", "--model", "smp", "-o", option)
    assert f"[{field}]" in error


def test_a_good_option_still_runs() -> None:
    assert invoke("bargain", "astana-2005-bases", "-o", "q=0.5", "--format", "json").code == 0


@pytest.mark.parametrize(("value", "kwargs", "ok"), [
    (3, {"low": 0, "high": 10}, True),
    (0, {"low": 0, "low_open": True}, False),
    (float("nan"), {}, False),
    ("7", {"integer": True}, True),
    (True, {}, False),
    (11, {"high": 10}, False),
])
def test_check_number(value: Any, kwargs: dict[str, Any], ok: bool) -> None:
    if ok:
        assert check_number(value, field="x", **kwargs) == float(value)
    else:
        with pytest.raises(InputError) as info:
            check_number(value, field="x", **kwargs)
        assert info.value.field == "x"
