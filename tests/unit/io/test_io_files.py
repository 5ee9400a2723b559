"""The one atomic file writer: a failure leaves the file that was there, and no temporary file behind."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from putuo_community.domain.errors import BadFile
from putuo_community.io.files import atomic_target, replacing, write_file


def test_a_finished_block_replaces_the_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old")
    with replacing(target) as stream:
        stream.write(b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]


def test_a_failed_block_keeps_the_old_file_and_lets_the_error_through(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_bytes(b"old")

    def write_half() -> None:
        with replacing(target) as stream:
            stream.write(b"half")
            raise OSError(errno.ENOSPC, "disk full")

    with pytest.raises(OSError, match="disk full"):
        write_half()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_file_system_failures_are_told_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(BadFile, match=r"文件夹.*不存在"):
        write_file(tmp_path / "missing" / "档案.pdf", b"%PDF")
    target = tmp_path / "档案.pdf"

    def write_on_a_full_disk() -> None:
        with atomic_target(target, opened_by="PDF 阅读器") as stream:
            stream.write(b"%PDF")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(BadFile, match="磁盘空间不足"):
        write_on_a_full_disk()
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
