"""What ``scomodel bargain`` runs: one function per model name, in :data:`MODELS`.

A model function takes a :class:`BargainRequest` (everything the command line said) and
returns plain data (the JSON contract). Adding a model is one entry in :data:`MODELS`.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from scomodel.bargaining.dated import hindsight_summary, require_ex_ante
from scomodel.bargaining.eum import run_eum
from scomodel.bargaining.eum_options import EUMOptions, reading
from scomodel.bargaining.montecarlo import MCInput, monte_carlo
from scomodel.bargaining.scenario import RuleSpec, Scenario, load_scenario
from scomodel.bargaining.veto import (
    MEMBERSHIP_LISTS,
    analyse,
    compare_memberships,
    default_veto_players,
    resolve_rule,
)
from scomodel.errors import InputError

__all__ = [
    "BargainRequest",
    "MODELS",
    "run_model",
    "rule_bound",
    "parse_rule",
    "parse_members",
    "parse_options",
    "check_request",
]


@dataclass
class BargainRequest:
    """The ``bargain`` command's arguments, for any model."""

    scenario: str
    model: str = "eum"
    issue: str | None = None
    runs: int = 0
    seed: int = 0
    backend: str = "local"
    workers: int | None = None
    #: Ray only: the cluster to join (``HOST:PORT``); ``None`` reads ``RAY_ADDRESS``
    address: str | None = None
    plot: str | None = None
    reading: str = "scholz_code"
    options: dict[str, Any] = field(default_factory=dict)
    rounds: int | None = None
    members: dict[str, list[str]] | None = None
    rule: RuleSpec | None = None
    progress: bool = False
    detail: bool = False
    #: refuse a scenario with any input dated on or after its decision (``--ex-ante``)
    ex_ante: bool = False

    def load(self) -> Scenario:
        sc = load_scenario(self.scenario)
        if self.ex_ante:
            require_ex_ante(sc, self.scenario)
        return sc


def rule_bound(forecast: float, win_set: Sequence[tuple[float, float]], status_quo: float) -> float:
    """The forecast moved to the nearest outcome the decision rule lets through.

    The expected-utility forecast ignores the rule; under consensus nothing outside the
    win-set of the status quo can pass. So the rule-bound forecast is the point of the
    (closed) win-set nearest the forecast, or the status quo when the win-set is empty.
    """
    best, gap = status_quo, abs(forecast - status_quo)
    for a, b in win_set:
        p = min(max(forecast, a), b)
        if abs(forecast - p) < gap:
            best, gap = p, abs(forecast - p)
    return float(best)


def parse_rule(text: str | None) -> RuleSpec | None:
    """``consensus``, ``majority`` or ``qualified_majority:0.75`` (what-if rules)."""
    if not text:
        return None
    kind, _, thr = text.partition(":")
    kind = kind.strip().lower().replace("-", "_")
    try:
        return RuleSpec(kind=kind, threshold=float(thr) if thr else None)  # type: ignore[arg-type]
    except (ValueError, TypeError) as exc:
        detail = " ".join(str(exc).split())
        raise InputError(
            f"bad rule {text!r}: expected consensus, majority or qualified_majority:0.75 "
            f"({detail})",
            field="rule",
        ) from None


def parse_members(text: str | None) -> dict[str, list[str]] | None:
    """``SCO-6,SCO-8`` or ``CHN+RUS+KAZ,CHN+RUS+KAZ+IND``: membership lists to compare."""
    if not text:
        return None
    from scomodel.actors import resolve_codes, split_names

    out: dict[str, list[str]] = {}
    named = {k.upper(): v for k, v in MEMBERSHIP_LISTS.items()}
    for part in split_names(text):
        if part.upper() in named:
            key, codes = part.upper(), list(named[part.upper()])
        else:  # every member through the one resolver: CHN+Russia+770
            codes = resolve_codes(split_names(part, "+"), field="members")
            key = "+".join(codes)
        if key in out:
            raise InputError(f"the membership list {key} is given twice", field="members")
        out[key] = codes
    return out


def parse_options(items: list[str] | None) -> dict[str, Any]:
    """``--option q=0.5 --option capitulation=true`` into typed values."""
    from scomodel.limits import OPTION_VALUE, OPTIONS, LimitError

    out: dict[str, Any] = {}
    if len(items or []) > OPTIONS:
        raise LimitError(f"at most {OPTIONS} options, got {len(items or [])}", field="option")
    for item in items or []:
        if len(item) > OPTION_VALUE:
            raise LimitError(f"option {item[:30]!r}... is over {OPTION_VALUE} characters",
                             field="option")
        key, sep, raw = item.partition("=")
        if not sep:
            raise InputError(f"bad option {item!r}: expected NAME=VALUE", field="option")
        val: Any = raw.strip()
        low = val.lower()
        if low in ("true", "false"):
            val = low == "true"
        else:
            with contextlib.suppress(ValueError):
                val = int(val) if val.lstrip("-").isdigit() else float(val)
        out[key.strip()] = val
    return out


def _eum_options(req: BargainRequest) -> EUMOptions:
    opts = reading(req.reading, **req.options)
    if req.rounds is not None:
        opts = opts.with_(rounds=req.rounds)
    return opts


def _veto_setup(
    sc: Scenario, issue: str | None, rule: RuleSpec | None
) -> tuple[list[str], str, Any]:
    players, basis = default_veto_players(sc, issue)
    return players, basis, resolve_rule(sc, rule)


def _eum_issue(
    sc: Scenario, issue: str | None, opts: EUMOptions, rule: RuleSpec | None, detail: bool
) -> tuple[dict[str, Any], Any, Any]:
    """One issue: the EUM rounds, the win-set and rule-bound forecast, what happened."""
    data = sc.data(issue)
    res = run_eum(data.capability, data.position, data.salience, data.actors, opts, detail=detail)
    out: dict[str, Any] = {
        "scenario": sc.name,
        "issue": data.issue,
        "date": sc.date.isoformat(),
        **res.to_dict(),
    }
    vetoes = None
    if sc.org != "none":  # a bare actor table (CSV) has no organization, rule or status quo
        players, basis, resolved = _veto_setup(sc, data.issue, rule)
        if players:
            vetoes = analyse(sc, data.issue, players, resolved, basis)
    if vetoes is not None:
        ws = vetoes.to_dict()
        out["status_quo"] = data.status_quo
        out["veto_players"] = ws["veto_players"]
        out["rule"] = ws["rule"]
        out["win_set"] = ws["win_set"]
        out["forecast_in_win_set"] = any(a < res.forecast < b for a, b in vetoes.win_set)
        out["rule_bound_forecast"] = rule_bound(res.forecast, vetoes.win_set, vetoes.status_quo)
    outcome = sc.issue(data.issue).outcome
    if outcome is not None:
        out["outcome"] = outcome.model_dump()
    return out, vetoes, data


_ISSUE_KEYS = ("issue", "forecast", "mean", "status_quo", "win_set", "forecast_in_win_set",
               "rule_bound_forecast", "outcome")


def run_eum_request(req: BargainRequest) -> dict[str, Any]:
    """The expected-utility model, optionally with Monte Carlo.

    With ``--issue`` (or a one-issue scenario) one issue, as before. A scenario with several
    issues and no ``--issue`` also gets ``issues``: every issue's forecast side by side (the
    top level stays the first issue's), and with ``--runs`` a joint Monte Carlo (``joint``,
    :mod:`scomodel.bargaining.multi_issue`) whose first issue is the top-level distribution.
    """
    sc = req.load()
    opts = _eum_options(req)
    out, vetoes, data = _eum_issue(sc, req.issue, opts, req.rule, req.detail)
    out.update(hindsight_summary(sc))
    outcome = sc.issue(req.issue).outcome
    multi = req.issue is None and len(sc.issues) > 1
    setups: list[tuple[str, list[str], int]] = []
    if multi:
        rows = [out]
        setups = [
            (data.issue, vetoes.veto_players if vetoes else [], vetoes.needed if vetoes else 0)
        ]
        for iid in sc.issue_ids[1:]:
            o, v, _ = _eum_issue(sc, iid, opts, req.rule, False)
            rows.append(o)
            setups.append((iid, v.veto_players if v else [], v.needed if v else 0))
        out["issues"] = [{k: r[k] for k in _ISSUE_KEYS if k in r} for r in rows]
    dist = None
    if req.runs and multi:
        from scomodel.bargaining.multi_issue import joint_input, joint_monte_carlo

        joint = joint_monte_carlo(joint_input(sc, setups, opts), req.runs, req.seed, req.workers)
        dist = joint.pop("outcomes")[:, 0]
        out["joint"] = {**joint, "uncertainty": sc.uncertainty.model_dump()}
        for row in out["issues"]:
            row["distribution"] = joint["issues"][row["issue"]]
        out["distribution"] = {
            **joint["issues"][data.issue],
            "backend": "local",
            "workers": joint["workers"],
            "joint": True,
            "uncertainty": sc.uncertainty.model_dump(),
        }
    elif req.runs:
        inp = _mc_input("eum", sc, data, vetoes.veto_players if vetoes else [],
                        vetoes.needed if vetoes else 0, options=opts)
        mc = monte_carlo(inp, req.runs, req.seed, req.backend, req.workers,
                         progress=req.progress, address=req.address)
        out["distribution"] = {**mc.to_dict(), "uncertainty": sc.uncertainty.model_dump()}
        dist = mc.outcomes
    if req.plot:
        from scomodel.bargaining.plots import plot_eum

        issue = sc.issue(req.issue)
        plot_eum(
            out,
            req.plot,
            title=f"{sc.title}: expected-utility forecast",
            scale=data.scale,
            low=issue.scale.low,
            high=issue.scale.high,
            status_quo=data.status_quo if sc.org != "none" else None,
            outcome=outcome.value if outcome else None,
            distribution=dist,
        )
        out["plot"] = req.plot
    return out


def _mc_input(model: str, sc: Any, data: Any, veto_players: Sequence[str], needed: int,
              **extra: Any) -> MCInput:
    """The Monte Carlo input of a scenario issue: its codings and stated uncertainty."""
    return MCInput(
        model=model,
        capability=data.capability,
        position=data.position,
        salience=data.salience,
        scale=data.scale,
        status_quo=data.status_quo,
        veto_index=tuple(data.actors.index(p) for p in veto_players),
        needed=needed,
        sd_position=sc.uncertainty.position,
        sd_salience=sc.uncertainty.salience,
        sd_capability=sc.uncertainty.capability,
        **extra,
    )


def run_veto_request(req: BargainRequest) -> dict[str, Any]:
    """Win-set, core and gridlock; with ``members``, one row per membership list."""
    sc = req.load()
    rule = resolve_rule(sc, req.rule)
    base = analyse(sc, req.issue, None, rule)
    out: dict[str, Any] = {
        "scenario": sc.name,
        "date": sc.date.isoformat(),
        **base.to_dict(),
        **hindsight_summary(sc),
    }
    lists: dict[str, Sequence[str]] | None = dict(req.members) if req.members else None
    rows = compare_memberships(sc, lists, req.issue, rule) if lists else []
    if rows:
        out["memberships"] = rows
    outcome = sc.issue(req.issue).outcome
    if outcome is not None:
        out["outcome"] = outcome.model_dump()
    data = sc.data(req.issue)
    if req.runs:
        inp = _mc_input("veto", sc, data, base.veto_players, base.needed)
        mc = monte_carlo(inp, req.runs, req.seed, req.backend, req.workers,
                         progress=req.progress, address=req.address)
        out["distribution"] = {
            **mc.to_dict(),
            "measure": "win_set_size",
            "uncertainty": sc.uncertainty.model_dump(),
        }
    if req.plot:
        from scomodel.bargaining.plots import plot_veto

        issue = sc.issue(req.issue)
        analyses = [base.to_dict()]
        labels = [f"{sc.org} on {sc.date} ({base.basis})"]
        for name, members in (lists or {}).items():
            analyses.append(analyse(sc, req.issue, members, rule, basis=name).to_dict())
            labels.append(name)
        plot_veto(
            analyses,
            labels,
            req.plot,
            title=f"{sc.title}: veto players ({rule.kind})",
            scale=data.scale,
            low=issue.scale.low,
            high=issue.scale.high,
            outcome=outcome.value if outcome else None,
        )
        out["plot"] = req.plot
    return out


#: model name -> function(BargainRequest) -> plain data. Add a model with one entry.
MODELS: dict[str, Callable[[BargainRequest], dict[str, Any]]] = {
    "eum": run_eum_request,
    "veto": run_veto_request,
    "smp": lambda req: importlib.import_module("scomodel.bargaining.smp.request")
    .run_request(req),
}


def run_model(req: BargainRequest) -> dict[str, Any]:
    try:
        fn = MODELS[req.model]
    except KeyError:
        raise InputError(
            f"unknown model {req.model!r}: expected one of {', '.join(sorted(MODELS))}",
            field="model",
        ) from None
    check_request(req)
    return fn(req)


def check_request(req: BargainRequest) -> None:
    """Every cost parameter against :mod:`scomodel.limits`, and the model's options
    built once, before anything runs: a bad value is one error naming its field."""
    from scomodel.limits import ROUNDS, RUNS, SEED, WORKERS, check_count

    req.runs = check_count(req.runs, field="runs", high=RUNS)
    req.seed = check_count(req.seed, field="seed", high=SEED)
    if req.workers is not None:
        req.workers = check_count(req.workers, field="workers", low=1, high=WORKERS)
    if req.rounds is not None:
        req.rounds = check_count(req.rounds, field="rounds", low=1, high=ROUNDS)
    if req.model == "eum":
        _eum_options(req)
    elif req.model == "smp":
        from scomodel.bargaining.smp.options import SMPOptions
        from scomodel.inputs import check_number

        options = dict(req.options)
        check_number(options.pop("noise", 0.0), field="noise", low=0.0)
        options.pop("stochastic", None)
        SMPOptions.from_mapping(options)
