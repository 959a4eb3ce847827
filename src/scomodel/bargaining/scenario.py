"""The scenario format: actors, issues, status quo, decision rule and date, all sourced.

A scenario is YAML validated with pydantic (see ``docs/bargaining.md`` for the format), or
a one-issue CSV ``actor,capability,position,salience`` such as Bueno de Mesquita's (1994)
EU emissions table. Every coding carries a source; a coding that is a judgement says so
and names the passage it is read from. Bad files raise :class:`InputError` naming the
file, line and field.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from scomodel.bargaining.citation import Citation
from scomodel.bargaining.scenario_model import (
    MAX_CAPABILITY,
    ActorCoding,
    Coding,
    Issue,
    IssueData,
    RuleSpec,
    Scenario,
    Uncertainty,
)
from scomodel.errors import InputError, NotFoundError
from scomodel.registry.yamlio import line_of, plain, read_yaml

__all__ = [
    "Citation",
    "Coding",
    "Issue",
    "ActorCoding",
    "RuleSpec",
    "Uncertainty",
    "Scenario",
    "IssueData",
    "load_scenario",
    "parse_scenario_yaml",
    "read_actor_csv",
    "MAX_CAPABILITY",
]



def _check_references(sc: Scenario, node: Any, file: str) -> None:
    """Issue ids in positions exist; actor codes resolve; roles/veto players make sense."""
    known = set(sc.issue_ids)
    for k, a in enumerate(sc.actors):
        for iid in a.positions:
            if iid not in known:
                raise InputError(
                    f"unknown issue {iid!r}: expected one of {', '.join(sorted(known))}",
                    file=file,
                    line=line_of(node, ["actors", k, "positions", iid]),
                    field=f"actors.{k}.positions.{iid}",
                )
        for iid, p in a.positions.items():
            issue = sc.issue(iid)
            if not issue.scale.min <= p.position <= issue.scale.max:
                raise InputError(
                    f"position {p.position:g} lies outside the scale "
                    f"[{issue.scale.min:g}, {issue.scale.max:g}] of {iid}",
                    file=file,
                    line=line_of(node, ["actors", k, "positions", iid, "position"]),
                    field=f"actors.{k}.positions.{iid}.position",
                )
    coded = {a.actor for a in sc.actors}
    for k, v in enumerate(sc.veto_players or []):
        if v not in coded:
            raise InputError(
                f"veto player {v!r} has no coding in this scenario",
                file=file,
                line=line_of(node, ["veto_players", k]),
                field=f"veto_players.{k}",
            )


def _resolve_actors(data: dict[str, Any], node: Any, file: str) -> dict[str, Any]:
    """Actors and veto players through the one resolver: ``Kazakhstan``, ``KAZ``, ``705``.

    Written back as registry codes, so the same state under two spellings is caught as
    the same actor twice and veto players match their codings.
    """
    from scomodel.actors import default_directory

    book = default_directory()
    seen: dict[str, int] = {}
    for k, a in enumerate(data.get("actors") or []):
        if not isinstance(a, dict) or not isinstance(a.get("actor"), (str, int)):
            continue
        line, field = line_of(node, ["actors", k, "actor"]), f"actors.{k}.actor"
        try:
            code = book.resolve(a["actor"], field=field).code
        except InputError as exc:
            raise InputError(exc.message, file=file, line=line, field=field) from None
        if code in seen:
            raise InputError(f"{code} is coded twice (actors.{seen[code]} and actors.{k})",
                             file=file, line=line, field=field)
        seen[code] = k
        a["actor"] = code
    vetoes = data.get("veto_players")
    if not isinstance(vetoes, list):
        return data
    for k, v in enumerate(vetoes):
        try:
            vetoes[k] = book.resolve(v, field=f"veto_players.{k}").code
        except InputError as exc:
            raise InputError(exc.message, file=file, line=line_of(node, ["veto_players", k]),
                             field=f"veto_players.{k}") from None
    return data


def _expand_profiles(data: dict[str, Any], node: Any, file: str) -> dict[str, Any]:
    """``capability: {profile: KAZ}`` takes the value and citation from the actor profile."""
    from scomodel.bargaining.profiles import load_profiles

    actors = data.get("actors")
    if not isinstance(actors, list):
        return data
    for k, a in enumerate(actors):
        cap = a.get("capability") if isinstance(a, dict) else None
        if isinstance(cap, dict) and set(cap) == {"profile"}:
            profiles = load_profiles()
            key = str(cap["profile"])
            if key not in profiles:
                raise InputError(
                    f"no actor profile {key!r}: profiles exist for {', '.join(sorted(profiles))}",
                    file=file,
                    line=line_of(node, ["actors", k, "capability", "profile"]),
                    field=f"actors.{k}.capability.profile",
                )
            a["capability"] = {
                **profiles[key].capability.model_dump(exclude_none=True),
                "profile": key,
            }
    return data


def _check_sources(sc: Scenario, node: Any, file: str) -> None:
    """Every citation's key is a registry source or one the scenario declares."""
    try:
        from scomodel.registry import Registry

        known = {s["key"] if isinstance(s, dict) else s.key for s in Registry.open().sources()}
    except Exception:  # pragma: no cover - no registry: cannot check
        return
    known |= {s.key for s in sc.sources}

    def check(c: Citation | None, path: list[str | int]) -> None:
        if c is not None and c.source not in known:
            raise InputError(
                f"unknown source key {c.source!r}: cite a registry source (scomodel sources) "
                "or declare it under sources:",
                file=file,
                line=line_of(node, [*path, "source"]),
                field=".".join(map(str, [*path, "source"])),
            )

    for i, issue in enumerate(sc.issues):
        check(issue.status_quo, ["issues", i, "status_quo"])
    for k, a in enumerate(sc.actors):
        check(a.role_source, ["actors", k, "role_source"])
        check(a.capability, ["actors", k, "capability"])
        for iid, p in a.positions.items():
            check(p, ["actors", k, "positions", iid])
    for i, issue in enumerate(sc.issues):
        if issue.outcome is not None and issue.outcome.source not in known:
            raise InputError(
                f"unknown source key {issue.outcome.source!r}",
                file=file,
                line=line_of(node, ["issues", i, "outcome", "source"]),
                field=f"issues.{i}.outcome.source",
            )


def parse_scenario_yaml(node: Any, *, file: str) -> Scenario:
    """Validate a parsed YAML document (ruamel round-trip nodes keep the lines)."""
    if not isinstance(node, dict):
        raise InputError("a scenario file must be a YAML mapping", file=file, line=1)
    try:
        from scomodel.bargaining.capabilities import expand_capabilities

        data = _resolve_actors(plain(node), node, file)  # the one resolver, first
        data = expand_capabilities(_expand_profiles(data, node, file), node, file)
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [p for p in err["loc"] if isinstance(p, (str, int))]
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            message = "required field is missing"
        elif err["type"] == "extra_forbidden":
            message = "unknown field (see the scenario format in docs/bargaining.md)"
        raise InputError(
            message, file=file, line=line_of(node, loc), field=".".join(map(str, loc)) or None
        ) from None
    _check_references(sc, node, file)
    _check_sources(sc, node, file)
    return sc


def read_actor_csv(
    path: str | Path, *, text: str | None = None, name: str | None = None
) -> Scenario:
    """A one-issue scenario from ``actor,capability,position,salience`` (BDM's table layout).

    The CSV has no dates, rules or sources of its own: its file is the source of every
    coding, and the scale runs from the lowest to the highest position.
    """
    path = Path(path)
    file = str(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError("file not found", file=file) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    need = ["actor", "capability", "position", "salience"]
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        records = [(reader.line_num, raw) for raw in reader]
    except csv.Error as exc:
        raise InputError(f"not a valid CSV ({exc})", file=file, line=reader.line_num) from None
    missing = [h for h in need if h not in header]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}: expected a header "
            "actor,capability,position,salience",
            file=file,
            line=1,
            field=missing[0],
        )
    rows: list[dict[str, Any]] = []
    for lineno, raw in records:
        rec = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not any(rec.values()):
            continue
        vals: dict[str, float] = {}
        for col in need[1:]:
            try:
                vals[col] = float(rec[col])
            except ValueError:
                raise InputError(
                    f"{col} must be a number, got {rec[col]!r}", file=file, line=lineno, field=col
                ) from None
            if not np.isfinite(vals[col]):
                raise InputError(f"{col} must be finite", file=file, line=lineno, field=col)
        if not 0 <= vals["capability"] <= MAX_CAPABILITY:
            raise InputError(
                f"capability must lie in [0, {MAX_CAPABILITY:g}] (a relative weight: rescale "
                "larger measures)",
                file=file,
                line=lineno,
                field="capability",
            )
        if not 0 <= vals["salience"] <= 100:
            raise InputError("salience must lie in 0-100", file=file, line=lineno, field="salience")
        if not rec["actor"]:
            raise InputError("actor name is empty", file=file, line=lineno, field="actor")
        rows.append({"actor": rec["actor"], **vals})
    if len(rows) < 2:
        raise InputError("a scenario needs at least two actors", file=file)
    names = [r["actor"] for r in rows]
    if len(set(names)) != len(names):
        raise InputError("actor names must be unique", file=file, field="actor")
    if not any(r["capability"] > 0 for r in rows):
        raise InputError(
            "every capability is 0; at least one must be positive", file=file, field="capability"
        )
    if min(r["position"] for r in rows) == max(r["position"] for r in rows):
        raise InputError(
            "every actor takes the same position: the scale (lowest to highest position) "
            "has zero width",
            file=file,
            field="position",
        )
    xs = [r["position"] for r in rows]
    cite = {"source": path.name, "locator": "row"}
    issue_id = "issue"
    sc = Scenario.model_validate(
        {
            "name": _slug(name or path.stem),
            "title": name or path.stem,
            "date": "1994-01-01",
            "org": "none",
            "question": f"one-issue scenario read from {path.name}",
            "issues": [
                {
                    "id": issue_id,
                    "label": path.stem,
                    "scale": {
                        "min": min(xs),
                        "max": max(xs),
                        "low": f"{min(xs):g}",
                        "high": f"{max(xs):g}",
                    },
                    "status_quo": {
                        "value": min(xs),
                        "source": path.name,
                        "locator": "none given; the lowest position is used for the veto model",
                    },
                }
            ],
            "actors": [
                {
                    "actor": r["actor"],
                    "role": "member",
                    "capability": {"value": r["capability"], **cite},
                    "positions": {
                        issue_id: {"position": r["position"], "salience": r["salience"], **cite}
                    },
                }
                for r in rows
            ],
        }
    )
    return sc


def _slug(text: str) -> str:
    out = "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")
    return out or "scenario"


def load_scenario(spec: str | Path) -> Scenario:
    """A built-in scenario by name, a scenario YAML, or a one-issue CSV."""
    from scomodel.bargaining.builtin import builtin_path

    text = str(spec)
    path = Path(text)
    if not path.exists():
        found = builtin_path(text)
        if found is None:
            if path.suffix.lower() in (".yaml", ".yml", ".csv"):
                raise InputError("file not found", file=text)
            from scomodel.bargaining.builtin import builtin_names

            raise NotFoundError(
                f"no scenario {text!r}: give a file (.yaml or .csv) or a built-in name "
                f"({', '.join(builtin_names())})",
                field="scenario",
            )
        path = found
    if path.suffix.lower() == ".csv":
        return read_actor_csv(path)
    return parse_scenario_yaml(read_yaml(path), file=str(path))
