"""Importing registers through the service: plan, commit all or nothing, report, near matches, undo."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from ledger_builder import build_street_ledger, ledger_estates, simple_sheet
from openpyxl import load_workbook

from putuo_community.domain.errors import UserError
from putuo_community.services import Services
from putuo_community.services.importing import RowStatus
from putuo_community.services.mappings import MappingStore


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return build_street_ledger(tmp_path / "长征镇小区台账.xlsx", ledger_estates(36))


def _estates_by_name(services: Services) -> dict[str, dict[str, object]]:
    return {
        r.values["name"]: {**r.values, **{f"{k}__title": v for k, v in r.ref_titles.items()}}
        for r in services.records.list("estates")
    }


def test_a_street_ledger_imports_with_every_value_right(services: Services, ledger: Path) -> None:
    source = services.imports.read("estates", ledger)
    assert source.sheet == "长征镇"
    assert source.table.header_lines == (3, 4)
    skipped_reasons = [reason for _line, reason in source.table.skipped]
    assert any("合计" in r for r in skipped_reasons)
    plan = services.imports.plan(source)
    assert plan.count(RowStatus.NEW) == 36, [(r.line, r.reason) for r in plan.rejected]
    assert plan.count(RowStatus.ERROR) == 0
    result = services.imports.commit(plan)
    assert (result.created, result.updated, result.neighbourhoods_added) == (36, 0, 4)
    stored = _estates_by_name(services)
    for expected in ledger_estates(36):
        got = stored[expected.name]
        assert got["street_id__title"] == "长征镇"
        assert got["neighbourhood_id__title"] == expected.neighbourhood
        assert got["housing_type"] == expected.housing_type
        assert got["completion_year"] == expected.completion_year
        assert got["building_count"] == expected.building_count
        assert got["households"] == expected.households
        assert got["floor_area"] == expected.floor_area
        assert got["management_mode"] == expected.management_mode
        assert got["fee"] == expected.fee
        assert got["has_assembly"] is expected.has_assembly
        assert got["first_delivery_on"] == expected.first_delivery_on
    batches = services.batches.list(kind="导入")
    assert len(batches) == 1
    assert "长征镇小区台账.xlsx" in batches[0].description


def test_importing_the_same_file_again_changes_nothing(services: Services, ledger: Path) -> None:
    services.imports.commit(services.imports.plan(services.imports.read("estates", ledger)))
    again = services.imports.plan(services.imports.read("estates", ledger))
    assert again.count(RowStatus.UNCHANGED) == 36
    result = services.imports.commit(again)
    assert (result.created, result.updated, result.batch_id) == (0, 0, None)


def test_a_changed_value_is_an_update_that_names_the_field(services: Services, tmp_path: Path) -> None:
    estates = ledger_estates(5)
    first = build_street_ledger(tmp_path / "v1.xlsx", estates)
    services.imports.commit(services.imports.plan(services.imports.read("estates", first)))
    changed = list(estates[2].cells)
    changed[6] = estates[2].households + 10
    estates[2] = type(estates[2])(**{**estates[2].__dict__, "cells": tuple(changed)})
    second = build_street_ledger(tmp_path / "v2.xlsx", estates)
    plan = services.imports.plan(services.imports.read("estates", second))
    updates = [r for r in plan.rows if r.status is RowStatus.UPDATE]
    assert len(updates) == 1
    assert [(c.label, c.old, c.new) for c in updates[0].changes] == [
        ("户数", str(estates[2].households), str(estates[2].households + 10))
    ]
    services.imports.commit(plan)
    assert _estates_by_name(services)[estates[2].name]["households"] == estates[2].households + 10


def _bad_ledger(tmp_path: Path) -> tuple[Path, list[str]]:
    estates = ledger_estates(8)
    bad_names = [estates[3].name, estates[7].name]
    for index, column, value in ((3, 11, "2019-02-30"), (7, 3, "别墅")):
        cells = list(estates[index].cells)
        cells[column] = value
        estates[index] = type(estates[index])(**{**estates[index].__dict__, "cells": tuple(cells)})
    return build_street_ledger(tmp_path / "有错误.xlsx", estates), bad_names


def test_errors_block_the_import_unless_only_valid_rows_are_chosen(services: Services, tmp_path: Path) -> None:
    path, bad_names = _bad_ledger(tmp_path)
    plan = services.imports.plan(services.imports.read("estates", path))
    errors = {r.title: r.reason for r in plan.rows if r.status is RowStatus.ERROR}
    assert set(errors) == set(bad_names)
    assert "日期不存在" in errors[bad_names[0]]
    assert "别墅" in errors[bad_names[1]]
    with pytest.raises(UserError, match="2 行不能导入"):
        services.imports.commit(plan)
    assert services.records.count("estates") == 0
    result = services.imports.commit(plan, skip_rejected=True)
    assert result.created == 6
    assert sorted(r.title for r in result.skipped) == sorted(bad_names)


def test_the_error_report_lists_each_skipped_row_and_reimports_once_corrected(
    services: Services, tmp_path: Path
) -> None:
    path, bad_names = _bad_ledger(tmp_path)
    plan = services.imports.plan(services.imports.read("estates", path))
    services.imports.commit(plan, skip_rejected=True)
    report = tmp_path / "错误行.xlsx"
    assert services.imports.write_report(plan, report) == 2
    book = load_workbook(report)
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header[-2:] == ["原行号", "错误原因"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[header.index("小区名称")] for r in rows) == sorted(bad_names)
    # the clerk corrects the two cells and imports the report itself
    for row in sheet.iter_rows(min_row=2):
        # headers keep their group, as in the ledger: "基本情况 / 房屋类型"
        by_header = {str(h).rsplit(" / ", 1)[-1]: cell for h, cell in zip(header, row, strict=False)}
        if by_header["首次交付日期"].value == "2019-02-30":
            by_header["首次交付日期"].value = "2019-02-28"
        if by_header["房屋类型"].value == "别墅":
            by_header["房屋类型"].value = "商品房"
    book.save(report)
    source = services.imports.read("estates", report)
    assert source.default_street_id is None  # the report's sheet is not named after a street …
    with_street = services.imports.plan(source, {**source.mapping})
    assert with_street.problems  # … so the street must come from somewhere
    source = services.imports.read("estates", report.rename(tmp_path / "长征镇错误行.xlsx"))
    corrected = services.imports.plan(source)
    assert corrected.count(RowStatus.NEW) == 2, [r.reason for r in corrected.rows]
    services.imports.commit(corrected)
    assert services.records.count("estates") == 8


def test_a_failure_on_the_last_row_leaves_the_database_untouched(
    services: Services, ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from putuo_community.services import history

    plan = services.imports.plan(services.imports.read("estates", ledger))
    before = {key: services.records.count(key) for key in ("estates", "neighbourhoods", "change_history")}

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(history.ChangeWriter, "created_many", disk_full)
    with pytest.raises(OSError, match="No space"):
        services.imports.commit(plan)
    assert {key: services.records.count(key) for key in before} == before
    assert services.batches.list() == []


def test_a_near_match_waits_for_a_person_and_teaches_an_alias(services: Services, tmp_path: Path) -> None:
    street = services.records.list("streets", filters={"short_name": "长征"})[0]
    existing = services.records.create("estates", {"name": "梅川一村", "street_id": street.id, "households": 300})
    estates = ledger_estates(1)
    cells = list(estates[0].cells)
    cells[0] = "梅川一村（一期）"
    estates[0] = type(estates[0])(**{**estates[0].__dict__, "cells": tuple(cells), "name": "梅川一村（一期）"})
    path = build_street_ledger(tmp_path / "长征.xlsx", estates)
    source = services.imports.read("estates", path)
    plan = services.imports.plan(source)
    (row,) = plan.rows
    assert row.status is RowStatus.CONFIRM
    assert [c.estate_id for c in row.candidates] == [existing]
    assert services.imports.commit(plan, skip_rejected=True).created == 0
    assert services.records.count("estates") == 1  # never merged silently
    confirmed = services.imports.plan(source, confirmations={row.line: existing})
    assert confirmed.rows[0].status is RowStatus.UPDATE
    result = services.imports.commit(confirmed)
    assert result.aliases_added == 1
    estate = services.records.get("estates", existing)
    assert estate.values["name"] == "梅川一村"  # the estate keeps its own name
    assert estate.values["households"] == estates[0].households
    again = services.imports.plan(services.imports.read("estates", path))
    assert again.rows[0].status is RowStatus.UNCHANGED  # the alias now matches exactly


def test_two_rows_for_one_estate_are_an_error_not_a_merge(services: Services, tmp_path: Path) -> None:
    estates = ledger_estates(3)
    estates.append(estates[1])
    plan = services.imports.plan(services.imports.read("estates", build_street_ledger(tmp_path / "长征.xlsx", estates)))
    errors = [r for r in plan.rows if r.status is RowStatus.ERROR]
    assert len(errors) == 1
    assert "同一条记录" in errors[0].reason


def test_an_import_is_undone_as_a_whole(services: Services, ledger: Path) -> None:
    result = services.imports.commit(services.imports.plan(services.imports.read("estates", ledger)))
    assert result.batch_id is not None
    assert services.batches.undo(result.batch_id) == 36 + 4
    assert services.records.count("estates") == 0
    assert services.records.count("neighbourhoods") == 0
    with pytest.raises(UserError, match="撤销过"):
        services.batches.undo(result.batch_id)


def test_undo_is_refused_when_later_work_depends_on_the_batch(services: Services, ledger: Path) -> None:
    result = services.imports.commit(services.imports.plan(services.imports.read("estates", ledger)))
    assert result.batch_id is not None
    estate = services.records.list("estates")[0]
    services.records.create("buildings", {"estate_id": estate.id, "number": "1号"})
    with pytest.raises(UserError, match="不能整批撤销"):
        services.batches.undo(result.batch_id)
    assert services.records.count("estates") == 36


def test_undo_of_an_update_restores_the_old_values(services: Services, tmp_path: Path) -> None:
    estates = ledger_estates(3)
    services.imports.commit(
        services.imports.plan(services.imports.read("estates", build_street_ledger(tmp_path / "a.xlsx", estates)))
    )
    cells = list(estates[0].cells)
    cells[6], cells[11] = 999, "2001-01-01"
    estates[0] = type(estates[0])(**{**estates[0].__dict__, "cells": tuple(cells)})
    plan = services.imports.plan(services.imports.read("estates", build_street_ledger(tmp_path / "b.xlsx", estates)))
    result = services.imports.commit(plan)
    assert result.updated == 1
    assert result.batch_id is not None
    services.batches.undo(result.batch_id)
    restored = _estates_by_name(services)[estates[0].name]
    assert restored["households"] == ledger_estates(3)[0].households
    assert restored["first_delivery_on"] == ledger_estates(3)[0].first_delivery_on


def test_buildings_find_their_estate_by_name_and_street(services: Services, tmp_path: Path) -> None:
    streets = {r.values["short_name"]: r.id for r in services.records.list("streets")}
    services.records.create("estates", {"name": "真如新村", "street_id": streets["真如"]})
    services.records.create("estates", {"name": "真如新村", "street_id": streets["长征"]})
    path = simple_sheet(
        tmp_path / "楼栋.xlsx",
        ["街镇", "小区名称", "楼号", "层数", "户数"],
        [
            ["真如", "真如新村", "12号楼", "６", "24户"],
            ["长征镇", "真如新村", "3", 5, 20],
            [None, "真如新村", "4号", 5, 20],
            ["真如", "金沙新村", "1号", 6, 24],
        ],
    )
    plan = services.imports.plan(services.imports.read("buildings", path))
    statuses = [(r.status, r.reason) for r in plan.rows]
    assert statuses[0][0] is RowStatus.NEW
    assert statuses[1][0] is RowStatus.NEW
    assert statuses[2][0] is RowStatus.ERROR
    assert "都有名为“真如新村”的小区" in statuses[2][1]
    assert statuses[3][0] is RowStatus.ERROR
    assert "没有名为“金沙新村”的小区" in statuses[3][1]
    services.imports.commit(plan, skip_rejected=True)
    buildings = services.records.list("buildings")
    assert sorted((b.display("estate_id"), b.values["number"], b.values["floors"]) for b in buildings) == [
        ("真如新村", "12号楼", 6),
        ("真如新村", "3", 5),
    ]


def test_companies_with_a_wrong_credit_code_are_refused(services: Services, tmp_path: Path) -> None:
    path = simple_sheet(
        tmp_path / "企业.xlsx",
        ["企业名称", "统一社会信用代码", "法定代表人", "成立日期"],
        [["上海梅川物业管理有限公司", "91310107MA1G8TK3X0", "李强", "2015年3月"]],
    )
    plan = services.imports.plan(services.imports.read("companies", path))
    assert plan.rows[0].status is RowStatus.ERROR
    assert "统一社会信用代码" in plan.rows[0].reason


def test_a_required_column_missing_is_a_file_problem(services: Services, tmp_path: Path) -> None:
    path = simple_sheet(tmp_path / "小区台账.xlsx", ["小区名称", "户数"], [["梅川一村", 300]], title="Sheet1")
    plan = services.imports.plan(services.imports.read("estates", path))
    assert plan.problems
    assert "街镇" in plan.problems[0]
    with pytest.raises(UserError, match="街镇"):
        services.imports.commit(plan)


def test_a_chosen_mapping_is_remembered_for_files_of_the_same_shape(
    database: object, tmp_path: Path, ledger: Path
) -> None:
    from putuo_community.storage.database import Database

    assert isinstance(database, Database)
    services = Services.build(database, mapping_file=tmp_path / "mappings.json")
    source = services.imports.read("estates", ledger)
    assert not source.remembered
    chosen = {index: key for index, key in source.mapping.items() if key != "address"}
    services.imports.remember_mapping(source, chosen)
    again = services.imports.read("estates", ledger)
    assert again.remembered
    assert again.mapping == chosen
    assert MappingStore(tmp_path / "mappings.json").get("estates", source.signature) == chosen


def test_funds_import_with_money_in_wan_yuan(services: Services, tmp_path: Path) -> None:
    street = services.records.list("streets", filters={"short_name": "宜川"})[0]
    services.records.create("estates", {"name": "宜川一村", "street_id": street.id})
    path = simple_sheet(
        tmp_path / "宜川维修资金.xlsx",
        ["小区名称", "截至日期", "首期归集金额（元）", "账面余额（元）"],
        [["宜川一村", "2025年6月30日", "120万元", "356,000.50"]],
    )
    plan = services.imports.plan(services.imports.read("funds", path))
    assert plan.rows[0].status is RowStatus.NEW, plan.rows[0].reason
    services.imports.commit(plan)
    fund = services.records.list("funds")[0]
    assert fund.values["initial_amount"] == Decimal("1200000.00")
    assert fund.values["balance"] == Decimal("356000.50")
    assert fund.values["as_of"] == date(2025, 6, 30)
