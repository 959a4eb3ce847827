"""``build_report``: the history, the rules, the architecture and the built-in scenarios.

Each section calls its part's own functions and plotting code (the same the CLI uses), so
the report shows what the commands would. A part that is not installed is named as
missing instead of failing the whole report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from scomodel.output import to_plain
from scomodel.report.html import esc, figure, page, table

__all__ = ["build_report", "HISTORY_DATES", "RULE_DATES", "ARCHITECTURE_DATES"]

#: Days the history table lists the SCO's members and partners on: founding, Astana
#: (observers), the first enlargement, Iran's and Belarus's accessions.
HISTORY_DATES = ("2001-06-15", "2005-07-06", "2017-06-09", "2023-07-04", "2024-07-04")
#: Days the status machine is drawn for: after the observer (2004), dialogue-partner
#: (2008) and admission (2010) regulations, and after the 2025 partner status.
RULE_DATES = ("2006-01-01", "2011-01-01", "2025-12-31")
ARCHITECTURE_DATES = ("2008-09-01", "2024-06-01")
ARCHITECTURE_REGION = "central-asia"

Section = tuple[str, str, str]


def build_report(out: str | Path, *, org: str = "SCO") -> Path:
    """Write ``out/index.html`` (figures embedded) and ``out/figures/*.png``; return the page."""
    out = Path(out)
    figures = out / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    sections: list[Section] = []
    for name, builder in _SECTIONS:
        try:
            sections.append(builder(out, figures, org))
        except ImportError as exc:
            sections.append((name, name.title(), f'<p class="note">This part is not installed '
                                                 f"here ({esc(exc)}).</p>"))
    sections.append(_sources(out, figures, org))
    intro = (f'<p class="note">Written {dt.date.today().isoformat()} by <code>scomodel report'
             f"</code> from the curated data. Every fact cites its source (key and locator); "
             f"codings marked <em>judgement</em> are readings of the cited passage, not "
             f"measured facts.</p>")
    index = out / "index.html"
    index.write_text(page(f"scomodel report: the {org} and the security architecture around it",
                          sections, intro), encoding="utf-8")
    return index


# -- history ---------------------------------------------------------------------------


def _history(out: Path, figures: Path, org: str) -> Section:
    from scomodel.registry import Registry
    from scomodel.registry.plots import plot_spells

    reg = Registry.open()
    code = reg.resolve_org(org)
    spells = sorted(reg.spells_of("auto", code), key=lambda r: (r.start, r.actor))
    name = reg.actors.resolve(code).name
    png = plot_spells(spells, figures / "history.png", title=f"{name}: statuses over time",
                      by="actor")
    html = [figure(png, f"Every recorded status in the {code}, one line per actor "
                        "(hatched: start known to the month or year; a guest's attendance of "
                        "a day or two is too short to see at this scale, the table below "
                        "lists it).", out)]
    html.append("<h3>Who held which status on key dates</h3>")
    rows = []
    for day in HISTORY_DATES:
        held = reg.members(code, day)
        by_status: dict[str, list[str]] = {}
        for r in held:
            by_status.setdefault(r.status, []).append(r.actor)
        rows.append({"date": day, **{s: ", ".join(a) for s, a in by_status.items()}})
    statuses = sorted({k for r in rows for k in r if k != "date"},
                      key=lambda s: (s != "member", s))
    html.append(table(rows, ["date", *statuses]))
    html.append("<h3>The spells and their sources</h3>")
    html.append(table(to_plain(spells),
                      ["actor", "name", "status", "start", "end", "precision", "sources"]))
    return ("history", "History", "".join(html))


# -- rules ------------------------------------------------------------------------------


def _rules(out: Path, figures: Path, org: str) -> Section:
    from scomodel.charter.describe import rule_rows
    from scomodel.charter.engine import rules_in_force
    from scomodel.charter.graph import draw_state_machine, state_graph
    from scomodel.charter.history import check_history

    html = ['<p class="note">Arrows are the status changes the rulebooks in force allow, '
            "labelled by rule; dashed arrows rest on unverified rules.</p>"]
    for day in RULE_DATES:
        ruleset = rules_in_force(org, day, extra=[])
        png = draw_state_machine(state_graph(ruleset), figures / f"rules-{day}.png",
                                 title=f"{ruleset.org} status machine on {day}")
        books = "; ".join(f"{b.document} ({b.id}, in force {b.in_force})" for b in ruleset.books)
        html.append(figure(png, f"Rules in force on {day}: {books}.", out))
    last = rules_in_force(org, RULE_DATES[-1], extra=[])
    html.append(f"<h3>The rules in force on {esc(RULE_DATES[-1])}</h3>")
    html.append(table(rule_rows(last), ["rule", "kind", "rulebook", "article", "verification",
                                        "summary", "sources"]))
    checks = to_plain(check_history(org, registry=None, rules=[]))
    verdicts = Counter(c["verdict"] for c in checks)
    html.append("<h3>The recorded history checked against the rules</h3>")
    html.append("<p>" + esc(", ".join(f"{n} {v}" for v, n in sorted(verdicts.items()))) + "</p>")
    html.append(table([c for c in checks if c["verdict"] != "conforming"],
                      ["actor", "change", "date", "verdict", "rule", "why", "sources"]))
    return ("rules", "Rules", "".join(html))


# -- architecture -----------------------------------------------------------------------


def _architecture(out: Path, figures: Path, org: str) -> Section:
    from scomodel.architecture.evolution import evolution
    from scomodel.architecture.model import Architecture
    from scomodel.architecture.network import build_network, centrality
    from scomodel.architecture.overlap import overlap_pairs
    from scomodel.architecture.plots import plot_evolution, plot_network, plot_overlap

    arch = Architecture.load()
    region = arch.data.region(ARCHITECTURE_REGION)
    where = region.name if region else ARCHITECTURE_REGION
    html = []
    for day in ARCHITECTURE_DATES:
        pairs = overlap_pairs(arch, day, region=ARCHITECTURE_REGION)
        png = plot_overlap(pairs, figures / f"overlap-{day}.png",
                           title=f"Membership overlap, {where}, {day}")
        html.append(figure(png, f"Membership overlap of the mechanisms in {where} on {day}.",
                           out))
        graph = build_network(arch, day, region=ARCHITECTURE_REGION)
        png = plot_network(graph, figures / f"network-{day}.png",
                           title=f"Security architecture, {where}, {day}")
        html.append(figure(png, f"States and organizations in {where} on {day}, by tier.", out))
        html.append(f"<h3>Most central states on {esc(day)}</h3>")
        top = to_plain(centrality(graph))[:8]
        html.append(table(top, list(top[0]) if top else ["actor"]))
    result = evolution(arch, 1996, 2025, region=ARCHITECTURE_REGION)
    png = plot_evolution(result, figures / "evolution.png",
                         title=f"{where}: membership overlap and the powers' ties, 1996-2025")
    html.append(figure(png, "Overlap and the great powers' ties over time; turning points "
                            "marked.", out))
    return ("architecture", "Architecture", "".join(html))


# -- scenarios --------------------------------------------------------------------------


def _scenarios(out: Path, figures: Path, org: str) -> Section:
    html = []
    for builder in (_bargaining_scenarios, _smp_scenarios):
        try:
            html.append(builder(out, figures))
        except ImportError as exc:
            html.append(f'<p class="note">Not installed here: {esc(exc)}.</p>')
    return ("scenarios", "Scenarios", "".join(html))


def _bargaining_scenarios(out: Path, figures: Path) -> str:
    from scomodel.report.scenarios import bargaining_section

    return bargaining_section(out, figures)


def _smp_scenarios(out: Path, figures: Path) -> str:
    from scomodel.bargaining.smp.loader import builtin_names, load_scenario
    from scomodel.bargaining.smp.request import run_cli, table_rows

    html = ["<h3>Spatial model of politics (several issues at once)</h3>"]
    for name in builtin_names():
        png = figures / f"smp-{name}.png"
        result = run_cli(name, plot=png)
        sc, _ = load_scenario(name)
        html.append(f"<h4>{esc(name)}</h4><p>{esc(sc.description)}</p>")
        html.append(figure(png, f"{name}: positions per turn ({result['n_turns']} turns).",
                           out))
        html.append(table(table_rows(result), ["actor", *result["dimensions"], "probability"]))
        rows = [{"actor": actor, "sources": [
            {"source": s.key, "locator": s.locator, "judgement": s.judgement} for s in refs]}
            for actor, refs in sc.sources.items()]
        html.append(table(rows, ["actor", "sources"]))
    return "".join(html)


def _maps(out: Path, figures: Path, org: str) -> Section:
    from scomodel.report.maps import maps_section

    return maps_section(out, figures, org)


def _claims(out: Path, figures: Path, org: str) -> Section:
    from scomodel.report.claims import claims_section

    return claims_section(out, figures, org)


# -- sources ----------------------------------------------------------------------------


def _sources(out: Path, figures: Path, org: str) -> Section:
    from scomodel.registry import Registry

    rows = Registry.open().sources()
    return ("sources", "Sources", table(rows, ["key", "kind", "author", "year", "title", "url"]))


_SECTIONS: list[tuple[str, Callable[[Path, Path, str], Section]]] = [
    ("history", _history),
    ("map", _maps),
    ("rules", _rules),
    ("architecture", _architecture),
    ("scenarios", _scenarios),
    ("claims", _claims),
]


