"""CLI: ``bargain``, ``scenarios``, ``scenario show`` and ``profile``.

Thin: each command builds a request, calls the same functions the Python API exposes and
prints with :func:`scomodel.output.emit`.
"""

from __future__ import annotations

from typing import Any

import typer

from scomodel.output import FormatOption, dumps, emit

__all__ = ["register"]


def _print_eum(out: dict[str, Any], fmt: str) -> None:
    rows = [
        {
            "round": r["round"],
            "median": round(r["median"], 3),
            "mean": round(r["mean"], 3),
            **{a: round(v, 2) for a, v in r["positions"].items()},
        }
        for r in out["rounds"]
    ]
    emit(rows, fmt, title=f"{out['scenario']} / {out['issue']}: expected-utility rounds")
    if fmt == "table":
        lines = [
            f"forecast (weighted median after round {out['rounds'][-1]['round']}): "
            f"{out['forecast']:.3f}"
        ]
        if "win_set" in out:
            lines.append(
                f"status quo {out['status_quo']:g}; win-set under {out['rule']['kind']} "
                f"{out['win_set']}; forecast in win-set: {out['forecast_in_win_set']}; "
                f"rule-bound forecast {out['rule_bound_forecast']:.1f}"
            )
        if "distribution" in out:
            d = out["distribution"]
            qs = ", ".join(f"{k}={v:.2f}" for k, v in d["quantiles"].items())
            lines.append(
                f"Monte Carlo {d['runs']} runs (seed {d['seed']}, {d['backend']}): {qs}; "
                f"P(forecast in win-set)={d['p_consensus']:.3f}"
            )
        if "outcome" in out:
            lines.append(f"what happened: {out['outcome']['value']} - {out['outcome']['summary']}")
        typer.echo("\n".join(lines))
        if out.get("issues"):
            emit(_issue_rows(out), fmt, title="every issue of the scenario")
    _print_hindsight(out, fmt)


def _issue_rows(out: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for r in out["issues"]:
        d = r.get("distribution")
        rows.append({
            "issue": r["issue"],
            "forecast": round(r["forecast"], 2),
            "win_set": r.get("win_set"),
            "rule_bound": r.get("rule_bound_forecast"),
            "p05-p95": f"{d['quantiles']['p05']:.1f}-{d['quantiles']['p95']:.1f}" if d else "",
            "outcome": (r.get("outcome") or {}).get("value"),
        })
    return rows


def _print_hindsight(out: dict[str, Any], fmt: str) -> None:
    """Every table output says how many inputs were not knowable before the decision."""
    if fmt != "table" or "hindsight_inputs" not in out:
        return
    n = out["hindsight_inputs"]
    if not n:
        typer.echo(f"ex-ante: every input is dated before the decision ({out['decision_date']})")
        return
    typer.echo(f"hindsight: {n} input(s) dated on or after the decision ({out['decision_date']}):")
    for h in out["hindsight"]:
        typer.echo(f"  {h['field']}: {h['actor']} {h['what']} cites {h['source']} ({h['dated']})")


def _print_veto(out: dict[str, Any], fmt: str) -> None:
    row = {
        k: out[k]
        for k in (
            "issue",
            "status_quo",
            "veto_players",
            "needed",
            "win_set",
            "win_set_size",
            "core",
            "gridlock_index",
            "status_quo_in_core",
        )
    }
    row["rule"] = f"{out['rule']['kind']} ({out['rule']['origin']})"
    row["basis"] = out["veto_basis"]
    emit([row], fmt, title=f"{out['scenario']}: veto players on {out['date']}")
    if out.get("memberships"):
        emit(out["memberships"], fmt, title="by membership list")
    if fmt == "table" and "distribution" in out:
        d = out["distribution"]
        typer.echo(
            f"Monte Carlo {d['runs']} runs: P(win-set not empty)={d['p_consensus']:.3f}, "
            f"win-set size p50={d['quantiles']['p50']:.2f}"
        )
    _print_hindsight(out, fmt)


def register(app: typer.Typer) -> None:
    """Add the bargaining commands to the root app."""
    scenario_app = typer.Typer(help="Built-in bargaining scenarios.", no_args_is_help=True)
    app.add_typer(scenario_app, name="scenario")

    @app.command("bargain")
    def bargain(
        scenario: str = typer.Argument(..., help="built-in name, scenario YAML or one-issue CSV"),
        model: str = typer.Option("eum", "--model", "-m", help="eum, veto or smp"),
        issue: str = typer.Option(None, "--issue", help="issue id (default: the first)"),
        runs: int = typer.Option(0, "--runs", help="Monte Carlo runs (0: none)"),
        seed: int = typer.Option(0, "--seed", help="seed of the Monte Carlo runs"),
        backend: str = typer.Option("local", "--backend", help="local (processes) or ray"),
        workers: int = typer.Option(None, "--workers", help="processes / Ray CPUs (default 2)"),
        address: str = typer.Option(
            None, "--address", help="ray: join this cluster (HOST:PORT; default RAY_ADDRESS)"
        ),
        reading_name: str = typer.Option("scholz_code", "--reading", help="scholz_code or printed"),
        option: list[str] = typer.Option(None, "--option", "-o", help="NAME=VALUE, e.g. q=0.5"),
        rounds: int = typer.Option(None, "--rounds", help="rounds of the eum (default 8)"),
        members: str = typer.Option(
            None, "--members", help="membership lists to compare: SCO-6,SCO-8,SCO-10 or CHN+RUS,..."
        ),
        rule: str = typer.Option(
            None, "--rule", help="what-if rule: consensus, majority, qualified_majority:0.75"
        ),
        plot: str = typer.Option(None, "--plot", help="write a figure to this PNG"),
        detail: bool = typer.Option(
            False, "--detail", help="eum: per-round P, expected utilities and offers (JSON)"
        ),
        ex_ante: bool = typer.Option(
            False, "--ex-ante", help="refuse inputs dated on or after the decision date"
        ),
        explain: bool = typer.Option(
            False, "--explain", help="veto: also print the chain behind the answer (rule in "
            "force, member spells, codings, sources; JSON: under 'trace')"
        ),
        fmt: str = FormatOption,
    ) -> None:
        """Forecast a collective decision (expected utility) or its win-set (veto players)."""
        from scomodel.bargaining.runner import (
            BargainRequest,
            parse_members,
            parse_options,
            parse_rule,
            run_model,
        )
        from scomodel.errors import InputError

        if backend not in ("local", "ray"):
            raise InputError(f"unknown backend {backend!r}: expected local or ray", field="backend")
        if address and backend != "ray":
            raise InputError("--address joins a Ray cluster: use it with --backend ray",
                             field="address")
        req = BargainRequest(
            address=address,
            scenario=scenario,
            model=model,
            issue=issue,
            runs=runs,
            seed=seed,
            backend=backend,
            workers=workers,
            plot=plot,
            reading=reading_name,
            options=parse_options(option),
            rounds=rounds,
            members=parse_members(members),
            rule=parse_rule(rule),
            progress=(fmt == "table" and runs > 0),
            detail=detail,
            ex_ante=ex_ante,
        )
        if explain and model != "veto":
            raise InputError("--explain is offered for --model veto only", field="explain")
        out = run_model(req)
        if out.get("plot"):
            typer.echo(f"figure written to {out['plot']}", err=True)
        trace = None
        if explain:  # the veto part builds the trace; this face only prints it
            from scomodel.bargaining.veto import explain as veto_trace

            trace = veto_trace(req.load(), req.issue, req.rule)
            if fmt == "json":
                out = {**out, "trace": trace.to_dict()}
        if fmt == "json":
            typer.echo(dumps(out))  # strict: a NaN is an error naming where, never printed
        elif model == "eum":
            _print_eum(out, fmt)
        elif model == "veto":
            _print_veto(out, fmt)
            if trace is not None:
                typer.echo("\nwhy:\n" + trace.render(), err=fmt == "csv")
        elif model == "smp":
            from scomodel.bargaining.smp.request import table_rows

            emit(table_rows(out), fmt, title=f"{out.get('scenario', '')}: SMP final state")
            if out.get("decision_date"):
                _print_hindsight(out, fmt)
        else:
            emit(out, fmt)

    @app.command("scenarios")
    def scenarios(fmt: str = FormatOption) -> None:
        """List the built-in scenarios."""
        from scomodel.bargaining.builtin import builtin_names
        from scomodel.bargaining.scenario import load_scenario

        rows = []
        for name in builtin_names():
            sc = load_scenario(name)
            rows.append(
                {
                    "name": sc.name,
                    "date": sc.date,
                    "title": sc.title,
                    "issues": sc.issue_ids,
                    "actors": len(sc.actors),
                }
            )
        emit(rows, fmt, title="built-in scenarios")

    @scenario_app.command("show")
    def scenario_show(name: str = typer.Argument(...), fmt: str = FormatOption) -> None:
        """One scenario with every coding and its source."""
        from scomodel.bargaining.dated import show_scenario
        from scomodel.bargaining.scenario import load_scenario

        sc = load_scenario(name)
        shown = show_scenario(sc)
        cites = shown["citations"]
        if fmt == "json":
            typer.echo(dumps(shown))
            return
        if fmt == "table":
            typer.echo(f"{sc.title} ({sc.name}), {sc.date}, {sc.org}\n{sc.question}")
            for i in sc.issues:
                typer.echo(
                    f"issue {i.id}: {i.label} [{i.scale.min:g} = {i.scale.low}; "
                    f"{i.scale.max:g} = {i.scale.high}]"
                )
                if i.outcome:
                    typer.echo(
                        f"  what happened: {i.outcome.summary} ({i.outcome.source} "
                        f"{i.outcome.locator})"
                    )
        emit(
            cites,
            fmt,
            title="codings and sources",
            columns=["what", "actor", "value", "source", "dated", "status", "locator",
                     "judgement", "passage"],
        )

    @app.command("backtest")
    def backtest_cmd(
        runs: int = typer.Option(100, "--runs", help="Monte Carlo runs per case (0: none)"),
        seed: int = typer.Option(0, "--seed", help="seed of the Monte Carlo runs"),
        cases: str = typer.Option(None, "--cases", help="a folder of case YAMLs instead"),
        mc_smp: bool = typer.Option(False, "--mc-smp", help="also run the SMP in every draw"),
        plot: str = typer.Option(None, "--plot", help="write the figure to this PNG"),
        fmt: str = FormatOption,
    ) -> None:
        """Score the models and naive baselines on real decisions coded ex-ante."""
        from scomodel.bargaining.backtest import backtest, plot_backtest
        from scomodel.inputs import check_number

        check_number(runs, field="runs", low=0, high=100_000, integer=True)
        out = backtest(cases, runs=runs, seed=seed, mc_smp=mc_smp)
        if plot:
            plot_backtest(out, plot)
            out["plot"] = plot
            typer.echo(f"figure written to {plot}", err=True)
        if fmt == "json":
            typer.echo(dumps(out))
            return
        rows = [
            {"case": c["case"], "date": c["date"], "status_quo": c["status_quo"],
             "outcome": c["outcome"],
             **{m: round(c["forecasts"][m], 1) for m in ("eum", "smp", "veto",
                                                          "capability_mean",
                                                          "weighted_median")}}
            for c in out["cases"]
        ]
        emit(rows, fmt, title="backtest: forecasts against the recorded outcome")
        emit([{k: (round(v, 3) if isinstance(v, float) else v) for k, v in s.items()}
              for s in out["summary"]], fmt, title="scores (Brier from the Monte Carlo runs)")

    @app.command("profile")
    def profile_cmd(
        actor: str = typer.Argument(..., help="KAZ, Kazakhstan or 705"), fmt: str = FormatOption
    ) -> None:
        """What an actor wants from the SCO, with sourced figures."""
        from scomodel.bargaining.profiles import profile, profile_rows

        p = profile(actor)
        from scomodel.bargaining.capabilities import profile_cinc

        cinc = profile_cinc(p.actor)
        if fmt == "json":
            typer.echo(dumps({**p.model_dump(mode="json"), "cinc": cinc}))
            return
        rows = profile_rows(p)
        rows += [
            {"kind": "figure (CINC)", "what": f"CINC x 100, {year}", "value": f"{v:.4g}",
             "source": "cow-nmc-v7", "locator": f"CINC of {p.actor}, {year}"}
            for year, v in cinc.items()
        ]
        emit(rows, fmt, title=f"profile of {p.actor}")
