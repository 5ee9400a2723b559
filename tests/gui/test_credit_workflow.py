"""The credit workflow as a supervisor meets it (issue 9, steps 3–5):

(3) a 6-point act logged in an estate's window turns the serving company orange in the company list, the
    company window, the estate window and the printed dossier, with no F5;
(4) a correction of an 18-point act is refused, in the form and in the company window;
(5) an objection filed and accepted in the company window shows its deadline on the official calendar.
Every step is in the change history; the refused one is not.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from gui_helpers import Answers, wait_loaded
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea

from putuo_community.domain.credit import CreditStatus
from putuo_community.gui.dialogs import RecordDialog
from putuo_community.gui.dialogs.credit_settings_dialog import CreditSettingsDialog
from putuo_community.gui.dialogs.credit_step_dialog import CreditStepDialog
from putuo_community.gui.estate_window import EstateWindow
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.company_window import CompanyWindow
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.services import Services
from putuo_community.services.change_log import HistoryFilter
from putuo_community.services.credit import ObjectionStep

pytestmark = pytest.mark.usefixtures("answers")  # message boxes answered, never left open

TODAY = date.today()
COMPANY = "上海曹杨物业管理有限公司"  # serves 曹杨新村 (conftest's estates)


def company_level(page: RegisterPage) -> str:
    """The 预警等级 cell of the company's row in the company list."""
    column = next(n for n, c in enumerate(page.model.columns) if c.key == "warning_level")
    for row in range(page.proxy.rowCount()):
        if page.proxy.row_object(row).title == COMPANY:
            return str(page.proxy.index(row, column).data())
    raise AssertionError("company not listed")


def section_text(estate_window: EstateWindow, key: str) -> str:
    page = estate_window.pages[key]
    assert isinstance(page, QScrollArea)
    content = page.widget()
    assert content is not None
    return "".join(label.text() for label in content.findChildren(QLabel))


def dossier_text(services: Services, estate_id: int) -> str:
    pdf = services.dossiers.pdf_bytes(estate_id, today=TODAY)
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "").replace("\n", "")


def ledger_cell(window: CompanyWindow, event_id: int, header: str) -> str:
    column = next(n for n, c in enumerate(window.ledger.columns) if c.header == header)
    for row, entry in enumerate(window.ledger.rows()):
        if entry.record.id == event_id:
            return str(window.ledger.index(row, column).data())
    raise AssertionError(f"event {event_id} not in the ledger")


def step(qtbot: Any, window: CompanyWindow, event_id: int, which: ObjectionStep | None, on: date) -> None:
    """Select the event, click the workflow button, choose the day, confirm; wait until the ledger shows it."""
    assert window.select_entry(event_id)
    button = window.step_buttons[which]
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.step_dialog
    assert isinstance(dialog, CreditStepDialog)
    dialog.set_chosen(on)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok is not None
    version = next(e.record.version for e in window.ledger.rows() if e.record.id == event_id)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(e.record.id == event_id and e.record.version > version for e in window.ledger.rows()),
        timeout=5000,
    )


@pytest.fixture
def companies(qtbot: Any, window: MainWindow) -> RegisterPage:
    page = window.show_page("companies")
    assert isinstance(page, RegisterPage)
    wait_loaded(qtbot, page)
    return page


@pytest.fixture
def company_window(qtbot: Any, companies: RegisterPage) -> CompanyWindow:
    record = next(
        companies.proxy.row_object(r)
        for r in range(companies.proxy.rowCount())
        if companies.proxy.row_object(r).title == COMPANY
    )
    opened = companies.open_company(record)
    qtbot.waitUntil(lambda: opened.file is not None)
    return opened


@pytest.fixture
def estate_window(qtbot: Any, window: MainWindow, estates: dict[str, int]) -> EstateWindow:
    opened = window.open_estate(estates["曹杨新村"], "service")
    qtbot.waitUntil(lambda: opened.dossier is not None and not opened.loading)
    return opened


def test_the_credit_workflow(
    qtbot: Any,
    window: MainWindow,
    services: Services,
    estates: dict[str, int],
    companies: RegisterPage,
    company_window: CompanyWindow,
    estate_window: EstateWindow,
    answers: Answers,
) -> None:
    estate_id = estates["曹杨新村"]
    assert company_level(companies) == "绿色"
    assert "预警等级：绿色" in company_window.level_label.text()
    assert "信用预警等级：绿色" in section_text(estate_window, "service")
    assert "信用预警等级绿色" in dossier_text(services, estate_id)

    # (3) A 6-point act, logged in the estate's own window, scored ten days ago.
    dialog = estate_window.new_record("credit_events")
    assert isinstance(dialog, RecordDialog)
    assert dialog.form.values()["company_id"] is not None  # the serving company, filled in
    dialog.form.apply_values(
        {
            "subject": "企业",
            "band": "较严重",
            "points": 6,
            "act_on": TODAY - timedelta(days=20),
            "discovered_on": TODAY - timedelta(days=15),
            "scored_on": TODAY - timedelta(days=10),
            "source": "巡查",
            "description": "消防通道堆物，经责令整改逾期未改",
        }
    )
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: services.records.count("credit_events") == 1)
    serious = services.records.list("credit_events")[0].id

    qtbot.waitUntil(lambda: company_level(companies) == "橙色", timeout=5000)
    qtbot.waitUntil(lambda: "预警等级：橙色" in company_window.level_label.text(), timeout=5000)
    assert "有效记分 6 分" in company_window.level_label.text()
    assert ledger_cell(company_window, serious, "状态") == "有效"
    qtbot.waitUntil(lambda: "信用预警等级：橙色" in section_text(estate_window, "service"), timeout=5000)
    assert "有效记分：6 分" in section_text(estate_window, "service")
    printed = dossier_text(services, estate_id)
    assert "信用预警等级橙色" in printed
    assert "有效记分6分" in printed

    # (4) An 18-point act can never be corrected: the form refuses, the company window offers no correction.
    severe = services.records.create(
        "credit_events",
        {
            "subject": "企业",
            "company_id": services.records.get("estates", estate_id).values["company_id"],
            "estate_id": estate_id,
            "band": "特别严重",
            "points": 18,
            "act_on": TODAY - timedelta(days=40),
            "scored_on": TODAY - timedelta(days=30),
            "description": "擅自撤离物业服务区域",
        },
    )
    qtbot.waitUntil(lambda: "预警等级：红色" in company_window.level_label.text(), timeout=5000)
    qtbot.waitUntil(lambda: company_level(companies) == "红色", timeout=5000)
    assert company_window.select_entry(severe)
    assert not company_window.step_buttons[None].isEnabled()  # 信用修正…
    assert ledger_cell(company_window, severe, "可申请修正") == "不可修正"
    edit = estate_window.edit_record(services.records.get("credit_events", severe))
    assert isinstance(edit, RecordDialog)
    edit.form.apply_values({"corrected_on": TODAY - timedelta(days=25)})
    qtbot.waitUntil(lambda: "不得修正" in edit.form.message_text("corrected_on"))
    assert "沪房规范〔2023〕2号" in edit.form.message_text("corrected_on")
    assert not edit.save_button.isEnabled()
    edit.form.apply_values({"corrected_on": None})
    edit.done(0)
    assert services.records.get("credit_events", severe).values["corrected_on"] is None

    # (5) An objection to the 6-point act: filed, accepted; the deadline is on the official calendar.
    step(qtbot, company_window, serious, ObjectionStep.FILE, TODAY - timedelta(days=8))
    step(qtbot, company_window, serious, ObjectionStep.ACCEPT, TODAY - timedelta(days=7))
    expected = services.credit.calendar().add_working_days(TODAY - timedelta(days=7), 15)
    assert ledger_cell(company_window, serious, "异议处理期限") == expected.describe()
    assert ledger_cell(company_window, serious, "状态") == CreditStatus.OBJECTION_PENDING.label
    assert "有效记分 24 分" in company_window.level_label.text()  # under review, the points still count
    # The example: an act scored in 2024 and objected to on Friday 27 September, over 国庆.
    old = services.records.create(
        "credit_events",
        {
            "subject": "企业",
            "company_id": services.records.get("estates", estate_id).values["company_id"],
            "estate_id": estate_id,
            "band": "轻微",
            "points": 3,
            "act_on": date(2024, 9, 10),
            "scored_on": date(2024, 9, 20),
            "description": "公共部位保洁不到位",
        },
    )
    qtbot.waitUntil(lambda: any(e.record.id == old for e in company_window.ledger.rows()), timeout=5000)
    step(qtbot, company_window, old, ObjectionStep.FILE, date(2024, 9, 26))
    step(qtbot, company_window, old, ObjectionStep.ACCEPT, date(2024, 9, 27))
    assert ledger_cell(company_window, old, "异议处理期限") == "2024-10-23"  # Mon–Fri counting would say 10-18
    assert answers.warnings == []

    # Every step is in the change history, in the estate's own history too; the refused correction is not.
    changes = services.history.changes(HistoryFilter(register="credit_events"))
    assert sum(1 for c in changes if c.action == "新增") == 3
    assert [c.new_value for c in changes if c.field_label == "异议"].count("已提出") == 2
    assert [c.new_value for c in changes if c.field_label == "异议"].count("已受理") == 2
    assert not any(c.field_label == "信用修正日期" for c in changes)
    estate_history = services.history.for_estate(estate_id, limit=100)
    assert sum(1 for c in estate_history if c.register == "credit_events") >= 7


def test_the_settings_dialog_changes_the_level_everywhere_and_is_in_the_history(
    qtbot: Any,
    window: MainWindow,
    services: Services,
    estates: dict[str, int],
    companies: RegisterPage,
    company_window: CompanyWindow,
) -> None:
    company_id = services.records.get("estates", estates["曹杨新村"]).values["company_id"]
    services.records.create(
        "credit_events",
        {
            "subject": "企业",
            "company_id": company_id,
            "band": "轻微",
            "points": 3,
            "act_on": TODAY - timedelta(days=200),
            "scored_on": TODAY - timedelta(days=190),
            "description": "公示栏信息未更新",
        },
    )
    qtbot.waitUntil(lambda: company_level(companies) == "黄色", timeout=5000)
    dialog = CreditSettingsDialog(services, window, writes=window.write_access)
    qtbot.addWidget(dialog)
    dialog.show()
    orange = dialog.editors["orange_points"]
    base = dialog.editors["score_base"]
    orange.setValue(3)  # type: ignore[union-attr]
    base.setValue(90)  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: company_level(companies) == "橙色", timeout=5000)
    qtbot.waitUntil(lambda: "信用分（本区测算）87" in company_window.level_label.text(), timeout=5000)
    settings = [c for c in services.history.changes(HistoryFilter()) if c.register_label == "系统设置"]
    assert {(c.field_label, c.text) for c in settings} == {
        ("橙色预警：有效记分达到（分）", "12 → 3"),
        ("信用分基数（本区排名口径）", "100 → 90"),
    }
    assert all("本区管理口径" in c.record_title for c in settings)


def test_a_manager_placed_on_a_fourth_estate_is_warned_in_the_form(
    qtbot: Any, window: MainWindow, services: Services, estates: dict[str, int]
) -> None:
    company_id = services.records.get("estates", estates["曹杨新村"]).values["company_id"]
    manager = services.records.create("managers", {"company_id": company_id, "name": "李明"})
    for name in ("曹杨新村", "万里城"):
        record = services.records.get("estates", estates[name])
        services.records.update("estates", record.id, {"manager_id": manager}, expected_version=record.version)
    third = services.records.create(
        "estates",
        {"name": "桂巷新村", "street_id": services.records.get("estates", estates["万里城"]).values["street_id"]},
    )
    services.records.update("estates", third, {"manager_id": manager}, expected_version=1)
    record = services.records.get("estates", estates["兰溪青年公寓"])
    dialog = RecordDialog.for_record(services, record, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.form.apply_values({"company_id": company_id, "manager_id": manager}, {"manager_id": "李明"})
    qtbot.waitUntil(lambda: "不超过3个" in dialog.form.message_text("manager_id"), timeout=5000)
    assert "已负责 3 个小区" in dialog.form.message_text("manager_id")
    assert "沪房规范〔2021〕6号" in dialog.form.message_text("manager_id")
    assert dialog.save_button.isEnabled()  # a warning, not a refusal
    assert "提醒" in dialog.status.text()
    dialog.form.apply_values({"manager_id": None})
    qtbot.waitUntil(lambda: dialog.form.message_text("manager_id") == "")
    dialog.done(0)
