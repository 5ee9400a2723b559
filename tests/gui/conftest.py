"""GUI fixtures: window settings kept in the test's folder, record factories, a loaded main window."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import Answers, make_company, make_estate, wait_loaded
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QMessageBox, QWidget

from putuo_community.gui.dialogs import record_dialog as record_dialog_module
from putuo_community.gui.import_wizard import ImportWizard
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.worker import BackgroundRunner
from putuo_community.services import Services

# The offscreen platform plugin (tests only) warns whenever a dialog or a popup is shown; real platforms do not.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def _garbage_collected_on_the_gui_thread() -> Iterator[None]:
    """As the app does (gui/responsive.py): no collection in a background task, where it could run a
    Qt destructor off the GUI thread; collect between tests instead."""
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    gc.collect()
    if was_enabled:
        gc.enable()


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    """Message boxes and the save question answered by `Answers`, which remembers what they said."""
    fake = Answers()
    monkeypatch.setattr(record_dialog_module, "ask_to_save", fake.ask_to_save)
    monkeypatch.setattr(QMessageBox, "question", fake.question)
    monkeypatch.setattr(QMessageBox, "warning", fake.warning)
    monkeypatch.setattr(QMessageBox, "information", fake.information)
    return fake


@pytest.fixture(autouse=True)
def _window_settings_in_tmp(tmp_path: Path) -> None:
    """QSettings (window geometry) never touches the real user profile."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qt-settings"))


@pytest.fixture
def chinese_locale() -> Iterator[None]:
    """Sorting follows the default locale; run_gui sets Chinese, tests that sort do too."""
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    yield
    QLocale.setDefault(previous)


@pytest.fixture
def estates(services: Services) -> dict[str, int]:
    """Three estates in two 街镇."""
    company = make_company(services)
    return {
        "曹杨新村": make_estate(services, "曹杨新村", "曹杨", code="PT0101", company_id=company, fee=Decimal("0.55")),
        "兰溪青年公寓": make_estate(
            services, "兰溪青年公寓", "曹杨", code="PT0102", households=1200, address="兰溪路138弄"
        ),
        "万里城": make_estate(services, "万里城", "万里", code="PT0801", households=3200, completion_year=2006),
    }


@pytest.fixture
def window(qtbot: Any, services: Services, estates: dict[str, int]) -> MainWindow:
    """The main window on the 小区档案 page, with its estates and 街镇 loaded."""
    main = MainWindow(services)
    qtbot.addWidget(main)
    main.show()
    page = main.page("estates")
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: page.street_filter.count() == 11)  # type: ignore[attr-defined]
    return main


@pytest.fixture
def runner(qtbot: Any) -> Iterator[BackgroundRunner]:
    """A background runner of its own, stopped after the test, for widgets tested outside a main window."""
    owner = QWidget()
    qtbot.addWidget(owner)
    background = BackgroundRunner(owner)
    yield background
    background.shutdown()


@pytest.fixture
def wizard(qtbot: Any, services: Services, runner: BackgroundRunner) -> ImportWizard:
    dialog = ImportWizard(services, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog
