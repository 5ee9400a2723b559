"""The one file-name rule: every name the program makes from a record opens on Windows and stays distinct."""

from __future__ import annotations

import pytest

from putuo_community.domain.file_names import MAX_BYTES, MAX_CHARS, UniqueFileNames, is_reserved, safe_file_name


@pytest.mark.parametrize(
    ("text", "extension", "expected"),
    [
        ("CON", ".pdf", "CON_.pdf"),
        ("con.txt", "", "con_.txt"),
        ("COM1", ".pdf", "COM1_.pdf"),
        ("LPT9.pdf", "", "LPT9_.pdf"),
        ("nul.txt", ".pdf", "nul_.txt.pdf"),
        ("aux", ".xlsx", "aux_.xlsx"),
        ("PRN ", ".pdf", "PRN_.pdf"),
        ("Nul .txt", ".pdf", "Nul_ .txt.pdf"),
        ("com²", ".pdf", "com²_.pdf"),
        ("CON...", ".pdf", "CON_.pdf"),
    ],
)
def test_windows_device_names_are_never_written(text: str, extension: str, expected: str) -> None:
    name = safe_file_name(text, extension)
    assert name == expected
    assert not is_reserved(name)


@pytest.mark.parametrize("text", ["CONSOLE", "COM10", "LPT", "小区CON", "CON小区", "ＣＯＮ"])
def test_names_that_only_look_like_devices_are_left_alone(text: str) -> None:
    assert safe_file_name(text, ".pdf") == text + ".pdf"


def test_characters_windows_refuses_become_underscores() -> None:
    assert safe_file_name("a<b>:c", ".pdf") == "a_b__c.pdf"
    assert safe_file_name('曹杨"新村"/一期\\二期|*?', ".pdf") == "曹杨_新村__一期_二期___.pdf"
    assert safe_file_name("梅川\t一村\n\x00\x7f", ".pdf") == "梅川_一村___.pdf"


@pytest.mark.parametrize("invisible", ["\u202e", "\u202a", "\u202d", "\u2066", "\u2069", "\u200b", "\u200f", "\ufeff"])
def test_bidi_overrides_and_invisible_characters_are_dropped(invisible: str) -> None:
    # U+202E would show "梅川fdp.exe" as "梅川exe.pdf": nothing invisible may reach a file name.
    assert safe_file_name(f"梅川{invisible}一村", ".pdf") == "梅川一村.pdf"


def test_trailing_dots_and_spaces_go_and_an_empty_name_gets_the_fallback() -> None:
    assert safe_file_name("  梅川一村. . ", ".pdf") == "梅川一村.pdf"
    assert safe_file_name("梅川一村...") == "梅川一村"
    assert safe_file_name(" .. ", ".pdf", fallback="小区") == "小区.pdf"
    assert safe_file_name("\u202e", ".pdf") == "未命名.pdf"


def test_a_200_character_name_is_cut_to_100_keeping_its_extension() -> None:
    name = safe_file_name("A" * 200, ".pdf")
    assert len(name) == MAX_CHARS
    assert name == "A" * (MAX_CHARS - 4) + ".pdf"


def test_a_long_chinese_name_also_fits_file_systems_that_count_bytes() -> None:
    name = safe_file_name("曹杨新村" * 50, ".pdf")
    assert name.endswith(".pdf")
    assert name.startswith("曹杨新村曹杨")
    assert len(name) <= MAX_CHARS
    assert len(name.encode("utf-8")) <= MAX_BYTES


def test_a_cut_never_leaves_a_trailing_space_or_dot() -> None:
    name = safe_file_name("A" * 95 + " . x" * 10, ".pdf")
    assert name == "A" * 95 + ".pdf"


def test_the_same_text_always_gives_the_same_name() -> None:
    texts = ["CON", "曹杨" * 120, "a<b>:c", "梅川\u202e一村", "ABC小区"]
    assert [safe_file_name(t, ".pdf") for t in texts] == [safe_file_name(t, ".pdf") for t in texts]


def test_an_extension_is_the_programs_choice_and_is_checked() -> None:
    with pytest.raises(ValueError, match="extension"):
        safe_file_name("x", ".p/df")
    with pytest.raises(ValueError, match="extension"):
        safe_file_name("x", "pdf")


def test_names_differing_only_by_case_get_distinct_files() -> None:
    names = UniqueFileNames()
    first = names.claim("ABC小区", ".pdf")
    second = names.claim("abc小区", ".pdf")
    third = names.claim("Abc小区", ".PDF")
    assert (first, second, third) == ("ABC小区.pdf", "abc小区（2）.pdf", "Abc小区（3）.PDF")
    assert len({n.casefold() for n in (first, second, third)}) == 3


def test_a_hint_tells_two_estates_apart_before_a_number_does() -> None:
    names = UniqueFileNames()
    assert names.claim("金光新村", ".pdf", hint="PT-001") == "金光新村.pdf"
    assert names.claim("金光新村", ".pdf", hint="PT-002") == "金光新村（PT-002）.pdf"
    assert names.claim("金光新村", ".pdf", hint="PT-002") == "金光新村（2）.pdf"


def test_names_that_become_equal_after_cleaning_stay_distinct() -> None:
    names = UniqueFileNames(["长征镇小区档案目录.pdf"])
    assert names.claim("长征镇小区档案目录", ".pdf") == "长征镇小区档案目录（2）.pdf"
    assert names.claim("梅川一村. ", ".pdf") == "梅川一村.pdf"
    assert names.claim("梅川\u202e一村", ".pdf") == "梅川一村（2）.pdf"
    assert "梅川一村（2）.PDF" in names


def test_a_numbered_long_name_still_fits_and_keeps_its_number() -> None:
    names = UniqueFileNames()
    long = "曹杨" * 100
    first, second = names.claim(long, ".pdf"), names.claim(long.upper(), ".pdf")
    assert second.endswith("（2）.pdf")
    assert first.casefold() != second.casefold()
    for name in (first, second):
        assert len(name) <= MAX_CHARS
        assert len(name.encode("utf-8")) <= MAX_BYTES


def test_the_order_of_claims_alone_decides_the_names() -> None:
    texts = ["ABC小区", "abc小区", "CON", "con", "曹杨" * 100, "曹杨" * 101]

    def run() -> list[str]:
        names = UniqueFileNames()
        return [names.claim(t, ".pdf") for t in texts]

    assert run() == run()
    assert run()[2:4] == ["CON_.pdf", "con_（2）.pdf"]
