"""Rule tests as data: YAML cases from the real history, run against the engine.

A case file holds ``cases:``, each one ``{id, event, source, org, date, actor?, facts?,
expect}``. ``expect`` may hold ``eligible`` (with ``status``), ``rights`` (``status``,
``body`` and the fields expected), ``decision`` (``matter``, ``body``, ``objections``,
``opt_outs``, ``members`` and ``passes`` or ``kind``), ``history`` (the verdict and rule
check-history gives the actor's change on that date) or ``authority`` (an area's pooling
or delegation within 0.01). Each case cites the event it encodes, so a failing case says
which piece of history the rules no longer explain.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scomodel.errors import DataValidationError, ScomodelError
from scomodel.registry.yamlio import line_of, plain, read_yaml

__all__ = ["CaseResult", "run_case", "run_files", "load_cases"]

_KEYS = {"id", "event", "source", "org", "date", "actor", "facts", "expect", "note"}


@dataclass(frozen=True)
class CaseResult:
    file: str
    id: str
    event: str
    passed: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "id": self.id, "event": self.event, "passed": self.passed,
                "detail": self.detail}


def load_cases(path: str | Path) -> list[tuple[dict[str, Any], int | None]]:
    """The cases of one file with their line numbers; a malformed case names its line."""
    node = read_yaml(Path(path))
    data = plain(node)
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise DataValidationError("a rule-test file needs a list 'cases'", file=str(path), line=1)
    out = []
    for i, case in enumerate(data["cases"]):
        line = line_of(node, ["cases", i])
        if not isinstance(case, dict):
            raise DataValidationError("a case must be a mapping", file=str(path), line=line)
        for key in ("id", "event", "source", "org", "date", "expect"):
            if key not in case:
                raise DataValidationError(
                    f"case needs {key!r}", file=str(path), line=line, field=f"cases.{i}.{key}"
                )
        extra = set(case) - _KEYS
        if extra:
            raise DataValidationError(
                f"unknown field {sorted(extra)[0]!r}", file=str(path), line=line,
                field=f"cases.{i}",
            )
        out.append((case, line))
    return out


def _check_eligible(case: dict[str, Any], exp: dict[str, Any]) -> tuple[bool, str]:
    from scomodel.charter.eligibility import eligible

    res = eligible(case["actor"], case["org"], exp["status"], str(case["date"]))
    return res.eligible == exp["eligible"], f"eligible = {res.eligible}"


def _check_rights(case: dict[str, Any], exp: dict[str, Any]) -> tuple[bool, str]:
    from scomodel.charter.rights import rights

    rows = rights(case["actor"], case["org"], str(case["date"]), status=exp.get("status"))
    body = exp.get("body", "*")
    row = next((r for r in rows if r.body == body), None)
    if row is None:
        return False, f"no row for body {body} (rows: {', '.join(r.body for r in rows)})"
    got = row.to_dict()
    bad = [f"{k} = {got.get(k)!r}" for k in ("attend", "speak", "vote", "sign") if k in exp
           and got.get(k) != exp[k]]
    return not bad, "; ".join(bad) or f"{body}: as expected"


def _check_decision(case: dict[str, Any], exp: dict[str, Any]) -> tuple[bool, str]:
    from scomodel.charter.decision import decision_rule

    rule = decision_rule(case["org"], str(case["date"]), exp.get("matter", "default"),
                         body=exp.get("body"))
    notes = [f"{rule.kind} ({rule.rule['id'] if rule.rule else '?'})"]
    ok = True
    if "kind" in exp:
        ok &= rule.kind == exp["kind"]
    if "passes" in exp:
        members = exp.get("members") or (case.get("facts") or {}).get("members")
        if not members:
            from scomodel.charter.context import open_context
            from scomodel.charter.engine import day_of

            members = open_context().members(rule.org, day_of(str(case["date"])))
        got = rule.passes(exp.get("objections", []), members, exp.get("target"),
                          opt_outs=exp.get("opt_outs", ()))
        ok &= got == exp["passes"]
        notes.append(f"passes = {got}")
    return ok, "; ".join(notes)


def _check_history(case: dict[str, Any], exp: dict[str, Any]) -> tuple[bool, str]:
    from scomodel.charter.history import check_history

    rows = [r for r in check_history(case["org"]) if r.actor == case["actor"]
            and r.date == str(case["date"]) and ("change" not in exp or r.change == exp["change"])]
    if not rows:
        return False, "check-history has no change of that actor on that date"
    row = rows[0]
    ok = row.verdict == exp["verdict"] and ("rule" not in exp or row.rule == exp["rule"])
    return ok, f"{row.change}: {row.verdict} ({row.rule})"


def _check_authority(case: dict[str, Any], exp: dict[str, Any]) -> tuple[bool, str]:
    from scomodel.charter.authority import authority_on

    res = authority_on(case["org"], str(case["date"]))
    measure = exp.get("measure", "pooling")
    value = res.areas[exp["area"]][measure] if "area" in exp else getattr(res, measure)
    return value is not None and abs(value - exp["value"]) <= 0.01, f"{measure} = {value}"


_CHECKS = {
    "eligible": _check_eligible,
    "rights": _check_rights,
    "decision": _check_decision,
    "history": _check_history,
    "authority": _check_authority,
}


def run_case(case: dict[str, Any], file: str = "") -> CaseResult:
    """Run one case; an error inside the engine is a failure that says what it was."""
    details, passed = [], True
    for kind, exp in case["expect"].items():
        check = _CHECKS.get(kind)
        if check is None:
            raise DataValidationError(
                f"unknown expectation {kind!r}: expected one of {', '.join(_CHECKS)}",
                file=file, field=f"{case['id']}.expect",
            )
        try:
            ok, why = check(case, exp)
        except ScomodelError as exc:
            ok, why = False, f"error: {exc}"
        passed &= ok
        details.append(f"{kind}: {why}")
    return CaseResult(file, str(case["id"]), str(case["event"]), passed, "; ".join(details))


def run_files(paths: Iterable[str | Path]) -> list[CaseResult]:
    out = []
    for path in paths:
        for case, _line in load_cases(path):
            out.append(run_case(case, str(path)))
    return out
