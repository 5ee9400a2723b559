"""Attachments in backups: each file copied once into a store shared by the backups, a restore bringing back
exactly the files the restored archive names, and pruning never removing a file a kept backup needs."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from putuo_community.domain.attachments import FileState
from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.services.backups import BackupService
from putuo_community.storage import attachment_backups
from putuo_community.storage.attachment_store import AttachmentStore

# The attachments folder beside a database file, and its backups; a server has none (test_postgres_paths.py).
pytestmark = pytest.mark.sqlite_file
TAKEN = datetime(2026, 3, 10, 9, 0)


def scan(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class Clock:
    def __init__(self) -> None:
        self.now = TAKEN

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def backups(services: Services, data_paths: DataPaths, clock: Clock) -> BackupService:
    return BackupService(services.database, data_paths.backups, clock=clock)


@pytest.fixture
def estate(services: Services) -> int:
    street = services.records.list("streets")[0].id
    return services.records.create("estates", {"name": "真如新村", "street_id": street})


def live(data_paths: DataPaths) -> AttachmentStore:
    return AttachmentStore(data_paths.root / "attachments")


def kept(data_paths: DataPaths) -> AttachmentStore:
    return AttachmentStore(data_paths.backups / "attachments")


A = b"%PDF contract A" * 100
B = b"%PDF vote result B" * 100


def test_a_backup_keeps_each_file_once_in_the_store_beside_the_backups(
    services: Services,
    backups: BackupService,
    estate: int,
    data_paths: DataPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clock: Clock,
) -> None:
    services.attachments.add(estate, scan(tmp_path, "合同.pdf", A), kind="合同")
    backups.backup()
    assert kept(data_paths).path_of(sha(A)).read_bytes() == A

    copied: list[str] = []
    adopt = AttachmentStore.adopt

    def counting(self: AttachmentStore, other: AttachmentStore, sha256: str) -> bool:
        copied.append(sha256)
        return adopt(self, other, sha256)

    monkeypatch.setattr(AttachmentStore, "adopt", counting)
    services.attachments.add(estate, scan(tmp_path, "表决.pdf", B), kind="表决结果")
    clock.now += timedelta(minutes=5)
    backups.backup()
    assert copied == [sha(B)]  # the unchanged file A was not copied again
    assert sorted(p.name for p in kept(data_paths).stored()) == sorted([sha(A), sha(B)])


def test_a_restore_brings_back_exactly_the_files_the_restored_archive_names(
    services: Services, backups: BackupService, estate: int, data_paths: DataPaths, tmp_path: Path, clock: Clock
) -> None:
    first = services.attachments.add(estate, scan(tmp_path, "合同.pdf", A), kind="合同")
    saved = backups.backup()
    services.attachments.add(estate, scan(tmp_path, "表决.pdf", B), kind="表决结果")
    live(data_paths).remove(sha(A))  # lost from the data folder (deleted by hand, a failing disk)

    clock.now += timedelta(minutes=5)
    backups.restore(saved)
    listing = services.attachments.of_estate(estate)
    assert [(a.id, a.state) for a in listing.current] == [(first, FileState.OK)]
    assert live(data_paths).path_of(sha(A)).read_bytes() == A
    assert services.integrity.check_attachments().ok


def test_a_restore_replaces_a_file_changed_outside_the_program(
    services: Services, backups: BackupService, estate: int, data_paths: DataPaths, tmp_path: Path, clock: Clock
) -> None:
    services.attachments.add(estate, scan(tmp_path, "合同.pdf", A), kind="合同")
    saved = backups.backup()
    live(data_paths).path_of(sha(A)).write_bytes(b"scribbled over")
    assert not services.integrity.check_attachments().ok
    clock.now += timedelta(minutes=5)
    backups.restore(saved)
    assert live(data_paths).path_of(sha(A)).read_bytes() == A
    assert services.integrity.check_attachments().ok


def test_a_backup_saved_elsewhere_carries_its_files_beside_it(
    services: Services, backups: BackupService, estate: int, data_paths: DataPaths, tmp_path: Path, clock: Clock
) -> None:
    services.attachments.add(estate, scan(tmp_path, "合同.pdf", A), kind="合同")
    stick = tmp_path / "U盘"
    stick.mkdir()
    saved = backups.backup(out=stick / "档案备份.sqlite3")
    assert AttachmentStore(stick / "attachments").path_of(sha(A)).read_bytes() == A
    live(data_paths).remove(sha(A))
    kept(data_paths).remove(sha(A))  # not even the backups folder has it: only the stick
    clock.now += timedelta(minutes=5)
    backups.restore(saved)
    assert live(data_paths).path_of(sha(A)).read_bytes() == A


def test_pruning_removes_only_files_no_kept_backup_names(
    services: Services,
    backups: BackupService,
    estate: int,
    data_paths: DataPaths,
    tmp_path: Path,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(attachment_backups, "TIDY_GRACE_SECONDS", 0.0)
    services.attachments.add(estate, scan(tmp_path, "合同.pdf", A), kind="合同")
    older = backups.backup()  # names A
    services.batches.undo(services.batches.list(limit=1)[0].id)  # A is no longer in the archive
    services.attachments.add(estate, scan(tmp_path, "表决.pdf", B), kind="表决结果")
    clock.now += timedelta(hours=1)
    newer = backups.backup()  # names B only
    assert kept(data_paths).has(sha(A))

    clock.now += timedelta(days=10)  # the older of the day's two backups is no longer kept
    backups.prune()
    assert not older.exists()
    assert newer.exists()
    assert not kept(data_paths).has(sha(A))
    assert kept(data_paths).path_of(sha(B)).read_bytes() == B


def test_a_backup_that_cannot_be_read_stops_the_tidying(
    services: Services,
    backups: BackupService,
    estate: int,
    data_paths: DataPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(attachment_backups, "TIDY_GRACE_SECONDS", 0.0)
    services.attachments.add(estate, scan(tmp_path, "合同.pdf", A), kind="合同")
    backups.backup()
    orphan = kept(data_paths).path_of(sha(B))
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(B)
    (data_paths.backups / "手工保存的备份.sqlite3").write_bytes(b"not a database at all" * 100)
    backups.prune()
    assert orphan.exists()  # which files that one needs is unknown: nothing is removed
    (data_paths.backups / "手工保存的备份.sqlite3").unlink()
    backups.prune()
    assert not orphan.exists()
    assert kept(data_paths).has(sha(A))


def test_a_file_a_backup_lacks_is_filled_in_at_the_next_prune(
    services: Services, backups: BackupService, estate: int, data_paths: DataPaths, tmp_path: Path
) -> None:
    """A kill between a backup's database and its files leaves it short; the next backup's tidying mends it."""
    services.attachments.add(estate, scan(tmp_path, "合同.pdf", A), kind="合同")
    backups.backup()
    kept(data_paths).remove(sha(A))
    backups.prune()
    assert kept(data_paths).path_of(sha(A)).read_bytes() == A
