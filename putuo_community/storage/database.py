"""Open, configure, migrate and back up the database; turn driver errors into user errors."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, select, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.pool import ConnectionPoolEntry

from putuo_community.domain.changes import ChangeBus, ChangeCollector
from putuo_community.domain.errors import (
    CannotOpenDatabase,
    ConnectionLost,
    DamagedDatabase,
    DatabaseLocked,
    DiskFull,
    EnvironmentProblem,
    NewerSchema,
    NotADatabase,
    ReadOnlyDatabase,
)
from putuo_community.domain.streets import PUTUO_STREETS, Street
from putuo_community.storage import read_only as read_only_files
from putuo_community.storage.schema import TABLES, now

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
_CHANGES_KEY = "putuo.changes"
# The newest revision of the packaged migration scripts. Opening a database already there needs no
# Alembic (a fifth of a second at start-up); a test keeps this in step with the scripts.
HEAD_REVISION = "0008"
_PACKAGED_MIGRATIONS = MIGRATIONS_DIR


# What a server connection that broke under an operation says (psycopg, libpq, the socket).
_CONNECTION_LOST = (
    "terminating connection",
    "server closed the connection",
    "connection is closed",
    "connection already closed",
    "consuming input failed",
    "could not receive data",
    "could not send data",
    "connection reset",
    "connection has been closed unexpectedly",
    "connection timed out",
)

_NEVER_CONNECTED = ("could not connect", "connection refused", "connection failed", "password authentication")


class Stage:
    """Where in an operation a driver error came: a read, a write's work, or the write's COMMIT."""

    READ = "read"
    WRITE = "write"
    COMMIT = "commit"


def classify_error(exc: BaseException, where: str, *, stage: str = Stage.READ) -> EnvironmentProblem | None:
    """The environment problem behind a driver error, or None when it is a bug.

    `stage`: a server connection lost during a write's work means nothing was saved (the server rolls the
    transaction back); lost during its COMMIT, nobody can tell, and the clerk is told so.
    """
    original = getattr(exc, "orig", exc)
    text = str(original).lower()
    lost = connection_lost(exc, where, stage)
    if lost is not None:
        return lost
    if isinstance(original, sqlite3.OperationalError | sqlite3.DatabaseError) or isinstance(
        exc, sa_exc.OperationalError
    ):
        if "locked" in text or "busy" in text:
            return DatabaseLocked(f"数据库正被其他程序或同事占用（{where}），请稍后再试。")
        if "disk is full" in text or "database or disk is full" in text or "no space" in text:
            return DiskFull(f"磁盘空间不足，无法写入数据库（{where}）。请清理磁盘后再试，数据未改动。")
        if "not a database" in text or "malformed" in text:
            return NotADatabase(f"“{where}”不是本程序可识别的数据库文件，或文件已损坏。")
        if "unable to open" in text or "readonly" in text or "read-only" in text:
            return CannotOpenDatabase(f"无法打开或写入数据库“{where}”：请检查文件夹是否存在、是否有写入权限。")
        if "disk i/o" in text:
            return DiskFull(f"读写数据库时出现磁盘错误（{where}），数据未改动。")
        if "could not connect" in text or "connection refused" in text or "password authentication" in text:
            return CannotOpenDatabase(f"无法连接数据库服务器（{where}）：{original}")
    return None


def connection_lost(exc: BaseException, where: str, stage: str) -> ConnectionLost | None:
    """The clerk's message when `exc` says the server connection broke; None when it says something else.

    Never the driver's text: it may name the statement. SQLAlchemy has already dropped the broken connection
    (and every older one in the pool), so the next operation connects afresh.
    """
    original = getattr(exc, "orig", exc)
    text = str(original).lower()
    if isinstance(original, sqlite3.Error) or any(sign in text for sign in _NEVER_CONNECTED):
        return None  # a file has no connection to lose; a server not reached is `CannotOpenDatabase`
    invalidated = isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated
    if not invalidated and not any(sign in text for sign in _CONNECTION_LOST):
        return None
    if stage == Stage.COMMIT:
        return ConnectionLost(
            f"与数据库服务器（{where}）的连接在提交修改时中断，无法确定本次修改是否已经保存。"
            "请检查网络，重新打开记录核对后再决定是否重做。"
        )
    if stage == Stage.WRITE:
        return ConnectionLost(
            f"与数据库服务器（{where}）的连接中断，本次修改没有保存（服务器已撤销未完成的修改）。请检查网络后重试。"
        )
    return ConnectionLost(f"与数据库服务器（{where}）的连接中断，未能读取数据。请检查网络后重试。")


class Database:
    """An open, migrated database. One short connection per operation."""

    def __init__(self, engine: Engine, *, read_only_reason: str | None = None) -> None:
        self.engine = engine
        self.url = engine.url
        self.is_sqlite = engine.dialect.name == "sqlite"
        # Every committed write's changes go out here, after the commit (see `changes_of`).
        self.changes = ChangeBus()
        # Why no write may begin (a damaged file: writing would spread the damage); None: writes allowed.
        self.write_refusal: str | None = None
        # Why the database was opened read-only (asked for, or its file or folder cannot be written); for good.
        self.read_only_reason = read_only_reason
        self.wrote = False  # a write was committed: its WAL frames go into the main file when disposed

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @property
    def writes_refused(self) -> str | None:
        """Why no write may begin now, as the clerk is told: opened read-only, or damaged. None: writes allowed."""
        if self.read_only_reason is not None:
            return ReadOnlyDatabase(self.read_only_reason).message
        return self.write_refusal

    def check_writable(self) -> None:
        """Raise why no write may begin now (`ReadOnlyDatabase`, `DamagedDatabase`); nothing when one may."""
        if self.read_only_reason is not None:
            raise ReadOnlyDatabase(self.read_only_reason)
        if self.write_refusal is not None:
            raise DamagedDatabase(self.write_refusal)

    @property
    def display_name(self) -> str:
        if self.is_sqlite:
            return self.url.database or "内存数据库"
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for queries; errors of the environment become user errors."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except sa_exc.DBAPIError as exc:
            raise self._translate(exc) from exc

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction: all of it is committed, or none of it.

        What it wrote (recorded through `changes_of(conn)`) is published on `changes`
        once the commit has succeeded, never for a rolled-back transaction.
        """
        self.check_writable()
        collector = ChangeCollector()
        stage = Stage.WRITE
        try:
            with self.engine.connect() as conn:
                # IMMEDIATE takes the write lock up front, so a busy database fails
                # at the start (after the busy timeout) rather than half-way.
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
                conn.info[_CHANGES_KEY] = collector
                try:
                    with conn.begin():
                        yield conn
                        stage = Stage.COMMIT  # leaving the block commits
                finally:
                    conn.info.pop(_CHANGES_KEY, None)
        except sa_exc.DBAPIError as exc:
            raise self._translate(exc, stage=stage) from exc
        self.wrote = True
        self.changes.publish(collector.changes())

    def integrity_problems(self, *, full: bool = False, limit: int = 10) -> list[str]:
        """What SQLite finds wrong with the file: a quick check (every page readable, every index consistent
        in shape), or with `full` the whole integrity check and the foreign keys. Empty: the file is sound.
        Only for SQLite; a server checks its own storage."""
        if not self.is_sqlite:
            return []
        with self.read() as conn:
            pragma = "integrity_check" if full else "quick_check"
            found = [str(row[0]) for row in conn.exec_driver_sql(f"PRAGMA {pragma}({int(limit)})")]
            problems = [] if found == ["ok"] else found
            if full:
                for table, rowid, parent, _key in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchmany(limit):
                    problems.append(f"表 {table} 第 {rowid} 行引用的 {parent} 记录不存在")
        return problems[:limit]

    @property
    def server_name(self) -> str:
        """The server and database as a clerk would name them ("10.1.2.3:5432/putuo"); a file's path for SQLite."""
        if self.is_sqlite:
            return self.display_name
        port = f":{self.url.port}" if self.url.port else ""
        return f"{self.url.host or 'localhost'}{port}/{self.url.database or ''}"

    def _translate(self, exc: sa_exc.DBAPIError, *, stage: str = Stage.READ) -> Exception:
        problem = classify_error(exc, self.server_name, stage=stage)
        return problem if problem is not None else exc

    def dispose(self) -> None:
        """Close every connection; after a committed write, first move the WAL into the main file."""
        if self.wrote and self.is_sqlite and not self.read_only:
            self.checkpoint()
        self.engine.dispose()

    def checkpoint(self) -> bool:
        """Copy the committed writes from the -wal file into the database file and empty the -wal, so that
        the one file (copied to a stick, mailed, backed up by hand) holds them. Best effort: False when a
        reader in the middle of a read keeps part of the WAL in use, or anything else stops it; never raised.
        """
        try:
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                busy, _frames, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                cursor.close()
            finally:
                raw.close()
        except Exception as exc:  # never fail the command that has done its work for it
            log.warning("checkpoint of %s failed: %s", self.display_name, exc)
            return False
        if busy:
            log.info("checkpoint of %s left for later: a reader is using the WAL", self.display_name)
        return not busy


def changes_of(conn: Connection) -> ChangeCollector:
    """Where a write inside `Database.transaction()` records what it changed.

    Outside such a transaction (a migration, a test's bare connection) the record goes nowhere.
    """
    collector = conn.info.get(_CHANGES_KEY)
    return collector if isinstance(collector, ChangeCollector) else ChangeCollector()


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        # Take transaction control from the driver so BEGIN is ours (see on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        if not read_only:  # (read-only: no query_only, which would forbid the listing's TEMP tables too)
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: a large import keeps its B-tree pages in memory
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def create_db_engine(url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, read_only: bool = False) -> Engine:
    """An engine for `url` whose errors never quote a statement's parameters.

    Parameters hold 身份证号 and 手机号, and an unexpected error's text goes to the log and to stderr.
    `read_only`: a SQLite file is opened so that SQLite itself refuses every write (see `storage.read_only`).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            folder = Path(database).parent
            if not folder.exists():
                raise CannotOpenDatabase(f"数据库所在的文件夹不存在：{folder}")
        if read_only and database and database != ":memory:":
            path = Path(database)
            engine = create_engine(
                url,
                hide_parameters=True,
                # The URL stays the file's (its name, the pool for a file); connections come read-only.
                creator=lambda: read_only_files.connect_read_only(path, check_same_thread=False),
            )
        else:
            engine = create_engine(url, hide_parameters=True)
        _configure_sqlite(engine, busy_timeout_ms, read_only=read_only)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)  # and no DETAIL: see without_detail


# A PostgreSQL error's DETAIL line quotes the failing row or key, values and all.
_SERVER_DETAIL = re.compile(r"\nDETAIL: .*?(?=\n(?:HINT|CONTEXT|\[SQL|\(Background)|\Z)", re.DOTALL)
DETAIL_HIDDEN = "\nDETAIL:  （服务器给出的详情已略去：其中可能有身份证号、手机号）"


@event.listens_for(Engine, "handle_error")
def without_detail(context: ExceptionContext) -> None:
    """Keep a server's DETAIL out of every error's text, as `hide_parameters` keeps the parameters out: it
    quotes the failing row (a 身份证号, a 手机号), and an unexpected error's text reaches the log.
    For every engine (SQLite never sends a DETAIL)."""
    for error in (context.original_exception, context.sqlalchemy_exception):
        if error is not None and error.args and isinstance(error.args[0], str):
            error.args = (_SERVER_DETAIL.sub(DETAIL_HIDDEN, error.args[0]), *error.args[1:])


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision as Alembic finds it in the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    """The schema revision stamped in the database (None: never stamped), read with plain SQL."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    revision: str | None = conn.scalar(text("SELECT version_num FROM alembic_version"))  # linear history: one row
    return revision


def open_database(
    url: str, *, backup_dir: Path | None = None, busy_timeout_ms: int = BUSY_TIMEOUT_MS, read_only: bool = False
) -> Database:
    """Open the database at `url`, creating or upgrading its schema.

    A file is copied to `backup_dir` before any upgrade; a database written by a
    newer program is refused and left untouched. Opened read-only when `read_only` is asked
    for or the file (or its folder) cannot be written: it is read, never written
    (`Database.read_only_reason` says why), and refused when it would need a write to be used.
    """
    reason = read_only_reason(url, requested=read_only)
    engine = create_db_engine(url, busy_timeout_ms=busy_timeout_ms, read_only=reason is not None)
    database = Database(engine, read_only_reason=reason)
    try:
        _migrate(database, backup_dir)
        # Only a new database lacks its 街镇: opening one that has them reads and takes no write lock, so a
        # command that only reads works while another program writes.
        with database.read() as conn:
            complete = not _missing_streets(conn)
        if not complete and reason is not None:
            raise ReadOnlyDatabase(
                reason,
                f"数据库“{database.display_name}”还缺少普陀区各街镇的基础数据，要写入后才能使用；"
                f"它以只读方式打开（{reason}），无法补上，也未作任何改动。请先用可以写入的方式打开一次。",
            )
        if not complete:
            with database.transaction() as conn:
                ensure_reference_data(conn)
    except sa_exc.DBAPIError as exc:
        engine.dispose()
        raise database._translate(exc) from exc
    except Exception:
        engine.dispose()
        raise
    return database


def read_only_reason(url: str, *, requested: bool = False) -> str | None:
    """Why the database at `url` must be opened read-only, in words for the clerk; None: it can be written.

    A SQLite file that does not exist yet is not made read-only: it is refused, as there is nothing to read.
    """
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return read_only_files.REQUESTED if requested else None
    path = Path(name)
    if not path.parent.is_dir():
        return None  # said by create_db_engine: the folder does not exist
    reason = read_only_files.REQUESTED if requested else read_only_files.why_not_writable(path)
    if reason is not None and not path.is_file():
        if requested:
            raise CannotOpenDatabase(f"找不到数据库文件“{path}”：以只读方式打开时不会新建数据库。")
        raise CannotOpenDatabase(f"无法在“{path.parent}”中新建数据库：{reason}。")
    if reason is not None:
        log.info("opening %s read-only: %s", path, reason)
    return reason


def upgrade(database: Database, backup_dir: Path | None) -> None:
    """Bring an open database's schema up to date, as opening it does (after a restore of an older backup)."""
    _migrate(database, backup_dir)


def known_revisions() -> frozenset[str]:
    """Every schema revision this program knows: a database stamped with another is from a newer version."""
    from alembic.script import ScriptDirectory

    return frozenset(rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions())


def _migrate(database: Database, backup_dir: Path | None) -> None:
    with database.engine.connect() as conn:
        current = current_revision(conn)
        if current == HEAD_REVISION and MIGRATIONS_DIR == _PACKAGED_MIGRATIONS:
            return
        tables = set(inspect(conn).get_table_names())
    from alembic import command  # only to create or upgrade a schema
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    if current == head:
        return
    if current is None and tables - {"alembic_version"}:
        raise NotADatabase(f"“{database.display_name}”中已有其他程序的数据表，不是本程序的数据库，未作任何改动。")
    if current is not None:
        known = {rev.revision for rev in script.walk_revisions()}
        if current not in known:
            raise NewerSchema(
                f"数据库“{database.display_name}”由更新版本的普陀小区档案创建（结构版本 {current}），"
                "本程序无法打开，也未作任何改动。请安装新版本后再试。"
            )
    if database.read_only_reason is not None:
        _refuse_read_only_upgrade(database, database.read_only_reason, current, head)
    if current is not None and database.is_sqlite and backup_dir is not None:
        backup_sqlite(database, backup_dir, label=f"before-upgrade-{current}")
    log.info("upgrading %s from %s to %s", database.display_name, current, head)
    with database.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    database.wrote = True


def _refuse_read_only_upgrade(database: Database, reason: str, current: str | None, head: str | None) -> None:
    if current is None:
        raise ReadOnlyDatabase(
            reason,
            f"数据库“{database.display_name}”还没有建立数据表，要写入后才能使用；"
            f"它以只读方式打开（{reason}），无法建立，也未作任何改动。",
        )
    raise ReadOnlyDatabase(
        reason,
        f"数据库“{database.display_name}”的数据结构较旧（版本 {current}），本程序要先把它升级到版本 {head} "
        f"才能使用；它以只读方式打开（{reason}），无法升级，也未作任何改动。"
        "请先用可以写入的方式打开一次（升级前会自动备份），再以只读方式查看。",
    )


def backup_sqlite(database: Database, backup_dir: Path, *, label: str) -> Path:
    """A consistent copy of a SQLite database (WAL included), named by time and reason."""
    from putuo_community.storage.backups import copy_database

    source_path = database.url.database
    assert source_path
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"{Path(source_path).stem}-{stamp}-{label}.sqlite3"
    copy_database(Path(source_path), target)
    log.info("backed up %s to %s", source_path, target)
    return target


def _missing_streets(conn: Connection) -> list[Street]:
    present = set(conn.scalars(select(TABLES["streets"].c.name)))
    return [s for s in PUTUO_STREETS if s.name not in present]


def ensure_reference_data(conn: Connection) -> None:
    """Every database holds the 10 街镇 of 普陀."""
    streets = TABLES["streets"]
    missing = _missing_streets(conn)
    if missing:
        stamp = now()
        conn.execute(
            insert(streets),
            [
                {"name": s.name, "short_name": s.short_name, "kind": s.kind, "created_at": stamp, "updated_at": stamp}
                for s in missing
            ],
        )
