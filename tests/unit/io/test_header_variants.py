"""Headers as clerks vary them: a suffix (名称, 时间, 情况), a prefix (所属, 总), 数量 for 数, 栋/幢/楼栋, and the
names real 小区 registers use (房屋数量（户数）, 竣工时间, 楼栋数量, 物管公司). Each must find its field; none may
take a field that a column elsewhere names exactly."""

from __future__ import annotations

import pytest

from putuo_community.domain.registers import ESTATES
from putuo_community.io.table import detect_table, suggest_mapping
from putuo_community.io.workbook import SheetGrid

DATA = ["兰溪青年公寓", "曹杨新村街道", "兰溪居委", 12, 640, 1993, "售后公房", "上海普陀物业有限公司", 0.55]


def mapped(header: list[str], row: list[object] | None = None) -> dict[str, str]:
    """Header text → field key, as the import suggests it for a sheet with this header over one data row."""
    grid = SheetGrid("曹杨新村街道", [header, row or DATA[: len(header)]], frozenset())
    table = detect_table(grid, ESTATES)
    mapping = suggest_mapping(table, ESTATES)
    return {table.columns[i].text: key for i, key in ((c.index, mapping.get(c.index)) for c in table.columns) if key}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("居委会名称", "neighbourhood_id"),  # a suffix: 名称
        ("居委名称", "neighbourhood_id"),
        ("栋数", "building_count"),  # the other character of 栋/幢
        ("楼栋数量", "building_count"),  # 楼栋 and 数量 (a Shanghai 居住区 dataset's header)
        ("总栋数", "building_count"),
        ("楼幢数", "building_count"),
        ("房屋数量（户数）", "households"),  # the same dataset: the unit in brackets names the count
        ("总户数", "households"),
        ("竣工时间", "completion_year"),
        ("竣工日期", "completion_year"),  # a suffix: 竣工时间 and 竣工日期 are one stem
        ("所属街道", "street_id"),  # a prefix: 所属
        ("物管公司", "company_id"),
        ("物业服务企业名称", "company_id"),
        ("物管费", "fee"),
        ("小区名称", "name"),
    ],
)
def test_a_header_variant_finds_its_field(header: str, field: str) -> None:
    assert mapped(["小区名称", header] if header != "小区名称" else [header, "户数"]).get(header) == field


def test_a_register_with_every_column_named_its_own_way_imports_every_column() -> None:
    header = ["小区名称", "街道", "居委会名称", "栋数", "房屋数量", "竣工时间", "房屋性质", "物管公司", "物管费"]
    assert mapped(header) == {
        "小区名称": "name",
        "街道": "street_id",
        "居委会名称": "neighbourhood_id",
        "栋数": "building_count",
        "房屋数量": "households",
        "竣工时间": "completion_year",
        "房屋性质": "housing_type",
        "物管公司": "company_id",
        "物管费": "fee",
    }


def test_an_exact_header_wins_over_a_variant_wherever_it_stands() -> None:
    # 竣工日期 comes first but only resembles a name (竣工时间); 建成年份 is the label itself.
    found = mapped(["小区名称", "竣工日期", "建成年份"], ["兰溪青年公寓", "1993-10", 1993])
    assert found == {"小区名称": "name", "建成年份": "completion_year"}


@pytest.mark.parametrize("header", ["时间", "名称", "总数", "情况", "楼层", "备注情况说明"])
def test_a_bare_suffix_or_an_unrelated_word_names_nothing(header: str) -> None:
    assert header not in mapped(["小区名称", "户数", header], ["兰溪青年公寓", 640, "x"])


@pytest.mark.parametrize(
    "header", ["居委会名称", "楼栋数量", "总户数", "竣工日期", "所属街道", "物管费", "时间", "楼层"]
)
def test_the_matcher_index_agrees_with_the_rule_it_indexes(header: str) -> None:
    from putuo_community.domain.parsing import header_resembles
    from putuo_community.io.table import _Matcher

    matcher = _Matcher(ESTATES.fields)
    by_rule = tuple(i for i, f in enumerate(ESTATES.fields) if header_resembles(f, header))
    assert matcher.matches(header, loosely=True) == by_rule
