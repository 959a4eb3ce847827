"""The data of a status map: country shapes, their projection, and each state's cell.

A map answers "who held which status in ORG on DAY" for every state at once. The
registry's dated answer (:meth:`Registry.members`) is turned into one *cell* per state:
its standing status (the fill), the procedures running beside it (acceding, applicant:
drawn as hatching, never as a status of their own) and the sources. The explorer, the
``map`` command and the report all draw these cells, so they cannot disagree.

Shapes come from Natural Earth through the npm package world-atlas (``shapes/``, see its
README), decoded here from TopoJSON and projected with the Natural Earth I projection,
so nothing is fetched at run time and no GIS library is needed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scomodel.registry.core import Registry
    from scomodel.registry.records import SpellRow

__all__ = ["SHAPES_PATH", "Shape", "MapCell", "shapes", "project", "svg_shapes",
           "map_cells", "change_days", "NO_STATUS", "NOT_COVERED"]

SHAPES_PATH = Path(__file__).parent / "shapes" / "countries-110m.json"
#: Fill of a state with no status that day, and of one whose data do not reach the day.
NO_STATUS = "#eeeeee"
NOT_COVERED = "#ffffff"
#: The projected map's width in SVG units (the height follows the projection).
WIDTH = 960.0


@dataclass(frozen=True, slots=True)
class Shape:
    """One Natural Earth country: ISO alpha-3 (``None`` for the three without an id)."""

    iso3: str | None
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) polygons


@dataclass(slots=True)
class MapCell:
    """A state's place on the map for one organization and day."""

    actor: str
    name: str
    status: str | None  # the standing status, or None (procedure only)
    procedures: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    covered: bool = True
    drawn: bool = True  # false: too small for the 1:110m shapes (listed beside the map)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}  # type: ignore[attr-defined]


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded, quantized positions
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: Sequence[int], arcs: list[list[tuple[float, float]]]) -> tuple[Any, ...]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]  # ~i: arc i walked backwards
        points.extend(arc if not points else arc[1:])
    return tuple(points)


def _clip(ring: Sequence[tuple[float, float]], limit: float,
          inside: Any) -> tuple[tuple[float, float], ...]:
    """Sutherland-Hodgman against the meridian ``lon = limit`` (one edge suffices)."""
    out: list[tuple[float, float]] = []
    for k, cur in enumerate(ring):
        prev = ring[k - 1]
        if inside(cur[0]) != inside(prev[0]):
            t = (limit - prev[0]) / (cur[0] - prev[0])
            out.append((limit, prev[1] + t * (cur[1] - prev[1])))
        if inside(cur[0]):
            out.append(cur)
    return tuple(out)


def _split_antimeridian(ring: tuple[tuple[float, float], ...]) -> list[tuple[Any, ...]]:
    """A ring crossing 180° (Russia's Chukotka, Fiji) as its east and west parts.

    TopoJSON keeps spherical coordinates, so such a ring jumps from 180 to -180; drawn
    flat it would streak across the map. Each side is the ring unwrapped toward that
    side and clipped at the meridian.
    """
    if not any(abs(a[0] - b[0]) > 180 for a, b in zip(ring, ring[1:], strict=False)):
        return [ring]
    east = _clip([(x + 360 if x < 0 else x, y) for x, y in ring], 180.0, lambda x: x <= 180)
    west = _clip([(x - 360 if x > 0 else x, y) for x, y in ring], -180.0, lambda x: x >= -180)
    return [r for r in (east, west) if len(r) >= 3]


@lru_cache(maxsize=1)
def shapes() -> tuple[Shape, ...]:
    """Every country of the 1:110m file but Antarctica (no state holds a status there)."""
    import countrycode

    topology = json.loads(SHAPES_PATH.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    geometries = topology["objects"]["countries"]["geometries"]
    numeric = [int(g["id"]) if g.get("id") else None for g in geometries]
    codes = countrycode.countrycode([n for n in numeric if n is not None],
                                    origin="iso3n", destination="iso3c")
    iso = dict(zip([n for n in numeric if n is not None], codes, strict=True))
    out = []
    for g, n in zip(geometries, numeric, strict=True):
        polygons = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        rings = tuple(piece for polygon in polygons for r in polygon
                      for piece in _split_antimeridian(_ring(r, arcs)))
        code = iso.get(n) if n is not None else None
        if code != "ATA":
            out.append(Shape(code, g["properties"]["name"], rings))
    return tuple(out)


def project(lon: float, lat: float) -> tuple[float, float]:
    """Natural Earth I (Šavrič et al. 2011, as d3-geo's geoNaturalEarth1), in radians out."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def _frame() -> tuple[float, float, float]:
    """Scale and offsets that put the projected world in ``WIDTH`` x height, north up."""
    xmax, _ = project(180.0, 0.0)
    _, ytop = project(0.0, 84.0)
    _, ybottom = project(0.0, -58.0)  # Tierra del Fuego; Antarctica is left out
    scale = WIDTH / (2 * xmax)
    return scale, ytop, (ytop - ybottom) * scale


def projected(shape: Shape) -> list[list[tuple[float, float]]]:
    """A shape's rings in map units (x right, y down), as the SVG and matplotlib draw them."""
    scale, ytop, _ = _frame()
    xmax = WIDTH / 2
    return [[(xmax + x * scale, (ytop - y) * scale) for x, y in (project(*p) for p in ring)]
            for ring in shape.rings]


@lru_cache(maxsize=1)
def svg_shapes() -> dict[str, Any]:
    """The projected shapes as SVG path data, for the explorer (served, never fetched)."""
    _, _, height = _frame()
    out = []
    for shape in shapes():
        d = "".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in ring) + "Z"
                    for ring in projected(shape))
        out.append({"iso3": shape.iso3, "name": shape.name, "d": d})
    return {"width": WIDTH, "height": round(height, 1), "shapes": out,
            "no_status": NO_STATUS, "not_covered": NOT_COVERED,
            "source": "Natural Earth 1:110m via world-atlas 2.0.2 (public domain)"}


def drawn_codes() -> frozenset[str]:
    return frozenset(s.iso3 for s in shapes() if s.iso3)


def _is_state(reg: Registry, code: str) -> bool:
    try:
        return reg.actors.resolve(code).kind != "organization"
    except Exception:  # noqa: BLE001 - an unknown code is simply not a state we can draw
        return False


def map_cells(reg: Registry, org: str, on: object) -> list[MapCell]:
    """One cell per state holding a status (or a procedure) in ``org`` during ``on``.

    A coarse ``on`` (a year) can hold two standing statuses (India: observer, then member
    in 2017); the cell shows the later one, as the map of the period's end would.
    """
    rows = reg.members(org, on)
    drawn = drawn_codes()
    cells: dict[str, MapCell] = {}
    for r in sorted(rows, key=lambda r: (r.start, r.kind != "standing")):
        if not _is_state(reg, r.actor):
            continue
        cell = cells.setdefault(r.actor, MapCell(r.actor, r.name, None,
                                                 drawn=r.actor in drawn))
        if not r.covered:
            if cell.status is None:
                cell.covered = False
                cell.end = r.end
                cell.sources = list(r.sources)
            continue
        if r.kind == "standing":
            cell.status, cell.start, cell.end = r.status, r.start, r.end
            cell.sources = list(r.sources)
            cell.covered = True
        elif r.status not in cell.procedures:
            cell.procedures.append(r.status)
            if cell.status is None:
                cell.start, cell.end, cell.sources = r.start, r.end, list(r.sources)
    return sorted(cells.values(), key=lambda c: (c.status != "member", c.status or "~",
                                                 c.actor))


def change_days(spells: Sequence[SpellRow], first: str, last: str) -> list[str]:
    """The days the map changes on (every start and end), within ``[first, last]``."""
    from scomodel.dates import parse_date

    days = set()
    for r in spells:
        for value in (r.start, r.end):
            if value:
                day = parse_date(value).first.isoformat()
                if first <= day <= last:
                    days.add(day)
    return sorted(days | {first})
