"""``scomodel report --out DIR``: one self-contained page, a figure per part, hand-checked rows.

Expected rows are read off the curated SCO file and the seeds: on 2005-07-06 (the day
after the Astana summit) the six founders are members and India, Iran, Mongolia and
Pakistan observers (masuda2011 §2(1)); on 2024-07-04 Belarus joins as the tenth member.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scomodel.cli import app

pytestmark = pytest.mark.filterwarnings("ignore")

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(app, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.stdout, (out / "index.html").read_text(encoding="utf-8")


def test_prints_where_the_report_is(report: tuple[Path, str, str]) -> None:
    out, stdout, _ = report
    assert stdout.strip() == f"report written to {(out / 'index.html').resolve()}"


def test_every_figure_is_embedded_and_written(report: tuple[Path, str, str]) -> None:
    out, _, html = report
    files = sorted(p.name for p in (out / "figures").glob("*.png"))
    embedded = re.findall(r'<a href="figures/([^"]+)"><img alt="[^"]*" '
                          r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert sorted(name for name, _ in embedded) == files
    for name, data in embedded:
        raw = base64.b64decode(data)
        assert raw[:8] == PNG and raw == (out / "figures" / name).read_bytes()
    # one history, three status machines, two overlaps and networks, one evolution
    assert {"history.png", "rules-2006-01-01.png", "rules-2011-01-01.png",
            "rules-2025-12-31.png", "overlap-2008-09-01.png", "network-2024-06-01.png",
            "evolution.png"} <= set(files)
    # self-contained: nothing is fetched from elsewhere
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_sections_and_hand_checked_history(report: tuple[Path, str, str]) -> None:
    _, _, html = report
    for section in ("history", "rules", "architecture", "scenarios", "sources"):
        assert f'<section id="{section}">' in html
    rows = dict(re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)</td><td>([^<]*)</td>", html))
    assert rows["2005-07-06"] == "CHN, KAZ, KGZ, RUS, TJK, UZB"
    assert rows["2024-07-04"] == "BLR, CHN, IND, IRN, KAZ, KGZ, PAK, RUS, TJK, UZB"
    observers_2005 = re.search(r"<tr><td>2005-07-06</td>(.*?)</tr>", html)
    assert observers_2005 and "IND, IRN, MNG, PAK" in observers_2005.group(1)
    # facts carry their sources; the seeds are listed
    assert "masuda2011 §2(1), fn 24" in html
    assert "<td>masuda2011</td>" in html and "<td>zhao2004</td>" in html


def test_scenarios_are_there_with_sources(report: tuple[Path, str, str]) -> None:
    out, _, html = report
    from scomodel.bargaining.builtin import builtin_names
    from scomodel.bargaining.scenario import load_scenario
    from scomodel.bargaining.smp.loader import builtin_names as smp_names

    for name in builtin_names():
        for issue in load_scenario(name).issue_ids:
            for model in ("eum", "veto"):
                assert (out / "figures" / f"scenario-{name}-{issue}-{model}.png").exists()
        assert f"({name}, " in html
    for name in smp_names():
        assert f"<h4>{name}</h4>" in html and (out / "figures" / f"smp-{name}.png").exists()
    # Astana 2005: China's 80 is the weighted median, outside the consensus win-set [0, 50]
    assert ("<strong>bases</strong>: forecast 80.0; win-set [[0.0, 50.0]] under consensus, "
            "rule-bound forecast 50.0") in html
    assert "zhao2004 section 2, point 1 (judgement)" in html  # an SMP coding's source
    assert "zhao2004 §5; §7 (judgement)" in html  # a bargaining coding's source
