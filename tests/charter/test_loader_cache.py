"""The built-in rulebooks are kept as a pickle keyed by every file they are read from."""

from __future__ import annotations

from pathlib import Path

import pytest

from scomodel.charter import loader


def test_pickle_is_used_until_an_input_changes(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    reads: list[Path] = []
    real = loader._read_dir

    def counting(root: Path) -> tuple:
        reads.append(root)
        return real(root)

    monkeypatch.setattr(loader, "_read_dir", counting)
    first = loader._cached_books(str(loader.RULEBOOK_DIR))
    again = loader._cached_books(str(loader.RULEBOOK_DIR))
    assert len(reads) == 1 and [b.id for b in again] == [b.id for b in first]
    assert again == first  # the same validated models, rules and sources included
    pickle = tmp_path / "scomodel" / "charter-rulebooks.pickle"
    assert pickle.read_bytes().split(b"\n", 1)[0] == loader._inputs_digest(
        loader.RULEBOOK_DIR).encode()
    monkeypatch.setattr(loader, "_inputs_digest", lambda root: "a file changed")
    loader._cached_books(str(loader.RULEBOOK_DIR))
    assert len(reads) == 2  # a changed input is read afresh


def test_other_folders_are_never_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "books"
    folder.mkdir()
    assert loader._cached_books(str(folder)) == ()
    assert not (tmp_path / "scomodel").exists()
