"""Charter: how fast the decision rule answers, as the bargaining model calls it.

Baseline: selecting the rules in force from scratch on every call (no cache). Measured:
``decision_rule(org, on)`` with the engine's selection cache, and ``passes`` itself.
Prints microseconds per call and the ratio against the baseline of the same run.
"""

from __future__ import annotations

import time

from scomodel.charter import decision_rule
from scomodel.charter.decision import decision_rule_from
from scomodel.charter.engine import select
from scomodel.charter.loader import load_rulebooks

MEMBERS = ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB", "IND", "PAK"]
DAYS = ["2004-07-01", "2010-06-01", "2018-01-01", "2025-10-01"]


def _per_call(fn, n: int) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    import datetime as dt

    books = [b for b in load_rulebooks() if b.org == "SCO"]
    days = [dt.date.fromisoformat(d) for d in DAYS]
    decision_rule("SCO", DAYS[0])  # load the rulebooks once
    n = 2000
    base = _per_call(lambda i: decision_rule_from(select("SCO", days[i % 4], books)), n)
    cached = _per_call(lambda i: decision_rule("SCO", DAYS[i % 4]), n)
    rule = decision_rule("SCO", "2018-01-01")
    passes = _per_call(lambda i: rule.passes(["PAK"] if i % 2 else [], MEMBERS), 20 * n)
    print(f"decision rule, uncached selection (baseline): {base:8.1f} us/call")
    print(f"decision rule, cached selection:              {cached:8.1f} us/call  "
          f"ratio {base / cached:6.1f}x faster")
    print(f"DecisionRule.passes (8 members):              {passes:8.1f} us/call")
