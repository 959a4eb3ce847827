"""The registry's bad filters: exit 2 with one line naming the field, never exit 0."""

from __future__ import annotations

import sys

import pytest
from typer.testing import CliRunner

from scomodel.cli import app, main
from scomodel.registry.cli import FACT_KIND_HELP, STATUS_HELP
from scomodel.registry.core import FACT_KINDS
from scomodel.registry.schema import STATUSES

runner = CliRunner()


def run_main(args: list[str], capsys: pytest.CaptureFixture[str],
             monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """The real entry point (``scomodel ARGS``): exit status and what it printed."""
    monkeypatch.setattr(sys, "argv", ["scomodel", *args])
    with pytest.raises(SystemExit) as done:
        main()
    captured = capsys.readouterr()
    return int(done.value.code or 0), captured.out + captured.err


@pytest.mark.parametrize(("args", "field", "words"), [
    (["shared", "KAZ", "KAZ", "--on", "2010"], "b", "twice"),
    (["shared", "KAZ", "Kazakhstan", "--on", "2010"], "b", "twice"),
    (["diff", "SCO", "2006-01-01", "2004-01-01"], "after", "before"),
    (["members", "NOPE", "--on", "2010"], "org", "unknown organization"),
    (["members", "KAZ", "--on", "2010"], "org", "not an organization"),
    (["facts", "--kind", "party"], "kind", "summit"),
    (["members", "SCO", "--on", "2010", "--status", "bogus"], "status", "observer"),
    (["timeline", "IND", "--org", "NOPE"], "org", "unknown organization"),
    (["status", "IND", "NOPE", "--on", "2010"], "org", "unknown organization"),
])
def test_bad_filter_exits_2_naming_the_field(
    args: list[str], field: str, words: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, output = run_main(args, capsys, monkeypatch)
    assert code == 2, output
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert f"[{field}]" in lines[0] and words in lines[0]
    assert "unknown actor" not in lines[0]


def test_help_lists_the_values() -> None:
    facts = runner.invoke(app, ["facts", "--help"], terminal_width=200)
    assert "summit" in facts.output and "office_term" in facts.output
    members = runner.invoke(app, ["members", "--help"], terminal_width=200)
    assert all(s in members.output for s in ("dialogue_partner", "acceding"))
    # --help spells the values out without loading the data format: the same lists
    assert STATUS_HELP.split(", ") == list(STATUSES)
    assert FACT_KIND_HELP.split(", ") == list(FACT_KINDS)


def test_facts_kind_message_lists_every_kind(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = run_main(["facts", "--kind", "party"], capsys, monkeypatch)
    assert code == 2 and all(k in output for k in FACT_KINDS)


def test_compare_without_cow_names_why(capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    code, output = run_main(["compare", "cow-igo", "--org", "NATO"], capsys, monkeypatch)
    assert code == 2 and "[dataset]" in output and "import cow-igo" in output
