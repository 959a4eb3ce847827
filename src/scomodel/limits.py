"""Caps on every parameter that drives work, in one place (docs/reliability.md lists them).

A cap exists so that one typo or one hostile request cannot hold a core for minutes or
fill the memory: 10^7 EUM rounds would run for half an hour, 10^12 Monte Carlo runs would
ask numpy for 7 TiB. The CLI, the API and the file readers check the same numbers, and
going past one is a :class:`LimitError` naming the field (CLI: one line, exit 2; API: 422).
The API has a few tighter, operator-set limits of its own (``SCOMODEL_API_*``), always at
or below these.
"""

from __future__ import annotations

import math
import re
from typing import Any

from scomodel.errors import InputError

__all__ = [
    "LimitError",
    "ROUNDS",
    "TURNS",
    "RUNS",
    "INLINE_RUNS",
    "WORKERS",
    "SEED",
    "ACTORS",
    "DIMENSIONS",
    "OPTIONS",
    "OPTION_VALUE",
    "BODY_BYTES",
    "JSON_DEPTH",
    "LIMITS",
    "check_count",
    "check_monte_carlo",
    "check_finite",
    "check_day",
    "LAST_YEAR",
    "REGISTRY_CACHE_ENTRIES",
    "REGISTRY_CACHE_BYTES",
    "json_depth",
]

#: EUM rounds (``--rounds``, ``rounds=``): the paper runs 8; 1,000 take well under a second
ROUNDS = 1_000
#: SMP turns (``min_turns``/``max_turns``): KTAB's default stop is 100; runs settle in < 20
TURNS = 1_000
#: Monte Carlo runs of one command (CLI, files); the API's default is lower (10,000)
RUNS = 100_000
#: runs the API answers inline; more become a job on the queue
INLINE_RUNS = 500
#: worker processes (or Ray CPUs) of one Monte Carlo run
WORKERS = 64
#: largest seed (numpy's generators take 0 .. 2^63 - 1)
SEED = 2**63 - 1
#: actors in one scenario (the SMP benchmark's largest run has 250)
ACTORS = 500
#: dimensions (issues) of one scenario
DIMENSIONS = 20
#: ``--option NAME=VALUE`` pairs in one request
OPTIONS = 20
#: characters of one option's value
OPTION_VALUE = 100
#: bytes of one API request body
BODY_BYTES = 256_000
#: nesting depth of one JSON body (the deepest real body, a proceeding, is about 6)
JSON_DEPTH = 32

#: ``scomodel serve``: bytes of a request line plus headers (h11's incomplete-event limit),
#: headers of one request, seconds a request's headers may take, connections served at
#: once per process (more: 503), seconds an idle keep-alive connection stays, TCP backlog
MAX_HEADER_BYTES = 16_384
MAX_HEADERS = 100
HEADER_TIMEOUT = 10.0
LIMIT_CONCURRENCY = 256
KEEP_ALIVE = 5
BACKLOG = 512

#: registries one process keeps (the curated one and recent what-if copies), and the
#: memory they may hold by estimate (:func:`scomodel.registry.lru.registry_bytes`)
REGISTRY_CACHE_ENTRIES = 8
REGISTRY_CACHE_BYTES = 320_000_000

#: last year a written date may fall in (what-if spells and facts)
LAST_YEAR = 9998

#: every cap by name (documentation, the tests that check each one)
LIMITS: dict[str, int] = {
    "rounds": ROUNDS, "turns": TURNS, "runs": RUNS, "inline_runs": INLINE_RUNS,
    "workers": WORKERS, "seed": SEED, "actors": ACTORS, "dimensions": DIMENSIONS,
    "options": OPTIONS, "option_value": OPTION_VALUE, "body_bytes": BODY_BYTES,
    "json_depth": JSON_DEPTH, "last_year": LAST_YEAR,
    "registry_cache_entries": REGISTRY_CACHE_ENTRIES,
    "registry_cache_bytes": REGISTRY_CACHE_BYTES,
    "header_bytes": MAX_HEADER_BYTES, "headers": MAX_HEADERS,
    "limit_concurrency": LIMIT_CONCURRENCY, "keep_alive_seconds": KEEP_ALIVE,
}


class LimitError(InputError):
    """A value beyond a documented cap (or not a number where a count is needed)."""


def check_count(value: Any, *, field: str, high: int, low: int = 0,
                file: str | None = None) -> int:
    """A whole number in ``[low, high]``; anything else is a :class:`LimitError`.

    Accepts ints and integral floats or strings (``"1e3"``); refuses booleans, NaN,
    infinities and fractions, so an overflow or a 7 TiB array never starts.
    """
    if isinstance(value, bool) or value is None:
        raise LimitError(f"{field} must be a whole number, got {value!r}", field=field,
                         file=file)
    try:
        number = float(value) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise LimitError(f"{field} must be a whole number, got {value!r}", field=field,
                         file=file) from None
    if isinstance(number, float) and (not math.isfinite(number) or number != int(number)):
        raise LimitError(f"{field} must be a whole number, got {value!r}", field=field,
                         file=file)
    count = int(number)
    if count < low or count > high:
        raise LimitError(f"{field} must lie in [{low}, {high}], got {_short(value)}",
                         field=field, file=file)
    return count


def check_monte_carlo(runs: Any, seed: Any, workers: Any = None) -> tuple[int, int, int | None]:
    """The three numbers every Monte Carlo entry point takes, checked against the caps."""
    return (check_count(runs, field="runs", low=1, high=RUNS),
            check_count(seed, field="seed", high=SEED),
            None if workers is None else check_count(workers, field="workers", low=1,
                                                     high=WORKERS))


def check_finite(value: Any, *, field: str) -> None:
    """No NaN or infinity anywhere in ``value`` (dicts and lists walked): JSON has none,
    and one stored would make every later answer that carries it unsendable."""
    stack: list[tuple[Any, str]] = [(value, field)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise LimitError(f"{where} must be a finite number, got {item!r}", field=where)
        if isinstance(item, dict):
            stack.extend((v, f"{where}.{k}") for k, v in item.items())
        elif isinstance(item, (list, tuple)):
            stack.extend((v, f"{where}.{k}") for k, v in enumerate(item))


def check_day(day: Any, *, field: str) -> None:
    """A date a query can reach: before :data:`LAST_YEAR` + 1 (``9999-12-31`` is the end
    of the calendar, so a spell starting then could never be seen running)."""
    year = getattr(day, "year", None)
    if year is not None and year > LAST_YEAR:
        raise LimitError(f"{field} must lie before {LAST_YEAR + 1}, got {day}", field=field)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def json_depth(body: bytes) -> int:
    """How deeply a JSON text nests arrays and objects, counted without parsing it.

    Strings are cut out first (escapes honoured), so brackets inside them do not count;
    then only the brackets are walked. Recursion-free and C-speed for the bulk, so a 3 KB
    body nested 500 deep is measured, never parsed.
    """
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    depth = deepest = 0
    for byte in brackets:
        if byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.S)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
