"""Scanning in bulk from the command line: `attach` and `attachments` as a clerk runs them, with the mistakes a
clerk makes; `check` verifying the files; a backup and restore carrying them."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest
from cli_process import run_cli

from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.storage.database import open_database

CERTIFICATE = b"%PDF-1.4 filing certificate of the third committee\n" * 200


@pytest.fixture
def archive(tmp_path: Path) -> tuple[Path, int, int]:
    """A data folder with one estate (梅川一村) and its current committee term; returns (folder, estate, term)."""
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    database = open_database(paths.database_url, backup_dir=paths.backups)
    try:
        services = Services.build(database, user="测试员")
        street = services.records.list("streets")[0].id
        estate = services.records.create("estates", {"name": "梅川一村", "street_id": street, "has_assembly": True})
        term = services.records.create(
            "committee_terms",
            {"estate_id": estate, "term_no": 3, "start_on": date(2024, 1, 1), "end_on": date(2028, 12, 31)},
        )
    finally:
        database.dispose()
    return paths.root, estate, term


def scans(folder: Path) -> list[Path]:
    folder.mkdir()
    files = [folder / "第三届备案证明.pdf", folder / "备案回执.jpg"]
    files[0].write_bytes(CERTIFICATE)
    files[1].write_bytes(b"\xff\xd8 receipt photo" * 300)
    return files


def test_attach_in_bulk_list_and_check(archive: tuple[Path, int, int], tmp_path: Path) -> None:
    folder, estate, term = archive
    files = scans(tmp_path / "扫描件")
    added = run_cli(
        "attach", "梅川一村", *map(str, files), "--kind", "备案证明", "--record", f"committee_terms:{term}",
        "--date", "2024年1月20日", "--data-dir", str(folder),
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "已添加 备案证明“第三届备案证明”" in added.stdout
    assert "关联第3届业委会" in added.stdout
    assert "梅川一村：添加 2 个附件。" in added.stdout
    stored = folder / "attachments" / hashlib.sha256(CERTIFICATE).hexdigest()[:2]
    assert (stored / hashlib.sha256(CERTIFICATE).hexdigest()).read_bytes() == CERTIFICATE

    again = run_cli("attach", str(estate), str(files[0]), "--kind", "备案证明", "--data-dir", str(folder))
    assert again.returncode == 0, again.stderr
    assert "跳过“第三届备案证明.pdf”：这份文件已是本小区的附件“第三届备案证明”" in again.stdout

    listed = run_cli("attachments", "梅川一村", "--data-dir", str(folder))
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split("\t")[1:5] == ["备案证明", "第三届备案证明", "2024-01-20", "第3届业委会"]
    assert lines[0].split("\t")[-1] == "完好"
    assert lines[-1] == "梅川一村：共 2 个附件（回收站中另有 0 个）。"

    checked = run_cli("check", "--data-dir", str(folder))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "附件文件完好：2 个附件的文件均与登记的 SHA-256 一致" in checked.stdout

    (stored / hashlib.sha256(CERTIFICATE).hexdigest()).write_bytes(b"edited" + CERTIFICATE[6:])
    damaged = run_cli("check", "--data-dir", str(folder))
    assert damaged.returncode == 3
    assert "附件文件有问题：2 个附件中有 1 个的文件缺失或已在程序外被改动" in damaged.stdout
    assert "第一个：附件“第三届备案证明”（梅川一村，备案证明）的文件已在程序外被改动" in damaged.stdout
    flagged = run_cli("attachments", "梅川一村", "--data-dir", str(folder))
    assert flagged.returncode == 3
    assert "已在程序外被改动" in flagged.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("attach", "不存在的小区", "{scan}", "--kind", "合同"), "没有找到小区“不存在的小区”"),
        (("attach", "梅川一村", "{missing}", "--kind", "合同"), "找不到文件"),
        (("attach", "梅川一村", "{big}", "--kind", "合同"), "超过附件大小上限 50 MB"),
        (("attach", "梅川一村", "{scan}", "--kind", "发票"), "附件类型“发票”不可用。可选：备案证明、合同"),
        (("attach", "梅川一村", "{scan}", "--kind", "合同", "--record", "buildings:1"), "应写成 台账:编号"),
        (("attach", "梅川一村", "{scan}", "--kind", "合同", "--record", "contracts:99"), "（编号 99）不存在"),
        (("attachments", "999"), "没有找到小区“999”"),
    ],
)  # fmt: skip
def test_mistakes_are_said_in_chinese_and_nothing_is_added(
    archive: tuple[Path, int, int], tmp_path: Path, arguments: tuple[str, ...], message: str
) -> None:
    folder, _estate, _term = archive
    (tmp_path / "scan.pdf").write_bytes(CERTIFICATE)
    with (tmp_path / "整本.pdf").open("wb") as big:
        big.truncate(51 * 1024 * 1024)
    names = {"scan": tmp_path / "scan.pdf", "missing": tmp_path / "没有.pdf", "big": tmp_path / "整本.pdf"}
    result = run_cli(*(a.format(**names) for a in arguments), "--data-dir", str(folder))
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    store = folder / "attachments"
    assert not store.exists() or not any(p.is_file() and len(p.name) == 64 for p in store.rglob("*"))


def test_a_restored_backup_brings_its_attachment_files_back(archive: tuple[Path, int, int], tmp_path: Path) -> None:
    folder, _estate, _term = archive
    files = scans(tmp_path / "扫描件")
    assert run_cli("attach", "梅川一村", str(files[0]), "--kind", "备案证明", "--data-dir", str(folder)).returncode == 0
    backup = run_cli("backup", "--out", str(tmp_path / "备份.sqlite3"), "--data-dir", str(folder))
    assert backup.returncode == 0, backup.stderr
    shutil.rmtree(folder / "attachments")
    assert run_cli("check", "--data-dir", str(folder)).returncode == 3
    restored = run_cli("restore", str(tmp_path / "备份.sqlite3"), "--yes", "--data-dir", str(folder))
    assert restored.returncode == 0, restored.stderr
    checked = run_cli("check", "--data-dir", str(folder))
    assert checked.returncode == 0, checked.stdout
    assert "附件文件完好：1 个附件" in checked.stdout
