"""Build the CINC extract the package ships (``src/scomodel/data/cinc/cinc.csv``).

Why: capabilities default to the COW National Material Capabilities CINC score, and the
installed package must work without ``shared/data``. The extract keeps only what that
default needs: the CINC of every state-year 1990-2022, with the ISO3 code the package
writes actors in (through :func:`scomodel.actors.state_from_cow`, the package's one
resolver). Run from the repository root::

    .venv/bin/python scripts/build_cinc_extract.py [../shared/data/cow_nmc/nmc_v7.csv]

It rewrites the CSV deterministically (sorted, fixed formatting), so a re-run on the same
input gives the same bytes; ``tests/bargaining/test_capabilities.py`` checks the shipped
file against the full data when ``../shared/data`` is present.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from scomodel.actors import state_from_cow

FIRST, LAST = 1990, 2022
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_IN = ROOT.parent / "shared" / "data" / "cow_nmc" / "nmc_v7.csv"
OUT = ROOT / "src" / "scomodel" / "data" / "cinc" / "cinc.csv"


def extract(src: Path) -> list[tuple[str, int, int, str]]:
    """(iso3, ccode, year, cinc as written in the source) for 1990-2022, sorted."""
    rows = []
    with src.open(newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            year = int(rec["year"])
            if not FIRST <= year <= LAST or not rec["cinc"].strip():
                continue
            ccode = int(rec["ccode"])
            rows.append((state_from_cow(ccode).code, ccode, year, rec["cinc"].strip()))
    return sorted(rows, key=lambda r: (r[0], r[2]))


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_IN
    rows = extract(src)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["actor", "ccode", "year", "cinc", "source"])
        w.writerows([*row, "cow-nmc-v7"] for row in rows)
    print(f"{len(rows)} state-years, {len({r[0] for r in rows})} states -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
