"""The 政策依据 page: every document with its validity and citing rules; the local policy edited here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from gui_helpers import wait_loaded

from putuo_community.domain.policies import policy_library
from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.domain.rules import ALL_RULES
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.policy_page import STATUS_COLUMN, PolicyPage
from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.services.change_log import HistoryFilter
from putuo_community.storage.database import open_database


def _policies(qtbot: Any, window: MainWindow) -> PolicyPage:
    page = window.show_page("policies")
    assert isinstance(page, PolicyPage)
    wait_loaded(qtbot, page)
    return page


def _row_of(page: PolicyPage, document_no: str) -> int:
    return next(r for r in range(page.documents.rowCount()) if page.documents.item(r, 2).text() == document_no)


def test_every_document_is_listed_with_its_validity(qtbot: Any, window: MainWindow) -> None:
    page = _policies(qtbot, window)
    assert page.documents.rowCount() == len(policy_library()) == 18
    today = date.today()
    for row, document in enumerate(page.policies):
        assert page.documents.item(row, 2).text() == document.document_no
        assert page.documents.item(row, STATUS_COLUMN).text() == document.validity_on(today).label
    lapsed = {
        page.documents.item(r, 2).text() for r in range(18) if not page.documents.item(r, STATUS_COLUMN).icon().isNull()
    }
    assert {p.document_no for p in page.policies if p.validity_on(today).lapsed} == lapsed
    if today > date(2026, 6, 30):
        row = _row_of(page, "沪房规范〔2021〕6号")
        assert page.documents.item(row, STATUS_COLUMN).text() == "已过有效期"
        assert "已于2026-06-30到期" in page.documents.item(row, STATUS_COLUMN).toolTip()
    to_check = [r for r in range(18) if page.documents.item(r, STATUS_COLUMN).text() == "需核实"]
    assert len(to_check) == 2


def test_choosing_a_document_lists_the_rules_that_cite_it(qtbot: Any, window: MainWindow) -> None:
    page = _policies(qtbot, window)
    page.documents.selectRow(_row_of(page, "沪房规范〔2021〕6号"))
    citing = [r for r in ALL_RULES if any(c.policy == 2 for c in r.citations)]
    assert citing
    assert page.rules_table.rowCount() == len(citing)
    assert [page.rules_table.item(r, 0).text() for r in range(len(citing))] == [r.title for r in citing]
    assert page.rules_table.item(0, 2).text() == (citing[0].watches or "—")
    assert "https://www.shanghai.gov.cn/zhengce/detail?businessId=c01bf90254bb4429826e5ee4771e580b" in (
        page.detail_label.text().replace("&amp;", "&")
    )
    assert page.rules_heading.text() == f"引用本文件的规则（{len(citing)} 条）："


def test_saving_the_local_policy_goes_in_the_history(qtbot: Any, window: MainWindow, services: Services) -> None:
    page = _policies(qtbot, window)
    assert not page.save_button.isEnabled()  # nothing edited yet
    page.editors["horizon_days"].setValue(60)
    assert page.save_button.isEnabled()
    assert page.save_policy()
    assert services.reminder_settings.policy() == ReminderPolicy(horizon_days=60)
    assert page.local_status.text() == "已保存，修改已记入变更记录。"
    settings = [c for c in services.history.changes(HistoryFilter()) if c.register_label == "系统设置"]
    assert [(c.field_label, c.text) for c in settings] == [("提前提醒天数", "90 → 60")]


def test_a_value_outside_the_limits_is_refused_with_the_reason(
    qtbot: Any, window: MainWindow, services: Services
) -> None:
    page = _policies(qtbot, window)
    page.editors["renewal_watch_months"].setValue(4)  # shorter than the 5-month report deadline
    assert not page.save_policy()
    assert page.local_status.text() == "未保存：换届提前关注月数应为5到12之间的整数。"
    assert services.reminder_settings.policy() == ReminderPolicy()


def test_the_credit_thresholds_open_from_the_page(qtbot: Any, window: MainWindow) -> None:
    page = _policies(qtbot, window)
    dialog = page.open_credit_settings()
    assert dialog.windowTitle() == "信用预警设置"
    dialog.reject()


@pytest.fixture
def read_only_window(qtbot: Any, data_paths: DataPaths) -> Iterator[MainWindow]:
    open_database(data_paths.database_url).dispose()
    database = open_database(data_paths.database_url, read_only=True)
    services = Services.build(database, user="督导")
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    services.close()


def test_a_read_only_archive_disables_editing_and_says_why(qtbot: Any, read_only_window: MainWindow) -> None:
    page = _policies(qtbot, read_only_window)
    page.editors["horizon_days"].setValue(60)  # what a script might do: the button still stays off
    for control in (page.save_button, page.defaults_button, page.credit_button, page.editors["horizon_days"]):
        assert not control.isEnabled()
        assert "只读" in control.toolTip()
