"""Column headers, 街镇 and 居委会 names as clerks write them, reduced to what can be matched."""

from __future__ import annotations

import functools
import re

from putuo_community.domain.fields import Field
from putuo_community.domain.parsing.text import _ZERO_WIDTH, FULL_WIDTH_TO_ASCII, chinese_numerals_to_digits, clean_text
from putuo_community.domain.streets import PUTUO_STREETS, Street, street_by_any_name

_BRACKETS_TO_ROUND = str.maketrans({"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "{": "(", "}": ")"})
_HEADER_MARKS = "*※★☆:"
_TRAILING_BRACKET = re.compile(r"(.+?)\(([^()]*)\)")


def normalise_header(text: str) -> tuple[str, str]:
    """(bare header, unit): "建筑面积（平方米）" → ("建筑面积", "平方米"), "*小区名称" → ("小区名称", "").

    Spaces and line breaks go, brackets become half-width "()", required-column marks (*, ※) and a
    trailing colon are dropped; the text of a trailing bracket (usually the unit) is returned apart.
    """
    value = "".join(text.translate(FULL_WIDTH_TO_ASCII).translate(_ZERO_WIDTH).split())
    value = value.translate(_BRACKETS_TO_ROUND).strip(_HEADER_MARKS)
    match = _TRAILING_BRACKET.fullmatch(value)
    if match is None:
        return value, ""
    return match.group(1).strip(_HEADER_MARKS), match.group(2)


@functools.lru_cache(maxsize=4096)
def header_key(header: str) -> str:
    """What `header_matches` compares: the bare header ("" for none), case folded."""
    return normalise_header(header)[0].casefold()


def header_matches(field: Field, header: str) -> bool:
    """True when a column header names this field: its label or one of its synonyms, unit aside."""
    bare = header_key(header)
    return bool(bare) and any(header_key(name) == bare for name in (field.label, *field.synonyms))


def header_resembles(field: Field, header: str) -> bool:
    """True when a header names this field the way clerks vary a known name: with a suffix such as 名称,
    时间 or 情况 ("居委会名称"), a prefix such as 所属 or 总 ("总户数"), 数量 for 数 ("楼栋数量"), or the
    other character of 栋/幢/楼栋 ("栋数" for 幢数). Weaker than `header_matches`: asked only of the
    columns no label or synonym names."""
    forms = header_forms(header)
    return bool(forms) and any(not forms.isdisjoint(header_forms(name)) for name in (field.label, *field.synonyms))


_HEADER_PREFIXES = ("所属", "总")
_HEADER_SUFFIXES = ("名称", "时间", "日期", "情况")
_SHORTEST_STEM = 2  # "总数" is not "数", nor "日期" nothing


@functools.lru_cache(maxsize=4096)
def header_forms(header: str) -> frozenset[str]:
    """The forms a header reduces to, as `header_resembles` compares them."""
    bare = header_key(header)
    if not bare:
        return frozenset()
    canonical = bare.replace("楼栋", "栋").replace("楼幢", "栋").replace("幢", "栋")
    if canonical.endswith("数量"):
        canonical = canonical.removesuffix("量")
    stems = {canonical}
    for prefix in _HEADER_PREFIXES:
        if canonical.startswith(prefix) and len(canonical) - len(prefix) >= _SHORTEST_STEM:
            stems.add(canonical.removeprefix(prefix))
    for stem in list(stems):
        for suffix in _HEADER_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= _SHORTEST_STEM:
                stems.add(stem.removesuffix(suffix))
    return frozenset(stems)


_STREET_PREFIXES = ("上海市", "上海", "普陀区")
_STREET_SUFFIXES = ("人民政府", "政府", "办事处", "党工委")


def street_from_text(text: str) -> Street | None:
    """The 街镇 a cell names: 曹杨新村街道, 曹杨, 曹杨街道, 曹杨新村街道办事处, 长征镇人民政府 …"""
    value = "".join(clean_text(text).translate(FULL_WIDTH_TO_ASCII).split())
    for prefix in _STREET_PREFIXES:
        value = value.removeprefix(prefix)
    for suffix in _STREET_SUFFIXES:
        value = value.removesuffix(suffix)
    if value.endswith("街道办"):
        value = value.removesuffix("办")
    return street_by_any_name(value) if value else None


_NEIGHBOURHOOD_SUFFIXES = ("社区居民委员会", "居民委员会", "社区居委会", "居委会", "居委", "社区")
_NUMERAL_AHEAD = "(?=[0-9〇零一二三四五六七八九十])"


def neighbourhood_key(text: str) -> str:
    """A key under which the spellings of one 居委会 meet: 兰溪路第一居委会 = 兰溪一居委 = 兰溪一居民委员会."""
    value = "".join(clean_text(text).translate(FULL_WIDTH_TO_ASCII).split())
    for prefix in _STREET_PREFIXES:
        value = value.removeprefix(prefix)
    for street in PUTUO_STREETS:
        if value.startswith(street.name) and len(value) > len(street.name):
            value = value.removeprefix(street.name)
            break
    for suffix in _NEIGHBOURHOOD_SUFFIXES:
        if value.endswith(suffix) and len(value) > len(suffix):
            value = value.removesuffix(suffix)
    value = re.sub("第" + _NUMERAL_AHEAD, "", value)
    value = chinese_numerals_to_digits(value)
    value = re.sub(r"路(?=\d)", "", value)  # 兰溪路1 and 兰溪1 are the same 居委
    return value.casefold()
