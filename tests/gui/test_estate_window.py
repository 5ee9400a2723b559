"""The estate window as a clerk uses it: the dossier's sections on screen, edited in place, no F5."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from gui_helpers import Answers, line_edit, make_estate, make_lift, type_text
from PySide6.QtCore import Qt

from putuo_community.domain.registers.dossier import DOSSIER_SECTIONS, SECTIONS_BY_KEY
from putuo_community.gui.dialogs import RecordDialog
from putuo_community.gui.estate_window import EstateWindow
from putuo_community.gui.estate_window.tables import RecordTableBox
from putuo_community.gui.history_view import HistoryView
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.worker import BackgroundRunner
from putuo_community.services import Services

pytestmark = pytest.mark.usefixtures("answers")  # message boxes answered, never left open


@pytest.fixture
def estate_window(qtbot: Any, window: MainWindow, estates: dict[str, int]) -> EstateWindow:
    opened = window.open_estate(estates["曹杨新村"])
    qtbot.waitUntil(lambda: opened.dossier is not None and not opened.loading)
    return opened


def section_texts(estate_window: EstateWindow) -> list[str]:
    return [estate_window.sections.item(i).text() for i in range(estate_window.sections.count())]


def test_the_window_shows_the_dossiers_sections_with_their_counts(
    qtbot: Any, estate_window: EstateWindow, services: Services, estates: dict[str, int]
) -> None:
    assert estate_window.windowTitle().startswith("曹杨新村 小区档案")
    texts = section_texts(estate_window)
    assert [t.split("（")[0] for t in texts] == [s.title for s in DOSSIER_SECTIONS]
    assert "楼栋（0）" in texts
    assert "未登记楼栋" in " ".join(g.message for g in estate_window.dossier.gaps)  # type: ignore[union-attr]
    assert "档案完整度" in estate_window.completeness_label.text()


def test_one_window_per_estate(qtbot: Any, window: MainWindow, estates: dict[str, int]) -> None:
    first = window.open_estate(estates["曹杨新村"])
    again = window.open_estate(estates["曹杨新村"], "lifts")
    assert again is first
    assert first.current_section() == "lifts"
    other = window.open_estate(estates["万里城"])
    assert other is not first


def test_a_gap_opens_the_form_that_fills_it_and_the_new_record_shows_without_f5(
    qtbot: Any, estate_window: EstateWindow, services: Services, estates: dict[str, int]
) -> None:
    dialog = estate_window.fill_gap("楼栋")
    assert isinstance(dialog, RecordDialog)
    assert estate_window.current_section() == "buildings"
    assert dialog.form.values()["estate_id"] == estates["曹杨新村"]  # fixed to this estate
    type_text(line_edit(dialog, "number"), "3号")
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())
    dialog.save()
    box = estate_window.boxes["buildings"]
    qtbot.waitUntil(lambda: "3号" in box.shown_titles())
    qtbot.waitUntil(lambda: "楼栋（1）" in section_texts(estate_window))


def test_units_follow_the_chosen_building(
    qtbot: Any, estate_window: EstateWindow, services: Services, estates: dict[str, int]
) -> None:
    estate = estates["曹杨新村"]
    first = services.records.create("buildings", {"estate_id": estate, "number": "1号"})
    second = services.records.create("buildings", {"estate_id": estate, "number": "2号"})
    services.records.create("units", {"building_id": first, "number": "1单元"})
    services.records.create("units", {"building_id": second, "number": "2单元"})
    estate_window.show_section("buildings")
    qtbot.waitUntil(lambda: len(estate_window.boxes["buildings"].shown_titles()) == 2)
    buildings, units = estate_window.boxes["buildings"], estate_window.boxes["units"]
    buildings.select(first)
    assert units.shown_titles() == ["1单元"]
    assert estate_window.preset_for("units") == {"building_id": first}
    buildings.select(second)
    assert units.shown_titles() == ["2单元"]
    assert "楼号：2号" in units.caption.text()


def test_deleting_a_building_with_lifts_is_refused_with_the_reason(
    qtbot: Any, estate_window: EstateWindow, services: Services, estates: dict[str, int], answers: Answers
) -> None:
    estate = estates["曹杨新村"]
    building = services.records.create("buildings", {"estate_id": estate, "number": "5号"})
    make_lift(services, estate, "31103107002008", building_id=building)
    estate_window.show_section("buildings")
    qtbot.waitUntil(lambda: "5号" in estate_window.boxes["buildings"].shown_titles())
    box = estate_window.boxes["buildings"]
    box.select(building)
    box.delete_button.click()
    assert answers.warnings
    assert "电梯" in answers.warnings[0]
    assert "31103107002008" in answers.warnings[0]
    assert services.records.count("buildings") == 1


def test_the_history_section_lists_changes_in_labels_and_undoes_a_save(
    qtbot: Any, estate_window: EstateWindow, services: Services, estates: dict[str, int], answers: Answers
) -> None:
    estate = services.records.get("estates", estates["曹杨新村"])
    services.records.update("estates", estate.id, {"households": 700}, expected_version=estate.version)
    estate_window.show_section("changes")
    history = estate_window.history_view
    qtbot.waitUntil(lambda: any(c.field_label == "户数" for c in history.model.rows()))
    row = next(i for i, c in enumerate(history.model.rows()) if c.field_label == "户数")
    assert history.model.row_object(row).text == "640 → 700"
    history.view.setCurrentIndex(history.proxy.mapFromSource(history.model.index(row, 0)))
    history.undo_selected()
    assert answers.questions  # asked first
    qtbot.waitUntil(lambda: services.records.get("estates", estate.id).values["households"] == 640)
    qtbot.waitUntil(
        lambda: estate_window.dossier is not None and estate_window.dossier.estate.values["households"] == 640
    )


def test_a_lift_first_used_sixteen_years_ago_is_a_gap_in_its_estates_completeness(
    qtbot: Any, estate_window: EstateWindow, services: Services, estates: dict[str, int]
) -> None:
    today = date.today()
    make_lift(services, estates["曹杨新村"], "31103107009999", first_use_on=date(today.year - 16, 1, 1))
    qtbot.waitUntil(lambda: "电梯（1）" in section_texts(estate_window))
    dossier = estate_window.dossier
    assert dossier is not None
    assert any("使用满15年未做安全评估" in g.message for g in dossier.gaps)
    estate_window.show_section("lifts")
    lifts = estate_window.boxes["lifts"]
    flags_column = len(lifts.model.columns) - 1
    assert "满15年未评估" in lifts.proxy.index(0, flags_column).data()


def test_a_deleted_estate_closes_its_window(
    qtbot: Any, window: MainWindow, services: Services, estates: dict[str, int]
) -> None:
    estate_id = make_estate(services, "待删小区", "长征")
    opened = window.open_estate(estate_id)
    qtbot.waitUntil(lambda: opened.dossier is not None)
    services.records.delete("estates", estate_id, expected_version=1)
    qtbot.waitUntil(lambda: estate_id not in window.estate_windows)


def test_a_lift_gap_leads_to_the_lifts_without_a_new_lift_form(
    qtbot: Any, estate_window: EstateWindow, services: Services, estates: dict[str, int]
) -> None:
    assert estate_window.fill_gap("电梯") is None  # the lifts are there: their assessment dates need filling
    assert estate_window.current_section() == "lifts"
    assert estate_window.dialog is None


@pytest.fixture
def kept() -> Iterator[list[object]]:
    """Holds widgets past the test body, until the model tester has let go of their models."""
    holder: list[object] = []
    yield holder
    holder.clear()


def test_the_windows_models_keep_their_contract(
    qtbot: Any, kept: list[object], qtmodeltester: Any, services: Services, estates: dict[str, int]
) -> None:
    estate = estates["曹杨新村"]
    building = services.records.create("buildings", {"estate_id": estate, "number": "1号", "floors": 6})
    services.records.create("units", {"building_id": building, "number": "1单元"})
    dossier = services.dossiers.estate_dossier(estate, today=date.today())
    boxes = {}
    for declared in SECTIONS_BY_KEY["buildings"].tables:
        box = RecordTableBox(declared, dossier.tables[declared.register])  # never shown: the model is the point
        box.show_table(dossier.tables[declared.register], {r.id: r for r in dossier.records[declared.register]})
        boxes[declared.register] = box
        kept.append(box)
    boxes["units"].set_parent_record(dossier.records["buildings"][0])
    assert boxes["units"].shown_titles() == ["1单元"]
    assert boxes["buildings"].model.headerData(0, Qt.Orientation.Horizontal) == "楼号"
    qtmodeltester.check(boxes["buildings"].model, force_py=True)
    qtmodeltester.check(boxes["units"].proxy, force_py=True)

    runner = BackgroundRunner()
    history = HistoryView(services, runner, estate_id=estate)
    kept.extend([history, runner])
    history.refresh()
    qtbot.waitUntil(lambda: history.model.rowCount() == 3)
    qtmodeltester.check(history.model, force_py=True)
    runner.shutdown()
