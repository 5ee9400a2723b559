"""Kinds whose references reach through other records: lifts (楼栋, 单元) and members (届次 of an estate)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from ledger_builder import simple_sheet

from putuo_community.services import Services
from putuo_community.services.importing import RowStatus


@pytest.fixture
def estate(services: Services) -> int:
    street = services.records.list("streets", filters={"short_name": "甘泉"})[0]
    estate_id = services.records.create("estates", {"name": "甘泉一村", "street_id": street.id})
    building = services.records.create("buildings", {"estate_id": estate_id, "number": "12号"})
    services.records.create("units", {"building_id": building, "number": "2单元"})
    services.records.create(
        "committee_terms",
        {"estate_id": estate_id, "term_no": 4, "start_on": date(2023, 5, 1), "end_on": date(2028, 4, 30)},
    )
    return estate_id


def test_lifts_find_their_building_and_unit_within_the_estate(services: Services, estate: int, tmp_path: Path) -> None:
    path = simple_sheet(
        tmp_path / "甘泉路街道电梯台账.xlsx",
        ["小区名称", "楼栋", "单元", "注册代码", "投用日期", "远程监测", "风险类别"],
        [
            ["甘泉一村", "12号楼", "2", "31103101072005060001", "2005.6.1", "有", "II类"],
            ["甘泉一村", "12", None, "31103101072005060002", "2005年6月1日", "无", "无"],
            ["甘泉一村", "13号", None, "31103101072005060003", "2005-06-01", "是", None],
        ],
    )
    plan = services.imports.plan(services.imports.read("lifts", path))
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.NEW, RowStatus.ERROR]
    assert "没有“13号”" in plan.rows[2].reason
    services.imports.commit(plan, skip_rejected=True)
    lifts = {r.values["registration_code"]: r for r in services.records.list("lifts")}
    first = lifts["31103101072005060001"]
    assert first.display("building_id") == "12号"
    assert first.display("unit_id") == "2单元"
    assert first.values["first_use_on"] == date(2005, 6, 1)
    assert first.values["remote_monitoring"] is True
    assert first.values["risk_class"] == "Ⅱ类"
    assert lifts["31103101072005060002"].values["unit_id"] is None
    assert all(lift.values["estate_id"] == estate for lift in lifts.values())


def test_committee_members_find_their_term_through_the_estate(services: Services, estate: int, tmp_path: Path) -> None:
    path = simple_sheet(
        tmp_path / "甘泉路街道业委会成员.xlsx",
        ["小区名称", "届次", "姓名", "职务", "联系电话"],
        [
            ["甘泉一村", "第4届", "王建国", "业委会主任", "13812345678"],
            ["甘泉一村", 4, "李秀英", "委员", "13900001111"],
            ["甘泉一村", "第5届", "张伟", "委员", None],
        ],
    )
    plan = services.imports.plan(services.imports.read("committee-members", path))
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.NEW, RowStatus.ERROR]
    assert "没有第5届" in plan.rows[2].reason
    result = services.imports.commit(plan, skip_rejected=True)
    assert result.created == 2
    members = {m.values["name"]: m for m in services.records.list("committee_members")}
    assert members["王建国"].values["role"] == "主任"
    assert members["王建国"].display("term_id") == "4"
    # the members' creation lands in the estate's dossier history
    assert [c.record_title for c in services.history.for_estate(estate)][:2] == ["李秀英", "王建国"]
