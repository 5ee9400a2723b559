"""A 统一社会信用代码 has one spelling, whether it comes from a cell, a form or a caller of the record service."""

from __future__ import annotations

import pytest

from putuo_community.domain.credit_code import normalize_credit_code
from putuo_community.domain.parsing import Parsed, parse_cell
from putuo_community.domain.registers import COMPANIES
from putuo_community.domain.validation import normalise_values

CREDIT_CODE = COMPANIES.field("credit_code")
CODE = "91310107MA1G1C8Q5W"


@pytest.mark.parametrize(
    "raw",
    [
        CODE,
        CODE.lower(),
        "91310107ma1g1c8q5W",
        "９１３１０１０７ＭＡ１Ｇ１Ｃ８Ｑ５Ｗ",
        "９１３１０１０７ｍａ１ｇ１ｃ８ｑ５ｗ",
        "9131 0107 MA1G 1C8Q 5W",
        "9131\u30000107\u3000MA1G1C8Q5W",
        f"\u200b{CODE}\n",
    ],
)
def test_a_credit_code_is_read_in_its_one_spelling(raw: str) -> None:
    assert normalize_credit_code(raw) == CODE
    assert parse_cell(CREDIT_CODE, raw) == Parsed(CODE)


def test_only_the_credit_code_is_respelt() -> None:
    assert parse_cell(COMPANIES.field("name"), "abc 物业") == Parsed("abc 物业")


def test_the_record_values_a_form_or_a_caller_gives_are_respelt_the_same_way() -> None:
    values = normalise_values(COMPANIES, {"name": "上海曹杨物业", "credit_code": "９１３１０１０７ma1g 1c8q5w"})
    assert values == {"name": "上海曹杨物业", "credit_code": CODE}
    assert normalise_values(COMPANIES, {"credit_code": " \u3000 "}) == {"credit_code": None}
    assert normalise_values(COMPANIES, {"name": "上海曹杨物业"}) == {"name": "上海曹杨物业"}
