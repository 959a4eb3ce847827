"""List the dyad-years where COW's dyadic counts disagree with COW's own state-year table.

Why: issue 13 asks that every row of ``dyadic_counts_ndy.csv.gz`` a panel cannot match be
listed with its reason. scomodel's dyad-year panel counts joint full memberships from the
imported COW tables, and equals the count made directly from COW's state-year table
(``state_year_format3.csv.gz``) on every dyad-year (``tests/registry/test_panel_cow.py``).
COW's dyadic file was built from COW's separate dyadic dataset (not in ``shared/``) and
counts more in about 35,000 dyad-years; those are the rows no build from the tables can
match. This script derives them from COW's two files alone (no scomodel code), so the list
is COW's disagreement, not ours. Run from the repository root::

    .venv/bin/python scripts/cow_dyadic_differences.py [../shared/data/cow_igo_v3]

It writes ``docs/data/cow-dyadic-differences.csv.gz`` deterministically (sorted rows, no
timestamp in the gzip header); the test checks that the panel differs from the dyadic
file on exactly these rows.
"""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_IN = ROOT.parent / "shared" / "data" / "cow_igo_v3"
OUT = ROOT / "docs" / "data" / "cow-dyadic-differences.csv.gz"
REASON = ("COW's dyadic file (from COW's separate dyadic dataset) counts more joint full "
          "memberships than COW's state-year table")


def joint_from_state_table(table: pd.DataFrame) -> pd.DataFrame:
    """Joint full memberships per dyad-year, straight from COW's state-year table."""
    igo_columns = [c for c in table.columns if c not in ("ccode", "year", "state")]
    frames = []
    for year, rows in table.groupby("year"):
        rows = rows.sort_values("ccode")
        full = (rows[igo_columns].to_numpy() == 1).astype(np.float32)
        joint = full @ full.T
        i, j = np.triu_indices(len(rows), k=1)
        codes = rows["ccode"].to_numpy()
        frames.append(pd.DataFrame({"ccode1": codes[i], "ccode2": codes[j], "year": year,
                                    "state_table": np.rint(joint[i, j]).astype(int)}))
    return pd.concat(frames, ignore_index=True)


def differences(dyadic: pd.DataFrame, joint: pd.DataFrame) -> pd.DataFrame:
    """The dyad-years where COW's dyadic file (``dyadigos``) and the joint memberships of
    COW's state-year table (:func:`joint_from_state_table`) disagree, sorted."""
    merged = dyadic.merge(joint, on=["ccode1", "ccode2", "year"], how="left")
    differ = merged[merged["dyadigos"] != merged["state_table"]]
    out = differ.rename(columns={"dyadigos": "dyadic_file"})[
        ["ccode1", "ccode2", "year", "dyadic_file", "state_table"]]
    out = out.assign(reason=REASON).sort_values(["year", "ccode1", "ccode2"])
    return out.reset_index(drop=True)


def main(argv: list[str]) -> None:
    cow_dir = Path(argv[0]) if argv else DEFAULT_IN
    frame = differences(pd.read_csv(cow_dir / "dyadic_counts_ndy.csv.gz"),
                        joint_from_state_table(pd.read_csv(cow_dir / "state_year_format3.csv.gz")))
    text = frame.to_csv(index=False, lineterminator="\n").encode()
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as fh:
        fh.write(text)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(buffer.getvalue())
    print(f"{len(frame):,} dyad-years written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
