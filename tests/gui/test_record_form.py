"""The record form as a clerk types into it: dates, choices, numbers, pickers, and what is shown as wrong."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from gui_helpers import make_company, make_estate, type_text

from putuo_community.domain.registers import get_register
from putuo_community.gui.forms import RecordForm, RefOptionModel, RefPicker
from putuo_community.gui.forms.editors import BoolEditor, ChoiceEditor, DateEditor, NumberEditor
from putuo_community.gui.worker import BackgroundRunner
from putuo_community.services import Services
from putuo_community.services.lookups import RefOption

CREDIT_CODE = "91310107MA1G1C8Q5W"


def make_form(
    qtbot: Any,
    services: Services,
    runner: BackgroundRunner,
    register_key: str,
    values: dict[str, Any] | None = None,
    fixed: tuple[str, ...] = (),
) -> RecordForm:
    form = RecordForm(get_register(register_key), services.lookups, runner, fixed=fixed)
    qtbot.addWidget(form)
    form.load(values)
    form.show()
    return form


def wait_settled(qtbot: Any, picker: RefPicker) -> None:
    qtbot.waitUntil(lambda: not picker.pending and not picker._timer.isActive())


def test_a_date_typed_as_clerks_write_it_is_read_and_shown_as_iso(
    qtbot: Any, services: Services, runner: BackgroundRunner
) -> None:
    form = make_form(qtbot, services, runner, "estates")
    editor = form.editor("first_delivery_on")
    assert isinstance(editor, DateEditor)
    type_text(editor.line_edit, "2019.5.1")
    assert form.values()["first_delivery_on"] == date(2019, 5, 1)
    assert form.report().for_field("first_delivery_on") == ()
    assert form.message_text("first_delivery_on") == ""
    assert editor.hint.text() == "= 2019-05-01"
    editor.line_edit.editingFinished.emit()
    assert editor.text() == "2019-05-01"
    assert editor.hint.text() == ""


def test_a_date_picked_on_the_calendar(qtbot: Any, services: Services, runner: BackgroundRunner) -> None:
    form = make_form(qtbot, services, runner, "estates")
    editor = form.editor("prep_group_on")
    assert isinstance(editor, DateEditor)
    with qtbot.waitSignal(editor.edited):
        editor.calendar.clicked.emit(editor.calendar.selectedDate().addDays(-3))
    assert isinstance(form.values()["prep_group_on"], date)
    assert form.is_dirty()


def test_a_wrong_date_shows_its_error_next_to_the_field(
    qtbot: Any, services: Services, runner: BackgroundRunner
) -> None:
    form = make_form(qtbot, services, runner, "estates")
    type_text(form.editor("half_delivered_on").line_edit, "2019.13.45")
    assert "日期不存在" in form.message_text("half_delivered_on")
    assert not form.report().ok
    assert form.values()["half_delivered_on"] is None


def test_a_synonym_typed_in_a_choice_is_the_declared_choice(
    qtbot: Any, services: Services, runner: BackgroundRunner
) -> None:
    form = make_form(qtbot, services, runner, "estates")
    editor = form.editor("housing_type")
    assert isinstance(editor, ChoiceEditor)
    line_edit = editor.combo.lineEdit()
    assert line_edit is not None
    type_text(line_edit, "售后房")
    assert form.values()["housing_type"] == "售后公房"
    assert editor.hint.text() == "= 售后公房"
    line_edit.editingFinished.emit()
    assert editor.text() == "售后公房"
    line_edit.clear()
    type_text(line_edit, "别墅")
    assert "不是可选值" in form.message_text("housing_type")


def test_numbers_take_full_width_digits_units_and_show_the_declared_decimals(
    qtbot: Any, services: Services, runner: BackgroundRunner
) -> None:
    form = make_form(qtbot, services, runner, "estates")
    area = form.editor("floor_area")
    assert isinstance(area, NumberEditor)
    assert area.unit_label is not None
    assert area.unit_label.text() == "㎡"
    type_text(area.line_edit, "１２３４５")
    assert form.values()["floor_area"] == Decimal("12345.00")
    area.line_edit.editingFinished.emit()
    assert area.text() == "12345.00"
    type_text(form.editor("households").line_edit, "约1200户")
    assert form.values()["households"] == 1200
    assert form.report().for_field("households")[0].warning  # amber, and saving stays allowed
    assert "households" not in {p.field for p in form.report().errors}
    type_text(form.editor("completion_year").line_edit, "1850")
    assert "超出范围" in form.message_text("completion_year")

    project = make_form(qtbot, services, runner, "projects")
    type_text(project.editor("budget").line_edit, "12500元")
    assert project.values()["budget"] == Decimal("1.25")  # the field is in 万元


def test_a_yes_no_field_may_stay_blank(qtbot: Any, services: Services, runner: BackgroundRunner) -> None:
    form = make_form(qtbot, services, runner, "estates", values={"has_assembly": True})
    editor = form.editor("has_assembly")
    assert isinstance(editor, BoolEditor)
    assert editor.combo.currentText() == "是"
    editor.combo.setCurrentIndex(0)
    assert form.values()["has_assembly"] is None
    editor.combo.setCurrentIndex(2)
    assert form.values()["has_assembly"] is False
    assert form.changes() == {"has_assembly": False}


def test_a_blank_required_field_is_an_error_shown_once_touched_or_asked(
    qtbot: Any, services: Services, runner: BackgroundRunner
) -> None:
    form = make_form(qtbot, services, runner, "estates")
    assert {p.field for p in form.report().errors} == {"name", "street_id"}
    assert form.message_text("name") == ""  # a fresh form is not all red
    type_text(form.editor("name").line_edit, "曹杨")
    form.editor("name").line_edit.clear()
    type_text(form.editor("name").line_edit, " ")
    assert form.message_text("name") == "必填"
    form.focus_first_problem()
    assert form.message_text("street_id") == "必填"
    assert "*" in form.row_labels["name"].text()
    assert "*" not in form.row_labels["code"].text()


def test_rules_across_fields_show_against_their_field(qtbot: Any, services: Services, runner: BackgroundRunner) -> None:
    form = make_form(qtbot, services, runner, "contracts")
    type_text(form.editor("start_on").line_edit, "2022年3月1日")
    type_text(form.editor("end_on").line_edit, "2021/12/31")
    assert "结束日期早于开始日期" in form.message_text("end_on")


def test_a_company_is_picked_by_its_credit_code(qtbot: Any, services: Services, runner: BackgroundRunner) -> None:
    company = make_company(services, credit_code=CREDIT_CODE)
    make_company(services, "上海万里物业有限公司")
    form = make_form(qtbot, services, runner, "estates")
    picker = form.picker("company_id")
    type_text(picker.line_edit, CREDIT_CODE.lower())
    assert form.message_text("company_id") == "正在查找……"
    wait_settled(qtbot, picker)
    assert picker.record_id == company
    assert form.values()["company_id"] == company
    assert form.message_text("company_id") == ""
    picker.line_edit.editingFinished.emit()
    assert picker.text() == "上海曹杨物业管理有限公司"
    assert picker.detail.text() == CREDIT_CODE


def test_text_naming_no_single_record_asks_to_choose_from_the_list(
    qtbot: Any, services: Services, runner: BackgroundRunner
) -> None:
    make_company(services)
    make_company(services, "上海万里物业有限公司")
    form = make_form(qtbot, services, runner, "estates")
    picker = form.picker("company_id")
    type_text(picker.line_edit, "物业")
    wait_settled(qtbot, picker)
    assert picker.record_id is None
    assert form.message_text("company_id") == "请从列表中选择"
    assert [o.label for o in picker.model.options] == ["上海万里物业有限公司", "上海曹杨物业管理有限公司"]
    picker.choose(picker.model.options[1])
    assert form.message_text("company_id") == ""
    assert picker.text() == "上海曹杨物业管理有限公司"


def test_a_building_picker_offers_only_the_estates_buildings_and_follows_the_estate(
    qtbot: Any, services: Services, runner: BackgroundRunner
) -> None:
    caoyang, wanli = make_estate(services, "曹杨新村"), make_estate(services, "万里城", "万里")
    for number in ("1号楼", "3号楼"):
        services.records.create("buildings", {"estate_id": caoyang, "number": number})
    wanli_3 = services.records.create("buildings", {"estate_id": wanli, "number": "3号楼"})
    form = make_form(qtbot, services, runner, "lifts", values={"estate_id": caoyang}, fixed=("estate_id",))
    estate = form.picker("estate_id")
    qtbot.waitUntil(lambda: estate.text() == "曹杨新村")
    assert estate.line_edit.isReadOnly()
    buildings = form.picker("building_id")
    buildings.show_options()
    qtbot.waitUntil(lambda: buildings.model.rowCount() == 2)
    assert [o.label for o in buildings.model.options] == ["1号楼", "3号楼"]

    # Opened without a fixed estate: changing the estate re-reads what was typed among its buildings.
    free = make_form(qtbot, services, runner, "lifts", values={"estate_id": caoyang})
    type_text(free.picker("building_id").line_edit, "3号楼")
    wait_settled(qtbot, free.picker("building_id"))
    assert free.values()["building_id"] not in (None, wanli_3)
    free.picker("estate_id").choose(RefOption(wanli, "万里城"))
    assert free.picker("building_id").context == {"estate_id": wanli}
    wait_settled(qtbot, free.picker("building_id"))
    assert free.values()["building_id"] == wanli_3


def test_the_option_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = RefOptionModel()
    model.set_options([RefOption(1, "3号楼", "曹杨新村"), RefOption(2, "上海曹杨物业管理有限公司", CREDIT_CODE)])
    qtmodeltester.check(model)
    index = model.index(1, 0)
    assert model.data(index) == f"上海曹杨物业管理有限公司　{CREDIT_CODE}"
    assert model.data(index, RefOptionModel.ID_ROLE) == 2
    model.set_options([])
    qtmodeltester.check(model)
