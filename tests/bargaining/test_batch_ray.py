"""A real two-node Ray cluster on this machine (two raylets, as Ray's own tests start
them) runs the batched Monte Carlo job, through the API and through the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from scomodel.bargaining.montecarlo import MCInput, monte_carlo

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    pytest.importorskip("ray")
    import ray
    from ray.cluster_utils import Cluster

    if ray.is_initialized():
        ray.shutdown()
    two = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    two.add_node(num_cpus=1)
    two.wait_for_nodes()
    yield two
    if ray.is_initialized():
        ray.shutdown()
    two.shutdown()


def test_two_nodes_run_the_job_with_the_local_numbers(cluster) -> None:  # type: ignore[no-untyped-def]
    import ray

    rng = np.random.default_rng(2)
    inp = MCInput(model="eum", capability=rng.uniform(1, 9, 10), position=rng.uniform(0, 100, 10),
                  salience=rng.uniform(20, 90, 10), scale=(0.0, 100.0), status_quo=40.0,
                  veto_index=(0, 1, 2), needed=2, sd_position=5.0, sd_salience=5.0,
                  sd_capability=0.1)
    local = monte_carlo(inp, 400, seed=9, backend="serial")
    on_cluster = monte_carlo(inp, 400, seed=9, backend="ray", workers=2,
                             address=cluster.address)
    assert np.array_equal(local.outcomes, on_cluster.outcomes)
    assert np.array_equal(local.consensus, on_cluster.consensus)
    ray.init(address=cluster.address)
    try:
        assert len([n for n in ray.nodes() if n["Alive"]]) == 2
        assert ray.cluster_resources()["CPU"] == 2
    finally:
        ray.shutdown()


def test_the_cli_joins_the_cluster(cluster) -> None:  # type: ignore[no-untyped-def]
    def bargain(*extra: str, env: dict[str, str] | None = None) -> dict:
        done = subprocess.run(
            [sys.executable, "-c", "from scomodel.cli import main; main()", "bargain",
             "astana-2005-bases", "--runs", "200", "--seed", "3", "--format", "json", *extra],
            capture_output=True, text=True, timeout=300, env=env or os.environ.copy())
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    local = bargain()
    by_flag = bargain("--backend", "ray", "--address", cluster.address)
    by_env = bargain("--backend", "ray", env={**os.environ, "RAY_ADDRESS": cluster.address})
    for joined in (by_flag, by_env):
        assert joined["distribution"]["backend"] == "ray"
        for key in ("quantiles", "mean", "p_consensus"):
            assert joined["distribution"][key] == local["distribution"][key]
