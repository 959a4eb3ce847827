"""The report's Map section: the organization's states on the map at its turning points.

The maps are drawn by the registry's map part (:mod:`scomodel.registry.map_plots`), the
same figures ``scomodel map`` writes and the same cells the explorer's map shows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scomodel.report.html import esc, figure, table

__all__ = ["maps_section", "MAP_DATES", "GRID_ORGS"]

#: The founding, the Astana observers (2005), the first enlargement (India and Pakistan
#: members from 2017-06-09), Belarus's accession (2024-07-04); today is added when built.
MAP_DATES = ("2001-06-15", "2005-07-06", "2017-06-10", "2024-07-05")
#: The Eurasian organizations side by side on the last day.
GRID_ORGS = ("SCO", "CSTO", "EAEU", "CIS")


def maps_section(out: Path, figures: Path, org: str,
                 today: str | None = None) -> tuple[str, str, str]:
    from scomodel.registry import Registry
    from scomodel.registry.map_plots import draw_grid, draw_map
    from scomodel.registry.maps import map_cells

    reg = Registry.open()
    code = reg.resolve_org(org)
    today = today or dt.date.today().isoformat()
    html = ['<p class="note">Each state in the colour of its standing status that day; a '
            "procedure beside it (an acceding observer) is hatched. Shapes: Natural Earth "
            "1:110m (public domain) via world-atlas 2.0.2. <code>scomodel map ORG --from "
            "--to --out anim.gif</code> animates the changes.</p>"]
    rows = []
    for day in (*MAP_DATES, today):
        png = draw_map(reg, code, day, figures / f"map-{code}-{day}.png")
        cells = map_cells(reg, code, day)
        counts: dict[str, int] = {}
        for c in cells:
            if c.status and c.covered:
                counts[c.status] = counts.get(c.status, 0) + 1
        tally = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items())
        when = f"{day} (today)" if day == today else day
        html.append(figure(png, f"The {code} on {when}: {tally or 'nobody held a status'}.",
                           out))
        rows.append({"date": day, **{s: ", ".join(c.actor for c in cells if c.status == s)
                                     for s in counts},
                     "beside a status": ", ".join(f"{c.actor} ({'/'.join(c.procedures)})"
                                                  for c in cells if c.procedures)})
    statuses = sorted({k for r in rows for k in r if k not in ("date", "beside a status")},
                      key=lambda s: (s != "member", s))
    html.append(f"<h3>The states on the maps ({esc(code)})</h3>")
    html.append(table(rows, ["date", *statuses, "beside a status"]))
    orgs = [o for o in GRID_ORGS if o in reg.organizations()]
    if len(orgs) > 1:
        png = draw_grid(reg, orgs, today, figures / f"map-grid-{today}.png")
        html.append(figure(png, f"{', '.join(orgs)} on {today}: small multiples.", out))
    return ("map", "Map", "".join(html))
