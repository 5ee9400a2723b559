"""Record factories and waits shared by the GUI tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget

from putuo_community.gui.dialogs import RecordDialog, SaveChoice
from putuo_community.gui.pages.base import Page
from putuo_community.services import Record, Services


def streets(services: Services) -> list[Record]:
    return services.records.list("streets", order_by=("id",))


def street_id(services: Services, short_name: str) -> int:
    return next(s.id for s in streets(services) if s.values["short_name"] == short_name)


def make_estate(services: Services, name: str, street: str = "曹杨", **values: Any) -> int:
    defaults: dict[str, Any] = {
        "name": name,
        "street_id": street_id(services, street),
        "housing_type": "售后公房",
        "completion_year": 1985,
        "building_count": 12,
        "households": 640,
        "floor_area": Decimal("41250.50"),
        "management_mode": "物业企业",
        "has_assembly": True,
    }
    return services.records.create("estates", {**defaults, **values})


def make_company(services: Services, name: str = "上海曹杨物业管理有限公司", **values: Any) -> int:
    return services.records.create("companies", {"name": name, "legal_rep": "王建国", **values})


def make_lift(services: Services, estate_id: int, code: str, **values: Any) -> int:
    defaults = {"estate_id": estate_id, "registration_code": code, "make": "三菱电机", "first_use_on": date(2005, 6, 1)}
    return services.records.create("lifts", {**defaults, **values})


def wait_loaded(qtbot: Any, page: Page, timeout: int = 5000) -> None:
    """Wait until the page has loaded and no load is running."""
    qtbot.waitUntil(lambda: page.has_loaded and not page.loading, timeout=timeout)


def type_text(widget: QWidget, text: str) -> None:
    """Type as a Chinese input method does: the composed text arrives at once."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def line_edit(dialog: RecordDialog, key: str) -> QLineEdit:
    edit = getattr(dialog.form.editor(key), "line_edit", None)
    assert isinstance(edit, QLineEdit), key
    return edit


class Answers:
    """Stands in for the questions and message boxes, remembering what they said."""

    def __init__(self) -> None:
        self.save_choice = SaveChoice.DISCARD
        self.asked_to_save: list[str] = []
        self.question_answer = QMessageBox.StandardButton.Yes
        self.questions: list[str] = []
        self.warnings: list[str] = []
        self.informations: list[str] = []

    def ask_to_save(self, _parent: Any, caption: str) -> SaveChoice:
        self.asked_to_save.append(caption)
        return self.save_choice

    def question(self, _parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        self.questions.append(text)
        return self.question_answer

    def warning(self, _parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        self.warnings.append(text)
        return QMessageBox.StandardButton.Ok

    def information(self, _parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        self.informations.append(text)
        return QMessageBox.StandardButton.Ok
