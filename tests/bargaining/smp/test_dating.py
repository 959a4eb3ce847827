"""Dated SMP scenarios: decision date, dated citations, CINC default, the --ex-ante refusal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scomodel.bargaining.capabilities import cinc
from scomodel.bargaining.smp.dating import audit_smp, hindsight_smp, require_smp_ex_ante
from scomodel.bargaining.smp.loader import builtin_names, load_scenario
from scomodel.bargaining.smp.yamlio import format_smp_yaml, load_smp_yaml
from scomodel.cli import app
from scomodel.errors import InputError

runner = CliRunner()

DATED = """scenario: dated
decision_date: 2010-06-11
dimensions: [{id: sec}, {id: eco}]
actors:
  - actor: CHN
    position: {sec: 20, eco: 80}
    salience: {sec: 50, eco: 40}
    sources:
      - {key: later-2011, locator: "p. 1"}
  - actor: RUS
    capability: {value: 30, source: zhao2004, locator: "section 3(1)", judgement: true}
    position: {sec: 80, eco: 40}
    salience: {sec: 60, eco: 20}
    sources:
      - {key: zhao2004, locator: "section 1-1"}
  - actor: KAZ
    capability: 5
    position: {sec: 60, eco: 70}
    salience: {sec: 40, eco: 40}
    sources:
      - {key: later-2011, locator: "p. 2", dated: 2009-03}
sources:
  - {key: later-2011, title: a report after the decision, published: 2011-02}
"""


def _write(tmp_path: Path, text: str = DATED) -> Path:
    path = tmp_path / "dated.yaml"
    path.write_text(text)
    return path


def test_each_input_is_dated_by_its_citation_then_its_source(tmp_path):
    sc, _ = load_smp_yaml(_write(tmp_path))
    rows = {d.field: d for d in audit_smp(sc)}
    assert rows["actors.0.sources.0"].status == "hindsight"  # declared source of 2011-02
    assert rows["actors.0.sources.0"].dated == "2011-02"
    assert rows["actors.2.sources.0"].status == "ex-ante"  # its own dated: 2009-03 wins
    assert rows["actors.1.sources.0"].dated == "2004"  # the registry's zhao2004
    assert rows["actors.1.capability"].status == "ex-ante"
    assert rows["actors.2.capability"].status == "undated"  # a bare number cites nothing
    # no capability: CINC for the year before the decision, cited and dated by that year
    assert rows["actors.0.capability"].source == "cow-nmc-v7"
    assert rows["actors.0.capability"].dated == "2009"
    assert sc.capability[0] == pytest.approx(cinc("CHN", 2009) * 100)
    assert [d.field for d in hindsight_smp(sc)] == ["actors.0.sources.0", "actors.2.capability"]


def test_the_run_reports_and_ex_ante_refuses_naming_the_first(tmp_path):
    path = _write(tmp_path)
    plain = runner.invoke(app, ["bargain", str(path), "--model", "smp", "--format", "json"])
    assert plain.exit_code == 0, plain.output
    out = json.loads(plain.stdout)
    assert out["decision_date"] == "2010-06-11" and out["hindsight_inputs"] == 2
    assert out["hindsight"][0]["source"] == "later-2011"
    res = subprocess.run(
        [sys.executable, "-c", "from scomodel.cli import main; main()", "bargain", str(path),
         "--model", "smp", "--ex-ante"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 2, res.stderr
    assert "[actors.0.sources.0]" in res.stderr and "later-2011" in res.stderr
    assert "(and 1 more)" in res.stderr and res.stderr.count("\n") == 1


def test_an_undated_scenario_is_reported_as_such_and_refused_under_ex_ante(tmp_path):
    text = DATED.replace("decision_date: 2010-06-11\n", "").replace(
        "  - actor: CHN\n", "  - actor: CHN\n    capability: 50\n")
    sc, _ = load_smp_yaml(_write(tmp_path, text))
    assert sc.decision_date is None and audit_smp(sc) == []
    with pytest.raises(InputError) as err:
        require_smp_ex_ante(sc)
    assert err.value.field == "decision_date"
    out = runner.invoke(app, ["bargain", str(tmp_path / "dated.yaml"), "--model", "smp",
                              "--format", "json"])
    assert json.loads(out.stdout)["hindsight_inputs"] is None


def test_a_bad_dated_value_names_its_field(tmp_path):
    path = _write(tmp_path, DATED.replace("dated: 2009-03", "dated: March 2009"))
    with pytest.raises(InputError) as err:
        load_smp_yaml(path)
    assert err.value.field == "actors.2.sources.0.dated"


@pytest.mark.parametrize("name", builtin_names())
def test_builtins_are_dated_ex_ante_with_cinc_and_round_trip(name, tmp_path):
    sc, opts = load_scenario(name)
    assert sc.decision_date is not None and hindsight_smp(sc) == []
    year = str(sc.decision_date.year - 1)
    assert all(c.key == "cow-nmc-v7" and c.dated == year for c in sc.capability_sources.values())
    assert set(sc.capability_sources) == set(sc.actors)
    path = tmp_path / "again.yaml"
    path.write_text(format_smp_yaml(sc, opts))
    back, _ = load_smp_yaml(path)
    assert audit_smp(back) == audit_smp(sc)
    assert back.capability.tolist() == sc.capability.tolist()


def test_a_bargaining_scenario_run_as_smp_keeps_its_dates(tmp_path):
    from scomodel.bargaining.dated import audit
    from scomodel.bargaining.scenario import load_scenario as load_bargaining

    base = load_bargaining("india-pakistan-2017")
    sc, _ = load_scenario("india-pakistan-2017")
    assert sc.decision_date == base.date
    smp_dates = {(d.actor, d.source, d.dated) for d in audit_smp(sc)}
    eum_dates = {(d.actor, d.source, d.dated) for d in audit(base) if d.actor}
    assert smp_dates == eum_dates  # every actor input; the SMP has no status quo input
