"""Charter commands: rules, rights, eligible, proceed, check-history."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from scomodel.charter.decision import MATTERS
from scomodel.charter.eligibility import APPLICABLE
from scomodel.charter.history import VERDICTS
from scomodel.charter.model import RULE_KINDS, STATES
from scomodel.inputs import choice_callback, metavar
from scomodel.output import FORMATS, emit, to_plain
from scomodel.trace import Node, explained, new_trace

__all__ = ["register"]


def _choice(flag: str, values: tuple[str, ...], help: str, field: str) -> typer.models.OptionInfo:
    """An enumerated option: values in --help, anything else one error line naming them."""
    return typer.Option(
        flag, help=help, metavar=metavar(values), callback=choice_callback(values, field=field)
    )


Fmt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="table, json or csv",
        metavar=metavar(FORMATS),
        callback=choice_callback(FORMATS, field="format", case_sensitive=False),
    ),
]
On = Annotated[
    str, typer.Option("--on", help="YYYY, YYYY-MM or YYYY-MM-DD (a coarse date is its first day)")
]
WhatIfRegistry = Annotated[
    str | None, typer.Option("--registry", help="a what-if copy of the registry to read")
]
WhatIfRules = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules", help="a what-if rulebook (YAML) applied after the built-in ones; repeatable"
    ),
]


Explain = Annotated[
    bool,
    typer.Option("--explain", help="also print the chain behind the answer: spells, facts, "
                 "rules (dates, rulebook versions) and sources; JSON: under 'trace'"),
]
RULES_FORMATS = (*FORMATS, "yaml")


def _trace(explain: bool, question: str) -> Node | None:
    """A trace root when ``--explain`` asks for one."""
    return new_trace(question) if explain else None


def _why(trace: Node | None, fmt: str) -> None:
    """The trace after a table (or on stderr after CSV, which must stay a table)."""
    if trace is not None and fmt != "json":
        typer.echo("\nwhy:\n" + trace.render(), err=fmt == "csv")


def _emit_explained(answer: Any, trace: Node | None, fmt: str, key: str) -> bool:
    """JSON with the trace beside the answer; ``False`` when the caller prints a table."""
    if trace is None or fmt != "json":
        return False
    emit(explained(to_plain(answer), trace, key), "json")
    return True


def _yaml(data: Any) -> str:
    import io

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 100
    buffer = io.StringIO()
    yaml.dump(to_plain(data), buffer)
    return buffer.getvalue()


def register(app: typer.Typer) -> None:
    """Add the charter's commands to the root app."""

    @app.command("rules")
    def rules(
        org: Annotated[str, typer.Argument(help="organization, e.g. SCO")],
        on: Annotated[
            str | None,
            typer.Option("--on", help="YYYY, YYYY-MM or YYYY-MM-DD (a coarse date is its "
                         "first day)"),
        ] = None,
        diff: Annotated[
            tuple[str, str] | None,
            typer.Option("--diff", help="two days: the rules added, removed and amended "
                         "between them", metavar="DATE1 DATE2"),
        ] = None,
        graph: Annotated[
            Path | None, typer.Option("--graph", help="draw the status machine (PNG)")
        ] = None,
        kind: Annotated[
            str | None, _choice("--kind", RULE_KINDS, "only rules of this kind", "kind")
        ] = None,
        rulebook: WhatIfRules = None,
        format: Annotated[
            str,
            typer.Option("--format", "-f", help="table, json, csv, or yaml (the consolidated "
                         "rules in force)", metavar=metavar(RULES_FORMATS),
                         callback=choice_callback(RULES_FORMATS, field="format",
                                                  case_sensitive=False)),
        ] = "table",
    ) -> None:
        """The rulebooks and rules of ORG in force on a date (--format yaml: the whole set,
        consolidated), or what changed between two days (--diff); unverified ones marked."""
        from scomodel.charter.describe import rule_rows
        from scomodel.charter.engine import rules_in_force, what_if
        from scomodel.errors import InputError

        if (on is None) == (diff is None):
            raise InputError("give either --on DATE or --diff DATE1 DATE2", field="on")
        if diff is not None:
            from scomodel.charter.consolidate import diff_rules

            changes = diff_rules(org, diff[0], diff[1], rules=what_if(rulebook))
            if format == "yaml":
                typer.echo(_yaml({"org": org.upper(), "from": diff[0], "to": diff[1],
                                  "changes": changes}), nl=False)
                return
            emit(changes, format, title=f"{org.upper()} rules: {diff[0]} -> {diff[1]}",
                 columns=None if format == "json" else
                 ["change", "rule", "kind", "before", "after", "article", "why"],
                 empty=f"No rule of {org.upper()} changed between {diff[0]} and {diff[1]}.")
            return
        assert on is not None
        if format == "yaml":
            from scomodel.charter.consolidate import consolidated

            typer.echo(_yaml(consolidated(org, on, rules=what_if(rulebook))), nl=False)
            return
        ruleset = rules_in_force(org, on, extra=what_if(rulebook))
        if graph:
            from scomodel.charter.graph import draw_state_machine, state_graph

            draw_state_machine(state_graph(ruleset), graph)
            typer.echo(f"figure written to {graph}", err=True)
        rows = [r for r in rule_rows(ruleset) if kind is None or r["kind"] == kind]
        books = ", ".join(f"{b.id} ({b.in_force})" for b in ruleset.books) or "none"
        emit(
            rows,
            format,
            title=f"{ruleset.org} rules in force on {ruleset.day}: {books}",
            columns=None
            if format == "json"
            else ["rule", "kind", "rulebook", "article", "verification", "summary"],
        )

    @app.command("rights")
    def rights(
        actor: str,
        org: str,
        on: On,
        status: Annotated[
            str | None,
            _choice("--status", STATES, "rights of this status instead of the recorded one",
                    "status"),
        ] = None,
        registry: WhatIfRegistry = None,
        rulebook: WhatIfRules = None,
        explain: Explain = False,
        format: Fmt = "table",
    ) -> None:
        """What ACTOR's status in ORG entitles it to, body by body (null: no rule says)."""
        from scomodel.charter.engine import what_if
        from scomodel.charter.rights import rights as compute

        trace = _trace(explain, f"rights {actor} {org} {on}" + (f" {status}" if status else ""))
        rows = compute(actor, org, on, status=status, registry=registry, rules=what_if(rulebook),
                       trace=trace)
        if _emit_explained(rows, trace, format, "rows"):
            return
        emit(
            rows,
            format,
            title=f"rights of {actor.upper()} in {org.upper()} on {on}",
            columns=None
            if format == "json"
            else [
                "status",
                "body",
                "attend",
                "speak",
                "vote",
                "sign",
                "rule",
                "verification",
                "condition",
            ],
        )
        _why(trace, format)

    @app.command("eligible")
    def eligible(
        actor: str,
        org: str,
        status: Annotated[str, _choice("--status", APPLICABLE, "the status sought", "status")],
        on: On,
        registry: WhatIfRegistry = None,
        rulebook: WhatIfRules = None,
        explain: Explain = False,
        format: Fmt = "table",
    ) -> None:
        """Whether ACTOR may seek STATUS in ORG on a date, criterion by criterion."""
        from scomodel.charter.eligibility import eligible as compute
        from scomodel.charter.engine import what_if

        trace = _trace(explain, f"eligible {actor} {org} {status} {on}")
        result = compute(actor, org, status, on, registry=registry, rules=what_if(rulebook),
                         trace=trace)
        if format == "json":
            emit(explained({"eligible": result.eligible, **result.to_dict()}, trace), format)
            return
        emit(
            [c.to_dict() for c in result.criteria],
            format,
            title=f"{result.actor} -> {status} in {result.org} on {result.on}: "
            f"eligible = {result.eligible}",
        )
        _why(trace, format)

    @app.command("proceed")
    def proceed(
        file: Annotated[Path, typer.Argument(help="a proceeding file (YAML)")],
        registry: WhatIfRegistry = None,
        rulebook: WhatIfRules = None,
        into: Annotated[
            str | None,
            typer.Option("--into", help="commit a granted proceeding to this what-if copy"),
        ] = None,
        explain: Explain = False,
        format: Fmt = "table",
    ) -> None:
        """Run an application step by step; refusals cite the rule they break."""
        from scomodel.charter.engine import what_if
        from scomodel.charter.proceedings import proceed as run

        trace = _trace(explain, f"proceed {file}")
        outcome = run(file, registry=registry or into, rules=what_if(rulebook), into=into,
                      trace=trace)
        if format == "json":
            emit(explained(to_plain(outcome), trace), format)
            return
        emit(
            [s.to_dict() for s in outcome.steps],
            format,
            title=f"{outcome.applicant} -> {outcome.status} in {outcome.org} on {outcome.date}: "
            f"granted = {outcome.granted}",
        )
        if outcome.committed:
            typer.echo(f"committed to what-if registry {outcome.committed['registry']!r}", err=True)
        _why(trace, format)

    @app.command("decide")
    def decide(
        org: str,
        on: On,
        objections: Annotated[
            str,
            typer.Option(
                "--objections", help="comma-separated members objecting (codes or names)"
            ),
        ] = "",
        matter: Annotated[
            str, typer.Option("--matter", help=f"{', '.join(MATTERS)} (or a what-if rulebook's)")
        ] = "default",
        target: Annotated[
            str | None, typer.Option("--target", help="the member concerned (expel, suspend)")
        ] = None,
        body: Annotated[
            str | None,
            typer.Option("--body", help="the body deciding (e.g. EEC_BOARD, CHS): its own rule "
                         "beats the rule for every body"),
        ] = None,
        opt_outs: Annotated[
            str,
            typer.Option("--opt-outs", help="comma-separated members declaring no interest "
                         "(CIS Art. 23: they neither block nor are bound; elsewhere an objection)"),
        ] = "",
        registry: WhatIfRegistry = None,
        rulebook: WhatIfRules = None,
        explain: Explain = False,
        format: Fmt = "table",
    ) -> None:
        """Would a decision of ORG pass on a date, given who objects? (members from the registry)"""
        from scomodel.actors import split_names
        from scomodel.charter.decision import decide as compute
        from scomodel.charter.engine import what_if

        trace = _trace(explain, f"decide {org} {on} {matter}" + (f" {body}" if body else ""))
        out = compute(org, on, split_names(objections), matter=matter, target=target,
                      registry=registry, rules=what_if(rulebook), body=body,
                      opt_outs=split_names(opt_outs), trace=trace)
        if _emit_explained(out, trace, format, "decision"):
            return
        if format != "json":
            out = {**out, "rule": out["rule"]["id"] if out["rule"] else None}
        cols = [
            "matter",
            "body",
            "kind",
            "threshold",
            "rule",
            "verification",
            "whatif",
            "objections",
            *(["opt_outs"] if "opt_outs" in out else []),
            "counted",
            "passes",
        ]
        emit(
            out,
            format,
            title=f"{out['org']} decision on {out['on']} ({matter})",
            columns=None if format == "json" else cols,
        )
        _why(trace, format)

    @app.command("check-history")
    def check_history(
        org: str,
        registry: WhatIfRegistry = None,
        rulebook: WhatIfRules = None,
        verdict: Annotated[
            str | None, _choice("--verdict", VERDICTS, "only this verdict", "verdict")
        ] = None,
        explain: Explain = False,
        format: Fmt = "table",
    ) -> None:
        """Every recorded status change of ORG checked against the rules in force on its date."""
        from scomodel.charter.engine import what_if
        from scomodel.charter.history import check_history as compute

        trace = _trace(explain, f"check-history {org}")
        rows = [
            r
            for r in compute(org, registry=registry, rules=what_if(rulebook), trace=trace)
            if verdict is None or r.verdict == verdict
        ]
        if trace is not None and verdict is not None:  # the trace of the rows shown
            trace.children = [c for c in trace.children
                              if c.detail.get("verdict", verdict) == verdict]
        if _emit_explained(rows, trace, format, "rows"):
            return
        emit(
            rows,
            format,
            title=f"{org.upper()}: recorded status changes against the rules",
            columns=None
            if format == "json"
            else ["actor", "change", "date", "verdict", "rule", "why", "verification"],
        )
        _why(trace, format)
