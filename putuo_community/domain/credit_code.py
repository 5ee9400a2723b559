"""统一社会信用代码 (GB 32100-2015) validation and construction, including the embedded 组织机构代码 (GB 11714)."""

from __future__ import annotations

import unicodedata

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
PUTUO_DIVISION_CODE = "310107"


def _org_char_value(ch: str) -> int:
    # GB 11714 values letters A=10 … Z=35, unlike the credit code's own 31-symbol numbering.
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def _org_check_char(body: str) -> str:
    remainder = sum(_org_char_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    check = 11 - remainder
    return "X" if check == 10 else "0" if check == 11 else str(check)


def _credit_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalize_credit_code(code: str) -> str:
    """The one spelling a code is stored in: upper-case, half-width, without any space (full-width ones too).

    "9131 0107 ma1g…", "９１３１０１０７ＭＡ１Ｇ…" and "91310107MA1G…" are one company. Nothing cleverer:
    a wrong character (O for 0, I for 1) is for `credit_code_problem` to name, not to guess.
    """
    return "".join(unicodedata.normalize("NFKC", code).translate(_ZERO_WIDTH).upper().split())


def credit_code_problem(code: str) -> str | None:
    """None when ``code`` is a valid 统一社会信用代码, else the first problem found, in Chinese."""
    code = normalize_credit_code(code)
    if not code:
        return "未填写统一社会信用代码"
    if len(code) != 18:
        return f"长度不是18位（现为{len(code)}位）"
    for ch in code:
        if ch not in CREDIT_CODE_ALPHABET:
            return f"含非法字符“{ch}”"
    org_expected = _org_check_char(code[8:16])
    if code[16] != org_expected:
        return f"组织机构代码校验位错误，应为“{org_expected}”"
    expected = _credit_check_char(code[:17])
    if code[17] != expected:
        return f"校验位错误，应为“{expected}”"
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_problem(code) is None


def build_credit_code(*, dept: str = "9", kind: str = "1", division: str = PUTUO_DIVISION_CODE, org_body: str) -> str:
    """Assemble a valid code from its parts, computing both check characters (used by demo data)."""
    if len(dept) != 1 or dept not in CREDIT_CODE_ALPHABET:
        raise ValueError(f"登记管理部门代码应为1位有效字符：{dept!r}")
    if len(kind) != 1 or kind not in CREDIT_CODE_ALPHABET:
        raise ValueError(f"机构类别代码应为1位有效字符：{kind!r}")
    if len(division) != 6 or not division.isdigit():
        raise ValueError(f"行政区划码应为6位数字：{division!r}")
    body = org_body.upper()
    if len(body) != 8 or any(c not in CREDIT_CODE_ALPHABET for c in body):
        raise ValueError(f"组织机构代码本体应为8位有效字符：{org_body!r}")
    first17 = dept + kind + division + body + _org_check_char(body)
    return first17 + _credit_check_char(first17)
