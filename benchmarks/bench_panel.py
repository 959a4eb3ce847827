"""Panels: dyad-year over every COW IGO (1816-2014) and state-day for the SCO.

Baseline: the straightforward pandas way (explode each full-membership spell into
member-years, self-merge on organization and year one year at a time, count per dyad),
measured in the same run on the same store; both answers are compared before timing is
reported. Peak memory of each is the child process's maximum resident set, so the two
are measured alike.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

COW_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "cow_igo_v3"

_CHILD = r'''
import json, resource, sys, time
import pandas as pd
from scomodel.registry import Registry
from scomodel.registry.panel import build_panel

url, which = sys.argv[1], sys.argv[2]
reg = Registry.open(url)
start = time.perf_counter()
if which == "ours":
    frame = build_panel(reg, "dyad-year", dataset="cow", start=1816, end=2014,
                        reading="igo-year")
    out = frame[["ccode1", "ccode2", "year", "dyadigos"]]
elif which == "pandas":
    spells = reg.spells_frame(dataset="cow")
    spells = spells[spells.status == "member"]
    ccode = {a: reg._actor(a).cow for a in spells.actor.unique()}
    spells = spells.assign(ccode=spells.actor.map(ccode),
                           first=spells.start_day.dt.year,
                           last=spells.end_day.dt.year - 1)
    spells["year"] = [list(range(a, b + 1)) for a, b in zip(spells["first"], spells["last"])]
    years = spells[["org", "ccode", "year"]].explode("year")
    years = years[(years.year >= 1816) & (years.year <= 2014)].drop_duplicates()
    parts = []
    for year, rows in years.groupby("year"):
        pairs = rows.merge(rows, on=["org", "year"])
        pairs = pairs[pairs.ccode_x < pairs.ccode_y]
        parts.append(pairs.groupby(["ccode_x", "ccode_y", "year"]).size())
    counts = pd.concat(parts).rename("dyadigos").reset_index()
    out = counts.rename(columns={"ccode_x": "ccode1", "ccode_y": "ccode2"})
else:  # state-day for the SCO, 1996 to today
    frame = build_panel(reg, "state-day", orgs=["SCO"], start="1996-01-01")
    out = frame[["ccode", "date", "sco"]]
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB
if which != "state-day":
    out = out[out.dyadigos > 0].sort_values(["ccode1", "ccode2", "year"])
    out.to_parquet(sys.argv[3], index=False)
print(json.dumps({"seconds": seconds, "peak_mib": peak, "rows": len(out)}))
'''


def _run(url: str, which: str, out: str) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", _CHILD, url, which, out],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    import pandas as pd

    from scomodel.registry.cow import import_cow_igo

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        import_cow_igo(COW_DIR, url)
        ours = _run(url, "ours", f"{tmp}/ours.parquet")
        base = _run(url, "pandas", f"{tmp}/pandas.parquet")
        a = pd.read_parquet(f"{tmp}/ours.parquet").reset_index(drop=True)
        b = pd.read_parquet(f"{tmp}/pandas.parquet").reset_index(drop=True)
        same = len(a) == len(b) and (a.astype("int64").to_numpy()
                                     == b.astype("int64").to_numpy()).all()
        print(f"dyad-year, all COW IGOs 1816-2014: {ours['seconds']:.1f} s, peak "
              f"{ours['peak_mib']:.0f} MiB (goal < 10 s, < 2048 MiB)")
        print(f"pandas merge baseline:              {base['seconds']:.1f} s, peak "
              f"{base['peak_mib']:.0f} MiB; same non-zero dyad-years: {same} "
              f"({ours['rows']:,} rows)")
        print(f"speed-up {base['seconds'] / ours['seconds']:.1f}x, memory "
              f"{base['peak_mib'] / ours['peak_mib']:.1f}x less")
        day = _run(url, "state-day", f"{tmp}/day.parquet")
        print(f"state-day, SCO 1996-today: {day['seconds']:.2f} s, {day['rows']:,} rows "
              f"(goal < 2 s)")


if __name__ == "__main__":
    main()
