"""Install the way users do: build the wheel, install it into a fresh venv, run every part.

The development environment has every extra, so a command that imports the API at start
(as ``cli.py`` once did) passes every other test and fails for the user who typed
``pip install scomodel``. This test builds the wheel, installs it with no extras into a
fresh virtual environment outside the checkout (dependencies from the package index),
runs one command of every part there, then adds the ``web`` extra and serves.

Slow (a minute or two, mostly downloads): ``pytest -m slow tests/test_install.py``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None,
         check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    """A fresh venv holding the built wheel and its dependencies, nothing else."""
    root = tmp_path_factory.mktemp("install")
    wheels = root / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, ROOT)
    (wheel,) = wheels.glob("scomodel-*.whl")
    _run(sys.executable, "-m", "venv", root / "venv")
    python = root / "venv" / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SCOMODEL_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(SCOMODEL_DB=str(root / "store.sqlite"), XDG_CACHE_HOME=str(root / "cache"),
               PATH=f"{root / 'venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    return root, env, wheel


def _scomodel(venv: tuple[Path, dict[str, str], Path], *args: str,
              check: bool = True) -> subprocess.CompletedProcess[str]:
    root, env, _ = venv
    return _run(root / "venv" / "bin" / "scomodel", *args, env=env, cwd=root, check=check)


def test_the_installed_package_is_not_the_checkout(venv: tuple[Path, dict[str, str], Path]
                                                   ) -> None:
    root, env, _ = venv
    where = _run(root / "venv" / "bin" / "python", "-c",
                 "import scomodel, importlib.util as u; print(scomodel.__file__); "
                 "print(u.find_spec('fastapi') is None)", env=env, cwd=root).stdout.split()
    assert str(ROOT) not in where[0] and "site-packages" in where[0]
    assert where[1] == "True"  # no extras: FastAPI is not there


def test_every_part_runs_without_extras(venv: tuple[Path, dict[str, str], Path]) -> None:
    root = venv[0]
    rows = json.loads(_scomodel(venv, "status", "IND", "SCO", "--on", "2010-01-01",
                                "--format", "json").stdout)
    assert [r["status"] for r in rows] == ["observer"]
    again = json.loads(_scomodel(venv, "status", "IND", "SCO", "--on", "2010-01-01",
                                 "--format", "json").stdout)  # from the prebuilt index
    assert again == rows
    pairs = json.loads(_scomodel(venv, "overlap", "--on", "2010", "--format", "json").stdout)
    assert any({p["a"], p["b"]} == {"CSTO", "SCO"} for p in pairs)
    forecast = json.loads(_scomodel(venv, "bargain", "astana-2005-bases", "--format",
                                    "json").stdout)
    assert forecast
    rules = json.loads(_scomodel(venv, "rules", "SCO", "--on", "2010-01-01", "--format",
                                 "json").stdout)
    assert rules
    report = _scomodel(venv, "report", "--out", str(root / "report"))
    assert (root / "report" / "index.html").exists() and "report" in report.stdout
    serve = _scomodel(venv, "serve", check=False)
    assert serve.returncode == 2
    assert "pip install 'scomodel[web]'" in serve.stderr and "Traceback" not in serve.stderr
    ray = _scomodel(venv, "bargain", "astana-2005-bases", "--runs", "20", "--backend", "ray",
                    check=False)
    assert ray.returncode == 2 and "scomodel[ray]" in ray.stderr
    assert "Usage" in _scomodel(venv, "--help").stdout


def test_the_web_extra_serves(venv: tuple[Path, dict[str, str], Path]) -> None:
    root, env, wheel = venv
    _run(root / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", f"{wheel}[web]", env=env)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([root / "venv" / "bin" / "scomodel", "serve", "--port", str(port)],
                            env=env, cwd=root, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                url = f"http://127.0.0.1:{port}/api/members/SCO?on=2005-07-06&status=observer"
                with urllib.request.urlopen(url, timeout=5) as answer:
                    rows = json.loads(answer.read())
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "scomodel serve did not start"
                time.sleep(0.3)
        from scomodel.registry import Registry  # the checkout's answer, same data

        expected = [r.actor for r in Registry.open().members("SCO", "2005-07-06", "observer")]
        assert [r["actor"] for r in rows] == expected
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
