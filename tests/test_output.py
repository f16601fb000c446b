"""Output files: whole or nothing, ordinary permissions, spreadsheet-safe cells."""

from __future__ import annotations

import os
import stat

import pytest

from relimpact.common.errors import OutputError
from relimpact.common.output import csv_safe, write_atomic


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("-0.25", "-0.25"),
        ("+1", "+1"),
        ("plain words", "plain words"),
        (None, ""),
        (3.5, "3.5"),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_write_atomic_writes_whole_file_with_ordinary_permissions(tmp_path):
    target = tmp_path / "out.txt"
    write_atomic(target, "hello\n")
    assert target.read_text() == "hello\n"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_write_atomic_refuses_missing_folder_and_inputs(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "out.txt", "x")
    source = tmp_path / "in.csv"
    source.write_text("a\n")
    with pytest.raises(OutputError, match="is one of the input files"):
        write_atomic(source, "x", inputs=(source,))
    assert source.read_text() == "a\n"
    with pytest.raises(OutputError, match="is a folder"):
        write_atomic(tmp_path, "x")
