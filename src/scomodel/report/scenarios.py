"""The bargaining part's built-in scenarios in the report: each issue under both models.

Runs go through ``scomodel.bargaining.runner.run_model`` with its own figures, as
``scomodel bargain NAME --issue ID --runs N --seed 0 --workers 1 --plot FILE`` would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scomodel.report.html import esc, figure, table

__all__ = ["bargaining_section", "MC_RUNS", "MEMBERSHIPS"]

#: Monte Carlo runs per expected-utility forecast in the report (seed 0)
MC_RUNS = 200
#: membership lists the veto analysis compares (the enlargements of 2017 and 2023-24)
MEMBERSHIPS = "SCO-6,SCO-8,SCO-10"


def bargaining_section(out: Path, figures: Path) -> str:
    from scomodel.bargaining.builtin import builtin_names
    from scomodel.bargaining.runner import BargainRequest, parse_members, run_model
    from scomodel.bargaining.scenario import load_scenario

    html = ["<h3>Expected utility and veto players (one issue at a time)</h3>",
            f'<p class="note">Each forecast with {MC_RUNS} Monte Carlo runs (seed 0) over the '
            "scenario's stated uncertainty; the veto analysis compares the SCO of six, eight "
            "and ten members under the decision rule in force.</p>"]
    for name in builtin_names():
        sc = load_scenario(name)
        html.append(f"<h4>{esc(sc.title)} <small>({esc(name)}, {esc(sc.date)})</small></h4>"
                    f"<p>{esc(sc.question)}</p>")
        for issue in sc.issue_ids:
            eum_png = figures / f"scenario-{name}-{issue}-eum.png"
            eum = run_model(BargainRequest(scenario=name, model="eum", issue=issue,
                                           runs=MC_RUNS, seed=0, workers=1, plot=str(eum_png)))
            veto_png = figures / f"scenario-{name}-{issue}-veto.png"
            veto = run_model(BargainRequest(scenario=name, model="veto", issue=issue,
                                            members=parse_members(MEMBERSHIPS),
                                            plot=str(veto_png)))
            html.append(f"<p><strong>{esc(issue)}</strong>: {esc(_summary(eum, veto))}</p>")
            html.append(figure(eum_png, f"{name} / {issue}: expected-utility rounds.", out))
            html.append(figure(veto_png, f"{name} / {issue}: win-sets by membership list.",
                               out))
            if veto.get("memberships"):
                html.append(table(veto["memberships"], ["members", "n", "needed", "win_set",
                                                        "core", "gridlock_index"]))
        html.append(table(_citations(sc), ["what", "actor", "value", "sources", "passage"]))
    return "".join(html)


def _summary(eum: dict[str, Any], veto: dict[str, Any]) -> str:
    parts = [f"forecast {eum['forecast']:.1f}"]
    if "win_set" in eum:
        parts.append(f"win-set {eum['win_set']} under {eum['rule']['kind']}, rule-bound "
                     f"forecast {eum['rule_bound_forecast']:.1f}")
    if "distribution" in eum:
        q = eum["distribution"]["quantiles"]
        parts.append(f"Monte Carlo p05-p50-p95 {q['p05']:.1f}-{q['p50']:.1f}-{q['p95']:.1f}")
    parts.append(f"gridlock index {veto['gridlock_index']}")
    if "outcome" in eum:
        parts.append(f"what happened: {eum['outcome']['value']:g} ({eum['outcome']['summary']} "
                     f"[{eum['outcome']['source']} {eum['outcome'].get('locator') or ''}])")
    return "; ".join(parts)


def _citations(sc: Any) -> list[dict[str, Any]]:
    return [{**c, "sources": [{"source": c["source"], "locator": c.get("locator"),
                               "judgement": c.get("judgement")}]} for c in sc.citations()]
