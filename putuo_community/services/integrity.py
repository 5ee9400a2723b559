"""Is the archive sound? SQLite's own checks, and what the program does when they fail: it stops writing.

A damaged file keeps being read as far as it can be (lists, reminders, a dossier may still help),
but no write begins: writing into a damaged file spreads the damage. The way back is a restore
of the newest sound backup. The attachment files are checked too, each against the SHA-256 its
record holds; a missing or changed one is reported (a restore brings it back from the backups).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from putuo_community.domain.errors import UserError
from putuo_community.services.attachments import AttachmentService, FileCheck
from putuo_community.services.backups import Backup, BackupService
from putuo_community.storage import chain
from putuo_community.storage.database import Database

log = logging.getLogger(__name__)


class IntegrityService:
    def __init__(self, database: Database, backups: BackupService) -> None:
        self.database = database
        self.backups = backups

    def check(self) -> list[str]:
        """The full check (`putuo-community check`): every page, every index, every reference, and the
        change history's chain (the first row edited, deleted or inserted behind the program's back).
        Empty: sound."""
        problems = self._problems(full=True)
        if problems:  # a damaged file cannot be trusted to read its history back
            return problems
        try:
            with self.database.read() as conn:
                broken = chain.first_break(conn)
        except UserError as error:
            return [error.message]
        return [] if broken is None else [chain.describe_break(broken)]

    def check_attachments(self) -> FileCheck:
        """Every attachment's file hashed against its record (`check` reports the first missing or changed
        one), then stored files no record names any more tidied away (not on an archive that may not be written)."""
        files = AttachmentService(self.database, user="check")
        found = files.check_files()
        tidied = files.tidy()
        if tidied:
            log.info("tidied %d attachment file(s) no record names", tidied)
        return replace(found, tidied=tidied)

    def guard(self) -> list[str]:
        """The quick check before writing; on a damaged file, writes are refused from now on. Empty: sound."""
        problems = self._problems(full=False)
        if problems:
            self.database.write_refusal = refusal_message(problems)
            log.error("database %s failed its check: %s", self.database.display_name, problems[0])
        return problems

    def newest_sound_backup(self) -> Backup | None:
        """The newest backup in the backups folder that passes its own check, to offer for a restore."""
        for backup in self.backups.list():
            if self.backups.inspect(backup.path).problem is None:
                return backup
        return None

    def _problems(self, *, full: bool) -> list[str]:
        try:
            return self.database.integrity_problems(full=full)
        except UserError as error:  # too damaged even to be checked
            return [error.message]


def refusal_message(problems: list[str]) -> str:
    return (
        f"数据库文件已损坏（SQLite 检查发现：{problems[0]}）。为免扩大损坏，程序已停止写入。"
        "请用“文件 → 恢复数据库”（或 restore 命令）恢复最近的备份，或联系管理员。"
    )
