"""Fuzzing every file parser with mutations of real files.

Each parser gets real inputs (a scenario, a KTAB CSV, an SMP scenario, a proceeding, a
rulebook, a curated spells file, a COW-layout CSV) mutated by hypothesis: bytes flipped,
cut at any point, lines dropped or duplicated, a value replaced by a hostile one (NaN,
1e309, a huge number, an impossible date, an alias, a tag, a wrong type). The property:
the file loads, or the parser raises scomodel's own error with one line; any other
exception fails the test.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from scomodel.errors import ScomodelError

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "src" / "scomodel"
KTAB = ROOT.parent / "shared" / "data" / "ktab"
GOOD = ROOT / "tests" / "registry" / "fixtures" / "good"

HOSTILE = [".nan", ".inf", "-.inf", "1e309", "99999999999999999999", "2010-02-30", "*nope",
           "&a [1]", "!!binary AAAA", "!!python/object:os.system {}", "[", "{", "''", "~",
           "-1", "0", "[[[[[[[[]]]]]]]]", "ÿþ", "a" * 2000]


@st.composite
def mutated(draw: Any, original: bytes) -> bytes:
    data = bytearray(original)
    kind = draw(st.sampled_from(["flip", "cut", "drop", "dup", "value", "value"]))
    lines = data.split(b"\n")
    if kind == "flip" and data:
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(data) - 1))
            data[i] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "cut":
        return bytes(data[: draw(st.integers(0, len(data)))])
    if kind in ("drop", "dup") and len(lines) > 1:
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "drop":
            del lines[i]
        else:
            lines.insert(i, lines[i])
        return b"\n".join(lines)
    i = draw(st.integers(0, max(len(lines) - 1, 0)))
    line = lines[i]
    sep = b": " if b": " in line else b","
    if sep in line:
        head, _, _ = line.partition(sep)
        lines[i] = head + sep + draw(st.sampled_from(HOSTILE)).encode()
    return b"\n".join(lines)


def _scenario(path: Path) -> Any:
    from scomodel.bargaining.scenario import load_scenario

    return load_scenario(str(path))


def _smp(path: Path) -> Any:
    from scomodel.bargaining.smp.loader import load_scenario

    return load_scenario(path)


def _proceeding(path: Path) -> Any:
    from scomodel.charter.proceeding_file import load_proceeding

    return load_proceeding(path)


def _rulebook(path: Path) -> Any:
    from scomodel.charter.loader import load_rulebook

    return load_rulebook(path)


def _spells(path: Path) -> Any:
    from scomodel.registry.loader import load_curated

    return load_curated(path.parent.parent)


CASES: list[tuple[str, Path, Callable[[Path], Any], str]] = [
    ("scenario-yaml", PKG / "scenarios" / "astana-2005-bases.yaml", _scenario, "x.yaml"),
    ("smp-yaml", PKG / "scenarios" / "smp" / "sco-two-wheels-2003.yaml", _smp, "x.yaml"),
    ("ktab-csv", KTAB / "SOE-Pol-Comp.csv", _smp, "x.csv"),
    ("proceeding", PKG / "data" / "rulebooks" / "examples" / "usa-dialogue-partner-2010.yaml",
     _proceeding, "x.yaml"),
    ("rulebook", PKG / "data" / "rulebooks" / "observers-2004.yaml", _rulebook, "x.yaml"),
]


def _check(load: Callable[[Path], Any], path: Path) -> None:
    try:
        load(path)
    except ScomodelError as exc:
        assert "\n" not in str(exc).strip(), str(exc)


@pytest.mark.parametrize(("name", "original", "load", "filename"), CASES,
                         ids=[c[0] for c in CASES])
def test_parser_refuses_or_loads(tmp_path, name, original, load, filename):
    if not original.exists():
        pytest.skip(f"{original} not available")
    data = original.read_bytes()
    _check(load, original)  # the real file itself loads
    count = [0]

    @hypothesis_seed(len(name))
    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(blob=mutated(data))
    def run(blob: bytes) -> None:
        count[0] += 1
        path = tmp_path / filename
        path.write_bytes(blob)
        _check(load, path)

    run()
    assert count[0] >= 40
    print(f"{name}: {count[0]} mutated files, 0 failures")


def test_curated_spells_file_refuses_or_loads(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(GOOD, folder)
    target = sorted((folder / "spells").glob("*.yaml"))[0]
    data = target.read_bytes()
    count = [0]

    @hypothesis_seed(7)
    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(blob=mutated(data))
    def run(blob: bytes) -> None:
        count[0] += 1
        target.write_bytes(blob)
        _check(_spells, target)

    run()
    assert count[0] >= 40
