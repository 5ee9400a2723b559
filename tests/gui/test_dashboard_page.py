"""The 概览 page: figures against targets, district and per 街镇, each opening the list behind it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from gui_helpers import make_company, make_estate, make_lift, street_id, wait_loaded
from PySide6.QtCore import Qt

from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.dashboard_page import DashboardPage
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.services import Services
from putuo_community.services.demo import generate_demo


def _dashboard(qtbot: Any, window: MainWindow) -> DashboardPage:
    page = window.show_page("dashboard")
    assert isinstance(page, DashboardPage)
    wait_loaded(qtbot, page)
    return page


@pytest.fixture
def demo_window(qtbot: Any, services: Services) -> MainWindow:
    generate_demo(services.database, estates=80, seed=3, today=date.today())
    main = MainWindow(services)
    qtbot.addWidget(main)
    main.show()
    wait_loaded(qtbot, main.page("estates"))
    return main


def test_an_empty_archive_shows_how_to_begin(qtbot: Any, services: Services) -> None:
    main = MainWindow(services)
    qtbot.addWidget(main)
    main.show()
    page = _dashboard(qtbot, main)
    assert page.stack.currentWidget() is page.empty_panel
    assert not page.street_filter.isEnabled()
    assert main.count_label.text() == "还没有小区档案"


def test_cards_show_the_figures_against_their_targets(qtbot: Any, window: MainWindow, services: Services) -> None:
    # Three estates with an 业主大会 (eligible), none with a committee: 0 % against 95 %.
    page = _dashboard(qtbot, window)
    card = page.cards["formation_rate"]
    assert card.value.text() == "0.0%"
    assert "已组建 0 / 符合条件 3；目标 ≥95%" in card.detail.text()
    assert "#b71c1c" in card.value.styleSheet()  # below target: red
    assert page.cards["operation_rate"].value.text() == "—"  # no committee in term: no rate, not 0 %
    assert window.count_label.text() == "全区：3 个小区，3 个符合业委会组建条件"


def test_a_street_shows_its_own_figures(qtbot: Any, window: MainWindow, services: Services) -> None:
    page = _dashboard(qtbot, window)
    page.street_filter.setCurrentIndex(page.street_filter.findData(street_id(services, "万里")))
    assert page.cards["unformed"].value.text() == "1"
    assert window.count_label.text().startswith("万里街道：1 个小区")
    chosen = page.street_filter.currentIndex() - 1
    assert all(s.isBarSelected(chosen) for sets in page.bar_sets.values() for s in sets)


def test_clicking_a_card_opens_the_list_behind_it_with_the_same_count(
    qtbot: Any, window: MainWindow, services: Services
) -> None:
    page = _dashboard(qtbot, window)
    qtbot.mouseClick(page.cards["formation_rate"], Qt.MouseButton.LeftButton)
    estates = window.current_page
    assert isinstance(estates, RegisterPage)
    assert estates is window.page("estates")
    qtbot.waitUntil(lambda: not estates.loading and estates.model.rowCount() == 3)
    assert estates.only_banner.isVisible()
    assert estates.only_banner.label.text() == "仅显示：符合组建条件但未组建业委会的小区（3 条）"
    assert window.count_label.text() == "筛选出 3 条小区记录"
    # Esc clears it: the whole list again.
    estates.view.setFocus()
    qtbot.keyClick(estates.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not estates.only_banner.isVisible() and not estates.loading)
    assert window.count_label.text() == "共 3 条小区记录"


def test_clicking_a_bar_opens_that_streets_list(qtbot: Any, window: MainWindow, services: Services) -> None:
    page = _dashboard(qtbot, window)
    caoyang = [s.street_id for s in page.dashboard.streets].index(street_id(services, "曹杨"))  # type: ignore[union-attr]
    page.bar_sets["rates"][0].clicked.emit(caoyang)
    estates = window.page("estates")
    assert isinstance(estates, RegisterPage)
    qtbot.waitUntil(lambda: not estates.loading and estates.model.rowCount() == 2)
    assert estates.street_id == street_id(services, "曹杨")
    assert estates.only_banner.label.text().startswith("仅显示：曹杨新村街道：符合组建条件但未组建业委会的小区（2 条）")
    estates.only_banner.clear_button.click()
    qtbot.waitUntil(lambda: not estates.loading and not estates.only_banner.isVisible())
    assert estates.model.rowCount() == 2  # the 街镇 chosen stays


def test_every_figure_opens_a_list_as_long_as_its_count(qtbot: Any, demo_window: MainWindow) -> None:
    page = _dashboard(qtbot, demo_window)
    scope = page.scope()
    assert scope is not None
    opened = 0
    for key in ("formation_rate", "operation_rate", "renewal_overdue", "fund_low", "not_assessed", "unmonitored"):
        drill = page.card_drills[key]
        assert drill is not None
        page.cards[key].clicked.emit()
        target = demo_window.current_page
        assert isinstance(target, RegisterPage)
        qtbot.waitUntil(lambda target=target: not target.loading)
        assert target.model.rowCount() == len(drill.ids), key
        assert target.only_banner.label.text().endswith(f"（{len(drill.ids):,} 条）")
        opened += bool(drill.ids)
        demo_window.show_page("dashboard")
    assert opened >= 3
    for level in ("RED", "ORANGE", "YELLOW", "GREEN"):
        page._level_clicked(level)
        companies = demo_window.page("companies")
        assert demo_window.current_page is companies
        qtbot.waitUntil(lambda companies=companies: not companies.loading)
        key = {"RED": "companies_red", "ORANGE": "companies_orange", "YELLOW": "companies_yellow"}.get(
            level, "companies_green"
        )
        assert companies.model.rowCount() == scope.count(key)  # type: ignore[attr-defined]


def test_a_write_recounts_the_figures(qtbot: Any, window: MainWindow, services: Services, estates: dict) -> None:
    page = _dashboard(qtbot, window)
    assert page.cards["not_assessed"].value.text() == "0 / 0"
    make_lift(services, estates["万里城"], "31103100000000000099", first_use_on=date(2000, 1, 1))
    qtbot.waitUntil(lambda: page.cards["not_assessed"].value.text() == "0 / 1")
    services.records.create(
        "committee_terms",
        {"estate_id": estates["万里城"], "term_no": 1, "start_on": date(2024, 1, 1), "end_on": date(2028, 12, 31)},
    )
    qtbot.waitUntil(lambda: page.cards["formation_rate"].value.text() == "33.3%")
    make_estate(services, "桃浦新村", "桃浦", company_id=make_company(services, "上海桃浦物业有限公司"))
    qtbot.waitUntil(lambda: "4 个小区" in window.count_label.text())
