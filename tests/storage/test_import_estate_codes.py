"""Estates a name alone cannot tell apart: two of one 街镇 spelt alike (a space, the case), a
name that is another estate's alias. Ledgers carry each estate's 小区编码 and the importer tries it first, so
they re-import unchanged; a sheet without codes is told to add them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from ledger_builder import simple_sheet

from putuo_community.domain.errors import UserError
from putuo_community.services import Services
from putuo_community.services.importing import RowStatus

TODAY = date(2026, 11, 29)


@pytest.fixture
def look_alikes(services: Services) -> dict[str, int]:
    streets = {r.values["short_name"]: r.id for r in services.records.list("streets")}
    caoyang = streets["曹杨"]
    estates = {
        # Registered apart (the spellings differ), read as one name (spaces do not count).
        "兰溪新村二期": services.records.create(
            "estates", {"code": "PT-CY-0001", "name": "兰溪新村二期", "street_id": caoyang}
        ),
        "兰溪新村 二期": services.records.create(
            "estates", {"code": "PT-CY-0002", "name": "兰溪新村 二期", "street_id": caoyang}
        ),
        "ABC小区": services.records.create("estates", {"code": "PT-CY-0003", "name": "ABC小区", "street_id": caoyang}),
        "abc小区": services.records.create("estates", {"code": "PT-CY-0004", "name": "abc小区", "street_id": caoyang}),
        "枣阳新村": services.records.create(
            "estates", {"code": "PT-CY-0005", "name": "枣阳新村", "street_id": caoyang}
        ),
        "枣阳小区": services.records.create(
            "estates", {"code": "PT-CY-0006", "name": "枣阳小区", "street_id": caoyang}
        ),
    }
    # The one's old name is the other's name: a name alone finds both.
    services.records.create("estate_aliases", {"estate_id": estates["枣阳小区"], "alias": "枣阳新村"})
    for estate_id in estates.values():
        services.records.create("buildings", {"estate_id": estate_id, "number": "1号", "floors": 6})
        lift = {
            "estate_id": estate_id,
            "registration_code": f"3110310{estate_id:013d}",
            "first_use_on": date(2001, 5, 1),
        }
        services.records.create("lifts", lift)
    return estates


@pytest.mark.parametrize("kind", ["estates", "buildings", "lifts"])
def test_ledgers_of_look_alike_estates_reimport_unchanged(
    services: Services, look_alikes: dict[str, int], kind: str, tmp_path: Path
) -> None:
    path = tmp_path / f"{kind}.xlsx"
    services.ledgers.export(kind, path, today=TODAY)
    plan = services.imports.plan(services.imports.read(kind, path))
    assert [(r.status, r.reason) for r in plan.rows if r.status is not RowStatus.UNCHANGED] == []
    assert plan.count(RowStatus.UNCHANGED) == len(look_alikes)


def test_without_codes_the_shared_name_is_refused_and_the_code_asked_for(
    services: Services, look_alikes: dict[str, int], tmp_path: Path
) -> None:
    path = simple_sheet(tmp_path / "楼栋.xlsx", ["街镇", "小区名称", "楼号"], [["曹杨", "兰溪新村二期", "2号"]])
    row = services.imports.plan(services.imports.read("buildings", path)).rows[0]
    assert row.status is RowStatus.ERROR
    assert row.reason == "小区：曹杨新村街道有 2 个名为“兰溪新村二期”的小区，请增加“小区编码”列以区分"


def test_the_code_decides_and_a_differing_name_is_pointed_out(
    services: Services, look_alikes: dict[str, int], tmp_path: Path
) -> None:
    path = simple_sheet(
        tmp_path / "楼栋.xlsx",
        ["街镇", "小区编码", "小区名称", "楼号"],
        [
            ["曹杨", "PT-CY-0002", "兰溪新村二期", "2号"],  # the second of the two
            ["曹杨", "pt-cy-0004", "ABC小区", "3号"],  # a code typed in lower case; the name in another case
            ["曹杨", "PT-CY-0004", "枣阳新村", "4号"],  # the name of another estate
            ["曹杨", "PT-CY-9999", "枣阳小区", "2号"],  # an unknown code: the name still finds it
            ["长征", "PT-CY-0001", "兰溪新村二期", "2号"],  # the code is of another 街镇
        ],
    )
    plan = services.imports.plan(services.imports.read("buildings", path))
    first, second, other_name, third, fourth = plan.rows
    assert (first.status, first.values["estate_id"], first.warnings) == (
        RowStatus.NEW,
        look_alikes["兰溪新村 二期"],
        (),
    )
    assert (second.status, second.values["estate_id"], second.warnings) == (RowStatus.NEW, look_alikes["abc小区"], ())
    assert (other_name.status, other_name.values["estate_id"]) == (RowStatus.NEW, look_alikes["abc小区"])
    assert other_name.warnings == ("小区编码“PT-CY-0004”是“abc小区”，与本行的小区名称“枣阳新村”不同，已按编码导入",)
    assert (third.status, third.values["estate_id"]) == (RowStatus.NEW, look_alikes["枣阳小区"])
    assert third.warnings == ("小区编码“PT-CY-9999”尚未登记，已按小区名称查找",)
    assert fourth.status is RowStatus.ERROR
    assert fourth.reason == "小区：小区编码“PT-CY-0001”是曹杨新村街道的“兰溪新村二期”，与本行的街镇不符"


def test_two_companies_under_one_credit_code_in_one_file_are_refused_before_anything_is_written(
    services: Services, tmp_path: Path
) -> None:
    path = simple_sheet(
        tmp_path / "企业.xlsx",
        ["企业名称", "统一社会信用代码", "法定代表人"],
        [
            ["上海普陀物业管理有限公司", "91310107MA1G1C8Q5W", "王建国"],
            # the same code, spelt otherwise
            ["上海普陀物业服务有限公司", "９１３１０１０７ｍａ１ｇ１ｃ８ｑ５ｗ", "李强"],
        ],
    )
    plan = services.imports.plan(services.imports.read("companies", path))
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.ERROR]
    assert plan.rows[1].reason == "统一社会信用代码与第2行相同，一个代码只能对应一家企业"
    services.imports.commit(plan, skip_rejected=True)
    assert [c.values["name"] for c in services.records.list("companies")] == ["上海普陀物业管理有限公司"]


def test_a_plan_overtaken_by_another_import_is_refused_plainly_and_writes_nothing(
    services: Services, tmp_path: Path
) -> None:
    path = simple_sheet(
        tmp_path / "小区.xlsx", ["街镇", "小区名称", "户数"], [["曹杨", "兰溪青年公寓", 640], ["曹杨", "兰溪二村", 300]]
    )
    first = services.imports.plan(services.imports.read("estates", path))
    second = services.imports.plan(services.imports.read("estates", path))  # checked before the first was written
    services.imports.commit(first)
    batches = len(services.batches.list())
    with pytest.raises(UserError, match="重新核对后再导入"):
        services.imports.commit(second)
    assert services.records.count("estates") == 2
    assert len(services.batches.list()) == batches
