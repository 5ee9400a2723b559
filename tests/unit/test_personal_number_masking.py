"""Which numbers in a log line or an error message are masked, and which stay as written."""

from __future__ import annotations

import logging
import sys

import pytest

from putuo_community.domain.formatting import mask_personal, mask_personal_numbers
from putuo_community.logs import MaskPersonalNumbers


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("身份证号310107196503124417有误", "身份证号310107********4417有误"),
        ("31010719720815002X", "310107********002X"),
        ("id_number='31010719720815002x'", "id_number='310107********002x'"),
        ("联系电话13812345678，请回电", "联系电话138****5678，请回电"),
        ("('王建国', '13812345678', '310107196503124417')", "('王建国', '138****5678', '310107********4417')"),
        ("+86 138-1234-5678", "+86 138******5678"),
        ("8613812345678", "86138****5678"),
        ("电话 139 0000 1111", "电话 139******1111"),
        ("１３８１２３４５６７８", "１３８****５６７８"),
    ],
)
def test_personal_numbers_are_masked_as_the_ledgers_mask_them(text: str, masked: str) -> None:
    assert mask_personal_numbers(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "注册代码 31103101002018123456",  # a 20-digit lift registration code: no ID inside it
        "31103101381234567890",  # nor a phone
        "统一社会信用代码 91310107MA1G1C8Q5W",
        "91310000132149237G",  # 17 digits and a letter that is not X
        "X13812345678",  # a code with a phone-like tail
        "138123456789",  # 12 digits
        "1381234567",  # 10 digits
        "12812345678",  # 12… is no mobile
        "02162345678",  # a landline with its area code
        "2026-11-24 10:11:12,345 INFO 共 1,234 条",
        "批次 20261124101112",
    ],
)
def test_what_is_not_a_personal_number_stays_as_written(text: str) -> None:
    assert mask_personal_numbers(text) == text


def test_masking_twice_changes_nothing_more() -> None:
    once = mask_personal_numbers("310107196503124417 13812345678")
    assert mask_personal_numbers(once) == once
    assert once == f"{mask_personal('310107196503124417')} {mask_personal('13812345678')}"


def _record(
    msg: str, args: tuple[object, ...] | dict[str, object] | None, *, with_error: bool = False
) -> logging.LogRecord:
    exc_info = None
    if with_error:
        try:
            raise ValueError("row 310107196503124417")
        except ValueError:
            exc_info = sys.exc_info()
    return logging.LogRecord("putuo_community.test", logging.ERROR, __file__, 1, msg, args, exc_info)


def test_the_log_filter_masks_message_arguments_and_traceback() -> None:
    record = _record("member %s (%s)", ("13812345678", 310107196503124417), with_error=True)
    record.stack_info = "Stack (most recent call last):\n  phone = '13900001111'"

    assert MaskPersonalNumbers().filter(record)
    line = logging.Formatter("%(message)s").format(record)

    assert line.startswith("member 138****5678 (310107********4417)\nTraceback")
    assert "ValueError: row 310107********4417" in line
    assert "phone = '139****1111'" in line


def test_the_log_filter_masks_arguments_that_do_not_fit_the_message() -> None:
    record = _record("member %d", ("13812345678",))
    MaskPersonalNumbers().filter(record)
    assert record.getMessage() == "member %d ('138****5678',)"


def test_the_log_filter_keeps_named_arguments_and_percent_signs() -> None:
    record = _record("%(done)d%% of %(phone)s", {"done": 50, "phone": "13812345678"})
    MaskPersonalNumbers().filter(record)
    assert record.getMessage() == "50% of 138****5678"
