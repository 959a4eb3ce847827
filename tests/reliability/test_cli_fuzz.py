"""Fuzzing every command of the CLI: exit 0, or exit 2 with one line, never a traceback.

Each command and option of the Typer app is found by walking the Click group (so a new
command is fuzzed without editing this file), and hypothesis draws values for it from a
pool of hostile inputs chosen by the parameter's type and name (dates, codes, numbers,
paths, option strings). Commands that start servers, write reports or run long jobs are
left to their own tests; costly options are capped by the code (docs/reliability.md), so a
drawn ``--runs 99999999999999999999999`` must be refused, not run.
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from scomodel.cli import COMMANDS, LazyGroup, app, load_part
from tests.clirun import invoke

pytestmark = pytest.mark.slow

#: started elsewhere or too costly to fuzz in-process (servers, reports, whole backtests)
SKIP = {"serve", "report", "backtest", "import", "test-rules"}

DATES = ["2005", "2005-07", "2005-07-06", "2023-02-30", "0000-01-01", "9999-12-31", "-5",
         "2017-13-01", "yesterday", "", "2005-07-06T00:00"]
CODES = ["SCO", "KAZ", "Kazakhstan", "705", "XYZ", "NOPE", "", "IND+PAK", "ind", "COW315",
         "ÜÑÎ", "a" * 300, "../../etc/passwd"]
NUMBERS = ["0", "1", "-1", "1e309", "nan", "inf", "abc", "99999999999999999999999",
           "1000000000000", "3.5", ""]
WORDS = ["member", "observer", "bogus", "json", "table", "csv", "", "maybe", "coup",
         "rounds=abc", "rounds=1e9", "noise=abc", "salience_scale=nan", "x=1"]


def _paths(tmp: str) -> list[str]:
    return [os.path.join(tmp, "out.png"), os.path.join(tmp, "nope", "x.csv"), tmp,
            "/proc/forbidden/x", os.path.join(tmp, "x.txt")]


def _commands() -> list[tuple[str, Any]]:
    found = []
    for name, module in sorted(COMMANDS.items()):
        if name in SKIP:
            continue
        try:
            command = load_part(module).get(name)
        except ModuleNotFoundError:
            continue
        if command is None:
            continue
        if hasattr(command, "commands"):  # a group (export, compare, scenario...)
            for sub, cmd in sorted(command.commands.items()):
                found.append((f"{name} {sub}", cmd))
        else:
            found.append((name, command))
    return found


COMMAND_LIST = _commands()
assert isinstance(app, object) and LazyGroup  # the group the commands come from


def _pool(param: Any, tmp: str) -> list[str]:
    name = (param.name or "").lower()
    kind = str(getattr(getattr(param, "type", None), "name", "") or "").lower()
    if "date" in name or name in ("on", "start", "end", "before", "after", "as_of"):
        return DATES
    if kind in ("integer", "float") or name in ("runs", "seed", "rounds", "workers",
                                                 "from_", "to", "step"):
        return NUMBERS
    if kind == "path" or name in ("out", "plot", "folder", "file", "directory"):
        return _paths(tmp)
    if any(w in name for w in ("org", "actor", "member", "objection", "about", "state")):
        return CODES
    return WORDS + CODES[:4] + DATES[:3]


@st.composite
def _invocation(draw: Any, tmp: str) -> list[str]:
    label, command = draw(st.sampled_from(COMMAND_LIST))
    args = label.split()
    for param in command.params:
        if param.param_type_name == "argument":
            args.append(draw(st.sampled_from(_pool(param, tmp))))
        elif param.is_flag:
            if draw(st.booleans()):
                args.append(param.opts[0])
        elif draw(st.booleans()) and param.opts[0] not in ("--help",):
            args += [param.opts[0], draw(st.sampled_from(_pool(param, tmp)))]
    return args


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("fuzz"))


def test_every_command_is_fuzzed():
    names = {label.split()[0] for label, _ in COMMAND_LIST}
    assert {"members", "status", "orgs", "decide", "bargain", "panel", "cite"} <= names


#: a bound on one invocation, far above what any answer takes on a quiet machine: an input
#: that makes a command run away (a huge --runs accepted) fails here
TIME_BOUND = 120.0


@pytest.mark.parametrize("seed", [20011, 20040])
def test_cli_never_shows_a_traceback(scratch: str, seed: int) -> None:
    tried: list[list[str]] = []
    slowest = [0.0]

    @hypothesis_seed(seed)
    @settings(max_examples=40, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(args=_invocation(scratch))
    def run(args: list[str]) -> None:
        tried.append(args)
        started = time.perf_counter()
        result = invoke(*args)  # raises if the command raised anything but our errors
        slowest[0] = max(slowest[0], time.perf_counter() - started)
        assert time.perf_counter() - started < TIME_BOUND, args
        assert result.code in (0, 1, 2), (args, result.code)
        if result.code == 2:
            lines = [ln for ln in result.error.strip().splitlines() if ln.strip()]
            # Click's usage errors are framed (a few lines, one message); ours are one line
            assert len(lines) <= 8, (args, result.error)
        assert "Traceback" not in result.stdout + result.error, args

    run()
    assert len(tried) >= 30
    print(f"cli fuzz seed {seed}: {len(tried)} inputs tried, 0 failures, slowest "
          f"{slowest[0]:.1f} s")
