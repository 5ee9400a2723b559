"""文件 → 备份数据库… and 恢复数据库…, and the day's automatic backup once the window has settled.

Each runs in the background behind a progress dialog with 取消: a cancelled backup leaves no
file, a cancelled restore leaves the archive as it was (SQLite rolls an unfinished copy back).
A restore shows what the backup holds and asks before anything changes.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from putuo_community.domain.errors import UserError
from putuo_community.gui.long_task import LongTask, announce_file, ask_save_path, last_folder, run_long_task
from putuo_community.gui.worker import BackgroundRunner, Progress
from putuo_community.services import Services
from putuo_community.services.backups import BackupContents, describe_backup
from putuo_community.services.integrity import refusal_message

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupActions", text)


class BackupActions(QObject):
    # What became of the day's automatic backup, for the status bar ("" when none was needed).
    daily_done = Signal(str)
    # The archive failed its check at start (the first problem found): writes are refused from now on.
    damaged = Signal(str)

    def __init__(self, services: Services, runner: BackgroundRunner, window: QWidget) -> None:
        super().__init__(window)
        self.services = services
        self.runner = runner
        self.window = window
        self.task: LongTask | None = None  # the backup or restore under way, for tests and for 取消

    @property
    def available(self) -> bool:
        return self.services.backups.available

    # -- 备份 -------------------------------------------------------------------------------

    def backup(self) -> LongTask | None:
        path = ask_save_path(
            self.window,
            _tr("备份数据库"),
            _tr("普陀小区档案备份-{day}.sqlite3").format(day=date.today().strftime("%Y%m%d")),
            ".sqlite3",
            _tr("数据库备份 (*.sqlite3)"),
        )
        if path is None:
            return None
        backups = self.services.backups

        def work(progress: Progress) -> Path:
            return backups.backup(out=path, progress=lambda done, total: progress.report(done, total))

        def done(saved: Path) -> None:
            announce_file(
                self.window,
                _tr("备份完成"),
                _tr("数据库已备份到：\n{path}").format(path=saved),
                saved.parent,
            )

        self.task = run_long_task(
            self.window, self.runner, work, title=_tr("备份数据库"), label=_tr("正在备份数据库…"), on_result=done
        )
        return self.task

    # -- 恢复 -------------------------------------------------------------------------------

    def restore(self) -> LongTask | None:
        folder = self.services.backups.folder
        start = folder if folder is not None and folder.is_dir() else last_folder(self.window)
        name, _filter = QFileDialog.getOpenFileName(
            self.window,
            _tr("选择要恢复的备份"),
            str(start),
            _tr("数据库备份 (*.sqlite3 *.db);;所有文件 (*)"),
        )
        if not name:
            return None
        return self.check_and_restore(Path(name))

    def check_and_restore(self, path: Path) -> LongTask:
        """Read what the backup holds (a large file takes a moment), then ask before restoring it."""
        backups = self.services.backups
        self.task = run_long_task(
            self.window,
            self.runner,
            lambda _progress: backups.inspect(path),
            title=_tr("检查备份"),
            label=_tr("正在检查备份文件…"),
            on_result=self._confirm,
        )
        return self.task

    def _confirm(self, contents: BackupContents) -> None:
        if contents.problem is not None:
            QMessageBox.warning(
                self.window,
                _tr("不能恢复"),
                _tr("{described}\n\n不能恢复：{problem}。数据库没有任何改动。").format(
                    described=describe_backup(contents), problem=contents.problem
                ),
            )
            return
        if self.ask_restore(contents):
            self.start_restore(contents.path)

    def ask_restore(self, contents: BackupContents) -> bool:
        """The clerk's go-ahead, after seeing when the backup was taken and what it holds."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _tr("恢复数据库"),
            _tr("{described}\n\n恢复后，当前数据库的内容将被这个备份替换。替换前会先自动备份当前数据库。").format(
                described=describe_backup(contents)
            ),
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        restore_button = box.addButton(_tr("恢复(&R)"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter does not replace an archive by accident
        box.exec()
        return box.clickedButton() is restore_button

    def start_restore(self, path: Path) -> LongTask:
        backups = self.services.backups

        def work(progress: Progress) -> Path | None:
            return backups.restore(path, progress=lambda done, total: progress.report(done, total))

        def done(saved: Path | None) -> None:
            text = _tr("已用备份“{name}”恢复数据库。").format(name=path.name)
            if saved is not None:
                text += "\n" + _tr("恢复前的数据库已备份到：\n{path}").format(path=saved)
            QMessageBox.information(self.window, _tr("恢复完成"), text)

        self.task = run_long_task(
            self.window, self.runner, work, title=_tr("恢复数据库"), label=_tr("正在恢复数据库…"), on_result=done
        )
        return self.task

    # -- at start: is the archive sound? ----------------------------------------------------------

    def check_at_start(self) -> None:
        """SQLite's quick check in the background; a damaged archive is written to no more and a restore
        offered. A sound one then gets the day's backup."""
        integrity = self.services.integrity

        def done(problems: list[str]) -> None:
            if not problems:
                self.take_daily()
                return
            self.damaged.emit(problems[0])
            self.offer_restore(problems)

        self.runner.run(lambda _progress: integrity.guard(), on_result=done, description=_tr("检查数据库"))

    def offer_restore(self, problems: list[str]) -> None:
        """Say the archive is damaged and offer the newest sound backup."""
        latest = self.services.integrity.newest_sound_backup()
        text = refusal_message(problems)
        if latest is not None:
            text += "\n\n" + _tr("最近的完好备份：{when}（{reason}）").format(
                when=latest.taken_at.strftime("%Y-%m-%d %H:%M"), reason=latest.reason
            )
        box = QMessageBox(
            QMessageBox.Icon.Critical, _tr("数据库已损坏"), text, QMessageBox.StandardButton.Close, self.window
        )
        restore_button = (
            box.addButton(_tr("恢复这个备份(&R)…"), QMessageBox.ButtonRole.AcceptRole) if latest is not None else None
        )
        box.exec()
        if latest is not None and box.clickedButton() is restore_button:
            self.check_and_restore(latest.path)

    # -- the day's backup ---------------------------------------------------------------------

    def take_daily(self) -> None:
        backups = self.services.backups

        def done(path: Path | None) -> None:
            self.daily_done.emit(_tr("已自动备份今天的数据库") if path is not None else "")

        def failed(error: BaseException) -> bool:
            message = error.message if isinstance(error, UserError) else str(error)
            log.warning("daily backup failed: %s", message)
            self.daily_done.emit(_tr("今天的自动备份未完成：{message}").format(message=message))
            return True  # said in the status bar; the clerk's work goes on

        self.runner.run(
            lambda _progress: backups.ensure_daily(), on_result=done, on_error=failed, description=_tr("每日自动备份")
        )
