"""The expected-utility model written as plain Python loops: the benchmark baseline.

Same equations and options as :mod:`scomodel.bargaining.eum`, one pair at a time, with no
NumPy, so the vectorised version can be checked against it number for number and timed
against it (``benchmarks/bench_bargaining.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from scomodel.bargaining.eum_options import EUMOptions

__all__ = ["run_eum_reference"]


def _median(x: list[float], w: list[float], tie: str) -> float:
    best: float | None = None
    best_cost = 0.0
    for cand in sorted(set(x), reverse=(tie == "highest")):
        cost = sum(wk * abs(xk - cand) for xk, wk in zip(x, w, strict=True))
        if best is None or cost < best_cost - 1e-12 * max(1.0, abs(best_cost)):
            best, best_cost = cand, cost
    assert best is not None
    return best


def _u(base: float, r: float) -> float:
    return 2.0 - 4.0 * base**r


def _prob(
    x: list[float], w: list[float], r: list[float], rng: float, o: EUMOptions
) -> list[list[float]]:
    n = len(x)
    vr = r if o.vote_risk == "voter" else [1.0] * n
    dv = [[(abs(x[k] - x[a]) / rng) ** vr[k] for a in range(n)] for k in range(n)]
    total = 0.0
    if o.probability == "all_pairs":
        for k in range(n):
            for a in range(n):
                for b in range(n):
                    total += abs(w[k] * (dv[k][b] - dv[k][a]))
    p = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if x[i] == x[j]:
                continue
            num = 0.0
            den = 0.0
            for k in range(n):
                v = w[k] * (dv[k][j] - dv[k][i])
                num += max(0.0, v)
                den += abs(v)
            den = total if o.probability == "all_pairs" else den
            p[i][j] = num / den if den > 0 else 0.0
    return p


def _eu(d: float, p: float, s_res: float, r: float, d_mu: float, better: float, q: float) -> float:
    us = _u(0.5 - 0.5 * d, r)
    uf = _u(0.5 + 0.5 * d, r)
    usq = _u(0.5, r)
    val = s_res * (p * us + (1 - p) * uf) + (1 - s_res) * us
    if q >= 1.0:
        return val - usq
    ub = _u(0.5 - 0.25 * (d_mu + d), r)
    uw = _u(0.5 + 0.25 * (d_mu + d), r)
    return val - (q * usq + (1 - q) * (better * ub + (1 - better) * uw))


def _better(x: list[float], i: int, j: int, mu: float, o: EUMOptions) -> float:
    if o.t_rule == "always":
        return 1.0
    return 1.0 if abs(x[i] - mu) < abs(x[i] - x[j]) else 0.0


def _risk(
    x: list[float], s: list[float], w: list[float], rng: float, mu: float, o: EUMOptions
) -> list[float]:
    n = len(x)
    p = _prob(x, w, [1.0] * n, rng, o)
    sec = [0.0] * n
    for i in range(n):
        for j in range(n):
            if i != j:
                d = abs(x[j] - x[i]) / rng
                sec[i] += _eu(
                    d, p[j][i], s[i], 1.0, abs(x[j] - mu) / rng, _better(x, j, i, mu, o), o.q
                )
    hi, lo = max(sec), min(sec)
    out = []
    for v in sec:
        big = (2 * v - hi - lo) / (hi - lo) if hi > lo else 0.0
        out.append((1 - big / 3) / (1 + big / 3))
    return out


def _step(x: list[float], c: list[float], s: list[float], rng: float, o: EUMOptions) -> list[float]:
    n = len(x)
    w = [ci * si for ci, si in zip(c, s, strict=True)]
    mu = _median(x, w, o.median_tie)
    r = _risk(x, s, w, rng, mu, o)
    p = _prob(x, w, r, rng, o)
    new = list(x)
    for i in range(n):
        best: dict[int, tuple[float, float]] = {}
        for j in range(n):
            if x[i] == x[j]:
                continue
            d = abs(x[i] - x[j]) / rng
            a = _eu(d, p[i][j], s[j], r[i], abs(x[i] - mu) / rng, _better(x, i, j, mu, o), o.q)
            rb = r[i] if o.opponent_risk == "viewer" else r[j]
            sb = s[i] if o.resist_salience == "target" else s[j]
            b = _eu(d, p[j][i], sb, rb, abs(x[j] - mu) / rng, _better(x, j, i, mu, o), o.q)
            move = abs(x[j] - x[i])
            if b > a > 0:
                kind, key, pos = 1, move, x[j]
            elif (o.compromise_minus == "figure" and b > 0 > a and b > abs(a)) or (
                o.compromise_minus == "text" and a < 0 and b < 0 and abs(b) > abs(a)
            ):
                pos = x[i] + (x[j] - x[i]) * abs(a / b)
                if o.offer_selection == "scholz_code":
                    key = (abs(a) * x[i] + abs(b) * x[j]) / (abs(a) + abs(b))
                else:
                    key = abs(pos - x[i])
                kind = 2
            elif o.capitulation and b > 0 > a and abs(a) >= b:
                kind, key, pos = 3, move, x[j]
            else:
                continue
            if kind not in best or key < best[kind][0]:
                best[kind] = (key, pos)
        for kind in (1, 2, 3):
            if kind in best:
                new[i] = best[kind][1]
                break
    return new


def run_eum_reference(
    capability: Sequence[float],
    position: Sequence[float],
    salience: Sequence[float],
    options: EUMOptions | None = None,
) -> tuple[list[float], list[float], list[list[float]]]:
    """(medians, means, positions) for rounds 0..rounds, as :func:`run_eum` computes them."""
    o = options or EUMOptions()
    c = [float(v) for v in capability]
    x = [float(v) for v in position]
    s = [float(v) for v in salience]
    scale = o.salience_scale or (100.0 if max(s) > 1.0 else 1.0)
    s = [v / scale for v in s]
    w = [ci * si for ci, si in zip(c, s, strict=True)]
    rng = max(x) - min(x)
    medians, means, history = [], [], []

    def record(xs: list[float]) -> None:
        medians.append(_median(xs, w, o.median_tie))
        means.append(sum(a * b for a, b in zip(xs, w, strict=True)) / sum(w))
        history.append(list(xs))

    record(x)
    for _ in range(o.rounds):
        if o.range_rule == "current" and max(x) > min(x):
            rng = max(x) - min(x)
        new = _step(x, c, s, rng, o)
        moved = new != x
        x = new
        record(x)
        if o.stop_when_stable and not moved:
            break
    return medians, means, history
