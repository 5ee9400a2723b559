"""A 街镇 batch survives hostile estate names and estates that cannot be printed, and cleans up after kills."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import failing_render
import pytest
from pypdf import PdfReader

from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.services.dossier import BatchResult, batch, service
from putuo_community.services.dossier.staging import STALE_AFTER, make_staging_folder, remove_stale_staging

TODAY = date(2026, 11, 24)
LONG_NAME = "曹杨新村第" + "一二三四五六七八九十" * 19 + "小区"  # 197 characters
assert len(LONG_NAME) > 190
HOSTILE = ["CON", "COM1", "nul.txt", "ABC小区", "abc小区", LONG_NAME, "梅川\u202e一村", "a<b>:c"]


def _street(services: Services, name: str = "长征镇") -> int:
    return services.records.list("streets", filters={"name": name})[0].id


def _estates(services: Services, names: list[str], street: str = "长征镇") -> dict[str, int]:
    street_id = _street(services, street)
    return {
        n: services.records.create("estates", {"name": n, "street_id": street_id, "households": 120}) for n in names
    }


def _index_text(result: BatchResult) -> str:
    return "".join("".join(page.extract_text() or "" for page in PdfReader(result.index).pages).split())


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.sqlite_file  # a timestamp column holding text: only a file can be damaged so behind the program's back
def test_hostile_names_and_a_broken_record_never_stop_the_batch(
    services: Services, data_paths: DataPaths, tmp_path: Path
) -> None:
    ids = _estates(services, [*HOSTILE, "档案损坏小区"])
    # A row damaged behind the program's back: its timestamp no longer reads as one.
    with sqlite3.connect(data_paths.database) as con:
        con.execute("UPDATE estates SET created_at = 'not a time' WHERE id = ?", (ids["档案损坏小区"],))
    folder = tmp_path / "长征镇"
    folder.mkdir()

    result = services.dossiers.write_street(_street(services), folder, today=TODAY, workers=2)

    written = sorted(p.name for p in folder.iterdir())
    assert sorted(p.name for p in result.files) == sorted(set(written) - {result.index.name})
    assert len(result.files) == len(HOSTILE)
    for expected in ["CON_.pdf", "COM1_.pdf", "nul_.txt.pdf", "ABC小区.pdf", "abc小区（2）.pdf", "a_b__c.pdf"]:
        assert expected in written
    assert "梅川一村.pdf" in written  # the bidi override does not reach the name
    (long_file,) = [n for n in written if n.startswith("曹杨新村第")]
    assert len(long_file) <= 100
    assert long_file.endswith(".pdf")
    for path in result.files:
        assert len(PdfReader(path).pages) >= 2  # a whole dossier, not an empty file

    assert [(f.name, f.estate_id) for f in result.failures] == [("档案损坏小区", ids["档案损坏小区"])]
    assert "无法读取该小区的记录" in result.failures[0].reason
    text = _index_text(result)
    assert "未能打印的小区（1个）" in text
    assert "档案损坏小区" in text
    assert "无法读取该小区的记录" in text
    assert "已打印8个，1个未能打印" in text
    assert not [p for p in folder.iterdir() if p.name.startswith(".~")]  # no staging left


def test_an_estate_whose_worker_fails_or_dies_is_listed_and_the_others_print(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["曹杨一村", failing_render.RAISES, "梅川二村", failing_render.DIES, "真如三村", "桃浦四村"]
    _estates(services, names)
    monkeypatch.setattr(batch, "render_pdf", failing_render.render_or_fail)

    result = services.dossiers.write_street(_street(services), tmp_path, today=TODAY, workers=2)

    assert sorted(p.name for p in result.files) == sorted(
        f"{n}.pdf" for n in ["曹杨一村", "梅川二村", "真如三村", "桃浦四村"]
    )
    assert all(p.is_file() for p in result.files)
    reasons = {f.name: f.reason for f in result.failures}
    assert reasons == {
        failing_render.RAISES: "程序错误（RuntimeError），详情已写入日志",
        failing_render.DIES: batch.WORKER_DIED,
    }
    text = _index_text(result)
    assert "程序错误（RuntimeError）" in text
    assert "打印进程意外退出" in text


def test_an_estate_whose_document_cannot_be_built_is_listed(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _estates(services, ["曹杨一村", "布局出错小区", "梅川二村"])
    real = service.build_document

    def build_or_fail(data: object, today: date) -> object:
        if data.estate.title == "布局出错小区":  # type: ignore[attr-defined]
            raise KeyError("布局")
        return real(data, today)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "build_document", build_or_fail)
    seen: list[tuple[int, int]] = []
    result = services.dossiers.write_street(
        _street(services), tmp_path, today=TODAY, workers=1, progress=lambda done, total: seen.append((done, total))
    )
    assert [p.name for p in result.files] == ["曹杨一村.pdf", "梅川二村.pdf"]
    assert [(f.name, f.reason) for f in result.failures] == [("布局出错小区", "程序错误（KeyError），详情已写入日志")]
    assert seen == [(1, 3), (2, 3), (3, 3)]  # the failed one counts as done, when it fails


def test_a_file_that_cannot_take_its_place_is_listed_and_the_rest_are_moved(services: Services, tmp_path: Path) -> None:
    _estates(services, ["曹杨一村", "梅川二村"])
    blocker = tmp_path / "梅川二村.pdf"  # a folder where the PDF should go
    blocker.mkdir()
    (blocker / "别的文件.txt").write_text("x", encoding="utf-8")

    result = services.dossiers.write_street(_street(services), tmp_path, today=TODAY, workers=1)

    assert [p.name for p in result.files] == ["曹杨一村.pdf"]
    assert [f.name for f in result.failures] == ["梅川二村"]
    assert result.failures[0].reason.startswith("无法写入文件")
    assert "梅川二村" in _index_text(result)


def test_the_next_batch_removes_the_staging_folder_of_a_killed_one(services: Services, tmp_path: Path) -> None:
    _estates(services, ["曹杨一村"])
    folder = tmp_path / "档案"
    folder.mkdir()
    killed = folder / f".~档案-{_dead_pid()}-0a1b2c3d"
    killed.mkdir()
    (killed / "曹杨一村.pdf").write_bytes(b"%PDF-half")
    running = make_staging_folder(folder)  # this process runs: another batch may be writing it

    services.dossiers.write_street(_street(services), folder, today=TODAY, workers=1)

    assert not killed.exists()
    assert running.is_dir()
    assert sorted(p.name for p in folder.iterdir()) == sorted(["曹杨一村.pdf", "长征镇小区档案目录.pdf", running.name])


def test_stale_staging_goes_by_its_process_or_its_age(tmp_path: Path) -> None:
    now = time.time()
    dead = tmp_path / f".~档案-{_dead_pid()}-00000001"
    alive = tmp_path / f".~档案-{os.getpid()}-00000002"
    alive_but_old = tmp_path / f".~档案-{os.getpid()}-00000003"
    old_style_fresh = tmp_path / ".~档案-0000abcd"  # before the pid was in the name
    old_style_old = tmp_path / ".~档案-0000abce"
    unrelated = tmp_path / ".~档案-说明"
    for folder in (dead, alive, alive_but_old, old_style_fresh, old_style_old, unrelated):
        folder.mkdir()
    long_ago = now - STALE_AFTER.total_seconds() - 60
    for folder in (alive_but_old, old_style_old):
        os.utime(folder, (long_ago, long_ago))

    removed = remove_stale_staging(tmp_path, now=now)

    assert sorted(removed) == sorted([dead, alive_but_old, old_style_old])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, old_style_fresh.name, unrelated.name])
