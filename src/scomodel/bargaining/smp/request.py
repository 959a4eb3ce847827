"""Running the SMP for a face: a scenario (path or built-in name) to the JSON every face shows.

The CLI (``scomodel bargain --model smp`` and ``bargain-smp``), the bargaining runner and
the report all answer through :func:`run_cli`/:func:`run_request`, so they print the same
numbers; the faces only format them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scomodel.bargaining.smp.dating import require_smp_ex_ante, smp_hindsight_summary
from scomodel.bargaining.smp.loader import load_scenario
from scomodel.bargaining.smp.model import run_smp
from scomodel.bargaining.smp.montecarlo import run_monte_carlo
from scomodel.bargaining.smp.options import SMPOptions
from scomodel.errors import InputError

__all__ = ["run_cli", "run_request", "table_rows"]


def run_cli(
    scenario: str | Path,
    *,
    runs: int = 0,
    seed: int = 0,
    backend: str = "local",
    plot: str | Path | None = None,
    noise: float = 0.0,
    progress: bool = False,
    workers: int | None = None,
    options: dict[str, Any] | None = None,
    stochastic: bool = True,
    ex_ante: bool = False,
) -> dict[str, Any]:
    """Run a scenario (path or built-in name) and return the JSON the CLI prints.

    ``turns`` lists the states, the initial one first; ``final`` repeats the last. With
    ``runs`` > 0 a Monte Carlo summary is added as ``monte_carlo`` (stochastic transitions
    unless ``stochastic=False``; positions perturbed by ``noise`` scale points). ``plot``
    saves the positions-per-turn figure (and, with runs, the forecast histogram next to
    it as ``<stem>-mc<suffix>``). The output carries the hindsight audit
    (``decision_date``, ``hindsight_inputs``, ``hindsight``); ``ex_ante`` refuses a scenario
    with any input not dated before its decision, or with no decision date.
    """
    sc, opts = load_scenario(scenario)
    if ex_ante:
        require_smp_ex_ante(sc, str(scenario))
    if options:
        opts = SMPOptions.from_mapping({**opts.to_mapping(), **options})
    result = run_smp(sc, opts)
    out = result.to_json()
    out["options"] = {k: (v.value if hasattr(v, "value") else v) for k, v in opts.__dict__.items()}
    out.update(smp_hindsight_summary(sc))
    mc = None
    if runs > 0:
        mc_args = dict(
            runs=runs,
            seed=seed,
            backend=backend,
            noise=noise,
            workers=workers,
            stochastic=stochastic,
        )
        mc = _monte_carlo(sc, opts, progress, mc_args)
        out["monte_carlo"] = mc.summary()
    if plot is not None:
        from scomodel.bargaining.smp.plots import plot_monte_carlo, plot_turns, save_figure

        path = Path(plot)
        if path.suffix.lower() not in (".png", ".svg", ".pdf"):
            raise InputError("plot file must end in .png, .svg or .pdf", field="plot")
        out["plot"] = str(save_figure(plot_turns(result), path))
        if mc is not None:
            mc_path = path.with_name(f"{path.stem}-mc{path.suffix}")
            out["plot_monte_carlo"] = str(save_figure(plot_monte_carlo(mc), mc_path))
    return out


def run_request(req: Any) -> dict[str, Any]:
    """``scomodel bargain --model smp``: the bargaining part's request, answered by run_cli.

    Uses the request's scenario, runs, seed, backend, workers, plot, progress and
    ``--option NAME=VALUE`` pairs: any :class:`SMPOptions` field, plus ``noise`` (Monte
    Carlo position error in scale points) and ``stochastic`` (false: Monte Carlo keeps
    deterministic transitions).
    """
    from scomodel.inputs import check_number

    options = dict(getattr(req, "options", None) or {})
    noise = check_number(options.pop("noise", 0.0), field="noise", low=0.0)
    stochastic = options.pop("stochastic", True)
    if isinstance(stochastic, str):  # --option stochastic=false arrives as text
        stochastic = {"true": True, "false": False, "1": True, "0": False}.get(
            stochastic.strip().lower(), stochastic)
    if stochastic in (0, 1) and not isinstance(stochastic, bool):
        stochastic = bool(stochastic)
    if not isinstance(stochastic, bool):
        raise InputError(f"stochastic must be true or false, got {stochastic!r}",
                         field="stochastic")
    return run_cli(
        req.scenario,
        runs=req.runs,
        seed=req.seed,
        backend=req.backend,
        plot=req.plot,
        noise=noise,
        progress=bool(getattr(req, "progress", False)),
        workers=getattr(req, "workers", None),
        options=options,
        stochastic=stochastic,
        ex_ante=bool(getattr(req, "ex_ante", False)),
    )


def _monte_carlo(sc: Any, opts: Any, progress: bool, mc_args: dict[str, Any]) -> Any:
    if not progress:
        return run_monte_carlo(sc, opts, **mc_args)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(f"SMP Monte Carlo ({mc_args['backend']})", total=mc_args["runs"])
        return run_monte_carlo(sc, opts, progress=lambda k: bar.advance(task, k), **mc_args)


def table_rows(out: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per actor: its final position per dimension and its final probability."""
    final = out["final"]
    rows = []
    for actor, pos in final["positions"].items():
        row: dict[str, Any] = {"actor": actor}
        for dim, x in zip(out["dimensions"], pos, strict=True):
            row[dim] = round(x, 2)
        row["probability"] = round(final["probabilities"][actor], 4)
        rows.append(row)
    return rows
