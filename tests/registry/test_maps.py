"""The status map: decoded shapes, one cell per state, the figures and ``scomodel map``.

Expectations come from the registry's own answer (``members``), never from numbers typed
here, except the shape facts read off the Natural Earth file (India lies between 68°E and
98°E, Russia crosses the antimeridian).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from scomodel.registry import Registry
from scomodel.registry.map_plots import _MapAxes, status_colour
from scomodel.registry.maps import NO_STATUS, map_cells, shapes, svg_shapes
from scomodel.registry.plots import STATUS_COLOURS
from tests.clirun import invoke


def _standing(on: str) -> dict[str, str]:
    result = invoke("members", "SCO", "--on", on, "--format", "json")
    assert result.code == 0, result.error
    return {r["actor"]: r["status"] for r in json.loads(result.stdout) if r["kind"] == "standing"}


def test_shapes_decode_with_iso3_codes() -> None:
    found = {s.iso3: s for s in shapes() if s.iso3}
    assert len(found) > 170 and "ATA" not in found
    lons = [lon for ring in found["IND"].rings for lon, _ in ring]
    assert 68 < min(lons) < 69 and 97 < max(lons) < 98
    # no ring jumps across the map: Chukotka and Fiji are split at 180°
    for shape in shapes():
        for ring in shape.rings:
            assert all(abs(a[0] - b[0]) <= 180 for a, b in zip(ring, ring[1:], strict=False))
    assert max(lon for ring in found["RUS"].rings for lon, _ in ring) == pytest.approx(180)
    svg = svg_shapes()
    assert {s["iso3"] for s in svg["shapes"]} >= {"IND", "IRN", "BLR"}
    assert all(s["d"].startswith("M") for s in svg["shapes"])


@pytest.mark.parametrize("on", ["2005-07-06", "2017-06-10", "2024-07-05"])
def test_cells_are_the_registry_answer(on: str) -> None:
    cells = map_cells(Registry.open(), "SCO", on)
    assert {c.actor: c.status for c in cells if c.status} == _standing(on)


def test_an_acceding_observer_is_an_observer_with_a_mark() -> None:
    cells = {c.actor: c for c in map_cells(Registry.open(), "SCO", "2016-06-01")}
    assert cells["IND"].status == "observer" and cells["IND"].procedures == ["acceding"]
    assert cells["MNG"].procedures == []
    assert Counter(c.status for c in cells.values())["observer"] == Counter(
        _standing("2016-06-01").values())["observer"]


def test_drawn_colours_follow_the_statuses() -> None:
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    cells = map_cells(Registry.open(), "SCO", "2016-06-01")
    fig, ax = plt.subplots()
    drawn = _MapAxes(ax)
    drawn.show(cells)
    fills = [to_hex(c) for c in drawn.base.get_facecolors()]
    codes = [drawn.codes[i] for i in drawn.owner]
    colour = {code: fill for code, fill in zip(codes, fills, strict=True)}
    plt.close(fig)
    assert colour["IND"] == STATUS_COLOURS["observer"] == status_colour("observer")
    assert colour["CHN"] == STATUS_COLOURS["member"]
    assert colour["USA"] == NO_STATUS
    assert drawn.hatched is not None and len(drawn.hatched.get_paths()) >= 2  # IND, PAK


def test_map_command_writes_png_grid_and_gif(tmp_path: Path) -> None:
    out = tmp_path / "map.png"
    result = invoke("map", "SCO", "--on", "2024-07-05", "--out", str(out))
    assert result.code == 0, result.error
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and Image.open(out).size[0] > 800
    grid = tmp_path / "grid.png"
    assert invoke("map", "SCO,CSTO,EAEU,CIS", "--on", "2024", "--out", str(grid)).code == 0
    assert Image.open(grid).size[1] > Image.open(out).size[1]
    gif = tmp_path / "anim.gif"
    result = invoke("map", "SCO", "--from", "2015", "--to", "2018", "--out", str(gif))
    assert result.code == 0, result.error
    frames = Image.open(gif).n_frames
    assert f"animation of {frames} frames" in result.stdout and frames >= 3


@pytest.mark.parametrize(("args", "field"), [
    (["NOPE", "--on", "2024"], "[org]"),
    (["SCO", "--on", "2023-02-30"], "[on]"),
    (["SCO"], "[on]"),
    (["SCO", "--on", "2024", "--from", "2001", "--to", "2002"], "[on]"),
    (["SCO", "--from", "2001"], "[to]"),
    (["SCO,CSTO", "--from", "2001", "--to", "2002"], "[org]"),
])
def test_map_command_refuses_bad_input(args: list[str], field: str, tmp_path: Path) -> None:
    result = invoke("map", *args, "--out", str(tmp_path / "x.gif" if "--from" in args
                                                   else tmp_path / "x.png"))
    assert result.code == 2 and field in result.error
