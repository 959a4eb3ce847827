"""The data package validates with frictionless; the codebook in docs/ is the generated one."""

from __future__ import annotations

import json
from pathlib import Path

import frictionless
import pytest
from typer.testing import CliRunner

from scomodel.cli import app
from scomodel.registry.codebook import codebook_pages
from scomodel.registry.tables import TABLES, edtf_of

DOCS = Path(__file__).resolve().parents[2] / "docs" / "codebook"


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dp")
    result = CliRunner().invoke(app, ["export", "datapackage", str(folder), "--panels",
                                      "org-year"])
    assert result.exit_code == 0, result.output
    return folder / "datapackage.json"


def test_package_validates_with_frictionless_including_foreign_keys(package):
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]
    descriptor = json.loads(package.read_text())
    names = {r["name"] for r in descriptor["resources"]}
    assert set(TABLES) | {"panel-org-year"} <= names
    assert descriptor["scomodel"]["fingerprint"]
    citations = next(r for r in descriptor["resources"] if r["name"] == "citations")
    assert citations["schema"]["foreignKeys"][0]["reference"]["resource"] == "sources"


def test_a_broken_row_fails_validation(package, tmp_path):
    import shutil

    copy = tmp_path / "dp"
    shutil.copytree(package.parent, copy)
    citations = copy / "citations.csv"
    lines = citations.read_text().splitlines()
    head = lines[0].split(",")
    first = lines[1].split(",")
    first[head.index("source")] = "no-such-source"
    citations.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n")
    assert not frictionless.validate(str(copy / "datapackage.json")).valid


def test_spells_table_marks_procedures_and_edtf(package):
    import pandas as pd

    spells = pd.read_csv(package.parent / "spells.csv", keep_default_na=False)
    assert set(spells.status_kind) == {"standing", "procedure"}
    india = spells[(spells.org == "SCO") & (spells.actor == "IND")]
    assert "acceding" in set(india.status) or "applicant" in set(india.status)
    assert (spells.loc[spells.end == "", "end_edtf"] == "..").all()


def test_edtf_strings_parse():
    import edtf

    for text in [edtf_of("2004"), edtf_of("2004-06"), edtf_of("2004-06-17", uncertain=True)]:
        assert edtf.parse_edtf(text) is not None


def test_codebook_in_docs_is_the_generated_one():
    for name, text in codebook_pages().items():
        path = DOCS / f"{name}.md"
        assert path.exists(), f"run `scomodel export codebook docs/codebook` ({name})"
        assert path.read_text() == text, f"docs/codebook/{name}.md is stale: regenerate it"
