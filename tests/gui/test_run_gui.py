"""`run_gui` as CI calls it: `putuo-community --smoke-test --no-crash-dialog`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QDialogButtonBox

from putuo_community.domain.errors import DatabaseLocked
from putuo_community.gui.application import install_qt_translation, run_gui
from putuo_community.services import Services
from putuo_community.services.listing import ListingService


def test_smoke_test_shows_the_estates_and_returns_0(qapp, services: Services, estates, tmp_path: Path) -> None:
    hook = sys.excepthook
    code = run_gui(services, log_file=tmp_path / "app.log", smoke_test=True, crash_dialog=False)
    assert code == 0
    assert sys.excepthook is hook  # put back as found
    assert QApplication.applicationDisplayName() == "普陀小区档案"
    assert not QApplication.windowIcon().isNull()


def test_smoke_test_fails_when_the_estates_cannot_be_read(qapp, services, tmp_path, monkeypatch, capsys) -> None:
    def locked(*_args: Any, **_kwargs: Any) -> None:
        raise DatabaseLocked("数据库正被其他程序或同事占用，请稍后再试。")

    monkeypatch.setattr(ListingService, "ordered_ids", locked)  # where the estate list reads its order
    code = run_gui(services, log_file=tmp_path / "app.log", smoke_test=True, crash_dialog=False)
    assert code == 1  # and no message box waited for a click
    assert "数据库正被其他程序或同事占用" in capsys.readouterr().err


def test_smoke_test_fails_on_a_bug(qapp, services, tmp_path, monkeypatch, capsys) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(ListingService, "ordered_ids", broken)
    code = run_gui(services, log_file=tmp_path / "app.log", smoke_test=True, crash_dialog=False)
    assert code == 1
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_standard_buttons_are_in_chinese(qapp) -> None:
    translator = install_qt_translation(qapp)
    assert translator is not None
    try:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close | QDialogButtonBox.StandardButton.Cancel)
        assert "关闭" in buttons.button(QDialogButtonBox.StandardButton.Close).text()
        assert "取消" in buttons.button(QDialogButtonBox.StandardButton.Cancel).text()
    finally:
        qapp.removeTranslator(translator)


def test_smoke_test_leaves_the_window_settings_alone(qapp, services, estates, tmp_path: Path) -> None:
    from putuo_community.gui.main_window import window_settings

    assert run_gui(services, log_file=tmp_path / "app.log", smoke_test=True, crash_dialog=False) == 0
    assert window_settings().allKeys() == []
    assert not Path(window_settings().fileName()).exists()
