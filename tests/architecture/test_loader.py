"""The architecture files: the real ones load, and mistakes name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from scomodel.architecture.loader import load_architecture
from scomodel.errors import DataValidationError, InputError
from scomodel.registry.loader import load_curated


def test_real_files_load_and_cross_check() -> None:
    data = load_architecture()
    assert "counter_terrorism" in data.fields
    assert data.tiers["CSTO"] == "regional"
    mou = next(m for m in data.mandates if m.id == "sco-csto-mou-2007")
    # masuda2011 fn 16: (a) stability (b) terrorism (c) narcotics (d) arms (e) crime (f) other
    assert mou.fields == ["regional_stability", "counter_terrorism", "narcotics",
                          "illegal_arms", "organized_crime"]
    assert mou.disputed[0].value == "2007-09"
    manas = next(a for a in data.arrangements if a.id == "usa-kgz-manas")
    assert (manas.start, manas.end, manas.tier) == ("2001-12", "2014-06-03", "bilateral")
    assert data.regions["central-asia"].members == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]


def test_every_architecture_state_is_a_known_actor() -> None:
    directory = load_curated().directory()
    data = load_architecture()
    codes = {p for a in data.arrangements for p in a.parties}
    codes |= {m for r in data.regions.values() for m in r.members}
    for code in sorted(codes):
        assert directory.resolve(code).code == code


def test_spells_of_the_neighbouring_mechanisms_validate() -> None:
    spells = [s for s in load_curated().spells
              if s.org in {"CSTO", "CIS", "EURASEC", "EAEU", "PFP", "OSCE", "CAREC", "ARF"}]
    uzb = [(s.spell.status, s.spell.start, s.spell.end) for s in spells
           if s.org == "CSTO" and s.spell.actor == "UZB"]
    assert uzb == [("member", "1992-05-15", "1999-04-20"),
                   ("member", "2006-06-23", "2012-12-19"),
                   ("suspended", "2012-12-19", None)]
    geo_cis = [s.spell.end for s in spells if s.org == "CIS" and s.spell.actor == "GEO"]
    assert geo_cis == ["2009-08-18"]


def _write(small_dir: Path, name: str, text: str) -> None:
    (small_dir / name).write_text(text.lstrip(), encoding="utf-8")


def test_unknown_field_code_names_file_line_field(small_dir: Path) -> None:
    _write(small_dir, "bilateral.yaml", """
arrangements:
  - {id: ok, kind: treaty, parties: [XXX, YYY], title: T, start: "2000",
     sources: [{source: src}]}
  - {id: bad, kind: treaty, parties: [XXX, YYY], title: T, start: "2000",
     fields: [piracy], sources: [{source: src}]}
""")
    with pytest.raises(DataValidationError) as err:
        load_architecture(small_dir)
    assert err.value.line == 4 and err.value.field == "fields"
    assert err.value.file and err.value.file.endswith("bilateral.yaml")
    assert "unknown field 'piracy'" in str(err.value)


def test_mistyped_key_and_bad_date(small_dir: Path) -> None:
    _write(small_dir, "regions.yaml", """
regions:
  - {code: inner, name: Inner, members: [XXX], sources: [{source: src}], memebers: []}
""")
    with pytest.raises(DataValidationError, match="unknown field") as err:
        load_architecture(small_dir)
    assert err.value.field == "regions.0.memebers"
    _write(small_dir, "regions.yaml", "regions:\n  - {code: inner, name: I, members: [XXX], "
                                      "sources: [{source: src}]}\n")
    _write(small_dir, "bilateral.yaml", """
arrangements:
  - {id: x, kind: treaty, parties: [XXX, YYY], title: T, start: "2005", end: "2001",
     sources: [{source: src}]}
""")
    with pytest.raises(DataValidationError, match="not after start"):
        load_architecture(small_dir)


def test_unknown_source_and_organization(small_dir: Path) -> None:
    _write(small_dir, "fields.yaml", "fields:\n  - {code: economy, label: E, sources: "
                                     "[{source: nowhere}]}\n")
    with pytest.raises(DataValidationError, match="unknown source key 'nowhere'"):
        load_architecture(small_dir)


def test_invalid_yaml_names_its_line(small_dir: Path) -> None:
    _write(small_dir, "mandates.yaml", "tiers: []\nmandates:\n  - {id: x\n")
    with pytest.raises(InputError) as err:
        load_architecture(small_dir)
    assert err.value.line is not None
