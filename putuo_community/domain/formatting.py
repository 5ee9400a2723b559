"""How a declared field's value reads to a person: in tables, history and ledgers."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from putuo_community.domain.fields import Field, FieldType


def format_value(field: Field, value: object, *, ref_title: str | None = None) -> str:
    if value is None or value == "":
        return ""
    if field.type is FieldType.REF:
        return ref_title if ref_title is not None else f"#{value}"
    if field.type is FieldType.BOOL:
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.{field.decimals}f}" if field.type is FieldType.DECIMAL else str(value)
    return str(value)


def plain_value(value: object) -> str:
    """A stable text form for the change history (no thousands separators)."""
    if type(value) is str:  # most values: checked first, this runs for every imported cell
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def mask_personal(text: str) -> str:
    """Hide the middle of an ID or phone number: 310107********1234, 138****5678."""
    value = text.strip()
    if len(value) <= 4:
        return "*" * len(value)
    keep_head = 6 if len(value) >= 15 else 3
    keep_tail = 4
    if len(value) <= keep_head + keep_tail:
        keep_head = 1
    return value[:keep_head] + "*" * (len(value) - keep_head - keep_tail) + value[-keep_tail:]


# A 身份证号 (17 digits and a check digit or X) or a 手机号 (11 digits from 13… to 19…, perhaps after
# +86, dashes or spaces between its groups, full-width digits too) standing on its own. A digit or Latin
# letter beside it makes it part of something longer that is not a personal number (a 20-digit lift
# registration code, a 统一社会信用代码 such as 91310107MA1G1C8Q5W), which stays as written.
_PERSONAL_NUMBER = re.compile(
    r"(?<![\dA-Za-z])"
    r"(?:(?P<id>\d{17}[\dXx])|(?P<prefix>(?:\+|00)?86[- ]?)?(?P<mobile>[1１][3-9３-９]\d(?:[- ]?\d{4}){2}))"
    r"(?![\dA-Za-z])"
)


def mask_personal_numbers(text: str) -> str:
    """The text with every 身份证号 and 手机号 in it masked as `mask_personal` masks a field: for logs and errors."""
    return _PERSONAL_NUMBER.sub(_mask_match, text)


def _mask_match(match: re.Match[str]) -> str:
    if match["id"]:
        return mask_personal(match["id"])
    return (match["prefix"] or "") + mask_personal(match["mobile"])


def is_masked(value: object) -> bool:
    """Whether a cell holds a masked personal number as `mask_personal` writes it (138****5678, 557*9104).

    Only asked of personal fields (ID and phone numbers), which never contain a "*" of their own.
    """
    return isinstance(value, str) and "*" in value
