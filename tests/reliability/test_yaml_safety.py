"""Reading YAML safely: every hostile file is a one-line InputError, never a hang or a crash."""

from __future__ import annotations

import os
import sys

import pytest

from scomodel.errors import InputError
from scomodel.registry.schema import SpellEntry
from scomodel.registry.yamlio import MAX_YAML_DEPTH, read_yaml, validate


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _one_line_error(path, match: str) -> InputError:
    with pytest.raises(InputError, match=match) as err:
        read_yaml(path)
    assert "\n" not in str(err.value)
    return err.value


def test_alias_bomb_is_refused_quickly(tmp_path):
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefg", "bcdefgh", strict=False):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    path = _write(tmp_path, "bomb.yaml", "\n".join(levels).encode())
    _one_line_error(path, "aliases expand")


def test_ordinary_aliases_still_work(tmp_path):
    path = _write(tmp_path, "ok.yaml", b"a: &x {k: 1}\nb: *x\nc: *x\n")
    assert read_yaml(path)["c"]["k"] == 1


def test_deep_nesting_is_refused(tmp_path):
    path = _write(tmp_path, "deep.yaml", b"x: " + b"[" * 3000 + b"]" * 3000)
    _one_line_error(path, f"deeper than {MAX_YAML_DEPTH}")
    ok = _write(tmp_path, "fine.yaml", b"x: " + b"[" * 20 + b"]" * 20)
    read_yaml(ok)


@pytest.mark.parametrize(("data", "match"), [
    ("a: café\n".encode("latin-1"), "not UTF-8"),
    (b"a: [1, 2\n", "invalid YAML"),
    (b"a: !!binary AAAA\nb: !!set {x}\n", None),
    (b"a: !!python/object:os.system {}\n", None),  # kept as data, never constructed
])
def test_bad_bytes_and_tags(tmp_path, data, match):
    path = _write(tmp_path, "x.yaml", data)
    if match is None:  # harmless standard tags load, or fail with one line
        try:
            read_yaml(path)
        except InputError as exc:
            assert "\n" not in str(exc)
        return
    _one_line_error(path, match)


def test_bom_and_utf16_are_read(tmp_path):
    assert read_yaml(_write(tmp_path, "bom.yaml", b"\xef\xbb\xbfa: 1\n")) == {"a": 1}
    assert read_yaml(_write(tmp_path, "u16.yaml", "a: 2\n".encode("utf-16"))) == {"a": 2}


def test_impossible_unquoted_date_names_field_and_line(tmp_path):
    path = _write(tmp_path, "s.yaml", b"actor: KAZ\nstatus: member\nstart: 2010-02-30\n"
                  b"sources: [{source: zhao2004}]\n")
    node = read_yaml(path)
    with pytest.raises(Exception) as err:
        validate(SpellEntry, node, file=str(path))
    text = str(err.value)
    assert "2010-02-30" in text and ":3" in text and "start" in text


def test_non_regular_files_are_refused(tmp_path):
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    _one_line_error(folder, "folder")
    loop = tmp_path / "loop.yaml"
    os.symlink(loop, loop)
    _one_line_error(loop, "cannot read")
    if sys.platform != "win32":
        fifo = tmp_path / "fifo.yaml"
        os.mkfifo(fifo)
        _one_line_error(fifo, "not a regular file")  # never blocks waiting for a writer


def test_oversized_file_is_refused(tmp_path, monkeypatch):
    import scomodel.registry.yamlio as yamlio

    monkeypatch.setattr(yamlio, "MAX_YAML_BYTES", 100)
    path = _write(tmp_path, "big.yaml", b"a: " + b"x" * 200 + b"\n")
    with pytest.raises(InputError, match="over the limit"):
        yamlio.read_text_safely(path, limit=100)
