"""Reading a register while the program starts: the same grid, the same errors, never a stale file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from putuo_community.cli.prefetch import import_source
from putuo_community.domain.errors import BadFile
from putuo_community.io import prefetch
from putuo_community.io.workbook import read_sheet


def _register(path: Path, names: list[str]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "小区"
    sheet.append(["街镇", "小区名称"])
    for name in names:
        sheet.append(["长征镇", name])
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["import", "estates", "台账.xlsx"], ("台账.xlsx", None)),
        (["--data-dir", "D", "import", "estates", "台账.xlsx", "--sheet", "梅川"], ("台账.xlsx", "梅川")),
        (["import", "--mapping", "m.json", "estates", "--sheet=梅川", "台账.xlsx"], ("台账.xlsx", "梅川")),
        (["import", "estates", "台账.xlsx", "--report", "错误.xlsx", "--dry-run"], ("台账.xlsx", None)),
        (["--data-dir", "import", "reminders"], None),  # "import" is a folder's name here
        (["import", "estates", "--help"], None),
        (["import", "estates"], None),
        (["reminders"], None),
    ],
)
def test_the_register_an_import_command_names(argv: list[str], expected: tuple[str, str | None] | None) -> None:
    found = import_source(argv)
    assert (None if found is None else (str(found[0]), found[1])) == expected


def test_the_grid_read_ahead_is_the_grid_read_now(tmp_path: Path) -> None:
    path = _register(tmp_path / "台账.xlsx", ["梅川一村", "梅川二村"])
    prefetch.start(path)
    grid = prefetch.take(path)
    assert grid is not None
    assert grid.rows == read_sheet(path).rows
    assert prefetch.take(path) is None  # taken once: a second import reads the file again


def test_a_file_changed_since_it_was_read_ahead_is_read_again(tmp_path: Path) -> None:
    path = _register(tmp_path / "台账.xlsx", ["梅川一村"])
    prefetch.start(path)
    prefetch._reads[prefetch._key(path, None)].thread.join()
    _register(path, ["梅川一村", "梅川二村", "梅川三村"])
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert prefetch.take(path) is None


def test_another_sheet_or_file_is_not_taken(tmp_path: Path) -> None:
    path = _register(tmp_path / "台账.xlsx", ["梅川一村"])
    prefetch.start(path, "小区")
    assert prefetch.take(path) is None  # asked for the default sheet, not for "小区" by name
    assert prefetch.take(tmp_path / "别的.xlsx", "小区") is None
    assert prefetch.take(path, "小区") is not None


def test_reading_ahead_a_broken_file_raises_the_same_error_when_taken(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"%PDF-1.4 not a workbook")
    with pytest.raises(BadFile) as now:
        read_sheet(path)
    prefetch.start(path)
    with pytest.raises(BadFile) as ahead:
        prefetch.take(path)
    assert str(ahead.value) == str(now.value)
