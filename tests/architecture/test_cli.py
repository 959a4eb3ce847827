"""The three commands through Typer: JSON contracts, plots, and errors as exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scomodel.cli import app, main

runner = CliRunner()


def _json(args: list[str]) -> object:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_overlap_json_contract() -> None:
    pairs = _json(["overlap", "--on", "2009-06-01", "--format", "json"])
    assert isinstance(pairs, list) and pairs
    assert {"a", "b", "shared_members", "jaccard", "shared_fields"} <= set(pairs[0])
    row = next(p for p in pairs if (p["a"], p["b"]) == ("CSTO", "EURASEC"))
    assert row["jaccard"] == pytest.approx(5 / 7, abs=1e-4)
    assert row["shared_members"] == ["BLR", "KAZ", "KGZ", "RUS", "TJK"]


def test_overlap_field_filter_and_plot(tmp_path: Path) -> None:
    out = tmp_path / "heat.png"
    pairs = _json(["overlap", "--on", "2008-06-01", "--region", "central-asia", "--field",
                   "narcotics", "--format", "json", "--plot", str(out)])
    assert all("narcotics" in p["shared_fields"] for p in pairs)
    assert out.stat().st_size > 10_000


def test_network_json_export_and_csv() -> None:
    data = _json(["network", "--on", "2004-06-01", "--region", "central-asia", "--export",
                  "json"])
    assert isinstance(data, dict)
    kinds = {e["kind"] for e in data["edges"]}
    assert {"membership", "basing"} <= kinds
    result = runner.invoke(app, ["network", "--on", "2004-06-01", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("actor,in_region,memberships,bilateral")


def test_network_graphml(tmp_path: Path) -> None:
    import networkx as nx

    result = runner.invoke(app, ["network", "--on", "2004-06-01", "--export", "graphml"])
    assert result.exit_code == 0
    path = tmp_path / "g.graphml"
    path.write_text(result.stdout)
    graph = nx.read_graphml(path)
    assert graph.nodes["CSTO"]["kind"] == "organization"


def test_evolution_json_and_table(tmp_path: Path) -> None:
    data = _json(["evolution", "--from", "2000", "--to", "2002", "--region", "central-asia",
                  "--format", "json", "--plot", str(tmp_path / "evo.png")])
    assert isinstance(data, dict)
    assert len(data["summary"]) == 36
    assert {p["power"] for p in data["powers"]} == {"CHN", "RUS", "USA"}
    result = runner.invoke(app, ["evolution", "--from", "2000", "--to", "2002"])
    assert result.exit_code == 0 and "2002-01-01" in result.stdout


def test_evolution_json_from_the_kept_architecture_loads_no_pandas() -> None:
    """Once the architecture is pickled beside the store, the sweep and its JSON are NumPy
    and text only (pandas, through countrycode or a DataFrame, cost 0.3 s of 1.3 s)."""
    code = ("import json, sys\n"
            "sys.argv = ['scomodel', 'evolution', '--from', '2000', '--to', '2002', "
            "'--format', 'json']\n"
            "from scomodel.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = ('pandas', 'countrycode', 'sqlalchemy', 'networkx', 'matplotlib')\n"
            "print(json.dumps([m for m in heavy if m in sys.modules]), file=sys.stderr)\n")

    def run() -> tuple[str, list[str]]:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=os.environ.copy(), timeout=300, check=True)
        return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])

    built, _ = run()  # builds (or reuses) the store and the pickled architecture
    again, loaded = run()
    assert loaded == []
    assert again == built and json.loads(again)["pairs"]


@pytest.mark.parametrize("args", [
    ["network", "--on", "2010", "--format", "json"],
    ["network", "--on", "2004-06-01", "--region", "central-asia", "--format", "csv"],
    ["overlap", "--on", "2010", "--format", "json"],
    ["overlap", "--on", "2008", "--region", "central-asia", "--field", "narcotics"],
])
def test_network_and_overlap_from_the_kept_architecture_load_no_pandas(
        args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """The centrality table and the overlap pairs print from plain rows: neither pandas
    (0.5 s to import) nor NetworkX (0.16 s, and 0.27 s of betweenness) loads, and the text
    is what printing the DataFrame functions' answers gives (the API's path)."""
    from scomodel.architecture.cli import _architecture
    from scomodel.architecture.network import build_network, centrality
    from scomodel.architecture.overlap import overlap_pairs
    from scomodel.output import emit

    code = ("import json, sys\n"
            f"sys.argv = ['scomodel', *{args!r}]\n"
            "from scomodel.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = ('pandas', 'countrycode', 'sqlalchemy', 'networkx', 'matplotlib')\n"
            "print(json.dumps([m for m in heavy if m in sys.modules]), file=sys.stderr)\n")

    def run() -> tuple[str, list[str]]:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True,
                              env=os.environ.copy(), timeout=300, check=True)
        # bytes: CSV ends its lines with \r\n, which text mode would turn into \n
        return done.stdout.decode(), json.loads(done.stderr.decode().strip().splitlines()[-1])

    run()  # builds (or reuses) the store and the pickled architecture
    printed, loaded = run()
    assert loaded == []
    options = dict(zip(args[3::2], args[4::2], strict=True))
    arch, on, region, fmt = _architecture(), args[2], options.get("--region"), options.get(
        "--format", "table")
    if args[0] == "network":
        frame = centrality(build_network(arch, on, region=region))
        emit(frame, fmt, title=f"Centrality on {on}")
    else:
        frame = overlap_pairs(arch, on, region=region, field=options.get("--field"))
        emit(frame, fmt, title=f"Overlap on {on}", columns=None if fmt == "json" else [
            "a", "b", "jaccard", "n_shared", "shared_members", "shared_fields"])
    assert len(frame) > 3 and printed == capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["overlap", "--on", "2008-13-01"], "[on]"),
    (["overlap", "--on", "2008", "--region", "mars"], "unknown region"),
    (["network", "--on", "2008", "--export", "xml"], "unknown export"),
    (["evolution", "--from", "2010", "--to", "2001"], "before"),
])
def test_bad_input_exits_2_without_traceback(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str],
                                             args: list[str], message: str) -> None:
    monkeypatch.setattr(sys, "argv", ["scomodel", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_empty_date_gives_empty_json_and_a_readable_figure(tmp_path: Path) -> None:
    out = tmp_path / "empty.png"
    # before the UN (1945), the earliest organization in the data
    assert _json(["overlap", "--on", "1940-01-01", "--format", "json", "--plot",
                  str(out)]) == []
    assert out.stat().st_size > 1_000
