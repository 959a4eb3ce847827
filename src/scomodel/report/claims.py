"""The claims ledger in the report: today's verdicts and the claims x time figure.

Calls the claims part's own ledger and plot (the same as ``scomodel claims`` and
``scomodel claims timeline --plot``).
"""

from __future__ import annotations

from pathlib import Path

from scomodel.report.html import cite, esc, figure

__all__ = ["claims_section"]


def claims_section(out: Path, figures: Path, org: str) -> tuple[str, str, str]:
    from scomodel.claims.ledger import ledger, open_registry, timeline
    from scomodel.claims.plots import plot_timeline

    reg = open_registry()
    items = ledger(registry=reg)
    png = plot_timeline(timeline(registry=reg), figures / "claims-timeline.png")
    counts: dict[str, int] = {}
    for d in items:
        counts[d["verdict"]] = counts.get(d["verdict"], 0) + 1
    html = [f'<p class="note">{len(items)} expectations of zhao2004 and masuda2011, each a '
            "query of the parts with a threshold; verdicts computed from the data as of "
            f"{esc(items[0]['as_of'] if items else '')}: "
            + ", ".join(f"{n} {esc(v)}" for v, n in sorted(counts.items()))
            + ". See docs/claims.md for the method and its limits.</p>",
            figure(png, "Each claim's verdict as of 31 December of each year (white: not "
                   "yet made).", out),
            "<table><tr><th>claim</th><th>seed</th><th>paraphrase</th><th>verdict</th>"
            "<th>deciding figures</th><th>sources</th></tr>"]
    for d in items:
        loc = d["locator"]
        figs = "; ".join(f"{c['figure']}={c.get('actual')!r}" for c in d["deciding"])
        html.append(f"<tr><td>{esc(d['id'])}</td><td>{esc(d['seed'])} "
                    f"{esc(loc['section'])}</td><td>{esc(d['paraphrase'])}</td>"
                    f"<td><b>{esc(d['verdict'])}</b></td><td>{esc(figs)}</td>"
                    f"<td>{cite(d['sources'][:6])}</td></tr>")
    html.append("</table>")
    return ("claims", "The seeds' claims", "".join(html))
