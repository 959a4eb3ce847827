"""The CLI as a user feels it: median wall time of whole processes.

``scomodel status IND SCO --on 2010-01-01 --format json`` against ``python -c pass`` and
against the code path before this change (a baseline script doing what every command did:
import every part's CLI module, the API included, open the registry and answer through
it), with the curated data only and with all of COW IGO v3 imported; then the
sweeps (``overlap``, ``network``, ``evolution`` monthly 1996-2026) and ``evolution --step
day`` (bytes written). Each process runs ``BENCH_CLI_REPEAT`` times (default 11), after one
warm-up that builds the index; the data folder is a copy of the package's, so others'
edits to it during the run do not invalidate the index.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEAT = int(os.environ.get("BENCH_CLI_REPEAT", "11"))
COW_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "cow_igo_v3"
SCOMODEL = [sys.executable, "-c", "from scomodel.cli import main; main()"]
OLD_PATH = [sys.executable, "-c", (
    "import scomodel.registry.cli, scomodel.architecture.cli, scomodel.bargaining.cli\n"
    "import scomodel.api.cli, scomodel.charter.cli\n"
    "from scomodel.registry import Registry\n"
    "from scomodel.output import emit\n"
    "emit(Registry.open().status('IND', 'SCO', '2010-01-01'), 'json')\n")]
QUERY = ["status", "IND", "SCO", "--on", "2010-01-01", "--format", "json"]


def _median(cmd: list[str], env: dict[str, str], repeat: int = REPEAT) -> tuple[float, int]:
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm-up (builds caches)
    times, size = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
        size = len(done.stdout)
    return statistics.median(times), size


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    from scomodel.registry.loader import DATA_DIR

    root = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    data = root / "data"
    shutil.copytree(DATA_DIR, data)
    base = {**os.environ, "SCOMODEL_DATA": str(data)}
    print(f"load average at start: {_load()} ({os.cpu_count()} cores); median of {REPEAT}")
    bare, _ = _median([sys.executable, "-c", "pass"], base)
    print(f"{'python -c pass':>44}: {bare * 1000:7.0f} ms")
    stores = {"curated": root / "curated.sqlite"}
    if COW_DIR.exists():
        stores["curated + COW"] = root / "cow.sqlite"
        t = time.perf_counter()
        subprocess.run([*SCOMODEL, "import", "cow-igo", str(COW_DIR)], capture_output=True,
                       check=True, env={**base, "SCOMODEL_DB": str(stores["curated + COW"])})
        print(f"{'(COW IGO v3 import, not counted)':>44}: {time.perf_counter() - t:7.1f} s")
    for label, db in stores.items():
        env = {**base, "SCOMODEL_DB": str(db)}
        new, _ = _median([*SCOMODEL, *QUERY], env)
        old, _ = _median(OLD_PATH, env)
        print(f"{'status, ' + label + ', prebuilt index':>44}: {new * 1000:7.0f} ms "
              f"({new / bare:.0f}x python -c pass)")
        print(f"{'status, ' + label + ', registry (old path)':>44}: {old * 1000:7.0f} ms "
              f"(index {old / new:.1f}x faster)", flush=True)
    env = {**base, "SCOMODEL_DB": str(stores["curated"])}
    for args in (["members", "SCO", "--on", "2005-07-06"], ["orgs", "IND", "--on", "2016"],
                 ["timeline", "IND"],
                 ["overlap", "--on", "2010", "--format", "json"],
                 ["network", "--on", "2010", "--format", "json"],
                 ["evolution", "--from", "1996", "--to", "2026", "--format", "json"],
                 ["evolution", "--from", "1996", "--to", "2026", "--step", "day", "--format",
                  "json"]):
        wall, size = _median([*SCOMODEL, *args], env, max(3, REPEAT // 2))
        print(f"{' '.join(args)[:44]:>44}: {wall * 1000:7.0f} ms, {size / 1e6:.2f} MB out",
              flush=True)
    print(f"load average at end: {_load()}")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
