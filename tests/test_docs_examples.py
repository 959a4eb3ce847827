"""Every ``$ scomodel ...`` line in README.md and docs/*.md runs (issue 10: docs as tests).

The lines are read from the ```console blocks, run in-process in a temporary folder
(``../shared/data/...`` and ``src/...`` read from the repository root, as in the docs), in
document order (an example may use the what-if copy an earlier one made), with every file they
write (``--plot``, ``--graph``, ``--out``, ``> file``) sent to a temporary folder. Optional
parts (``[--kind step]``) run too; placeholders (``FILE.yaml``, ``WHATIF.yaml``, ``NAME``,
``DATE``) get the example files the docs describe. A line followed by ``error: ...`` in the
block must fail with exactly that message; ``--format json`` answers are parsed strictly.
Examples that need the COW import or Ray are marked slow.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.clirun import invoke

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PLACEHOLDERS = {
    "FILE.yaml": "src/scomodel/data/rulebooks/examples/usa-dialogue-partner-2010.yaml",
    "WHATIF.yaml": "src/scomodel/data/rulebooks/whatif/qmv-2017.yaml",
    "NAME": "docs-examples",
    "my-cases/": "src/scomodel/scenarios/backtest/",
}
OUTPUTS = ("--plot", "--graph", "--out")
#: Lines that cannot run in a test, and why (the behaviour is tested elsewhere).
NOT_RUN = {"serve": "starts a server that runs until stopped (tests/api/test_serve.py)"}
NEEDS_COW = ("cow-igo", "--dataset cow")


def _slow(text: str) -> bool:
    """COW import (a minute), Ray, the report, the backtest and runs by the hundred."""
    runs = re.search(r"--runs (\d+)", text)
    heavy = ("--backend ray", "scomodel report", "scomodel backtest", *NEEDS_COW)
    return any(w in text for w in heavy) or (runs is not None and int(runs.group(1)) >= 500)


@dataclass(frozen=True)
class Example:
    file: str
    line: int
    text: str
    error: str | None = None

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"


def examples() -> list[Example]:
    """Every ``$ scomodel`` line of the docs' console blocks, with the error shown after it."""
    out: list[Example] = []
    for path in DOCS:
        lines = path.read_text(encoding="utf-8").splitlines()
        inside = False
        for i, line in enumerate(lines):
            if line.strip().startswith("```"):
                inside = line.strip() == "```console" and not inside
                continue
            if inside and line.startswith("$ scomodel "):
                text = re.sub(r"\s+#\s.*$", "", line[2:]).strip()
                after = lines[i + 1] if i + 1 < len(lines) else ""
                error = after if after.startswith("error:") else None
                out.append(Example(str(path.relative_to(ROOT)), i + 1, text, error))
    return out


def argv(example: Example, tmp: Path) -> list[str]:
    """The example's arguments, optional parts included, outputs sent to ``tmp``.

    The command runs in ``tmp``: files the docs read (``src/...``, ``../shared/...``) are
    made absolute, anything else relative (``export datapackage build/dp``) lands in ``tmp``.
    """
    words = [w.strip("[]") for w in shlex.split(example.text)[1:]]
    args: list[str] = []
    skip_next = False
    for k, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        if word == ">":
            skip_next = True  # stdout is captured; the file it would go to is not needed
            continue
        word = PLACEHOLDERS.get(word, word).replace("DATE", "2001-12-31")
        if k and words[k - 1] in OUTPUTS:
            word = str(tmp / Path(word).name)
        elif "/" in word and (ROOT / word).exists():
            word = str((ROOT / word).resolve())
        args.append(word)
    return args


def _expected(example: Example) -> str:
    """The error the docs show, with the paths it names made absolute as :func:`argv` does."""
    assert example.error is not None
    text = example.error
    for word in shlex.split(example.text):
        if "/" in word and (ROOT / word).exists():
            text = text.replace(word, str((ROOT / word).resolve()))
    return text


def _strict(text: str) -> Any:
    def refuse(token: str) -> Any:
        raise ValueError(f"not JSON: {token}")

    return json.loads(text, parse_constant=refuse)


def _params() -> Iterator[Any]:
    for ex in examples():
        command = shlex.split(ex.text)[1]
        if command in NOT_RUN:
            yield pytest.param(ex, id=ex.id, marks=pytest.mark.skip(reason=NOT_RUN[command]))
        elif _slow(ex.text):
            yield pytest.param(ex, id=ex.id, marks=pytest.mark.slow)
        else:
            yield pytest.param(ex, id=ex.id)


@pytest.fixture(scope="module")
def cow_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store with COW imported, only for the examples that need it (a minute to build)."""
    yield str(tmp_path_factory.mktemp("cow") / "store.sqlite")


def test_the_docs_have_examples() -> None:
    found = examples()
    assert len(found) > 40 and {e.file for e in found} >= {"README.md", "docs/charter.md"}


@pytest.mark.parametrize("example", list(_params()))
def test_doc_example_runs(
    example: Example,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    monkeypatch.chdir(tmp_path)
    if any(w in example.text for w in NEEDS_COW):
        monkeypatch.setenv("SCOMODEL_DB", request.getfixturevalue("cow_store"))
    args = argv(example, tmp_path)
    result = invoke(*args)
    if example.error is not None:
        assert (result.code, result.error.strip()) == (2, _expected(example)), result.stdout
        return
    assert result.code == 0, f"{example.id}: {example.text}\n{result.stderr}{result.stdout[-800:]}"
    if "--format" in args and args[args.index("--format") + 1] == "json":
        _strict(result.stdout)
    for k, word in enumerate(args[:-1]):
        if word in OUTPUTS:
            written = Path(args[k + 1])
            assert written.exists() and (written.is_dir() or written.stat().st_size > 0), word
