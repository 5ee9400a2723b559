from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from real_names import SHARED_LIST_ROWS, real_estate_names

from putuo_community.domain.names import (
    EstateNameIndex,
    near_match_keys,
    near_match_reason,
    normalise_estate_name,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("曹杨一村", "曹杨一村 "),
        ("曹杨一村", " 曹杨\u3000一村"),
        ("曹杨一村", "曹杨一村\n"),
        ("中远两湾城（一期）", "中远两湾城(一期)"),
        ("中远两湾城【一期】", "中远两湾城(一期)"),
        ("中远两湾城[一期]", "中远两湾城(一期)"),
        ("中远两湾城〔一期〕", "中远两湾城(一期)"),
        ("李子园ＳＯＨＯ公寓", "李子园SOHO公寓"),
        ("李子园soho公寓", "李子园SOHO公寓"),
        ("CITY155", "ｃｉｔｙ１５５"),
        ("“水产路2609,2659,2669号", "水产路2609、2659、2669号"),
        ("长寿路962，988号", "长寿路962、988号"),
        ("铜川路1601～1613号", "铜川路1601-1613号"),
        ("铜川路1601—1613号", "铜川路1601-1613号"),
    ],
)
def test_normalise_makes_spellings_equal(a: str, b: str) -> None:
    assert normalise_estate_name(a) == normalise_estate_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("紫腾苑小区", "紫腾苑"),  # 小区 is kept in the exact key
        ("曹杨新村", "曹杨"),
        ("曹杨一村", "曹杨1村"),  # a near match, not an exact one
        ("祥和星宇花园(公寓)", "祥和星宇花园(别墅)"),
        ("阳光威尼斯(一期)", "阳光威尼斯(二期)"),
    ],
)
def test_normalise_keeps_different_names_apart(a: str, b: str) -> None:
    assert normalise_estate_name(a) != normalise_estate_name(b)


def test_normalised_form() -> None:
    assert normalise_estate_name(" 中远两湾城（一期） ") == "中远两湾城(一期)"
    assert normalise_estate_name("") == ""


@given(st.text())
def test_normalise_is_idempotent(name: str) -> None:
    once = normalise_estate_name(name)
    assert normalise_estate_name(once) == once


@given(st.text())
def test_near_keys_hold_the_exact_key(name: str) -> None:
    keys = near_match_keys(name)
    assert normalise_estate_name(name) in keys
    assert near_match_keys(normalise_estate_name(name)) == keys


@pytest.mark.parametrize(
    ("name", "looser"),
    [
        ("祥和星宇花园(公寓)", "祥和星宇花园"),
        ("祥和星宇花园（公寓）", "祥和星宇花园"),
        ("莲花公寓(普陀)", "莲花公寓"),
        ("阳光威尼斯(四期)(公寓)", "阳光威尼斯(四期)"),
        ("阳光威尼斯(四期)(公寓)", "阳光威尼斯"),
        ("中远两湾城(一期)", "中远两湾城"),
        ("金沙雅苑(三期)", "金沙雅苑"),
        ("万里一期", "万里"),
        ("天汇广场二期", "天汇广场"),
        ("绿地世纪城(1期)", "绿地世纪城"),
        ("某某花园三期A", "某某花园"),
        ("某某花园第二期", "某某花园"),
        ("中山北路2000弄中远两湾城", "中远两湾城"),
        ("曹杨路1117弄12支弄某某苑", "某某苑"),
        ("桃浦一村(武威路1051弄)", "桃浦一村"),
        ("桃浦一村(武威路1053号)", "桃浦一村"),
        ("紫腾苑小区", "紫腾苑"),
        ("延长小区(普陀)", "延长"),
        ("曹杨一村", "曹杨1村"),
        ("曹杨十村", "曹杨10村"),
        ("真光新村第二小区", "真光新村2小区"),
        ("曹杨五村(梅花园)", "梅花园"),
        ("曹杨五村(梅花园)", "曹杨5村"),
    ],
)
def test_near_keys_include_stripped_variants(name: str, looser: str) -> None:
    assert normalise_estate_name(looser) in near_match_keys(name)


@pytest.mark.parametrize(
    ("name", "not_a_key"),
    [
        ("曹杨新村", "曹杨"),  # only a trailing 小区 is dropped, never 新村
        ("真光新村", "真光"),
        ("长寿路818弄90号", "90号"),  # an address alone is the name
        ("花家浜路188号西", "西"),
        ("中期大厦", "大厦"),  # 中期 is not a phase
        ("小区", ""),
        ("阳光威尼斯(公寓)", "公寓"),  # a qualifier in brackets is not another name
        ("莲花公寓(普陀)", "普陀"),
    ],
)
def test_near_keys_do_not_overreach(name: str, not_a_key: str) -> None:
    assert normalise_estate_name(not_a_key) not in near_match_keys(name)


def test_different_estates_share_no_key() -> None:
    assert not near_match_keys("曹杨一村") & near_match_keys("曹杨二村")
    assert not near_match_keys("曹杨新村") & near_match_keys("曹杨一村")
    assert not near_match_keys("祥和星宇花园") & near_match_keys("祥和名邸")


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("祥和星宇花园(公寓)", "祥和星宇花园", "名称相近：去掉括号后相同"),
        ("祥和星宇花园(公寓)", "祥和星宇花园(别墅)", "名称相近：去掉括号后相同"),
        ("中远两湾城(一期)", "中远两湾城", "名称相近：去掉期数后相同"),
        ("阳光威尼斯(一期)", "阳光威尼斯(二期)", "名称相近：去掉期数后相同"),
        ("万里一期", "万里", "名称相近：去掉期数后相同"),
        ("中山北路2000弄中远两湾城", "中远两湾城", "名称相近：去掉弄号后相同"),
        ("桃浦一村(武威路1051弄)", "桃浦一村", "名称相近：去掉弄号后相同"),
        ("紫腾苑小区", "紫腾苑", "名称相近：去掉“小区”后相同"),
        ("曹杨1村", "曹杨一村", "名称相近：数字写法不同"),
        ("真光新村第二小区", "真光新村二小区", "名称相近：数字写法不同"),
        ("曹杨五村(梅花园)", "梅花园", "名称相近：括号内的名称相同"),
        ("中山北路2000弄中远两湾城", "中远两湾城(二期)", "名称相近：去掉期数、弄号后相同"),
        ("阳光威尼斯(四期)(公寓)", "阳光威尼斯(3期)", "名称相近：去掉括号、期数后相同"),
        ("阳光威尼斯(四期)(公寓)", "阳光威尼斯(4期)", "名称相近：去掉括号后相同；数字写法不同"),
    ],
)
def test_near_match_reason(a: str, b: str, reason: str) -> None:
    assert near_match_reason(a, b) == reason
    assert near_match_reason(b, a) == reason


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("曹杨一村", "曹杨一村 "),  # exact, not near
        ("中远两湾城（一期）", "中远两湾城(一期)"),
        ("曹杨一村", "曹杨二村"),
        ("曹杨新村", "曹杨"),
        ("", "曹杨一村"),
        ("", ""),
    ],
)
def test_near_match_reason_none(a: str, b: str) -> None:
    assert near_match_reason(a, b) is None


# --- the index ------------------------------------------------------------------------------

ROWS = [
    (1, "曹杨新村街道", "曹杨一村", ()),
    (2, "曹杨新村街道", "曹杨五村(梅花园)", ("兰岭园",)),
    (3, "长寿路街道", "中远两湾城", ("中远两湾城(一期)", "中山北路1760弄")),
    (4, "长风新村街道", "曹杨一村", ()),  # the same name in another street
    (5, "桃浦镇", "祥和星宇花园(公寓)", ()),
    (6, "桃浦镇", "祥和星宇花园(别墅)", ()),
    (7, None, "阳光威尼斯(一期)", ()),
    (8, "真如", "阳光威尼斯(二期)", ()),
]


@pytest.fixture(scope="module")
def index() -> EstateNameIndex:
    return EstateNameIndex.build(ROWS)


@pytest.mark.parametrize(
    ("street", "name", "ids"),
    [
        (None, "曹杨一村", (1, 4)),
        ("曹杨新村街道", "曹杨一村", (1,)),
        ("曹杨", "曹杨一村 ", (1,)),
        ("曹杨街道", "曹杨一村", (1,)),
        ("长风新村街道", "曹杨一村", (4,)),
        ("桃浦镇", "曹杨一村", ()),
        (None, "中远两湾城（一期）", (3,)),  # an alias
        ("长寿", "中山北路1760弄", (3,)),
        (None, "兰岭园", (2,)),
        (None, "曹杨1村", ()),  # near, not exact
        (None, "", ()),
        ("真如镇街道", "阳光威尼斯（二期）", (8,)),
    ],
)
def test_exact(index: EstateNameIndex, street: str | None, name: str, ids: tuple[int, ...]) -> None:
    assert index.exact(street, name) == ids


def test_near_gives_reasons_and_leaves_out_exact_hits(index: EstateNameIndex) -> None:
    assert index.near(None, "曹杨1村") == ((1, "名称相近：数字写法不同"), (4, "名称相近：数字写法不同"))
    assert index.near("曹杨", "曹杨1村") == ((1, "名称相近：数字写法不同"),)
    assert index.near(None, "曹杨一村") == ()
    assert index.near(None, "祥和星宇花园(公寓)") == ((6, "名称相近：去掉括号后相同"),)
    assert index.near("桃浦", "祥和星宇花园") == ((5, "名称相近：去掉括号后相同"), (6, "名称相近：去掉括号后相同"))
    assert index.near(None, "梅花园") == ((2, "名称相近：括号内的名称相同"),)
    assert index.near(None, "") == ()
    assert index.near(None, "完全不同的名字") == ()


def test_near_takes_the_closest_of_name_and_aliases(index: EstateNameIndex) -> None:
    # 中远两湾城(二期) is one 期 away from the alias 中远两湾城(一期) and one 期 from the name itself.
    assert index.near(None, "中远两湾城(二期)") == ((3, "名称相近：去掉期数后相同"),)
    assert index.near(None, "中山北路2000弄中远两湾城") == ((3, "名称相近：去掉弄号后相同"),)


def test_near_ranks_closest_first(index: EstateNameIndex) -> None:
    # 7 has no street; it only turns up when all streets are searched.
    assert index.near(None, "阳光威尼斯(一期)(公寓)") == (
        (7, "名称相近：去掉括号后相同"),
        (8, "名称相近：去掉括号、期数后相同"),
    )
    assert index.near("真如", "阳光威尼斯(一期)") == ((8, "名称相近：去掉期数后相同"),)


def test_index_of_twenty_thousand_estates_is_fast() -> None:
    streets = ["曹杨", "长风", "长寿", "甘泉", "石泉", "宜川", "真如", "万里", "长征", "桃浦"]
    rows = [(i, streets[i % 10], f"测试{i}号苑(一期)", (f"测试路{i}弄测试{i}号苑",)) for i in range(20_000)]
    started = time.perf_counter()
    index = EstateNameIndex.build(rows)
    for i in range(0, 20_000, 10):
        assert index.exact(streets[i % 10], f"测试{i}号苑（一期）") == (i,)
        assert index.near(None, f"测试{i}号苑(二期)") == ((i, "名称相近：去掉期数后相同"),)
    assert time.perf_counter() - started < 10  # about a second; a pairwise scan would take minutes


# --- real 普陀 names --------------------------------------------------------------------------

_ROAD_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,8}?路\d+弄(?=[\u4e00-\u9fff]{2})")


def test_real_estate_names() -> None:
    names, full = real_estate_names()
    if full:
        assert len(names) == SHARED_LIST_ROWS

    for name in names:
        key = normalise_estate_name(name)
        assert normalise_estate_name(key) == key, name
        keys = near_match_keys(name)
        assert key in keys, name
        if "(" in name and (bare := re.sub(r"\([^()]*\)", "", name)):
            assert normalise_estate_name(bare) in keys, name
        if (unphased := re.sub(r"[一二三四五六七八九十\d]+期", "", name).replace("()", "")) != name:
            assert normalise_estate_name(unphased) in keys, name
        if match := _ROAD_PREFIX.match(name):
            assert normalise_estate_name(name[match.end() :]) in keys, name

    # The index and near_match_reason agree on which names are near, for every pair.
    index = EstateNameIndex.build((i, None, name, ()) for i, name in enumerate(names))
    near_pairs = 0
    for i, name in enumerate(names):
        for j, reason in index.near(None, name):
            assert reason == near_match_reason(name, names[j]), (name, names[j])
            near_pairs += 1
        exact = index.exact(None, name)
        assert i in exact
        assert all(normalise_estate_name(names[j]) == normalise_estate_name(name) for j in exact)
    assert near_pairs > (50 if full else 8)  # 阳光威尼斯, 祥和星宇花园, 曹杨五村(…), 中远两湾城 …
    for i, name in enumerate(names[:100]):
        near_ids = {j for j, _ in index.near(None, name)}
        for j, other in enumerate(names):
            if j != i and near_match_reason(name, other) is not None:
                assert j in near_ids, (name, other)
