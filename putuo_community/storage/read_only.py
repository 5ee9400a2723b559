"""Whether a SQLite file may be written, and how to read one that may not be without writing a byte of it.

A WAL-mode database (ours) read with `mode=ro` still needs its -shm file: SQLite reads one that is
there (even when it cannot write it), and creates one when the folder can be written. In a folder
that cannot be written and holds no -shm, `mode=ro` fails; the main file then holds every committed
write as long as no -wal with content lies beside it, and `immutable=1` reads it without any
side file. A -wal with content and no -shm cannot be read correctly without writing: refused.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import tempfile
from pathlib import Path

from putuo_community.domain.errors import CannotOpenDatabase

log = logging.getLogger(__name__)

REQUESTED = "启动时指定了 --read-only"


def why_not_writable(path: Path) -> str | None:
    """Why the database at `path` (an existing file, or one about to be made) cannot be written, in words
    for the clerk; None when it can. SQLite also creates -wal and -shm files beside it, so the folder counts.

    Tried for real, not judged from permission bits: a read-only share, a write-protected stick or an
    ACL says no only when asked. Nothing is changed: the file is opened for writing and closed unwritten,
    and the folder's probe file is removed at once.
    """
    if path.exists():
        try:
            with path.open("r+b"):
                pass
        except OSError as exc:
            log.info("database file %s cannot be written: %s", path, exc)
            return _said(exc, "数据库文件没有写入权限")
    try:
        handle, probe = tempfile.mkstemp(prefix=".putuo-write-check-", dir=path.parent)
    except OSError as exc:
        log.info("folder %s cannot be written: %s", path.parent, exc)
        return _said(exc, "数据库所在的文件夹没有写入权限")
    os.close(handle)
    Path(probe).unlink(missing_ok=True)
    return None


def _said(exc: OSError, otherwise: str) -> str:
    if exc.errno == errno.EROFS:
        return "数据库所在的磁盘或共享文件夹只允许读取"
    return otherwise


def connect_read_only(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection to the SQLite file at `path` that cannot change it (SQLite refuses every write)."""
    uri = path.resolve().as_uri()  # escapes what a folder name may hold (#, %, spaces) and spells a drive
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=check_same_thread)
    try:
        conn.execute("PRAGMA schema_version").fetchone()  # reads the header and, in WAL mode, the -shm
    except BaseException as exc:
        conn.close()
        if not _needs_side_files(exc):
            raise  # not a database, damaged, locked: said by the caller
        if has_pending_wal(path):
            raise CannotOpenDatabase(
                f"数据库“{path}”旁有尚未并入主文件的修改（{path.name}-wal），而所在文件夹不能写入，"
                "无法读取这些修改。请在能写入这个文件夹的电脑上用本程序打开一次，"
                "或把整个数据文件夹复制到能写入的位置再打开。"
            ) from exc
        log.info("%s read as immutable: %s", path, exc)  # no -shm and no way to make one: nothing in a -wal
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=check_same_thread)
    return conn


def _needs_side_files(exc: BaseException) -> bool:
    """Whether SQLite failed for want of a -shm or -wal it could not make (SQLITE_READONLY_DIRECTORY,
    SQLITE_CANTOPEN), rather than for the file itself."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF  # the primary code of an extended one
    return code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN)


def has_pending_wal(path: Path) -> bool:
    """Whether a -wal file with content lies beside the database (writes not yet in the main file)."""
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except FileNotFoundError:
        return False
