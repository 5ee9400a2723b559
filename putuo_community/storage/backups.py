"""Copies of a SQLite archive, taken and put back with SQLite's online backup API, and what a copy holds.

Never a file copy of an open database: the backup API copies a consistent snapshot page by
page while the program (or another) keeps working, WAL included. A copy is written beside
its target under a temporary name, checked, and only then given its name, so a full disk or
a kill never leaves a half copy that looks like a backup.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from putuo_community.domain.errors import CannotOpenDatabase, UserError
from putuo_community.domain.registers import REGISTERS
from putuo_community.storage.processes import process_alive
from putuo_community.storage.read_only import connect_read_only

log = logging.getLogger(__name__)

PARTIAL = ".part"  # a copy being written: `<backup name>.<pid>.part`, given its name only once it checks out
_SIDE_FILES = ("-wal", "-shm", "-journal")
_PARTIAL_NAME = re.compile(r"(?:\.(?P<pid>\d+))?\.part(?:-wal|-shm|-journal)?$")
PAGES_PER_STEP = 4096  # 16 MiB at SQLite's default page size: progress a few times a second
Progress = Callable[[int, int], None]


class BadBackup(UserError):
    """A file that cannot be restored: not an archive of this program, damaged, or from a newer version."""


def copy_database(
    source: Path, target: Path, *, progress: Progress | None = None, check: bool = True, read_only: bool = False
) -> None:
    """A consistent copy of the SQLite database at `source`, written to `target` only once it checks out
    (unless `check` is off: a damaged archive is still copied as it is before it is replaced).
    `read_only`: the archive was opened read-only, and is read so (its folder may not even allow a -shm)."""
    remove_stale_partials(target.parent)
    partial = target.with_name(f"{target.name}.{os.getpid()}{PARTIAL}")
    leftovers = [partial, *(partial.with_name(partial.name + suffix) for suffix in _SIDE_FILES)]
    for path in leftovers:
        path.unlink(missing_ok=True)
    try:
        opened = connect_read_only(source) if read_only else sqlite3.connect(source)
        with closing(opened) as reader, closing(sqlite3.connect(partial)) as writer:
            reader.backup(writer, pages=PAGES_PER_STEP, progress=_pages(progress))
            # The copy keeps the archive's WAL mode: make it one self-contained file, as a backup should be.
            writer.execute("PRAGMA journal_mode=DELETE")
        problem = integrity_problem(partial) if check else None
        if problem is not None:
            raise BadBackup(f"备份副本校验未通过：{problem}")
        os.replace(partial, target)
    finally:
        for path in leftovers:
            path.unlink(missing_ok=True)


def remove_stale_partials(folder: Path) -> list[Path]:
    """Remove the partial copies that killed backups left in `folder`; returns what was removed.

    A partial copy is named for the process writing it: one whose process still runs is another
    backup at work and is kept. (Partial copies from before this rule carry no process id.)
    """
    removed: list[Path] = []
    try:
        names = [p for p in folder.iterdir() if _PARTIAL_NAME.search(p.name)]
    except OSError:
        return removed  # the backup itself says what is wrong with the folder
    for path in names:
        match = _PARTIAL_NAME.search(path.name)
        assert match is not None
        pid = match.group("pid")
        if pid is not None and process_alive(int(pid)):
            continue
        try:
            path.unlink()
        except OSError:
            continue
        log.info("removed %s, left by a backup that did not finish", path.name)
        removed.append(path)
    return removed


def restore_database(backup: Path, live: Path, *, progress: Progress | None = None) -> None:
    """Put the backup's content into the live database file, in one step that readers never see half done.

    The caller closes every other connection to `live` first.
    """
    with closing(sqlite3.connect(backup)) as reader, closing(sqlite3.connect(live)) as writer:
        reader.backup(writer, pages=PAGES_PER_STEP, progress=_pages(progress))


def _pages(progress: Progress | None) -> Callable[[int, int, int], object] | None:
    if progress is None:
        return None
    report = progress

    def step(_status: int, remaining: int, total: int) -> None:
        report(total - remaining, total)

    return step


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file, even one on a write-protected stick (see `connect_read_only`)."""
    return connect_read_only(path)


def integrity_problem(path: Path) -> str | None:
    """None when SQLite's quick check finds the file sound, else what it found (first line)."""
    try:
        with closing(_read_only(path)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return f"不是有效的数据库文件（{exc}）"
    except CannotOpenDatabase as exc:
        return exc.message
    first = str(rows[0][0]) if rows else "无结果"
    return None if first == "ok" else first


@dataclass(frozen=True)
class BackupContents:
    """What a backup file holds, read without changing it."""

    path: Path
    modified: datetime
    size: int
    revision: str | None  # the schema revision stamped in it; None: not stamped
    counts: dict[str, int]  # register label → records, for the registers that have any
    problem: str | None  # why it cannot be restored; None when it can

    @property
    def records(self) -> int:
        return sum(self.counts.values())


def read_contents(path: Path) -> BackupContents:
    """The schema revision and record counts of a backup file, and whether it is sound."""
    if not path.is_file():
        raise BadBackup(f"找不到备份文件：{path}")
    stat = path.stat()
    modified = datetime.fromtimestamp(stat.st_mtime)
    problem = integrity_problem(path)
    revision: str | None = None
    counts: dict[str, int] = {}
    if problem is None:
        with closing(_read_only(path)) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" not in tables or "estates" not in tables:
                problem = "这不是普陀小区档案的数据库文件"
            else:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = str(row[0]) if row else None
                for key, register in REGISTERS.items():  # table names from the declarations, never from input
                    if key in tables:
                        count = int(conn.execute(f'SELECT count(*) FROM "{key}"').fetchone()[0])
                        if count:
                            counts[register.label] = count
    return BackupContents(path, modified, stat.st_size, revision, counts, problem)
