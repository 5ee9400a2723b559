"""Attachment files kept with the backups: one store beside the backup files, shared by all of them.

A backup's database names its attachments by SHA-256; their files go into
``<backup folder>/attachments/`` (the live store's layout), each once however many backups name
it, copied (not linked: a change to the live file must not reach the backup's). Tidying removes only
files no backup left in the folder names, and first copies in any file a kept backup names but
lacks (a backup cut short by a kill). A restore copies back every file the restored database names
that the live store lacks or holds changed.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import select

from putuo_community.domain.attachments import FileState, is_sha256
from putuo_community.domain.errors import CannotOpenDatabase, UserError
from putuo_community.storage.attachment_store import AttachmentStore, store_beside, store_for
from putuo_community.storage.database import Database
from putuo_community.storage.read_only import connect_read_only
from putuo_community.storage.schema import TABLES

log = logging.getLogger(__name__)

TIDY_GRACE_SECONDS = 3600.0  # a file copied for a backup still being written is not an orphan yet

Needed = dict[str, int | None]  # sha256 → size


class UnreadableBackup(Exception):
    """A backup file whose attachments cannot be listed (damaged): nothing it might need is removed."""


def named_in_file(path: Path) -> Needed:
    """The attachment files a database file (a backup) names, with their sizes; nothing for a file of
    another program. `UnreadableBackup` when it cannot be read."""
    try:
        with closing(connect_read_only(path)) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "attachments" not in tables:
                return {}
            rows = conn.execute("SELECT sha256, size_bytes FROM attachments").fetchall()
    except (sqlite3.DatabaseError, CannotOpenDatabase) as exc:
        raise UnreadableBackup(str(exc)) from exc
    return {str(sha): size for sha, size in rows if isinstance(sha, str) and is_sha256(sha)}


def named_in_database(database: Database) -> Needed:
    table = TABLES["attachments"]
    with database.read() as conn:
        return {str(sha): size for sha, size in conn.execute(select(table.c.sha256, table.c.size_bytes))}


def save_for_backup(database: Database, backup_file: Path) -> list[str]:
    """Copy the files `backup_file` names into the store beside it, each only if it is not there yet; returns
    the hashes it could not have (missing or changed in the live store: `check` reports those)."""
    live = store_for(database)
    if live is None:
        return []
    try:
        needed = named_in_file(backup_file)
    except UnreadableBackup as exc:  # a damaged archive copied as it is before a restore
        log.warning("attachments of backup %s not listed: %s", backup_file.name, exc)
        return []
    kept = store_beside(backup_file)
    try:
        missing = _fill(kept, live, needed)
    except OSError as exc:
        raise UserError(
            f"数据库已备份到“{backup_file.name}”，但附件文件未能全部复制到“{kept.root}”：{exc.strerror or exc}"
            "（磁盘是否已满？）。下次备份时会补上。"
        ) from exc
    if missing:
        log.warning("backup %s: %d attachment file(s) missing or changed", backup_file.name, len(missing))
    return missing


def tidy_backup_store(database: Database, folder: Path, *, older_than: float | None = None) -> int:
    """After old backups were pruned: fill in what the kept ones lack, remove what none of them names.
    Returns how many files were removed. Nothing is removed while any backup in the folder is unreadable."""
    store = AttachmentStore(folder / "attachments")
    if not store.root.is_dir():
        return 0
    needed: Needed = {}
    for path in folder.glob("*.sqlite3"):
        try:
            needed.update(named_in_file(path))
        except UnreadableBackup as exc:
            log.warning("not tidying the backups' attachments: %s cannot be read (%s)", path.name, exc)
            return 0
    live = store_for(database)
    if live is not None:
        missing = _fill(store, live, needed)
        if missing:
            log.warning("%d attachment file(s) named by backups are in neither store", len(missing))
    grace = TIDY_GRACE_SECONDS if older_than is None else older_than
    removed = store.tidy(lambda sha: sha in needed, older_than=grace)
    if removed:
        log.info("removed %d attachment file(s) no backup needs any more", len(removed))
    return len(removed)


def bring_back(database: Database, backup_file: Path) -> list[str]:
    """After a restore: every file the database names is put back into the live store from the backup's store
    where the live one lacks it or holds it changed. Returns the hashes found in neither."""
    live = store_for(database)
    if live is None:
        return []
    kept = store_beside(backup_file)
    missing = []
    for sha, size in named_in_database(database).items():
        if live.state(sha, size) is FileState.OK:
            continue
        if not live.adopt(kept, sha):
            missing.append(sha)
    if missing:
        log.warning("after the restore %d attachment file(s) are in neither store", len(missing))
    return missing


def _fill(target: AttachmentStore, source: AttachmentStore, needed: Needed) -> list[str]:
    missing = []
    for sha, size in needed.items():
        if target.has(sha, size):
            target.touch(sha)  # needed again: not to be tidied as an old orphan
            continue
        if not target.adopt(source, sha):
            missing.append(sha)
    return missing
