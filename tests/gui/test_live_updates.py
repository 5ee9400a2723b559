"""Open pages follow every committed write, with no F5: a save, a delete, an import, an undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gui_helpers import make_lift, street_id, wait_loaded
from PySide6.QtCore import QModelIndex

from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.estate_page import EstatePage
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.services import Services


def shown(page: RegisterPage) -> dict[str, Any]:
    return {page.proxy.row_object(row).title: page.proxy.row_object(row) for row in range(page.proxy.rowCount())}


def test_a_saved_change_shows_in_the_list_and_the_panel_in_place(
    qtbot: Any, window: MainWindow, services: Services, estates: dict[str, int]
) -> None:
    page = window.page("estates")
    assert isinstance(page, EstatePage)
    page.select_record(estates["万里城"])
    qtbot.waitUntil(lambda: page.panel.estate_id == estates["万里城"])
    reloads: list[int] = []
    page.model.modelReset.connect(lambda: reloads.append(1))
    changed_rows: list[int] = []
    page.model.dataChanged.connect(lambda top, _bottom, _roles=(): changed_rows.append(top.row()))

    record = services.records.get("estates", estates["万里城"])
    services.records.update("estates", record.id, {"households": 3300}, expected_version=record.version)

    qtbot.waitUntil(lambda: shown(page)["万里城"].values["households"] == 3300)
    qtbot.waitUntil(lambda: page.panel.fact_labels["households"].text() == "3300 户")
    assert reloads == []  # the one row was replaced, the list was not read again
    assert len(changed_rows) == 1
    assert page.current_record() is not None
    assert page.current_record().id == estates["万里城"]  # the clerk's place in the list is kept


def test_created_and_deleted_records_come_and_go(
    qtbot: Any, window: MainWindow, services: Services, estates: dict[str, int]
) -> None:
    page = window.page("estates")
    new_id = services.records.create("estates", {"name": "梅川一村", "street_id": street_id(services, "长风")})
    qtbot.waitUntil(lambda: "梅川一村" in shown(page))
    assert window.count_label.text() == "共 4 条小区记录"

    services.records.delete("estates", new_id, expected_version=1)
    qtbot.waitUntil(lambda: "梅川一村" not in shown(page))
    assert window.count_label.text() == "共 3 条小区记录"


def test_a_new_record_outside_the_filter_stays_out(
    qtbot: Any, window: MainWindow, services: Services, estates: dict[str, int]
) -> None:
    page = window.page("estates")
    assert isinstance(page, EstatePage)
    page.street_filter.setCurrentIndex(page.street_filter.findData(street_id(services, "曹杨")))
    qtbot.waitUntil(lambda: sorted(shown(page)) == ["兰溪青年公寓", "曹杨新村"])
    services.records.create("estates", {"name": "梅川一村", "street_id": street_id(services, "长风")})
    services.records.create("estates", {"name": "杏山路小区", "street_id": street_id(services, "曹杨")})
    qtbot.waitUntil(lambda: "杏山路小区" in shown(page))
    assert "梅川一村" not in shown(page)


def test_a_renamed_estate_is_renamed_in_the_lift_list(
    qtbot: Any, window: MainWindow, services: Services, estates: dict[str, int]
) -> None:
    make_lift(services, estates["万里城"], "31103107002008")
    lifts = window.show_page("lifts")
    assert isinstance(lifts, RegisterPage)
    wait_loaded(qtbot, lifts)
    estate = services.records.get("estates", estates["万里城"])
    services.records.update("estates", estate.id, {"name": "万里城一期"}, expected_version=estate.version)
    qtbot.waitUntil(lambda: lifts.proxy.index(0, 0).data() == "万里城一期")


def test_a_hidden_page_catches_up_when_it_is_shown(
    qtbot: Any, window: MainWindow, services: Services, estates: dict[str, int], tmp_path: Path
) -> None:
    lifts = window.show_page("lifts")
    assert isinstance(lifts, RegisterPage)
    wait_loaded(qtbot, lifts)
    assert lifts.proxy.rowCount() == 0
    window.show_page("estates")

    ledger = tmp_path / "电梯台账.csv"
    ledger.write_text(
        "小区名称,注册代码,投用日期\n万里城,31103107002008,2008-05-01\n万里城,31103107002009,2009-05-01\n",
        encoding="utf-8",
    )
    services.imports.commit(services.imports.plan(services.imports.read("lifts", ledger)))
    qtbot.waitUntil(lambda: lifts.stale)
    assert lifts.proxy.rowCount() == 0  # hidden pages do no work

    window.show_page("lifts")
    qtbot.waitUntil(lambda: lifts.proxy.rowCount() == 2)


def test_an_undo_from_the_import_page_reaches_the_estate_list(
    qtbot: Any, window: MainWindow, services: Services, estates: dict[str, int]
) -> None:
    page = window.page("estates")
    record = services.records.get("estates", estates["曹杨新村"])
    services.records.update("estates", record.id, {"households": 700}, expected_version=record.version)
    qtbot.waitUntil(lambda: shown(page)["曹杨新村"].values["households"] == 700)
    batch = services.batches.list()[0]
    services.batches.undo(batch.id)
    qtbot.waitUntil(lambda: shown(page)["曹杨新村"].values["households"] == 640)


def test_the_list_model_keeps_its_contract_through_targeted_updates(
    qtbot: Any, qtmodeltester: Any, window: MainWindow, services: Services, estates: dict[str, int]
) -> None:
    page = window.page("estates")
    assert isinstance(page, EstatePage)
    qtmodeltester.check(page.model, force_py=True)
    services.records.create("estates", {"name": "梅川一村", "street_id": street_id(services, "长风")})
    qtbot.waitUntil(lambda: page.model.rowCount(QModelIndex()) == 4)
    qtmodeltester.check(page.model, force_py=True)
