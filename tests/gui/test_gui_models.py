"""The table models: Qt's model contract (qtmodeltester) and what a clerk sees in each cell."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from gui_helpers import make_estate
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from putuo_community.domain import rules
from putuo_community.domain.registers import COMMITTEE_MEMBERS, ESTATES
from putuo_community.gui.models import (
    OVERDUE_COLOUR,
    RECORD_ROLE,
    SORT_ROLE,
    RecordTableModel,
    RegisterSummaryModel,
    RowSortProxy,
)
from putuo_community.gui.reminder_model import GROUP_BATCH, GROUP_BY_ESTATE, ReminderGroupModel, ReminderTableModel
from putuo_community.services import Services
from putuo_community.services.overview import RegisterSummary
from putuo_community.services.reminders import Reminder

pytestmark = pytest.mark.usefixtures("chinese_locale")


def estate_model(services: Services) -> RecordTableModel:
    model = RecordTableModel(ESTATES)
    model.set_rows(services.records.list("estates"))
    return model


def column(model: RecordTableModel, key: str) -> int:
    return [f.key for f in model.fields].index(key)


def texts(model, key_column: int) -> list[str]:
    return [model.index(row, key_column).data() for row in range(model.rowCount())]


def test_estate_model_passes_qt_model_tester(qtmodeltester, services: Services, estates) -> None:
    qtmodeltester.check(estate_model(services), force_py=True)


def test_proxy_passes_qt_model_tester(qtmodeltester, services: Services, estates) -> None:
    proxy = RowSortProxy()
    model = estate_model(services)
    proxy.setSourceModel(model)
    proxy.sort(column(model, "households"), Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy, force_py=True)


def test_headers_are_the_declared_headers_with_units(services: Services) -> None:
    model = RecordTableModel(ESTATES)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [f.header for f in ESTATES.columns]
    assert "建筑面积（㎡）" in headers
    assert "户数（户）" in headers


def test_cells_read_as_a_clerk_writes_them(services: Services, estates) -> None:
    model = estate_model(services)
    row = texts(model, column(model, "name")).index("曹杨新村")

    def cell(key: str) -> str:
        return model.index(row, column(model, key)).data()

    assert cell("street_id") == "曹杨新村街道"  # the referred record's name, not its id
    assert cell("company_id") == "上海曹杨物业管理有限公司"
    assert cell("floor_area") == "41,250.50"
    assert cell("fee") == "0.55"
    assert cell("has_assembly") == "是"
    assert cell("neighbourhood_id") == ""


def test_numbers_are_right_aligned_and_text_left(services: Services, estates) -> None:
    model = estate_model(services)
    households = model.index(0, column(model, "households")).data(Qt.ItemDataRole.TextAlignmentRole)
    name = model.index(0, column(model, "name")).data(Qt.ItemDataRole.TextAlignmentRole)
    assert Qt.AlignmentFlag(households) & Qt.AlignmentFlag.AlignRight
    assert Qt.AlignmentFlag(name) & Qt.AlignmentFlag.AlignLeft


def test_sort_role_gives_native_values(services: Services, estates) -> None:
    model = estate_model(services)
    row = texts(model, column(model, "name")).index("万里城")
    assert model.index(row, column(model, "households")).data(SORT_ROLE) == 3200.0
    assert model.index(row, column(model, "floor_area")).data(SORT_ROLE) == pytest.approx(41250.5)
    assert model.index(row, column(model, "name")).data(SORT_ROLE) == "万里城"
    assert model.index(row, column(model, "neighbourhood_id")).data(SORT_ROLE) is None


def test_record_role_hands_back_the_record(services: Services, estates) -> None:
    model = estate_model(services)
    record = model.index(0, 3).data(RECORD_ROLE)
    assert record.register == "estates"
    assert record.id in estates.values()


def test_numbers_sort_by_value_not_by_text(services: Services) -> None:
    for name, households in (("甲小区", 900), ("乙小区", 10_000), ("丙小区", 85)):
        make_estate(services, name, households=households)
    make_estate(services, "丁小区", households=None)
    proxy = RowSortProxy()
    model = estate_model(services)
    proxy.setSourceModel(model)
    households = column(model, "households")

    proxy.sort(households, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, households).data() for r in range(4)] == ["85", "900", "10000", ""]
    proxy.sort(households, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, households).data() for r in range(4)] == ["10000", "900", "85", ""]  # blanks stay last


def test_names_sort_in_pinyin_order(services: Services) -> None:
    for name in ("万里城", "桃浦新村", "曹杨新村", "甘泉一村"):
        make_estate(services, name)
    proxy = RowSortProxy()
    model = estate_model(services)
    proxy.setSourceModel(model)
    name = column(model, "name")
    proxy.sort(name, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, name).data() for r in range(4)] == ["曹杨新村", "甘泉一村", "桃浦新村", "万里城"]


def test_dates_sort_as_dates(services: Services) -> None:
    estate = make_estate(services, "曹杨新村")
    for number, end in ((1, date(2031, 2, 1)), (2, date(2029, 12, 31)), (3, date(2030, 6, 30))):
        services.records.create(
            "committee_terms",
            {"estate_id": estate, "term_no": number, "start_on": date(2026, 6, 1), "end_on": end},
        )
    from putuo_community.domain.registers import COMMITTEE_TERMS

    model = RecordTableModel(COMMITTEE_TERMS)
    model.set_rows(services.records.list("committee_terms"))
    end_on = [f.key for f in model.fields].index("end_on")
    model.sort(end_on, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, end_on).data() for r in range(3)] == ["2029-12-31", "2030-06-30", "2031-02-01"]
    assert model.index(0, end_on).data(SORT_ROLE) == date(2029, 12, 31)


def test_sorting_keeps_the_selected_record_selected(services: Services, estates) -> None:
    model = estate_model(services)
    name = column(model, "name")
    row = texts(model, name).index("万里城")
    persistent = QPersistentModelIndex(model.index(row, name))
    model.sort(column(model, "households"), Qt.SortOrder.DescendingOrder)
    assert persistent.row() == 0  # 万里城 has the most households
    assert persistent.data() == "万里城"


def test_a_reload_keeps_the_sort(services: Services, estates) -> None:
    model = estate_model(services)
    households = column(model, "households")
    model.sort(households, Qt.SortOrder.AscendingOrder)
    model.set_rows(services.records.list("estates"))
    assert [model.index(r, households).data() for r in range(3)] == ["640", "1200", "3200"]


def test_personal_data_is_masked(services: Services) -> None:
    estate = make_estate(services, "曹杨新村")
    term = services.records.create(
        "committee_terms",
        {"estate_id": estate, "term_no": 1, "start_on": date(2022, 1, 1), "end_on": date(2026, 12, 31)},
    )
    services.records.create(
        "committee_members",
        {"term_id": term, "name": "张三", "role": "主任", "id_number": "310107199001011234", "phone": "13812345678"},
    )
    model = RecordTableModel(COMMITTEE_MEMBERS)
    model.set_rows(services.records.list("committee_members"))
    keys = [f.key for f in model.fields]
    assert model.index(0, keys.index("id_number")).data() == "310107********1234"
    assert model.index(0, keys.index("phone")).data() == "138****5678"
    assert "13812345678" not in str(model.index(0, keys.index("phone")).data(SORT_ROLE))
    assert model.index(0, keys.index("name")).data() == "张三"


# -- reminders and the register overview --------------------------------------------------------


def reminder(estate: str, *, overdue: bool, category: str = "换届", due: date | None = date(2026, 1, 31)) -> Reminder:
    return Reminder(
        estate_id=None,
        estate_name=estate,
        street_name="曹杨新村街道",
        category=category,
        subject="第3届业委会",
        message="向街镇书面报告换届",
        due_on=due,
        overdue=overdue,
        rule=rules.RENEWAL_REPORT,
    )


def test_reminder_model_passes_qt_model_tester(qtmodeltester) -> None:
    model = ReminderTableModel()
    model.set_rows([reminder("曹杨新村", overdue=True), reminder("万里城", overdue=False, due=None)])
    qtmodeltester.check(model, force_py=True)


def test_overdue_reminders_are_red_and_cite_their_rule() -> None:
    model = ReminderTableModel()
    model.set_rows([reminder("曹杨新村", overdue=True), reminder("万里城", overdue=False)])
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    basis = headers.index("依据")
    assert model.index(0, 0).data() == "已逾期"
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_COLOUR
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(0, basis).data() == rules.RENEWAL_REPORT.title
    tooltip = model.index(0, basis).data(Qt.ItemDataRole.ToolTipRole)
    assert rules.RENEWAL_REPORT.text in tooltip
    assert rules.RENEWAL_REPORT.source in tooltip


def test_summary_model(qtmodeltester) -> None:
    model = RegisterSummaryModel()
    model.set_rows(
        [
            RegisterSummary("estates", "小区", 12345, datetime(2026, 3, 1, 9, 30)),
            RegisterSummary("lifts", "电梯", 0, None),
        ]
    )
    qtmodeltester.check(model, force_py=True)
    assert [model.index(0, c).data() for c in range(3)] == ["小区", "12,345", "2026-03-01 09:30"]
    assert model.index(1, 2).data() == "尚无记录"
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert model.index(0, 0).data() == "电梯"


def test_decimal_values_sort_as_numbers() -> None:
    from putuo_community.gui.models import native_sort_value

    assert native_sort_value(Decimal("2.50")) == 2.5
    assert native_sort_value(True) == 1
    assert native_sort_value("") is None


def test_thousands_of_estate_groups_reach_the_tree_a_batch_at_a_time(qtmodeltester) -> None:
    """Laying out every estate's group at once froze the window; the tree fetches more as it scrolls."""
    table = ReminderTableModel()
    estates = [f"测试{n}村" for n in range(GROUP_BATCH * 2 + 7)]
    table.set_rows([reminder(name, overdue=True) for name in estates])
    groups = ReminderGroupModel(table)
    groups.set_grouping(GROUP_BY_ESTATE)
    assert groups.rowCount() == GROUP_BATCH
    assert groups.canFetchMore(QModelIndex())
    groups.fetchMore(QModelIndex())
    assert groups.rowCount() == GROUP_BATCH * 2
    last = groups.group_row(groups.groups[-1].key)  # a group asked for by key is handed over first
    assert last == len(estates) - 1
    assert groups.rowCount() == len(estates)
    assert not groups.canFetchMore(QModelIndex())
    assert groups.index(last, 0).data() is not None
    qtmodeltester.check(groups, force_py=True)
