"""Every validation rule of the curated files, each with the file, line and field it names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scomodel.errors import DataValidationError, InputError
from scomodel.registry.loader import load_curated


@pytest.fixture
def data(tmp_path: Path, good_data: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(good_data, target)
    return target


def write_spells(data: Path, body: str) -> Path:
    path = data / "spells" / "sco.yaml"
    path.write_text("org: SCO\nspells:\n" + body, encoding="utf-8")
    return path


SRC = "sources: [{source: zhao2004, locator: x}]"


def test_good_fixture_loads(good_data: Path) -> None:
    data = load_curated(good_data)
    assert len(data.spells) == 9
    assert set(data.organizations) == {"SCO", "SHANGHAI5"}
    assert data.facts[0].id == "sco-chs-2005-astana"


def test_end_before_start(data: Path) -> None:
    path = write_spells(
        data,
        f"  - {{actor: CHN, status: member, start: '2001-06-15', end: '2001-06-15', {SRC}}}\n"
        f"  - {{actor: KAZ, status: member, start: '2001-06-15', end: '1999', {SRC}}}\n",
    )
    with pytest.raises(DataValidationError) as err:
        load_curated(data)
    assert err.value.file == str(path)
    assert err.value.line == 3
    assert err.value.field == "end"
    assert "not after start" in err.value.message


def test_unknown_status_names_line_and_field(data: Path) -> None:
    path = write_spells(
        data,
        f"  - {{actor: CHN, status: member, start: '2001-06-15', {SRC}}}\n"
        f"  - {{actor: KAZ, status: ally, start: '2001-06-15', {SRC}}}\n",
    )
    with pytest.raises(DataValidationError) as err:
        load_curated(data)
    assert (err.value.file, err.value.line, err.value.field) == (str(path), 4, "spells.1.status")
    assert "'member'" in err.value.message


def test_unknown_actor(data: Path) -> None:
    write_spells(data, f"  - {{actor: XQZ, status: member, start: '2001-06-15', {SRC}}}\n")
    with pytest.raises(DataValidationError, match="unknown actor 'XQZ'") as err:
        load_curated(data)
    assert (err.value.line, err.value.field) == (3, "actor")


def test_fact_without_source(data: Path) -> None:
    path = data / "facts" / "summits.yaml"
    path.write_text(
        "facts:\n  - id: x\n    kind: summit\n    about: [SCO]\n    date: '2001'\n"
        "    title: A summit\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError, match="required field is missing") as err:
        load_curated(data)
    assert (err.value.file, err.value.field) == (str(path), "facts.0.sources")


def test_spell_with_empty_sources(data: Path) -> None:
    write_spells(data, "  - {actor: CHN, status: member, start: '2001-06-15', sources: []}\n")
    with pytest.raises(DataValidationError, match="at least 1") as err:
        load_curated(data)
    assert err.value.field == "spells.0.sources"


def test_unknown_source_key(data: Path) -> None:
    write_spells(
        data, "  - {actor: CHN, status: member, start: '2001', sources: [{source: nobody}]}\n"
    )
    with pytest.raises(DataValidationError, match="unknown source key 'nobody'") as err:
        load_curated(data)
    assert err.value.line == 3


def test_overlapping_spells(data: Path) -> None:
    write_spells(
        data,
        f"  - {{actor: CHN, status: member, start: '2001-06-15', {SRC}}}\n"
        f"  - {{actor: CHN, status: observer, start: '2004', {SRC}}}\n",
    )
    with pytest.raises(DataValidationError, match="overlapping spells") as err:
        load_curated(data)
    assert err.value.line == 3


def test_observer_must_end_when_membership_begins(data: Path) -> None:
    write_spells(
        data,
        f"  - {{actor: IND, status: observer, start: '2005-07-05', {SRC}}}\n"
        f"  - {{actor: IND, status: member, start: '2017-06-09', {SRC}}}\n",
    )
    with pytest.raises(DataValidationError, match='set end: "2017-06-09"') as err:
        load_curated(data)
    assert (err.value.line, err.value.field) == (3, "end")


def test_observer_ending_on_membership_day_is_valid(data: Path) -> None:
    write_spells(
        data,
        f"  - {{actor: IND, status: observer, start: '2005-07-05', end: '2017-06-09', {SRC}}}\n"
        f"  - {{actor: IND, status: member, start: '2017-06-09', {SRC}}}\n",
    )
    assert len(load_curated(data).spells) == 4  # 2 here + 2 Shanghai Five


def test_follows_must_name_an_event(data: Path) -> None:
    write_spells(
        data,
        "  - actor: LKA\n    status: dialogue_partner\n    start: '2010-05-06'\n"
        f"    events: [{{kind: decision, date: '2009-06-16', {SRC}}}]\n"
        f"    follows: memorandum\n    {SRC}\n",
    )
    with pytest.raises(DataValidationError, match="'follows' must name") as err:
        load_curated(data)
    assert err.value.line == 3


def test_misspelt_field(data: Path) -> None:
    write_spells(data, f"  - {{actor: CHN, status: member, begin: '2001', {SRC}}}\n")
    with pytest.raises(DataValidationError) as err:
        load_curated(data)
    assert err.value.field in {"spells.0.begin", "spells.0.start"}


def test_bad_date(data: Path) -> None:
    write_spells(data, f"  - {{actor: CHN, status: member, start: '2001-02-30', {SRC}}}\n")
    with pytest.raises(DataValidationError, match="not a calendar date") as err:
        load_curated(data)
    assert err.value.field == "spells.0.start"


def test_yaml_syntax_error_names_line(data: Path) -> None:
    path = data / "spells" / "sco.yaml"
    path.write_text("org: SCO\nspells:\n  - {actor: CHN, status: member\n  - oops: [\n")
    with pytest.raises(InputError, match="invalid YAML") as err:
        load_curated(data)
    assert err.value.file == str(path) and err.value.line is not None


def test_duplicate_fact_id(data: Path) -> None:
    shutil.copy(data / "facts" / "summits.yaml", data / "facts" / "again.yaml")
    with pytest.raises(DataValidationError, match="duplicate fact id"):
        load_curated(data)


def test_unknown_organization_file(data: Path) -> None:
    (data / "spells" / "nato.yaml").write_text(
        f"org: NATO\nspells:\n  - {{actor: USA, status: member, start: '1949', {SRC}}}\n"
    )
    with pytest.raises(DataValidationError, match="unknown organization 'NATO'") as err:
        load_curated(data)
    assert err.value.field == "org"


def test_real_data_loads() -> None:
    """The package's own curated data passes every rule above."""
    data = load_curated()
    assert data.spells and data.sources


def test_control_character_is_a_clean_error(data: Path) -> None:
    path = data / "spells" / "sco.yaml"
    path.write_text("org: SCO\nspells:\n  - {actor: CHN\x7f, status: member}\n")
    with pytest.raises(InputError, match="invalid YAML") as err:
        load_curated(data)
    assert err.value.file == str(path) and err.value.line == 3
