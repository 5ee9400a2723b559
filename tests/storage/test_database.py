"""Opening, configuring, migrating and refusing databases, on real SQLite files."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from putuo_community.domain.errors import (
    CannotOpenDatabase,
    DatabaseLocked,
    NewerSchema,
    NotADatabase,
)
from putuo_community.domain.streets import PUTUO_STREETS
from putuo_community.services import Services
from putuo_community.storage import chain
from putuo_community.storage import database as database_module
from putuo_community.storage.database import head_revision, open_database, sqlite_url
from putuo_community.storage.schema import metadata

STORED_DATABASES = Path(__file__).parents[1] / "data" / "db"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_has_the_ten_streets_in_official_order(services: Services) -> None:
    streets = services.records.list("streets", order_by=("id",))
    assert [s.values["name"] for s in streets] == [s.name for s in PUTUO_STREETS]
    assert {s.values["kind"] for s in streets} == {"街道", "镇"}


def test_reopening_does_not_duplicate_reference_data(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "a.sqlite3")
    for _ in range(2):
        db = open_database(url)
        db.dispose()
    db = open_database(url)
    assert Services.build(db).records.count("streets") == 10
    db.dispose()


@pytest.mark.sqlite_file  # PRAGMAs: a database file's settings
def test_sqlite_is_configured_on_purpose(database: database_module.Database) -> None:
    with database.read() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == database_module.BUSY_TIMEOUT_MS


def test_migrations_build_exactly_the_declared_schema(database: database_module.Database) -> None:
    with database.read() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == [], "the register declarations changed without a migration revision"


def test_decimals_come_back_exact(services: Services) -> None:
    street = services.records.list("streets")[0]
    estate_id = services.records.create(
        "estates",
        {"name": "真光新村", "street_id": street.id, "floor_area": Decimal("123456.78"), "fee": Decimal("0.35")},
    )
    estate = services.records.get("estates", estate_id)
    assert estate.values["floor_area"] == Decimal("123456.78")
    assert estate.values["fee"] == Decimal("0.35")
    assert estate.display("floor_area") == "123,456.78"


def test_a_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    db = open_database(sqlite_url(path))
    with db.transaction() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    before = _digest(path)
    with pytest.raises(NewerSchema) as caught:
        open_database(sqlite_url(path), backup_dir=tmp_path / "backups")
    assert "更新版本" in caught.value.message
    assert "9999" in caught.value.message
    assert _digest(path) == before
    assert not (tmp_path / "backups").exists()


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes("这是一份会议纪要，不是数据库。".encode() * 200)
    before = _digest(path)
    with pytest.raises(NotADatabase) as caught:
        open_database(sqlite_url(path))
    assert str(path) in caught.value.message
    assert _digest(path) == before


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    with pytest.raises(NotADatabase, match="其他程序"):
        open_database(sqlite_url(path))
    con = sqlite3.connect(path)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["customers"]
    con.close()


def test_a_missing_folder_is_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(CannotOpenDatabase, match="文件夹不存在"):
        open_database(sqlite_url(tmp_path / "no" / "such" / "db.sqlite3"))


def test_a_locked_database_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    db = open_database(sqlite_url(path), busy_timeout_ms=100)
    services = Services.build(db, user="甲")
    street = services.records.list("streets")[0]
    other = sqlite3.connect(path, timeout=0.1)
    other.execute("BEGIN EXCLUSIVE")  # a colleague's program holds the write lock
    try:
        with pytest.raises(DatabaseLocked, match="占用"):
            services.records.create("estates", {"name": "兰溪路小区", "street_id": street.id})
    finally:
        other.rollback()
        other.close()
    assert services.records.count("estates") == 0
    assert services.records.count("change_history") == 0
    db.dispose()


def _stored_database(name: str, tmp_path: Path) -> Path:
    copy = tmp_path / name
    shutil.copy(STORED_DATABASES / name, copy)
    return copy


@pytest.mark.parametrize("name", sorted(p.name for p in STORED_DATABASES.glob("schema-*.sqlite3")))
def test_every_released_schema_opens_with_its_data(name: str, tmp_path: Path) -> None:
    path = _stored_database(name, tmp_path)
    db = open_database(sqlite_url(path), backup_dir=tmp_path / "backups")
    services = Services.build(db)
    estates = services.records.list("estates", order_by=("id",))
    assert [e.values["name"] for e in estates] == ["曹杨一村", "中远两湾城（一期）"]
    assert estates[0].display("street_id") == "曹杨新村街道"
    with db.read() as conn:
        assert database_module.current_revision(conn) == head_revision()
        assert chain.first_break(conn) is None  # its history joined the chain, or was written in it
        # upgraded to exactly what a new archive has: no index or column left over, none missing
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    db.dispose()


def test_an_upgrade_backs_the_file_up_first_and_keeps_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A future revision runs against a stored 0001 database: the backup holds the old file."""
    head = head_revision()
    migrations = tmp_path / "migrations"
    shutil.copytree(database_module.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / "9001_add_test_column.py").write_text(
        '"""test revision"""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f"revision = '9001'\ndown_revision = '{head}'\nbranch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade() -> None:\n"
        "    with op.batch_alter_table('estates') as batch:\n"
        "        batch.add_column(sa.Column('test_note', sa.Text(), nullable=True))\n\n\n"
        "def downgrade() -> None:\n"
        "    with op.batch_alter_table('estates') as batch:\n"
        "        batch.drop_column('test_note')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(database_module, "MIGRATIONS_DIR", migrations)
    path = _stored_database("schema-0001.sqlite3", tmp_path)
    db = open_database(sqlite_url(path), backup_dir=tmp_path / "backups")
    with db.read() as conn:
        assert database_module.current_revision(conn) == "9001"
        columns = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(estates)")]
        names = [r[0] for r in conn.exec_driver_sql("SELECT name FROM estates ORDER BY id")]
    db.dispose()
    assert "test_note" in columns
    assert names == ["曹杨一村", "中远两湾城（一期）"]
    backups = list((tmp_path / "backups").glob("*before-upgrade-0001.sqlite3"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert con.execute("SELECT count(*) FROM estates").fetchone() == (2,)
    con.close()
