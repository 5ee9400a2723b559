from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from putuo_community.domain.credit_code import (
    CREDIT_CODE_ALPHABET,
    build_credit_code,
    credit_code_problem,
    is_valid_credit_code,
)

# Codes of real, registered companies (published on their licences / invoices).
REAL_CODES = [
    "914403001922038216",  # 华为技术有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91110000710925462X",  # 中国石油天然气股份有限公司
    "9144030071526726XG",  # 腾讯科技（深圳）有限公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "91310107MA1G1C8Q5W",  # 普陀区 registrations (MA… bodies use letter values A=10…)
    "91310107MA1G07E95K",
    "91310107MA1G016X4C",
]

org_body = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=8, max_size=8)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code: str) -> None:
    assert credit_code_problem(code) is None
    assert is_valid_credit_code(code)


def test_surrounding_spaces_and_lower_case_are_accepted() -> None:
    assert is_valid_credit_code("  91310107ma1g1c8q5w \n")


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("", "未填写统一社会信用代码"),
        ("9131010", "长度不是18位（现为7位）"),
        ("91310107MA1G1C8Q5WX", "长度不是18位（现为19位）"),
        ("91310107MA1GIC8Q5W", "含非法字符“I”"),
        ("91310107MA1G1C8O5W", "含非法字符“O”"),
        ("91310107MA1G1C8Q5S", "含非法字符“S”"),
        # a plausible-looking code whose organisation-code check is wrong
        ("91310000MA1FL4LT3R", "组织机构代码校验位错误，应为“9”"),
        ("91310107MA1G1C8Q5X", "校验位错误，应为“W”"),
    ],
)
def test_problems_are_named(code: str, problem: str) -> None:
    assert credit_code_problem(code) == problem
    assert not is_valid_credit_code(code)


def test_build_makes_a_known_real_code() -> None:
    assert build_credit_code(org_body="MA1G1C8Q") == "91310107MA1G1C8Q5W"
    assert build_credit_code(division="440300", org_body="19220382") == "914403001922038216"


@given(org_body)
def test_built_codes_always_validate(body: str) -> None:
    code = build_credit_code(org_body=body)
    assert len(code) == 18
    assert code.startswith("91310107" + body)
    assert credit_code_problem(code) is None


@given(org_body, st.integers(0, 17), st.sampled_from(CREDIT_CODE_ALPHABET + "IOSVZ-"))
def test_any_single_change_is_caught(body: str, position: int, replacement: str) -> None:
    code = build_credit_code(org_body=body)
    if code[position] == replacement:
        return
    changed = code[:position] + replacement + code[position + 1 :]
    assert credit_code_problem(changed) is not None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"org_body": "1234567"}, "组织机构代码本体"),
        ({"org_body": "1234567I"}, "组织机构代码本体"),
        ({"org_body": "12345678", "division": "31010"}, "行政区划码"),
        ({"org_body": "12345678", "dept": "I"}, "登记管理部门代码"),
        ({"org_body": "12345678", "kind": "12"}, "机构类别代码"),
    ],
)
def test_build_refuses_bad_parts(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_credit_code(**kwargs)
