"""Refusing an incomplete or altered COW IGO v3 before it replaces the imported dataset.

An import replaces the whole COW dataset in one transaction, so a table cut mid-row would
silently shrink it (a truncated ``igo_year_format3.csv`` once imported 347 spells with exit
0). Checked before anything is written:

* the files as COW distributes them (``*.csv.gz``): their SHA-256 and each table's row and
  column counts against shared/data/cow_igo_v3/README.md, so an altered or cut file is
  refused, and a truncated gzip is named as such;
* a plain ``*.csv`` (a user's own extract, or a subset of IGOs made on purpose): it must
  end with a complete row (a file cut mid-row does not), and the import's summary says its
  counts were not checked against COW's;
* in both, every status cell holds one of the codes COW's codebook defines.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from scomodel.errors import InputError

__all__ = ["EXPECTED", "check_file", "check_codes", "read_checked", "distributed"]

#: (rows, columns, sha256 of the .csv.gz) per table, from the data's README.
EXPECTED: dict[str, tuple[int, int, str]] = {
    "igo_year_format3": (19_335, 235,
                         "a5aa569d2525a983fb46b1b3ac7b50bf5f2883bd856d058f87d2f3b84344ec45"),
    "state_year_format3": (15_557, 537,
                           "6571f6791150df2e7ad9d0f62b43b9467e364b0a04bd81f5bed3df45228890f8"),
}
#: COW's status codes (an empty cell is read as missing or "not a system member").
CODES = {0, 1, 2, 3, -9, -1}


def distributed(path: Path) -> bool:
    """Is this the compressed file as COW IGO v3 distributes it (checked strictly)?"""
    return path.name.endswith(".gz")


def check_file(path: Path, stem: str) -> None:
    """The file is whole: its checksum (for .gz), else a complete last row."""
    _, _, digest = EXPECTED[stem]
    if not distributed(path):
        try:
            with path.open("rb") as fh:
                fh.seek(0, 2)
                size = fh.tell()
                fh.seek(max(0, size - 1))
                last = fh.read(1)
        except OSError as exc:
            raise InputError(f"cannot read ({exc.strerror or exc})", file=str(path)) from None
        if size and last not in (b"\n", b"\r"):
            raise InputError("ends in the middle of a row (a cut file?)", file=str(path))
        return
    if distributed(path):
        sha = hashlib.sha256()
        try:
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    sha.update(chunk)
        except OSError as exc:
            raise InputError(f"cannot read ({exc.strerror or exc})", file=str(path)) from None
        if sha.hexdigest() != digest:
            try:
                with gzip.open(path, "rb") as fh:
                    while fh.read(1 << 20):
                        pass
            except (OSError, EOFError, zlib.error) as exc:
                raise InputError(f"truncated or corrupt gzip file ({exc})",
                                 file=str(path)) from None
            raise InputError(
                "not COW IGO v3 as distributed: its SHA-256 differs from the one documented "
                "(shared/data/cow_igo_v3/README.md)", file=str(path))


def read_checked(path: Path, stem: str, **kwargs: object) -> pd.DataFrame:
    """Read one COW table, refusing a truncated, unreadable or reshaped file in one line."""
    check_file(path, stem)
    try:
        frame = pd.read_csv(path, **kwargs)  # type: ignore[arg-type]
    except (OSError, EOFError, zlib.error, UnicodeDecodeError,
            pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"cannot read as CSV ({str(exc).splitlines()[0]})",
                         file=str(path)) from None
    rows, columns, _ = EXPECTED[stem]
    if not distributed(path):
        return frame
    if len(frame) != rows:
        raise InputError(f"has {len(frame):,} rows; COW IGO v3's {stem} has {rows:,} "
                         "(a cut or altered file)", file=str(path))
    if "usecols" not in kwargs and frame.shape[1] != columns:
        raise InputError(f"has {frame.shape[1]} columns; COW IGO v3's {stem} has {columns}",
                         file=str(path))
    return frame


def check_codes(frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    """Every status cell holds one of COW's codes (or is empty)."""
    values = frame[columns].to_numpy(dtype=float)
    bad = ~np.isnan(values) & ~np.isin(values, list(CODES))
    if bad.any():
        i, j = (int(x[0]) for x in np.nonzero(bad))
        raise InputError(f"unknown COW status code {values[i, j]!r} in column {columns[j]!r}, "
                         f"row {i + 2}: COW codes are 0, 1, 2, 3, -9 and -1",
                         file=str(path))
