"""Every command that takes ``--format`` answers strict JSON (issue 10).

The commands are enumerated from the CLI itself, so a new command without an example here
fails :func:`test_every_command_has_an_example`. Each answer is parsed with a parser that
refuses ``NaN``, ``Infinity`` and ``-Infinity`` (Python's ``json`` accepts them by default,
JavaScript's ``JSON.parse`` and most strict parsers do not).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from scomodel.cli import PARTS, load_part
from tests.clirun import invoke

EXAMPLE_PROCEEDING = "src/scomodel/data/rulebooks/examples/usa-dialogue-partner-2010.yaml"
BDM = "/work/shared/data/bdm1994-emissions.csv"
KTAB = "/work/shared/data/ktab/SOE-Pol-Comp.csv"

#: (command path, arguments without --format json); a command may have several.
EXAMPLES: list[tuple[str, list[str]]] = [
    ("members", ["members", "SCO", "--on", "2016-06-01"]),
    ("status", ["status", "IND", "SCO", "--on", "2016-06-01"]),
    ("orgs", ["orgs", "KAZ", "--on", "2008-01-01"]),
    ("timeline", ["timeline", "IND", "--org", "SCO"]),
    ("diff", ["diff", "SCO", "2004-01-01", "2006-01-01"]),
    ("shared", ["shared", "KAZ", "UZB", "--on", "2004-01-01"]),
    ("facts", ["facts", "--about", "SCO", "--kind", "summit"]),
    ("sources", ["sources"]),
    ("compare mia", ["compare", "mia", "--org", "SCO"]),
    ("version", ["version"]),
    ("panel", ["panel", "org-year", "--orgs", "SCO", "--from", "2001", "--to", "2003"]),
    ("overlap", ["overlap", "--on", "2008-09-01", "--region", "central-asia"]),
    ("network", ["network", "--on", "2004-06-01", "--region", "central-asia"]),
    ("evolution", ["evolution", "--from", "2000", "--to", "2002", "--region", "central-asia"]),
    ("bargain", ["bargain", "astana-2005-bases"]),
    ("bargain", ["bargain", "astana-2005-bases", "--runs", "20", "--seed", "1",
                 "--workers", "1"]),
    ("bargain", ["bargain", "india-pakistan-2017", "--model", "veto", "--issue",
                 "terrorism-naming", "--members", "SCO-6,SCO-8"]),
    ("bargain", ["bargain", BDM, "--detail"]),
    ("bargain", ["bargain", KTAB, "--model", "smp"]),
    ("scenarios", ["scenarios"]),
    ("backtest", ["backtest", "--runs", "0"]),
    ("profile", ["profile", "KAZ"]),
    ("scenario show", ["scenario", "show", "astana-2005-bases"]),
    ("rules", ["rules", "SCO", "--on", "2006-01-01"]),
    ("rights", ["rights", "MNG", "SCO", "--on", "2006-01-01"]),
    ("eligible", ["eligible", "USA", "SCO", "--status", "dialogue_partner", "--on", "2009-06-01"]),
    ("proceed", ["proceed", EXAMPLE_PROCEEDING]),
    ("decide", ["decide", "SCO", "--on", "2018-01-01", "--objections", "Pakistan"]),
    ("check-history", ["check-history", "SCO"]),
    ("authority", ["authority", "SCO", "--from", "2001", "--to", "2003"]),
    ("claims show", ["claims", "show", "zhao-gradual-enlargement", "--explain"]),
    ("claims timeline", ["claims", "timeline", "--from", "2010", "--to", "2011"]),
]

#: Commands with --format that are not run here, and why.
NOT_RUN = {
    "cite": "its formats are bibtex, csl-json and ris (bibliographies, not answers)",
    "test-rules": "needs rule-test files, none of which ships with the package yet",
    "compare cow-igo": "needs COW imported: run by tests/test_docs_examples.py (slow)",
}


def _commands() -> Iterator[str]:
    """Every command path (``compare mia``) whose options include ``--format``."""

    def walk(name: str, cmd: Any, prefix: tuple[str, ...]) -> Iterator[str]:
        subs = getattr(cmd, "commands", None)
        if subs:
            for sub_name, sub in subs.items():
                yield from walk(sub_name, sub, (*prefix, name))
        elif any("--format" in getattr(p, "opts", []) for p in cmd.params):
            yield " ".join((*prefix, name))

    for module in PARTS:
        for name, cmd in load_part(module).items():
            yield from walk(name, cmd, ())


def _strict(text: str) -> Any:
    def refuse(token: str) -> Any:
        raise ValueError(f"not JSON: {token}")

    return json.loads(text, parse_constant=refuse)


def test_every_command_has_an_example() -> None:
    covered = {name for name, _ in EXAMPLES} | set(NOT_RUN)
    missing = sorted(set(_commands()) - covered)
    assert not missing, f"add an example to EXAMPLES (or a reason to NOT_RUN): {missing}"


def test_the_strict_parser_refuses_what_python_accepts() -> None:
    for token in ("NaN", "Infinity", "-Infinity"):
        assert json.loads(f"[{token}]")  # the lenient default
        with pytest.raises(ValueError, match=token):
            _strict(f"[{token}]")


@pytest.mark.parametrize(("name", "args"), EXAMPLES, ids=[" ".join(a) for _, a in EXAMPLES])
def test_json_answers_are_strict(name: str, args: list[str]) -> None:
    result = invoke(*args, "--format", "json")
    assert result.code == 0, result.stdout[-2000:] + result.stderr
    data = _strict(result.stdout)
    assert data not in (None, [], {}), f"{name} answered nothing to check"


def test_the_api_answers_strict_json_or_a_500_that_says_where() -> None:
    """A NaN bound for an API answer is never sent: a 500 names where it sat."""
    import warnings

    from fastapi import FastAPI

    from scomodel.api.problems import StrictJSONResponse, install_handlers

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    app = FastAPI(default_response_class=StrictJSONResponse)
    install_handlers(app)

    @app.get("/ok")
    def ok() -> Any:
        return {"x": [1.5, None]}

    @app.get("/bad", response_model=None)
    def bad() -> Any:
        return {"rounds": [{"median": float("nan")}]}

    @app.get("/typed")
    def typed() -> Any:  # FastAPI's own serializer (a response model) writes null
        return {"x": float("inf")}

    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/ok").content == b'{"x":[1.5,null]}'
    answer = client.get("/bad")
    assert answer.status_code == 500 and "$.rounds[0].median" in answer.json()["detail"]
    assert _strict(client.get("/typed").text) == {"x": None}
