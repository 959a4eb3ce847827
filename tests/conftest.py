"""Shared fixtures: every test run gets its own stores, never the user's cache.

``postgres_url`` starts a throwaway PostgreSQL server (Debian's binaries, trust auth on
loopback) so the store tests run on both backends, as users will.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "registry" / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _isolated_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point the default store at a per-run SQLite file."""
    path = tmp_path_factory.mktemp("store") / "registry.sqlite"
    old = os.environ.get("SCOMODEL_DB")
    os.environ["SCOMODEL_DB"] = str(path)
    os.environ.pop("SCOMODEL_DATA", None)
    yield
    if old is None:
        os.environ.pop("SCOMODEL_DB", None)
    else:
        os.environ["SCOMODEL_DB"] = old


@pytest.fixture
def good_data() -> Path:
    """A small hand-checked data folder (tests/registry/fixtures/good)."""
    return FIXTURES / "good"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.fail(f"PostgreSQL's {name} is not installed (make system-deps installs it)")
    return found[-1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server for this test run; yields a URL to its ``postgres`` database."""
    # under /tmp itself: pytest's own temp root is private to root, and the server runs
    # as the postgres user
    root = Path(tempfile.mkdtemp(prefix="scomodel-pg-"))
    data, port = root / "data", _free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres")
        os.chmod(root, 0o755)
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_user, _pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
                   check=True, capture_output=True)
    subprocess.run(
        [*as_user, _pg_bin("pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-o",
         f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
        check=True, capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, _pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh database on the test server for each test."""
    import psycopg

    name = f"t{time.monotonic_ns()}"
    admin = postgres_server
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield admin.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest) -> str:
    """Run a test on both backends."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))
