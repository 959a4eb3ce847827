"""Charter commands: rules, rights, eligible, proceed, check-history."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scomodel.charter.decision import MATTERS
from scomodel.charter.eligibility import APPLICABLE
from scomodel.charter.history import VERDICTS
from scomodel.charter.model import RULE_KINDS, STATES
from scomodel.inputs import choice_callback, metavar
from scomodel.output import FORMATS, emit

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


def register(app: typer.Typer) -> None:
    """Add the charter's commands to the root app."""

    @app.command("rules")
    def rules(
        org: Annotated[str, typer.Argument(help="organization, e.g. SCO")],
        on: On,
        graph: Annotated[
            Path | None, typer.Option("--graph", help="draw the status machine (PNG)")
        ] = None,
        kind: Annotated[
            str | None, _choice("--kind", RULE_KINDS, "only rules of this kind", "kind")
        ] = None,
        rulebook: WhatIfRules = None,
        format: Fmt = "table",
    ) -> None:
        """The rulebooks and rules of ORG in force on a date; unverified rules are marked."""
        from scomodel.charter.describe import rule_rows
        from scomodel.charter.engine import rules_in_force, what_if

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
        format: Fmt = "table",
    ) -> None:
        """What ACTOR's status in ORG entitles it to, body by body (null: no rule says)."""
        from scomodel.charter.engine import what_if
        from scomodel.charter.rights import rights as compute

        rows = compute(actor, org, on, status=status, registry=registry, rules=what_if(rulebook))
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

    @app.command("eligible")
    def eligible(
        actor: str,
        org: str,
        status: Annotated[str, _choice("--status", APPLICABLE, "the status sought", "status")],
        on: On,
        registry: WhatIfRegistry = None,
        rulebook: WhatIfRules = None,
        format: Fmt = "table",
    ) -> None:
        """Whether ACTOR may seek STATUS in ORG on a date, criterion by criterion."""
        from scomodel.charter.eligibility import eligible as compute
        from scomodel.charter.engine import what_if

        result = compute(actor, org, status, on, registry=registry, rules=what_if(rulebook))
        if format == "json":
            emit({"eligible": result.eligible, **result.to_dict()}, format)
            return
        emit(
            [c.to_dict() for c in result.criteria],
            format,
            title=f"{result.actor} -> {status} in {result.org} on {result.on}: "
            f"eligible = {result.eligible}",
        )

    @app.command("proceed")
    def proceed(
        file: Annotated[Path, typer.Argument(help="a proceeding file (YAML)")],
        registry: WhatIfRegistry = None,
        rulebook: WhatIfRules = None,
        into: Annotated[
            str | None,
            typer.Option("--into", help="commit a granted proceeding to this what-if copy"),
        ] = None,
        format: Fmt = "table",
    ) -> None:
        """Run an application step by step; refusals cite the rule they break."""
        from scomodel.charter.engine import what_if
        from scomodel.charter.proceedings import proceed as run

        outcome = run(file, registry=registry or into, rules=what_if(rulebook), into=into)
        if format == "json":
            emit(outcome, format)
            return
        emit(
            [s.to_dict() for s in outcome.steps],
            format,
            title=f"{outcome.applicant} -> {outcome.status} in {outcome.org} on {outcome.date}: "
            f"granted = {outcome.granted}",
        )
        if outcome.committed:
            typer.echo(f"committed to what-if registry {outcome.committed['registry']!r}", err=True)

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
        registry: WhatIfRegistry = None,
        rulebook: WhatIfRules = None,
        format: Fmt = "table",
    ) -> None:
        """Would a decision of ORG pass on a date, given who objects? (members from the registry)"""
        from scomodel.actors import split_names
        from scomodel.charter.decision import decide as compute
        from scomodel.charter.engine import what_if

        out = compute(org, on, split_names(objections), matter=matter, target=target,
                      registry=registry, rules=what_if(rulebook))
        if format != "json":
            out = {**out, "rule": out["rule"]["id"] if out["rule"] else None}
        cols = [
            "matter",
            "kind",
            "threshold",
            "rule",
            "verification",
            "whatif",
            "objections",
            "counted",
            "passes",
        ]
        emit(
            out,
            format,
            title=f"{out['org']} decision on {out['on']} ({matter})",
            columns=None if format == "json" else cols,
        )

    @app.command("check-history")
    def check_history(
        org: str,
        registry: WhatIfRegistry = None,
        rulebook: WhatIfRules = None,
        verdict: Annotated[
            str | None, _choice("--verdict", VERDICTS, "only this verdict", "verdict")
        ] = None,
        format: Fmt = "table",
    ) -> None:
        """Every recorded status change of ORG checked against the rules in force on its date."""
        from scomodel.charter.engine import what_if
        from scomodel.charter.history import check_history as compute

        rows = [
            r
            for r in compute(org, registry=registry, rules=what_if(rulebook))
            if verdict is None or r.verdict == verdict
        ]
        emit(
            rows,
            format,
            title=f"{org.upper()}: recorded status changes against the rules",
            columns=None
            if format == "json"
            else ["actor", "change", "date", "verdict", "rule", "why", "verification"],
        )
