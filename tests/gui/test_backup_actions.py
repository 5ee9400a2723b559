"""文件 → 备份数据库… / 恢复数据库…, and the day's automatic backup, as a clerk meets them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gui_helpers import Answers, make_estate, wait_loaded
from PySide6.QtWidgets import QFileDialog

from putuo_community.gui.main_window import MainWindow
from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.services.backups import BackupContents
from putuo_community.storage.database import Database


@pytest.fixture
def kept_services(database: Database, data_paths: DataPaths) -> Services:
    """Services as the app builds them: backups go to the data folder's backups/."""
    services = Services.build(database, user="测试员", backup_dir=data_paths.backups)
    make_estate(services, "兰溪新村")
    make_estate(services, "曹杨一村")
    return services


@pytest.fixture
def main(qtbot: Any, kept_services: Services) -> MainWindow:
    window = MainWindow(kept_services)
    qtbot.addWidget(window)
    window.show()
    wait_loaded(qtbot, window.page("estates"))
    return window


def estate_rows(window: MainWindow) -> int:
    return window.page("estates").view.model().rowCount()  # type: ignore[attr-defined]


def test_the_days_backup_is_taken_once_the_list_is_on_screen(qtbot: Any, main: MainWindow) -> None:
    qtbot.waitUntil(lambda: main.statusBar().currentMessage() == "已自动备份今天的数据库", timeout=5000)
    assert [b.reason for b in main.services.backups.list()] == ["每日自动备份"]


def test_backup_saves_where_the_clerk_chose(
    qtbot: Any, main: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "U盘" / "档案备份.sqlite3"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(target), ""))
    assert main.backup_action.isEnabled()
    main.backup_action.trigger()
    task = main.backup_actions.task
    assert task is not None
    qtbot.waitUntil(lambda: task.finished, timeout=10000)
    assert main.services.backups.inspect(target).counts["小区"] == 2


def test_restore_asks_with_what_the_backup_holds_and_every_view_follows(
    qtbot: Any, main: MainWindow, tmp_path: Path, answers: Answers, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = main.services.backups.backup(out=tmp_path / "两个小区.sqlite3")
    make_estate(main.services, "万里城", "万里")
    qtbot.waitUntil(lambda: estate_rows(main) == 3, timeout=5000)

    shown: list[BackupContents] = []
    monkeypatch.setattr(main.backup_actions, "ask_restore", lambda contents: shown.append(contents) or False)
    check = main.backup_actions.check_and_restore(saved)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert check.finished
    assert shown[0].counts["小区"] == 2
    assert main.services.records.count("estates") == 3  # declined: nothing changed

    monkeypatch.setattr(main.backup_actions, "ask_restore", lambda contents: True)
    main.backup_actions.check_and_restore(saved)
    qtbot.waitUntil(lambda: bool(answers.informations), timeout=10000)
    assert "已用备份“两个小区.sqlite3”恢复数据库" in answers.informations[0]
    qtbot.waitUntil(lambda: estate_rows(main) == 2, timeout=5000)  # no F5: the list heard of the restore
    assert "恢复前" in [b.reason for b in main.services.backups.list()]


def test_a_file_that_is_not_a_backup_is_refused_with_the_reason(
    qtbot: Any, main: MainWindow, tmp_path: Path, answers: Answers
) -> None:
    bogus = tmp_path / "备份.sqlite3"
    bogus.write_text("不是数据库", encoding="utf-8")
    main.backup_actions.check_and_restore(bogus)
    qtbot.waitUntil(lambda: bool(answers.warnings), timeout=10000)
    assert "不能恢复" in answers.warnings[0]
    assert "没有任何改动" in answers.warnings[0]
    assert main.services.records.count("estates") == 2


def test_a_damaged_archive_is_said_at_start_and_written_to_no_more(
    qtbot: Any,
    kept_services: Services,
    monkeypatch: pytest.MonkeyPatch,
    answers: Answers,  # a list read from a damaged page may say so in a message box: answered, never left open
) -> None:
    from putuo_community.domain.errors import DamagedDatabase
    from putuo_community.gui.backup_actions import BackupActions

    for n in range(300):  # pages enough that one in the middle holds estates
        make_estate(kept_services, f"兰溪{n}村", address="兰溪路" + "弄" * 150)
    kept_services.backups.backup()  # a sound one to offer
    kept_services.database.dispose()
    database = Path(kept_services.database.url.database or "")
    with database.open("r+b") as stream:
        stream.seek((database.stat().st_size // 4096 // 2) * 4096)
        stream.write(b"\xa5" * 4096)

    offered: list[list[str]] = []
    monkeypatch.setattr(BackupActions, "offer_restore", lambda self, problems: offered.append(problems))
    window = MainWindow(kept_services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(offered), timeout=10000)
    assert "数据库已损坏" in window.database_label.text()
    with pytest.raises(DamagedDatabase, match="已停止写入"):
        make_estate(kept_services, "万里城", "万里")
    assert [b.reason for b in kept_services.backups.list()] == ["手动备份"]  # no daily copy of a damaged file
