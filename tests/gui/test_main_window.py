"""The main window as a clerk uses it: lists, filters, search, details, navigation, status bar."""

from __future__ import annotations

from decimal import Decimal

from gui_helpers import make_estate, make_lift, street_id, wait_loaded
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from putuo_community.domain.registers import ESTATES
from putuo_community.gui.main_window import PAGE_KEYS, SHORTCUT_PAGES, MainWindow
from putuo_community.gui.pages.estate_page import EstatePage
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.services import Services


def shown_names(page: RegisterPage) -> list[str]:
    return sorted(page.proxy.row_object(row).title for row in range(page.proxy.rowCount()))


def choose_street(page: RegisterPage, services: Services, short_name: str) -> None:
    page.street_filter.setCurrentIndex(page.street_filter.findData(street_id(services, short_name)))


def test_title_and_status_bar_name_the_database(window: MainWindow, services: Services) -> None:
    assert window.windowTitle() == "普陀小区档案 — putuo-community.sqlite3"
    assert services.database_name in window.database_label.text()
    assert window.count_label.text() == "共 3 条小区记录"


def test_estate_page_lists_the_estates_of_the_database(window: MainWindow) -> None:
    page = window.page("estates")
    assert isinstance(page, EstatePage)
    assert shown_names(page) == sorted(["曹杨新村", "兰溪青年公寓", "万里城"])
    assert page.model.headerData(1, Qt.Orientation.Horizontal) == ESTATES.columns[1].header


def test_street_filter_lists_all_ten_streets_and_narrows_the_list(qtbot, window: MainWindow, services) -> None:
    page = window.page("estates")
    items = [page.street_filter.itemText(i) for i in range(page.street_filter.count())]
    assert items[0] == "全部街镇"
    assert items[1:] == [s.title for s in services.records.list("streets", order_by=("id",))]

    choose_street(page, services, "曹杨")
    qtbot.waitUntil(lambda: shown_names(page) == ["兰溪青年公寓", "曹杨新村"])
    assert window.count_label.text() == "筛选出 2 条小区记录"

    choose_street(page, services, "长征")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 0 and not page.loading)

    page.street_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 3)


def test_search_narrows_the_list(qtbot, window: MainWindow) -> None:
    page = window.page("estates")
    page.search_edit.setText("兰溪")  # set directly: QTest cannot type Chinese
    qtbot.waitUntil(lambda: shown_names(page) == ["兰溪青年公寓"])
    page.search_edit.setText("兰溪路138弄")  # the address is searched too
    qtbot.waitUntil(lambda: shown_names(page) == ["兰溪青年公寓"] and not page.loading)
    page.search_edit.setText("上海曹杨物业")  # and the names of what a record refers to
    qtbot.waitUntil(lambda: shown_names(page) == ["曹杨新村"])
    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 3)


def test_search_finds_an_estate_by_its_alias(qtbot, window: MainWindow, services, estates) -> None:
    services.records.create("estate_aliases", {"estate_id": estates["万里城"], "alias": "万里城一期"})
    page = window.page("estates")
    page.search_edit.setText("一期")
    qtbot.waitUntil(lambda: shown_names(page) == ["万里城"])


def test_ctrl_f_puts_the_cursor_in_the_search_box(qtbot, window: MainWindow) -> None:
    page = window.page("estates")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search_edit


def test_enter_opens_the_estates_own_window_with_every_fact(qtbot, window: MainWindow, estates) -> None:
    page = window.page("estates")
    assert page.select_record(estates["曹杨新村"])
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    estate_window = window.estate_windows[estates["曹杨新村"]]
    qtbot.waitUntil(lambda: estate_window.dossier is not None)
    facts = dict(estate_window.dossier.sections["basic"].blocks[0].items)
    assert facts["小区名称"] == "曹杨新村"
    assert facts["建筑面积（㎡）"] == "41,250.50"
    assert facts["物业服务企业"] == "上海曹杨物业管理有限公司"
    assert facts["居委会"] == "—"
    assert estate_window.subheading.text().startswith("曹杨新村街道")
    estate_window.close()


def test_double_click_opens_the_estates_own_window(qtbot, window: MainWindow, estates) -> None:
    page = window.page("estates")
    page.select_record(estates["万里城"])
    index = page.view.currentIndex()
    rect = page.view.visualRect(index)
    # A real double-click is press, release, then the double-click event.
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: estates["万里城"] in window.estate_windows)
    estate_window = window.estate_windows[estates["万里城"]]
    qtbot.waitUntil(lambda: estate_window.dossier is not None)
    assert estate_window.heading.text() == "万里城"


def test_estate_panel_shows_facts_and_dossier_counts(qtbot, window: MainWindow, services, estates) -> None:
    make_lift(services, estates["万里城"], "31103100000000000001")
    make_lift(services, estates["万里城"], "31103100000000000002")
    page = window.page("estates")
    assert isinstance(page, EstatePage)
    page.select_record(estates["曹杨新村"])
    page.select_record(estates["万里城"])
    qtbot.waitUntil(lambda: "lifts" in page.panel.section_labels)
    assert page.panel.name_label.text() == "万里城"
    assert page.panel.fact_labels["households"].text() == "3200 户"
    assert page.panel.section_count("lifts") == 2
    assert page.panel.section_count("committee_terms") == 0
    page.panel.detail_button.click()
    assert estates["万里城"] in window.estate_windows  # 打开档案 opens the estate's own window


def test_lifts_are_filtered_by_the_street_of_their_estate(qtbot, window: MainWindow, services, estates) -> None:
    make_lift(services, estates["曹杨新村"], "31103100000000000011")
    make_lift(services, estates["万里城"], "31103100000000000012")
    page = window.show_page("lifts")
    assert isinstance(page, RegisterPage)
    wait_loaded(qtbot, page)
    assert page.proxy.rowCount() == 2
    assert page.street_filter.isVisibleTo(page)
    choose_street(page, services, "万里")
    qtbot.waitUntil(lambda: shown_names(page) == ["31103100000000000012"])
    page.search_edit.setText("曹杨新村")  # lifts are found by their estate's name
    choose_street(page, services, "曹杨")
    qtbot.waitUntil(lambda: shown_names(page) == ["31103100000000000011"])


def test_companies_have_no_street_filter(qtbot, window: MainWindow) -> None:
    page = window.show_page("companies")
    wait_loaded(qtbot, page)
    assert not page.street_filter.isVisibleTo(page)
    assert shown_names(page) == ["上海曹杨物业管理有限公司"]


def test_ctrl_number_switches_pages(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for number, key in enumerate(PAGE_KEYS[:SHORTCUT_PAGES], start=1):
        qtbot.keyClick(window.navigation, Qt.Key(Qt.Key.Key_0 + number % 10), Qt.KeyboardModifier.ControlModifier)
        assert window.current_page is window.page(key), key
    assert window.navigation.currentRow() == SHORTCUT_PAGES - 1


def test_arrow_keys_move_through_the_navigation(qtbot, window: MainWindow) -> None:
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    assert window.current_page is window.page("dashboard")
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    assert window.current_page is window.page("committees")
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    assert window.current_page is window.page("companies")


def test_every_page_loads_and_reports_a_count(qtbot, window: MainWindow, monkeypatch) -> None:
    monkeypatch.setattr(window.services.reminders, "list", lambda **_: [])
    for key in PAGE_KEYS:
        page = window.show_page(key)
        wait_loaded(qtbot, page)
        assert window.count_label.text() == page.status_text != ""


def test_f5_reloads_the_current_page(qtbot, window: MainWindow, services) -> None:
    make_estate(services, "桃浦新村", "桃浦", households=900, floor_area=Decimal("52000"))
    page = window.page("estates")
    assert page.proxy.rowCount() == 3
    assert window.refresh_action.shortcut() == QKeySequence("F5")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(page.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 4)
    assert window.count_label.text() == "共 4 条小区记录"


def test_window_geometry_is_remembered(qtbot, services, estates) -> None:
    first = MainWindow(services)
    qtbot.addWidget(first)
    first.show()
    first.resize(790, 700)  # inside the 800×800 offscreen screen
    qtbot.waitUntil(lambda: first.size() == QSize(790, 700))
    first.close()
    second = MainWindow(services)
    qtbot.addWidget(second)
    assert second.size() == QSize(790, 700)
