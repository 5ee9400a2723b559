"""The remaining import kinds, each with the spellings its register really has, and the template round trip."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from putuo_community.services import Services
from putuo_community.services.importing import RowStatus
from putuo_community.services.templates import write_import_template

CREDIT_CODE = "91310107MA1G8K2P9Y"


def _sheet(path: Path, header: list[str], rows: list[list[object]], *, title: str = "") -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _import(services: Services, kind: str, path: Path) -> list[RowStatus]:
    plan = services.imports.plan(services.imports.read(kind, path))
    statuses = [r.status for r in plan.rows]
    if RowStatus.ERROR not in statuses:
        services.imports.commit(plan)
    return statuses


def _twice(services: Services, kind: str, path: Path, expected: int) -> None:
    """New the first time; the same file again changes nothing."""
    assert _import(services, kind, path) == [RowStatus.NEW] * expected
    assert _import(services, kind, path) == [RowStatus.UNCHANGED] * expected


@pytest.fixture
def estate(services: Services) -> int:
    street = services.records.list("streets", filters={"short_name": "宜川"})[0]
    estate_id = services.records.create("estates", {"name": "宜川一村", "street_id": street.id})
    services.records.create("buildings", {"estate_id": estate_id, "number": "5号"})
    return estate_id


@pytest.fixture
def company(services: Services) -> int:
    return services.records.create("companies", {"name": "上海普陀物业管理有限公司", "credit_code": CREDIT_CODE})


def test_committee_terms_with_dotted_dates(services: Services, estate: int, tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "宜川路街道业委会.xlsx",
        ["小区名称", "届次", "产生方式", "选举日期", "任期开始", "任期届满", "委员人数"],
        [["宜川一村", "３", "换届", "2023.4.20", "2023年5月1日", "2028.4.30", "7人"]],
        title="宜川路街道业委会届次台账",
    )
    _twice(services, "committees", path, 1)
    term = services.records.list("committee_terms")[0]
    assert term.values["term_no"] == 3
    assert term.values["start_on"] == date(2023, 5, 1)
    assert term.values["end_on"] == date(2028, 4, 30)
    assert term.values["seats"] == 7


def test_managers_belong_to_a_company_named_by_name(services: Services, company: int, tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "项目经理.xlsx",
        ["所属企业", "姓名", "联系电话", "证书编号"],
        [
            ["上海普陀物业管理有限公司", "陈立新", "13611112222", "沪物经2019-0012"],
            ["不存在的物业公司", "周敏", "13733334444", None],
        ],
    )
    plan = services.imports.plan(services.imports.read("managers", path))
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.ERROR]
    assert "尚未登记" in plan.rows[1].reason
    services.imports.commit(plan, skip_rejected=True)
    manager = services.records.list("managers")[0]
    assert manager.values["company_id"] == company
    assert manager.values["certificate_no"] == "沪物经2019-0012"


def test_contracts_name_estate_and_company(services: Services, estate: int, company: int, tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "合同.xlsx",
        ["小区名称", "物业服务企业", "合同类型", "计费方式", "开始日期", "结束日期", "物业费（元/㎡·月）"],
        [["宜川一村", CREDIT_CODE, "物业服务", "包干", "2024/1/1", "2026.12.31", "1.80元"]],
    )
    _twice(services, "contracts", path, 1)
    contract = services.records.list("contracts")[0]
    assert contract.values["company_id"] == company
    assert contract.values["estate_id"] == estate
    assert contract.values["pricing"] == "包干制"
    assert contract.values["fee"] == Decimal("1.80")


def test_credit_events_read_band_synonyms(services: Services, company: int, tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "信用记分.xlsx",
        ["记分对象", "物业服务企业", "情形", "分值", "行为发生日期", "记分日期", "行为描述", "信息来源"],
        [
            [
                "公司",
                "上海普陀物业管理有限公司",
                "较严重失信",
                "6分",
                "2026.3.2",
                "2026-04-10",
                "消防通道堆物未整改",
                "巡查",
            ],
            [
                "物业企业",
                "上海普陀物业管理有限公司",
                "轻微失信",
                3,
                "2026年5月6日",
                "2026/5/20",
                "公共部位保洁不到位",
                "投诉",
            ],
        ],
    )
    _twice(services, "credit-events", path, 2)
    events = sorted(services.records.list("credit_events"), key=lambda r: r.values["points"])
    assert [e.values["band"] for e in events] == ["轻微", "较严重"]
    assert [e.values["subject"] for e in events] == ["企业", "企业"]
    assert events[1].values["act_on"] == date(2026, 3, 2)


def test_projects_convert_units_in_cells(services: Services, estate: int, tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "修缮项目.xlsx",
        ["小区名称", "项目名称", "项目类型", "批次年份", "建筑面积（㎡）", "预算（万元）", "阶段"],
        [["宜川一村", "宜川一村综合修缮", "综合修缮", "2024年", "1.25万㎡", "1,280", "施工"]],
    )
    _twice(services, "projects", path, 1)
    project = services.records.list("projects")[0]
    assert project.values["floor_area"] == Decimal("12500.00")
    assert project.values["budget"] == Decimal("1280.00")
    assert project.values["batch_year"] == 2024


def test_lift_projects_find_their_building(services: Services, estate: int, tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "加装电梯.xlsx",
        ["小区名称", "楼栋", "阶段", "单元户数", "同意人数"],
        [["宜川一村", "5号楼", "意见征询", "１２", 10]],
    )
    _twice(services, "lift-projects", path, 1)
    project = services.records.list("lift_projects")[0]
    assert project.display("building_id") == "5号"
    assert project.values["stage"] == "意愿征询"
    assert project.values["households"] == 12


def test_a_filled_in_template_imports_and_reimports_unchanged(
    services: Services, estate: int, company: int, tmp_path: Path
) -> None:
    path = write_import_template("contracts", tmp_path / "合同模板.xlsx")
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    columns = {str(c.value).rstrip("*"): c.column for c in sheet[1]}
    common = {"街镇": "宜川路街道", "小区": "宜川一村", "物业服务企业": "上海普陀物业管理有限公司"}
    rows = [
        common
        | {
            "合同类型": "物业服务",
            "开始日期": date(2024, 1, 1),
            "结束日期": date(2026, 12, 31),
            "物业费（元/㎡·月）": 1.8,
        },
        common
        | {
            "合同类型": "前期物业服务",
            "开始日期": date(2020, 1, 1),
            "结束日期": date(2023, 12, 31),
            "计费方式": "酬金制",
        },
    ]
    for number, values in enumerate(rows, start=2):
        for header, value in values.items():
            sheet.cell(row=number, column=columns[header], value=value)
    book.save(path)
    _twice(services, "contracts", path, 2)
    assert {c.values["kind"] for c in services.records.list("contracts")} == {"物业服务", "前期物业服务"}
