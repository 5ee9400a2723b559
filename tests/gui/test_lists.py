"""The list pages: block-by-block rows, computed columns, estate filters, the column chooser, remembered layout,
the company window and the new 加装电梯 and 项目经理 lists."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from gui_helpers import make_lift, wait_loaded
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from putuo_community.domain.credit import WarningLevel
from putuo_community.domain.lifts import lift_age_years
from putuo_community.domain.registers import ESTATES, LIFT_PROJECTS, MANAGERS
from putuo_community.gui import list_model
from putuo_community.gui.list_columns import LEVEL_BACKGROUNDS, list_columns
from putuo_community.gui.list_model import LazyListModel
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.models import RECORD_ROLE
from putuo_community.gui.pages.estate_page import EstatePage
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.services import Services
from putuo_community.services.listing import ListRow


def shown_titles(page: RegisterPage) -> list[str]:
    return [page.model.row_object(row).title for row in range(page.model.rowCount())]


def column_of(page: RegisterPage, key: str) -> int:
    return [c.key for c in page.model.columns].index(key)


@pytest.fixture
def red_company(services: Services, estates: dict[str, int]) -> int:
    """The company serving 曹杨新村, with an 18-point act on record."""
    company = services.records.get("estates", estates["曹杨新村"]).values["company_id"]
    services.records.create(
        "credit_events",
        {
            "subject": "企业",
            "company_id": company,
            "band": "特别严重",
            "points": 18,
            "act_on": date.today(),
            "scored_on": date.today(),
            "description": "擅自改变共用部位用途",
        },
    )
    return int(company)


# -- the model on its own --------------------------------------------------------------------------


def _fake_rows(services: Services, estates: dict[str, int]) -> dict[int, ListRow]:
    return {i: ListRow(services.records.get("estates", i)) for i in estates.values()}


def test_the_lazy_model_reads_only_the_blocks_it_shows(
    qtmodeltester: Any, services: Services, estates: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(list_model, "BLOCK_ROWS", 2)
    rows = _fake_rows(services, estates)
    asked: list[list[int]] = []

    def fetch(ids: list[int]) -> list[ListRow]:
        asked.append(ids)
        return [rows[i] for i in ids]

    model = LazyListModel(list_columns(ESTATES), fetch)
    order = sorted(estates.values())
    model.set_ids(order)
    assert asked == []  # nothing read until a cell is asked for
    assert model.index(2, 1).data() == rows[order[2]].record.title
    assert asked == [[order[2]]]  # the block holding row 2 (rows 2–3 with blocks of 2)
    assert model.index(0, 1).data(RECORD_ROLE) is rows[order[0]].record
    assert len(asked) == 2
    qtmodeltester.check(model, force_py=True)


def test_the_lazy_model_follows_inserts_moves_and_removals_without_a_reset(
    qtmodeltester: Any, services: Services, estates: dict[str, int]
) -> None:
    rows = _fake_rows(services, estates)
    model = LazyListModel(list_columns(ESTATES), lambda ids: [rows[i] for i in ids if i in rows])
    a, b, c = sorted(estates.values())
    model.set_ids([a, b])
    held = QPersistentModelIndex(model.index(1, 0))
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.apply_order([c, b], [rows[c]], {a, c})  # a left the list, c came in first
    assert model.ids() == [c, b]
    assert held.row() == 1  # b kept its place under the selection
    model.apply_order([b, c], [rows[b]], {b})  # b moved up
    assert model.ids() == [b, c]
    assert held.row() == 0
    model.set_ids([c, b])  # a sort: the same rows in another order move, they are not reset
    assert held.row() == 1
    assert resets == []
    qtmodeltester.check(model, force_py=True)


def test_rows_read_with_the_order_are_painted_without_reading_again(
    qtmodeltester: Any, services: Services, estates: dict[str, int]
) -> None:
    rows = _fake_rows(services, estates)
    asked: list[list[int]] = []

    def fetch(ids: list[int]) -> list[ListRow]:
        asked.append(ids)
        return [rows[i] for i in ids]

    model = LazyListModel(list_columns(ESTATES), fetch)
    order = sorted(estates.values())
    model.set_ids(order, fresh=[rows[i] for i in order])
    assert [model.index(r, 1).data() for r in range(3)] == [rows[i].record.title for i in order]
    assert asked == []
    model.set_ids(order[::-1], fresh=[rows[order[0]]], keep_rows=False)  # the same rows, read again but one
    assert model.index(2, 1).data() == rows[order[0]].record.title
    assert asked == []
    assert model.index(0, 1).data() == rows[order[2]].record.title
    assert asked == [[order[2], order[1]]]
    qtmodeltester.check(model, force_py=True)


# -- pages -----------------------------------------------------------------------------------------


def test_the_estate_list_shows_committee_warning_and_completeness(
    qtbot: Any, window: MainWindow, estates: dict[str, int], red_company: int
) -> None:
    page = window.page("estates")
    assert isinstance(page, EstatePage)
    window.refresh_current_page()
    wait_loaded(qtbot, page)
    row = page.model.row_of(estates["曹杨新村"])
    assert row is not None
    level = page.model.index(row, column_of(page, "warning_level"))
    assert level.data() == "红色"
    assert level.data(Qt.ItemDataRole.BackgroundRole).color() == LEVEL_BACKGROUNDS[WarningLevel.RED]
    assert page.model.index(row, column_of(page, "committee_state")).data() == "应组建未组建"
    assert page.model.index(row, column_of(page, "completeness")).data().endswith("%")


def test_the_estate_filters_narrow_the_list(
    qtbot: Any, window: MainWindow, services: Services, estates: dict[str, int], red_company: int
) -> None:
    today = date.today()
    term = {"estate_id": estates["万里城"], "term_no": 1, "start_on": today.replace(year=today.year - 1)}
    services.records.create("committee_terms", {**term, "end_on": today.replace(year=today.year + 3)})
    page = window.page("estates")
    assert isinstance(page, EstatePage)
    filters = page.filters
    filters.warning_level.setCurrentIndex(filters.warning_level.findData(WarningLevel.RED))
    qtbot.waitUntil(lambda: shown_titles(page) == ["曹杨新村"] and not page.loading)
    assert window.count_label.text() == "筛选出 1 条小区记录"
    filters.warning_level.setCurrentIndex(0)
    filters.committee_state.setCurrentIndex(filters.committee_state.findData("任期内"))
    qtbot.waitUntil(lambda: shown_titles(page) == ["万里城"] and not page.loading)
    filters.committee_state.setCurrentIndex(0)
    filters.completeness.setValue(100)
    qtbot.waitUntil(lambda: len(shown_titles(page)) == 3 and not page.loading)
    filters.completeness.setValue(0)


def test_a_search_says_why_a_row_matched(qtbot: Any, window: MainWindow, estates: dict[str, int]) -> None:
    page = window.page("estates")
    assert isinstance(page, EstatePage)
    page.search_edit.setText("兰溪路")
    qtbot.waitUntil(lambda: shown_titles(page) == ["兰溪青年公寓"] and not page.loading)
    assert page.model.index(0, column_of(page, "matched")).data() == "匹配：地址：兰溪路138弄"


def test_a_search_brings_the_rows_it_shows_with_its_order(
    qtbot: Any, window: MainWindow, estates: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = window.page("estates")
    assert isinstance(page, EstatePage)
    window.refresh_current_page()
    wait_loaded(qtbot, page)
    read_on_the_ui_thread: list[list[int]] = []
    monkeypatch.setattr(page.model, "_fetch", lambda ids: read_on_the_ui_thread.append(ids) or [])
    page.search_edit.setText("万里")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.loading)
    page.view.viewport().repaint()
    assert page.model.index(0, column_of(page, "name")).data() == "万里城"
    assert read_on_the_ui_thread == []


def test_the_header_sorts_through_the_listing_service(
    qtbot: Any, window: MainWindow, estates: dict[str, int], chinese_locale: None
) -> None:
    page = window.page("estates")
    assert isinstance(page, EstatePage)
    window.refresh_current_page()
    wait_loaded(qtbot, page)
    assert shown_titles(page) == ["曹杨新村", "兰溪青年公寓", "万里城"]  # 拼音: cao, lan, wan
    page.select_record(estates["万里城"])
    page.view.sortByColumn(column_of(page, "households"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: shown_titles(page) == ["万里城", "兰溪青年公寓", "曹杨新村"] and not page.loading)
    assert page.current_record() is not None
    assert page.current_record().title == "万里城"  # the selection moved with its row


def test_the_column_chooser_hides_columns_and_the_layout_is_remembered(
    qtbot: Any, services: Services, estates: dict[str, int]
) -> None:
    main = MainWindow(services)
    qtbot.addWidget(main)
    main.show()
    page = main.page("estates")
    assert isinstance(page, EstatePage)
    wait_loaded(qtbot, page)
    header = page.view.horizontalHeader()
    code = column_of(page, "code")
    menu = page.list_layout.column_menu_for()
    action = next(a for a in menu.actions() if a.text() == "小区编码")
    action.toggle()
    assert header.isSectionHidden(code)
    header.resizeSection(column_of(page, "name"), 333)
    header.moveSection(header.visualIndex(column_of(page, "completeness")), 0)
    page.view.sortByColumn(column_of(page, "households"), Qt.SortOrder.DescendingOrder)
    page.splitter.setSizes([700, 400])
    page.list_layout.save()
    sizes = page.splitter.sizes()
    main.close()
    main.settings.remove("main_window/geometry")  # offscreen windows save a geometry of their own choosing

    again = MainWindow(services)
    qtbot.addWidget(again)
    again.show()
    page = again.page("estates")
    assert isinstance(page, EstatePage)
    wait_loaded(qtbot, page)
    header = page.view.horizontalHeader()
    assert header.isSectionHidden(code)
    assert header.sectionSize(column_of(page, "name")) == 333
    assert header.visualIndex(column_of(page, "completeness")) == 0
    assert (page.model.sort_column, page.model.sort_order) == (
        column_of(page, "households"),
        Qt.SortOrder.DescendingOrder,
    )
    assert page.splitter.sizes() == sizes
    qtbot.waitUntil(lambda: shown_titles(page)[0] == "万里城")  # sorted as remembered


def test_enter_on_a_company_opens_its_window(
    qtbot: Any, window: MainWindow, estates: dict[str, int], red_company: int, qtmodeltester: Any
) -> None:
    page = window.show_page("companies")
    assert isinstance(page, RegisterPage)
    wait_loaded(qtbot, page)
    assert page.model.index(0, column_of(page, "warning_level")).data() == "红色"
    page.select_record(red_company)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    company = page.company_window
    assert company is not None
    qtbot.waitUntil(lambda: company.file is not None)
    assert "预警等级：红色" in company.level_label.text()
    assert company.estates.rowCount() == 1
    assert company.ledger.rowCount() == 1
    ledger = company.views["ledger"].model()
    texts = [ledger.index(0, c).data() for c in range(ledger.columnCount())]
    assert "不可修正" in texts  # an 18-point act cannot be corrected
    for model in (company.estates, company.managers, company.contracts, company.ledger):
        qtmodeltester.check(model, force_py=True)


def test_the_lift_list_shows_age_and_assessment(qtbot: Any, window: MainWindow, estates: dict[str, int]) -> None:
    make_lift(window.services, estates["万里城"], "31103107002008", first_use_on=date(2005, 6, 1))
    page = window.show_page("lifts")
    assert isinstance(page, RegisterPage)
    wait_loaded(qtbot, page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    age = lift_age_years(date(2005, 6, 1), date.today())
    assert page.model.index(0, column_of(page, "age_years")).data() == str(age)
    assert (
        page.model.index(0, column_of(page, "assessment")).data() == "满15年未评估（2020-06-01）"
    )  # overdue: never assessed
    assert page.model.index(0, column_of(page, "assessment")).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_the_project_manager_list_shows_level_and_estates(
    qtbot: Any, window: MainWindow, services: Services, estates: dict[str, int], qtmodeltester: Any
) -> None:
    estate = services.records.get("estates", estates["曹杨新村"])
    manager = services.records.create("managers", {"company_id": estate.values["company_id"], "name": "沈建平"})
    services.records.update("estates", estate.id, {"manager_id": manager}, expected_version=estate.version)
    page = RegisterPage(window.context, MANAGERS, "项目经理")
    qtbot.addWidget(page)
    page.show()
    page.activate()
    wait_loaded(qtbot, page)
    assert shown_titles(page) == ["沈建平"]
    assert page.model.index(0, column_of(page, "warning_level")).data() == "绿色"
    assert page.model.index(0, column_of(page, "estates_managed")).data() == "1"
    qtmodeltester.check(page.model, force_py=True)


def test_the_lift_addition_list_loads(qtbot: Any, window: MainWindow, qtmodeltester: Any) -> None:
    page = RegisterPage(window.context, LIFT_PROJECTS, "加装电梯")
    qtbot.addWidget(page)
    page.show()
    page.activate()
    wait_loaded(qtbot, page)
    assert page.model.rowCount(QModelIndex()) == 0
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "街镇"
    qtmodeltester.check(page.model, force_py=True)
