"""The instant CLI: lazy parts, the prebuilt registry index, and the CLI's manners.

No timing is asserted here (the machine is shared); what makes the CLI fast is checked
structurally instead: which modules a query imports, that the index answers exactly as
the registry does, and that it is ignored as soon as the store or the data change.
``benchmarks/bench_cli.py`` measures the wall times.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scomodel.cli import COMMANDS, PARTS, app, load_part
from scomodel.output import to_plain
from scomodel.registry import Registry
from scomodel.registry import fastindex as fi

runner = CliRunner()
HEAVY = ("pandas", "sqlalchemy", "fastapi", "matplotlib", "ruamel.yaml", "countrycode",
         "networkx", "scomodel.registry.core", "scomodel.api")
COW_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "cow_igo_v3"


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch, good_data: Path, tmp_path: Path) -> Path:
    db = tmp_path / "store.sqlite"
    monkeypatch.setenv("SCOMODEL_DATA", str(good_data))
    monkeypatch.setenv("SCOMODEL_DB", f"sqlite:///{db}")
    return db


def test_parts_table_lists_what_each_part_registers() -> None:
    registered: dict[str, set[str]] = {}
    for module in PARTS:
        try:
            registered[module] = set(load_part(module))
        except ModuleNotFoundError:  # an extra that is not installed here
            continue
        assert set(PARTS[module]) <= registered[module], module
    everything = set().union(*registered.values())
    assert everything <= set(COMMANDS), everything - set(COMMANDS)


def _run_in_subprocess(*args: str) -> tuple[list[str], str]:
    code = (
        "import json, sys\n"
        f"sys.argv = ['scomodel', *{list(args)!r}]\n"
        "from scomodel.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=120, check=True)
    *answer, loaded = done.stdout.rstrip("\n").split("\n")
    return json.loads(loaded), "\n".join(answer)


def test_a_query_imports_no_heavy_module_once_indexed(store: Path) -> None:
    first, answer = _run_in_subprocess("status", "IND", "SCO", "--on", "2010-01-01",
                                       "--format", "json")
    assert "scomodel.registry.core" in first  # no index yet: the registry answers
    assert fi.index_path(store).exists()
    for command in (["status", "IND", "SCO", "--on", "2010-01-01"], ["members", "SCO",
                    "--on", "2005-07-06"], ["orgs", "IND", "--on", "2016"],
                    ["timeline", "MNG"]):
        loaded, again = _run_in_subprocess(*command, "--format", "json")
        assert loaded == [], (command, loaded)
        assert json.loads(again)
    assert json.loads(answer) == json.loads(
        _run_in_subprocess("status", "IND", "SCO", "--on", "2010-01-01", "--format",
                           "json")[1])


def _same(index: fi.FastIndex, registry: Registry, name: str, *args: object,
          **kwargs: object) -> bool:
    """The index's answer equals the registry's; ``False`` if it leaves this one to it."""
    try:
        got = getattr(index, name)(*args, **kwargs)
    except fi.Fallback:
        return False
    assert got == to_plain(getattr(registry, name)(*args, **kwargs)), (name, args, kwargs)
    return True


def _compare_everything() -> tuple[int, int]:
    """(answered by the index, left to the registry) over every organization and actor."""
    registry = Registry.open()
    fi.query("status", "IND", "SCO", "2010")  # writes the index if there is none
    index = fi.FastIndex.fresh()
    assert index is not None
    orgs = registry.organizations()
    actors = sorted({r.actor for r in registry.spells()} | {r.actor for r in
                                                           registry.spells(dataset="cow")})
    days = ["1996", "2001-06", "2001-06-15", "2005-07-05", "2005-07-06", "2017-06-09",
            "2024", "1950", "2010-13-01"]
    answers = []
    for org in [*orgs, "NOPE", "IND", "shanghai cooperation organisation"]:
        for day in days:
            for dataset in ("auto", "curated", "cow", "bogus"):
                answers.append(_same(index, registry, "members", org, day, dataset=dataset))
            answers.append(_same(index, registry, "members", org, day, "observer"))
        answers.append(_same(index, registry, "members", org, "2005", "no-such-status"))
    for actor in [*actors, "703", "COW315", "Kazakhstan", "india", "ZZZ", "", "SCO"]:
        for day in days:
            answers.append(_same(index, registry, "orgs", actor, day))
            for org in orgs[:6]:
                answers.append(_same(index, registry, "status", actor, org, day))
        answers.append(_same(index, registry, "timeline", actor))
        answers.append(_same(index, registry, "timeline", actor, "SCO"))
    # codes and exact names never fall back
    assert _same(index, registry, "status", "India", "shanghai cooperation organisation",
                 "2010")
    assert _same(index, registry, "orgs", "703", "2001-06-15")
    assert not _same(index, registry, "orgs", "ZZZ", "2001")
    return sum(answers), len(answers) - sum(answers)


def test_index_answers_as_the_registry_does(store: Path) -> None:
    answered, _ = _compare_everything()
    assert answered > 100


def test_index_answers_as_the_registry_does_on_the_package_data(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SCOMODEL_DATA", raising=False)
    monkeypatch.setenv("SCOMODEL_DB", str(tmp_path / "store.sqlite"))
    answered, _ = _compare_everything()
    assert answered > 1000


@pytest.mark.skipif(not COW_DIR.exists(), reason="COW IGO v3 not available")
def test_index_answers_as_the_registry_does_with_cow(store: Path, good_data: Path,
                                                     tmp_path: Path) -> None:
    from scomodel.registry.cow import import_cow_igo

    keep = {"SCO", "NATO", "CIS", "ASEAN", "OSCE", "CSTO", "ECO", "UN"}
    small = tmp_path / "cow"
    small.mkdir()
    with gzip.open(COW_DIR / "igo_year_format3.csv.gz", "rt", newline="") as src, \
            open(small / "igo_year_format3.csv", "w", newline="") as dst:
        reader, writer = csv.reader(src), csv.writer(dst)
        writer.writerow(next(reader))
        writer.writerows(row for row in reader if row[0] in keep)
    for other in COW_DIR.iterdir():
        if other.name.startswith("state_year"):
            shutil.copy(other, small / other.name)
    import_cow_igo(small)
    answered, _ = _compare_everything()
    assert answered > 1000


def test_index_is_ignored_when_the_store_or_the_data_change(
        monkeypatch: pytest.MonkeyPatch, good_data: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(good_data, data)
    monkeypatch.setenv("SCOMODEL_DATA", str(data))
    monkeypatch.setenv("SCOMODEL_DB", str(tmp_path / "store.sqlite"))
    assert fi.query("members", "SCO", "2005-07-06") is None  # builds the index
    assert fi.FastIndex.fresh() is not None
    before = fi.query("members", "SCO", "2005-07-06")
    assert before is not None
    # a write to a what-if copy changes only that copy (its own revision): the curated
    # answers the index gives stay right, so the index stays fresh and answers the same
    whatif = Registry.open(whatif="fast")
    whatif.add_fact({"id": "x", "kind": "summit", "date": "2005", "title": "t",
                     "about": ["SCO"], "sources": [{"source": "masuda2011"}]})
    assert fi.query("members", "SCO", "2005-07-06") == before
    # an edited data file: the index is stale, the registry rebuilds and answers the edit
    spells = next(data.rglob("spells/*.yaml"))
    spells.write_text(spells.read_text() + "\n")
    assert fi.FastIndex.fresh() is None


def test_postgres_and_whatif_take_the_slow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCOMODEL_DB", "postgresql://localhost/none")
    assert fi.locate() is None and fi.FastIndex.fresh() is None


# -- manners ------------------------------------------------------------------------------


def test_tables_fit_a_narrow_terminal_and_json_ignores_it(store: Path) -> None:
    narrow = runner.invoke(app, ["members", "SCO", "--on", "2005-07-06"],
                           env={"COLUMNS": "60"})
    assert narrow.exit_code == 0, narrow.output
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 60
    assert "IND" in narrow.stdout and "MNG" in narrow.stdout
    wide = runner.invoke(app, ["members", "SCO", "--on", "2005-07-06"],
                         env={"COLUMNS": "250"})
    assert max(len(line) for line in wide.stdout.splitlines()) > 60
    as_json = [runner.invoke(app, ["members", "SCO", "--on", "2005-07-06", "--format", f],
                             env={"COLUMNS": w}).stdout for f in ("json", "csv")
               for w in ("40", "250")]
    assert as_json[0] == as_json[1] and as_json[2] == as_json[3]
    assert json.loads(as_json[0])


def test_an_empty_answer_says_so(store: Path) -> None:
    table = runner.invoke(app, ["status", "USA", "SCO", "--on", "2010"])
    assert table.exit_code == 0, table.output
    assert table.stdout.strip() == "USA held no status in SCO on 2010."
    assert json.loads(runner.invoke(app, ["status", "USA", "SCO", "--on", "2010",
                                          "--format", "json"]).stdout) == []
    members = runner.invoke(app, ["members", "SCO", "--on", "1990"])
    assert members.stdout.strip() == "No one held a status in SCO on 1990."


def test_a_command_that_writes_a_file_says_where(store: Path, tmp_path: Path) -> None:
    png = tmp_path / "mng.png"
    done = runner.invoke(app, ["timeline", "MNG", "--plot", str(png), "--format", "json"])
    assert done.exit_code == 0, done.output
    assert png.exists() and str(png) in done.stderr


def test_evolution_by_day_summarises_unless_full() -> None:
    args = ["evolution", "--from", "2001", "--to", "2001", "--step", "day", "--format", "json"]
    short = runner.invoke(app, args)
    assert short.exit_code == 0, short.output
    summary = json.loads(short.stdout)
    assert "pairs" not in summary and "actors" not in summary
    assert summary["omitted"]["series"] == ["pairs", "actors"] and "--full" in short.stderr
    assert len(summary["summary"]) == 365 and summary["powers"]
    full = json.loads(runner.invoke(app, [*args, "--full"]).stdout)
    assert full["summary"] == summary["summary"] and full["powers"] == summary["powers"]
    assert {p["date"] for p in full["pairs"]} >= {"2001-09-11"} and full["actors"]
    monthly = json.loads(runner.invoke(app, ["evolution", "--from", "2001", "--to", "2001",
                                             "--format", "json"]).stdout)
    assert len(monthly["summary"]) == 12 and monthly["pairs"] and "omitted" not in monthly


def test_a_sweep_that_writes_a_figure_says_where(tmp_path: Path) -> None:
    png = tmp_path / "overlap.png"
    done = runner.invoke(app, ["overlap", "--on", "2010", "--plot", str(png), "--format",
                               "json"])
    assert done.exit_code == 0, done.output
    assert png.exists() and str(png) in done.stderr


def test_an_index_that_disagrees_with_the_registry_disables_itself(
        store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = Registry.open()
    fi.query("members", "SCO", "2005-07-06")  # builds the index
    index = fi.FastIndex.fresh()
    assert index is not None and not index.header.get("disabled")
    assert fi.self_check(index, registry) is None

    class Changed:  # a registry whose answers gained a field at query time
        def __getattr__(self, name: str) -> object:
            return getattr(registry, name)

        def members(self, *args: object, **kwargs: object) -> list[dict]:
            return [{**to_plain(r), "new": 1} for r in registry.members(*args, **kwargs)]

    assert "members" in (fi.self_check(index, Changed()) or "")
    monkeypatch.setattr(fi, "self_check", lambda index, registry: "changed")
    db, data = fi.locate()  # type: ignore[misc]
    fi.write_index(registry, db, data, fi._revision(db))  # type: ignore[arg-type]
    disabled = fi.FastIndex.fresh()
    assert disabled is not None and disabled.header["disabled"] == "changed"
    assert fi.query("members", "SCO", "2005-07-06") is None  # the registry answers
    assert fi.FastIndex.fresh().header["disabled"] == "changed"  # type: ignore[union-attr]


def test_bargain_says_where_it_wrote_its_figure(tmp_path: Path) -> None:
    png = tmp_path / "bases.png"
    done = runner.invoke(app, ["bargain", "astana-2005-bases", "--plot", str(png),
                               "--format", "json"])
    assert done.exit_code == 0, done.output
    assert png.exists() and f"figure written to {png}" in done.stderr


def test_shell_completion_knows_the_lazy_commands() -> None:
    env = {**os.environ, "_SCOMODEL_COMPLETE": "complete_bash", "COMP_WORDS": "scomodel sta",
           "COMP_CWORD": "1"}
    script = Path(sys.executable).parent / "scomodel"  # completion keys on the program name
    if not script.exists():
        pytest.skip("the scomodel entry point is not installed beside this Python")
    done = subprocess.run([str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert done.stdout.split() == ["status"]
    help_text = runner.invoke(app, ["--help"]).stdout
    assert "--install-completion" in help_text and "overlap" in help_text
