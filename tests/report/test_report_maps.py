"""The report's Map section: a map per turning point, counted as the registry counts."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from scomodel.registry import Registry
from scomodel.report.maps import GRID_ORGS, MAP_DATES, maps_section


def test_map_section_draws_every_date_and_today(tmp_path: Path) -> None:
    figures = tmp_path / "figures"
    figures.mkdir()
    slug, title, html = maps_section(tmp_path, figures, "SCO", today="2026-01-01")
    assert (slug, title) == ("map", "Map")
    days = [*MAP_DATES, "2026-01-01"]
    assert [d[:4] for d in MAP_DATES] == ["2001", "2005", "2017", "2024"]
    for day in days:
        png = figures / f"map-SCO-{day}.png"
        assert png.read_bytes()[:4] == b"\x89PNG"
    assert (figures / "map-grid-2026-01-01.png").is_file()
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html)
    assert len(captions) == len(days) + 1 and all(o in captions[-1] for o in GRID_ORGS)
    reg = Registry.open()
    for day, caption in zip(days, captions, strict=False):
        counts = Counter(r.status for r in reg.members("SCO", day) if r.kind == "standing"
                         and r.covered and reg.actors.resolve(r.actor).kind != "organization")
        for status, n in counts.items():
            assert f"{n} {status.replace('_', ' ')}" in caption, (day, caption)
    # the images are embedded, so the section stands alone
    assert html.count('src="data:image/png;base64,') == len(days) + 1
