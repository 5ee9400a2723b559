"""The lookup service on a real SQLite file: what reference pickers offer, and what refers to a record."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from putuo_community.domain.errors import RecordNotFound
from putuo_community.domain.registers import REGISTERS, get_register
from putuo_community.services import Services
from putuo_community.services.lookups import ref_context_keys

CREDIT_CODE = "91310107MA1G1C8Q5W"


def _street(services: Services, short_name: str) -> int:
    return next(s.id for s in services.records.list("streets") if s.values["short_name"] == short_name)


@pytest.fixture
def place(services: Services) -> dict[str, int]:
    """Two estates in two 街镇, buildings, units, a company with a manager, a term, lifts."""
    rec = services.records
    caoyang, wanli = _street(services, "曹杨"), _street(services, "万里")
    ids: dict[str, int] = {}
    ids["company"] = rec.create("companies", {"name": "上海曹杨物业管理有限公司", "credit_code": CREDIT_CODE})
    ids["other_company"] = rec.create("companies", {"name": "上海万里物业有限公司"})
    ids["manager"] = rec.create("managers", {"company_id": ids["company"], "name": "李卫东"})
    ids["other_manager"] = rec.create("managers", {"company_id": ids["other_company"], "name": "张敏"})
    ids["caoyang"] = rec.create("estates", {"name": "曹杨新村", "street_id": caoyang, "code": "PT0101"})
    ids["wanli"] = rec.create("estates", {"name": "万里城", "street_id": wanli, "code": "PT0801"})
    rec.create("estate_aliases", {"estate_id": ids["caoyang"], "alias": "曹杨一村"})
    ids["lanxi"] = rec.create("neighbourhoods", {"street_id": caoyang, "name": "兰溪路第一居委会"})
    ids["wanli_nb"] = rec.create("neighbourhoods", {"street_id": wanli, "name": "万里第一居委会"})
    for number in ("2号楼", "3号楼", "10号楼"):
        ids[number] = rec.create("buildings", {"estate_id": ids["caoyang"], "number": number})
    ids["万里3号楼"] = rec.create("buildings", {"estate_id": ids["wanli"], "number": "3号楼"})
    ids["3号楼1单元"] = rec.create("units", {"building_id": ids["3号楼"], "number": "1单元"})
    ids["2号楼1单元"] = rec.create("units", {"building_id": ids["2号楼"], "number": "1单元"})
    ids["万里1单元"] = rec.create("units", {"building_id": ids["万里3号楼"], "number": "1单元"})
    ids["term"] = rec.create(
        "committee_terms",
        {"estate_id": ids["caoyang"], "term_no": 3, "start_on": date(2019, 5, 1), "end_on": date(2024, 4, 30)},
    )
    return ids


def _labels(options: list[Any]) -> list[str]:
    return [o.label for o in options]


def test_a_company_is_found_by_name_or_by_its_credit_code_in_either_case(
    services: Services, place: dict[str, int]
) -> None:
    lookups = services.lookups
    by_name = lookups.ref_options("estates", "company_id", text="曹杨物业")
    assert [o.id for o in by_name] == [place["company"]]
    assert by_name[0].detail == CREDIT_CODE
    by_code = lookups.ref_options("estates", "company_id", text=CREDIT_CODE.lower())
    assert [(o.id, o.exact) for o in by_code] == [(place["company"], True)]
    partial = lookups.ref_options("contracts", "company_id", text="ma1g1c")
    assert [(o.id, o.exact) for o in partial] == [(place["company"], False)]


def test_buildings_are_those_of_the_estate_in_number_order(services: Services, place: dict[str, int]) -> None:
    options = services.lookups.ref_options("lifts", "building_id", context={"estate_id": place["caoyang"]})
    assert _labels(options) == ["2号楼", "3号楼", "10号楼"]
    assert {o.detail for o in options} == {"曹杨新村"}
    everywhere = services.lookups.ref_options("lifts", "building_id", text="3号楼")
    assert sorted(o.detail for o in everywhere) == ["万里城", "曹杨新村"]
    assert all(o.exact for o in everywhere)


def test_units_follow_the_building_or_else_the_estate(services: Services, place: dict[str, int]) -> None:
    lookups = services.lookups
    of_building = lookups.ref_options("lifts", "unit_id", context={"building_id": place["3号楼"]})
    assert [o.id for o in of_building] == [place["3号楼1单元"]]
    assert of_building[0].detail == "曹杨新村 · 3号楼"
    # No building chosen yet: the estate's units; a chosen building wins over the estate.
    of_estate = lookups.ref_options("lifts", "unit_id", context={"estate_id": place["caoyang"], "building_id": None})
    assert {o.id for o in of_estate} == {place["3号楼1单元"], place["2号楼1单元"]}
    both = lookups.ref_options(
        "lift_projects", "unit_id", context={"estate_id": place["caoyang"], "building_id": place["2号楼"]}
    )
    assert [o.id for o in both] == [place["2号楼1单元"]]


def test_neighbourhoods_follow_the_street_and_managers_the_company_when_given(
    services: Services, place: dict[str, int]
) -> None:
    lookups = services.lookups
    caoyang = _street(services, "曹杨")
    assert _labels(lookups.ref_options("estates", "neighbourhood_id", context={"street_id": caoyang})) == [
        "兰溪路第一居委会"
    ]
    assert _labels(lookups.ref_options("estates", "manager_id", context={"company_id": place["company"]})) == ["李卫东"]
    assert len(lookups.ref_options("estates", "manager_id", context={"company_id": None})) == 2


def test_estates_match_name_code_or_alias(services: Services, place: dict[str, int]) -> None:
    lookups = services.lookups
    for text in ("曹杨", "pt0101", "曹杨一村"):
        assert [o.id for o in lookups.ref_options("lifts", "estate_id", text=text)] == [place["caoyang"]], text
    by_alias = lookups.ref_options("buildings", "estate_id", text="曹杨一村")
    assert by_alias[0].exact
    assert by_alias[0].detail == "曹杨新村街道 · PT0101"


def test_terms_read_as_clerks_name_them(services: Services, place: dict[str, int]) -> None:
    lookups = services.lookups
    options = lookups.ref_options("committee_activities", "term_id", context={"estate_id": place["caoyang"]})
    assert _labels(options) == ["第3届"]
    assert options[0].detail == "曹杨新村 · 2019-05-01 至 2024-04-30"
    assert lookups.ref_options("committee_activities", "term_id", text="第三届")[0].exact
    assert lookups.ref_options("committee_activities", "term_id", context={"estate_id": place["wanli"]}) == []


def test_label_of_names_the_record_and_a_missing_one_is_a_user_error(services: Services, place: dict[str, int]) -> None:
    assert services.lookups.label_of("lifts", "building_id", place["10号楼"]) == "10号楼"
    assert services.lookups.label_of("committee_members", "term_id", place["term"]) == "第3届"
    with pytest.raises(RecordNotFound):
        services.lookups.label_of("lifts", "building_id", 999_999)
    with pytest.raises(ValueError, match="not a reference"):
        services.lookups.ref_options("lifts", "make")


def test_search_words_are_literal_text(services: Services, place: dict[str, int]) -> None:
    assert services.lookups.ref_options("estates", "company_id", text="%") == []
    assert services.lookups.ref_options("estates", "company_id", text="_") == []


def test_context_keys_come_from_the_declarations() -> None:
    lifts, estates = get_register("lifts"), get_register("estates")
    assert ref_context_keys(lifts, lifts.field("unit_id")) == ("building_id", "estate_id")
    assert ref_context_keys(lifts, lifts.field("building_id")) == ("estate_id",)
    assert ref_context_keys(lifts, lifts.field("estate_id")) == ()
    assert ref_context_keys(estates, estates.field("neighbourhood_id")) == ("street_id",)
    assert ref_context_keys(estates, estates.field("manager_id")) == ("company_id",)
    fees = get_register("fee_adjustments")
    assert ref_context_keys(fees, fees.field("contract_id")) == ()


def test_dependants_count_each_referring_register_with_one_query_each(
    services: Services, place: dict[str, int]
) -> None:
    rec = services.records
    building = place["3号楼"]
    for code in ("31101001", "31101002"):
        rec.create(
            "lifts",
            {
                "estate_id": place["caoyang"],
                "building_id": building,
                "registration_code": code,
                "first_use_on": date(2005, 6, 1),
            },
        )
    rec.create("lift_projects", {"estate_id": place["caoyang"], "building_id": building, "stage": "方案"})

    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    engine = services.database.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        found = services.records.dependants("buildings", building)
    finally:
        event.remove(engine, "before_cursor_execute", count)

    referring = [(r.key, f.key) for r in REGISTERS.values() for f in r.ref_fields if f.ref == "buildings"]
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == len(referring)
    assert [d.counted for d in found] == ["1 个单元", "2 台电梯", "1 个加装电梯项目"]
    assert found[1].examples == ("31101001", "31101002")
    assert services.records.dependants("buildings", place["10号楼"]) == ()
