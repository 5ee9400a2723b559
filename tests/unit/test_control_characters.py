"""The characters no register keeps: control characters and bidi overrides, dropped from every cell read."""

from __future__ import annotations

import pytest

from putuo_community.domain.fields import long_text, text
from putuo_community.domain.parsing import clean_text, parse_cell
from putuo_community.domain.parsing.text import strip_control_characters


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("甘泉\x07一村", "甘泉一村"),  # BEL
        ("\x1b[31m甘泉一村\x1b[0m", "[31m甘泉一村[0m"),  # ESC: the terminal sees no colour code
        ("甘泉\x00一村", "甘泉一村"),  # NUL
        ("\u202e村一泉甘", "村一泉甘"),  # RIGHT-TO-LEFT OVERRIDE
        ("\u202a甘泉\u202b一村\u202c\u202d", "甘泉一村"),
        ("\u2066甘泉\u2067一村\u2068\u2069", "甘泉一村"),
        ("甘泉\x7f一村\x85\x9b", "甘泉一村"),  # DEL and C1 controls
        ("甘泉\t一村", "甘泉 一村"),  # a tab is whitespace, as before
        ("甘泉\n一村", "甘泉 一村"),
        ("  甘泉一村 \x07 ", "甘泉一村"),
        ("甘泉一村", "甘泉一村"),
        ("", ""),
    ],
)
def test_clean_text_drops_them(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_long_text_keeps_its_line_breaks() -> None:
    assert clean_text("第一行\x07\r\n第二行\t末尾\u202e", keep_newlines=True) == "第一行\n第二行 末尾"
    assert parse_cell(long_text("note", "备注"), "第一行\x1b\n第二行").value == "第一行\n第二行"
    assert parse_cell(text("name", "名称"), "第一行\x1b\n第二行").value == "第一行 第二行"


def test_the_rule_itself_keeps_tab_and_line_breaks_for_clean_text_to_read() -> None:
    assert strip_control_characters("a\tb\nc\rd\x07\x1b\u202e") == "a\tb\nc\rd"
    # Zero-width spaces and other format characters are clean_text's business, not this rule's.
    assert strip_control_characters("a\u200bb\u200ec") == "a\u200bb\u200ec"
