"""Backups of the archive: taken once a day and before every operation that rewrites much of it, kept for a
year by a simple rule, and restored only after the backup is checked and the archive it replaces is saved.

A backup is a SQLite file in the data folder's `backups/`, named by when it was taken and why
(`putuo-community-20261129-093000-daily.sqlite3`). Kept: every backup of the last two days, then
the newest of each day for 30 days, then the newest of each month for 12 months. Files of other
names in the folder (a backup the clerk saved there by hand) are never removed.

On a database server (PostgreSQL) a backup is taken, on request and before a restore, with pg_dump into the same
folder (`<database>-<stamp>-<label>.dump`, see `server_backup`); no daily or before-import copy is taken there (the
server's own backups apply), and where this computer lacks pg_dump the service says so.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from putuo_community.domain.accounts import Action, Actor
from putuo_community.domain.changes import Changes
from putuo_community.domain.errors import ReadOnlyDatabase, UserError
from putuo_community.services.permissions import Permissions
from putuo_community.services.server_backup import DUMP_SUFFIX, ServerBackups, find_server_tools, server_tools_missing
from putuo_community.storage import attachment_backups
from putuo_community.storage.backups import BackupContents, BadBackup, copy_database, read_contents, restore_database

__all__ = ["Backup", "BackupContents", "BackupService", "BadBackup", "describe_backup"]
from putuo_community.storage.database import Database, known_revisions, upgrade
from putuo_community.storage.schema import TABLES

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
RECENT_DAYS = 2  # every backup this recent is kept
DAILY_DAYS = 30  # then the newest of each day
MONTHLY_MONTHS = 12  # then the newest of each month
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<label>[A-Za-z0-9-]+)\.(?:sqlite3|dump)$")
_STAMP = "%Y%m%d-%H%M%S"
LABELS = {
    "daily": "每日自动备份",
    "manual": "手动备份",
    "before-import": "导入前",
    "before-undo": "撤销前",
    "before-restore": "恢复前",
    "damaged-before-restore": "恢复前（已损坏的数据库）",
    "before-demo": "重新生成演示数据前",
}


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime
    label: str

    @property
    def reason(self) -> str:
        if self.label.startswith("before-upgrade"):
            return "升级数据库结构前"
        return LABELS.get(self.label, self.label)


class BackupService:
    def __init__(
        self,
        database: Database,
        folder: Path | None,
        *,
        clock: Callable[[], datetime] = datetime.now,
        actor: Actor | None = None,
    ) -> None:
        self.database = database
        self.folder = folder  # None: no automatic backups (tests, a one-off run)
        self.clock = clock
        self.permissions = Permissions(database, actor or Actor.local(""))  # who may back up by hand, and restore

    # -- what there is -----------------------------------------------------------------------

    @property
    def available(self) -> bool:
        return self.database.is_sqlite and self.folder is not None

    def list(self) -> list[Backup]:
        """The backups in the folder, newest first."""
        if self.folder is None or not self.folder.is_dir():
            return []
        found = []
        for path in [*self.folder.glob("*.sqlite3"), *self.folder.glob(f"*{DUMP_SUFFIX}")]:
            match = _NAME.match(path.name)
            if match is not None:
                try:
                    taken = datetime.strptime(match["stamp"], _STAMP)
                except ValueError:
                    continue
                found.append(Backup(path, taken, match["label"]))
        return sorted(found, key=lambda b: b.taken_at, reverse=True)

    def inspect(self, path: Path) -> BackupContents:
        """What a backup holds, and why it cannot be restored if it cannot (`problem`)."""
        contents = self._server().contents(path) if path.suffix == DUMP_SUFFIX else read_contents(path)
        if contents.problem is None and contents.revision not in known_revisions():
            return _with_problem(
                contents,
                f"这个备份由更新版本的普陀小区档案创建（结构版本 {contents.revision}），请先安装新版本再恢复",
            )
        return contents

    # -- taking them -------------------------------------------------------------------------

    def backup(
        self, *, out: Path | None = None, label: str = "manual", progress: Progress | None = None, check: bool = True
    ) -> Path:
        """A backup now, into `out` or the backups folder; returns its path. With `check` off, a damaged
        archive is copied as it is (kept before a restore replaces it).

        An archive opened read-only is copied only to `out`: nothing is written into its data folder.
        On a server: pg_dump writes a `.dump` file (`out` must be named so).
        """
        if label == "manual":  # the program's own copies (daily, before an import or a restore) ask no right
            self.permissions.require(Action.BACKUP)
        if not self.database.is_sqlite:
            return self._server_backup(out, label, progress)
        live = self._live_file()
        reason = self.database.read_only_reason
        if out is None:
            if self.folder is None:
                raise UserError("没有设定备份文件夹，请用 --out 指定备份文件。")
            if reason is not None:
                raise ReadOnlyDatabase(
                    reason,
                    f"数据库以只读方式打开（{reason}），不向数据文件夹写入备份；"
                    "请另选保存位置（命令行用 --out 指定，例如 U 盘上的文件）。",
                )
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UserError(f"无法建立备份文件夹“{self.folder}”：{exc.strerror or exc}") from exc
            out = self._new_name(label)
        elif not out.parent.is_dir():
            raise UserError(f"备份文件所在的文件夹不存在：{out.parent}")
        elif out.resolve() == live.resolve():
            raise UserError("备份文件不能是数据库本身。")
        try:
            copy_database(live, out, progress=progress, check=check, read_only=reason is not None)
        except OSError as exc:
            raise UserError(f"无法写入备份文件“{out.name}”：{exc.strerror or exc}（磁盘是否已满？）") from exc
        attachment_backups.save_for_backup(self.database, out)  # the files it names, into attachments/ beside it
        log.info("backup %s taken: %s", label, out.name)
        if out.parent == self.folder:
            self.prune()
        return out

    def before(self, operation: str) -> Path | None:
        """The backup taken before an operation that rewrites much of the archive (import, undo, restore …).

        Nothing on a server, nothing without a backups folder, nothing for an archive with no records yet.
        An archive opened read-only refuses the operation here, before anything is copied.
        """
        if self.database.read_only_reason is not None:
            raise ReadOnlyDatabase(self.database.read_only_reason)
        if not self.available or self._is_empty():
            return None
        return self.backup(label=f"before-{operation}")

    def ensure_daily(self) -> Path | None:
        """Today's backup, unless one was taken today already (or there is nothing, or nothing sound, to keep).

        None for an archive opened read-only: it is not written to, so today's copy is the one already kept.
        """
        if not self.available or self.database.writes_refused is not None or self._is_empty():
            return None
        today = self.clock().date()
        if any(b.taken_at.date() == today for b in self.list()):
            return None
        return self.backup(label="daily")

    def prune(self) -> tuple[Path, ...]:
        """Remove the backups the keeping rule no longer wants; returns what was removed."""
        backups = self.list()
        keep = set(_kept(backups, self.clock()))
        removed = []
        for backup in backups:
            if backup.path not in keep:
                try:
                    backup.path.unlink()
                    removed.append(backup.path)
                except OSError as exc:  # open in another program: try again next time
                    log.warning("could not remove old backup %s: %s", backup.path.name, exc)
        if self.folder is not None:  # attachment files only the removed backups named go too, no others
            attachment_backups.tidy_backup_store(self.database, self.folder)
        return tuple(removed)

    # -- restoring ---------------------------------------------------------------------------

    def restore(self, path: Path, *, progress: Progress | None = None) -> Path | None:
        """Replace the archive with the backup at `path`; returns the backup of the archive it replaced.

        The backup is checked first (sound, this program's, not from a newer version); the current
        archive is backed up before anything changes; an older backup is upgraded after it is put back.
        Every open view hears that everything changed.
        """
        self.permissions.require(Action.RESTORE)
        if not self.database.is_sqlite:
            return self._server_restore(path, progress)
        live = self._live_file()
        if self.database.read_only_reason is not None:  # a damaged archive may be restored; a read-only one not
            raise ReadOnlyDatabase(self.database.read_only_reason)
        if path.resolve() == live.resolve():
            raise UserError("不能用数据库本身作为备份来恢复。")
        contents = self.inspect(path)
        if contents.problem is not None:
            raise BadBackup(f"不能恢复“{path.name}”：{contents.problem}。数据库没有任何改动。")
        damaged = self.database.write_refusal is not None
        saved = None
        if self.folder is not None:
            label = "damaged-before-restore" if damaged else "before-restore"
            saved = self.backup(label=label, check=not damaged)
        self.database.dispose()  # no pooled connection may hold the file while it is replaced
        restore_database(path, live, progress=progress)
        self.database.wrote = True  # put in through the WAL: into the main file when the archive is closed
        self.database.write_refusal = None  # the backup was checked: the archive is sound again
        upgrade(self.database, self.folder)
        attachment_backups.bring_back(self.database, path)  # every attachment file the restored archive names
        log.info("restored %s (%s records)", path.name, contents.records)
        self.database.changes.publish(Changes(everything=True, kind="恢复"))
        return saved

    # -- on a server ---------------------------------------------------------------------------

    def _server(self) -> ServerBackups:
        tools = find_server_tools()
        if tools is None:
            raise UserError(server_tools_missing(self.database.display_name))
        return ServerBackups(self.database.url, tools)

    def _server_backup(self, out: Path | None, label: str, progress: Progress | None) -> Path:
        server = self._server()
        if out is None:
            if self.folder is None:
                raise UserError("没有设定备份文件夹，请用 --out 指定备份文件。")
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UserError(f"无法建立备份文件夹“{self.folder}”：{exc.strerror or exc}") from exc
            out = self._new_name(label)
        elif out.suffix != DUMP_SUFFIX:
            raise UserError(
                f"服务器上的数据库用 pg_dump 备份，备份文件的扩展名应为 {DUMP_SUFFIX}（例如 普陀小区档案.dump）。"
            )
        elif not out.parent.is_dir():
            raise UserError(f"备份文件所在的文件夹不存在：{out.parent}")
        try:
            server.dump(out, progress=progress)
        except OSError as exc:
            raise UserError(f"无法写入备份文件“{out.name}”：{exc.strerror or exc}（磁盘是否已满？）") from exc
        log.info("server backup %s taken: %s", label, out.name)
        if out.parent == self.folder:
            self.prune()
        return out

    def _server_restore(self, path: Path, progress: Progress | None) -> Path | None:
        server = self._server()
        if path.suffix != DUMP_SUFFIX:
            raise BadBackup(
                f"不能恢复“{path.name}”：服务器上的数据库只能用 pg_dump 的备份（{DUMP_SUFFIX} 文件）恢复。"
                "数据库没有任何改动。"
            )
        contents = self.inspect(path)
        if contents.problem is not None:
            raise BadBackup(f"不能恢复“{path.name}”：{contents.problem}。数据库没有任何改动。")
        saved = self.backup(label="before-restore") if self.folder is not None else None
        if progress is not None:
            progress(0, 1)
        try:
            server.restore(self.database, path)
        except UserError as exc:
            if saved is None:
                raise
            log.warning("restore of %s failed; putting back %s", path.name, saved.name)
            try:  # pg_restore rolled its own work back, but the tables a newer schema added were dropped before it
                server.restore(self.database, saved)
            except UserError as again:
                raise UserError(
                    f"{exc.message}\n恢复前的备份也未能放回（{again.message}），请用 {saved} 恢复。"
                ) from exc
            raise UserError(f"{exc.message}\n数据库已回到恢复前的状态（{saved.name}）。") from exc
        upgrade(self.database, self.folder)
        if progress is not None:
            progress(1, 1)
        log.info("restored %s (%s records) on the server", path.name, contents.records)
        self.database.changes.publish(Changes(everything=True, kind="恢复"))
        return saved

    # -- helpers -----------------------------------------------------------------------------

    def _live_file(self) -> Path:
        if not self.database.is_sqlite:
            raise UserError(server_tools_missing(self.database.display_name))
        name = self.database.url.database
        if not name or name == ":memory:":
            raise UserError("内存中的数据库不能备份。")
        return Path(name)

    def _is_empty(self) -> bool:
        with self.database.read() as conn:
            return not conn.scalar(select(func.count()).select_from(TABLES["estates"]))

    def _new_name(self, label: str) -> Path:
        assert self.folder is not None
        if self.database.is_sqlite:
            stem, suffix = Path(self._live_file()).stem, ".sqlite3"
        else:  # the database's name, as a file name Windows accepts
            stem, suffix = re.sub(r'[\\/:*?"<>|\s]+', "_", self.database.url.database or "server"), DUMP_SUFFIX
        moment = self.clock()
        while True:
            path = self.folder / f"{stem}-{moment.strftime(_STAMP)}-{label}{suffix}"
            if not path.exists():
                return path
            moment += timedelta(seconds=1)


def describe_backup(contents: BackupContents) -> str:
    """A backup as a clerk checks it before restoring: when, how big, and how many records of each kind."""
    lines = [
        f"备份文件：{contents.path}",
        f"保存时间：{contents.modified:%Y-%m-%d %H:%M}，大小 {contents.size / 1048576:,.1f} MB",
    ]
    if contents.counts:
        lines.append("内容：" + "，".join(f"{label} {count:,}" for label, count in contents.counts.items()))
    elif contents.problem is None:
        lines.append("内容：没有任何记录")
    return "\n".join(lines)


def _kept(backups: Iterable[Backup], now: datetime) -> Iterable[Path]:
    """Every backup of the last `RECENT_DAYS`, the newest of each day for `DAILY_DAYS`, of each month for a year."""
    days: set[date] = set()
    months: set[tuple[int, int]] = set()
    for backup in sorted(backups, key=lambda b: b.taken_at, reverse=True):
        age = now - backup.taken_at
        day = backup.taken_at.date()
        month = (day.year, day.month)
        recent = age <= timedelta(days=RECENT_DAYS)
        if recent or (age <= timedelta(days=DAILY_DAYS) and day not in days):
            days.add(day)
            months.add(month)
            yield backup.path
        elif age <= timedelta(days=31 * MONTHLY_MONTHS) and month not in months:
            months.add(month)
            yield backup.path


def _with_problem(contents: BackupContents, problem: str) -> BackupContents:
    from dataclasses import replace

    return replace(contents, problem=problem)
