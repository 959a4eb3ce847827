"""Proceedings: each step checked against the rule that governs it; refusals cite it."""

from __future__ import annotations

from pathlib import Path

import pytest

from scomodel.charter.context import Context
from scomodel.charter.engine import what_if
from scomodel.charter.proceedings import Outcome, proceed
from scomodel.charter.rights import rights
from scomodel.errors import DataValidationError, InputError

from .conftest import EXAMPLES, HERE

BAD = HERE / "fixtures" / "proceedings"
QMV = EXAMPLES / "whatif" / "qmv-2017.yaml"

DP_STEPS = """\
  - letter: {signed_by: foreign_minister, addressed_to: SG}
  - recommendation: {body: CMFA}
  - decision: {body: CHS, objections: []}
  - memorandum: {signed_by: SG, signed: true, fields: [narcotics]}
"""


def write(
    tmp_path: Path,
    steps: str,
    *,
    applicant: str = "USA",
    status: str = "dialogue_partner",
    date: str = "2010-06-01",
) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(
        f"org: SCO\napplicant: {applicant}\nstatus: {status}\ndate: {date}\nsteps:\n{steps}",
        encoding="utf-8",
    )
    return path


def steps_of(outcome: Outcome) -> list[tuple[str, bool, str | None]]:
    return [(s.step, s.ok, s.rule) for s in outcome.steps]


def test_issue_example_refused_by_one_objection(ctx: Context) -> None:
    out = proceed(EXAMPLES / "examples" / "usa-dialogue-partner-2010.yaml", registry=ctx)
    assert out.granted is False
    assert steps_of(out)[-1] == ("decision", False, "D3-decision")
    assert "UZB" in out.steps[-1].reason and "R16" in out.steps[-1].reason


def test_granted_with_no_objection_and_a_memorandum(ctx: Context) -> None:
    out = proceed(EXAMPLES / "examples" / "usa-dialogue-partner-2010-granted.yaml", registry=ctx)
    assert out.granted is True
    assert [s for s, _, _ in steps_of(out)] == [
        "eligibility",
        "letter",
        "hearing",
        "recommendation",
        "decision",
        "memorandum",
    ]


@pytest.mark.parametrize(
    ("steps", "step", "rule", "words"),
    [
        (
            DP_STEPS.replace("foreign_minister", "head_of_state"),
            "letter",
            "D2-letter",
            "foreign_minister",
        ),
        (
            DP_STEPS.replace("addressed_to: SG", "addressed_to: CMFA"),
            "letter",
            "D2-letter",
            "must go to SG",
        ),
        (
            DP_STEPS.replace("decision: {body: CHS", "decision: {body: CMFA"),
            "decision",
            "D3-decision",
            "no competence",
        ),
        (
            DP_STEPS.replace("  - recommendation: {body: CMFA}\n", ""),
            "recommendation",
            "D3-recommendation",
            "missing step",
        ),
        (
            DP_STEPS.replace("signed: true", "signed: false"),
            "memorandum",
            "D4-memorandum",
            "signed",
        ),
        (
            DP_STEPS.replace("objections: []", "objections: [UZB, RUS]"),
            "decision",
            "D3-decision",
            "RUS, UZB",
        ),
    ],
)
def test_each_broken_rule_refuses_with_its_id(
    ctx: Context, tmp_path: Path, steps: str, step: str, rule: str, words: str
) -> None:
    out = proceed(write(tmp_path, steps), registry=ctx)
    assert out.granted is False
    last = out.steps[-1]
    assert (last.step, last.ok, last.rule) == (step, False, rule)
    assert words in last.reason


def test_objections_at_the_recommendation_also_block(ctx: Context, tmp_path: Path) -> None:
    steps = DP_STEPS.replace(
        "recommendation: {body: CMFA}", "recommendation: {body: CMFA, objections: [KAZ]}"
    )
    out = proceed(write(tmp_path, steps), registry=ctx)
    assert steps_of(out)[-1] == ("recommendation", False, "D3-recommendation")


def test_not_eligible_is_refused_before_any_step(ctx: Context, tmp_path: Path) -> None:
    out = proceed(write(tmp_path, DP_STEPS, date="2008-01-01"), registry=ctx)
    assert steps_of(out) == [("eligibility", False, "R14")]
    again = proceed(write(tmp_path, DP_STEPS, applicant="CHN"), registry=ctx)
    assert steps_of(again) == [("eligibility", False, "D1-not-already")]


def test_observer_procedure_2005(ctx: Context, tmp_path: Path) -> None:
    steps = (
        "  - letter: {signed_by: head_of_state, addressed_to: CHS}\n"
        "  - recommendation: {body: CMFA}\n  - decision: {body: CHS}\n"
    )
    assert proceed(
        write(tmp_path, steps, status="observer", date="2005-07-05"), registry=ctx
    ).granted
    refused = proceed(
        write(
            tmp_path,
            steps.replace("head_of_state", "foreign_minister"),
            status="observer",
            date="2005-07-05",
        ),
        registry=ctx,
    )
    assert steps_of(refused)[-1] == ("letter", False, "O1-letter")


def test_guest_before_the_charter(ctx: Context, tmp_path: Path) -> None:
    ok = proceed(
        write(tmp_path, "  - consent: {body: CNC}\n", status="guest", date="2002-12-01"),
        registry=ctx,
    )
    assert ok.granted is True
    no = proceed(
        write(
            tmp_path,
            "  - consent: {body: CNC, objections: [KGZ]}\n",
            status="guest",
            date="2002-12-01",
        ),
        registry=ctx,
    )
    assert steps_of(no)[-1] == ("consent", False, "G1-consent")


def test_whatif_rules_change_the_outcome(ctx: Context, tmp_path: Path) -> None:
    steps = DP_STEPS.replace("objections: []", "objections: [RUS]")
    path = write(tmp_path, steps, date="2018-01-01")
    assert proceed(path, registry=ctx).granted is False
    out = proceed(path, registry=ctx, rules=what_if([QMV]))
    assert out.granted is True and "WHATIF-QMV2017" in out.rulebooks
    assert "qualified majority" in next(s for s in out.steps if s.step == "decision").reason


def test_into_commits_only_to_the_whatif_copy(
    ctx: Context, whatif: Context, tmp_path: Path
) -> None:
    path = write(tmp_path, DP_STEPS)
    out = proceed(path, registry=whatif, into=whatif.registry.whatif)
    assert out.granted and out.committed and out.committed["spell"]["status"] == "dialogue_partner"
    assert [r.status for r in whatif.registry.status("USA", "SCO", "2011")] == ["dialogue_partner"]
    assert ctx.registry.status("USA", "SCO", "2011") == []  # the curated history is untouched
    assert out.committed["memorandum"]["attributes"]["fields"] == ["narcotics"]
    rows = {r.body: r for r in rights("USA", "SCO", "2011-01-01", registry=whatif)}
    assert rows["MIN_NARCOTICS"].attend is True and rows["MIN_*"].attend is False
    again = proceed(path, registry=whatif)  # the copy now sees the status
    assert steps_of(again) == [("eligibility", False, "D1-not-already")]


@pytest.mark.parametrize(
    ("name", "line", "field", "words"),
    [("unknown-applicant.yaml", 2, "applicant", "XXX"), ("other-org.yaml", 1, "org", "OSCE only")],
)
def test_unresolvable_names_point_at_their_line(
    ctx: Context, name: str, line: int, field: str, words: str
) -> None:
    with pytest.raises(InputError) as info:
        proceed(BAD / name, registry=ctx)
    err = info.value
    assert (err.line, err.field) == (line, field) and err.file and err.file.endswith(name)
    assert words in str(err)


def test_into_needs_a_whatif_copy(ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--into"):
        proceed(write(tmp_path, DP_STEPS), registry=ctx, into="x")


@pytest.mark.parametrize(
    ("name", "line", "field", "words"),
    [
        ("bad-step.yaml", 7, "steps.1.bribe", "unknown step"),
        ("missing-applicant.yaml", None, "applicant", "required"),
        ("bad-date.yaml", 4, "date", "2005-13-40"),
        ("bad-body.yaml", 8, "steps.2.decision.body", "unknown body"),
        ("bad-field.yaml", 6, "steps.0.letter.adressed_to", "unknown field"),
        ("bad-status.yaml", 3, "status", "overlord"),
        ("two-keys.yaml", 6, "steps.0", "one mapping"),
    ],
)
def test_bad_proceeding_files(name: str, line: int | None, field: str, words: str) -> None:
    with pytest.raises(DataValidationError) as info:
        proceed(BAD / name)
    err = info.value
    assert err.file and err.file.endswith(name)
    assert err.field == field
    if line is not None:
        assert err.line == line
    assert words in str(err)


def test_into_ends_the_status_the_grant_replaces(whatif: Context, tmp_path: Path) -> None:
    """Belarus, a dialogue partner, granted observer status: the partnership ends that day."""
    path = write(
        tmp_path,
        "  - letter: {signed_by: head_of_state, addressed_to: SG}\n"
        "  - recommendation: {body: CMFA}\n"
        "  - decision: {body: CHS, objections: []}\n",
        applicant="BLR", status="observer", date="2015-07-10",
    )
    out = proceed(path, registry=whatif, into=whatif.registry.whatif)
    assert out.granted and out.committed
    assert [(r["status"], r["end"]) for r in out.committed["ended"]] == [
        ("dialogue_partner", "2015-07-10")]
    spells = whatif.registry.timeline("BLR", "SCO")
    assert [(r.status, r.start, r.end) for r in spells] == [
        ("dialogue_partner", "2010-04-28", "2015-07-10"), ("observer", "2015-07-10", None)]
