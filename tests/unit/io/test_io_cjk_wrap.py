"""Chinese line breaking: breaks between characters, whole numbers and words, and no punctuation in the wrong place."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from putuo_community.io.cjk_wrap import FORBIDDEN_AT_END, FORBIDDEN_AT_START, break_lines

CLOSING = "，。、；：？！）》」』】〉…—’”,.;:?!)%"
OPENING = "（《「『【〈‘“("


def cells(text: str) -> float:
    """A monospace measure: a Chinese character or full-width mark takes two cells, anything else one."""
    return float(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text))


def test_the_brief_s_punctuation_is_covered() -> None:
    assert set(CLOSING) <= FORBIDDEN_AT_START
    assert set(OPENING) <= FORBIDDEN_AT_END


def test_a_text_that_fits_is_one_line() -> None:
    assert break_lines("梅川一村", 8, cells) == ["梅川一村"]
    assert break_lines("", 8, cells) == [""]


def test_chinese_breaks_between_any_two_characters() -> None:
    assert break_lines("普陀区长征镇梅川一村", 8, cells) == ["普陀区长", "征镇梅川", "一村"]


def test_dates_numbers_and_codes_stay_whole() -> None:
    lines = break_lines("召开日期2025-03-01同意率85.5编码ABC123", 12, cells)
    assert lines == ["召开日期", "2025-03-01同", "意率85.5编码", "ABC123"]


def test_closing_punctuation_pulls_the_last_character_down() -> None:
    # "广场舞音量过大" fills the line exactly; "。" may not start the next one, so "大" comes along.
    assert break_lines("广场舞音量过大。已办结", 14, cells) == ["广场舞音量过", "大。已办结"]


def test_closing_punctuation_may_hang_within_the_tolerance() -> None:
    assert break_lines("广场舞音量过大。已办结", 14, cells, hang=2) == ["广场舞音量过大。", "已办结"]
    # Only one mark hangs: "。”" goes down with the character before it.
    assert break_lines("音量过大。”已办结", 8, cells, hang=2) == ["音量过", "大。”已", "办结"]


def test_an_opening_bracket_never_ends_a_line() -> None:
    assert break_lines("物业公司（上海）有限", 10, cells) == ["物业公司", "（上海）有", "限"]


def test_explicit_newlines_are_kept_and_blank_lines_too() -> None:
    assert break_lines("第一行\n\n第三行", 20, cells) == ["第一行", "", "第三行"]
    assert break_lines("甲\r\n乙", 20, cells) == ["甲", "乙"]


def test_spaces_at_a_break_are_dropped() -> None:
    assert break_lines("Room 101 Building 7", 9, cells) == ["Room 101", "Building", "7"]


def test_a_word_wider_than_the_line_is_broken_hard() -> None:
    assert break_lines("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 10, cells) == ["ABCDEFGHIJ", "KLMNOPQRST", "UVWXYZ"]


def test_narrow_widths_still_end() -> None:
    assert break_lines("梅川一村。", 1, cells) == ["梅", "川", "一", "村", "。"]
    assert break_lines("（）。", 0, cells) == ["（", "）", "。"]


# -- properties ---------------------------------------------------------------------------

_HAN = st.text(alphabet="梅川一村长征镇居委会业主大会物业服务维修资金电梯楼栋投诉办结", min_size=1, max_size=6)
_LATIN = st.from_regex(r"[A-Za-z]{1,25}|[0-9]{1,4}(\.[0-9]{1,2})?|2025-0[1-9]-[12][0-9]", fullmatch=True)
_PIECE = st.tuples(
    st.sampled_from(["", "", "", *OPENING]),
    st.one_of(_HAN, _HAN, _LATIN),
    st.text(alphabet=CLOSING, max_size=2),
    st.sampled_from(["", "", "", " "]),
).map("".join)
_PARAGRAPH = st.lists(_PIECE, min_size=1, max_size=40).map("".join)


def _check_paragraph(paragraph: str, lines: list[str], width: float, hang: float) -> None:
    # Joining the lines gives the paragraph back, less the spaces at the breaks.
    position = 0
    for index, line in enumerate(lines):
        if index:
            while paragraph[position : position + 1] == " ":
                position += 1
        assert paragraph.startswith(line, position), (paragraph, lines)
        position += len(line)
    assert not paragraph[position:].strip(" "), (paragraph, lines)
    for index, line in enumerate(lines):
        if len(lines) > 1:
            assert line, lines  # a wrapped line is never empty
        if index > 0:
            assert line[0] not in FORBIDDEN_AT_START, (line, lines)
        if index < len(lines) - 1:
            assert line[-1] not in FORBIDDEN_AT_END, (line, lines)
        assert line == line.rstrip(" ")
        if cells(line) > width:  # only by one hanging punctuation mark
            assert line[-1] in FORBIDDEN_AT_START, (line, width)
            assert len(line) >= 2
            assert line[-2] not in FORBIDDEN_AT_START
            assert cells(line[:-1]) <= width
            assert cells(line) - width <= hang


@settings(max_examples=300, deadline=None)
@given(
    paragraphs=st.lists(_PARAGRAPH, min_size=1, max_size=3),
    width=st.integers(min_value=8, max_value=60),
    hang=st.sampled_from([0.0, 2.0]),
)
def test_punctuation_rules_hold_at_every_width(paragraphs: list[str], width: int, hang: float) -> None:
    lines = break_lines("\n".join(paragraphs), width, cells, hang=hang)
    for paragraph in paragraphs:
        count = len(break_lines(paragraph, width, cells, hang=hang))
        _check_paragraph(paragraph, lines[:count], width, hang)
        lines = lines[count:]
    assert lines == []


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=120).filter(lambda t: "\n" not in t and "\r" not in t), width=st.integers(0, 30))
def test_any_text_is_broken_without_losing_characters(text: str, width: int) -> None:
    lines = break_lines(text, width, cells)
    assert "".join(lines).replace(" ", "").replace("\t", "") == text.replace(" ", "").replace("\t", "")
    for line in lines:
        assert cells(line) <= width or len(line) == 1, (line, lines)
