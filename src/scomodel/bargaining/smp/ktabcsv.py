"""KTAB's SMP scenario CSV (``SMPModel::csvRead``), read and written.

Layout: a first line ``name, description, numActors, numDims,``; a header line
``Actor, Description, Power|Influence, <dim>, <salience>, ...``; one line per actor.
A trailing comma is allowed, fields are trimmed and double quotes stripped, as KTAB does.
Errors name the file and the 1-based line.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from scomodel.bargaining.smp.scenario import MAX_ACTORS, MIN_ACTORS, SMPScenario
from scomodel.errors import InputError

__all__ = ["read_ktab_csv", "parse_ktab_csv", "write_ktab_csv", "format_ktab_csv"]

_MAX_NAME = 25  # Model::maxActNameLen
_MAX_DESC = 256  # Model::maxActDescLen
_MAX_CAP = 1e8


def read_ktab_csv(path: str | Path) -> SMPScenario:
    """Read a KTAB SMP CSV file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read KTAB CSV: {exc.strerror}", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("KTAB CSV is not UTF-8 text", file=str(path)) from None
    return parse_ktab_csv(text, file=str(path))


def _fields(line: str) -> list[str]:
    row = next(csv.reader([line], skipinitialspace=True), [])
    row = [f.strip().strip('"').strip() for f in row]
    while row and row[-1] == "":
        row.pop()
    return row


def _number(text: str, what: str, file: str | None, line: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{what} must be a number, got {text!r}", file=file, line=line) from None
    if not np.isfinite(value):
        raise InputError(f"{what} must be finite, got {text!r}", file=file, line=line)
    return value


def _count(text: str, what: str, file: str | None, line: int) -> int:
    try:
        return int(text)
    except ValueError:
        raise InputError(
            f"{what} must be a whole number, got {text!r}", file=file, line=line
        ) from None


def parse_ktab_csv(text: str, *, file: str | None = None) -> SMPScenario:
    """Parse the text of a KTAB SMP CSV; ``file`` only labels errors."""
    lines = [(no, ln) for no, ln in enumerate(text.splitlines(), start=1) if ln.strip()]
    if not lines:
        raise InputError(
            "empty KTAB CSV; expected 'name, description, numActors, numDims'", file=file, line=1
        )
    no, first = lines[0]
    head = _fields(first)
    if len(head) < 4:
        raise InputError(
            "first line must be 'name, description, numActors, numDims,', "
            f"got {len(head)} field(s)",
            file=file,
            line=no,
        )
    name, desc = head[0], head[1]
    n_act = _count(head[2], "numActors (third field)", file, no)
    n_dim = _count(head[3], "numDims (fourth field)", file, no)
    if not MIN_ACTORS <= n_act <= MAX_ACTORS:
        raise InputError(
            f"numActors must be {MIN_ACTORS} to {MAX_ACTORS}, got {n_act}", file=file, line=no
        )
    if n_dim < 1:
        raise InputError(f"numDims must be at least 1, got {n_dim}", file=file, line=no)
    if len(lines) < 2:
        raise InputError(
            "missing the header line 'Actor, Description, Power, ...'", file=file, line=no + 1
        )
    no, header = lines[1]
    cols = _fields(header)
    if len(cols) < 3 + 2 * n_dim:
        raise InputError(
            f"header needs 3 + 2 x {n_dim} columns (position and salience per dimension), "
            f"got {len(cols)}",
            file=file,
            line=no,
        )
    dims = tuple(cols[3 + 2 * k] for k in range(n_dim))
    rows = lines[2:]
    if len(rows) != n_act:
        where = rows[-1][0] + 1 if rows else no + 1
        raise InputError(
            f"expected {n_act} actor lines (numActors), found {len(rows)}", file=file, line=where
        )
    names: list[str] = []
    descs: list[str] = []
    cap = np.empty(n_act)
    pos = np.empty((n_act, n_dim))
    sal = np.empty((n_act, n_dim))
    for i, (no, line) in enumerate(rows):
        f = _fields(line)
        if len(f) != 3 + 2 * n_dim:
            raise InputError(
                f"actor line needs {3 + 2 * n_dim} fields (name, description, capability, "
                f"then position and salience for {n_dim} dimension(s)), got {len(f)}",
                file=file,
                line=no,
            )
        if not f[0] or len(f[0]) > _MAX_NAME:
            raise InputError(
                f"actor name must be 1 to {_MAX_NAME} characters, got {f[0]!r}", file=file, line=no
            )
        if f[0] in names:
            raise InputError(f"actor {f[0]!r} appears twice", file=file, line=no)
        if len(f[1]) > _MAX_DESC:
            raise InputError(
                f"actor description longer than {_MAX_DESC} characters", file=file, line=no
            )
        names.append(f[0])
        descs.append(f[1])
        c = _number(f[2], "capability", file, no)
        if not 0 < c <= _MAX_CAP:
            raise InputError(
                f"capability must be above 0 and at most 1e8, got {f[2]}", file=file, line=no
            )
        cap[i] = c
        for k in range(n_dim):
            p = _number(f[3 + 2 * k], f"position on {dims[k]!r}", file, no)
            s = _number(f[4 + 2 * k], f"salience on {dims[k]!r}", file, no)
            if not 0 <= p <= 100:
                raise InputError(
                    f"position on {dims[k]!r} must be in [0, 100], got {p:g}", file=file, line=no
                )
            if not 0 <= s <= 100:
                raise InputError(
                    f"salience on {dims[k]!r} must be in [0, 100], got {s:g}", file=file, line=no
                )
            pos[i, k], sal[i, k] = p, s
        total = sal[i].sum()
        if total > 100:
            raise InputError(
                f"saliences of {f[0]!r} sum to {total:g}; at most 100 allowed", file=file, line=no
            )
        if total <= 0:
            raise InputError(
                f"saliences of {f[0]!r} are all zero; at least one must be > 0", file=file, line=no
            )
    return SMPScenario(
        name=name,
        description=desc,
        actors=tuple(names),
        dimensions=dims,
        capability=cap,
        position=pos,
        salience=sal,
        actor_descriptions=tuple(descs),
    )


def format_ktab_csv(scenario: SMPScenario) -> str:
    """The scenario as KTAB CSV text (positions rescaled to 0-100 if needed)."""
    if scenario.scale == (0.0, 100.0):
        unit = np.asarray(scenario.position, dtype=float)
    else:
        unit = scenario.unit_positions() * 100.0
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([scenario.name, scenario.description, scenario.n_actors, scenario.n_dims])
    header = ["Actor", "Description", "Power"]
    for d in scenario.dimensions:
        header += [d, f"{d} Salience"]
    w.writerow(header)
    for i, a in enumerate(scenario.actors):
        row: list[object] = [a, scenario.actor_descriptions[i], _num(scenario.capability[i])]
        for k in range(scenario.n_dims):
            row += [_num(unit[i, k]), _num(scenario.salience[i, k])]
        w.writerow(row)
    return buf.getvalue()


def _num(x: float) -> str:
    return repr(float(x)) if float(x) != int(x) else str(int(x))


def write_ktab_csv(scenario: SMPScenario, path: str | Path) -> None:
    """Write the scenario as a KTAB CSV file ``smpc --csv`` can read."""
    Path(path).write_text(format_ktab_csv(scenario), encoding="utf-8")
