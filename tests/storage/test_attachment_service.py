"""Attachments through the services, on a real archive and data folder: stored once by SHA-256, opened as a copy
under the original name, moved to the bin and back, checked, and never a record without its file."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select

from putuo_community.domain.attachments import AttachmentProblem, FileState
from putuo_community.domain.errors import DuplicateRecord, RecordInUse, UserError
from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.services import attachments as attachments_module
from putuo_community.services.change_log import HistoryFilter
from putuo_community.storage import database as database_module
from putuo_community.storage.attachment_store import FOLDER, INCOMING, AttachmentStore, FileTooLarge
from putuo_community.storage.database import alembic_config, open_database, sqlite_url
from putuo_community.storage.schema import TABLES

# Attachments live in a folder beside the database file; a server's are refused (test_postgres_paths.py).
pytestmark = pytest.mark.sqlite_file
TODAY = date(2026, 5, 1)


def scan(folder: Path, name: str, content: bytes = b"%PDF-1.4 scan of a filing certificate\n" * 50) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@pytest.fixture
def estate(services: Services) -> int:
    street = services.records.list("streets")[0].id
    return services.records.create(
        "estates", {"name": "梅川一村", "street_id": street, "has_assembly": True, "management_mode": "自管"}
    )


@pytest.fixture
def term(services: Services, estate: int) -> int:
    return services.records.create(
        "committee_terms",
        {"estate_id": estate, "term_no": 3, "start_on": date(2024, 1, 1), "end_on": date(2028, 12, 31)},
    )


def gaps(services: Services, estate: int) -> list[str]:
    return [g.message for g in services.dossiers.estate_dossier(estate, today=TODAY).gaps]


def store_of(data_paths: DataPaths) -> AttachmentStore:
    return AttachmentStore(data_paths.root / FOLDER)


def test_a_scan_is_stored_once_under_its_hash_with_its_original_name_kept(
    services: Services, estate: int, data_paths: DataPaths, tmp_path: Path
) -> None:
    content = b"%PDF-1.4 contract\n" * 100
    first = scan(tmp_path / "scans", "物业服务合同 2024.pdf", content)
    attachment_id = services.attachments.add(estate, first, kind="合同", dated_on=date(2024, 3, 1))
    stored = store_of(data_paths).path_of(sha(content))
    assert stored.read_bytes() == content
    assert stored.is_relative_to(data_paths.root / "attachments")
    attachment = services.attachments.get(attachment_id)
    assert attachment.value("file_name") == "物业服务合同 2024.pdf"
    assert attachment.title == "物业服务合同 2024"  # the name without its extension
    assert attachment.value("size_bytes") == len(content)
    assert attachment.state is FileState.OK

    # The same scan under another name, in another estate: a second record, still one file.
    street = services.records.list("streets")[0].id
    other = services.records.create("estates", {"name": "梅川二村", "street_id": street})
    services.attachments.add(other, scan(tmp_path / "copy", "合同副本.pdf", content), kind="合同")
    assert [p.name for p in store_of(data_paths).stored()] == [sha(content)]

    # The same scan twice in one dossier is refused, saying which attachment it already is.
    with pytest.raises(DuplicateRecord, match="已是本小区的附件“物业服务合同 2024”"):
        services.attachments.add(estate, scan(tmp_path / "again", "again.pdf", content), kind="合同")
    assert services.records.count("attachments") == 2


def test_what_cannot_be_attached_is_refused_clearly_and_nothing_is_stored(
    services: Services, estate: int, data_paths: DataPaths, tmp_path: Path
) -> None:
    big = tmp_path / "整本扫描.pdf"
    with big.open("wb") as stream:
        stream.truncate(60 * 1024 * 1024)
    with pytest.raises(AttachmentProblem) as caught:
        services.attachments.add(estate, big, kind="合同")
    assert "60.0 MB" in caught.value.message
    assert "上限 50 MB" in caught.value.message
    with pytest.raises(AttachmentProblem, match="找不到文件"):
        services.attachments.add(estate, tmp_path / "没有这个.pdf", kind="合同")
    with pytest.raises(AttachmentProblem, match="是一个文件夹"):
        services.attachments.add(estate, tmp_path, kind="合同")
    with pytest.raises(AttachmentProblem, match="是空的"):
        services.attachments.add(estate, scan(tmp_path, "空.pdf", b""), kind="合同")
    with pytest.raises(AttachmentProblem, match="附件类型“发票”不可用。可选：备案证明、合同"):
        services.attachments.add(estate, scan(tmp_path, "a.pdf"), kind="发票")
    assert services.records.count("attachments") == 0
    assert list(store_of(data_paths).stored()) == []


def test_a_file_that_grows_past_the_limit_while_copied_leaves_nothing(tmp_path: Path) -> None:
    """The size is checked before copying, and again while copying: a scan still being written is cut off."""
    store = AttachmentStore(tmp_path / "attachments")
    with pytest.raises(FileTooLarge):
        store.put(scan(tmp_path, "growing.pdf", b"x" * 1001), max_bytes=1000)
    assert list(store.stored()) == []
    assert list((store.root / INCOMING).iterdir()) == []  # the partial copy is gone too


def test_a_failure_after_the_file_is_stored_leaves_an_orphan_file_never_a_record_without_one(
    services: Services, estate: int, data_paths: DataPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = b"vote result" * 100

    def fail(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("killed between the file and the record")

    monkeypatch.setattr(attachments_module, "insert_record", fail)
    with pytest.raises(RuntimeError):
        services.attachments.add(estate, scan(tmp_path, "表决结果.pdf", content), kind="表决结果")
    monkeypatch.undo()
    assert services.records.count("attachments") == 0
    assert store_of(data_paths).path_of(sha(content)).exists()  # harmless: no record names it
    assert services.attachments.tidy(older_than=3600) == 0  # too fresh: it may be waiting for its record
    assert services.attachments.tidy(older_than=0) == 1
    assert not store_of(data_paths).path_of(sha(content)).exists()


def test_a_certificate_on_the_current_term_fills_the_filing_gap_and_the_bin_takes_it_out(
    services: Services, estate: int, term: int, tmp_path: Path
) -> None:
    before = gaps(services, estate)
    assert "现任业委会未登记备案" in before
    assert "无附件（备案证明、合同、表决材料等扫描件）" in before
    attachment_id = services.attachments.add(
        estate, scan(tmp_path, "备案证明.pdf"), kind="备案证明", link=("committee_terms", term)
    )
    after = gaps(services, estate)
    assert "现任业委会未登记备案" not in after
    assert "无附件（备案证明、合同、表决材料等扫描件）" not in after
    assert services.attachments.get(attachment_id).link_label == "第3届业委会"
    # The estate list's completeness reads the same facts.
    (row,) = services.listing.rows("estates", [estate], today=TODAY)
    assert row.computed["completeness"] == round(
        float(services.dossiers.estate_dossier(estate, today=TODAY).completeness) * 100
    )

    version = services.attachments.get(attachment_id).version
    version = services.attachments.remove(attachment_id, expected_version=version)
    assert "现任业委会未登记备案" in gaps(services, estate)
    listing = services.attachments.of_estate(estate)
    assert (len(listing.current), len(listing.removed)) == (0, 1)
    document = services.dossiers.document(estate, today=TODAY)
    catalogue = next(s for s in document.sections if s.title.endswith("附件目录"))
    assert catalogue.blocks[0].rows == ()  # type: ignore[union-attr]

    services.attachments.restore(attachment_id, expected_version=version)
    assert "现任业委会未登记备案" not in gaps(services, estate)
    changes = services.history.changes(HistoryFilter(estate_id=estate, register="attachments"))
    assert [(c.action, c.field_label, c.batch_kind) for c in reversed(changes)] == [
        ("新增", "", "新增"),
        ("修改", "移入回收站日期", "移入回收站"),
        ("修改", "移入回收站日期", "从回收站恢复"),
    ]


def test_the_dossier_catalogue_lists_kind_title_date_link_size_and_hash(
    services: Services, estate: int, term: int, tmp_path: Path
) -> None:
    content = b"%PDF certificate" * 64
    services.attachments.add(
        estate,
        scan(tmp_path, "备案.pdf", content),
        kind="备案证明",
        title="第三届业委会备案证明",
        dated_on=date(2024, 2, 1),
        link=("committee_terms", term),
    )
    document = services.dossiers.document(estate, today=TODAY)
    catalogue = next(s for s in document.sections if s.title.endswith("附件目录"))
    table = catalogue.blocks[0]
    assert table.headers == ("附件类型", "名称", "文件日期", "关联记录", "大小", "SHA-256（前12位）")  # type: ignore[union-attr]
    assert (
        table.rows
        == (  # type: ignore[union-attr]
            ("备案证明", "第三届业委会备案证明", "2024-02-01", "第3届业委会", "1.0 KB", sha(content)[:12]),
        )
    )


def test_a_link_must_be_a_record_of_the_same_estate_and_it_holds_that_record(
    services: Services, estate: int, term: int, tmp_path: Path
) -> None:
    street = services.records.list("streets")[0].id
    other = services.records.create("estates", {"name": "梅川二村", "street_id": street})
    with pytest.raises(UserError, match="属于另一个小区"):
        services.attachments.add(other, scan(tmp_path, "a.pdf"), kind="备案证明", link=("committee_terms", term))
    services.attachments.add(estate, scan(tmp_path, "b.pdf"), kind="备案证明", link=("committee_terms", term))
    version = services.records.get("committee_terms", term).version
    with pytest.raises(RecordInUse, match="1 份附件"):  # never silently unlinked
        services.records.delete("committee_terms", term, expected_version=version)


def test_opening_copies_the_file_under_its_original_safe_name_and_flags_a_changed_file(
    services: Services, estate: int, data_paths: DataPaths, tmp_path: Path
) -> None:
    content = b"photo" * 300
    attachment_id = services.attachments.add(estate, scan(tmp_path / "in", "CON.jpg", content), kind="照片")
    opened = services.attachments.open_copy(attachment_id, folder=tmp_path / "view")
    assert opened.path.name == "CON_.jpg"  # a device name on Windows: made safe, extension kept
    assert opened.path.read_bytes() == content
    assert opened.state is FileState.OK

    stored = store_of(data_paths).path_of(sha(content))
    stored.write_bytes(b"edited outside the program" + content[26:])  # same size, other content
    assert services.attachments.of_estate(estate).current[0].state is FileState.CHANGED
    assert services.attachments.open_copy(attachment_id, folder=tmp_path / "view2").state is FileState.CHANGED
    found = services.integrity.check_attachments()
    assert not found.ok
    assert "“CON”（梅川一村，照片）的文件已在程序外被改动" in found.problems[0]

    stored.unlink()
    assert services.attachments.of_estate(estate).current[0].state is FileState.MISSING
    with pytest.raises(AttachmentProblem, match="已不在附件文件夹中"):
        services.attachments.open_copy(attachment_id, folder=tmp_path / "view3")
    assert "文件缺失" in services.integrity.check_attachments().problems[0]


def test_undoing_an_add_removes_the_record_and_check_tidies_its_file_later(
    services: Services, estate: int, data_paths: DataPaths, tmp_path: Path
) -> None:
    content = b"assessment" * 200
    services.attachments.add(estate, scan(tmp_path, "评估报告.pdf", content), kind="评估报告")
    batch = services.batches.list(limit=1)[0]
    services.batches.undo(batch.id)
    assert services.records.count("attachments") == 0
    found = services.integrity.check_attachments()
    assert found.ok
    assert found.checked == 0
    assert store_of(data_paths).path_of(sha(content)).exists()  # within the grace period
    assert services.attachments.tidy(older_than=0) == 1


def test_a_read_only_archive_refuses_before_copying_anything(
    services: Services, estate: int, data_paths: DataPaths, tmp_path: Path
) -> None:
    services.database.write_refusal = "数据库文件已损坏"
    with pytest.raises(UserError, match="已损坏"):
        services.attachments.add(estate, scan(tmp_path, "a.pdf"), kind="合同")
    assert list(store_of(data_paths).stored()) == []


def test_upgrading_keeps_an_old_attachments_link_and_downgrading_gives_it_back(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = database_module.create_db_engine(sqlite_url(path))
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0004")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO streets (id, name, short_name, kind, created_at, updated_at) "
            "VALUES (1, '曹杨新村街道', '曹杨', '街道', '2025-01-01', '2025-01-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO estates (id, name, street_id, version, created_at, updated_at) "
            "VALUES (1, '曹杨一村', 1, 1, '2025-01-01', '2025-01-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO committee_terms (id, estate_id, term_no, start_on, end_on, version, "
            "created_at, updated_at) VALUES (7, 1, 2, '2022-01-01', '2026-12-31', 1, "
            "'2025-01-01', '2025-01-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO attachments (estate_id, kind, title, file_name, sha256, added_on, "
            "related_register, related_id, version, created_at, updated_at) VALUES "
            f"(1, '备案证明', '备案', 'a.pdf', '{'a' * 64}', '2025-01-01', 'committee_terms', 7, 1, "
            "'2025-01-01', '2025-01-01')"
        )
    engine.dispose()
    database = open_database(sqlite_url(path))
    with database.read() as conn:
        row = conn.execute(select(TABLES["attachments"])).one()
    assert (row.term_id, row.contract_id, row.removed_on) == (7, None, None)
    engine = database.engine
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0004")
    database.dispose()
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT related_register, related_id FROM attachments").fetchone() == ("committee_terms", 7)
        columns = [r[1] for r in raw.execute("PRAGMA table_info(attachments)")]
    assert "term_id" not in columns
    assert "removed_on" not in columns


def test_a_clerk_changes_kind_title_date_and_link_and_the_file_facts_stay_the_programs(
    services: Services, estate: int, term: int, tmp_path: Path
) -> None:
    attachment_id = services.attachments.add(estate, scan(tmp_path, "扫描0001.pdf"), kind="其他")
    version = services.attachments.get(attachment_id).version
    services.attachments.update(
        attachment_id,
        {"kind": "备案证明", "title": "第三届备案证明", "dated_on": date(2024, 1, 20)},
        expected_version=version,
        link=("committee_terms", term),
    )
    changed = services.attachments.get(attachment_id)
    assert (changed.value("kind"), changed.title, changed.link_label) == ("备案证明", "第三届备案证明", "第3届业委会")
    assert changed.value("file_name") == "扫描0001.pdf"
    assert "现任业委会未登记备案" not in gaps(services, estate)
    with pytest.raises(ValueError, match="not editable"):
        services.attachments.update(attachment_id, {"sha256": "0" * 64}, expected_version=changed.version)
    with pytest.raises(UserError, match="已被他人修改"):
        services.attachments.update(attachment_id, {"title": "旧版本上的修改"}, expected_version=version)
    services.attachments.update(attachment_id, {}, expected_version=changed.version, link=None)
    assert services.attachments.get(attachment_id).link is None
    assert "现任业委会未登记备案" in gaps(services, estate)


def test_a_personal_number_in_a_file_name_never_reaches_a_message(
    services: Services, estate: int, tmp_path: Path
) -> None:
    named = scan(tmp_path, "张三310107198001011234身份证.jpg")
    services.attachments.add(estate, named, kind="照片")
    with pytest.raises(DuplicateRecord) as caught:
        services.attachments.add(estate, named, kind="照片")
    assert "310107198001011234" not in caught.value.message
    assert "310107********1234" in caught.value.message
    with pytest.raises(AttachmentProblem) as missing:
        services.attachments.add(estate, tmp_path / "李四13812345678.pdf", kind="照片")
    assert "13812345678" not in missing.value.message


def test_a_long_file_name_is_kept_whole_and_the_title_made_from_it_fits(
    services: Services, estate: int, tmp_path: Path
) -> None:
    long_name = "scan-" + "x" * 225 + ".pdf"
    attachment = services.attachments.get(services.attachments.add(estate, scan(tmp_path, long_name), kind="其他"))
    assert attachment.value("file_name") == long_name
    assert len(attachment.title) == 200
