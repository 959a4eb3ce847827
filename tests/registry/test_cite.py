"""cite --for: exactly the sources behind an answer's rows; formats; the API's ?cite=1."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from scomodel.cli import app
from scomodel.registry import Registry
from scomodel.registry.cite import render, source_keys

runner = CliRunner()


def _keys_of_bibtex(text: str) -> set[str]:
    return {line.split("{", 1)[1].rstrip(",") for line in text.splitlines()
            if line.startswith("@")}


def test_cite_for_members_gives_exactly_the_rows_sources():
    reg = Registry.open()
    rows = reg.members("SCO", "2005-07-06")
    expected = {ref["source"] for r in rows for ref in r.sources}
    for r in rows:  # the procedures beside a row are rows of the answer too
        for other in getattr(r, "beside", None) or []:
            expected |= {ref["source"] for ref in other.get("sources", [])}
    result = runner.invoke(app, ["cite", "--for", "members", "SCO", "--on", "2005-07-06"])
    assert result.exit_code == 0, result.output
    assert _keys_of_bibtex(result.stdout) == expected


def test_cite_formats_and_the_project_entry():
    plain = runner.invoke(app, ["cite"])
    assert plain.exit_code == 0 and "@misc{scomodel," in plain.stdout
    assert "@" in plain.stdout and "zhao2004" in plain.stdout
    csl = runner.invoke(app, ["cite", "--format", "csl-json", "--for", "status", "MNG", "SCO",
                              "--on", "2005-01-01"])
    assert csl.exit_code == 0
    items = json.loads(csl.stdout)
    assert items and all("title" in i and "id" in i for i in items)
    ris = runner.invoke(app, ["cite", "--format", "ris", "--for", "status", "MNG", "SCO",
                              "--on", "2005-01-01"])
    assert ris.stdout.count("ER  - ") == len(items)
    bad = runner.invoke(app, ["cite", "--format", "apa"])
    assert bad.exit_code != 0


def test_source_keys_walks_nested_answers():
    answer = [{"sources": [{"source": "a"}], "beside": [{"sources": [{"source": "b"}]}]},
              {"x": {"sources": [{"source": "a"}, {"source": "c"}]}}]
    assert source_keys(answer) == ["a", "b", "c"]


def test_render_escapes_bibtex():
    text = render([{"key": "k", "kind": "news", "title": "A & B_C", "year": 2001}])
    assert r"A \& B\_C" in text


def test_api_cite_parameter():
    from fastapi.testclient import TestClient

    from scomodel.api.app import create_app

    client = TestClient(create_app())
    answer = client.get("/api/members/SCO", params={"on": "2005-07-06", "cite": "1"})
    assert answer.status_code == 200 and answer.text.startswith("@")
    rows = client.get("/api/members/SCO", params={"on": "2005-07-06"}).json()
    assert _keys_of_bibtex(answer.text) == set(source_keys(rows))
    assert client.get("/api/members/SCO", params={"on": "2005", "cite": "mla"}).status_code \
        == 422
