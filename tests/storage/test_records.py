"""The record service on a real SQLite file: validation, duplicates, locking, history, deletes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from putuo_community.domain.errors import (
    ConcurrentEdit,
    DuplicateRecord,
    RecordInUse,
    RecordNotFound,
    ValidationFailed,
)
from putuo_community.services import Services


@pytest.fixture
def street_ids(services: Services) -> dict[str, int]:
    return {r.values["short_name"]: r.id for r in services.records.list("streets")}


def _estate(services: Services, street_id: int, name: str = "兰溪路小区", **extra: object) -> int:
    return services.records.create("estates", {"name": name, "street_id": street_id, **extra})


def test_create_then_read_back_with_the_street_title(services: Services, street_ids: dict[str, int]) -> None:
    estate_id = _estate(services, street_ids["长风"], housing_type="商品房", households=812, has_assembly=True)
    estate = services.records.get("estates", estate_id)
    assert estate.version == 1
    assert estate.values["households"] == 812
    assert estate.display("street_id") == "长风新村街道"
    assert estate.display("has_assembly") == "是"
    assert estate.title == "兰溪路小区"


def test_invalid_values_are_reported_per_field_and_nothing_is_written(
    services: Services, street_ids: dict[str, int]
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.records.create(
            "estates", {"name": "", "street_id": street_ids["万里"], "housing_type": "别墅", "completion_year": 1850}
        )
    report = caught.value.report
    assert {p.field for p in report.errors} == {"name", "housing_type", "completion_year"}
    assert "必填" in report.for_field("name")[0].message
    assert "不是可选值" in report.for_field("housing_type")[0].message
    assert services.records.count("estates") == 0
    assert services.records.count("change_history") == 0


def test_a_wrong_credit_code_is_refused_with_the_reason(services: Services) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.records.create("companies", {"name": "上海普陀物业管理有限公司", "credit_code": "91310107MA1G8TK3X0"})
    assert caught.value.report.for_field("credit_code")


def test_a_term_longer_than_five_years_is_refused(services: Services, street_ids: dict[str, int]) -> None:
    estate_id = _estate(services, street_ids["甘泉"])
    with pytest.raises(ValidationFailed) as caught:
        services.records.create(
            "committee_terms",
            {"estate_id": estate_id, "term_no": 1, "start_on": date(2020, 1, 1), "end_on": date(2025, 1, 2)},
        )
    assert caught.value.report.for_field("end_on")


def test_the_same_estate_twice_in_one_street_is_a_duplicate_but_not_in_another(
    services: Services, street_ids: dict[str, int]
) -> None:
    _estate(services, street_ids["长征"], "梅川一街坊")
    with pytest.raises(DuplicateRecord, match="梅川一街坊"):
        _estate(services, street_ids["长征"], "梅川一街坊")
    _estate(services, street_ids["桃浦"], "梅川一街坊")
    assert services.records.count("estates") == 2


def test_a_unique_field_cannot_be_reused(services: Services, street_ids: dict[str, int]) -> None:
    _estate(services, street_ids["宜川"], "宜川一村", code="PT-YC-0001")
    with pytest.raises(DuplicateRecord, match="PT-YC-0001"):
        _estate(services, street_ids["宜川"], "宜川二村", code="PT-YC-0001")


def test_two_clerks_editing_one_record_cannot_overwrite_each_other(
    services: Services, street_ids: dict[str, int]
) -> None:
    estate_id = _estate(services, street_ids["曹杨"], "曹杨五村")
    seen_by_both = services.records.get("estates", estate_id).version
    services.records.update("estates", estate_id, {"households": 640}, expected_version=seen_by_both)
    with pytest.raises(ConcurrentEdit, match="已被他人修改"):
        services.records.update("estates", estate_id, {"households": 999}, expected_version=seen_by_both)
    estate = services.records.get("estates", estate_id)
    assert estate.values["households"] == 640
    assert estate.version == 2


def test_every_change_is_in_the_history_with_old_and_new_values(services: Services, street_ids: dict[str, int]) -> None:
    estate_id = _estate(services, street_ids["真如"], "真如二村", households=500)
    services.records.update("estates", estate_id, {"households": 520, "fee": Decimal("0.68")}, expected_version=1)
    changes = services.history.for_estate(estate_id)
    assert [c.action for c in changes] == ["修改", "修改", "新增"]
    by_field = {c.field_label: (c.old_value, c.new_value) for c in changes if c.action == "修改"}
    assert by_field == {"户数": ("500", "520"), "物业费": ("", "0.68")}
    created = changes[-1].new_value  # in labels and titles, never keys, ids or JSON
    assert "小区名称：真如二村" in created
    assert "街镇：真如镇" in created
    assert "户数：500" in created
    assert "{" not in created
    assert all(c.user == "测试员" for c in changes)


def test_changes_to_a_building_land_in_its_estates_history(services: Services, street_ids: dict[str, int]) -> None:
    estate_id = _estate(services, street_ids["石泉"], "石泉三村")
    building_id = services.records.create("buildings", {"estate_id": estate_id, "number": "7号"})
    services.records.create("units", {"building_id": building_id, "number": "2单元", "households": 12})
    registers = [c.register_label for c in services.history.for_estate(estate_id)]
    assert registers == ["单元", "楼栋", "小区"]


def test_an_estate_is_deleted_only_once_nothing_hangs_on_it_and_the_history_keeps_its_values(
    services: Services, street_ids: dict[str, int]
) -> None:
    estate_id = _estate(services, street_ids["长寿"], "长寿新村")
    building_id = services.records.create("buildings", {"estate_id": estate_id, "number": "1号"})
    with pytest.raises(RecordInUse) as refused:
        services.records.delete("estates", estate_id, expected_version=1)
    assert "1 幢楼栋（1号）" in refused.value.message  # the database never cascades behind the clerk's back
    assert services.records.count("buildings") == 1
    services.records.delete("buildings", building_id, expected_version=1)
    services.records.delete("estates", estate_id, expected_version=1)
    with pytest.raises(RecordNotFound):
        services.records.get("estates", estate_id)
    deleted = services.history.for_estate(estate_id)[0]
    assert deleted.action == "删除"
    assert deleted.old_value.startswith("小区名称：长寿新村；街镇：长寿路街道")


def test_a_company_with_contracts_cannot_be_deleted(services: Services, street_ids: dict[str, int]) -> None:
    estate_id = _estate(services, street_ids["万里"], "万里城一街坊")
    company_id = services.records.create("companies", {"name": "上海万里物业管理有限公司"})
    services.records.create(
        "contracts",
        {"estate_id": estate_id, "company_id": company_id, "kind": "物业服务", "start_on": date(2024, 1, 1)},
    )
    with pytest.raises(RecordInUse, match="不能删除"):
        services.records.delete("companies", company_id, expected_version=1)
    assert services.records.count("companies") == 1
    assert services.records.count("change_history") == 3  # the refused delete left no trace


def test_filters_and_search(services: Services, street_ids: dict[str, int]) -> None:
    _estate(services, street_ids["长风"], "长风一村", address="大渡河路1000弄")
    _estate(services, street_ids["长风"], "中环家园")
    _estate(services, street_ids["桃浦"], "桃浦新村")
    in_changfeng = services.records.list("estates", filters={"street_id": street_ids["长风"]})
    assert sorted(e.title for e in in_changfeng) == ["中环家园", "长风一村"]
    assert [e.title for e in services.records.list("estates", search="大渡河")] == ["长风一村"]
    assert [e.title for e in services.records.list("estates", search="新村 桃浦")] == ["桃浦新村"]
    assert services.records.list("estates", search="100%") == []


def test_an_update_is_checked_against_the_stored_values_it_leaves_alone(
    services: Services, street_ids: dict[str, int]
) -> None:
    estate_id = _estate(services, street_ids["万里"], "万里城")
    term = services.records.create(
        "committee_terms",
        {"estate_id": estate_id, "term_no": 1, "start_on": date(2024, 1, 1), "end_on": date(2028, 12, 31)},
    )
    with pytest.raises(ValidationFailed) as refused:
        services.records.update("committee_terms", term, {"end_on": date(2023, 6, 30)}, expected_version=1)
    assert refused.value.report.for_field("end_on")
    assert services.records.get("committee_terms", term).values["end_on"] == date(2028, 12, 31)
